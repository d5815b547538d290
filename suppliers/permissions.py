"""Who may do what with a registration; each check returns ``(allowed, reason)``."""

from core.roles import has_staff_or_anchor_role, is_program_staff

from .models import Document, Supplier
from .selectors import supplier_for_user


def can_review_registrations(user) -> tuple[bool, str]:
    if is_program_staff(user):
        return True, ""
    return False, "only program staff review registrations"


def can_register_company(user) -> tuple[bool, str]:
    """One role per account: staff and anchor accounts do not register an SME."""
    if has_staff_or_anchor_role(user):
        return False, "staff and anchor accounts cannot register a company"
    return True, ""


def can_view_supplier(user, supplier: Supplier) -> tuple[bool, str]:
    if is_program_staff(user):
        return True, ""
    own = supplier_for_user(user)
    if own is not None and own.pk == supplier.pk:
        return True, ""
    return False, "not this SME's contact"


def can_download_document(user, document: Document) -> tuple[bool, str]:
    return can_view_supplier(user, document.supplier)


def can_edit_profile(user, supplier: Supplier) -> tuple[bool, str]:
    allowed, reason = can_view_supplier(user, supplier)
    if not allowed:
        return allowed, reason
    if not supplier.program.profile_editing_open:
        return False, "profile editing is closed"
    if supplier.status not in (Supplier.Status.SUBMITTED, Supplier.Status.VERIFIED):
        return False, "only submitted or verified registrations are edited from the account"
    return True, ""


def can_invite_smes(user) -> tuple[bool, str]:
    """Program staff import lists of SMEs to invite (for the programs they work on)."""
    if is_program_staff(user):
        return True, ""
    return False, "only program staff invite SMEs to register"
