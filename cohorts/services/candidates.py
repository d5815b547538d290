"""Building a cohort's candidate list: eligibility and growth potential."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Diagnostic
from assessments.selectors import current_diagnostics
from core import audit
from core.bulk import copy_insert
from core.concurrency import save_versioned
from programs.models import CriticalSupplyArea

from .. import growth
from ..models import Candidate, Cohort, CohortReentry
from .reasons import reason

BUILDABLE_STATUSES = (Cohort.Status.DRAFT, Cohort.Status.PROPOSED)


def _current_diagnostics(supplier_ids: list[int]) -> dict[int, Diagnostic]:
    """Each supplier's current diagnostic (``assessments.selectors.current_diagnostics``) with its alignments."""
    queryset = current_diagnostics(supplier_ids=supplier_ids).prefetch_related("alignments")
    return {diagnostic.supplier_id: diagnostic for diagnostic in queryset}


def eligibility_reasons(supplier, diagnostic, *, selected_in: str = "") -> list[dict]:
    """Why ``supplier`` cannot be a candidate (empty when eligible); ``selected_in`` names the earlier
    cohort of the program that selected it (unless staff allowed it back into this one)."""
    from suppliers.models import Supplier

    reasons = []
    if selected_in:
        reasons.append(reason("selected_earlier", cohort=selected_in))
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


def selected_earlier(cohort: Cohort, supplier_ids=None) -> dict[int, str]:
    """SMEs selected in an earlier cohort of the program (an earlier year, or the same year created
    before), by supplier id, with that cohort's name; those staff allowed back into ``cohort`` left out."""
    earlier = Candidate.objects.filter(cohort__program_id=cohort.program_id, status=Candidate.Status.SELECTED).filter(
        Q(cohort__year__lt=cohort.year) | Q(cohort__year=cohort.year, cohort__pk__lt=cohort.pk)
    )
    if supplier_ids is not None:
        earlier = earlier.filter(supplier_id__in=supplier_ids)
    allowed = CohortReentry.objects.filter(cohort=cohort).values("supplier_id")
    out: dict[int, str] = {}
    for supplier_id, name in (
        earlier.exclude(supplier_id__in=allowed)
        .order_by("-cohort__year", "-cohort__pk")
        .values_list("supplier_id", "cohort__name")
    ):
        out.setdefault(supplier_id, name)
    return out


@transaction.atomic
def cohort_build_candidates(*, cohort: Cohort, actor=None, supplier_ids=None) -> dict:
    """Create or refresh a Candidate row for every registered SME of the cohort's program
    (or only ``supplier_ids``).

    Eligible SMEs (not Grande, verified, with a scored or validated
    diagnostic, not selected in an earlier cohort of the program unless
    staff allowed it back) get their growth index and its parts, from their
    current diagnostic; the others are kept with ``is_eligible=False`` and
    the reasons. Pins and exclusions survive; a candidacy in an earlier
    cohort keeps the diagnostic it was built from.
    """
    from suppliers.models import Supplier

    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in BUILDABLE_STATUSES:
        raise ValidationError(_("Candidates can only be rebuilt while the cohort is a draft or proposed."))
    errors = growth.validate_weights(cohort.growth_weights or {})
    if errors:
        raise ValidationError({"growth_weights": errors})
    queryset = Supplier.objects.filter(program_id=cohort.program_id).exclude(
        status__in=[Supplier.Status.DRAFT, Supplier.Status.DUPLICATE]
    )
    if supplier_ids is not None:
        queryset = queryset.filter(pk__in=supplier_ids)
    suppliers = list(queryset.prefetch_related("supply_areas", "certifications__standard", "annual_figures"))
    diagnostics = _current_diagnostics([s.pk for s in suppliers])
    demanded = demanded_areas(cohort.program_id)
    earlier = selected_earlier(cohort, supplier_ids)
    existing = {c.supplier_id: c for c in Candidate.objects.filter(cohort=cohort, supplier__in=suppliers)}
    to_create, to_update = [], []
    counts: defaultdict[str, int] = defaultdict(int)
    unstaged = 0
    for supplier in suppliers:
        diagnostic = diagnostics.get(supplier.pk)
        reasons = eligibility_reasons(supplier, diagnostic, selected_in=earlier.get(supplier.pk, ""))
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
    if supplier_ids is None:
        audit.record(cohort, action="candidates_built", actor=actor, changes={**summary, "unstaged": unstaged})
    return summary


@transaction.atomic
def cohort_allow_reentry(*, cohort: Cohort, supplier, actor, reason: str) -> CohortReentry:
    """Let an SME selected in an earlier cohort of the program be a candidate of ``cohort`` (audited,
    with a reason); its candidacy is refreshed at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for allowing this SME back.")})
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in BUILDABLE_STATUSES:
        raise ValidationError(_("Re-entry can only be allowed while the cohort is a draft or proposed."))
    if supplier.program_id != cohort.program_id:
        raise ValidationError(_("This SME is not registered in the cohort's program."))
    entry = CohortReentry.objects.filter(cohort=cohort, supplier=supplier).first()
    if entry is not None:
        raise ValidationError(_("This SME is already allowed back into this cohort."))
    entry = CohortReentry(cohort=cohort, supplier=supplier, reason=reason, granted_by=actor)
    entry.full_clean()
    entry.save()
    audit.record(cohort, action="reentry_allowed", actor=actor, reason=reason, changes={"supplier": supplier.pk})
    cohort_build_candidates(cohort=cohort, actor=actor, supplier_ids=[supplier.pk])
    return entry


@transaction.atomic
def cohort_revoke_reentry(*, cohort: Cohort, supplier, actor, reason: str = "") -> None:
    """Take back a re-entry allowed by :func:`cohort_allow_reentry` (audited); the candidacy is refreshed."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in BUILDABLE_STATUSES:
        raise ValidationError(_("Re-entry can only change while the cohort is a draft or proposed."))
    deleted, _rows = CohortReentry.objects.filter(cohort=cohort, supplier=supplier).delete()
    if not deleted:
        raise ValidationError(_("This SME was not allowed back into this cohort."))
    audit.record(cohort, action="reentry_revoked", actor=actor, reason=reason, changes={"supplier": supplier.pk})
    cohort_build_candidates(cohort=cohort, actor=actor, supplier_ids=[supplier.pk])
