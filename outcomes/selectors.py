"""Reads of the outcomes app: rounds with their response rates, an SME's questionnaires, stored estimates."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from . import sources
from .models import ImpactEstimate, OutcomeResponse, OutcomeRound

SENT = Q(responses__status=OutcomeResponse.Status.SUBMITTED)


def rounds_with_rates() -> QuerySet[OutcomeRound]:
    """Every round with its SMEs and answers sent, per group (one query)."""
    selected = Q(responses__group=OutcomeResponse.Group.SELECTED)
    comparison = Q(responses__group=OutcomeResponse.Group.COMPARISON)
    return (
        OutcomeRound.objects.select_related("cohort")
        .annotate(
            n_selected=Count("responses", filter=selected),
            sent_selected=Count("responses", filter=selected & SENT),
            n_comparison=Count("responses", filter=comparison),
            sent_comparison=Count("responses", filter=comparison & SENT),
            n_draft=Count("responses", filter=Q(responses__status=OutcomeResponse.Status.DRAFT)),
        )
        .order_by("-period_end", "-pk")
    )


def rate(sent: int, n: int) -> int | None:
    return None if not n else round(100 * sent / n)


def missing_responses(round_: OutcomeRound) -> QuerySet[OutcomeResponse]:
    return (
        round_.responses.exclude(status=OutcomeResponse.Status.SUBMITTED)
        .select_related("supplier")
        .order_by("supplier__trade_name", "pk")
    )


def open_questionnaires(supplier) -> QuerySet[OutcomeResponse]:
    return (
        OutcomeResponse.objects.filter(supplier=supplier)
        .select_related("round")
        .order_by("-round__period_end", "-pk")
        .exclude(round__status=OutcomeRound.Status.SCHEDULED)
    )


def already_recorded(response: OutcomeResponse) -> dict:
    """What other modules already record for the SME in the round's period (not asked again): per figure of
    ``sources.KEPT_IN``, and the purchase orders per anchor (``anchors``: anchor id -> millions of pesos)."""
    round_ = response.round
    ids, start, end = [response.supplier_id], round_.period_start, round_.period_end
    figures: dict = {
        outcome: sources.recorded(outcome, ids, start, end).get(response.supplier_id, 0) for outcome in sources.KEPT_IN
    }
    figures["anchors"] = {
        anchor_id: value for (_s, anchor_id), value in sources.purchase_orders_by_anchor(ids, start, end).items()
    }
    figures["any"] = any(v for k, v in figures.items() if k != "anchors")
    return figures


def estimates(round_: OutcomeRound) -> list[ImpactEstimate]:
    return list(ImpactEstimate.objects.filter(round=round_).order_by("method", "outcome"))
