"""The strongest and weakest dimensions named on the results page (a pure function over the scores)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments.results_page import strongest_and_weakest


def scores(*values):
    return [
        SimpleNamespace(score=None if v is None else Decimal(v), dimension=SimpleNamespace(order=n, name=f"d{n}"))
        for n, v in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("values", "strongest", "weakest"),
    [
        ((70, 20, 90, 40, 55), ["d2", "d0"], ["d1", "d3"]),
        ((50, 50, 50, 50), ["d0", "d1"], ["d2", "d3"]),  # ties: the framework's order decides
        ((80, 30, 60), ["d0"], ["d1"]),  # fewer than four: half each, the middle one is neither
        ((80, None, 10, None), ["d0"], ["d2"]),  # a dimension without a score is neither
        ((40,), [], []),  # one alone is neither
        ((), [], []),
        ((None, None), [], []),
    ],
)
def test_strongest_and_weakest(values, strongest, weakest):
    best, worst = strongest_and_weakest(scores(*values))
    assert [s.dimension.name for s in best] == strongest
    assert [s.dimension.name for s in worst] == weakest
