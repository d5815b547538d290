"""Writes of the reports app: requesting and building background exports."""

import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.files import save_in_transaction
from core.queued import enqueue_on_commit

from . import exports
from .models import ReportExport
from .selectors.scope import ReportScope


@transaction.atomic
def export_request(*, actor, kind: str, file_format: str, scope: ReportScope) -> ReportExport:
    """Record an export request and build it in the background once this transaction commits."""
    export = ReportExport(
        program=scope.program, kind=kind, file_format=file_format, params=scope.as_params(), requested_by=actor
    )
    export.full_clean()
    export.save()
    from .tasks import build_export

    enqueue_on_commit(build_export, export.pk)
    return export


def export_build(*, export_id: int) -> ReportExport:
    """Build the file of a pending export. Idempotent: a ready export is returned untouched.

    The file is written to a temporary file first and stored in one step, so a failure never
    leaves a half-written download behind; errors mark the export failed (with the message).
    """
    export = ReportExport.objects.get(pk=export_id)
    if export.status == ReportExport.Status.READY and export.file:
        return export
    scope = ReportScope.from_params(export.params)
    rows = exports.export_rows(export.kind, scope)
    suffix = f".{export.file_format}"
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        if export.file_format == ReportExport.Format.CSV:
            with open(tmp_path, "w", encoding="utf-8", newline="") as fh:
                count = exports.write_csv(rows, fh)
        else:
            with open(tmp_path, "wb") as fh:
                count = exports.write_xlsx(rows, fh, title=export.kind)
        with transaction.atomic():
            locked = ReportExport.objects.select_for_update().get(pk=export_id)
            if locked.status == ReportExport.Status.READY and locked.file:
                return locked  # another run finished first
            if locked.file:
                locked.file.delete(save=False)
            with open(tmp_path, "rb") as fh:
                save_in_transaction(locked.file, export.filename, File(fh))
            locked.status = ReportExport.Status.READY
            locked.row_count = count
            locked.error = ""
            locked.finished_at = timezone.now()
            locked.full_clean()
            locked.save()
            return locked
    finally:
        tmp_path.unlink(missing_ok=True)


@transaction.atomic
def export_mark_failed(*, export_id: int, error: str) -> ReportExport:
    export = ReportExport.objects.select_for_update().get(pk=export_id)
    if export.status != ReportExport.Status.READY:
        export.status = ReportExport.Status.FAILED
        export.error = error[:2000]
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return export
