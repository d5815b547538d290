"""Greedy baseline for cohort selection.

The heuristic, on the compact problem (pinned candidates already taken):

1. Area minimums: while some area ``a`` still lacks ``d_a > 0`` suppliers,
   pick the area with the least slack ``(unseen suppliers of a) - d_a``
   (the scarcest one first) and add its best-scoring supplier that fits every
   maximum and cap.
2. Fill: walk all candidates by decreasing score and add each one that fits,
   until K are selected.

It runs in ``O(N log N + N * areas per candidate)`` and is usually within a
fraction of a percent of the optimum, but it can be strictly worse (a
high-scoring supplier picked for a minimum may take a cap place that two
others would use better) or fail outright (e.g. taking the best supplier of
one area leaves no place for the only supplier of another); it never proves
infeasibility.
"""

from __future__ import annotations

import time
from decimal import Decimal

from .compact import Compact, compact
from .explain import explain_infeasibility, reasons_for_indices
from .model import Message, SelectionProblem, SelectionResult, gettext_noop, order_ids, total_score
from .sized import solve_sized


def greedy_positions(cp: Compact) -> list[int] | None:
    """Positions chosen by the greedy heuristic, or ``None`` if it fails.

    Computed once per compact form and kept on it (the exact optimizer's incumbent and the greedy baseline
    are the same cohort): callers only read the list."""
    if "_greedy" not in cp.__dict__:
        cp.__dict__["_greedy"] = _greedy_positions(cp)
    return cp.__dict__["_greedy"]


def _greedy_positions(cp: Compact) -> list[int] | None:
    if cp.conflict or cp.k < 0:
        return None
    n = cp.n
    order = sorted(range(n), key=lambda p: -cp.weight[p])  # stable: ties keep input order
    k_left = cp.k
    area_left: list[int | None] = list(cp.area_hi)
    state_left: list[int | None] = list(cp.state_hi)
    region_left: list[int | None] = list(cp.region_hi)
    deficit = list(cp.area_lo)
    chosen = [False] * n

    def fits(p: int) -> bool:
        if k_left <= 0:
            return False
        s, r = state_left[cp.state_of[p]], region_left[cp.region_of[p]]
        if (s is not None and s <= 0) or (r is not None and r <= 0):
            return False
        return all((left := area_left[a]) is None or left > 0 for a in cp.areas_of[p])

    def take(p: int) -> None:
        nonlocal k_left
        chosen[p] = True
        k_left -= 1
        for limits, key in ((state_left, cp.state_of[p]), (region_left, cp.region_of[p])):
            left = limits[key]
            if left is not None:
                limits[key] = left - 1
        for a in cp.areas_of[p]:
            area = area_left[a]
            if area is not None:
                area_left[a] = area - 1
            if deficit[a] > 0:
                deficit[a] -= 1

    # Phase 1: area minimums, scarcest area first. Suppliers are scanned in
    # score order with a pointer: limits only shrink, so a supplier that does
    # not fit now never will, and the pointer never goes back.
    needy = [a for a, d in enumerate(deficit) if d > 0]
    suppliers: dict[int, list[int]] = {a: [] for a in needy}
    for p in order:
        for a in cp.areas_of[p]:
            if a in suppliers:
                suppliers[a].append(p)
    pointer = dict.fromkeys(needy, 0)
    while True:
        needy = [a for a in needy if deficit[a] > 0]
        if not needy:
            break
        a = min(needy, key=lambda a: len(suppliers[a]) - pointer[a] - deficit[a])
        ids, i = suppliers[a], pointer[a]
        while i < len(ids) and (chosen[ids[i]] or not fits(ids[i])):
            i += 1
        pointer[a] = i
        if i == len(ids):
            return None
        take(ids[i])

    # Phase 2: fill by score.
    for p in order:
        if k_left == 0:
            break
        if not chosen[p] and fits(p):
            take(p)
    if k_left != 0:
        return None
    return [p for p in range(n) if chosen[p]]


def solve_greedy(problem: SelectionProblem, *, reasons: bool = True) -> SelectionResult:
    """Run the greedy baseline over the cohort size range (``sized.py``), each size by
    :func:`solve_fixed_greedy`. ``reasons=False``: no per-candidate reasons (a comparison needs only the
    cohort and its objective)."""
    return solve_sized(
        problem,
        lambda fixed, explain: solve_fixed_greedy(fixed, explain=explain, reasons=reasons and explain),
        reasons=reasons,
    )


def solve_fixed_greedy(
    problem: SelectionProblem, *, explain: bool = True, reasons: bool | None = None
) -> SelectionResult:
    """Run the greedy baseline for exactly ``problem.k``; ``status`` is "feasible" or "infeasible".
    ``explain``: an infeasible result says why, a feasible one gives each candidate's reason (unless
    ``reasons`` is False).

    "infeasible" from the greedy means only that the heuristic found no
    cohort; the explanation then says so and adds whatever the simple
    infeasibility checks find.
    """
    start = time.perf_counter()
    cp = compact(problem)
    positions = greedy_positions(cp)
    if positions is None:
        explanation: list[str] = list(explain_infeasibility(problem, search=False)) if explain else []
        explanation.insert(
            0,
            Message(
                gettext_noop(
                    "The greedy heuristic found no cohort; this does not prove that none exists "
                    "(run the exact optimizer)."
                )
            ),
        )
        return SelectionResult(
            status="infeasible",
            selected=(),
            objective=Decimal(0),
            solver="greedy",
            seconds=time.perf_counter() - start,
            explanation=explanation,
            stats={"candidates": len(problem.candidates), "free": cp.n},
        )
    indices = cp.pinned + [cp.free[p] for p in positions]
    return SelectionResult(
        status="feasible",
        selected=order_ids(problem, indices, cp.scores),
        objective=total_score(problem, indices, cp.scores),
        solver="greedy",
        seconds=time.perf_counter() - start,
        reasons=reasons_for_indices(problem, indices, cp) if (explain if reasons is None else reasons) else {},
        stats={"candidates": len(problem.candidates), "free": cp.n},
    )
