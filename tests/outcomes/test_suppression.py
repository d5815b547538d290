"""Small-cell suppression: no cell of fewer than 5 SMEs, and no hidden cell derivable from a total."""

import itertools
import random

from outcomes.suppression import Cell, suppress


def family(*cells, total=None, name="f"):
    out = [Cell(name, k, n, v) for k, n, v in cells]
    if total is not None:
        out.append(Cell(name, "total", total[0], total[1], is_total=True))
    return out


def test_small_cells_are_hidden_with_a_complement():
    cells = suppress(family(("a", 12, 100.0), ("b", 3, 7.0), ("c", 8, 40.0), total=(23, 147.0)))
    hidden = {c.key for c in cells if c.suppressed}
    # b (3 SMEs) is hidden; c, the next smallest, too, so b cannot be total - a - c.
    assert hidden == {"b", "c"}


def test_two_small_cells_need_no_complement_and_none_small_hides_nothing():
    cells = suppress(family(("a", 12, 1.0), ("b", 3, 1.0), ("c", 4, 1.0), total=(19, 3.0)))
    assert {c.key for c in cells if c.suppressed} == {"b", "c"}
    cells = suppress(family(("a", 5, 1.0), ("b", 6, 1.0), total=(11, 2.0)))
    assert not any(c.suppressed for c in cells)


def test_a_hidden_total_hides_its_family_and_families_are_separate():
    cells = suppress(family(("a", 2, 1.0), ("b", 1, 1.0), total=(3, 2.0)) + family(("x", 9, 1.0), name="g"))
    assert {c.key for c in cells if c.suppressed} == {"a", "b", "total"}


def test_randomized_no_hidden_cell_is_derivable():
    """For random tables: every hidden non-total cell shares its family with another hidden cell (so total minus
    the visible ones leaves at least two unknowns), and no cell under 5 is shown."""
    rng = random.Random(2026)
    for _ in range(500):
        k = rng.randint(1, 6)
        members = [(str(i), rng.randint(0, 20), float(rng.randint(0, 100))) for i in range(k)]
        total = (sum(m[1] for m in members), sum(m[2] for m in members))
        cells = suppress(family(*members, total=total))
        assert all(c.suppressed for c in cells if c.n_smes < 5)
        hidden = [c for c in cells if c.suppressed and not c.is_total]
        total_hidden = any(c.suppressed for c in cells if c.is_total)
        if hidden and not total_hidden and k > 1:
            assert len(hidden) >= 2
        for a, b in itertools.combinations(cells, 2):
            assert a.key != b.key or a is b
