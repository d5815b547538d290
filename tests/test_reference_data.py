"""Consistency checks of the pure-Python reference and demo data (no Django needed).

Run alone with ``pytest -p no:django tests/test_reference_data.py``.
"""

from collections import Counter
from decimal import Decimal
from itertools import pairwise

import pytest

from assessments.default_framework import DIMENSION_CODES, FRAMEWORK
from programs.reference_data import (
    ANCHOR_COMPANIES,
    CERTIFICATION_CODES,
    CERTIFICATION_STANDARDS,
    DEMO_STATE_WEIGHTS,
    INA_MAIN_PRODUCING_STATES,
    INA_MAIN_PRODUCING_STATES_SHARE,
    INA_REGION_PRODUCTION_SHARE,
    REGIONS,
    STATES,
    STATES_BY_CODE,
    SUPPLY_AREAS,
)
from suppliers.reference_data import (
    COMPANY_QUALIFIERS,
    COMPANY_WORDS,
    FIRST_NAMES,
    LAST_NAMES,
    LEGAL_ENTITY_SUFFIXES,
    MUNICIPALITIES_SAMPLE,
    SCIAN_BY_CODE,
    SCIAN_SECTORS,
    dof_sector,
)

REGION_CODES = {r.code for r in REGIONS}
EXPECTED_DIMENSIONS = (
    "quality",
    "production",
    "supply_chain",
    "engineering",
    "management",
    "finance",
    "people",
    "sustainability",
    "digital",
)

# ----------------------------------------------------------------------------- geography


def test_regions_are_the_four_ina_regions():
    assert [r.code for r in REGIONS] == ["norte", "bajio", "centro", "resto"]
    assert all(r.name_es and r.name_en for r in REGIONS)
    assert set(INA_REGION_PRODUCTION_SHARE) == REGION_CODES
    assert sum(INA_REGION_PRODUCTION_SHARE.values()) == Decimal("100.0")


def test_32_states_with_inegi_codes_in_order():
    assert len(STATES) == 32
    assert [s.code for s in STATES] == [f"{n:02d}" for n in range(1, 33)]
    assert len(STATES_BY_CODE) == 32


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01", "Aguascalientes"),
        ("05", "Coahuila de Zaragoza"),
        ("09", "Ciudad de México"),
        ("11", "Guanajuato"),
        ("15", "México"),
        ("19", "Nuevo León"),
        ("22", "Querétaro"),
        ("30", "Veracruz de Ignacio de la Llave"),
        ("32", "Zacatecas"),
    ],
)
def test_inegi_codes_match_official_names(code, name):
    assert STATES_BY_CODE[code].name == name


def test_state_abbreviations_are_unique_three_letter_codes():
    abbreviations = [s.abbreviation for s in STATES]
    assert len(set(abbreviations)) == 32
    assert all(len(a) == 3 and a.isalpha() and a.isupper() for a in abbreviations)
    assert all(s.name and s.short_name for s in STATES)


def test_every_state_region_exists_and_every_region_has_states():
    assert all(s.region in REGION_CODES for s in STATES)
    assert {s.region for s in STATES} == REGION_CODES


@pytest.mark.parametrize(
    ("code", "region"),
    [("05", "norte"), ("19", "norte"), ("08", "norte"), ("11", "bajio"), ("22", "bajio"), ("21", "centro")],
)
def test_main_auto_states_are_in_the_expected_region(code, region):
    assert STATES_BY_CODE[code].region == region


def test_demo_weights_cover_every_state_with_non_negative_integers():
    assert set(DEMO_STATE_WEIGHTS) == set(STATES_BY_CODE)
    assert all(isinstance(w, int) and w >= 0 for w in DEMO_STATE_WEIGHTS.values())
    assert sum(DEMO_STATE_WEIGHTS.values()) == 1000


def test_demo_weights_match_ina_regional_shares():
    by_region = Counter()
    for code, weight in DEMO_STATE_WEIGHTS.items():
        by_region[STATES_BY_CODE[code].region] += weight
    for region, share in INA_REGION_PRODUCTION_SHARE.items():
        assert Decimal(by_region[region]) / 10 == share, region


def test_demo_weights_of_main_producing_states_match_ina():
    assert set(INA_MAIN_PRODUCING_STATES) == {"05", "11", "19", "08", "22"}
    total = sum(DEMO_STATE_WEIGHTS[code] for code in INA_MAIN_PRODUCING_STATES)
    assert Decimal(total) / 10 == INA_MAIN_PRODUCING_STATES_SHARE
    # They are the five heaviest states, in the order INA lists them.
    heaviest = sorted(DEMO_STATE_WEIGHTS, key=DEMO_STATE_WEIGHTS.get, reverse=True)[:5]
    assert heaviest == list(INA_MAIN_PRODUCING_STATES)


def test_every_weighted_state_has_sample_municipalities():
    assert set(MUNICIPALITIES_SAMPLE) <= set(STATES_BY_CODE)
    for code, weight in DEMO_STATE_WEIGHTS.items():
        if weight > 0:
            names = MUNICIPALITIES_SAMPLE.get(code)
            assert names and len(names) == len(set(names)), code
    assert "Ramos Arizpe" in MUNICIPALITIES_SAMPLE["05"]


# ------------------------------------------------------------------ certifications, anchors


def test_certification_codes_are_unique_slugs_with_both_languages():
    codes = [c.code for c in CERTIFICATION_STANDARDS]
    assert len(codes) == len(set(codes)) == len(CERTIFICATION_CODES)
    assert {"iso-9001", "iatf-16949", "iso-14001", "iso-45001", "iso-iec-17025", "vda-6-3"} <= CERTIFICATION_CODES
    for cert in CERTIFICATION_STANDARDS:
        assert cert.code == cert.code.lower() and " " not in cert.code and len(cert.code) <= 40
        assert cert.name and cert.description_es and cert.description_en


def test_16_anchors_fictional_with_valid_kind_and_state():
    assert len(ANCHOR_COMPANIES) == 16
    assert len({a.code for a in ANCHOR_COMPANIES}) == 16
    assert len({a.name for a in ANCHOR_COMPANIES}) == 16
    kinds = Counter(a.kind for a in ANCHOR_COMPANIES)
    assert set(kinds) == {"oem", "tier1"}
    assert 5 <= kinds["oem"] <= 6
    for anchor in ANCHOR_COMPANIES:
        assert anchor.state in STATES_BY_CODE
        assert anchor.description_es and anchor.description_en


# ------------------------------------------------------------------------------ supply areas


def test_35_areas_with_unique_sequential_codes():
    assert len(SUPPLY_AREAS) == 35
    assert [a.code for a in SUPPLY_AREAS] == [f"SA{n:02d}" for n in range(1, 36)]
    assert len({a.name_es for a in SUPPLY_AREAS}) == 35
    assert len({a.name_en for a in SUPPLY_AREAS}) == 35
    for area in SUPPLY_AREAS:
        assert area.description_es and area.description_en


def test_area_scian_codes_are_six_digits_and_in_the_scian_catalogue():
    for area in SUPPLY_AREAS:
        assert len(area.scian_code) == 6 and area.scian_code.isdigit(), area.code
        assert area.scian_code in SCIAN_BY_CODE, area.code


def test_area_scian_codes_are_plausible_for_their_kind():
    by_code = {a.code: a.scian_code for a in SUPPLY_AREAS}
    assert by_code["SA01"] == "336370"  # stamping
    assert by_code["SA02"] == "326192"  # plastic auto parts
    assert by_code["SA10"] == "336320"  # harnesses
    # Manufacturing, transport/warehousing or professional/repair services only.
    allowed = ("31", "32", "33", "48", "49", "54", "81")
    assert all(a.scian_code[:2] in allowed for a in SUPPLY_AREAS)


def test_every_area_demanded_by_2_to_6_distinct_anchors():
    for area in SUPPLY_AREAS:
        assert len(set(area.anchors)) == len(area.anchors), area.code
        assert 2 <= len(area.anchors) <= 6, area.code
        assert all(0 <= i < len(ANCHOR_COMPANIES) for i in area.anchors), area.code


def test_every_anchor_demands_at_least_3_areas():
    demand = Counter(i for area in SUPPLY_AREAS for i in area.anchors)
    for index, anchor in enumerate(ANCHOR_COMPANIES):
        assert demand[index] >= 3, anchor.name


def test_required_certifications_exist():
    for area in SUPPLY_AREAS:
        assert area.required_certifications, area.code
        assert set(area.required_certifications) <= CERTIFICATION_CODES, area.code


def test_most_areas_need_a_quality_system_and_labs_need_17025():
    with_qms = [a for a in SUPPLY_AREAS if {"iso-9001", "iatf-16949"} & set(a.required_certifications)]
    assert len(with_qms) >= 30
    lab = next(a for a in SUPPLY_AREAS if a.scian_code == "541380")
    assert "iso-iec-17025" in lab.required_certifications
    # IATF 16949 cannot certify tooling or service providers.
    for area in SUPPLY_AREAS:
        if area.scian_code[:2] not in {"31", "32", "33"} or area.scian_code == "333510":
            assert "iatf-16949" not in area.required_certifications, area.code


def test_area_minimum_scores_use_framework_dimensions_and_sane_values():
    for area in SUPPLY_AREAS:
        assert area.min_scores, area.code
        assert set(area.min_scores) <= set(DIMENSION_CODES), area.code
        assert all(isinstance(v, int) and 40 <= v <= 75 for v in area.min_scores.values()), area.code


# --------------------------------------------------------------------------------- framework


def test_framework_header():
    assert FRAMEWORK["code"] == "sdp-auto-parts"
    assert FRAMEWORK["version"] == 1
    for key in ("name_es", "name_en", "description_es", "description_en"):
        assert FRAMEWORK[key]


def test_framework_has_the_nine_dimensions_in_order():
    assert DIMENSION_CODES == EXPECTED_DIMENSIONS
    for dimension in FRAMEWORK["dimensions"]:
        for key in ("name_es", "name_en", "description_es", "description_en"):
            assert dimension[key], (dimension["code"], key)


def test_dimension_weights_are_decimals_summing_to_exactly_100():
    weights = [d["weight"] for d in FRAMEWORK["dimensions"]]
    assert all(isinstance(w, Decimal) and w > 0 for w in weights)
    assert sum(weights, Decimal(0)) == Decimal(100)
    by_code = {d["code"]: d["weight"] for d in FRAMEWORK["dimensions"]}
    heaviest = sorted(by_code, key=by_code.get, reverse=True)[:2]
    assert set(heaviest) == {"quality", "production"}


def test_questions_codes_weights_and_count():
    codes = []
    for dimension in FRAMEWORK["dimensions"]:
        questions = dimension["questions"]
        assert 4 <= len(questions) <= 6, dimension["code"]
        for n, question in enumerate(questions, start=1):
            assert question["code"] == f"{dimension['code']}.q{n}"
            assert isinstance(question["weight"], Decimal)
            assert Decimal(1) <= question["weight"] <= Decimal(3), question["code"]
            assert question["text_es"] and question["text_en"], question["code"]
            codes.append(question["code"])
    assert len(codes) == len(set(codes))


def test_every_question_has_five_descriptors_in_both_languages():
    for dimension in FRAMEWORK["dimensions"]:
        for question in dimension["questions"]:
            descriptors = question["descriptors"]
            assert len(descriptors) == 5, question["code"]
            for text_es, text_en in descriptors:
                assert text_es.strip() and text_en.strip(), question["code"]
            assert len({es for es, _ in descriptors}) == 5, question["code"]
            assert len({en for _, en in descriptors}) == 5, question["code"]


def test_critical_questions_cap_at_level_2_and_others_do_not():
    critical = []
    for dimension in FRAMEWORK["dimensions"]:
        for question in dimension["questions"]:
            if question["is_critical"]:
                critical.append(question["code"])
                assert question["cap_level"] == 2, question["code"]
            else:
                assert question["cap_level"] is None, question["code"]
    assert {"quality.q1", "quality.q2"} <= set(critical)
    assert any(code.startswith("people.") for code in critical)  # occupational safety
    assert 2 <= len(critical) <= 6


def test_bands_cover_0_to_100_without_gap_or_overlap():
    bands = sorted(FRAMEWORK["bands"], key=lambda b: b["min_score"])
    assert [b["level"] for b in bands] == [1, 2, 3, 4, 5]
    assert bands[0]["min_score"] == Decimal(0)
    assert bands[-1]["max_score"] == Decimal(100)
    for lower, upper in pairwise(bands):
        assert lower["max_score"] == upper["min_score"]
    for band in bands:
        assert band["min_score"] < band["max_score"]
        assert band["name_es"] and band["name_en"]


@pytest.mark.parametrize(
    ("score", "level"),
    [("0", 1), ("19.99", 1), ("20", 2), ("39.99", 2), ("40", 3), ("59.99", 3), ("60", 4), ("80", 5), ("100", 5)],
)
def test_band_lookup_min_inclusive_max_exclusive_top_includes_100(score, level):
    value = Decimal(score)
    bands = FRAMEWORK["bands"]
    matches = [
        b["level"]
        for b in bands
        if b["min_score"] <= value < b["max_score"] or (b["max_score"] == Decimal(100) and value == Decimal(100))
    ]
    assert matches == [level]


# ------------------------------------------------------------------------------------ SCIAN


def test_scian_catalogue_codes_and_sectors():
    codes = [s.code for s in SCIAN_SECTORS]
    assert 35 <= len(codes) <= 55
    assert len(codes) == len(set(codes))
    for s in SCIAN_SECTORS:
        assert len(s.code) == 6 and s.code.isdigit()
        assert s.name_es and s.name_en
        prefix = s.code[:2]
        expected = (
            "industria" if prefix in {"31", "32", "33"} else "comercio" if prefix in {"43", "46"} else "servicios"
        )
        assert s.sector == expected, s.code


@pytest.mark.parametrize(
    ("code", "sector"),
    [
        ("336370", "industria"),
        ("326192", "industria"),
        ("436112", "comercio"),
        ("468211", "comercio"),
        ("488511", "servicios"),
        ("541380", "servicios"),
        ("811312", "servicios"),
    ],
)
def test_dof_sector(code, sector):
    assert dof_sector(code) == sector


def test_scian_catalogue_holds_the_auto_parts_classes():
    assert {"336310", "336320", "336330", "336340", "336350", "336360", "336370", "336390"} <= set(SCIAN_BY_CODE)
    assert SCIAN_BY_CODE["326192"].name_es == "Fabricación de autopartes de plástico con y sin reforzamiento"


# ------------------------------------------------------------------------------ demo names


def test_demo_name_lists_are_non_empty_and_unique():
    for values in (FIRST_NAMES, LAST_NAMES, COMPANY_WORDS, COMPANY_QUALIFIERS, LEGAL_ENTITY_SUFFIXES):
        assert len(values) >= 4
        assert len(values) == len(set(values))
        assert all(v == v.strip() and v for v in values)
    assert len(FIRST_NAMES) >= 40 and len(LAST_NAMES) >= 40
    assert "S.A. de C.V." in LEGAL_ENTITY_SUFFIXES
