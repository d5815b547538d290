"""The outbox: write a message with the change, send it after commit.

``notify`` renders the message in the recipient's language from
``templates/emails/<template>.subject.txt`` and ``.txt`` and stores it in
the same transaction as the caller's change; ``transaction.on_commit`` then
queues ``core.tasks.send_message``. If the broker is down the row stays
pending and ``core.tasks.send_due_messages`` (Celery beat) picks it up.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SUPPORTED_LANGUAGES = {"es-mx", "en"}


def _language(language: str | None) -> str:
    language = (language or settings.LANGUAGE_CODE).lower()
    return language if language in SUPPORTED_LANGUAGES else settings.LANGUAGE_CODE


def notify(
    *, template: str, recipient: str, language: str | None = None, context: dict | None = None
) -> OutboundMessage:
    language = _language(language)
    context = {"site_url": settings.SITE_URL, **(context or {})}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}.subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    message = OutboundMessage.objects.create(
        template=template,
        recipient=recipient,
        language=language,
        subject=subject[:255],
        body=body,
        context=context,
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int) -> None:
    from .tasks import send_message

    try:
        send_message.delay(message_id)
    except Exception:  # broker unreachable: the periodic task will resend it
        logger.warning("Could not queue outbound message %s; it stays pending", message_id, exc_info=True)


def backoff(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 ... minutes, at most a day."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 24 * 60))


def deliver(message_id: int) -> bool:
    """Send one message at most once; returns True if it is (now) sent.

    The row is locked while sending so two workers never send it twice; a
    message that already went out is left alone.
    """
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboundMessage.Status.PENDING:
            return message is not None and message.status == OutboundMessage.Status.SENT
        message.attempts += 1
        try:
            EmailMessage(
                subject=message.subject,
                body=message.body,
                to=[message.recipient],
                from_email=settings.DEFAULT_FROM_EMAIL,
            ).send()
        except Exception as exc:  # SMTP trouble: try again later
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboundMessage.Status.FAILED
            message.next_attempt_at = timezone.now() + backoff(message.attempts)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        message.status = OutboundMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def due_message_ids(limit: int = 500) -> list[int]:
    return list(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
