"""The fit of an SME for an opportunity, with hand-computed cases (see sourcing/matching.py)."""

import random
from decimal import Decimal

import pytest

from sourcing import matching
from sourcing.matching import Profile, Requirements

GTO = (20.92, -101.26)
QRO = (20.86, -99.85)
NL = (25.59, -99.97)


def req(**kw):
    base = {
        "area_ids": frozenset({1, 2}),
        "certification_ids": frozenset({10, 11}),
        "minimum_level": 3,
        "dimension_minimums": {"quality": 60.0, "production": 80.0},
        "delivery_point": GTO,
        "annual_value_mxn": 3_000_000.0,
    }
    return Requirements(**{**base, **kw})


def test_full_case_by_hand():
    sme = Profile(
        supplier_id=7,
        area_ids=frozenset({1}),  # 1 of 2 areas -> 50
        held_certification_ids=frozenset({10}),  # held 1, in progress 0.5 -> 75
        planned_certification_ids=frozenset({11}),
        maturity_level=3,
        dimension_scores={"quality": 90.0, "production": 40.0},  # min(1, 90/60)=1, 40/80=0.5 -> 75
        annual_sales_mxn=6_000_000.0,  # share 0.5 -> (1-0.5)/0.7*100 = 71.43
        location=GTO,  # 0 km -> 100
        selected_before=True,  # 50
    )
    result = matching.fit(req(), sme)
    assert result.parts == {
        "area": 50.0,
        "certifications": 75.0,
        "maturity": 75.0,
        "capacity": 71.43,
        "distance": 100.0,
        "history": 50.0,
    }
    # (25*50 + 20*75 + 25*75 + 10*71.43 + 10*100 + 10*50) / 100 = 6839.3 / 100 = 68.39
    assert result.score == Decimal("68.39")
    assert not result.meets_requirements  # certification 11 only in progress
    codes = {(r["code"], r["met"]) for r in result.reasons}
    assert ("certification_held", True) in codes and ("certification_in_progress", False) in codes
    assert ("dimension", False) in codes and ("maturity_level", True) in codes
    assert ("selected_before", True) in codes


def test_hard_requirements():
    good = Profile(
        supplier_id=1,
        area_ids=frozenset({2}),
        held_certification_ids=frozenset({10, 11}),
        maturity_level=3,
    )
    assert matching.meets_requirements(req(), good)
    assert not matching.meets_requirements(req(), Profile(**{**good.__dict__, "area_ids": frozenset({9})}))
    assert not matching.meets_requirements(req(), Profile(**{**good.__dict__, "maturity_level": 2}))
    assert not matching.meets_requirements(req(), Profile(**{**good.__dict__, "maturity_level": None}))
    assert matching.meets_requirements(req(minimum_level=None, certification_ids=frozenset()), good)


@pytest.mark.parametrize(
    "sales, value, expected",
    [
        (10_000_000, 3_000_000, 100.0),  # 30 % exactly: comfortable
        (10_000_000, 10_000_000, 0.0),  # 100 %: over the limit
        (10_000_000, 6_500_000, 50.0),  # halfway between 30 % and 100 %
        (0, 1, 0.0),  # sales unknown
        (0, 0, 100.0),  # nothing asked
    ],
)
def test_capacity(sales, value, expected):
    score, _ = matching.capacity_part(req(annual_value_mxn=float(value)), Profile(1, annual_sales_mxn=float(sales)))
    assert score == pytest.approx(expected)


def test_distance_between_state_centroids():
    assert matching.distance_km(GTO, GTO) == 0
    # Guanajuato - Querétaro about 150 km, Guanajuato - Nuevo León about 580 km
    assert 120 < matching.distance_km(GTO, QRO) < 180
    assert 500 < matching.distance_km(GTO, NL) < 650
    near, _ = matching.distance_part(req(), Profile(1, location=QRO))
    far, why = matching.distance_part(req(), Profile(1, location=NL))
    assert 100 > near > far > 0
    assert why[0]["km"] > 500
    assert matching.distance_part(req(), Profile(1))[0] == 0.0


def test_maturity_without_diagnostic_and_without_minimums():
    assert matching.maturity_part(req(), Profile(1))[0] == 0.0
    assert matching.maturity_part(req(dimension_minimums={}), Profile(1, maturity_level=1))[0] == 100.0
    # an incomplete dimension counts as 0 for that requirement, not left out
    score, _ = matching.maturity_part(req(), Profile(1, maturity_level=3, dimension_scores={"quality": None}))
    assert score == 0.0


def test_nothing_required_gives_full_certification_part():
    assert matching.certification_part(req(certification_ids=frozenset()), Profile(1))[0] == 100.0


def test_rank_puts_requirements_first_then_score_then_id():
    r = req(certification_ids=frozenset(), minimum_level=None)
    a = Profile(3, area_ids=frozenset({1}), maturity_level=2, location=GTO)
    b = Profile(2, area_ids=frozenset({1}), maturity_level=2, location=GTO)  # same fit as a: lower id first
    c = Profile(1, area_ids=frozenset(), maturity_level=5, location=GTO, selected_before=True)  # misses area
    ranked = matching.rank(r, [a, b, c])
    assert [f.supplier_id for f in ranked] == [2, 3, 1]
    assert matching.rank(r, [a, b, c], limit=1)[0].supplier_id == 2


def test_score_stays_within_0_100_and_grows_with_each_part():
    rng = random.Random(7)
    r = req()
    for _ in range(300):
        p = Profile(
            supplier_id=rng.randint(1, 10**6),
            area_ids=frozenset(rng.sample([1, 2, 3], rng.randint(0, 3))),
            held_certification_ids=frozenset(rng.sample([10, 11, 12], rng.randint(0, 3))),
            maturity_level=rng.choice([None, 1, 2, 3, 4, 5]),
            dimension_scores={"quality": rng.choice([None, rng.uniform(0, 100)]), "production": rng.uniform(0, 100)},
            annual_sales_mxn=rng.uniform(0, 5e7),
            location=rng.choice([None, GTO, QRO, NL]),
            selected_before=rng.random() < 0.5,
            purchase_orders_won=rng.randint(0, 2),
        )
        f = matching.fit(r, p)
        assert Decimal(0) <= f.score <= Decimal(100)
        better = Profile(**{**p.__dict__, "selected_before": True, "purchase_orders_won": 1, "location": GTO})
        assert matching.fit(r, better).score >= f.score
