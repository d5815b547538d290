"""The outbox: written with the change, sent once, retried with backoff, deduplicated."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core import notifications, tasks
from core.models import OutboundMessage
from core.notifications import Delivery

pytestmark = pytest.mark.django_db(transaction=True)


def _notify(**kwargs):
    defaults = {
        "template": "registration_received",
        "recipient": "pyme@example.mx",
        "context": {"supplier_name": "Troqueles del Norte"},
    }
    return notifications.notify(**{**defaults, **kwargs})


def test_message_is_sent_on_commit_and_marked_sent():
    with transaction.atomic():
        message = _notify()
        assert mail.outbox == []  # nothing leaves before the commit
    row = OutboundMessage.objects.get(pk=message.pk)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None
    assert len(mail.outbox) == 1 and "Troqueles del Norte" in mail.outbox[0].body


def test_rolled_back_change_leaves_no_message():
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify()
        raise RuntimeError("the business change failed")
    assert OutboundMessage.objects.count() == 0 and mail.outbox == []


def test_same_business_event_enqueues_once():
    with transaction.atomic():
        first = _notify(dedupe_key="registration_received:supplier:1")
        second = _notify(dedupe_key="registration_received:supplier:1")
    assert first.pk == second.pk
    assert OutboundMessage.objects.count() == 1 and len(mail.outbox) == 1


def test_delivering_twice_sends_once():
    with transaction.atomic():
        message = _notify()
    assert notifications.deliver(message.pk) is Delivery.ALREADY_SENT
    assert tasks.send_due_messages() == 0
    assert len(mail.outbox) == 1


def test_recipient_language_is_stored_and_used(settings):
    with transaction.atomic():
        english = _notify(language="en")
        unknown = _notify(language="fr")
    assert english.language == "en"
    assert unknown.language == settings.LANGUAGE_CODE


def test_transient_smtp_error_backs_off_then_beat_sends(settings):
    settings.EMAIL_BACKEND = "tests.core.mail_backends.DownSMTPBackend"
    with transaction.atomic():
        message = _notify()
    row = OutboundMessage.objects.get(pk=message.pk)
    # in-process (eager) the task does not loop: the row waits for its next attempt
    assert row.status == "pending" and row.attempts == 1 and "SMTPConnectError" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert tasks.send_due_messages() == 0  # not due yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert tasks.send_due_messages() == 1
    assert tasks.send_due_messages() == 0
    assert len(mail.outbox) == 1
    assert OutboundMessage.objects.get(pk=row.pk).status == "sent"


def test_backoff_is_exponential_and_bounded():
    assert [notifications.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert notifications.backoff(40) == timedelta(days=1)


def test_gives_up_after_max_attempts(settings):
    settings.EMAIL_BACKEND = "tests.core.mail_backends.DownSMTPBackend"
    message = OutboundMessage.objects.create(
        template="t", recipient="a@example.mx", subject="s", body="b", attempts=notifications.MAX_ATTEMPTS - 1
    )
    assert notifications.deliver(message.pk) is Delivery.FAILED
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == notifications.MAX_ATTEMPTS
    assert notifications.retry_failed(message_ids=[message.pk]) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.deliver(message.pk) is Delivery.SENT


def test_permanent_error_fails_without_retry(settings):
    settings.EMAIL_BACKEND = "tests.core.mail_backends.BrokenTemplateBackend"
    message = OutboundMessage.objects.create(template="t", recipient="a@example.mx", subject="s", body="b")
    assert notifications.deliver(message.pk) is Delivery.FAILED
    assert OutboundMessage.objects.get(pk=message.pk).status == "failed"


@pytest.mark.parametrize(
    "backend, permanent",
    [
        ("RecipientRefusedBackend", True),  # 550 for the recipient
        ("RejectedMessageBackend", True),  # 554 for the message
        ("MailboxBusyBackend", False),  # 451: try later
        ("DownSMTPBackend", False),  # connection refused (421)
    ],
)
def test_smtp_5xx_fails_at_once_and_4xx_is_retried(settings, backend, permanent):
    settings.EMAIL_BACKEND = f"tests.core.mail_backends.{backend}"
    message = OutboundMessage.objects.create(template="t", recipient="a@example.mx", subject="s", body="b")
    outcome = notifications.deliver(message.pk)
    message.refresh_from_db()
    assert message.attempts == 1
    if permanent:
        assert (outcome, message.status) == (Delivery.FAILED, "failed")
    else:
        assert (outcome, message.status) == (Delivery.RETRY, "pending")
        assert message.next_attempt_at > timezone.now()


def test_missing_row_is_reported():
    assert notifications.deliver(999999) is Delivery.MISSING


def test_beat_schedule_runs_send_due_messages(settings):
    tasks_in_schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.send_due_messages" in tasks_in_schedule


def test_rendered_in_the_recipients_language(monkeypatch):
    from django.utils import translation

    seen = []
    real = notifications.render_to_string

    def spy(name, context, **kwargs):
        seen.append(translation.get_language())
        return real(name, context, **kwargs)

    monkeypatch.setattr(notifications, "render_to_string", spy)
    with translation.override("es-mx"), transaction.atomic():
        _notify(language="en")
    assert seen == ["en", "en"]  # subject and body, not the language of the request that caused them


def test_sent_message_has_a_stable_message_id():
    with transaction.atomic():
        message = _notify()
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<sdp-outbox-{message.pk}@sdp.example.mx>"
