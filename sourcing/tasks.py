"""Celery tasks of the sourcing app: thin; they call a service."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="sourcing.tasks.rank_opportunity", acks_late=True)
def rank_opportunity(opportunity_id: int) -> int:
    """Compute and store the ranked SMEs of one opportunity (idempotent: the ranks are replaced)."""
    from .services.matching import opportunity_rank

    return opportunity_rank(opportunity_id=opportunity_id)


@shared_task(name="sourcing.tasks.rank_for_supplier", acks_late=True)
def rank_for_supplier(supplier_id: int) -> int:
    """An SME's data changed: bring its rank up to date in the open opportunities of the areas it supplies (and
    those where it is ranked), with the ranking statement restricted to that SME. Returns how many."""
    from .services.matching import open_opportunities_for_supplier, supplier_rank

    ids = open_opportunities_for_supplier(supplier_id)
    for opportunity_id in ids:
        supplier_rank(opportunity_id=opportunity_id, supplier_id=supplier_id)
    return len(ids)


@shared_task(name="sourcing.tasks.send_reminders", acks_late=True)
def send_reminders() -> dict[str, int]:
    """Daily: the digest of new opportunities to eligible SMEs, deadlines in three days. Idempotent (one
    message per event and person, ``dedupe_key``)."""
    from .services.notifications import send_deadline_reminders, send_new_opportunity_digests

    return {"digests": send_new_opportunity_digests(), "deadlines": send_deadline_reminders()}


def rank_supplier_after_commit(supplier_id: int) -> None:
    """Rank the open opportunities of ``supplier_id``'s areas again once the current transaction commits.

    A refreshed rank is a convenience, never worth failing the change that asked for it: when the broker
    refuses (Redis down), the refusal is logged and the ranks stay as they were until the next change or
    the next ranking of the opportunity."""
    from django.db import transaction

    def publish() -> None:
        from core.queued import PUBLISH_RETRY

        try:
            rank_for_supplier.apply_async(args=[supplier_id], retry=True, retry_policy=PUBLISH_RETRY)
        except Exception:  # the broker's refusal, whatever its client raises
            logger.warning("ranking of supplier %s not queued: the broker refused", supplier_id, exc_info=True)

    transaction.on_commit(publish)
