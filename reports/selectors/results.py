"""The results section of a report: the key indicators of the latest closed follow-up round in scope, selected
SMEs against the comparison group, with the impact estimates stored when the round closed.

Only stored figures are read (``outcomes.IndicatorValue`` and ``outcomes.ImpactEstimate``, written when the round
closed, small cells already hidden): three small queries, whatever the number of SMEs or answers. The section is
plain data, cached with the report (``reports.selectors.results_section``; its tables log their changes,
migration ``reports/0009_outcome_tables_logged``).
"""

from __future__ import annotations

from outcomes.indicators import ALL, BY_CODE
from outcomes.models import ImpactEstimate, IndicatorValue, OutcomeResponse, OutcomeRound
from outcomes.suppression import MIN_SMES

from .scope import ReportScope

# The indicators the report shows, in this order (the full catalogue is on the indicators page).
KEY_INDICATORS = (
    "smes_reporting",
    "sales_mdp",
    "export_sales_mdp",
    "employees",
    "women_in_management",
    "new_customers",
    "anchor_sales_mdp",
    "purchase_orders_mdp",
    "financing_obtained_mdp",
    "certifications_obtained",
    "women_owned_or_led_smes",
)
GROUPS = (OutcomeResponse.Group.SELECTED, OutcomeResponse.Group.COMPARISON)


def latest_closed_round(scope: ReportScope) -> OutcomeRound | None:
    """The latest closed round of the scope's cohort (of the program's cohorts, or the phase's)."""
    rounds = OutcomeRound.objects.filter(program=scope.program, status=OutcomeRound.Status.CLOSED)
    if scope.cohort is not None:
        rounds = rounds.filter(cohort=scope.cohort)
    elif scope.phase is not None:
        rounds = rounds.filter(cohort__phase=scope.phase)
    return rounds.select_related("cohort").order_by("-period_end", "-closed_at", "-pk").first()


def _cell(value: IndicatorValue | None) -> dict:
    if value is None:
        return {"value": None, "n": None, "hidden": False}
    return {"value": value.value, "n": value.n_smes, "hidden": value.suppressed}


def _estimate(estimate: ImpactEstimate | None) -> dict | None:
    """A stored difference-in-differences estimate; hidden when a group has fewer than 5 SMEs behind it."""
    if estimate is None:
        return None
    hidden = min(estimate.n_selected, estimate.n_comparison) < MIN_SMES
    return {
        "hidden": hidden,
        "value": None if hidden else estimate.estimate,
        "ci_low": None if hidden else estimate.ci_low,
        "ci_high": None if hidden else estimate.ci_high,
        "cautions": list(estimate.cautions),
    }


def results_summary(scope: ReportScope) -> dict | None:
    """``None`` when no round of the scope is closed; else the round and one row per key indicator:
    ``{code, name, unit, selected, comparison, estimate}`` (cells as stored, suppression kept)."""
    round_ = latest_closed_round(scope)
    if round_ is None:
        return None
    values = {
        (v.indicator, v.group): v
        for v in IndicatorValue.objects.filter(round=round_, breakdown=ALL, level=ALL, indicator__in=KEY_INDICATORS)
    }
    estimates = {e.outcome: e for e in ImpactEstimate.objects.filter(round=round_, method=ImpactEstimate.Method.DID)}
    rows = []
    for code in KEY_INDICATORS:
        indicator = BY_CODE[code]
        rows.append(
            {
                "code": code,
                "name": str(indicator.name),
                "unit": str(indicator.unit),
                "selected": _cell(values.get((code, GROUPS[0]))),
                "comparison": _cell(values.get((code, GROUPS[1]))),
                "estimate": _estimate(estimates.get(code)),
            }
        )
    shown = {
        "pk": round_.pk,
        "name": round_.name,
        "cohort": round_.cohort.name,
        "period_start": round_.period_start,
        "period_end": round_.period_end,
    }
    return {"round": shown, "rows": rows, "has_estimates": bool(estimates)}
