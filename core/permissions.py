"""DRF permission classes shared by the apps."""
from rest_framework.permissions import BasePermission

from . import roles


class IsProgramStaff(BasePermission):
    """Program staff (the ``program_staff`` group or superusers) only."""

    message = "Only program staff can do this."

    def has_permission(self, request, view) -> bool:
        return roles.is_program_staff(request.user)
