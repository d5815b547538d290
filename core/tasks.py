from celery import shared_task

from . import notifications


@shared_task(name="core.tasks.send_message", acks_late=True, max_retries=5, default_retry_delay=30)
def send_message(message_id: int) -> bool:
    """Send one outbox message (idempotent: a sent message is not sent again)."""
    return notifications.deliver(message_id)


@shared_task(name="core.tasks.send_due_messages")
def send_due_messages() -> int:
    """Periodic: send every pending message whose next attempt is due."""
    sent = 0
    for message_id in notifications.due_message_ids():
        sent += bool(notifications.deliver(message_id))
    return sent
