"""Figures other modules already record, counted in a round without asking the SME twice.

Each source is a function ``(supplier_ids, start, end) -> {supplier_id: value}`` over the round's period
(both days included), registered under the figure it records. The follow-up form shows what the sources already
count and asks only for the rest; when an answer is sent and when the round closes, the figures are kept on the
answer (``OutcomeResponse.RECORDED_FIELDS``) and the indicators and estimates add them to what was answered.

- Financing disbursed (support's financing cases), in millions of pesos.
- Certifications obtained in development plans: a certification item whose *Certificate* step was reached in the
  period (one per standard).
- Purchase orders awarded through sourcing: orders of the program's anchors dated in the period, in millions of
  pesos, in total and per anchor (they count as sales to that anchor), and the anchors that became customers (the
  first order an anchor gave the SME is dated in the period). An order later lost does not count.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Min, QuerySet, Sum

from sourcing.models import Invitation
from support.models import Disbursement, Milestone, PlanItem

Source = Callable[[Iterable[int], datetime.date, datetime.date], dict[int, Decimal | int]]
_sources: dict[str, list[Source]] = {}
MILLION = Decimal(1_000_000)

# What each source records, and the field of the answer that keeps it.
CERTIFICATIONS = "certifications_obtained"
FINANCING = "financing_obtained_mdp"
NEW_CUSTOMERS = "new_customers"
PURCHASE_ORDERS = "purchase_orders_mdp"
KEPT_IN = {
    CERTIFICATIONS: "certifications_recorded",
    FINANCING: "financing_recorded_mdp",
    NEW_CUSTOMERS: "new_customers_recorded",
    PURCHASE_ORDERS: "purchase_orders_mdp",
}
# Invitations whose purchase order stands (a lost one no longer counts).
AWARDED = (Invitation.Status.PURCHASE_ORDER, Invitation.Status.SUPPLYING)


def register(outcome: str, source: Source) -> None:
    if source not in _sources.setdefault(outcome, []):
        _sources[outcome].append(source)


def recorded(
    outcome: str, supplier_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, Decimal | int]:
    """What the registered sources of ``outcome`` record per supplier in [start, end] (only suppliers with some)."""
    ids = list(supplier_ids)
    total: dict[int, Decimal | int] = {}
    for source in _sources.get(outcome, []):
        for supplier_id, value in source(ids, start, end).items():
            total[supplier_id] = total.get(supplier_id, 0) + value
    return total


def certifications_from_plans(supplier_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict:
    """Certifications of development plans whose certificate was obtained in the period (support)."""
    rows = (
        Milestone.objects.filter(
            step=Milestone.Step.CERTIFICATE,
            reached_on__range=(start, end),
            item__kind=PlanItem.Kind.CERTIFICATION,
            item__plan__candidate__supplier_id__in=list(supplier_ids),
        )
        .values("item__plan__candidate__supplier_id")
        .annotate(n=Count("item__standard_id", distinct=True))
    )
    return {row["item__plan__candidate__supplier_id"]: row["n"] for row in rows}


def financing_disbursed(supplier_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict:
    """Financing disbursed to the SME in the period (support's financing cases), in millions of pesos."""
    rows = (
        Disbursement.objects.filter(on__range=(start, end), case__candidate__supplier_id__in=list(supplier_ids))
        .values("case__candidate__supplier_id")
        .annotate(total=Sum("amount"))
    )
    return {row["case__candidate__supplier_id"]: row["total"] / MILLION for row in rows}


def awarded_orders(supplier_ids: Iterable[int]) -> QuerySet[Invitation]:
    """The purchase orders anchors gave these SMEs through sourcing (standing, with a value and a date)."""
    return Invitation.objects.filter(
        supplier_id__in=list(supplier_ids),
        status__in=AWARDED,
        purchase_order_date__isnull=False,
        purchase_order_value_mxn__isnull=False,
    )


def purchase_orders_by_anchor(
    supplier_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], Decimal]:
    """``(supplier_id, anchor_id) -> value`` of the purchase orders dated in the period, in millions of pesos."""
    rows = (
        awarded_orders(supplier_ids)
        .filter(purchase_order_date__range=(start, end))
        .values("supplier_id", "opportunity__anchor_id")
        .annotate(total=Sum("purchase_order_value_mxn"))
    )
    return {(row["supplier_id"], row["opportunity__anchor_id"]): row["total"] / MILLION for row in rows}


def purchase_orders(supplier_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict:
    """Value of the purchase orders anchors gave the SME in the period, in millions of pesos."""
    rows = (
        awarded_orders(supplier_ids)
        .filter(purchase_order_date__range=(start, end))
        .values("supplier_id")
        .annotate(total=Sum("purchase_order_value_mxn"))
    )
    return {row["supplier_id"]: row["total"] / MILLION for row in rows}


def new_anchor_customers(supplier_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict:
    """Anchors whose first purchase order to the SME is dated in the period: new customers won in it."""
    firsts = (
        awarded_orders(supplier_ids)
        .filter(purchase_order_date__lte=end)
        .values("supplier_id", "opportunity__anchor_id")
        .annotate(first=Min("purchase_order_date"))
        .filter(first__gte=start)
        .values_list("supplier_id", flat=True)
    )
    counts: dict[int, int] = {}
    for supplier_id in firsts:  # one row per (SME, anchor) whose first order is in the period
        counts[supplier_id] = counts.get(supplier_id, 0) + 1
    return counts


def orders_of_sent_answers(round_ids: list[int]):
    """``(round_id, group, anchor name, supplier_id, value in millions of pesos)`` of the purchase orders dated in
    the round's period, for the SMEs that sent their answer (the indicators add them to the sales to each anchor)."""
    from .models import OutcomeResponse

    order = "supplier__sourcing_invitations__"
    return OutcomeResponse.objects.filter(
        round_id__in=round_ids,
        status=OutcomeResponse.Status.SUBMITTED,
        **{
            f"{order}status__in": AWARDED,
            f"{order}purchase_order_value_mxn__isnull": False,
            f"{order}purchase_order_date__gte": F("round__period_start"),
            f"{order}purchase_order_date__lte": F("round__period_end"),
        },
    ).values_list(
        "round_id",
        "group",
        f"{order}opportunity__anchor__name",
        "supplier_id",
        ExpressionWrapper(F(f"{order}purchase_order_value_mxn") / MILLION, output_field=DecimalField()),
    )


register(CERTIFICATIONS, certifications_from_plans)
register(FINANCING, financing_disbursed)
register(PURCHASE_ORDERS, purchase_orders)
register(NEW_CUSTOMERS, new_anchor_customers)
