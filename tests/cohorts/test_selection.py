"""Tests of the pure cohort-selection optimizer (no Django, no database).

The exact solver is checked against brute force over all K-subsets of small
seeded random instances, with a constraint checker written independently of
the solver code.
"""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cohorts.selection import (
    SelectionCandidate,
    SelectionProblem,
    candidate_reasons,
    explain_infeasibility,
    solve_exact,
    solve_greedy,
)
from cohorts.selection.bound import PRECISION, reduce_positions
from cohorts.selection.compact import compact
from cohorts.selection.greedy import greedy_positions
from cohorts.selection.model import as_decimal

REGION = {"01": "norte", "02": "norte", "03": "bajio", "04": "centro", "19": "norte", "11": "bajio"}


def cand(cid: str, score: float | str, areas: str, state: str = "01", **flags: bool) -> SelectionCandidate:
    """Candidate with ``areas`` given as a comma-separated string."""
    value = Decimal(score) if isinstance(score, str) else score
    return SelectionCandidate(
        id=cid, score=value, areas=frozenset(areas.split(",")), state=state, region=REGION[state], **flags
    )


# --- an independent checker and brute force -------------------------------------------------------------


def violations(problem: SelectionProblem, selected: tuple) -> list[str]:
    """Every rule that ``selected`` breaks (empty when the cohort is valid)."""
    by_id = {c.id: c for c in problem.candidates}
    chosen = [by_id[i] for i in selected]
    out = []
    if len(set(selected)) != len(selected):
        out.append("duplicate ids")
    if len(chosen) != problem.k:
        out.append(f"size {len(chosen)} != K={problem.k}")
    for c in problem.candidates:
        if c.pinned and c.id not in selected:
            out.append(f"pinned {c.id} missing")
    for c in chosen:
        if c.excluded:
            out.append(f"excluded {c.id} selected")
        if c.objected and not c.pinned:
            out.append(f"objected {c.id} selected")
    for area in set(problem.area_min) | set(problem.area_max):
        n = sum(area in c.areas for c in chosen)
        if n < problem.area_min.get(area, 0) or n > problem.area_max.get(area, n):
            out.append(f"area {area} has {n}")
    for state, cap in problem.state_cap.items():
        if sum(c.state == state for c in chosen) > cap:
            out.append(f"state {state} over cap")
    for region, cap in problem.region_cap.items():
        if sum(c.region == region for c in chosen) > cap:
            out.append(f"region {region} over cap")
    return out


def brute_force(problem: SelectionProblem) -> Decimal | None:
    """Best total score over all valid K-subsets, or None if there is none."""
    best = None
    for subset in itertools.combinations(problem.candidates, problem.k):
        ids = tuple(c.id for c in subset)
        if not violations(problem, ids):
            total = sum(
                (Decimal(repr(c.score)) if isinstance(c.score, float) else Decimal(c.score) for c in subset), Decimal(0)
            )
            best = total if best is None or total > best else best
    return best


def random_problem(seed: int) -> SelectionProblem:
    rng = random.Random(seed)
    n = rng.randint(10, 14)
    areas = ["A", "B", "C", "D"]
    states = ["01", "02", "03", "04"]
    candidates = []
    for i in range(n):
        score = round(rng.uniform(0, 100), 3)
        candidates.append(
            SelectionCandidate(
                id=f"c{i}",
                score=score if rng.random() < 0.5 else Decimal(str(score)),
                areas=frozenset(rng.sample(areas, rng.randint(1, 3))),
                state=(state := rng.choice(states)),
                region=REGION[state],
                pinned=rng.random() < 0.08,
                excluded=rng.random() < 0.08,
                objected=rng.random() < 0.12,
            )
        )
    pick = lambda pool, p: [x for x in pool if rng.random() < p]  # noqa: E731
    return SelectionProblem(
        candidates=candidates,
        k=rng.randint(3, 5),
        area_min={a: rng.randint(0, 2) for a in pick(areas, 0.6)},
        area_max={a: rng.randint(1, 4) for a in pick(areas, 0.4)},
        state_cap={s: rng.randint(1, 3) for s in pick(states, 0.5)},
        region_cap={r: rng.randint(2, 4) for r in pick(["norte", "bajio", "centro"], 0.4)},
    )


SEEDS = range(100)
_BRUTE = {seed: brute_force(random_problem(seed)) for seed in SEEDS}


def test_random_instances_cover_both_outcomes():
    feasible = sum(v is not None for v in _BRUTE.values())
    assert 30 <= feasible <= 90, feasible


@pytest.mark.parametrize("presolve", [False, True], ids=["plain", "presolve"])
@pytest.mark.parametrize("seed", SEEDS)
def test_exact_matches_brute_force(seed: int, presolve: bool):
    problem = random_problem(seed)
    best = _BRUTE[seed]
    result = solve_exact(problem, presolve=presolve)
    if best is None:
        assert result.status == "infeasible"
        assert result.selected == ()
        assert result.explanation and all(isinstance(line, str) and line for line in result.explanation)
        return
    assert result.status == "optimal"
    assert result.objective == best
    assert isinstance(result.objective, Decimal)
    assert result.bound == best
    assert violations(problem, result.selected) == []
    selected = set(result.selected)
    for c in problem.candidates:
        if c.pinned:
            assert c.id in selected
        if c.excluded or (c.objected and not c.pinned):
            assert c.id not in selected
    assert set(result.reasons) == {c.id for c in problem.candidates}


@pytest.mark.parametrize("seed", SEEDS)
def test_greedy_is_valid_and_never_beats_exact(seed: int):
    problem = random_problem(seed)
    result = solve_greedy(problem)
    if result.status == "infeasible":
        assert result.selected == () and result.explanation
        return
    assert result.status == "feasible"
    assert violations(problem, result.selected) == []
    assert _BRUTE[seed] is not None and result.objective <= _BRUTE[seed]


def test_presolve_bounds_are_valid_and_drop_only_hopeless_candidates():
    """Reduced-cost fixing, checked against brute force candidate by candidate.

    For every free candidate j: the best valid cohort containing j is at most
    the Lagrangian bound UB_j, and j is dropped exactly when UB_j is below the
    incumbent (so no cohort as good as the incumbent is lost).
    """
    dropped = 0
    for seed in SEEDS:
        problem = random_problem(seed)
        cp = compact(problem)
        incumbent = greedy_positions(cp)
        if incumbent is None or cp.k == 0:
            continue
        red = reduce_positions(cp, incumbent)
        pinned_total = sum(as_decimal(problem.candidates[i].score) for i in cp.pinned)
        best_with: dict = {}
        for subset in itertools.combinations(problem.candidates, problem.k):
            if not violations(problem, tuple(c.id for c in subset)):
                total = sum(as_decimal(c.score) for c in subset) - pinned_total
                for c in subset:
                    best_with[c.id] = max(best_with.get(c.id, total), total)
        kept = set(red.kept)
        for p, i in enumerate(cp.free):
            bound = red.bound_with(p)
            best = best_with.get(problem.candidates[i].id)
            if best is not None:
                assert best * cp.scale * PRECISION <= bound, (seed, p)
            assert (p in kept) == (bound >= red.incumbent), (seed, p)
        dropped += cp.n - len(kept)
    assert dropped > 50  # the check is not vacuous


def _medium(seed: int, n: int = 400, k: int = 40) -> SelectionProblem:
    rng = random.Random(seed)
    areas = [f"A{i:02d}" for i in range(1, 11)]
    candidates = [
        SelectionCandidate(
            id=i,
            score=Decimal(rng.randint(0, 100_000)) / 1000,
            areas=frozenset(rng.sample(areas, rng.randint(1, 3))),
            state=(state := rng.choice(list(REGION))),
            region=REGION[state],
            objected=rng.random() < 0.05,
        )
        for i in range(n)
    ]
    return SelectionProblem(
        candidates,
        k,
        area_min=dict.fromkeys(areas, 3),
        area_max={"A01": 6, "A02": 8},
        state_cap=dict.fromkeys(REGION, 9),
        region_cap={"norte": 18},
    )


@pytest.mark.parametrize("seed", range(6))
def test_presolve_keeps_the_optimum_on_medium_instances(seed: int):
    problem = _medium(seed)
    plain = solve_exact(problem, presolve=False)
    reduced = solve_exact(problem, presolve=True)
    assert plain.status == reduced.status == "optimal"
    assert reduced.objective == plain.objective
    assert violations(problem, reduced.selected) == []
    assert reduced.stats["model"] < reduced.stats["free"]


def test_exact_is_deterministic():
    problem = _medium(11, n=2500, k=40)
    first, second = solve_exact(problem), solve_exact(problem)
    assert first.selected == second.selected and first.status == "optimal"


# --- hand-built cases ------------------------------------------------------------------------------------


def test_greedy_strictly_worse_than_exact():
    # Greedy covers area A with its best supplier c1, which takes the only
    # place of state 01 from c2 (95); exact covers A with c3 instead.
    problem = SelectionProblem(
        [cand("c1", 90, "A", "01"), cand("c2", 95, "B", "01"), cand("c3", 85, "A", "02")],
        k=2,
        area_min={"A": 1},
        state_cap={"01": 1},
    )
    greedy, exact = solve_greedy(problem), solve_exact(problem)
    assert (greedy.status, greedy.objective, greedy.selected) == ("feasible", Decimal(175), ("c1", "c3"))
    assert (exact.status, exact.objective, exact.selected) == ("optimal", Decimal(180), ("c2", "c3"))


def test_greedy_fails_where_exact_succeeds():
    # Scarcest area first: C (only c4), then A with its best supplier c1,
    # which uses the last place; B is left uncovered. {c3, c4} covers all.
    problem = SelectionProblem(
        [cand("c1", 90, "A"), cand("c2", 80, "B"), cand("c3", 50, "A,B"), cand("c4", 40, "C")],
        k=2,
        area_min={"A": 1, "B": 1, "C": 1},
    )
    greedy, exact = solve_greedy(problem), solve_exact(problem)
    assert greedy.status == "infeasible" and "does not prove" in greedy.explanation[0]
    assert (exact.status, exact.objective, exact.selected) == ("optimal", Decimal(90), ("c3", "c4"))


def test_area_coverage_counts_a_candidate_in_every_area_it_supplies():
    # Minimums: "ab" alone covers A and B next to the only supplier of C.
    problem = SelectionProblem(
        [cand("ab", 10, "A,B"), cand("a", 50, "A"), cand("b", 50, "B"), cand("c", 60, "C")],
        k=2,
        area_min={"A": 1, "B": 1, "C": 1},
    )
    result = solve_exact(problem)
    assert (result.selected, result.objective) == (("c", "ab"), Decimal(70))
    # Maximums: "ab" would use a place in both A and B, leaving none for a or b.
    capped = SelectionProblem(
        [cand("ab", 100, "A,B"), cand("a", 50, "A"), cand("b", 45, "B"), cand("c", 60, "C")],
        k=3,
        area_max={"A": 1, "B": 1},
    )
    assert solve_exact(capped).selected == ("c", "a", "b")


def test_pinned_objected_and_excluded_flags():
    problem = SelectionProblem(
        [
            cand("low-pinned", 1, "A", pinned=True, objected=True),
            cand("top-excluded", 99, "A", excluded=True),
            cand("objected", 98, "A", objected=True),
            cand("ok1", 50, "A"),
            cand("ok2", 40, "A"),
        ],
        k=2,
    )
    result = solve_exact(problem)
    assert result.selected == ("ok1", "low-pinned")
    assert result.objective == Decimal(51)
    assert result.reasons["low-pinned"] == "Selected: pinned by program staff despite an anchor objection."
    assert result.reasons["top-excluded"] == "Not selected: excluded by program staff."
    assert result.reasons["objected"] == "Not selected: an anchor company objected to it."
    assert "below the lowest selected one (50)" in result.reasons["ok2"]
    assert candidate_reasons(problem, result.selected) == result.reasons


def test_objective_is_exact_in_original_units():
    problem = SelectionProblem(
        [cand("a", 0.1, "A"), cand("b", 0.2, "A"), cand("c", "33.335", "A"), cand("d", "0.05", "A")], k=3
    )
    result = solve_exact(problem)
    assert result.objective == Decimal("33.635") and result.selected == ("c", "b", "a")
    tiny = SelectionProblem([cand("a", "0.000001", "A"), cand("b", "0", "A")], k=1)
    assert solve_exact(tiny).objective == Decimal("0.000001")
    # Beyond 6 decimals the solver rounds, but the objective stays exact.
    finer = SelectionProblem([cand("a", "10.0000004", "A"), cand("b", "10.0000001", "A")], k=1)
    assert solve_exact(finer).objective in (Decimal("10.0000004"), Decimal("10.0000001"))


def test_reason_names_the_full_state():
    problem = SelectionProblem(
        [cand("a", 90, "A", "01"), cand("b", 80, "A", "01"), cand("c", 10, "A", "02")], k=2, state_cap={"01": 1}
    )
    result = solve_exact(problem)
    assert result.selected == ("a", "c")
    assert "state 01 already has its maximum of 1" in result.reasons["b"]
    assert result.reasons["b"].template.startswith("Not selected")  # translatable template kept
    assert result.reasons["b"].params["state"] == "01"


def test_invalid_problems_are_rejected():
    with pytest.raises(ValueError, match="duplicate"):
        SelectionProblem([cand("a", 1, "A"), cand("a", 2, "B")], k=1)
    with pytest.raises(ValueError, match="k must be"):
        SelectionProblem([cand("a", 1, "A")], k=-1)
    with pytest.raises(ValueError, match="state_cap"):
        SelectionProblem([cand("a", 1, "A")], k=1, state_cap={"01": -2})


# --- infeasibility explanations ---------------------------------------------------------------------------

FIVE = [cand(f"c{i}", 10 * i, "A") for i in range(1, 6)]

EXPLAIN_CASES = {
    "pinned and excluded": (
        SelectionProblem([cand("x", 5, "A", pinned=True, excluded=True), *FIVE], k=2),
        "Candidate x is both pinned and excluded.",
    ),
    "too few selectable": (
        SelectionProblem([*FIVE[:3], cand("e", 1, "A", excluded=True), cand("o", 1, "A", objected=True)], k=5),
        "K=5 but only 3 candidates are selectable (1 excluded, 1 objected to by an anchor",
    ),
    "too many pinned": (
        SelectionProblem([cand(f"p{i}", 1, "A", pinned=True) for i in range(3)], k=2),
        "3 candidates are pinned but the cohort size is K=2.",
    ),
    "pinned over state cap": (
        SelectionProblem([cand(f"p{i}", 1, "A", "19", pinned=True) for i in range(4)] + FIVE, k=6, state_cap={"19": 3}),
        "Pinned candidates in state 19 (4) exceed the state cap of 3.",
    ),
    "pinned over region cap": (
        SelectionProblem(
            [cand("p1", 1, "A", "01", pinned=True), cand("p2", 1, "A", "02", pinned=True), *FIVE],
            k=3,
            region_cap={"norte": 1},
        ),
        "Pinned candidates in region 'norte' (2) exceed the region cap of 1.",
    ),
    "pinned over area max": (
        SelectionProblem(
            [cand("p1", 1, "B", pinned=True), cand("p2", 1, "A,B", pinned=True), *FIVE], k=3, area_max={"B": 1}
        ),
        "Pinned candidates supplying area 'B' (2) exceed its maximum of 1.",
    ),
    "area min above max": (
        SelectionProblem(FIVE, k=2, area_min={"A": 3}, area_max={"A": 2}),
        "Supply area 'A' has a minimum of 3 above its maximum of 2.",
    ),
    "area min above K": (SelectionProblem(FIVE, k=2, area_min={"A": 3}), "Supply area 'A' needs at least 3 but K=2."),
    "area min above suppliers": (
        SelectionProblem(
            [*FIVE, cand("s1", 1, "A07"), cand("s2", 1, "A07,A"), cand("s3", 1, "A07", excluded=True)],
            k=4,
            area_min={"A07": 3},
        ),
        "Supply area 'A07' needs at least 3 but only 2 eligible candidates supply it.",
    ),
    "area min above capped suppliers": (
        SelectionProblem(
            [*FIVE, cand("s1", 1, "B", "03"), cand("s2", 1, "B", "03"), cand("s3", 1, "B", "01")],
            k=4,
            area_min={"B": 3},
            state_cap={"03": 1},
        ),
        "Supply area 'B' needs at least 3 but state and region caps allow only 2 of its 3 eligible suppliers.",
    ),
    "region caps below K": (
        SelectionProblem(
            [cand(f"n{i}", i, "A", "01") for i in range(4)] + [cand(f"b{i}", i, "A", "03") for i in range(4)],
            k=6,
            region_cap={"norte": 2, "bajio": 3},
        ),
        "The region caps add up to 5, fewer than K=6.",
    ),
    "state caps below K": (
        SelectionProblem(
            [cand(f"n{i}", i, "A", "01") for i in range(4)] + [cand(f"b{i}", i, "A", "03") for i in range(4)],
            k=6,
            state_cap={"01": 2, "03": 2},
        ),
        "The state caps add up to 4, fewer than K=6.",
    ),
    "mixed caps below K": (
        SelectionProblem(
            [cand(f"n{i}-{s}", i, "A", s) for i in range(3) for s in ("01", "02", "03")],
            k=8,
            state_cap={"03": 1},
            region_cap={"norte": 4},
        ),
        "State and region caps allow at most 5 selected candidates, fewer than K=8.",
    ),
    "area maxima below K": (
        SelectionProblem(
            [cand(f"c{i}", i, "A" if i % 2 else "B") for i in range(8)] + [cand("f", 1, "C")],
            k=6,
            area_max={"A": 2, "B": 2},
        ),
        "The supply-area maximums allow at most 5 selected candidates, fewer than K=6.",
    ),
    "area minimums exceed coverage": (
        SelectionProblem(
            [cand("a", 1, "A"), cand("b", 1, "B"), cand("c", 1, "C"), cand("d", 1, "A")],
            k=2,
            area_min={"A": 1, "B": 1, "C": 1},
        ),
        "The supply-area minimums need 3 area places in total but K=2 candidates can cover at most 2.",
    ),
    "pinned leave too few places": (
        SelectionProblem(
            [cand("p1", 1, "B", pinned=True), cand("p2", 1, "B", pinned=True), *FIVE], k=3, area_min={"A": 2}
        ),
        "Supply area 'A' still needs 2 more after the 2 pinned candidates, but they leave only 1 of the K=3 places.",
    ),
}


@pytest.mark.parametrize("case", EXPLAIN_CASES, ids=list(EXPLAIN_CASES))
def test_explanations_name_the_broken_constraint(case: str):
    problem, expected = EXPLAIN_CASES[case]
    result = solve_exact(problem)
    assert result.status == "infeasible"
    assert any(expected in line for line in result.explanation), result.explanation
    assert any(expected in line for line in explain_infeasibility(problem))


def test_combination_conflict_names_a_minimal_set():
    # A and B are supplied only from state 01, whose cap is 1: no counting
    # check fires, the conflict is the three constraints together.
    problem = SelectionProblem(
        [cand("a", 1, "A", "01"), cand("b", 1, "B", "01"), cand("c", 1, "C", "02"), cand("d", 1, "C", "02")],
        k=2,
        area_min={"A": 1, "B": 1},
        state_cap={"01": 1, "02": 2},
    )
    result = solve_exact(problem)
    assert result.status == "infeasible"
    assert result.explanation[0].startswith("No single constraint is impossible on its own")
    assert "dropping any one of them" in result.explanation[1]
    assert sorted(result.explanation[2:]) == [
        "- state 01: at most 1 selected",
        "- supply area 'A': at least 1 selected",
        "- supply area 'B': at least 1 selected",
    ]


def test_conflict_set_can_name_the_cohort_size_and_a_pinned_candidate():
    # With p pinned, one place is left but no candidate supplies both B and C.
    problem = SelectionProblem(
        [cand("p", 9, "A", pinned=True), cand("a", 1, "B"), cand("b", 1, "B", "02"), cand("c", 1, "C", "02")],
        k=2,
        area_min={"B": 1, "C": 1},
        state_cap={"02": 1},
    )
    result = solve_exact(problem)
    assert result.status == "infeasible"
    assert sorted(result.explanation[2:]) == [
        "- candidate p: pinned by program staff",
        "- cohort size: exactly K=2",
        "- supply area 'B': at least 1 selected",
        "- supply area 'C': at least 1 selected",
    ]


def test_explain_on_a_feasible_problem_says_so():
    problem = SelectionProblem(FIVE, k=2)
    assert explain_infeasibility(problem) == ["The constraints can all be met: a cohort exists."]


def test_selection_package_does_not_import_django():
    root = Path(__file__).resolve().parents[2]
    code = "import sys, cohorts.selection; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
