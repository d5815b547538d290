"""Consistency of the reference data files (programs/data, assessments/data/frameworks) and of the
demo generator's data (demo/data), read through the same checked readers the loader uses."""

from collections import Counter
from decimal import Decimal
from functools import cache
from itertools import pairwise

import pytest

from assessments.services.framework_files import frameworks_read
from demo.builder import demo_data
from programs.services.reference_data import catalogue_read
from suppliers.stratification import sector_for_scian

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


@cache
def framework() -> dict:
    frameworks = frameworks_read()
    assert [(f["code"], f["version"]) for f in frameworks] == [("sdp-auto-parts", 1)]
    return frameworks[0]


@cache
def catalogue():
    return catalogue_read(dimension_codes={d["code"] for d in framework()["dimensions"]})


def states_by_code() -> dict:
    return {s["code"]: s for s in catalogue().states}


def region_codes() -> set:
    return {r["code"] for r in catalogue().regions}


# ----------------------------------------------------------------------------- geography


def test_regions_are_the_four_ina_regions():
    regions = catalogue().regions
    assert [r["code"] for r in regions] == ["norte", "bajio", "centro", "resto"]
    assert all(r["name_es"] and r["name_en"] for r in regions)
    shares = demo_data("state_weights")["region_production_share"]
    assert set(shares) == region_codes()
    assert sum(shares.values()) == Decimal("100.0")


def test_32_states_with_inegi_codes_in_order():
    assert [s["code"] for s in catalogue().states] == [f"{n:02d}" for n in range(1, 33)]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01", "Aguascalientes"),
        ("05", "Coahuila"),
        ("09", "Ciudad de México"),
        ("15", "Estado de México"),
        ("19", "Nuevo León"),
        ("22", "Querétaro"),
        ("30", "Veracruz"),
        ("32", "Zacatecas"),
    ],
)
def test_inegi_codes_match_the_state_names(code, name):
    assert states_by_code()[code]["name"] == name


def test_state_abbreviations_are_unique_three_letter_codes():
    abbreviations = [s["abbreviation"] for s in catalogue().states]
    assert len(set(abbreviations)) == 32
    assert all(len(a) == 3 and a.isalpha() and a.isupper() for a in abbreviations)


def test_every_region_has_states():
    assert {s["region"] for s in catalogue().states} == region_codes()


@pytest.mark.parametrize(
    ("code", "region"),
    [("05", "norte"), ("19", "norte"), ("08", "norte"), ("11", "bajio"), ("22", "bajio"), ("21", "centro")],
)
def test_main_auto_states_are_in_the_expected_region(code, region):
    assert states_by_code()[code]["region"] == region


# ------------------------------------------------------------------------ demo distribution


def test_demo_weights_cover_every_state_with_non_negative_integers():
    weights = demo_data("state_weights")["weights"]
    assert set(weights) == set(states_by_code())
    assert all(isinstance(w, int) and w >= 0 for w in weights.values())
    assert sum(weights.values()) == 1000


def test_demo_weights_match_ina_regional_shares():
    data = demo_data("state_weights")
    by_region = Counter()
    for code, weight in data["weights"].items():
        by_region[states_by_code()[code]["region"]] += weight
    for region, share in data["region_production_share"].items():
        assert Decimal(by_region[region]) / 10 == share, region


def test_demo_weights_of_main_producing_states_match_ina():
    data = demo_data("state_weights")
    weights, main = data["weights"], data["main_producing_states"]
    assert set(main) == {"05", "11", "19", "08", "22"}
    assert Decimal(sum(weights[code] for code in main)) / 10 == data["main_producing_states_share"]
    # They are the five heaviest states, in the order INA lists them.
    assert sorted(weights, key=weights.get, reverse=True)[:5] == main


def test_every_weighted_state_has_sample_municipalities():
    municipalities = demo_data("names")["municipalities"]
    assert set(municipalities) <= set(states_by_code())
    for code, weight in demo_data("state_weights")["weights"].items():
        if weight > 0:
            names = municipalities.get(code)
            assert names and len(names) == len(set(names)), code
    assert "Ramos Arizpe" in municipalities["05"]


def test_demo_name_lists_are_non_empty_and_unique():
    names = demo_data("names")
    for key in ("first_names", "last_names", "company_words", "company_qualifiers", "legal_entity_suffixes"):
        values = names[key]
        assert len(values) >= 4 and len(values) == len(set(values)), key
        assert all(isinstance(v, str) and v == v.strip() and v for v in values), key
    assert len(names["first_names"]) >= 40 and len(names["last_names"]) >= 40
    assert "S.A. de C.V." in names["legal_entity_suffixes"]


# ------------------------------------------------------------------ certifications, anchors


def test_certification_codes_include_the_automotive_standards():
    codes = {c["code"] for c in catalogue().certifications}
    assert {"iso-9001", "iatf-16949", "iso-14001", "iso-45001", "iso-iec-17025", "vda-6-3"} <= codes
    for cert in catalogue().certifications:
        assert cert["name"] and cert["description_es"] and cert["description_en"]


def test_16_anchors_with_both_kinds_and_descriptions():
    anchors = catalogue().anchors
    assert len(anchors) == 16
    kinds = Counter(a["kind"] for a in anchors)
    assert set(kinds) == {"oem", "tier1"}
    assert 5 <= kinds["oem"] <= 6
    assert all(a["description_es"] and a["description_en"] for a in anchors)


def test_program_of_the_catalogue():
    assert catalogue().program["code"] == "ina-ifc-sdp"


# ------------------------------------------------------------------------------ supply areas


def test_35_areas_with_unique_sequential_codes():
    areas = catalogue().areas
    assert [a["code"] for a in areas] == [f"SA{n:02d}" for n in range(1, 36)]
    assert len({a["name_es"] for a in areas}) == len({a["name_en"] for a in areas}) == 35
    assert all(a["description_es"] and a["description_en"] for a in areas)


def test_area_scian_codes_are_plausible_for_their_kind():
    by_code = {a["code"]: a["scian_code"] for a in catalogue().areas}
    assert by_code["SA01"] == "336370"  # stamping
    assert by_code["SA02"] == "326192"  # plastic auto parts
    assert by_code["SA10"] == "336320"  # harnesses
    # Manufacturing, transport/warehousing or professional/repair services only.
    assert all(code[:2] in ("31", "32", "33", "48", "49", "54", "81") for code in by_code.values())


def test_every_area_demanded_by_2_to_6_anchors_and_every_anchor_demands_3_areas():
    demand = Counter()
    for area in catalogue().areas:
        assert 2 <= len(area["anchors"]) <= 6, area["code"]
        demand.update(area["anchors"])
    assert set(demand) == {a["name"] for a in catalogue().anchors}
    assert min(demand.values()) >= 3


def test_most_areas_need_a_quality_system_and_labs_need_17025():
    areas = catalogue().areas
    assert all(area["required_certifications"] for area in areas)
    assert len([a for a in areas if {"iso-9001", "iatf-16949"} & set(a["required_certifications"])]) >= 30
    lab = next(a for a in areas if a["scian_code"] == "541380")
    assert "iso-iec-17025" in lab["required_certifications"]
    # IATF 16949 cannot certify tooling or service providers.
    for area in areas:
        if area["scian_code"][:2] not in {"31", "32", "33"} or area["scian_code"] == "333510":
            assert "iatf-16949" not in area["required_certifications"], area["code"]


def test_area_minimum_scores_are_sane():
    for area in catalogue().areas:
        assert area["requirements"], area["code"]
        assert all(Decimal(40) <= v <= Decimal(75) and v == int(v) for v in area["requirements"].values())


# --------------------------------------------------------------------------------- framework


def test_framework_header():
    for key in ("name_es", "name_en", "description_es", "description_en"):
        assert framework()[key]


def test_framework_has_the_nine_dimensions_in_order():
    assert tuple(d["code"] for d in framework()["dimensions"]) == EXPECTED_DIMENSIONS
    for dimension in framework()["dimensions"]:
        for key in ("name_es", "name_en", "description_es", "description_en"):
            assert dimension[key], (dimension["code"], key)


def test_quality_and_production_weigh_most():
    by_code = {d["code"]: d["weight"] for d in framework()["dimensions"]}
    assert set(sorted(by_code, key=by_code.get, reverse=True)[:2]) == {"quality", "production"}


def test_questions_codes_weights_and_count():
    for dimension in framework()["dimensions"]:
        questions = dimension["questions"]
        assert 4 <= len(questions) <= 6, dimension["code"]
        for n, question in enumerate(questions, start=1):
            assert question["code"] == f"{dimension['code']}.q{n}"
            assert Decimal(1) <= question["weight"] <= Decimal(3), question["code"]
            assert question["text_es"] and question["text_en"], question["code"]


def test_every_descriptor_is_distinct_and_in_both_languages():
    for dimension in framework()["dimensions"]:
        for question in dimension["questions"]:
            descriptors = question["descriptors"]
            assert all(d["text_es"] and d["text_en"] for d in descriptors), question["code"]
            assert len({d["text_es"] for d in descriptors}) == len({d["text_en"] for d in descriptors}) == 5


def test_critical_questions_cap_at_level_2_and_others_do_not():
    critical = []
    for dimension in framework()["dimensions"]:
        for question in dimension["questions"]:
            if question["is_critical"]:
                critical.append(question["code"])
                assert question["cap_level"] == 2, question["code"]
            else:
                assert question["cap_level"] is None, question["code"]
    assert {"quality.q1", "quality.q2"} <= set(critical)
    assert any(code.startswith("people.") for code in critical)  # occupational safety
    assert 2 <= len(critical) <= 6


def test_bands_are_the_five_levels_in_order_with_names():
    bands = sorted(framework()["bands"], key=lambda b: b["min_score"])
    assert [b["level"] for b in bands] == [1, 2, 3, 4, 5]
    assert [b["min_score"] for b in bands] == [0, 20, 40, 60, 80]
    for lower, upper in pairwise(bands):
        assert lower["max_score"] == upper["min_score"]
    assert all(b["name_es"] and b["name_en"] and b["description_es"] for b in bands)


# ------------------------------------------------------------------------------------ SCIAN


def test_scian_catalogue_holds_the_auto_parts_classes_of_every_sector():
    classes = {c["code"]: c for c in catalogue().scian_classes}
    assert 35 <= len(classes) <= 55
    assert {"336310", "336320", "336330", "336340", "336350", "336360", "336370", "336390"} <= set(classes)
    assert classes["326192"]["name_es"] == "Fabricación de autopartes de plástico con y sin reforzamiento"
    assert {sector_for_scian(code) for code in classes} == {"industria", "comercio", "servicios"}
