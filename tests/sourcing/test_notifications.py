"""Scheduled sourcing emails: the daily digest to eligible SMEs and the deadline in 3 days."""

import datetime

import pytest

from core.models import NotificationPreference, OutboundMessage
from sourcing import services
from sourcing.services.notifications import send_deadline_reminders, send_new_opportunity_digests
from tests.sourcing.world import SourcingWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return SourcingWorld()


def test_digest_once_a_day_only_to_eligible_smes(world):
    world.post(title="Primera")
    world.post(title="Segunda")
    assert send_new_opportunity_digests() == 1  # one person of the strong SME; the weak one misses requirements
    message = OutboundMessage.objects.get(template="sourcing_new_opportunities")
    assert message.recipient == world.sme_user.email and message.language == "es-mx"
    assert "Primera" in message.body and "Segunda" in message.body
    send_new_opportunity_digests()
    assert OutboundMessage.objects.filter(template="sourcing_new_opportunities").count() == 1


def test_digest_leaves_out_invited_only_and_respects_the_preference(world):
    world.post(title="Solo invitadas", visibility="invited")
    assert send_new_opportunity_digests() == 0
    world.post(title="Abierta")
    NotificationPreference.objects.create(user=world.sme_user, reminder="sourcing_new_opportunities", by_email=False)
    assert send_new_opportunity_digests() == 0


def test_deadline_in_three_days_to_smes_that_have_not_answered(world):
    opportunity = world.post(response_deadline=world.today + datetime.timedelta(days=3))
    services.invitation_create(opportunity=opportunity, supplier=world.strong, actor=world.reviewer_a)
    declined = services.invitation_create(opportunity=opportunity, supplier=world.weak, actor=world.reviewer_a)
    services.invitation_advance(invitation=declined, to="declined", actor=world.weak_user, reason="Sin capacidad")
    assert send_deadline_reminders() == 1
    assert send_deadline_reminders() == 1  # the same row again, not a second message
    message = OutboundMessage.objects.get(template="sourcing_deadline")
    assert message.recipient == world.sme_user.email
    assert send_deadline_reminders(today=world.today + datetime.timedelta(days=1)) == 0
