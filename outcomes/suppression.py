"""Small-cell suppression of published aggregates. Pure functions.

No cell built from fewer than ``MIN_SMES`` SMEs is shown (it reads "fewer than 5"). Complementary suppression:
within each family of cells that add up to a published total (one indicator, round, group and breakdown), a
single hidden cell could be worked out as the total minus the others, so when exactly one cell of a family is
hidden, the next smallest cell (fewest SMEs, then smallest value) is hidden too. A hidden total hides its family.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace

MIN_SMES = 5


@dataclass(frozen=True)
class Cell:
    family: Hashable  # the cells of one family add up to its total (the cell with ``is_total``)
    key: Hashable
    n_smes: int
    value: float | None
    suppressed: bool = False
    is_total: bool = False


def suppress(cells: list[Cell], *, minimum: int = MIN_SMES) -> list[Cell]:
    """The cells with ``suppressed`` set by the primary rule and the complementary one (order kept)."""
    out = [replace(c, suppressed=c.suppressed or c.n_smes < minimum) for c in cells]
    families: dict[Hashable, list[int]] = defaultdict(list)
    totals: dict[Hashable, int] = {}
    for i, c in enumerate(out):
        if c.is_total:
            totals[c.family] = i
        else:
            families[c.family].append(i)
    for family, members in families.items():
        total = totals.get(family)
        if total is not None and out[total].suppressed:
            for i in members:
                out[i] = replace(out[i], suppressed=True)
            continue
        hidden = [i for i in members if out[i].suppressed]
        if len(hidden) == 1 and len(members) > 1:
            visible = sorted(
                (i for i in members if not out[i].suppressed),
                key=lambda i: (out[i].n_smes, out[i].value if out[i].value is not None else 0.0),
            )
            out[visible[0]] = replace(out[visible[0]], suppressed=True)
    return out


def shown(cell: Cell, fewer: Callable[[], str]) -> str | float | None:
    return fewer() if cell.suppressed else cell.value
