"""API permission classes by role (DESIGN.md "Roles"). Deny by default.

- Program staff may do everything.
- An SME user reaches only its own supplier (and objects that belong to it).
- An anchor reviewer reaches only the objects its app's permission lets it see.
- Anyone else (anonymous, users without a role) is refused.

``RolePermission`` is the base of the role permissions each app declares in its
``api/permissions.py`` (``suppliers``: own supplier; ``cohorts``: an anchor's candidates).
Views also scope their querysets the same way, so objects outside a user's reach
answer 404 rather than 403 (nothing reveals that they exist).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from . import roles


class IsProgramStaff(BasePermission):
    """Members of the program staff group (or superusers)."""

    def has_permission(self, request, view):
        return roles.is_program_staff(request.user)


def user_supplier(request):
    """The requesting user's supplier, looked up once per request."""
    if not hasattr(request, "_sdp_supplier"):
        request._sdp_supplier = roles.supplier_of(request.user)
    return request._sdp_supplier


def user_provider(request):
    """The requesting user's provider record (consultant, mentor, trainer), looked up once per request."""
    if not hasattr(request, "_sdp_provider"):
        request._sdp_provider = roles.provider_of(request.user)
    return request._sdp_provider


def user_anchor(request):
    """The requesting user's anchor company, looked up once per request."""
    if not hasattr(request, "_sdp_anchor"):
        request._sdp_anchor = roles.anchor_of(request.user)
    return request._sdp_anchor


class RolePermission(BasePermission):
    """Base class: staff always; the roles a subclass names, with object checks; nobody else.

    Subclasses set ``allow_sme`` / ``allow_anchor`` and, for writes by those
    roles, ``sme_may_write`` / ``anchor_may_write``; they say which supplier an
    object belongs to (``supplier_id_of``) and what an anchor may see (``anchor_may_see``).
    """

    allow_sme = False
    allow_anchor = False
    sme_may_write = False
    anchor_may_write = False

    def has_permission(self, request, view):
        if roles.is_program_staff(request.user):
            return True
        safe = request.method in SAFE_METHODS
        if self.allow_sme and user_supplier(request) is not None and (safe or self.sme_may_write):
            return True
        if self.allow_anchor and user_anchor(request) is not None and (safe or self.anchor_may_write):
            return True
        return False

    def has_object_permission(self, request, view, obj):
        if roles.is_program_staff(request.user):
            return True
        supplier = user_supplier(request) if self.allow_sme else None
        if supplier is not None and self.supplier_id_of(obj) == supplier.pk:
            return True
        anchor = user_anchor(request) if self.allow_anchor else None
        if anchor is not None and self.anchor_may_see(anchor, obj):
            return True
        return False

    def supplier_id_of(self, obj):
        """The supplier an object belongs to (anything with ``supplier_id``)."""
        return getattr(obj, "supplier_id", None)

    def anchor_may_see(self, anchor, obj) -> bool:
        return False


class IsAnyRoleReadOnly(BasePermission):
    """Reference data (states, regions, standards ...): any user with a program role may read; staff write."""

    def has_permission(self, request, view):
        if roles.is_program_staff(request.user):
            return True
        if request.method not in SAFE_METHODS:
            return False
        return user_supplier(request) is not None or user_anchor(request) is not None
