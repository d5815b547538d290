"""Exact problem reduction by Lagrangian bounds (reduced-cost fixing).

Work on the compact problem (pinned candidates removed, integer weights
``c_j``). Take any multipliers ``y_r`` for the limit rows, with the sign that
makes the relaxation valid: ``y_r >= 0`` on a "<= hi_r" side and
``y_r <= 0`` on a ">= lo_r" side. For every feasible selection ``x``

    c.x <= L(x) = sum_j d_j x_j + const,
    d_j   = c_j - sum_{rows r containing j} y_r,
    const = sum_r y_r * (hi_r if y_r > 0 else lo_r),

because each added term ``y_r * (bound_r - row_r(x))`` is >= 0. Keeping only
``sum_j x_j = K`` and maximising ``L`` gives the bound
``UB = const + (sum of the K largest d_j)``. Forcing ``x_j = 1`` for a
candidate outside that top-K gives ``UB_j = UB - d_(K) + d_j``, where ``d_(K)``
is the K-th largest value. With an incumbent selection of value ``z_inc``
(the greedy one), every selection containing ``j`` is strictly worse than the
incumbent when ``UB_j < z_inc``, so ``j`` can be dropped without losing any
optimal solution. We therefore keep exactly the candidates with

    d_j >= d_(K) - (UB - z_inc).

The multipliers are rounded to integers (in units of ``1/PRECISION`` weight)
and every quantity above is computed in Python integers, so the rule is exact
whatever the quality of ``y``; good multipliers only make it prune more. We
get them from the LP relaxation (GLOP) on a working set of candidates grown by
column generation: a candidate outside the set enters while its LP reduced
cost ``d_j - theta`` (``theta`` = dual of the cardinality row) is positive.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from .compact import Compact

PRECISION = 1024
MAX_ROUNDS = 8


@dataclass
class Rows:
    """The limit rows of a compact problem: member positions and bounds."""

    members: list[list[int]]
    lo: list[int]
    hi: list[int | None]
    rows_of: list[list[int]]

    @classmethod
    def build(cls, cp: Compact) -> Rows:
        by_area, by_state, by_region = cp.members()
        members: list[list[int]] = []
        lo: list[int] = []
        hi: list[int | None] = []
        groups = ((by_area, cp.area_lo, cp.area_hi), (by_state, None, cp.state_hi), (by_region, None, cp.region_hi))
        for group_members, group_lo, group_hi in groups:
            for g, ms in enumerate(group_members):
                low = group_lo[g] if group_lo is not None else 0
                high = group_hi[g]
                if high is not None and high >= min(len(ms), cp.k):
                    high = None  # can never bind
                if low > 0 or high is not None:
                    members.append(ms)
                    lo.append(low)
                    hi.append(high)
        rows_of: list[list[int]] = [[] for _ in range(cp.n)]
        for r, ms in enumerate(members):
            for p in ms:
                rows_of[p].append(r)
        return cls(members=members, lo=lo, hi=hi, rows_of=rows_of)


def _lp_duals(cp: Compact, rows: Rows, working: list[int]) -> tuple[list[float], float] | None:
    """Row duals and cardinality dual of the LP relaxation on ``working``."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    inf = solver.infinity()
    card = solver.Constraint(cp.k, cp.k)
    cons = [
        solver.Constraint(rows.lo[r] if rows.lo[r] > 0 else -inf, inf if rows.hi[r] is None else rows.hi[r])
        for r in range(len(rows.lo))
    ]
    objective = solver.Objective()
    for p in working:
        var = solver.NumVar(0.0, 1.0, "")
        card.SetCoefficient(var, 1)
        for r in rows.rows_of[p]:
            cons[r].SetCoefficient(var, 1)
        objective.SetCoefficient(var, float(cp.weight[p]))
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return [c.dual_value() for c in cons], card.dual_value()


def _integer_multipliers(rows: Rows, duals: list[float]) -> list[int]:
    """Round LP duals to integers and clip them to a valid sign.

    A positive multiplier needs an upper bound on its row. A negative one
    uses the row's minimum (0 when it has none, since a count is >= 0); the
    LP only gives those to rows with a real minimum, so others are zeroed.
    """
    ys: list[int] = []
    for r, dual in enumerate(duals):
        y = round(dual * PRECISION)
        if (y > 0 and rows.hi[r] is None) or (y < 0 and rows.lo[r] <= 0):
            y = 0
        ys.append(y)
    return ys


def _adjusted(cp: Compact, rows: Rows, ys: list[int]) -> list[int]:
    weight, rows_of = cp.weight, rows.rows_of
    return [weight[p] * PRECISION - sum(ys[r] for r in rows_of[p]) for p in range(cp.n)]


@dataclass
class Reduction:
    """Outcome of :func:`reduce_positions`, all values in ``weight * PRECISION`` units.

    ``adjusted[p]`` is ``d_p``, ``upper`` is ``UB``, ``kth`` is ``d_(K)`` and
    ``incumbent`` is ``z_inc``; ``kept`` lists the positions with
    ``UB_p >= z_inc``, i.e. ``d_p >= kth - (upper - incumbent)``.
    """

    kept: list[int]
    adjusted: list[int]
    upper: int
    kth: int
    incumbent: int

    def bound_with(self, p: int) -> int:
        """Upper bound on any selection containing position ``p``."""
        return self.upper - self.kth + self.adjusted[p] if self.adjusted[p] < self.kth else self.upper


def reduce_positions(cp: Compact, incumbent: list[int], rows: Rows | None = None) -> Reduction:
    """Positions that may appear in a selection at least as good as ``incumbent``."""
    n, k = cp.n, cp.k
    rows = rows or Rows.build(cp)
    z_inc = sum(cp.weight[p] for p in incumbent) * PRECISION
    if k == 0:
        return Reduction(kept=[], adjusted=[0] * n, upper=0, kth=0, incumbent=z_inc)

    # Initial working set: the incumbent, the best candidates overall and the
    # best suppliers of each area with a minimum.
    working = set(incumbent) | set(heapq.nlargest(2 * k + 50, range(n), key=lambda p: cp.weight[p]))
    by_area, _, _ = cp.members()
    for a, low in enumerate(cp.area_lo):
        if low > 0:
            working.update(heapq.nlargest(2 * low + 10, by_area[a], key=lambda p: cp.weight[p]))

    ys = [0] * len(rows.lo)
    d = _adjusted(cp, rows, ys)
    for _ in range(MAX_ROUNDS):
        result = _lp_duals(cp, rows, sorted(working))
        if result is None:
            break
        duals, theta = result
        ys = _integer_multipliers(rows, duals)
        d = _adjusted(cp, rows, ys)
        threshold = theta * PRECISION + 1
        entering = [p for p in range(n) if d[p] > threshold and p not in working]
        if not entering:
            break
        working.update(heapq.nlargest(max(1000, len(working)), entering, key=lambda p: d[p]))

    const = 0
    for r, y in enumerate(ys):
        if y > 0:
            const += y * rows.hi[r]  # type: ignore[operator]
        elif y < 0:
            const += y * rows.lo[r]
    top = heapq.nlargest(k, d)
    upper = const + sum(top)
    gap = upper - z_inc
    if gap < 0:  # impossible with a feasible incumbent; keep everything to be safe
        return Reduction(kept=list(range(n)), adjusted=d, upper=upper, kth=top[-1], incumbent=z_inc)
    cut = top[-1] - gap
    return Reduction(kept=[p for p in range(n) if d[p] >= cut], adjusted=d, upper=upper, kth=top[-1], incumbent=z_inc)
