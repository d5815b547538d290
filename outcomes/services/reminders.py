"""Reminders of follow-up answers (Celery beat, daily): through the outbox, in each contact's language, weekly
until the SME sends its answer or the round closes, only to people who did not turn the reminder off."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.notifications import notify, wants_email
from suppliers.models import Contact

from ..models import OutcomeResponse, OutcomeRound

REMINDER = "outcome_survey"
EVERY_DAYS = 7


def _people(supplier_id: int) -> list[tuple[str, str, object]]:
    """(email, language, user) of the SME's contacts with an account, or its primary contact."""
    contacts = list(
        Contact.objects.filter(supplier_id=supplier_id).select_related("user").order_by("-is_primary", "pk")
    )
    with_account = [c for c in contacts if c.user is not None and c.user.is_active]
    chosen = with_account or [c for c in contacts if c.is_primary][:1]
    return [(c.email, c.language, c.user) for c in chosen if c.email]


def remind_response(response: OutcomeResponse, *, template: str, today: datetime.date | None = None) -> int:
    """Write the message to the SME's contacts (once per response, template and day); 1 when anyone got it."""
    today = today or timezone.localdate()
    round_ = response.round
    context = {
        "round": round_.name,
        "closes_on": round_.closes_on.isoformat(),
        "path": reverse("outcomes:survey", args=[response.pk]),
    }
    sent = 0
    for email, language, user in _people(response.supplier_id):
        if not wants_email(user, REMINDER):
            continue
        notify(
            template=template,
            recipient=email,
            language=language,
            context=context,
            dedupe_key=f"{template}:{response.pk}:{today.isoformat()}:{email}",
        )
        sent = 1
    if sent:
        OutcomeResponse.objects.filter(pk=response.pk).update(
            reminders_sent=response.reminders_sent + 1, last_reminded_on=today
        )
    return sent


def send_reminders(*, today: datetime.date | None = None) -> dict[str, int]:
    """Open the rounds due to open; remind, every ``EVERY_DAYS`` days, the SMEs of open rounds that have not
    sent their answer, until the round's closing day. Idempotent within a day."""
    from .rounds import round_open

    today = today or timezone.localdate()
    opened = 0
    for round_ in OutcomeRound.objects.filter(status=OutcomeRound.Status.SCHEDULED, opens_on__lte=today):
        round_open(actor=None, round_=round_, today=today)
        opened += 1
    due = (
        OutcomeResponse.objects.filter(
            round__status=OutcomeRound.Status.OPEN,
            round__opens_on__lte=today - datetime.timedelta(days=EVERY_DAYS),
            round__closes_on__gte=today,
        )
        .exclude(status=OutcomeResponse.Status.SUBMITTED)
        .exclude(last_reminded_on__gt=today - datetime.timedelta(days=EVERY_DAYS))
        .select_related("round")
        .order_by("pk")
    )
    reminded = 0
    for response in due.iterator(chunk_size=500):
        with transaction.atomic():
            reminded += remind_response(response, template="outcome_round_reminder", today=today)
    return {"opened": opened, "reminded": reminded}
