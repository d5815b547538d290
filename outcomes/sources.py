"""Figures other modules already record, counted in a round without asking the SME twice.

Each source is a function ``(supplier_ids, start, end) -> {supplier_id: value}`` over the round's period,
registered under the outcome it adds to. The follow-up form shows what a source already counts and asks only
for the rest; the indicators add both.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db.models import Count

from support.models import PlanItem

Source = Callable[[Iterable[int], datetime.date, datetime.date], dict[int, Decimal | int]]
_sources: dict[str, list[Source]] = {}


def register(outcome: str, source: Source) -> None:
    if source not in _sources.setdefault(outcome, []):
        _sources[outcome].append(source)


def recorded(
    outcome: str, supplier_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, Decimal | int]:
    """What the registered sources of ``outcome`` record per supplier in [start, end]."""
    ids = list(supplier_ids)
    total: dict[int, Decimal | int] = {}
    for source in _sources.get(outcome, []):
        for supplier_id, value in source(ids, start, end).items():
            total[supplier_id] = total.get(supplier_id, 0) + value
    return total


def certifications_from_plans(supplier_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict:
    """Certification items of development plans done in the period (support)."""
    rows = (
        PlanItem.objects.filter(
            kind=PlanItem.Kind.CERTIFICATION,
            status=PlanItem.Status.DONE,
            completed_on__range=(start, end),
            plan__candidate__supplier_id__in=list(supplier_ids),
        )
        .values("plan__candidate__supplier_id")
        .annotate(n=Count("standard_id", distinct=True))
    )
    return {row["plan__candidate__supplier_id"]: row["n"] for row in rows}


CERTIFICATIONS = "certifications_obtained"
FINANCING = "financing_obtained_mdp"
register(CERTIFICATIONS, certifications_from_plans)


def financing_disbursed(supplier_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict:
    """Financing disbursed to the SME in the period (support's financing cases), in millions of pesos."""
    from django.db.models import Sum

    from support.models import Disbursement

    rows = (
        Disbursement.objects.filter(on__range=(start, end), case__candidate__supplier_id__in=list(supplier_ids))
        .values("case__candidate__supplier_id")
        .annotate(total=Sum("amount"))
    )
    return {row["case__candidate__supplier_id"]: row["total"] / Decimal(1_000_000) for row in rows}


register(FINANCING, financing_disbursed)
