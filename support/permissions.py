"""Permission checks of the support pages: plain functions returning ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from core import roles


def can_manage_support(user) -> tuple[bool, str]:
    if roles.is_program_staff(user):
        return True, ""
    return False, _("Only program staff can manage development plans.")


def is_provider(user) -> tuple[bool, str]:
    if roles.provider_of(user) is not None:
        return True, ""
    return False, _("Only consultants, mentors and trainers of the program can use these pages.")


def is_sme(user) -> tuple[bool, str]:
    if roles.supplier_of(user) is not None:
        return True, ""
    return False, _("Only SME users can see their development plan.")


def can_see_plan(user, plan) -> bool:
    """Staff see every plan; the SME its own; a provider the plans of the SMEs assigned to it today."""
    if roles.is_program_staff(user):
        return True
    supplier = roles.supplier_of(user)
    if supplier is not None:
        return plan.candidate.supplier_id == supplier.pk
    provider = roles.provider_of(user)
    if provider is not None:
        from .selectors import provider_candidates

        return provider_candidates(provider).filter(pk=plan.candidate_id).exists()
    return False


def can_manage_financing(user) -> tuple[bool, str]:
    if roles.is_program_staff(user):
        return True, ""
    return False, _("Only program staff can follow the financing pipeline.")


def is_sme_for_financing(user) -> tuple[bool, str]:
    if roles.supplier_of(user) is not None:
        return True, ""
    return False, _("Only SME users can see their financing cases.")


def can_open_financing_documents(user) -> tuple[bool, str]:
    """Staff, or an SME user (the view then serves only its own cases' documents)."""
    if roles.is_program_staff(user) or roles.supplier_of(user) is not None:
        return True, ""
    return False, _("Only program staff and the SME itself see a financing case's documents.")
