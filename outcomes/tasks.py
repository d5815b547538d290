"""Celery tasks of the outcomes app: thin; they call a service."""

from celery import shared_task

from .services.classes import company_classes_compute
from .services.reminders import send_reminders as send_all


@shared_task(name="outcomes.tasks.send_reminders", acks_late=True)
def send_reminders() -> dict[str, int]:
    """Daily: open the rounds due, remind the SMEs that have not answered (weekly). Idempotent."""
    return send_all()


@shared_task(name="outcomes.tasks.compute_company_classes", acks_late=True)
def compute_company_classes() -> int:
    """Daily: the IFC size class and women-owned/led class of every supplier, stored with today's date."""
    return company_classes_compute()
