"""Support interventions for selected SMEs (training, mentoring, consulting, financing referral)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from core import audit

from ..models import Candidate, Intervention

FIELDS = (
    "kind",
    "title",
    "provider",
    "institution",
    "amount_mxn",
    "hours",
    "status",
    "start_date",
    "end_date",
    "notes",
)


def _jsonable(data: dict) -> dict:
    return {k: (str(v) if v is not None and not isinstance(v, int | str | bool) else v) for k, v in data.items()}


@transaction.atomic
def intervention_create(*, candidate: Candidate, actor, **data) -> Intervention:
    if candidate.status != Candidate.Status.SELECTED:
        raise ValidationError(_("Interventions are only for selected SMEs."))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    intervention = Intervention(candidate=candidate, **data)
    intervention.full_clean()
    intervention.save()
    audit.record(
        intervention,
        action="intervention_created",
        actor=actor,
        changes=_jsonable(model_to_dict(intervention, fields=FIELDS)),
    )
    return intervention


@transaction.atomic
def intervention_update(*, intervention: Intervention, actor, **data) -> Intervention:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    before = _jsonable(model_to_dict(intervention, fields=list(data)))
    for name, value in data.items():
        setattr(intervention, name, value)
    intervention.full_clean()
    intervention.save()
    audit.record(
        intervention,
        action="intervention_updated",
        actor=actor,
        changes={"before": before, "after": _jsonable(model_to_dict(intervention, fields=list(data)))},
    )
    return intervention


@transaction.atomic
def intervention_delete(*, intervention: Intervention, actor) -> None:
    audit.record(
        intervention.candidate,
        action="intervention_deleted",
        actor=actor,
        changes=_jsonable(model_to_dict(intervention, fields=FIELDS)),
    )
    intervention.delete()
