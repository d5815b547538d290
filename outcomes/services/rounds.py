"""Follow-up rounds: scheduled for a cohort's selected SMEs and its comparison group, opened, chased, closed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Candidate, Cohort
from core import audit
from core.concurrency import save_versioned

from ..models import OutcomeResponse, OutcomeRound
from .reminders import remind_responses

# How far below the selection line (growth index points, 0-100) a not-selected eligible SME still counts as
# "just below the line" for the comparison group. The waitlist counts whatever its index.
COMPARISON_BAND = Decimal("15")


def selection_line(cohort: Cohort) -> Decimal | None:
    """The growth index of the last SME selected (the lowest index among the selected)."""
    return cohort.candidates.filter(status=Candidate.Status.SELECTED).aggregate(line=Min("growth_index"))["line"]


def round_members(cohort: Cohort, *, band: Decimal = COMPARISON_BAND) -> list[tuple[int, str, Decimal | None]]:
    """``(supplier_id, group, growth_index)`` of the selected SMEs and the comparison group: eligible SMEs not
    selected that are waitlisted or whose growth index is within ``band`` below the selection line."""
    line = selection_line(cohort)
    members = [
        (c["supplier_id"], OutcomeResponse.Group.SELECTED, c["growth_index"])
        for c in cohort.candidates.filter(status=Candidate.Status.SELECTED).values("supplier_id", "growth_index")
    ]
    comparison = cohort.candidates.filter(is_eligible=True, status=Candidate.Status.WAITLISTED)
    if line is not None:
        comparison = comparison | cohort.candidates.filter(
            is_eligible=True, status=Candidate.Status.NOT_SELECTED, growth_index__gte=line - band
        )
    members += [
        (c["supplier_id"], OutcomeResponse.Group.COMPARISON, c["growth_index"])
        for c in comparison.values("supplier_id", "growth_index").distinct()
    ]
    return sorted(members, key=lambda m: m[0])


@transaction.atomic
def round_schedule(
    *,
    actor,
    cohort: Cohort,
    kind: str,
    name: str,
    period_start: datetime.date,
    period_end: datetime.date,
    opens_on: datetime.date,
    closes_on: datetime.date,
    band: Decimal = COMPARISON_BAND,
) -> OutcomeRound:
    """Schedule a round and one pending answer per member SME. A follow-up needs the cohort's baseline and
    asks the same SMEs (so before and after compare the same firms)."""
    baseline = OutcomeRound.objects.filter(cohort=cohort, kind=OutcomeRound.Kind.BASELINE).first()
    if kind == OutcomeRound.Kind.FOLLOW_UP and baseline is None:
        raise ValidationError({"kind": _("Schedule the baseline round of this cohort first.")})
    if kind == OutcomeRound.Kind.BASELINE and baseline is not None:
        raise ValidationError({"kind": _("This cohort already has a baseline round.")})
    round_ = OutcomeRound(
        program=cohort.program,
        cohort=cohort,
        kind=kind,
        name=name,
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    round_.full_clean()
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The round must close after it opens.")})
    round_.save()
    if baseline is None:
        members = round_members(cohort, band=band)
    else:
        members = list(baseline.responses.values_list("supplier_id", "group", "growth_index"))
    if not members:
        raise ValidationError(_("This cohort has no selected SMEs yet."))
    OutcomeResponse.objects.bulk_create(
        OutcomeResponse(round=round_, supplier_id=s, group=g, growth_index=i) for s, g, i in members
    )
    audit.record(round_, action="round_scheduled", actor=actor, to_state=round_.status, changes={"smes": len(members)})
    return round_


def _transition(round_: OutcomeRound, to: str, *, actor, expected_version: int | None) -> None:
    if to not in OutcomeRound.TRANSITIONS[OutcomeRound.Status(round_.status)]:
        raise ValidationError(_("This round cannot go from %(a)s to %(b)s.") % {"a": round_.status, "b": to})
    before = round_.status
    round_.status = to
    if to == OutcomeRound.Status.CLOSED:
        round_.closed_at = timezone.now()
    save_versioned(round_, expected_version=expected_version, fields=["status", "closed_at"])
    audit.record(round_, action=f"round_{to}", actor=actor, from_state=before, to_state=to)


@transaction.atomic
def round_open(
    *, actor, round_: OutcomeRound, expected_version: int | None = None, today: datetime.date | None = None
) -> OutcomeRound:
    """Open the round: the SMEs can answer and are told so (outbox)."""
    _transition(round_, OutcomeRound.Status.OPEN, actor=actor, expected_version=expected_version)
    responses = round_.responses.exclude(status=OutcomeResponse.Status.SUBMITTED).select_related("round")
    remind_responses(responses, template="outcome_round_open", today=today)
    return round_


@transaction.atomic
def round_close(*, actor, round_: OutcomeRound, expected_version: int | None = None) -> OutcomeRound:
    """Close the round (no more answers or reminders): keep on each answer what other modules record in the
    period, then compute and store its estimates and its indicator values."""
    from .estimates import round_estimates_compute
    from .results import responses_record_sources, round_indicators_store

    _transition(round_, OutcomeRound.Status.CLOSED, actor=actor, expected_version=expected_version)
    responses_record_sources(round_=round_)
    round_estimates_compute(round_=round_)
    round_indicators_store(round_=round_)
    return round_


@transaction.atomic
def round_chase(*, actor, round_: OutcomeRound) -> int:
    """Remind now every SME of an open round that has not sent its answer; returns how many were reminded."""
    if round_.status != OutcomeRound.Status.OPEN:
        raise ValidationError(_("Only an open round can be chased."))
    responses = round_.responses.exclude(status=OutcomeResponse.Status.SUBMITTED).select_related("round")
    sent = remind_responses(responses, template="outcome_round_reminder", today=timezone.localdate())
    audit.record(round_, action="round_chased", actor=actor, changes={"reminded": sent})
    return sent
