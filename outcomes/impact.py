"""Impact estimates against the comparison group. Django-free: plain rows in, plain results out.

- Difference in differences: ``y = a + b*selected + c*after + d*(selected*after) + e`` by OLS (statsmodels),
  standard errors clustered by SME (CR1, statsmodels' ``cov_type="cluster"``), a 95 % interval from the t
  distribution with (clusters - 1) degrees of freedom. ``d`` is the estimate: the change of the selected SMEs
  minus the change of the comparison group.
- Regression discontinuity around the selection line (exploratory): selection is not a strict cutoff (anchors
  object, staff pin, areas and states have limits), so it is *fuzzy*: two-stage least squares of the change in
  the outcome on selection, instrumented by being at or above the line, local linear with a slope on each side
  within a bandwidth. Shown only with at least ``RD_MIN_PER_SIDE`` SMEs on each side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import statsmodels.api as sm

CONFIDENCE = 0.95
# A standardized difference of baseline means above this is a caution (a common rule of thumb: 0.25 SD).
IMBALANCE_SD = 0.25
LOW_RESPONSE_RATE = 0.6
MIN_CLUSTERS = 20
RD_MIN_PER_SIDE = 20


@dataclass(frozen=True)
class Observation:
    sme: int
    selected: bool
    after: bool
    value: float


@dataclass
class GroupMeans:
    before: float | None
    after: float | None
    n_before: int
    n_after: int


@dataclass
class Estimate:
    estimate: float | None
    std_error: float | None
    ci_low: float | None
    ci_high: float | None
    n_selected: int
    n_comparison: int
    means: dict[str, GroupMeans] = field(default_factory=dict)
    cautions: list[str] = field(default_factory=list)


# Caution codes (the page says them in words).
IMBALANCE = "baseline_imbalance"
LOW_RESPONSE = "low_response"
FEW_SMES = "few_smes"
NOT_ESTIMABLE = "not_estimable"


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def group_means(rows: list[Observation]) -> dict[str, GroupMeans]:
    out = {}
    for name, selected in (("selected", True), ("comparison", False)):
        before = [r.value for r in rows if r.selected is selected and not r.after]
        after = [r.value for r in rows if r.selected is selected and r.after]
        out[name] = GroupMeans(_mean(before), _mean(after), len(before), len(after))
    return out


def baseline_imbalance(rows: list[Observation]) -> float | None:
    """Standardized difference of the baseline means (difference over the pooled SD); ``None`` if undefined."""
    a = np.array([r.value for r in rows if r.selected and not r.after], dtype=float)
    b = np.array([r.value for r in rows if not r.selected and not r.after], dtype=float)
    if len(a) < 2 or len(b) < 2:
        return None
    pooled = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    if pooled == 0:
        return 0.0 if a.mean() == b.mean() else math.inf
    return float(abs(a.mean() - b.mean()) / pooled)


def difference_in_differences(rows: list[Observation], *, response_rates: dict[str, float] | None = None) -> Estimate:
    """The DiD estimate with a 95 % interval clustered by SME, group means and cautions."""
    means = group_means(rows)
    smes = {True: {r.sme for r in rows if r.selected}, False: {r.sme for r in rows if not r.selected}}
    result = Estimate(None, None, None, None, len(smes[True]), len(smes[False]), means=means)
    rates = response_rates or {}
    if any(rate < LOW_RESPONSE_RATE for rate in rates.values()):
        result.cautions.append(LOW_RESPONSE)
    imbalance = baseline_imbalance(rows)
    if imbalance is not None and imbalance > IMBALANCE_SD:
        result.cautions.append(IMBALANCE)
    if min(len(smes[True]), len(smes[False])) < MIN_CLUSTERS:
        result.cautions.append(FEW_SMES)
    if any(m.n_before == 0 or m.n_after == 0 for m in means.values()) or len(smes[True] | smes[False]) < 3:
        result.cautions.append(NOT_ESTIMABLE)
        return result
    y = np.array([r.value for r in rows], dtype=float)
    selected = np.array([float(r.selected) for r in rows])
    after = np.array([float(r.after) for r in rows])
    x = np.column_stack([np.ones_like(y), selected, after, selected * after])
    groups = np.array([r.sme for r in rows])
    fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": True}, use_t=True)
    low, high = fit.conf_int(alpha=1 - CONFIDENCE)[3]
    result.estimate = float(fit.params[3])
    result.std_error = float(fit.bse[3])
    result.ci_low, result.ci_high = float(low), float(high)
    if not all(map(math.isfinite, (result.estimate, result.std_error, result.ci_low, result.ci_high))):
        result.estimate = result.std_error = result.ci_low = result.ci_high = None
        result.cautions.append(NOT_ESTIMABLE)
    return result


@dataclass(frozen=True)
class RdPoint:
    sme: int
    distance: float  # growth index minus the selection line (>= 0: at or above the line)
    selected: bool
    change: float  # the outcome after minus before


def fuzzy_regression_discontinuity(points: list[RdPoint], *, bandwidth: float) -> Estimate | None:
    """Exploratory fuzzy RD (2SLS, local linear, uniform kernel within ``bandwidth``); ``None`` when fewer than
    ``RD_MIN_PER_SIDE`` SMEs sit on either side of the line or the line does not move selection."""
    near = [p for p in points if abs(p.distance) <= bandwidth]
    above = [p for p in near if p.distance >= 0]
    below = [p for p in near if p.distance < 0]
    if len(above) < RD_MIN_PER_SIDE or len(below) < RD_MIN_PER_SIDE:
        return None
    y = np.array([p.change for p in near], dtype=float)
    d = np.array([float(p.selected) for p in near])
    r = np.array([p.distance for p in near], dtype=float)
    z = (r >= 0).astype(float)
    exog = np.column_stack([np.ones_like(r), r, r * z])
    # First stage: selection on the instrument and the slopes; the jump must be there.
    first = sm.OLS(d, np.column_stack([exog, z])).fit(cov_type="HC1")
    if abs(first.params[-1]) < 1e-9:
        return None
    d_hat = first.fittedvalues
    second = sm.OLS(y, np.column_stack([exog, d_hat])).fit()
    # Standard errors of 2SLS use the residuals with the actual selection, not the fitted one (HC1).
    x_actual = np.column_stack([exog, d])
    resid = y - x_actual @ second.params
    x_hat = np.column_stack([exog, d_hat])
    bread = np.linalg.inv(x_hat.T @ x_hat)
    meat = (x_hat * resid[:, None] ** 2).T @ x_hat
    n, k = x_hat.shape
    cov = bread @ meat @ bread * n / (n - k)
    se = float(math.sqrt(cov[-1, -1]))
    estimate = float(second.params[-1])
    z_crit = 1.959963984540054
    return Estimate(
        estimate,
        se,
        estimate - z_crit * se,
        estimate + z_crit * se,
        n_selected=int(d.sum()),
        n_comparison=int(len(d) - d.sum()),
        means={},
        cautions=["exploratory"],
    )
