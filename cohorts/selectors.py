"""Reads of the cohorts app: candidate lists for staff and anchors, with bounded queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from programs.models import AnchorCompany, CriticalSupplyArea
from programs.selectors import scoped
from suppliers.models import Supplier
from suppliers.rfc import normalize_rfc

from .models import AnchorReview, Candidate, Cohort
from .permissions import ANCHOR_VISIBLE_COHORT_STATUSES

# The decisions an SME is told (and sees on its account).
DECIDED_CANDIDATE_STATUSES = (
    Candidate.Status.SELECTED,
    Candidate.Status.WAITLISTED,
    Candidate.Status.NOT_SELECTED,
    Candidate.Status.WITHDRAWN,
)
# Those whose decision is still to be taken (until staff confirm the cohort's decisions).
UNDECIDED_CANDIDATE_STATUSES = (Candidate.Status.PROPOSED, Candidate.Status.ENDORSED, Candidate.Status.OBJECTED)


def cohort_list(*, user, program_id: int | None = None) -> QuerySet[Cohort]:
    """The cohorts of the programs ``user`` works on."""
    queryset = (
        scoped(Cohort.objects.all(), user)
        .select_related("program")
        .annotate(
            candidate_count=Count("candidates"),
            proposed_count=Count("candidates", filter=Q(candidates__in_proposal=True)),
        )
    )
    return queryset.filter(program_id=program_id) if program_id else queryset


def candidate_list(*, cohort: Cohort) -> QuerySet[Candidate]:
    """A cohort's candidates for staff (a page of them at a time): SME, state, areas, reviews."""
    return (
        Candidate.objects.filter(cohort=cohort)
        .select_related("supplier__state__region", "decided_by")
        .prefetch_related(
            "supplier__supply_areas",
            Prefetch("reviews", AnchorReview.objects.select_related("anchor")),
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
    """How many candidates the cohort has: in all, eligible, in the proposal, with a staged decision,
    eligible and still without a decision or a staged one (``undecided``: what blocks confirming the
    decisions) and by status (one query)."""
    aggregates = {
        "total": Count("id"),
        "eligible": Count("id", filter=Q(is_eligible=True)),
        "proposal": Count("id", filter=Q(in_proposal=True)),
        "staged": Count("id", filter=~Q(staged_status="")),
        "undecided": Count("id", filter=Q(is_eligible=True, staged_status="", status__in=UNDECIDED_CANDIDATE_STATUSES)),
        **{f"status_{value}": Count("id", filter=Q(status=value)) for value in Candidate.Status.values},
    }
    return Candidate.objects.filter(cohort=cohort).aggregate(**aggregates)


def anchor_cohorts(*, anchor: AnchorCompany) -> QuerySet[Cohort]:
    return Cohort.objects.filter(program_id=anchor.program_id, status__in=ANCHOR_VISIBLE_COHORT_STATUSES)


def anchor_candidate_list(*, anchor: AnchorCompany) -> QuerySet[Candidate]:
    """Every candidate ``anchor`` reviews: the proposed candidates of the cohorts under its review
    (``anchor_cohorts``) supplying an area its company demands, and those it already reviewed (an optimizer
    re-run may leave an objected one out: the anchor still sees and may change its review), never a
    withdrawn one; with those areas and only its own reviews."""
    area_ids = list(anchor.supply_areas.values_list("pk", flat=True))
    suppliers = Supplier.supply_areas.through.objects.filter(criticalsupplyarea_id__in=area_ids)
    reviewed = AnchorReview.objects.filter(anchor=anchor).values("candidate_id")
    cohorts = anchor_cohorts(anchor=anchor).values("pk")
    # The proposed ones (a partial index) and the reviewed ones as one set: an OR of the two would read every
    # candidate of the cohort.
    proposed = Candidate.objects.filter(cohort__in=cohorts, in_proposal=True).values("pk")
    return (
        Candidate.objects.filter(
            pk__in=proposed.union(reviewed, all=True),
            cohort__in=cohorts,
            supplier_id__in=suppliers.values("supplier_id"),
        )
        .exclude(status=Candidate.Status.WITHDRAWN)
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


@dataclass
class WaitlistEntry:
    """A waitlisted candidate and whether it can take a freed place now (``why``: a coded reason)."""

    candidate: Candidate
    promotable: bool
    why: dict

    @property
    def why_text(self) -> str:
        from .services.reasons import render

        return render(self.why)


@dataclass
class WaitlistState:
    """The waitlist of an approved cohort: places, who is next and why, each entry's standing."""

    places: int
    selected: int
    free_places: int
    entries: list[WaitlistEntry] = field(default_factory=list)
    next: Candidate | None = None
    next_reason: dict = field(default_factory=dict)
    blocked: dict = field(default_factory=dict)

    @property
    def next_reason_text(self) -> str:
        from .services.reasons import render

        return render(self.next_reason)

    @property
    def blocked_text(self) -> str:
        from .services.reasons import render

        return render(self.blocked)


def waitlist(*, cohort: Cohort) -> WaitlistState:
    """Who the waitlist promotes next and why (four queries whatever the cohort's size).

    A place is free when fewer SMEs are selected than the places filled at commit (never more than the
    cohort's maximum). The next SME is the first by waitlist position that breaks no state or region cap
    and no supply-area maximum; when a withdrawal left an area below its minimum and the free places are
    no more than what the areas still need, an SME supplying such an area comes first.
    """
    from .services.reasons import reason

    people = list(
        Candidate.objects.filter(cohort=cohort, status__in=[Candidate.Status.SELECTED, Candidate.Status.WAITLISTED])
        .select_related("supplier__state__region")
        .prefetch_related("supplier__supply_areas")
        .order_by("waitlist_rank", "-growth_index", "id")
    )
    selected = [c for c in people if c.status == Candidate.Status.SELECTED]
    queue = [c for c in people if c.status == Candidate.Status.WAITLISTED]
    places = min(cohort.places if cohort.places is not None else len(selected), cohort.max_size)
    free = max(0, places - len(selected))
    state = WaitlistState(places=places, selected=len(selected), free_places=free)
    limits = {lim.area_id: lim for lim in cohort.area_limits.select_related("area")}
    caps = list(cohort.geo_caps.select_related("state", "region"))
    state_caps = {cap.state_id: cap for cap in caps if cap.state_id}
    region_caps = {cap.region_id: cap for cap in caps if cap.region_id}
    state_n = Counter(c.supplier.state_id for c in selected)
    region_n = Counter(c.supplier.state.region_id for c in selected if c.supplier.state_id)
    area_n = Counter(a.pk for c in selected for a in c.supplier.supply_areas.all())
    deficit = {a: lim.minimum - area_n[a] for a, lim in limits.items() if lim.minimum > area_n[a]}

    def breaks(c: Candidate) -> dict | None:
        state = c.supplier.state
        cap = state_caps.get(state.pk) if state else None
        if cap and state and state_n[state.pk] >= cap.maximum:
            return reason("waitlist_state_cap", state=state.name, cap=cap.maximum)
        region = state.region if state else None
        cap = region_caps.get(region.pk) if region else None
        if cap and region and region_n[region.pk] >= cap.maximum:
            return reason("waitlist_region_cap", region=region.name, cap=cap.maximum)
        for area in c.supplier.supply_areas.all():
            lim = limits.get(area.pk)
            if lim and lim.maximum is not None and area_n[area.pk] >= lim.maximum:
                return reason("waitlist_area_max", area=lim.area.name, max=lim.maximum)
        return None

    fitting = {c.pk: breaks(c) for c in queue}
    needy = set(deficit) if deficit and free <= sum(deficit.values()) else set()
    helps = {c.pk: bool(needy & {a.pk for a in c.supplier.supply_areas.all()}) for c in queue}
    someone_helps = any(helps[c.pk] and fitting[c.pk] is None for c in queue)
    for c in queue:
        why = fitting[c.pk]
        if why is None and someone_helps and not helps[c.pk]:
            area = limits[min(needy)].area
            why = reason("waitlist_area_min_first", area=area.name, min=limits[area.pk].minimum)
        if why is None and state.next is None:
            state.next = c
            state.next_reason = reason("waitlist_next", rank=c.waitlist_rank or 0)
            why = state.next_reason
        elif why is None:
            why = reason("waitlist_after", rank=state.next.waitlist_rank or 0) if state.next else {}
        state.entries.append(WaitlistEntry(candidate=c, promotable=c is state.next, why=why))
    if free <= 0:
        state.blocked = reason("waitlist_no_place", selected=len(selected), places=places)
    elif not queue:
        state.blocked = reason("waitlist_empty")
    elif state.next is None:
        state.blocked = reason("waitlist_none_fits")
    return state


def candidate_history(candidates) -> dict[int, list[Candidate]]:
    """Per supplier id of ``candidates``: its candidacies in the other cohorts of the program, newest first,
    each with the diagnostic its growth potential was computed from (``growth_parts['diagnostic_id']``)."""
    candidates = list(candidates)
    if not candidates:
        return {}
    cohort_ids = {c.cohort_id for c in candidates}
    rows = (
        Candidate.objects.filter(supplier_id__in={c.supplier_id for c in candidates})
        .exclude(cohort_id__in=cohort_ids)
        .select_related("cohort")
        # What a candidacy in another cohort is told by, without the other JSON of each row and of its cohort
        # (decoded for each of a page's 100 rows, they took a sixth of the staff cohort page's time).
        .only("supplier_id", "cohort_id", "status", "growth_index", "growth_parts", "cohort__name", "cohort__year")
        .order_by("-cohort__year", "-cohort_id")
    )
    out: dict[int, list[Candidate]] = {}
    for row in rows:
        out.setdefault(row.supplier_id, []).append(row)
    return out
