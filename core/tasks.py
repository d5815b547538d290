"""Celery tasks of the outbox: thin, idempotent, bounded retries with backoff."""

from celery import shared_task

from . import notifications
from .notifications import Delivery


@shared_task(
    bind=True,
    name="core.tasks.send_message",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def send_message(self, message_id: int) -> str:
    """Send one outbox message (idempotent: a sent message is not sent again).

    ``acks_late`` + ``reject_on_worker_lost``: a worker killed mid-send leaves
    the task in the queue and it runs again; the row lock and status make the
    second run send the message once.
    """
    result = notifications.deliver(message_id)
    if result is Delivery.RETRY and not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(countdown=int(notifications.backoff(self.request.retries + 1).total_seconds()))
    return result.value


@shared_task(name="core.tasks.send_messages", acks_late=True, reject_on_worker_lost=True)
def send_messages(message_ids: list[int]) -> int:
    """Send a batch of outbox messages (``notify_many``); each is sent at most once, as by ``send_message``.
    One that fails stays pending with its backoff, for ``send_due_messages``."""
    return sum(notifications.deliver(message_id) is Delivery.SENT for message_id in message_ids)


@shared_task(name="core.tasks.resend_queued_tasks")
def resend_queued_tasks() -> int:
    """Periodic (Celery beat): publish again the queued work that no worker has done in time."""
    from . import queued

    return queued.resend_due()


@shared_task(name="core.tasks.send_due_messages", acks_late=True)
def send_due_messages() -> int:
    """Periodic (Celery beat): send every pending message whose next attempt is due."""
    sent = 0
    for message_id in notifications.due_message_ids():
        sent += notifications.deliver(message_id) is Delivery.SENT
    return sent


@shared_task(name="core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Periodic (Celery beat): delete expired sessions (``manage.py clearsessions``), so no copy of
    what a session held (a login, form data) outlives it."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
