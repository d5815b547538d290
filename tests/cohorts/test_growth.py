"""The growth-potential index, with hand-computed cases (see cohorts/growth.py for the formulas)."""

from decimal import Decimal

import pytest

from cohorts import growth
from cohorts.growth import GrowthInputs, YearFigure

D = Decimal
DEFAULT = {"maturity": 40, "alignment": 25, "growth": 25, "certifications": 10}


def test_full_case_by_hand():
    # maturity 80; alignment mean(60, 100) = 80;
    # sales 10 -> 14.4 in 2 years: CAGR 20 % -> 100; headcount 100 -> 121: CAGR 10 % -> 10/15*100 = 66.67;
    # export 30 -> growth = (30 + 100 + 66.667) / 3 = 65.56; certifications 1 of 2 required -> 50;
    # index = (40*80 + 25*80 + 25*65.56 + 10*50) / 100 = 73.39
    inputs = GrowthInputs(
        overall_score=D("80"),
        area_fits={"A": D("60"), "B": D("100")},
        figures=[YearFigure(2022, D("10"), 100), YearFigure(2023, D("12"), 110), YearFigure(2024, D("14.4"), 121)],
        export_share=D("30"),
        held_certifications=frozenset({"iso-9001", "other"}),
        required_certifications=frozenset({"iso-9001", "iatf-16949"}),
    )
    result = growth.growth_index(inputs, DEFAULT)
    assert result.parts["maturity"]["score"] == "80.00"
    assert result.parts["alignment"]["score"] == "80.00"
    assert result.parts["growth"]["score"] == "65.56"
    assert result.parts["growth"]["sales_cagr"] == "20.00"
    assert result.parts["growth"]["headcount_cagr"] == "10.00"
    assert result.parts["certifications"]["score"] == "50.00"
    assert result.parts["certifications"]["missing"] == ["iatf-16949"]
    assert result.index == D("73.39")


def test_missing_history_is_left_out_not_zero():
    # No annual figures: growth = export share only (40); nothing required and 3 certificates -> min(100, 150)
    inputs = GrowthInputs(overall_score=D("50"), export_share=D("40"), held_certifications=frozenset({"a", "b", "c"}))
    result = growth.growth_index(inputs, {"maturity": 1, "growth": 1, "certifications": 2})
    assert result.parts["growth"]["score"] == "40.00"
    assert result.parts["alignment"]["score"] == "0.00"
    assert result.parts["certifications"]["score"] == "100.00"
    assert result.index == D("72.50")  # (50 + 40 + 2*100) / 4


@pytest.mark.parametrize(
    ("first", "last", "years", "score"),
    [
        (D("10"), D("8"), 1, D("0")),  # shrinking sales count as no growth
        (D("10"), D("11"), 1, D("50")),  # 10 % a year is half of the 20 % that scores 100
        (D("10"), D("20"), 1, D("100")),  # capped at 100
    ],
)
def test_sales_cagr_normalisation(first, last, years, score):
    part, _ = growth.growth_part([YearFigure(2020, first, None), YearFigure(2020 + years, last, None)], D("0"))
    assert part == ((score + D("0")) / 2).quantize(D("0.01"))


@pytest.mark.parametrize("weights", [{}, {"maturity": -1}, {"luck": 5}, {"maturity": "x"}, {"maturity": 0}])
def test_invalid_weights_are_refused(weights):
    assert growth.validate_weights(weights)
    with pytest.raises(ValueError):
        growth.growth_index(GrowthInputs(overall_score=D("50")), weights)
