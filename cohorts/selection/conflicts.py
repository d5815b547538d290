"""Minimal conflicting set of constraint groups, found with CP-SAT.

Each relaxable constraint (the cohort size, each area minimum, each area
maximum, each state cap, each region cap, each pinned candidate) gets an
enforcement literal ``e_g``: the row holds when ``e_g`` is true. Solving the
feasibility problem under the assumptions ``e_g = true`` for all ``g``
returns, when infeasible, a subset of assumptions that is already infeasible
(an unsatisfiable core). A deletion filter then shrinks it: drop one group,
re-solve, and keep it dropped if the rest is still infeasible. The result is
a minimal set: removing any single group of it makes a cohort possible.
Exclusions and anchor objections are facts here, not relaxable constraints.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .model import CandidateId, Message, SelectionProblem, gettext_noop


@dataclass(frozen=True)
class Group:
    """One relaxable constraint: kind in {"k", "area_min", "area_max", "state_cap", "region_cap", "pinned"}."""

    kind: str
    key: str | CandidateId
    bound: int

    def describe(self) -> Message:
        if self.kind == "k":
            return Message(gettext_noop("cohort size: exactly K=%(k)d"), k=self.bound)
        if self.kind == "area_min":
            return Message(
                gettext_noop("supply area '%(area)s': at least %(min)d selected"), min=self.bound, area=self.key
            )
        if self.kind == "area_max":
            return Message(
                gettext_noop("supply area '%(area)s': at most %(max)d selected"), max=self.bound, area=self.key
            )
        if self.kind == "state_cap":
            return Message(gettext_noop("state %(state)s: at most %(cap)d selected"), cap=self.bound, state=self.key)
        if self.kind == "region_cap":
            return Message(
                gettext_noop("region '%(region)s': at most %(cap)d selected"), cap=self.bound, region=self.key
            )
        return Message(gettext_noop("candidate %(id)s: pinned by program staff"), id=self.key)


@dataclass
class ConflictSearch:
    """Outcome: ``feasible`` True when all groups can hold together."""

    feasible: bool | None
    groups: list[Group]
    minimal: bool


def find_conflict(problem: SelectionProblem, *, time_limit: float = 10.0) -> ConflictSearch:
    """Search a minimal set of constraint groups that cannot hold together.

    ``feasible`` is None when the time limit stopped the first solve; when it
    stops the deletion filter the set returned is conflicting but perhaps not
    minimal (``minimal`` False).
    """
    deadline = time.perf_counter() + time_limit
    model = cp_model.CpModel()
    usable = [c for c in problem.candidates if not c.excluded and (c.pinned or not c.objected)]
    xs = [model.new_bool_var("") for _ in usable]
    by_area: dict[str, list[cp_model.IntVar]] = {}
    by_state: dict[str, list[cp_model.IntVar]] = {}
    by_region: dict[str, list[cp_model.IntVar]] = {}
    for cand, x in zip(usable, xs, strict=True):
        for a in cand.areas:
            if a in problem.area_min or a in problem.area_max:
                by_area.setdefault(a, []).append(x)
        if cand.state in problem.state_cap:
            by_state.setdefault(cand.state, []).append(x)
        if cand.region in problem.region_cap:
            by_region.setdefault(cand.region, []).append(x)

    literals: list[cp_model.IntVar] = []
    groups: list[Group] = []

    def relaxable(group: Group, constraint: cp_model.Constraint) -> None:
        lit = model.new_bool_var("")
        constraint.only_enforce_if(lit)
        literals.append(lit)
        groups.append(group)

    total = cp_model.LinearExpr.sum(xs)
    relaxable(Group("k", "k", problem.k), model.add(total == problem.k))
    for area, minimum in problem.area_min.items():
        expr = cp_model.LinearExpr.sum(by_area.get(area, []))
        relaxable(Group("area_min", area, minimum), model.add(expr >= minimum))
    for area, maximum in problem.area_max.items():
        expr = cp_model.LinearExpr.sum(by_area.get(area, []))
        relaxable(Group("area_max", area, maximum), model.add(expr <= maximum))
    for kind, limits, members in (
        ("state_cap", problem.state_cap, by_state),
        ("region_cap", problem.region_cap, by_region),
    ):
        for key, cap in limits.items():
            if key in members:
                expr = cp_model.LinearExpr.sum(members[key])
                relaxable(Group(kind, key, cap), model.add(expr <= cap))
    for cand, x in zip(usable, xs, strict=True):
        if cand.pinned:
            relaxable(Group("pinned", cand.id, 1), model.add(x == 1))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # cores are only reported single-threaded
    solver.parameters.random_seed = 0
    solver.parameters.cp_model_presolve = False  # slow on big flat models, see exact.py
    # Enforced rows relax badly in the default LP; the full linearization
    # proves these conflicts far faster (100,000 candidates: 11 s vs > 60 s).
    solver.parameters.linearization_level = 2

    def solve(active: list[int]) -> int:
        model.clear_assumptions()
        model.add_assumptions([literals[g] for g in active])
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
        return int(solver.solve(model))

    status = solve(list(range(len(groups))))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ConflictSearch(feasible=True, groups=[], minimal=True)
    if status != cp_model.INFEASIBLE:
        return ConflictSearch(feasible=None, groups=[], minimal=False)
    index_of = {lit.index: g for g, lit in enumerate(literals)}
    core = sorted(index_of[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index_of)
    if not core:
        core = list(range(len(groups)))

    minimal = True
    for g in list(core):
        if time.perf_counter() >= deadline:
            minimal = False
            break
        trial = [h for h in core if h != g]
        status = solve(trial)
        if status == cp_model.INFEASIBLE:
            core = trial
        elif status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            minimal = False
    return ConflictSearch(feasible=False, groups=[groups[g] for g in core], minimal=minimal)
