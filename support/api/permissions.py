"""Who may call what on the support API. Deny by default.

Staff do everything. An SME user reads its own plans, items, visits, courses and sessions, moves its own
items' progress, adds evidence and confirms or disputes visits. A provider reads the plans, items and
visits of the SMEs assigned to it today, logs visits, adds evidence and, as a course's trainer, records
attendance. Views scope their querysets to the same rows (others answer 404).
"""

from rest_framework.permissions import BasePermission

from core import roles
from core.permissions import user_provider, user_supplier


def reader(request):
    """``("staff", None)``, ``("sme", supplier)``, ``("provider", provider)`` or ``(None, None)``."""
    if roles.is_program_staff(request.user):
        return "staff", None
    supplier = user_supplier(request)
    if supplier is not None:
        return "sme", supplier
    provider = user_provider(request)
    if provider is not None:
        return "provider", provider
    return None, None


class SupportRolePermission(BasePermission):
    """Staff always; SME users and providers for the actions the view lists in ``role_actions``."""

    def has_permission(self, request, view):
        role, _who = reader(request)
        if role == "staff":
            return True
        if role is None:
            return False
        return getattr(view, "action", None) in getattr(view, "role_actions", {}).get(role, ())
