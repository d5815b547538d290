"""Creating, editing and deleting cohorts (the settings staff choose before the optimizer runs)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.concurrency import save_versioned

from ..models import Cohort

EDITABLE = (Cohort.Status.DRAFT, Cohort.Status.PROPOSED)
FIELDS = (
    "program",
    "phase",
    "name",
    "year",
    "min_size",
    "max_size",
    "growth_floor",
    "growth_weights",
    "review_deadline",
)


def _value(cohort: Cohort, name: str):
    """A field's stored value (the id for a foreign key)."""
    field = Cohort._meta.get_field(name)
    assert field.concrete, name
    return getattr(cohort, field.attname)


def _changes(before: dict, cohort: Cohort) -> dict:
    after = {f: _value(cohort, f) for f in before}
    return {f: {"before": str(before[f]), "after": str(after[f])} for f in before if before[f] != after[f]}


@transaction.atomic
def cohort_create(*, actor, **data) -> Cohort:
    """A new cohort, always a draft."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "min_size" in data and "max_size" not in data:
        data["max_size"] = data["min_size"]  # one size given: a cohort of exactly that size
    cohort = Cohort(**data)
    cohort.full_clean()
    cohort.save()
    audit.record(
        cohort,
        action="cohort_created",
        actor=actor,
        to_state=cohort.status,
        changes={f: str(_value(cohort, f)) for f in data},
    )
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, actor, expected_version: int | None, **data) -> Cohort:
    """Change a cohort's settings while it is a draft or proposed; a stale ``expected_version`` is refused."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    allowed, reason = cohort_is_editable(cohort)
    if not allowed:
        raise ValidationError(reason)
    if "min_size" in data and "max_size" not in data and cohort.max_size == cohort.min_size:
        data["max_size"] = data["min_size"]  # a cohort of a fixed size keeps a fixed size
    before = {f: _value(cohort, f) for f in data}
    for field, value in data.items():
        setattr(cohort, field, value)
    cohort.full_clean()
    save_versioned(cohort, expected_version=expected_version, fields=list(data))
    audit.record(cohort, action="cohort_updated", actor=actor, changes=_changes(before, cohort))
    return cohort


def cohort_is_editable(cohort: Cohort) -> tuple[bool, str]:
    """(allowed, reason): a cohort's settings, area limits and state or region caps change only while it
    is a draft or proposed."""
    if cohort.status not in EDITABLE:
        return False, _("A cohort can only be edited while it is a draft or proposed.")
    return True, ""


@transaction.atomic
def cohort_limits_changed(*, cohort: Cohort, actor, changes: dict) -> Cohort:
    """Record a change of a cohort's area limits or state or region caps (made in the same transaction,
    by the admin's inlines) and bump its version; refused unless the cohort is editable."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    allowed, reason = cohort_is_editable(cohort)
    if not allowed:
        raise ValidationError(reason)
    save_versioned(cohort, expected_version=None, fields=[])
    audit.record(cohort, action="cohort_limits_changed", actor=actor, changes=changes)
    return cohort


def cohort_delete_refusal(cohort: Cohort) -> str | None:
    """Why ``cohort`` may not be deleted, or None."""
    if cohort.status != Cohort.Status.DRAFT or cohort.candidates.exists():
        return _("Only a draft cohort without candidates can be deleted.")
    return None


@transaction.atomic
def cohort_delete(*, cohort: Cohort, actor) -> None:
    """Delete a draft cohort without candidates (anything else has a history to keep)."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    refusal = cohort_delete_refusal(cohort)
    if refusal:
        raise ValidationError(refusal)
    audit.record(
        cohort,
        action="cohort_deleted",
        actor=actor,
        from_state=cohort.status,
        changes={"name": cohort.name, "program": cohort.program_id},
    )
    cohort.delete()
