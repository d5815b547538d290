"""Reads of the cohorts app: candidate lists for staff and anchors, with bounded queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from programs.models import AnchorCompany, CriticalSupplyArea
from suppliers.models import Supplier
from suppliers.rfc import normalize_rfc

from .models import AnchorReview, Candidate, Cohort
from .permissions import ANCHOR_VISIBLE_COHORT_STATUSES

# The decisions an SME is told (and sees on its account).
DECIDED_CANDIDATE_STATUSES = (Candidate.Status.SELECTED, Candidate.Status.WAITLISTED, Candidate.Status.NOT_SELECTED)


def cohort_list(*, program_id: int | None = None) -> QuerySet[Cohort]:
    queryset = Cohort.objects.select_related("program").annotate(
        candidate_count=Count("candidates"),
        proposed_count=Count("candidates", filter=Q(candidates__in_proposal=True)),
    )
    return queryset.filter(program_id=program_id) if program_id else queryset


def candidate_list(*, cohort: Cohort) -> QuerySet[Candidate]:
    """A cohort's candidates for staff (a page of them at a time): SME, state, areas, reviews, interventions."""
    return (
        Candidate.objects.filter(cohort=cohort)
        .select_related("supplier__state__region", "decided_by")
        .prefetch_related(
            "supplier__supply_areas",
            Prefetch("reviews", AnchorReview.objects.select_related("anchor")),
            "interventions",
        )
        .order_by("-is_eligible", "-in_proposal", "-growth_index", "id")
    )


def filter_candidates(
    queryset: QuerySet[Candidate], *, show: str = "", status: str = "", q: str = ""
) -> QuerySet[Candidate]:
    """Narrow a cohort's candidates for the staff page (``CandidateFilterForm``'s cleaned data)."""
    shows = {
        "proposal": Q(in_proposal=True),
        "eligible": Q(is_eligible=True),
        "ineligible": Q(is_eligible=False),
        "staged": ~Q(staged_status=""),
        "pinned": Q(pinned=True) | Q(excluded=True),
    }
    if show in shows:
        queryset = queryset.filter(shows[show])
    if status:
        queryset = queryset.filter(status=status)
    if q:
        queryset = queryset.filter(
            Q(supplier__legal_name__icontains=q)
            | Q(supplier__trade_name__icontains=q)
            | Q(supplier__rfc=normalize_rfc(q))
        )
    return queryset


def candidate_counts(*, cohort: Cohort) -> dict[str, int]:
    """How many candidates the cohort has: in all, eligible, in the proposal, with a staged decision
    and by status (one query)."""
    aggregates = {
        "total": Count("id"),
        "eligible": Count("id", filter=Q(is_eligible=True)),
        "proposal": Count("id", filter=Q(in_proposal=True)),
        "staged": Count("id", filter=~Q(staged_status="")),
        **{f"status_{value}": Count("id", filter=Q(status=value)) for value in Candidate.Status.values},
    }
    return Candidate.objects.filter(cohort=cohort).aggregate(**aggregates)


def anchor_cohorts(*, anchor: AnchorCompany) -> QuerySet[Cohort]:
    return Cohort.objects.filter(program_id=anchor.program_id, status__in=ANCHOR_VISIBLE_COHORT_STATUSES)


def anchor_candidate_list(*, anchor: AnchorCompany) -> QuerySet[Candidate]:
    """Every candidate ``anchor`` reviews: the proposed candidates of the cohorts under its review
    (``anchor_cohorts``) supplying an area its company demands, with those areas and only its own reviews."""
    area_ids = list(anchor.supply_areas.values_list("pk", flat=True))
    suppliers = Supplier.supply_areas.through.objects.filter(criticalsupplyarea_id__in=area_ids)
    return (
        Candidate.objects.filter(
            cohort__in=anchor_cohorts(anchor=anchor).values("pk"),
            in_proposal=True,
            supplier_id__in=suppliers.values("supplier_id"),
        )
        .select_related("supplier__state")
        .prefetch_related(
            Prefetch(
                "supplier__supply_areas", CriticalSupplyArea.objects.filter(pk__in=area_ids), to_attr="demanded_areas"
            ),
            Prefetch("reviews", AnchorReview.objects.filter(anchor=anchor), to_attr="own_reviews"),
        )
        .order_by("cohort", "-growth_index", "id")
    )


def anchor_candidates(*, anchor: AnchorCompany, cohort: Cohort) -> QuerySet[Candidate]:
    """The candidates of one cohort ``anchor`` reviews (none when the cohort is not under its review)."""
    return anchor_candidate_list(anchor=anchor).filter(cohort=cohort).order_by("-growth_index", "id")


def maturity_summaries(candidates, *, area_ids=None) -> dict[int, dict[str, Any] | None]:
    """Per candidate id: overall score, level, dimension scores and gaps (optionally only for ``area_ids``).

    Uses the diagnostic the growth index was computed from; three queries for any number of candidates.
    """
    from assessments.models import AreaAlignment, Diagnostic, DimensionScore

    diag_of = {c.pk: (c.growth_parts or {}).get("diagnostic_id") for c in candidates}
    ids = {d for d in diag_of.values() if d}
    alignments = AreaAlignment.objects.select_related("area")
    if area_ids is not None:
        alignments = alignments.filter(area_id__in=list(area_ids))
    diagnostics = {
        d.pk: d
        for d in Diagnostic.objects.filter(pk__in=ids).prefetch_related(
            Prefetch(
                "dimension_scores", DimensionScore.objects.select_related("dimension").order_by("dimension__order")
            ),
            Prefetch("alignments", alignments),
        )
    }
    out: dict[int, dict[str, Any] | None] = {}
    for cid, did in diag_of.items():
        d = diagnostics.get(did) if did else None
        if d is None:
            out[cid] = None
            continue
        out[cid] = {
            "overall_score": d.overall_score,
            "maturity_level": d.maturity_level,
            "status": d.status,
            "dimensions": [(s.dimension.name, s.score) for s in d.dimension_scores.all()],
            "areas": [
                {
                    "area": a.area,
                    "fit_percent": a.fit_percent,
                    "meets": a.meets_requirements,
                    "gaps": a.gaps,
                    "missing_certifications": a.missing_certifications,
                }
                for a in d.alignments.all()
            ],
        }
    return out


def cohort_decisions(supplier) -> list[Candidate]:
    """The cohort decisions the SME sees on its account, newest first."""
    return list(
        Candidate.objects.filter(supplier=supplier, status__in=DECIDED_CANDIDATE_STATUSES)
        .select_related("cohort")
        .order_by("-decided_at", "-pk")
    )


def undecided_eligible_count(*, cohort: Cohort) -> int:
    """Eligible candidates still awaiting a decision with none staged (what blocks confirming the decisions)."""
    return Candidate.objects.filter(
        cohort=cohort,
        is_eligible=True,
        staged_status="",
        status__in=[Candidate.Status.PROPOSED, Candidate.Status.ENDORSED, Candidate.Status.OBJECTED],
    ).count()
