"""Exact cohort selection with OR-Tools CP-SAT.

Scores are scaled to integers exactly (``scale`` = the smallest power of ten
that makes every score integral, at most 10**6) so CP-SAT optimises

    maximise sum_j (scale * s_j) x_j

over the free candidates of the compact problem (see ``compact.py``: pinned
candidates are constants, barred ones are absent). The reported objective is
the exact Decimal sum of the selected scores, in original units.

Pipeline, all linear in the number of candidates except the sort:

1. ``compact``: drop barred candidates, subtract pinned usage from the limits.
2. The greedy heuristic gives an incumbent ``z_inc`` (also used as a hint).
3. Presolve (``bound.py``): Lagrangian reduced-cost fixing drops every
   candidate that cannot belong to a selection worth at least ``z_inc``; this
   keeps every optimal solution and typically leaves a few hundred to a few
   thousand of 100,000 candidates.
4. CP-SAT on the rest, with one linear row per binding limit. CP-SAT's own
   presolve is switched off: on these flat models (one cardinality row and
   ~70 covering/packing rows) its dominance and probing passes cost 10x the
   search (measured: 100,000 candidates, K=500, full model: > 60 s with
   presolve, 3.5 s without; reduced models: 1.2 s vs 0.13 s).

Determinism and threads: CP-SAT with one worker and a fixed seed is
deterministic (same problem, same cohort). Its parallel portfolio is not,
unless run in interleaved mode. Measured on the 2-core host on the reduced
models of the benchmark (K=500): 1 worker 0.01-0.16 s, 2 workers 0.04-0.5 s,
2 workers interleaved 13-17 s. So the default is ``num_workers=1``: fastest,
deterministic, and it leaves the second core to the web and Celery
processes. ``num_workers=2`` is available for hard instances; it runs
interleaved (deterministic) unless ``deterministic=False``.
"""

from __future__ import annotations

import time
from decimal import Decimal

from ortools.sat.python import cp_model

from .bound import Rows, reduce_positions
from .compact import Compact, compact
from .explain import explain_infeasibility, reasons_for_indices
from .greedy import greedy_positions
from .model import Message, SelectionProblem, SelectionResult, Status, gettext_noop, order_ids, total_score
from .sized import solve_sized

#: Candidates above which the presolve reduction runs when not forced.
PRESOLVE_MIN_CANDIDATES = 2000


def _cp_sat_model(
    cp: Compact, rows: Rows, positions: list[int], hint: list[int] | None
) -> tuple[cp_model.CpModel, list[cp_model.IntVar]]:
    """CP-SAT model over ``positions`` (a subset of the free candidates)."""
    model = cp_model.CpModel()
    xs = [model.new_bool_var(f"x{cp.free[p]}") for p in positions]
    var_of = dict(zip(positions, xs, strict=True))
    model.add(cp_model.LinearExpr.sum(xs) == cp.k)
    for members, low, high in zip(rows.members, rows.lo, rows.hi, strict=True):
        vs = [var_of[p] for p in members if p in var_of]
        if high is not None and high >= len(vs):
            high = None  # cannot bind on this subset
        if low > 0 or high is not None:
            model.add_linear_constraint(cp_model.LinearExpr.sum(vs), low, cp_model.INT_MAX if high is None else high)
    model.maximize(cp_model.LinearExpr.weighted_sum(xs, [cp.weight[p] for p in positions]))
    if hint is not None:
        chosen = set(hint)
        for p, x in var_of.items():
            model.add_hint(x, p in chosen)
    return model, xs


def _to_units(cp: Compact, scaled: float) -> Decimal:
    pinned = total_score(cp.problem, cp.pinned, cp.scores)
    return pinned + Decimal(round(scaled)) / cp.scale


def solve_exact(
    problem: SelectionProblem,
    *,
    time_limit: float = 30.0,
    num_workers: int = 1,
    deterministic: bool = True,
    seed: int = 0,
    presolve: bool | None = None,
) -> SelectionResult:
    """Choose the best cohort between ``problem.k`` and ``problem.k_max`` candidates (``sized.py``);
    each fixed size is solved by :func:`solve_fixed_exact`, all of them within ``time_limit`` seconds."""
    start = time.perf_counter()

    def fixed_size(fixed: SelectionProblem, explain: bool) -> SelectionResult:
        # The sizes share the time limit (at least a second each, so a late size still gets an answer).
        left = max(1.0, time_limit - (time.perf_counter() - start))
        return solve_fixed_exact(
            fixed,
            time_limit=left,
            num_workers=num_workers,
            deterministic=deterministic,
            seed=seed,
            presolve=presolve,
            explain=explain,
        )

    return solve_sized(problem, fixed_size)


def solve_fixed_exact(
    problem: SelectionProblem,
    *,
    time_limit: float = 30.0,
    num_workers: int = 1,
    deterministic: bool = True,
    seed: int = 0,
    presolve: bool | None = None,
    explain: bool = True,
) -> SelectionResult:
    """Choose the best cohort of exactly ``problem.k`` candidates.

    ``status`` is "optimal" (proven), "feasible" (time limit reached with a
    cohort in hand, ``bound`` says how far from optimal it can be) or
    "infeasible" (with ``explanation``; if the time limit was reached
    before any cohort was found the explanation says infeasibility is not
    proven). ``presolve=None`` reduces the problem only when it has more
    than ``PRESOLVE_MIN_CANDIDATES`` free candidates; ``True`` forces it.
    """
    start = time.perf_counter()
    cp = compact(problem)
    stats: dict[str, float] = {"candidates": len(problem.candidates), "free": cp.n}

    def infeasible(explanation: list[Message] | None = None, *, search: bool = True) -> SelectionResult:
        lines: list[str] = list(explanation or [])
        if explain and (search or not lines):
            budget = max(1.0, time_limit - (time.perf_counter() - start))
            lines += explain_infeasibility(problem, search=search, time_limit=budget)
        return SelectionResult(
            status="infeasible",
            selected=(),
            objective=Decimal(0),
            solver="cp-sat",
            seconds=time.perf_counter() - start,
            explanation=lines,
            stats=stats,
        )

    if cp.conflict or cp.k > cp.n:
        return infeasible()
    incumbent = greedy_positions(cp)
    if incumbent is None and explain:
        # The greedy failed: run the counting checks before any solver, they
        # settle the common cases at once (a big infeasible model can take
        # CP-SAT long to prove).
        found = explain_infeasibility(problem, search=False)
        if found:
            return infeasible(found, search=False)

    positions = list(range(cp.n))
    rows = Rows.build(cp)
    if incumbent is not None and (presolve or (presolve is None and cp.n > PRESOLVE_MIN_CANDIDATES)):
        positions = reduce_positions(cp, incumbent, rows).kept
    stats["model"] = len(positions)
    stats["prepare_seconds"] = time.perf_counter() - start

    model, xs = _cp_sat_model(cp, rows, positions, incumbent)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, num_workers)
    params.interleave_search = deterministic and params.num_workers > 1
    params.random_seed = seed
    params.cp_model_presolve = False  # see the module docstring
    params.max_time_in_seconds = max(0.1, time_limit - (time.perf_counter() - start))
    status = solver.solve(model)
    stats["cp_sat_seconds"] = solver.wall_time

    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [p for p, x in zip(positions, xs, strict=True) if solver.boolean_value(x)]
        name: Status = "optimal" if status == cp_model.OPTIMAL else "feasible"
        bound = _to_units(cp, solver.best_objective_bound)
    elif status == cp_model.INFEASIBLE:
        return infeasible()
    elif status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"invalid CP-SAT model: {model.validate()}")
    elif incumbent is not None:  # UNKNOWN: time limit before CP-SAT found anything
        chosen, name, bound = incumbent, "feasible", None
    else:
        return infeasible(
            [
                Message(
                    gettext_noop(
                        "The time limit of %(seconds).1f s was reached before any cohort was found; "
                        "infeasibility is not proven."
                    ),
                    seconds=time_limit,
                )
            ],
            search=False,
        )

    indices = cp.pinned + [cp.free[p] for p in chosen]
    return SelectionResult(
        status=name,
        selected=order_ids(problem, indices, cp.scores),
        objective=total_score(problem, indices, cp.scores),
        solver="cp-sat",
        seconds=time.perf_counter() - start,
        reasons=reasons_for_indices(problem, indices, cp) if explain else {},
        bound=bound,
        stats=stats,
    )
