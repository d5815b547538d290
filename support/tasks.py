"""Celery tasks of the support app: thin; they call a service."""

from celery import shared_task

from .services.reminders import send_reminders as send_all


@shared_task(name="support.tasks.send_reminders", acks_late=True)
def send_reminders() -> dict[str, int]:
    """Daily: plan items due and overdue, visits not logged, sessions tomorrow,
    financing cases 30 days in one step. Idempotent (one message per
    event and person, ``dedupe_key``)."""
    return send_all()
