"""Permission checks of the sourcing pages: plain functions returning ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from core import roles
from programs.models import AnchorReviewer


def anchor_link(user) -> AnchorReviewer | None:
    """The user's active link to an active anchor company, or None."""
    if roles.anchor_of(user) is None:
        return None
    return AnchorReviewer.objects.select_related("anchor").filter(user=user, is_active=True).first()


def is_anchor_administrator(user) -> tuple[bool, str]:
    link = anchor_link(user)
    if link is not None and link.is_administrator:
        return True, ""
    return False, _("Only your company's administrator in the program can invite colleagues.")


def acts_for_anchor(user, anchor_id: int) -> bool:
    """Program staff of the anchor's program, or an active user of this anchor company."""
    if roles.is_program_staff(user):
        from programs.models import AnchorCompany
        from programs.selectors import scoped

        return scoped(AnchorCompany.objects.filter(pk=anchor_id), user).exists()
    anchor = roles.anchor_of(user)
    return anchor is not None and anchor.pk == anchor_id


def acts_for_supplier(user, supplier_id: int) -> bool:
    """An SME user of this supplier (staff act for an SME only where a service says so)."""
    supplier = roles.supplier_of(user)
    return supplier is not None and supplier.pk == supplier_id


def is_anchor_user(user) -> tuple[bool, str]:
    if roles.anchor_of(user) is not None:
        return True, ""
    return False, _("Only the users of an anchor company can use these pages.")


def is_sme(user) -> tuple[bool, str]:
    if roles.supplier_of(user) is not None:
        return True, ""
    return False, _("Only SME users can see their sourcing opportunities.")


def is_staff(user) -> tuple[bool, str]:
    if roles.is_program_staff(user):
        return True, ""
    return False, _("Only program staff can moderate sourcing opportunities.")
