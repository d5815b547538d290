"""``notify_many``: many outbox messages in a few statements, with ``notify``'s guarantees."""

import pytest
from django.core import mail

from core import notifications
from core.models import OutboundMessage
from core.notifications import Notice, notify, notify_many

pytestmark = pytest.mark.django_db


def _notice(n: int, language: str = "es-mx", key: str | None = None) -> Notice:
    return Notice(
        template="registration_received",
        recipient=f"pyme{n}@example.com",
        language=language,
        context={"legal_name": f"PyME {n}", "supplier_name": f"PyME {n}"},
        dedupe_key=key if key is not None else f"test:{n}",
    )


def test_writes_each_message_once_in_its_language_and_sends_them_on_commit(django_capture_on_commit_callbacks):
    notify(**vars(_notice(0)))  # already in the outbox: not written again
    mail.outbox.clear()
    notices = [_notice(n, language="en" if n % 2 else "es-mx") for n in range(5)] + [_notice(3)]
    with django_capture_on_commit_callbacks(execute=True):
        ids = notify_many(notices)
    assert len(ids) == 4  # 0 was there before, 3 is given twice
    rows = OutboundMessage.objects.filter(pk__in=ids).order_by("recipient")
    assert [r.recipient for r in rows] == [f"pyme{n}@example.com" for n in (1, 2, 3, 4)]
    assert {r.language for r in rows} == {"en", "es-mx"}
    english, spanish = rows.get(recipient="pyme1@example.com"), rows.get(recipient="pyme2@example.com")
    assert english.subject != spanish.subject  # rendered in each recipient's language
    assert all(r.status == OutboundMessage.Status.SENT for r in rows)  # tasks run in-process here
    assert sorted(m.to[0] for m in mail.outbox) == [f"pyme{n}@example.com" for n in (1, 2, 3, 4)]
    assert OutboundMessage.objects.filter(dedupe_key="test:3").count() == 1


def test_a_batch_is_queued_in_tasks_of_send_batch(django_capture_on_commit_callbacks, monkeypatch):
    sent: list[list[int]] = []
    monkeypatch.setattr(notifications, "SEND_BATCH", 3)
    monkeypatch.setattr("core.tasks.send_messages.apply_async", lambda args, **kw: sent.append(args[0]))
    with django_capture_on_commit_callbacks(execute=True):
        ids = notify_many([_notice(n) for n in range(7)])
    assert sent == [ids[0:3], ids[3:6], ids[6:7]]


def test_rolled_back_with_the_change_and_written_in_constant_queries(django_assert_max_num_queries):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        notify_many([_notice(n) for n in range(3)])
        raise RuntimeError
    assert not OutboundMessage.objects.exists()
    with django_assert_max_num_queries(6):  # the keys taken, a savepoint, the insert
        notify_many([_notice(n) for n in range(300)])
    assert OutboundMessage.objects.count() == 300


def test_held_messages_stay_pending_for_the_periodic_sender(django_capture_on_commit_callbacks):
    from core.tasks import send_due_messages

    mail.outbox.clear()
    with notifications.held(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_many([_notice(n) for n in range(3)])
        notify(**vars(_notice(9)))
    assert callbacks == []
    assert OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING).count() == 4
    assert mail.outbox == []
    assert send_due_messages() == 4
    assert len(mail.outbox) == 4


def test_each_template_renders_the_text_notify_renders():
    """``notify_many`` renders a template once per set of the values it does not only print, and puts each
    message's printed values in: the same subject and body as rendering each message in full (``notify``)."""
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    templates = sorted(p.name.removesuffix(".subject.txt") for p in folder.glob("*.subject.txt"))
    assert "selection_result" in templates
    odd = ["Aceros & Forjas <Norte>", "50 % más, {{ x }} %(name)s", "línea\nnueva\ty\x07control", ""]
    notices = []
    for template in templates:
        plain, lists, truthy = notifications._printed_names(template)
        names = sorted(plain | lists | truthy)
        for n, value in enumerate(odd):
            context: dict = {name: f"{value} {i}" for i, name in enumerate(names)}
            context |= {name: [value, f"otra {i}", value][:n] for i, name in enumerate(sorted(lists))}
            context |= {"status": "waitlisted", "waitlist_rank": n, "reason": value}
            for language in ("es-mx", "en"):
                notices.append(Notice(template=template, recipient="a@example.com", language=language, context=context))
    assert notifications._printed_names("selection_result") == (
        {"supplier_name", "cohort", "status_label", "staff_note_label", "site_url"},
        {"reasons"},
        {"reason", "staff_note", "waitlist_rank"},  # printed when true
    )
    names = ["INA", "IFC", "Secretaría de Economía"]
    partners = {("a@example.com", None): names}
    assert notifications._rendered_all(notices, partners) == [notifications._rendered(n, names) for n in notices]
    # The program's partners, named by the included signature, are in every message.
    assert all("Secretaría de Economía" in row["body"] for row in notifications._rendered_all(notices, partners))
