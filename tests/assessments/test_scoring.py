"""Tables of hand-computed cases for assessments.scoring (pure: no Django, no database).

Every expected number is worked out by hand in a comment; level -> score is 1->0, 2->25,
3->50, 4->75, 5->100.
"""

from decimal import ROUND_DOWN, Decimal, localcontext

import pytest

from assessments import scoring
from assessments.scoring import (
    AlignmentResult,
    AnswerInput,
    Band,
    DimensionSpec,
    Gap,
    QuestionSpec,
    alignment,
    band_for,
    level_to_score,
    score_diagnostic,
    score_dimension,
    validate_bands,
    validate_weights,
)

D = Decimal
NA = "N/A"  # marks an N/A answer in the level lists below; None marks a missing answer

BANDS = (
    Band(1, D(0), D(20)),
    Band(2, D(20), D(40)),
    Band(3, D(40), D(60)),
    Band(4, D(60), D(80)),
    Band(5, D(80), D(100)),
)


def make_questions(code, weights, critical=None, triggers=None):
    """Questions A1, A2, ... of dimension ``code``; ``critical`` maps position -> cap level,
    ``triggers`` position -> trigger level (1 when absent)."""
    critical, triggers = critical or {}, triggers or {}
    return [
        QuestionSpec(
            id=f"{code}{n}",
            dimension_code=code,
            code=f"{code}{n}",
            weight=D(str(weight)),
            is_critical=n in critical,
            cap_level=critical.get(n),
            trigger_level=triggers.get(n, 1),
        )
        for n, weight in enumerate(weights, start=1)
    ]


def make_answers(questions, levels):
    """An int is a rating, NA an N/A answer, None no answer at all."""
    answers = []
    for question, level in zip(questions, levels, strict=True):
        if level == NA:
            answers.append(AnswerInput(question.id, None, not_applicable=True))
        elif level is not None:
            answers.append(AnswerInput(question.id, level))
    return answers


def score_one(weights, levels):
    dimension = DimensionSpec("A", D(100))
    questions = make_questions("A", weights)
    answers = {a.question_id: a for a in make_answers(questions, levels)}
    return score_dimension(dimension, questions, answers)


# Levels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (1, D(0)),  # (1 - 1) / 4 * 100 = 0
        (2, D(25)),  # (2 - 1) / 4 * 100 = 25
        (3, D(50)),  # (3 - 1) / 4 * 100 = 50
        (4, D(75)),  # (4 - 1) / 4 * 100 = 75
        (5, D(100)),  # (5 - 1) / 4 * 100 = 100
    ],
)
def test_level_to_score(level, expected):
    assert level_to_score(level) == expected


@pytest.mark.parametrize("level", [0, 6, -1, None, True, 2.0, "3"])
def test_level_to_score_rejects_non_levels(level):
    with pytest.raises(ValueError):
        level_to_score(level)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": 3, "not_applicable": True}, "N/A cannot have a level"),
        ({"level": 0}, "level must be 1-5"),
        ({"level": 6}, "level must be 1-5"),
        ({"level": False}, "level must be 1-5"),
    ],
)
def test_answer_input_rejects_inconsistent_answers(kwargs, message):
    with pytest.raises(ValueError, match=message):
        AnswerInput("A1", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"is_critical": True}, "critical question needs a cap_level"),
        ({"is_critical": True, "cap_level": 0}, "cap_level must be 1-5"),
        ({"cap_level": 6}, "cap_level must be 1-5"),
        ({"is_critical": True, "cap_level": 2, "trigger_level": 0}, "trigger_level must be 1-4"),
        ({"is_critical": True, "cap_level": 2, "trigger_level": 5}, "trigger_level must be 1-4"),
    ],
)
def test_question_spec_rejects_bad_caps(kwargs, message):
    with pytest.raises(ValueError, match=message):
        QuestionSpec("A1", "A", "A1", D(1), **kwargs)


# Dimension score ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "levels", "score", "rated", "na"),
    [
        # equal weights: (0 + 50 + 100) / 3 = 50
        ([1, 1, 1], [1, 3, 5], D("50.00"), 3, 0),
        # all five levels, equal weights: (0 + 25 + 50 + 75 + 100) / 5 = 50
        ([1, 1, 1, 1, 1], [1, 2, 3, 4, 5], D("50.00"), 5, 0),
        # unequal: (1*100 + 2*50 + 3*0) / (1 + 2 + 3) = 200 / 6 = 33.333... -> 33.33
        ([1, 2, 3], [5, 3, 1], D("33.33"), 3, 0),
        # unequal: (3*75 + 1*25) / 4 = 250 / 4 = 62.5
        ([3, 1], [4, 2], D("62.50"), 2, 0),
        # decimal weights: (0.5*25 + 1.5*100) / 2 = 162.5 / 2 = 81.25
        (["0.5", "1.5"], [2, 5], D("81.25"), 2, 0),
        # unequal, 2/3 rounding up: (2*100 + 1*0) / 3 = 66.666... -> 66.67
        ([2, 1], [5, 1], D("66.67"), 2, 0),
        # N/A excluded: (100 + 50) / 2 = 75 (as a 0 it would be (100 + 0 + 50) / 3 = 50)
        ([1, 1, 1], [5, NA, 3], D("75.00"), 2, 1),
        # N/A excluded with weights: (1*75 + 1*25) / 2 = 50 (as 0: (2*0 + 75 + 25) / 4 = 25)
        ([2, 1, 1], [NA, 4, 2], D("50.00"), 2, 1),
        # missing excluded the same way: (100 + 50) / 2 = 75
        ([1, 1, 1], [5, None, 3], D("75.00"), 2, 0),
        # all N/A: nothing rated, no score
        ([1, 1, 1], [NA, NA, NA], None, 0, 3),
        # nothing answered: no score
        ([1, 1], [None, None], None, 0, 0),
    ],
)
def test_dimension_score(weights, levels, score, rated, na):
    result = score_one(weights, levels)
    assert (result.score, result.rated_count, result.na_count) == (score, rated, na)
    assert result.total_count == len(weights)


@pytest.mark.parametrize(
    ("weights", "levels", "with_na_as_zero"),
    [
        ([1, 1, 1], [5, NA, 3], D("50.00")),  # (100 + 0 + 50) / 3
        ([2, 1, 1], [NA, 4, 2], D("25.00")),  # (2*0 + 75 + 25) / 4
    ],
)
def test_na_is_not_counted_as_zero(weights, levels, with_na_as_zero):
    as_zero = [1 if level == NA else level for level in levels]  # level 1 scores 0
    assert score_one(weights, as_zero).score == with_na_as_zero
    assert score_one(weights, levels).score != with_na_as_zero


def test_draft_answer_without_level_is_missing():
    questions = make_questions("A", [1, 1, 1])
    answers = {"A1": AnswerInput("A1", 5), "A2": AnswerInput("A2", None)}
    result = score_dimension(DimensionSpec("A", D(100)), questions, answers)
    # only A1 rated: score 100; responded 1 of 3: 3*1 < 2*3 -> incomplete
    assert (result.score, result.rated_count, result.na_count) == (D("100.00"), 1, 0)
    assert result.complete is False


@pytest.mark.parametrize(
    ("total", "rated", "na", "complete"),
    [
        # rule: rated >= 1 and 3 * (rated + na) >= 2 * total
        (1, 1, 0, True),  # 3 >= 2
        (1, 0, 0, False),  # nothing rated
        (3, 2, 0, True),  # 6 >= 6: exactly 2/3
        (3, 1, 0, False),  # 3 < 6
        (4, 3, 0, True),  # 9 >= 8 (ceil(8/3) = 3)
        (4, 2, 0, False),  # 6 < 8
        (6, 4, 0, True),  # 12 >= 12: exactly 2/3
        (6, 3, 0, False),  # 9 < 12
        (9, 6, 0, True),  # 18 >= 18
        (9, 5, 0, False),  # 15 < 18
        (3, 1, 1, True),  # N/A counts as a response: 3*2 = 6 >= 6
        (6, 1, 3, True),  # 3*4 = 12 >= 12
        (6, 1, 2, False),  # 3*3 = 9 < 12
        (3, 0, 2, False),  # responded 2 of 3 but nothing rated
        (3, 0, 3, False),  # all N/A: no score, incomplete
    ],
)
def test_completeness_boundaries(total, rated, na, complete):
    levels = [4] * rated + [NA] * na + [None] * (total - rated - na)
    result = score_one([1] * total, levels)
    assert (result.rated_count, result.na_count, result.total_count) == (rated, na, total)
    assert result.complete is complete


def test_contributions_explain_the_dimension_score():
    result = score_one([1, 3, 1, 2], [5, 3, NA, None])
    # rated weight 1 + 3 = 4; points 1*100/4 = 25, 3*50/4 = 37.5; 25 + 37.5 = 62.5
    assert result.score == D("62.50")
    rows = [(c.code, c.level, c.not_applicable, c.score, c.points) for c in result.contributions]
    assert rows == [
        ("A1", 5, False, D(100), D("25.00")),
        ("A2", 3, False, D(50), D("37.50")),
        ("A3", None, True, None, None),
        ("A4", None, False, None, None),
    ]
    assert [c.weight for c in result.contributions] == [D(1), D(3), D(1), D(2)]


def test_score_dimension_rejects_questions_of_another_dimension():
    with pytest.raises(ValueError, match="not in dimension"):
        score_dimension(DimensionSpec("B", D(100)), make_questions("A", [1]), {})


# Overall score ------------------------------------------------------------------------------


def diagnostic(spec, bands=BANDS):
    """spec: list of (code, dimension weight, question weights, levels, critical caps)."""
    dimensions, questions, answers = [], [], []
    for code, weight, q_weights, levels, *critical in spec:
        dimensions.append(DimensionSpec(code, D(str(weight))))
        dimension_questions = make_questions(code, q_weights, critical[0] if critical else None)
        questions += dimension_questions
        answers += make_answers(dimension_questions, levels)
    return score_diagnostic(dimensions, questions, answers, bands)


@pytest.mark.parametrize(
    ("spec", "overall", "level", "incomplete"),
    [
        # A = (100 + 50) / 2 = 75; B = (1*25 + 3*75) / 4 = 62.5
        # overall = (60*75 + 40*62.5) / 100 = (4500 + 2500) / 100 = 70 -> band 60-80: 4
        ([("A", 60, [1, 1], [5, 3]), ("B", 40, [1, 3], [2, 4])], D("70.00"), 4, ()),
        # C incomplete (1 of 3): weights renormalised over A and B:
        # (50*100 + 30*0) / (50 + 30) = 5000 / 80 = 62.5 (over all 100 it would be 50)
        (
            [
                ("A", 50, [1, 1], [5, 5]),
                ("B", 30, [1, 1], [1, 1]),
                ("C", 20, [1, 1, 1], [5, None, None]),
            ],
            D("62.50"),
            4,
            ("C",),
        ),
        # all-N/A dimension B is incomplete and left out: overall = A = (50 + 25) / 2 = 37.5
        ([("A", 70, [1, 1], [3, 2]), ("B", 30, [1, 1], [NA, NA])], D("37.50"), 2, ("B",)),
        # no complete dimension: no overall, no level
        ([("A", 50, [1, 1, 1], [5, None, None]), ("B", 50, [1], [NA])], None, None, ("A", "B")),
        # unequal dimension weights, thirds: A = 100, B = 0, C = 50
        # (10*100 + 20*0 + 70*50) / 100 = (1000 + 3500) / 100 = 45 -> band 40-60: 3
        (
            [("A", 10, [1], [5]), ("B", 20, [1], [1]), ("C", 70, [1], [3])],
            D("45.00"),
            3,
            (),
        ),
    ],
)
def test_overall_score(spec, overall, level, incomplete):
    result = diagnostic(spec)
    assert result.overall_score == overall
    assert result.level == result.band_level == level
    assert result.incomplete_dimensions == incomplete
    assert result.complete is (not incomplete)
    assert [d.code for d in result.dimensions] == [row[0] for row in spec]


def test_rounding_half_up_only_at_the_end():
    # A: (0.0402*25 + 0.9598*0) / 1 = 1.005 -> 1.01 half up (half even would give 1.00)
    # B: (0.04016*25 + 0.95984*0) / 1 = 1.004 -> 1.00
    # overall from unrounded: (50*1.005 + 50*1.004) / 100 = 1.0045 -> 1.00
    # (rounding the dimensions first would give (1.01 + 1.00) / 2 = 1.005 -> 1.01)
    result = diagnostic([("A", 50, ["0.0402", "0.9598"], [2, 1]), ("B", 50, ["0.04016", "0.95984"], [2, 1])])
    assert [d.score for d in result.dimensions] == [D("1.01"), D("1.00")]
    assert result.overall_score == D("1.00")


@pytest.mark.parametrize(
    ("weights", "levels", "overall", "level"),
    [
        # 0.0006*25 + 0.9994*50 = 0.015 + 49.97 = 49.985 -> 49.99 half up (half even: 49.98)
        (["0.0006", "0.9994"], [2, 3], D("49.99"), 3),
        # 0.6002*50 + 0.3998*75 = 30.01 + 29.985 = 59.995 -> 60.00: the band of the shown score
        (["0.6002", "0.3998"], [3, 4], D("60.00"), 4),
        # 0.0004*0 + 0.9996*25 = 24.99 exactly, no rounding
        (["0.0004", "0.9996"], [1, 2], D("24.99"), 2),
    ],
)
def test_overall_rounding_and_band_of_the_reported_score(weights, levels, overall, level):
    result = diagnostic([("A", 100, weights, levels)])
    assert (result.overall_score, result.level) == (overall, level)


def test_callers_decimal_context_does_not_matter():
    spec = [("A", 100, [1, 2, 3], [5, 3, 1])]  # 200 / 6 = 33.333... -> 33.33
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = ROUND_DOWN
        result = diagnostic(spec)
    assert result.overall_score == D("33.33")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("duplicate answer", "Two answers"),
        ("unknown question", "outside this framework"),
        ("unknown dimension", "unknown dimension"),
        ("duplicate dimension", "unique"),
    ],
)
def test_score_diagnostic_rejects_inconsistent_input(bad, message):
    dimensions = [DimensionSpec("A", D(100))]
    questions = make_questions("A", [1, 1])
    answers = [AnswerInput("A1", 3), AnswerInput("A2", 4)]
    if bad == "duplicate answer":
        answers.append(AnswerInput("A1", 5))
    elif bad == "unknown question":
        answers.append(AnswerInput("Z9", 5))
    elif bad == "unknown dimension":
        questions += make_questions("Z", [1])
    else:
        dimensions.append(DimensionSpec("A", D(0)))
    with pytest.raises(ValueError, match=message):
        score_diagnostic(dimensions, questions, answers, BANDS)


# Gating -------------------------------------------------------------------------------------

# One dimension A: A1 critical (cap 2), A2 not critical, A3 critical (cap 3); equal weights.
CAPS = {1: 2, 3: 3}


@pytest.mark.parametrize(
    ("levels", "overall", "band_level", "level", "reasons"),
    [
        # (100 + 100 + 100) / 3 = 100 -> band 5, no gate
        ([5, 5, 5], D("100.00"), 5, 5, ()),
        # critical A1 at 1: (0 + 100 + 100) / 3 = 66.67 -> band 4, capped at min(4, 2) = 2
        ([1, 5, 5], D("66.67"), 4, 2, ("A1",)),
        # critical A1 at 2 does not gate: (25 + 100 + 100) / 3 = 75 -> 4
        ([2, 5, 5], D("75.00"), 4, 4, ()),
        # non-critical A2 at 1 does not gate: (100 + 0 + 100) / 3 = 66.67 -> 4
        ([5, 1, 5], D("66.67"), 4, 4, ()),
        # critical A3 (cap 3) at 1: 66.67 -> band 4, capped at min(4, 3) = 3
        ([5, 5, 1], D("66.67"), 4, 3, ("A3",)),
        # both: (0 + 100 + 0) / 3 = 33.33 -> band 2; min(2, 2, 3) = 2, still recorded as capped
        ([1, 5, 1], D("33.33"), 2, 2, ("A1", "A3")),
        # all at 1: score 0 -> band 1; min(1, 2) = 1
        ([1, 1, 1], D("0.00"), 1, 1, ("A1", "A3")),
        # critical A1 N/A does not gate: (100 + 100) / 2 = 100 -> 5
        ([NA, 5, 5], D("100.00"), 5, 5, ()),
        # critical A1 at 1, dimension incomplete (1 of 3): no score, no level, gate recorded
        ([1, None, None], None, None, None, ("A1",)),
    ],
)
def test_critical_question_caps_the_level_not_the_score(levels, overall, band_level, level, reasons):
    result = diagnostic([("A", 100, [1, 1, 1], levels, CAPS)])
    assert result.overall_score == overall
    assert (result.band_level, result.level) == (band_level, level)
    assert result.cap_reasons == reasons
    assert result.capped is bool(reasons)


def test_gate_in_one_dimension_caps_the_overall_level():
    # A = 100 (A1 critical cap 2 at 5), B = (0 + 100) / 2 = 50 with critical B1 (cap 1) at 1
    # overall = (50*100 + 50*50) / 100 = 75 -> band 4, capped at min(4, 1) = 1
    result = diagnostic([("A", 50, [1], [5], {1: 2}), ("B", 50, [1, 1], [1, 5], {1: 1})])
    assert (result.overall_score, result.band_level, result.level) == (D("75.00"), 4, 1)
    assert result.cap_reasons == ("B1",)


# A1 critical (cap 2, trigger 3), A2 not critical, A3 critical (cap 3, trigger 1: the default).
TRIGGERS = {1: 3}


@pytest.mark.parametrize(
    ("levels", "overall", "band_level", "level", "reasons"),
    [
        # A1 at 3, its trigger level: (50 + 100 + 100) / 3 = 83.33 -> band 5, capped at 2
        ([3, 5, 5], D("83.33"), 5, 2, ("A1",)),
        # A1 at 2, below its trigger: (25 + 100 + 100) / 3 = 75 -> band 4, capped at 2
        ([2, 5, 5], D("75.00"), 4, 2, ("A1",)),
        # A1 at 4, above its trigger: (75 + 100 + 100) / 3 = 91.67 -> band 5, no gate
        ([4, 5, 5], D("91.67"), 5, 5, ()),
        # A3 at 2 is above its trigger of 1: (100 + 100 + 25) / 3 = 75 -> band 4, no gate
        ([5, 5, 2], D("75.00"), 4, 4, ()),
        # A1 N/A never triggers: (100 + 100) / 2 = 100 -> 5
        ([NA, 5, 5], D("100.00"), 5, 5, ()),
        # both triggered: (50 + 100 + 0) / 3 = 50 -> band 3; min(3, 2, 3) = 2
        ([3, 5, 1], D("50.00"), 3, 2, ("A1", "A3")),
    ],
)
def test_a_critical_question_triggers_at_or_below_its_trigger_level(levels, overall, band_level, level, reasons):
    questions = make_questions("A", [1, 1, 1], CAPS, TRIGGERS)
    result = score_diagnostic([DimensionSpec("A", D(100))], questions, make_answers(questions, levels), BANDS)
    assert result.overall_score == overall
    assert (result.band_level, result.level, result.cap_reasons) == (band_level, level, reasons)


# Bands --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (D("0"), 1),  # the bottom
        (D("19.99"), 1),
        (D("20"), 2),  # the exact min belongs to the band
        (D("20.00"), 2),
        (D("39.99"), 2),
        (D("40"), 3),
        (D("60"), 4),
        (D("79.99"), 4),
        (D("80"), 5),
        (D("99.99"), 5),
        (D("100"), 5),  # the top band includes its max
        (D("100.00"), 5),
    ],
)
def test_band_for(score, level):
    assert band_for(score, BANDS).level == level
    assert band_for(score, tuple(reversed(BANDS))).level == level  # order does not matter


def test_band_for_none_score():
    assert band_for(None, BANDS) is None


@pytest.mark.parametrize(
    ("score", "bands"),
    [
        (D("-0.01"), BANDS),
        (D("100.01"), BANDS),
        (D("25"), (Band(1, D(0), D(20)), Band(2, D(30), D(100)))),  # in a gap
        (D("50"), ()),
    ],
)
def test_band_for_outside_every_band(score, bands):
    with pytest.raises(ValueError, match="No maturity band"):
        band_for(score, bands)


@pytest.mark.parametrize(
    ("bands", "errors"),
    [
        (BANDS, []),
        (tuple(reversed(BANDS)), []),
        ((Band(1, D(0), D(100)),), []),
        ((), ["At least one maturity band is required."]),
        (
            (Band(1, D(0), D(20)), Band(2, D(25), D(100))),
            ["Gap from 20 to 25."],
        ),
        (
            (Band(1, D(0), D(30)), Band(2, D(20), D(100))),
            ["Bands 1 and 2 overlap."],
        ),
        (
            (Band(1, D(10), D(50)), Band(2, D(50), D(100))),
            ["Bands must start at 0, not 10."],
        ),
        (
            (Band(1, D(0), D(50)), Band(2, D(50), D("99.99"))),
            ["Bands must end at 100, not 99.99."],
        ),
        (
            (Band(1, D(0), D(50)), Band(1, D(50), D(100))),
            ["Band levels must be unique.", "Band levels must increase with the score (1, 1)."],
        ),
        (
            (Band(2, D(0), D(50)), Band(1, D(50), D(100))),
            ["Band levels must increase with the score (2, 1)."],
        ),
        ((Band(1, D(50), D(50)),), ["Band 1: min 50 >= max 50."]),
        ((Band(1, 0.0, D(100)),), ["Band 1: min and max must be Decimals."]),
        ((Band(0, D(0), D(100)),), ["Band 0: level must be a positive int."]),
        ((Band(True, D(0), D(100)),), ["Band True: level must be a positive int."]),
    ],
)
def test_validate_bands(bands, errors):
    assert validate_bands(bands) == errors


# Weights ------------------------------------------------------------------------------------


def framework(dimension_weights, question_weights=None):
    """Dimensions A, B, ... with the given weights and, by default, one question each."""
    codes = "ABCDEFGHI"[: len(dimension_weights)]
    dimensions = [DimensionSpec(c, D(str(w))) for c, w in zip(codes, dimension_weights, strict=True)]
    question_weights = question_weights or {c: [1] for c in codes}
    questions = [q for c, ws in question_weights.items() for q in make_questions(c, ws)]
    return dimensions, questions


@pytest.mark.parametrize(
    ("dimensions", "questions", "errors"),
    [
        (*framework([60, 40]), []),
        (*framework(["33.34", "33.33", "33.33"]), []),  # 33.34 + 33.33 + 33.33 = 100
        (
            *framework(["33.33", "33.33", "33.33"]),  # 3 * 33.33 = 99.99
            ["Dimension weights sum to 99.99, not 100."],
        ),
        (*framework(["60.01", 40]), ["Dimension weights sum to 100.01, not 100."]),
        (
            *framework([110, -10]),  # sums to 100 but a weight is negative
            ["Dimension B: weight must be > 0."],
        ),
        (
            *framework([100, 0]),
            ["Dimension B: weight must be > 0."],
        ),
        (*framework([60, 40], {"A": [1, 0], "B": [1]}), ["Question A2: weight must be > 0."]),
        (
            *framework([60, 40], {"A": ["-0.5"], "B": [1]}),
            ["Question A1: weight must be > 0."],
        ),
        (*framework([60, 40], {"A": [1]}), ["Dimension B has no questions."]),
        (
            *framework([100], {"A": [1], "Z": [1]}),
            ["Question Z1: unknown dimension Z."],
        ),
        (
            [DimensionSpec("A", 60.0), DimensionSpec("B", D(40))],
            make_questions("A", [1]) + make_questions("B", [1]),
            ["Dimension A: weight must be a Decimal."],
        ),
        (
            [DimensionSpec("A", D(100))],
            [QuestionSpec("A1", "A", "A1", 0.5)],
            ["Question A1: weight must be a Decimal."],
        ),
        (
            [DimensionSpec("A", D(50)), DimensionSpec("A", D(50))],
            make_questions("A", [1]),
            ["Dimension A: duplicate code."],
        ),
        (
            [DimensionSpec("A", D(100))],
            make_questions("A", [1]) + make_questions("A", [2]),
            ["Question A1: duplicate id or code."],
        ),
        ([], [], ["A framework needs at least one dimension."]),
    ],
)
def test_validate_weights(dimensions, questions, errors):
    assert validate_weights(dimensions, questions) == errors


# Alignment ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "requirements", "held", "required", "expected"),
    [
        # everything met; equal to the minimum meets it (60 >= 60); 2 of 2 + 1 of 1 -> 100%
        (
            {"quality": D("60.00"), "production": D("80.00")},
            {"quality": D(60), "production": D(75)},
            {"ISO9001", "IATF16949"},
            {"ISO9001"},
            AlignmentResult(True, [], [], D("100.00")),
        ),
        # one gap: 75 - 52.50 = 22.50 short; 1 met of 2 dimensions -> 50%
        (
            {"quality": D("52.50"), "production": D("80.00")},
            {"quality": D(75), "production": D(75)},
            set(),
            set(),
            AlignmentResult(False, [Gap("quality", D(75), D("52.50"), D("22.50"))], [], D("50.00")),
        ),
        # None actual and absent dimension are gaps with the whole requirement as shortfall;
        # gaps and certifications sorted; met people, engineering, ISO9001: 3 of 4 + 3 = 7
        # -> 3 / 7 * 100 = 42.857... -> 42.86
        (
            {"quality": None, "people": D("90.00"), "engineering": D(70)},
            {"quality": D(50), "people": D(40), "finance": D("33.3"), "engineering": D(50)},
            {"ISO9001"},
            {"IATF16949", "ISO9001", "ISO14001"},
            AlignmentResult(
                False,
                [Gap("finance", D("33.3"), None, D("33.30")), Gap("quality", D(50), None, D(50))],
                ["IATF16949", "ISO14001"],
                D("42.86"),
            ),
        ),
        # only a missing certification: met 2 of 3 -> 66.666... -> 66.67
        (
            {"quality": D(70), "digital": D(30)},
            {"quality": D(60), "digital": D(30)},
            set(),
            {"IATF16949"},
            AlignmentResult(False, [], ["IATF16949"], D("66.67")),
        ),
        # 1 of 3 met -> 33.333... -> 33.33; shortfall 60 - 59.99 = 0.01
        (
            {"quality": D("59.99"), "digital": D(80)},
            {"quality": D(60), "digital": D(30)},
            set(),
            {"ISO9001"},
            AlignmentResult(False, [Gap("quality", D(60), D("59.99"), D("0.01"))], ["ISO9001"], D("33.33")),
        ),
        # no requirements at all: met vacuously
        ({"quality": D(10)}, {}, set(), set(), AlignmentResult(True, [], [], D("100.00"))),
    ],
)
def test_alignment(scores, requirements, held, required, expected):
    assert alignment(scores, requirements, held, required) == expected


@pytest.mark.parametrize("required", [D("-1"), D("100.01"), 50.0])
def test_alignment_rejects_requirements_outside_0_100(required):
    with pytest.raises(ValueError, match="must be 0-100"):
        alignment({"quality": D(50)}, {"quality": required}, set(), set())


@pytest.mark.parametrize("total, required", [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4), (9, 6), (10, 7)])
def test_required_responses_is_the_fewest_that_make_a_dimension_complete(total, required):
    assert scoring.required_responses(total) == required
    if total:
        assert scoring.is_complete(rated=1, responded=required, total=total)
        assert not scoring.is_complete(rated=1, responded=required - 1, total=total)
    assert not scoring.is_complete(rated=0, responded=total, total=total)  # all N/A: incomplete
