"""Who may call what on the sourcing API. Deny by default.

Program staff reach the opportunities of their programs and everything under them. An anchor reviewer reaches
its own company's opportunities, their ranked SMEs, invitations, responses and tracks. An SME user reaches the
opportunities it is invited to or eligible for, and its own invitations, responses and track (never a rank).
Providers, users without a role and anonymous visitors are refused. Each view also scopes its queryset to the
same rows, so rows out of reach answer 404.
"""

from rest_framework.permissions import BasePermission

from core import roles
from core.permissions import user_anchor, user_supplier

STAFF, ANCHOR, SME = "staff", "anchor", "sme"


def reader(request):
    """``("staff", None)``, ``("anchor", anchor company)``, ``("sme", supplier)`` or ``(None, None)``."""
    if roles.is_program_staff(request.user):
        return STAFF, None
    anchor = user_anchor(request)
    if anchor is not None:
        return ANCHOR, anchor
    supplier = user_supplier(request)
    if supplier is not None:
        return SME, supplier
    return None, None


class SourcingRolePermission(BasePermission):
    """Staff for every action the view has; anchors and SME users for the actions it lists in
    ``role_actions``; nobody else."""

    def has_permission(self, request, view):
        role, _who = reader(request)
        if role == STAFF:
            return True
        if role is None:
            return False
        return getattr(view, "action", None) in getattr(view, "role_actions", {}).get(role, ())
