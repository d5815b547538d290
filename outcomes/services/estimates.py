"""Impact estimates computed when a round closes and stored (the impact page only reads them)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum

from ..impact import Observation, RdPoint, difference_in_differences, fuzzy_regression_discontinuity
from ..models import ImpactEstimate, OutcomeResponse, OutcomeRound
from .rounds import selection_line

# Outcomes estimated: code -> the SQL expression of one answer's value.
OUTCOMES = {
    "sales_mdp": F("sales_mdp"),
    "export_sales_mdp": F("export_sales_mdp"),
    "employees": F("employees_women") + F("employees_men"),
    "employees_women": F("employees_women"),
    # Answered plus what sourcing recorded (anchors that became customers, purchase orders as sales to anchors).
    "new_customers": F("new_customers") + F("new_customers_recorded"),
    "anchor_sales_mdp": Sum("anchor_sales__sales_mdp", default=Decimal("0")) + Max("purchase_orders_mdp"),
}
# Growth index points each side of the selection line used by the exploratory regression discontinuity.
RD_BANDWIDTH = Decimal("10")


def response_rates(round_: OutcomeRound) -> dict[str, float]:
    """Share of each group's SMEs that sent their answer in ``round_``."""
    rows = round_.responses.values("group").annotate(
        n=Count("pk"), sent=Count("pk", filter=Q(status=OutcomeResponse.Status.SUBMITTED))
    )
    return {row["group"]: row["sent"] / row["n"] for row in rows if row["n"]}


def _values(round_: OutcomeRound, code: str) -> dict[int, tuple[str, float, Decimal | None]]:
    """supplier_id -> (group, value, growth index) of the answers sent in ``round_`` (one SQL query)."""
    qs = (
        OutcomeResponse.objects.filter(round=round_, status=OutcomeResponse.Status.SUBMITTED)
        .values("supplier_id", "group", "growth_index")
        .annotate(value=OUTCOMES[code])
    )
    return {
        row["supplier_id"]: (row["group"], float(row["value"]), row["growth_index"])
        for row in qs
        if row["value"] is not None
    }


@transaction.atomic
def round_estimates_compute(*, round_: OutcomeRound) -> list[ImpactEstimate]:
    """For a follow-up round: per outcome, difference in differences against the cohort's baseline and, where
    20 SMEs sit each side of the selection line, the exploratory regression discontinuity. Replaces earlier
    estimates of the round."""
    ImpactEstimate.objects.filter(round=round_).delete()
    baseline = OutcomeRound.objects.filter(cohort_id=round_.cohort_id, kind=OutcomeRound.Kind.BASELINE).first()
    if round_.kind != OutcomeRound.Kind.FOLLOW_UP or baseline is None:
        return []
    rates = response_rates(round_)
    line = selection_line(round_.cohort)
    stored = []
    for code in OUTCOMES:
        before = _values(baseline, code)
        after = _values(round_, code)
        rows = [Observation(s, g == OutcomeResponse.Group.SELECTED, False, v) for s, (g, v, _i) in before.items()]
        rows += [Observation(s, g == OutcomeResponse.Group.SELECTED, True, v) for s, (g, v, _i) in after.items()]
        did = difference_in_differences(rows, response_rates=rates)
        stored.append(_store(round_, code, ImpactEstimate.Method.DID, did))
        if line is not None:
            points = [
                RdPoint(s, float(i - line), g == OutcomeResponse.Group.SELECTED, after[s][1] - before[s][1])
                for s, (g, _v, i) in before.items()
                if s in after and i is not None
            ]
            rd = fuzzy_regression_discontinuity(points, bandwidth=float(RD_BANDWIDTH))
            if rd is not None:
                stored.append(_store(round_, code, ImpactEstimate.Method.FUZZY_RD, rd))
    return stored


def _store(round_, code, method, result) -> ImpactEstimate:
    return ImpactEstimate.objects.create(
        round=round_,
        outcome=code,
        method=method,
        estimate=result.estimate,
        std_error=result.std_error,
        ci_low=result.ci_low,
        ci_high=result.ci_high,
        n_selected=result.n_selected,
        n_comparison=result.n_comparison,
        means={
            group: {"before": m.before, "after": m.after, "n_before": m.n_before, "n_after": m.n_after}
            for group, m in result.means.items()
        },
        cautions=result.cautions,
    )
