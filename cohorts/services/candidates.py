"""Building a cohort's candidate list: eligibility and growth potential."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Diagnostic
from assessments.selectors import current_diagnostics
from core import audit
from core.bulk import copy_insert
from core.concurrency import save_versioned
from programs.models import CriticalSupplyArea

from .. import growth
from ..models import Candidate, Cohort
from .reasons import reason

BUILDABLE_STATUSES = (Cohort.Status.DRAFT, Cohort.Status.PROPOSED)


def _current_diagnostics(supplier_ids: list[int]) -> dict[int, Diagnostic]:
    """Each supplier's current diagnostic (``assessments.selectors.current_diagnostics``) with its alignments."""
    queryset = current_diagnostics(supplier_ids=supplier_ids).prefetch_related("alignments")
    return {diagnostic.supplier_id: diagnostic for diagnostic in queryset}


def eligibility_reasons(supplier, diagnostic) -> list[dict]:
    """Why ``supplier`` cannot be a candidate (empty when eligible)."""
    from suppliers.models import Supplier

    reasons = []
    if supplier.size == "grande":
        reasons.append(reason("large_company"))
    if supplier.status != Supplier.Status.VERIFIED:
        reasons.append(reason("not_verified", status=supplier.status))
    if diagnostic is None or diagnostic.overall_score is None:
        reasons.append(reason("no_diagnostic"))
    return reasons


def growth_inputs(supplier, diagnostic, demanded: dict[int, frozenset[str]], today=None) -> growth.GrowthInputs:
    """The pure inputs of the growth index, from prefetched supplier data.

    ``demanded`` maps the id of every supply area at least one active anchor
    demands to the certification codes it requires.
    """
    today = today or timezone.localdate()
    supplied = [a.pk for a in supplier.supply_areas.all() if a.pk in demanded]
    fits = {str(al.area_id): al.fit_percent for al in diagnostic.alignments.all() if al.area_id in supplied}
    for area_id in supplied:  # a demanded area without an alignment row fits 0 %
        fits.setdefault(str(area_id), Decimal(0))
    required = frozenset().union(*(demanded[a] for a in supplied)) if supplied else frozenset()
    held = frozenset(
        c.standard.code for c in supplier.certifications.all() if c.expires_on is None or c.expires_on >= today
    )
    figures = [growth.YearFigure(f.year, f.sales_mdp, f.employees) for f in supplier.annual_figures.all()]
    return growth.GrowthInputs(
        overall_score=diagnostic.overall_score,
        area_fits=fits,
        figures=figures,
        export_share=supplier.export_share,
        held_certifications=held,
        required_certifications=required,
    )


def demanded_areas(program_id: int) -> dict[int, frozenset[str]]:
    areas = (
        CriticalSupplyArea.objects.filter(program_id=program_id, anchors__is_active=True)
        .distinct()
        .prefetch_related("required_certifications")
    )
    return {a.pk: frozenset(c.code for c in a.required_certifications.all()) for a in areas}


@transaction.atomic
def cohort_build_candidates(*, cohort: Cohort, actor=None) -> dict:
    """Create or refresh a Candidate row for every registered SME of the cohort's program.

    Eligible SMEs (not Grande, verified, with a scored or validated
    diagnostic) get their growth index and its parts; the others are kept
    with ``is_eligible=False`` and the reasons. Pins and exclusions survive.
    """
    from suppliers.models import Supplier

    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in BUILDABLE_STATUSES:
        raise ValidationError(_("Candidates can only be rebuilt while the cohort is a draft or proposed."))
    errors = growth.validate_weights(cohort.growth_weights or {})
    if errors:
        raise ValidationError({"growth_weights": errors})
    suppliers = list(
        Supplier.objects.filter(program_id=cohort.program_id)
        .exclude(status__in=[Supplier.Status.DRAFT, Supplier.Status.DUPLICATE])
        .prefetch_related("supply_areas", "certifications__standard", "annual_figures")
    )
    diagnostics = _current_diagnostics([s.pk for s in suppliers])
    demanded = demanded_areas(cohort.program_id)
    existing = {c.supplier_id: c for c in Candidate.objects.filter(cohort=cohort)}
    to_create, to_update = [], []
    counts: defaultdict[str, int] = defaultdict(int)
    unstaged = 0
    for supplier in suppliers:
        diagnostic = diagnostics.get(supplier.pk)
        reasons = eligibility_reasons(supplier, diagnostic)
        candidate = existing.get(supplier.pk) or Candidate(cohort=cohort, supplier=supplier)
        candidate.is_eligible = not reasons
        candidate.ineligibility_reasons = reasons
        if reasons:
            candidate.growth_index, candidate.growth_parts = None, {}
            candidate.in_proposal = False
            if candidate.staged_status:  # a decision staged while it was eligible no longer holds
                candidate.staged_status, candidate.staged_reason = "", ""
                unstaged += 1
            counts["ineligible"] += 1
        else:
            assert diagnostic is not None  # eligible: it has a scored diagnostic
            result = growth.growth_index(growth_inputs(supplier, diagnostic, demanded), cohort.growth_weights)
            candidate.growth_index = result.index
            candidate.growth_parts = {**result.parts, "diagnostic_id": diagnostic.pk}
            counts["eligible"] += 1
        if candidate.pk:
            candidate.version = F("version") + 1  # pages and API calls prepared before the rebuild are stale
            to_update.append(candidate)
        else:
            to_create.append(candidate)
    copy_insert(Candidate, to_create)  # COPY: a national program creates 100,000 rows at once
    Candidate.objects.bulk_update(
        to_update,
        [
            "is_eligible",
            "ineligibility_reasons",
            "growth_index",
            "growth_parts",
            "in_proposal",
            "staged_status",
            "staged_reason",
            "version",
        ],
        batch_size=500,
    )
    save_versioned(cohort, expected_version=None, fields=[])
    summary = {"eligible": counts["eligible"], "ineligible": counts["ineligible"], "created": len(to_create)}
    audit.record(cohort, action="candidates_built", actor=actor, changes={**summary, "unstaged": unstaged})
    return summary
