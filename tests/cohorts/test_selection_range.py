"""The cohort size range and growth-potential floor of the pure optimizer (no Django).

The rule: at least K (``k``) members, at most ``k_max``; a cohort larger than K has every member at or
above ``floor``. Checked against brute force over every subset of small seeded random instances and
with a table of cases.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from decimal import Decimal

import pytest

from cohorts.selection import SelectionCandidate, SelectionProblem, solve_exact, solve_greedy
from cohorts.selection.model import as_decimal

from .test_selection import cand, random_problem, violations


def range_violations(problem: SelectionProblem, selected: tuple) -> list[str]:
    """Every rule ``selected`` breaks, the size range and the floor included (written apart from the solver)."""
    out = violations(dataclasses.replace(problem, k=len(selected), k_max=None, floor=None), selected)
    upper = problem.k if problem.k_max is None else problem.k_max
    if not problem.k <= len(selected) <= upper:
        out.append(f"size {len(selected)} outside {problem.k}..{upper}")
    by_id = {c.id: c for c in problem.candidates}
    if len(selected) > problem.k and problem.floor is not None:
        below = [i for i in selected if as_decimal(by_id[i].score) < problem.floor]
        if below:
            out.append(f"cohort above the minimum with {below} below the floor")
    return out


def brute_force_range(problem: SelectionProblem) -> Decimal | None:
    best = None
    upper = problem.k if problem.k_max is None else problem.k_max
    for size in range(problem.k, upper + 1):
        for subset in itertools.combinations(problem.candidates, size):
            ids = tuple(c.id for c in subset)
            if not range_violations(problem, ids):
                total = sum((as_decimal(c.score) for c in subset), Decimal(0))
                best = total if best is None or total > best else best
    return best


def random_range_problem(seed: int) -> SelectionProblem:
    rng = random.Random(1000 + seed)
    base = random_problem(seed)
    return dataclasses.replace(base, k_max=base.k + rng.randint(0, 3), floor=rng.choice([None, 20, 40, 60, 80]))


@pytest.mark.parametrize("seed", range(60))
def test_exact_range_equals_brute_force(seed):
    problem = random_range_problem(seed)
    best = brute_force_range(problem)
    result = solve_exact(problem)
    if best is None:
        assert result.status == "infeasible" and result.explanation
        return
    assert result.status == "optimal"
    assert not range_violations(problem, result.selected), result.selected
    assert result.objective == best
    assert set(result.reasons) == {c.id for c in problem.candidates}
    assert str(result.size_note) if result.selected and problem.k_max not in (None, problem.k) else True


@pytest.mark.parametrize("seed", range(60))
def test_greedy_range_is_valid_and_never_better(seed):
    problem = random_range_problem(seed)
    result = solve_greedy(problem)
    if result.feasible:
        assert not range_violations(problem, result.selected)
        best = brute_force_range(problem)
        assert best is not None and result.objective <= best


SIX = [
    cand("a", 90, "A"),
    cand("b", 80, "A"),
    cand("c", 70, "B"),
    cand("d", 55, "B"),
    cand("e", 30, "C"),
    cand("f", 10, "C"),
]

CASES = {
    # name: (problem, selected ids, words in the size note)
    "no floor fills up to the maximum": (SelectionProblem(SIX, k=2, k_max=4), ("a", "b", "c", "d"), "between"),
    "floor stops the growth": (SelectionProblem(SIX, k=2, k_max=5, floor=50), ("a", "b", "c", "d"), "at or above"),
    "fewer above the floor than the minimum: stays at the minimum": (
        SelectionProblem(SIX, k=3, k_max=5, floor=85),
        ("a", "b", "c"),
        "the minimum",
    ),
    "an area minimum needing a candidate below the floor keeps the minimum": (
        SelectionProblem(SIX, k=3, k_max=5, floor=50, area_min={"C": 1}),
        ("a", "b", "c", "d", "e")[:2] + ("e",),
        "the minimum",
    ),
    "a pinned candidate below the floor keeps the minimum": (
        SelectionProblem([*SIX[:5], cand("f", 10, "C", pinned=True)], k=2, k_max=5, floor=50),
        ("a", "f"),
        "pinned",
    ),
    "a state cap limits the growth": (
        SelectionProblem(
            [cand("a", 90, "A"), cand("b", 80, "A"), cand("c", 70, "A", "02")], k=1, k_max=3, state_cap={"01": 1}
        ),
        ("a", "c"),
        "between",
    ),
    "maximum equal to the minimum is a fixed size": (SelectionProblem(SIX, k=3, k_max=3, floor=0), ("a", "b", "c"), ""),
    "the maximum reached only above the floor": (
        SelectionProblem(SIX, k=1, k_max=3, floor=60, area_max={"A": 1}),
        ("a", "c"),
        "at or above",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_range_cases(name):
    problem, expected, note = CASES[name]
    result = solve_exact(problem)
    assert result.selected == expected, name
    assert note in str(result.size_note)
    greedy = solve_greedy(problem)
    assert not range_violations(problem, greedy.selected)


def test_below_floor_reason_when_the_cohort_grew():
    result = solve_exact(SelectionProblem(SIX, k=2, k_max=6, floor=50))
    assert result.selected == ("a", "b", "c", "d")
    assert "below the floor of 50" in result.reasons["e"]
    assert result.reasons["e"].template.startswith("Not selected: growth potential %(score)s is below the floor")


def test_infeasible_range_explains_minimum_maximum_and_floor():
    problem = SelectionProblem(SIX[:2], k=3, k_max=5, floor=50)
    result = solve_exact(problem)
    assert result.status == "infeasible"
    assert result.explanation[0] == (
        "No cohort of 3 to 5 candidates meets every limit, even with candidates below the floor of 50 at the minimum "
        "(K below is the minimum)."
    )
    assert any("K=3 but only 2 candidates are selectable" in line for line in result.explanation)


def test_more_pinned_than_the_minimum_fits_within_the_maximum():
    pinned = [dataclasses.replace(c, pinned=True) for c in SIX[:3]]
    problem = SelectionProblem([*pinned, *SIX[3:]], k=2, k_max=3, floor=60)
    result = solve_exact(problem)
    assert result.selected == ("a", "b", "c")


def test_k_max_below_k_is_refused():
    with pytest.raises(ValueError):
        SelectionProblem(SIX, k=3, k_max=2)


def test_the_sized_search_stops_early_on_positive_scores():
    many = [
        SelectionCandidate(id=i, score=Decimal(100 - i) / 2, areas=frozenset("A"), state="01", region="norte")
        for i in range(60)
    ]
    result = solve_exact(SelectionProblem(many, k=20, k_max=30, floor=10))
    assert len(result.selected) == 30 and result.stats["sizes_tried"] <= 3


@pytest.mark.parametrize("seed", range(20))
def test_shared_compact_forms_give_the_results_of_fresh_ones(seed, monkeypatch):
    """The exact optimizer and the greedy baseline share each size's compact form (built once per problem);
    their results, reasons included, are those of a run on fresh problems, and the greedy without reasons
    finds the same cohort."""
    from cohorts.selection import compact as compact_module

    problem = random_range_problem(seed)
    fresh_exact = solve_exact(dataclasses.replace(problem))
    fresh_greedy = solve_greedy(dataclasses.replace(problem))
    built = []
    original = compact_module._build
    monkeypatch.setattr(compact_module, "_build", lambda p: built.append(p) or original(p))
    exact = solve_exact(problem)
    greedy = solve_greedy(problem, reasons=False)
    assert len(built) == len({id(p) for p in built})  # never twice for one problem
    for shared, fresh in ((exact, fresh_exact), (greedy, fresh_greedy)):
        assert (shared.status, shared.selected, shared.objective) == (fresh.status, fresh.selected, fresh.objective)
    assert exact.reasons == fresh_exact.reasons and exact.size_note == fresh_exact.size_note
    assert greedy.reasons == {}
