"""Who may see reports and download exports (plain functions returning ``(allowed, reason)``).

Reports are for program staff only: anchor reviewers and SMEs see none (see docs/reports.md).
"""

from django.utils.translation import gettext as _

from core.roles import is_program_staff

from .models import ReportExport


def can_view_reports(user) -> tuple[bool, str]:
    if not getattr(user, "is_authenticated", False):
        return False, _("Log in to see reports.")
    if not is_program_staff(user):
        return False, _("Only program staff can see reports.")
    return True, ""


def can_download_export(user, export: ReportExport) -> tuple[bool, str]:
    allowed, reason = can_view_reports(user)
    if not allowed:
        return allowed, reason
    if export.requested_by_id != user.pk and not user.is_superuser:
        return False, _("Only the person who requested an export can download it.")
    if export.status != ReportExport.Status.READY or not export.file:
        return False, _("This export is not ready.")
    return True, ""
