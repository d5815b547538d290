"""Decisions staged for many candidates at once (the staff cohort page's bulk action)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Candidate, Cohort
from .decisions import cohort_stage_decision


@transaction.atomic
def cohort_stage_decisions(*, cohort: Cohort, actor, versions: Mapping[int, int], status: str, reason: str) -> int:
    """Stage ``status`` with ``reason`` for each candidate of ``versions`` (id -> the version the page showed).

    All or nothing: one refused candidate (a stale page, an ineligible SME chosen, a final decision) refuses
    the whole batch, and the error names the SME.
    """
    if not versions:
        raise ValidationError(_("Mark at least one candidate."))
    candidates = {
        c.pk: c for c in Candidate.objects.filter(cohort=cohort, pk__in=list(versions)).select_related("supplier")
    }
    if len(candidates) != len(versions):
        raise ValidationError(_("Some marked candidates are not in this cohort; reload the page and try again."))
    for pk in sorted(candidates, key=lambda k: (-(candidates[k].growth_index or 0), k)):
        candidate = candidates[pk]
        try:
            cohort_stage_decision(
                candidate=candidate, actor=actor, status=status, reason=reason, expected_version=versions[pk]
            )
        except ValidationError as exc:
            raise ValidationError(f"{candidate.supplier}: {' '.join(exc.messages)}") from exc
    return len(candidates)
