"""A cohort size range with a growth-potential floor, solved as a few fixed-size problems.

A problem with ``k_max > k`` (see :mod:`cohorts.selection.model`) is the best of

* exactly ``k`` over every candidate (the minimum, any score), and
* exactly ``m`` over the candidates at or above the floor, for each ``m`` in ``k+1..k_max``
  (a cohort larger than the minimum has every member at or above the floor).

Sizes are tried from ``k_max`` down; the sum of the ``m`` best selectable scores bounds every
cohort of size ``m``, and it shrinks with ``m`` (scores are not negative), so the search stops at
the first size whose bound cannot beat the best cohort found. That keeps the result exact while
usually solving only two fixed-size problems.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from itertools import accumulate

from .compact import compact
from .explain import reasons_for_indices
from .model import Message, SelectionProblem, SelectionResult, as_decimal, gettext_noop

FixedSolver = Callable[[SelectionProblem, bool], SelectionResult]


def solve_sized(problem: SelectionProblem, solve_fixed: FixedSolver, *, reasons: bool = True) -> SelectionResult:
    """Solve ``problem`` (a size range, perhaps a floor) with ``solve_fixed(fixed_problem, explain)``;
    ``explain=False`` asks for the cohort alone (no explanation, no per-candidate reasons): the reasons
    are given once, for the best size. ``reasons=False``: none at all (the greedy baseline compared with
    the exact cohort)."""
    if problem.upper == problem.k:
        return solve_fixed(problem.fixed(problem.k), True)
    start = time.perf_counter()
    base = solve_fixed(problem.fixed(problem.k), False)
    best = base if base.feasible else None
    pinned_below = [c for c in problem.candidates if c.pinned and not c.excluded and not problem.above_floor(c)]
    pool = problem.floor_pool()
    scores = sorted((as_decimal(c.score) for c in pool if c.selectable), reverse=True)
    prefix = [Decimal(0), *accumulate(scores)]
    monotone = all(s >= 0 for s in scores)
    tried = 0
    if not pinned_below:
        for m in range(min(problem.upper, len(scores)), problem.k, -1):
            if best is not None and monotone and best.objective >= prefix[m]:
                break
            tried += 1
            result = solve_fixed(problem.fixed(m, pool), False)
            if result.feasible and (best is None or result.objective > best.objective):
                best = result
    if best is None:
        explained = solve_fixed(problem.fixed(problem.k), True)
        explained.explanation.insert(0, _range_line(problem))
        explained.seconds = time.perf_counter() - start
        return explained
    index = {c.id: i for i, c in enumerate(problem.candidates)}
    indices = [index[c] for c in best.selected]
    if reasons:
        best.reasons = _reasons(problem, indices)
    best.size_note = _size_note(problem, len(indices), pinned_below)
    best.seconds = time.perf_counter() - start
    best.stats = {**best.stats, "sizes_tried": tried + 1}
    return best


def _reasons(problem: SelectionProblem, indices: list[int]) -> dict:
    # The compact form of the size-k problem is that of ``problem`` (it reads neither range nor floor).
    cp = compact(problem.fixed(problem.k))
    below: dict[int, Message] = {}
    if len(indices) > problem.k and problem.floor is not None:
        chosen, floor, floor_text, scores = set(indices), problem.floor, str(problem.floor), cp.scores
        template = gettext_noop(
            "Not selected: growth potential %(score)s is below the floor of %(floor)s; beyond its "
            "minimum of %(min)d the cohort takes only candidates at or above the floor."
        )
        for i, c in enumerate(problem.candidates):
            if scores[i] < floor and i not in chosen and c.selectable:
                below[i] = Message(template, score=str(scores[i]), floor=floor_text, min=problem.k)
    return reasons_for_indices(problem, indices, cp, override=below)


def _floor_text(problem: SelectionProblem) -> str:
    return "-" if problem.floor is None else str(problem.floor)


def _range_line(problem: SelectionProblem) -> Message:
    if problem.floor is None:
        return Message(
            gettext_noop("No cohort of %(min)d to %(max)d candidates meets every limit (K below is the minimum)."),
            min=problem.k,
            max=problem.upper,
        )
    return Message(
        gettext_noop(
            "No cohort of %(min)d to %(max)d candidates meets every limit, even with candidates below the floor of "
            "%(floor)s at the minimum (K below is the minimum)."
        ),
        min=problem.k,
        max=problem.upper,
        floor=_floor_text(problem),
    )


def _size_note(problem: SelectionProblem, n: int, pinned_below: list) -> Message:
    params = {"n": n, "min": problem.k, "max": problem.upper, "floor": _floor_text(problem)}
    if n > problem.k:
        if problem.floor is None:
            return Message(
                gettext_noop("%(n)d selected: between the minimum of %(min)d and the maximum of %(max)d."), **params
            )
        return Message(
            gettext_noop(
                "%(n)d selected: the minimum of %(min)d and %(extra)d more at or above the floor of %(floor)s "
                "(maximum %(max)d)."
            ),
            extra=n - problem.k,
            **params,
        )
    if pinned_below:
        return Message(
            gettext_noop(
                "%(n)d selected, the minimum: %(pinned)d pinned candidates are below the floor of %(floor)s, so the "
                "cohort cannot grow beyond its minimum."
            ),
            pinned=len(pinned_below),
            **params,
        )
    if problem.floor is None:
        return Message(
            gettext_noop("%(n)d selected, the minimum: no larger cohort up to %(max)d meets every limit."), **params
        )
    return Message(
        gettext_noop(
            "%(n)d selected, the minimum: no larger cohort up to %(max)d has every member at or above the floor of "
            "%(floor)s within the cohort's limits."
        ),
        **params,
    )
