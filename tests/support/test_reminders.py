"""Reminders through the outbox, in each person's language, once per event, respecting preferences."""

import datetime

import pytest
from django.utils import timezone

from core.models import NotificationPreference, OutboundMessage
from support import services
from support.services.reminders import send_reminders

from .factories import SupportWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return SupportWorld()


def test_items_due_in_7_days_and_overdue_remind_the_sme_and_the_provider_once(world):
    plan = world.plan()  # its improvement item is due in 5 days
    item = plan.items.get(kind="improvement")
    services.plan_item_update(
        item=item, actor=world.staff, expected_version=item.version, due_date=world.today + datetime.timedelta(days=7)
    )
    assert send_reminders(today=world.today)["plan_items"] == 2
    recipients = set(OutboundMessage.objects.filter(template="plan_item_due").values_list("recipient", flat=True))
    assert recipients == {world.sme_user.email, world.provider.email}
    message = OutboundMessage.objects.get(template="plan_item_due", recipient=world.sme_user.email)
    assert message.language == "es-mx" and "7 días" in message.body
    assert send_reminders(today=world.today)["plan_items"] == 2  # the same events: no new rows
    assert OutboundMessage.objects.filter(template="plan_item_due").count() == 2
    later = world.today + datetime.timedelta(days=8)
    send_reminders(today=later)
    assert OutboundMessage.objects.filter(template="plan_item_overdue").count() == 2


def test_a_person_who_turned_a_reminder_off_does_not_get_it(world, client):
    plan = world.plan()
    item = plan.items.get(kind="improvement")
    client.force_login(world.sme_user)
    response = client.post("/notificaciones/", {"by_email": ["plan_item_due", "session_tomorrow"]})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=world.sme_user, reminder="plan_item_overdue").by_email is False
    send_reminders(today=item.due_date + datetime.timedelta(days=1))
    assert list(OutboundMessage.objects.values_list("recipient", flat=True)) == [world.provider.email]


def test_unlogged_visits_and_tomorrows_sessions(world):
    services.visit_schedule(
        provider=world.provider,
        candidate=world.candidate,
        actor=world.staff,
        scheduled_for=world.today - datetime.timedelta(days=8),
    )
    trainer = world.make_provider(name="Instructora Tres", kind="trainer")
    course = services.course_create(actor=world.staff, cohort=world.cohort, title="Core tools", trainer=trainer)
    start = timezone.now() + datetime.timedelta(days=1)
    services.session_create(
        course=course, actor=world.staff, starts_at=start, ends_at=start + datetime.timedelta(hours=2), online=True
    )
    services.enrol(
        course=course,
        candidate=world.candidate,
        actor=world.staff,
        participants=[{"name": "Ana", "email": "ana@pyme.mx", "language": "en"}, {"name": "Luis"}],
    )
    counts = send_reminders(today=timezone.localdate())
    assert counts["unlogged_visits"] == 1 and counts["sessions_tomorrow"] == 1
    session_mail = OutboundMessage.objects.get(template="session_tomorrow")
    assert session_mail.recipient == "ana@pyme.mx" and session_mail.language == "en" and "online" in session_mail.body
    assert OutboundMessage.objects.get(template="visit_unlogged").recipient == world.provider.email
