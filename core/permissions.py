"""DRF permission classes shared by the apps' APIs."""
from rest_framework.permissions import BasePermission

from .roles import is_program_staff


class IsProgramStaff(BasePermission):
    """Only program staff (the ``program_staff`` group or superusers)."""

    message = "Only program staff may use this endpoint."

    def has_permission(self, request, view) -> bool:
        return is_program_staff(request.user)
