import logging

from celery import shared_task
from django.db import OperationalError, transaction

from . import cache, services, tallies

logger = logging.getLogger(__name__)


@shared_task(
    name="reports.tasks.build_export",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=True,
    retry_backoff_max=300,
)
def build_export(self, export_id: int) -> str:
    """Build one report export file (idempotent: a ready export is not rebuilt)."""
    try:
        export = services.export_build(export_id=export_id)
    except OperationalError:
        if self.request.retries >= self.max_retries:
            services.export_mark_failed(export_id=export_id, error="database unavailable")
        raise
    except Exception as exc:  # bad parameters or a bug: record it on the export, do not retry forever
        logger.exception("report export %s failed", export_id)
        return services.export_mark_failed(export_id=export_id, error=f"{type(exc).__name__}: {exc}").status
    return export.status


@shared_task(name="reports.tasks.compact_data_changes")
def compact_data_changes() -> int:
    """Fold the report change log into one row (the data version stays the same; ``reports.cache``)."""
    with transaction.atomic():
        return cache.compact_data_changes()


@shared_task(name="reports.tasks.compact_registration_tallies")
def compact_registration_tallies() -> int:
    """Fold the committed transactions' registration tallies into one row per key (the sums stay the same;
    ``reports.tallies``)."""
    with transaction.atomic():
        return tallies.compact_registration_tallies()
