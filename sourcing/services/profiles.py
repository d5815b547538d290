"""What the ranking reads: an opportunity's requirements and, for the plain path, every candidate's profile.

``profiles_for`` reads the candidates' facts with one query per kind of fact and builds the
``sourcing.matching.Profile`` of each: the reference the set-based ranking (``ranking_sql``) is tested against,
and the informative figure of ``bench/sourcing.py``; the ranking itself never reads every candidate.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import Diagnostic
from cohorts.models import Candidate
from programs.models import AreaRequirement, State
from suppliers.models import Certification, Supplier
from support.models import PlanItem

from .. import matching
from ..models import Currency, Invitation, Opportunity

CENTROIDS_FILE = Path(__file__).resolve().parent.parent / "data" / "state_centroids.yaml"
WON = (Invitation.Status.PURCHASE_ORDER, Invitation.Status.SUPPLYING)


@functools.cache
def state_centroids() -> dict[str, tuple[float, float]]:
    """INEGI state code -> (lat, lon) of its centroid (sourcing/data/state_centroids.yaml)."""
    data = yaml.safe_load(CENTROIDS_FILE.read_text(encoding="utf-8"))
    return {str(code): (float(lat), float(lon)) for code, (lat, lon) in data.items()}


def value_in_mxn(value: Decimal, currency: str) -> Decimal:
    """An amount in pesos; dollars at ``SDP_MXN_PER_USD`` (the program's configured reference rate)."""
    if currency == Currency.USD:
        return value * settings.SDP_MXN_PER_USD
    return value


def requirements_for(opportunity: Opportunity) -> matching.Requirements:
    area_ids = frozenset(opportunity.areas.values_list("pk", flat=True))
    minimums: dict[str, float] = {}
    for code, minimum in AreaRequirement.objects.filter(area_id__in=area_ids).values_list(
        "dimension_code", "minimum_score"
    ):
        minimums[code] = max(minimums.get(code, 0.0), float(minimum))
    state_code = State.objects.filter(pk=opportunity.delivery_state_id).values_list("code", flat=True).first()
    return matching.Requirements(
        area_ids=area_ids,
        certification_ids=frozenset(opportunity.required_certifications.values_list("pk", flat=True)),
        minimum_level=opportunity.minimum_maturity_level,
        dimension_minimums=minimums,
        delivery_point=state_centroids().get(state_code or ""),
        annual_value_mxn=float(value_in_mxn(opportunity.annual_value, opportunity.currency)),
    )


def candidate_suppliers(opportunity: Opportunity, area_ids):
    """The SMEs an opportunity is ranked over (a queryset of ids, used as a subquery)."""
    return (
        Supplier.objects.filter(
            program_id=opportunity.anchor.program_id,
            status=Supplier.Status.VERIFIED,
            personal_data_erased_at__isnull=True,
            supply_areas__in=list(area_ids),
            anchor_visibility__visible=True,
        )
        .values("pk")
        .distinct()
    )


def profiles_for(opportunity: Opportunity, req: matching.Requirements) -> list[matching.Profile]:
    """Every candidate SME's profile, read with one query per kind of fact (the plain path: reads every
    candidate)."""
    ids = candidate_suppliers(opportunity, req.area_ids)
    centroids = state_centroids()
    rows = Supplier.objects.filter(pk__in=ids).values_list("pk", "state__code", "annual_sales_mdp")
    areas: dict[int, set[int]] = defaultdict(set)
    for supplier_id, area_id in Supplier.supply_areas.through.objects.filter(
        supplier_id__in=ids, criticalsupplyarea_id__in=list(req.area_ids)
    ).values_list("supplier_id", "criticalsupplyarea_id"):
        areas[supplier_id].add(area_id)
    held: dict[int, set[int]] = defaultdict(set)
    planned: dict[int, set[int]] = defaultdict(set)
    if req.certification_ids:
        today = timezone.localdate()
        for supplier_id, standard_id in Certification.objects.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            supplier_id__in=ids,
            standard_id__in=list(req.certification_ids),
        ).values_list("supplier_id", "standard_id"):
            held[supplier_id].add(standard_id)
        for supplier_id, standard_id in PlanItem.objects.filter(
            plan__candidate__supplier_id__in=ids,
            kind=PlanItem.Kind.CERTIFICATION,
            standard_id__in=list(req.certification_ids),
            status__in=[PlanItem.Status.PLANNED, PlanItem.Status.IN_PROGRESS, PlanItem.Status.DONE],
        ).values_list("plan__candidate__supplier_id", "standard_id"):
            planned[supplier_id].add(standard_id)
    maturity = {
        supplier_id: (level, scores or {})
        for supplier_id, level, scores in Diagnostic.objects.filter(
            supplier_id__in=ids, is_current_baseline=True
        ).values_list("supplier_id", "maturity_level", "scores_by_dimension")
    }
    selected = set(
        Candidate.objects.filter(supplier_id__in=ids, status=Candidate.Status.SELECTED).values_list(
            "supplier_id", flat=True
        )
    )
    won = dict(
        Invitation.objects.filter(supplier_id__in=ids, status__in=WON)
        .values("supplier_id")
        .annotate(n=Count("pk"))
        .values_list("supplier_id", "n")
    )
    profiles = []
    for supplier_id, state_code, sales_mdp in rows:
        level, scores = maturity.get(supplier_id, (None, {}))
        profiles.append(
            matching.Profile(
                supplier_id=supplier_id,
                area_ids=frozenset(areas.get(supplier_id, ())),
                held_certification_ids=frozenset(held.get(supplier_id, ())),
                planned_certification_ids=frozenset(planned.get(supplier_id, ())),
                maturity_level=level,
                dimension_scores={code: (None if value is None else float(value)) for code, value in scores.items()},
                annual_sales_mxn=float(sales_mdp or 0) * 1_000_000,
                location=centroids.get(state_code),
                selected_before=supplier_id in selected,
                purchase_orders_won=won.get(supplier_id, 0),
            )
        )
    return profiles
