"""Permission checks of the outcomes pages: plain functions returning ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from core import roles


def can_manage_outcomes(user) -> tuple[bool, str]:
    if roles.is_program_staff(user):
        return True, ""
    return False, _("Only program staff can run follow-up rounds and read the results.")


def is_sme(user) -> tuple[bool, str]:
    if roles.supplier_of(user) is not None:
        return True, ""
    return False, _("Only SME users answer follow-up questionnaires.")
