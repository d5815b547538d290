"""DRF permission classes shared by the apps."""
from rest_framework.permissions import BasePermission

from .roles import is_program_staff


class IsProgramStaff(BasePermission):
    """Only members of the program staff group (or superusers)."""

    message = "Only program staff may do this."

    def has_permission(self, request, view) -> bool:
        return is_program_staff(request.user)
