"""Who may see and do what with diagnostics: plain functions returning ``(allowed, reason)``."""

from core.roles import is_program_staff, supplier_of

from .models import Diagnostic


def can_edit_diagnostics(user) -> tuple[bool, str]:
    if is_program_staff(user):
        return True, ""
    return False, "Only program staff schedule, fill in and validate diagnostics."


def can_view_published_results(user, diagnostic: Diagnostic) -> tuple[bool, str]:
    """The SME sees its own diagnostic once published; nobody else uses the SME page."""
    supplier = supplier_of(user)
    if supplier is None or supplier.pk != diagnostic.supplier_id:
        return False, "Not your diagnostic."
    if diagnostic.published_at is None:
        return False, "Not published yet."
    return True, ""
