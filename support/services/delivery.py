"""Providers, their assignments to selected SMEs, and visits (logged, then confirmed or disputed)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Candidate
from core import audit
from core.concurrency import save_versioned

from ..models import Assignment, PlanItem, Provider, Visit
from .common import jsonable, refuse_unknown, require_selected

PROVIDER_FIELDS = ("program", "user", "kind", "name", "organization", "email", "language", "specialties", "is_active")
VISIT_LOG_FIELDS = ("kind", "date", "hours", "topics", "agreements", "next_steps")


def _check_specialties(provider: Provider) -> None:
    if not isinstance(provider.specialties, list) or not all(isinstance(s, str) and s for s in provider.specialties):
        raise ValidationError({"specialties": _("Give the specialties as a list of dimension codes.")})


@transaction.atomic
def provider_create(*, actor, **data) -> Provider:
    refuse_unknown(data, PROVIDER_FIELDS)
    provider = Provider(**data)
    provider.full_clean()
    _check_specialties(provider)
    provider.save()
    audit.record(
        provider,
        action="provider_created",
        actor=actor,
        changes=jsonable(model_to_dict(provider, fields=PROVIDER_FIELDS)),
    )
    return provider


@transaction.atomic
def provider_update(*, provider: Provider, actor, **data) -> Provider:
    refuse_unknown(data, PROVIDER_FIELDS)
    before = jsonable(model_to_dict(provider, fields=list(data)))
    for name, value in data.items():
        setattr(provider, name, value)
    provider.full_clean()
    _check_specialties(provider)
    provider.save()
    audit.record(
        provider,
        action="provider_updated",
        actor=actor,
        changes={"before": before, "after": jsonable(model_to_dict(provider, fields=list(data)))},
    )
    return provider


@transaction.atomic
def assignment_create(
    *, provider: Provider, candidate: Candidate, actor, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> Assignment:
    require_selected(candidate)
    if provider.program_id != candidate.cohort.program_id:
        raise ValidationError({"provider": _("This provider works for another program.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end comes before the start.")})
    assignment = Assignment(provider=provider, candidate=candidate, starts_on=starts_on, ends_on=ends_on)
    assignment.full_clean()
    assignment.save()
    audit.record(
        candidate,
        action="provider_assigned",
        actor=actor,
        changes={
            "provider": provider.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return assignment


@transaction.atomic
def assignment_end(*, assignment: Assignment, actor, ends_on: datetime.date) -> Assignment:
    if ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("The end comes before the start.")})
    assignment.ends_on = ends_on
    assignment.full_clean()
    assignment.save(update_fields=["ends_on", "updated_at"])
    audit.record(
        assignment.candidate,
        action="provider_assignment_ended",
        actor=actor,
        changes={"provider": assignment.provider_id, "ends_on": ends_on.isoformat()},
    )
    return assignment


def is_assigned(provider: Provider, candidate: Candidate, on: datetime.date) -> bool:
    return (
        Assignment.objects.filter(provider=provider, candidate=candidate, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .exists()
    )


def _check_visit(visit: Visit, items: list[PlanItem] | None) -> None:
    on = visit.date or visit.scheduled_for or timezone.localdate()
    if not is_assigned(visit.provider, visit.candidate, on):
        raise ValidationError({"candidate": _("This SME is not assigned to the provider on that date.")})
    if visit.date and visit.date > timezone.localdate():
        raise ValidationError({"date": _("A visit is logged once it has happened: the date cannot be in the future.")})
    if visit.hours is not None and visit.hours < 0:
        raise ValidationError({"hours": _("Hours cannot be negative.")})
    if visit.status != Visit.Status.SCHEDULED and not visit.hours:
        raise ValidationError({"hours": _("Give the hours the visit lasted.")})
    for item in items or ():
        if item.plan.candidate_id != visit.candidate_id:
            raise ValidationError({"items": _("Choose items of this SME's plan.")})


@transaction.atomic
def visit_schedule(
    *, provider: Provider, candidate: Candidate, actor, scheduled_for: datetime.date, kind: str = Visit.Kind.CONSULTING
) -> Visit:
    require_selected(candidate)
    visit = Visit(
        provider=provider, candidate=candidate, kind=kind, status=Visit.Status.SCHEDULED, scheduled_for=scheduled_for
    )
    visit.full_clean()
    _check_visit(visit, None)
    visit.save()
    audit.record(visit, action="visit_scheduled", actor=actor, changes={"scheduled_for": scheduled_for.isoformat()})
    return visit


@transaction.atomic
def visit_log(
    *,
    provider: Provider,
    candidate: Candidate,
    actor,
    visit: Visit | None = None,
    items: list[PlanItem] | None = None,
    expected_version: int | None = None,
    **data,
) -> Visit:
    """The provider's record of a visit or session: a new one, or a scheduled one now done. It waits for the SME."""
    refuse_unknown(data, VISIT_LOG_FIELDS)
    require_selected(candidate)
    if visit is None:
        visit = Visit(provider=provider, candidate=candidate, status=Visit.Status.LOGGED)
    elif visit.status != Visit.Status.SCHEDULED or visit.provider_id != provider.pk:
        raise ValidationError({"status": _("Only a scheduled visit of yours can be logged.")})
    for name, value in data.items():
        setattr(visit, name, value)
    new = visit.pk is None
    previous = visit.status
    if visit.date is None:
        raise ValidationError({"date": _("Give the date of the visit.")})
    visit.status = Visit.Status.LOGGED
    visit.logged_at = timezone.now()
    if visit.hours is None:
        visit.hours = Decimal("0")
    visit.full_clean()
    _check_visit(visit, items)
    if new:
        visit.save()
    else:
        save_versioned(visit, expected_version=expected_version, fields=[*data, "status", "logged_at"])
    if items is not None:
        visit.items.set(items)
    audit.record(
        visit,
        action="transition",
        actor=actor,
        from_state=previous if not new else "",
        to_state=Visit.Status.LOGGED,
        changes=jsonable({k: data[k] for k in data}),
    )
    return visit


@transaction.atomic
def visit_answer(*, visit: Visit, actor, confirm: bool, reason: str = "", expected_version: int | None = None) -> Visit:
    """The SME confirms the visit (its hours count) or disputes it, saying why."""
    if visit.status != Visit.Status.LOGGED:
        raise ValidationError({"status": _("This visit is not waiting for your answer.")})
    if not confirm and not reason.strip():
        raise ValidationError({"dispute_reason": _("Say what is wrong with this record.")})
    previous = visit.status
    visit.status = Visit.Status.CONFIRMED if confirm else Visit.Status.DISPUTED
    visit.dispute_reason = "" if confirm else reason.strip()
    visit.answered_at = timezone.now()
    visit.full_clean()
    save_versioned(visit, expected_version=expected_version, fields=["status", "dispute_reason", "answered_at"])
    audit.record(
        visit, action="transition", actor=actor, from_state=previous, to_state=visit.status, reason=visit.dispute_reason
    )
    return visit


@transaction.atomic
def visit_resolve(*, visit: Visit, actor, confirm: bool, resolution: str, expected_version: int | None = None) -> Visit:
    """Staff settle a disputed visit: confirmed (its hours count) or rejected (they do not)."""
    if visit.status != Visit.Status.DISPUTED:
        raise ValidationError({"status": _("Only a disputed visit is resolved.")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the dispute was settled.")})
    previous = visit.status
    visit.status = Visit.Status.CONFIRMED if confirm else Visit.Status.REJECTED
    visit.resolution = resolution.strip()
    visit.full_clean()
    save_versioned(visit, expected_version=expected_version, fields=["status", "resolution"])
    audit.record(
        visit, action="transition", actor=actor, from_state=previous, to_state=visit.status, reason=visit.resolution
    )
    return visit
