"""Reminders of follow-up answers (Celery beat, daily): through the outbox, in each contact's language, weekly
until the SME sends its answer or the round closes, only to people who did not turn the reminder off."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.models import NotificationPreference
from core.notifications import Notice, notify, notify_many, wants_email
from suppliers.models import Contact

from ..models import OutcomeResponse, OutcomeRound

REMINDER = "outcome_survey"
EVERY_DAYS = 7


def _people(supplier_id: int) -> list[tuple[str, str, Any]]:
    """(email, language, user) of the SME's contacts with an account, or its primary contact."""
    contacts = list(
        Contact.objects.filter(supplier_id=supplier_id).select_related("user").order_by("-is_primary", "pk")
    )
    return _chosen(contacts)


def _chosen(contacts: list[Contact]) -> list[tuple[str, str, Any]]:
    """Of one SME's contacts (primary first, then by id): those with an account, or the primary contact."""
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
            program=round_.program_id,  # the partners of the round's program
        )
        sent = 1
    if sent:
        OutcomeResponse.objects.filter(pk=response.pk).update(
            reminders_sent=response.reminders_sent + 1, last_reminded_on=today
        )
    return sent


def remind_responses(responses: Iterable[OutcomeResponse], *, template: str, today: datetime.date | None = None) -> int:
    """``remind_response`` for many answers of one round at once: the contacts and their preferences read in two
    queries, the messages written by ``notify_many``, the answers' reminder counts by one statement. Returns how
    many answers had someone told."""
    today = today or timezone.localdate()
    responses = list(responses)
    if not responses:
        return 0
    by_supplier: dict[int, list[Contact]] = defaultdict(list)
    for contact in (
        Contact.objects.filter(supplier_id__in={r.supplier_id for r in responses})
        .select_related("user")
        .order_by("supplier_id", "-is_primary", "pk")
    ):
        by_supplier[contact.supplier_id].append(contact)
    people = {supplier_id: _chosen(contacts) for supplier_id, contacts in by_supplier.items()}
    users = {user.pk for chosen in people.values() for _e, _l, user in chosen if user is not None}
    declined = set(
        NotificationPreference.objects.filter(user_id__in=users, reminder=REMINDER, by_email=False).values_list(
            "user_id", flat=True
        )
    )
    notices, reminded = [], []
    for response in responses:
        round_ = response.round
        context = {
            "round": round_.name,
            "closes_on": round_.closes_on.isoformat(),
            "path": reverse("outcomes:survey", args=[response.pk]),
        }
        sent = False
        for email, language, user in people.get(response.supplier_id, ()):
            if user is not None and user.pk in declined:
                continue
            notices.append(
                Notice(
                    template=template,
                    recipient=email,
                    language=language,
                    context=context,
                    dedupe_key=f"{template}:{response.pk}:{today.isoformat()}:{email}",
                    program=round_.program_id,  # the partners of the round's program
                )
            )
            sent = True
        if sent:
            reminded.append(response.pk)
    notify_many(notices)
    OutcomeResponse.objects.filter(pk__in=reminded).update(
        reminders_sent=F("reminders_sent") + 1, last_reminded_on=today
    )
    return len(reminded)


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
