"""Maturity scoring of a diagnostic: pure functions, no Django, no ORM.

The ORM layer builds the frozen inputs (``DimensionSpec``, ``QuestionSpec``, ``AnswerInput``,
``Band``) from a framework version and a diagnostic and stores the results. All arithmetic is
``Decimal``. Rules (DESIGN.md, "Maturity" and "Market alignment"):

1. A question is rated 1-5 or N/A (the Answer model enforces the N/A reason; unused here).
   No answer, or ``level=None`` without N/A (a draft), is *missing*. ``level_to_score(level)
   = (level - 1) / 4 * 100``: 1->0, 2->25, 3->50, 4->75, 5->100.
2. Dimension score = ``sum(w_q * s_q) / sum(w_q)`` over its *rated* questions only: N/A and
   missing questions are out of numerator AND denominator (N/A never counts as 0). No rated
   question: score ``None``.
3. Completeness, one rule: complete iff ``rated >= 1 and 3 * (rated + na) >= 2 * total``, i.e.
   at least ceil(2/3 x questions) *responded* (rated, or N/A with its reason) and at least one
   rated. Responses needed: 1 question -> 1, 3 -> 2, 4 -> 3, 6 -> 4. All N/A: incomplete.
4. Overall = ``sum(W_d * S_d) / sum(W_d)`` over the complete dimensions (weights renormalised
   over them, unrounded scores); ``None`` if none is complete. ``complete`` iff all dimensions
   are; ``incomplete_dimensions`` lists the others in input order.
5. Rounding: a private 28-digit context (the caller's does not matter), no intermediate
   rounding; each reported number is quantized once, at the end, to 0.01 ROUND_HALF_UP. The
   overall may thus differ by 0.01 from a mean of the displayed dimension scores.
6. ``Band(level, min_score, max_score)`` holds ``min <= score < max``; the top band (max 100)
   also holds 100. The level is looked up with the *reported* overall score (they agree).
7. Gating (VDA 6.3-style downgrade): a critical question *triggers* when it is rated at or below
   its ``trigger_level`` (1-4, default 1: only a rating of 1). If any triggers, ``capped`` is
   True, ``cap_reasons`` lists their codes (input order) and ``level = min(band level, lowest
   cap_level)``; the score is unchanged. N/A or missing critical questions do not trigger;
   ``capped`` is set even if ``band_level`` (uncapped) is already <= the cap or is None.
8. Alignment: a dimension requirement (minimum 0-100) is met iff actual is not None and
   ``actual >= required``, else it is a ``Gap`` with ``shortfall = required - actual``
   (``required`` if actual is None); a certification is met iff held. ``fit_percent = met /
   requirements * 100`` (100 if none); ``meets`` iff all are met.

``weight_findings``/``band_findings`` list problems with where they are (``validate_weights``/
``validate_bands``: the same as English messages, empty = valid); the batch
``score_diagnostic`` (100,000 a run) does not re-run them, raises ``ValueError`` on inconsistent
input (duplicate/unknown answers, unknown dimensions) and is linear in its inputs: no sorting.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from itertools import pairwise
from typing import NamedTuple, TypeGuard, overload

HUNDRED = Decimal(100)
MIN_LEVEL, MAX_LEVEL = 1, 5
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
# (level - 1) / 4 * 100 == 25 * (level - 1), exact.
_LEVEL_SCORES = {level: Decimal(25 * (level - 1)) for level in range(MIN_LEVEL, MAX_LEVEL + 1)}


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_level(value: object) -> bool:
    return _is_int(value) and MIN_LEVEL <= value <= MAX_LEVEL


def _is_number(value: object) -> bool:
    """A finite Decimal or an int; floats are rejected (inexact)."""
    return value.is_finite() if isinstance(value, Decimal) else _is_int(value)


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class DimensionSpec:
    code: str
    weight: Decimal


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    id: Hashable
    dimension_code: str
    code: str
    weight: Decimal
    is_critical: bool = False
    cap_level: int | None = None
    trigger_level: int = MIN_LEVEL

    def __post_init__(self) -> None:
        if self.cap_level is not None and not _is_level(self.cap_level):
            raise ValueError(f"Question {self.code}: cap_level must be 1-5.")
        if not (_is_level(self.trigger_level) and self.trigger_level < MAX_LEVEL):
            raise ValueError(f"Question {self.code}: trigger_level must be 1-4.")
        if self.is_critical and self.cap_level is None:
            raise ValueError(f"Question {self.code}: a critical question needs a cap_level.")


@dataclass(frozen=True, slots=True)
class AnswerInput:
    question_id: Hashable
    level: int | None
    not_applicable: bool = False

    def __post_init__(self) -> None:
        if self.not_applicable and self.level is not None:
            raise ValueError(f"Answer to {self.question_id!r}: N/A cannot have a level.")
        if self.level is not None and not _is_level(self.level):
            raise ValueError(f"Answer to {self.question_id!r}: level must be 1-5.")


@dataclass(frozen=True, slots=True)
class Band:
    level: int
    min_score: Decimal
    max_score: Decimal


class QuestionContribution(NamedTuple):  # a NamedTuple: built per question, 100,000s of times
    """How one question entered its dimension score: ``score`` is its 0-100 value and
    ``points = weight * score / sum of rated weights`` (both None if N/A or missing)."""

    question_id: Hashable
    code: str
    weight: Decimal
    level: int | None
    not_applicable: bool
    score: Decimal | None
    points: Decimal | None


@dataclass(frozen=True, slots=True)
class DimensionResult:
    code: str
    score: Decimal | None
    weight: Decimal
    rated_count: int
    na_count: int
    total_count: int
    complete: bool
    contributions: tuple[QuestionContribution, ...]


@dataclass(frozen=True, slots=True)
class DiagnosticResult:
    dimensions: tuple[DimensionResult, ...]
    overall_score: Decimal | None
    level: int | None
    capped: bool
    cap_reasons: tuple[str, ...]
    complete: bool
    incomplete_dimensions: tuple[str, ...]
    band_level: int | None = None  # the level before gating


@dataclass(frozen=True, slots=True)
class Gap:
    dimension_code: str
    required: Decimal
    actual: Decimal | None
    shortfall: Decimal


@dataclass(frozen=True, slots=True)
class AlignmentResult:
    meets: bool
    gaps: list[Gap]
    missing_certifications: list[str]
    fit_percent: Decimal


def is_complete(*, rated: int, responded: int, total: int) -> bool:
    """Rule 3: a dimension is complete iff at least one question is rated and at least 2/3 of its
    ``total`` questions are responded (rated, or N/A with its reason). The one statement of the rule;
    the set-based scoring statement (``services/scoring_sql.py``) writes it in SQL and is held equal."""
    return rated >= 1 and 3 * responded >= 2 * total


def required_responses(total: int) -> int:
    """The fewest responses that satisfy rule 3 for ``total`` questions: ceil(2/3 x total)."""
    return -(-2 * total // 3)


def level_to_score(level: int) -> Decimal:
    """Map a 1-5 level to 0-100: ``(level - 1) / 4 * 100``."""
    if not _is_level(level):
        raise ValueError(f"Level must be an int 1-5, not {level!r}.")
    return _LEVEL_SCORES[level]


def _score_dimension(
    dimension: DimensionSpec,
    questions: Sequence[QuestionSpec],
    answers: Mapping[Hashable, AnswerInput],
) -> tuple[DimensionResult, Decimal | None]:
    """Score one dimension; also return its unrounded score for the overall mean."""
    rated = na = 0
    weighted_sum = weight_sum = _ZERO
    rows = []  # (question, level or None, not_applicable)
    for question in questions:
        answer = answers.get(question.id)
        level = None if answer is None else answer.level
        not_applicable = answer is not None and answer.not_applicable
        rows.append((question, level, not_applicable))
        if not_applicable:
            na += 1
        elif level is not None:
            rated += 1
            weighted_sum += question.weight * _LEVEL_SCORES[level]
            weight_sum += question.weight
    if rated and weight_sum <= 0:
        raise ValueError(f"Dimension {dimension.code}: question weights must be > 0.")
    raw = weighted_sum / weight_sum if rated else None
    contributions = []
    for question, level, not_applicable in rows:
        score = None if level is None else _LEVEL_SCORES[level]
        points = None if score is None else _round(question.weight * score / weight_sum)
        contributions.append(
            QuestionContribution(question.id, question.code, question.weight, level, not_applicable, score, points)
        )
    result = DimensionResult(
        code=dimension.code,
        score=None if raw is None else _round(raw),
        weight=dimension.weight,
        rated_count=rated,
        na_count=na,
        total_count=len(questions),
        complete=is_complete(rated=rated, responded=rated + na, total=len(questions)),
        contributions=tuple(contributions),
    )
    return result, raw


def score_dimension(
    dimension: DimensionSpec,
    questions: Sequence[QuestionSpec],
    answers: Mapping[Hashable, AnswerInput],
) -> DimensionResult:
    """Score one dimension from its questions and the answers keyed by question id (answers
    to other questions are ignored)."""
    for question in questions:
        if question.dimension_code != dimension.code:
            raise ValueError(f"Question {question.code} is not in dimension {dimension.code}.")
    with localcontext(_CONTEXT):
        return _score_dimension(dimension, questions, answers)[0]


def score_diagnostic(
    dimensions: Sequence[DimensionSpec],
    questions: Sequence[QuestionSpec],
    answers: Iterable[AnswerInput],
    bands: Sequence[Band],
) -> DiagnosticResult:
    """Score a diagnostic: dimension scores, overall score, band level and gating."""
    by_dimension: dict[str, list[QuestionSpec]] = {d.code: [] for d in dimensions}
    if len(by_dimension) != len(dimensions):
        raise ValueError("Dimension codes must be unique.")
    for question in questions:
        bucket = by_dimension.get(question.dimension_code)
        if bucket is None:
            raise ValueError(f"Question {question.code}: unknown dimension.")
        bucket.append(question)
    by_question: dict[Hashable, AnswerInput] = {}
    for answer in answers:
        if answer.question_id in by_question:
            raise ValueError(f"Two answers to question {answer.question_id!r}.")
        by_question[answer.question_id] = answer
    if not by_question.keys() <= {question.id for question in questions}:
        raise ValueError("Answers to questions outside this framework.")

    with localcontext(_CONTEXT):
        results, incomplete = [], []
        weighted_sum = weight_sum = _ZERO
        for dimension in dimensions:
            result, raw = _score_dimension(dimension, by_dimension[dimension.code], by_question)
            results.append(result)
            if result.complete:
                assert raw is not None  # complete implies at least one rated question
                weighted_sum += dimension.weight * raw
                weight_sum += dimension.weight
            else:
                incomplete.append(dimension.code)
        overall = _round(weighted_sum / weight_sum) if weight_sum > 0 else None

    critical_hits = [
        question
        for question in questions
        if question.is_critical and (hit := by_question.get(question.id)) is not None and triggers(question, hit.level)
    ]
    return _result(results, incomplete, overall, critical_hits, bands)


def triggers(question: QuestionSpec, level: int | None) -> bool:
    """Whether a rating of a critical question caps the level: rated (not N/A) at or below its trigger level."""
    return question.is_critical and level is not None and level <= question.trigger_level


def _result(results, incomplete, overall, critical_hits, bands) -> DiagnosticResult:
    """Band lookup and gating: triggered critical questions cap the level (input order kept for reasons)."""
    band_level = None if overall is None else band_for(overall, bands).level
    cap_reasons = [question.code for question in critical_hits]
    cap = min((question.cap_level for question in critical_hits), default=MAX_LEVEL)
    return DiagnosticResult(
        dimensions=tuple(results),
        overall_score=overall,
        level=min(band_level, cap) if cap_reasons and band_level is not None else band_level,
        capped=bool(cap_reasons),
        cap_reasons=tuple(cap_reasons),
        complete=not incomplete,
        incomplete_dimensions=tuple(incomplete),
        band_level=band_level,
    )


class DimensionSums(NamedTuple):
    """A dimension's answers reduced to sums (e.g. by one SQL ``GROUP BY``): ``weighted_sum`` =
    sum of ``w_q * s_q`` and ``weight_sum`` = sum of ``w_q`` over its rated questions (0 if none)."""

    weighted_sum: Decimal
    weight_sum: Decimal
    rated: int
    na: int
    total: int


def score_from_sums(
    dimensions: Sequence[DimensionSpec],
    sums: Mapping[str, DimensionSums],
    critical_hits: Sequence[QuestionSpec],
    bands: Sequence[Band],
) -> DiagnosticResult:
    """``score_diagnostic`` from per-dimension sums keyed by dimension code (a dimension without
    sums has no questions) and the triggered critical questions (input order): the same scores,
    levels, gating and completeness, with no per-question contributions. The same arithmetic in
    the same context, so the results are equal to ``score_diagnostic``'s, not just close."""
    empty = DimensionSums(_ZERO, _ZERO, 0, 0, 0)
    with localcontext(_CONTEXT):
        results, incomplete = [], []
        weighted_sum = weight_sum = _ZERO
        for dimension in dimensions:
            s = sums.get(dimension.code, empty)
            if s.rated and s.weight_sum <= 0:
                raise ValueError(f"Dimension {dimension.code}: question weights must be > 0.")
            raw = s.weighted_sum / s.weight_sum if s.rated else None
            complete = s.rated >= 1 and 3 * (s.rated + s.na) >= 2 * s.total
            results.append(
                DimensionResult(
                    code=dimension.code,
                    score=None if raw is None else _round(raw),
                    weight=dimension.weight,
                    rated_count=s.rated,
                    na_count=s.na,
                    total_count=s.total,
                    complete=complete,
                    contributions=(),
                )
            )
            if complete:
                assert raw is not None  # complete implies s.rated >= 1
                weighted_sum += dimension.weight * raw
                weight_sum += dimension.weight
            else:
                incomplete.append(dimension.code)
        overall = _round(weighted_sum / weight_sum) if weight_sum > 0 else None
    return _result(results, incomplete, overall, critical_hits, bands)


@overload
def band_for(score: Decimal, bands: Sequence[Band]) -> Band: ...
@overload
def band_for(score: None, bands: Sequence[Band]) -> None: ...
def band_for(score: Decimal | None, bands: Sequence[Band]) -> Band | None:
    """The band holding ``score``: ``min <= score < max``, the top band also holds its max.
    None for a None score; ``ValueError`` if no band holds it. Linear scan, no sorting."""
    if score is None:
        return None
    top = None
    for band in bands:
        if band.min_score <= score < band.max_score:
            return band
        if top is None or band.max_score > top.max_score:
            top = band
    if top is not None and score == top.max_score:
        return top
    raise ValueError(f"No maturity band holds score {score}.")


def gettext_noop(message: str) -> str:
    """Marks a message for translation (``makemessages`` finds it); the text is returned as is."""
    return message


class Finding(NamedTuple):
    """One problem in a framework's weights or bands. ``str()`` is the English text; callers that
    show it in another language translate ``message`` and fill in ``params``. ``subject`` says
    where it is: ``("dimension", code, field)``, ``("question", id, field)``, ``("band", level,
    field)`` or ``()`` for the table as a whole (``field`` may be "")."""

    subject: tuple
    message: str
    params: dict

    def __str__(self) -> str:
        return self.message % self.params


def band_findings(bands: Sequence[Band]) -> list[Finding]:
    """Problems of a band table: bands must cover 0..100 without gaps or overlaps, have
    min < max, and unique positive int levels increasing with the score."""
    if not bands:
        return [Finding((), gettext_noop("At least one maturity band is required."), {})]
    findings = []
    for band in bands:
        where = {"level": band.level}
        if not _is_int(band.level) or band.level < 1:
            findings.append(
                Finding(
                    ("band", band.level, "level"), gettext_noop("Band %(level)r: level must be a positive int."), where
                )
            )
        if not (_is_number(band.min_score) and _is_number(band.max_score)):
            findings.append(
                Finding(
                    ("band", band.level, "min_score"),
                    gettext_noop("Band %(level)r: min and max must be Decimals."),
                    where,
                )
            )
        elif band.min_score >= band.max_score:
            findings.append(
                Finding(
                    ("band", band.level, "max_score"),
                    gettext_noop("Band %(level)r: min %(min)s >= max %(max)s."),
                    {**where, "min": band.min_score, "max": band.max_score},
                )
            )
    if findings:
        return findings
    if len({band.level for band in bands}) != len(bands):
        findings.append(Finding((), gettext_noop("Band levels must be unique."), {}))
    ordered = sorted(bands, key=lambda band: band.min_score)
    if ordered[0].min_score != 0:
        findings.append(
            Finding(
                ("band", ordered[0].level, "min_score"),
                gettext_noop("Bands must start at 0, not %(score)s."),
                {"score": ordered[0].min_score},
            )
        )
    if ordered[-1].max_score != HUNDRED:
        findings.append(
            Finding(
                ("band", ordered[-1].level, "max_score"),
                gettext_noop("Bands must end at 100, not %(score)s."),
                {"score": ordered[-1].max_score},
            )
        )
    for low, high in pairwise(ordered):
        if high.min_score > low.max_score:
            findings.append(
                Finding(
                    ("band", high.level, "min_score"),
                    gettext_noop("Gap from %(low)s to %(high)s."),
                    {"low": low.max_score, "high": high.min_score},
                )
            )
        elif high.min_score < low.max_score:
            findings.append(
                Finding(
                    ("band", high.level, "min_score"),
                    gettext_noop("Bands %(low)s and %(high)s overlap."),
                    {"low": low.level, "high": high.level},
                )
            )
        if high.level <= low.level:
            findings.append(
                Finding(
                    ("band", high.level, "level"),
                    gettext_noop("Band levels must increase with the score (%(low)s, %(high)s)."),
                    {"low": low.level, "high": high.level},
                )
            )
    return findings


def validate_bands(bands: Sequence[Band]) -> list[str]:
    """``band_findings`` as English messages (empty = valid)."""
    return [str(finding) for finding in band_findings(bands)]


def weight_findings(dimensions: Sequence[DimensionSpec], questions: Sequence[QuestionSpec]) -> list[Finding]:
    """Problems of a framework's weights: dimension weights > 0 summing to exactly 100, question
    weights > 0, each question in a known dimension, each dimension with questions, unique
    dimension codes, question ids and question codes."""
    findings = [] if dimensions else [Finding((), gettext_noop("A framework needs at least one dimension."), {})]
    question_count: dict[str, int] = {}
    for dimension in dimensions:
        where = {"code": dimension.code}
        if dimension.code in question_count:
            findings.append(
                Finding(
                    ("dimension", dimension.code, "code"), gettext_noop("Dimension %(code)s: duplicate code."), where
                )
            )
        question_count[dimension.code] = 0
        if not _is_number(dimension.weight):
            findings.append(
                Finding(
                    ("dimension", dimension.code, "weight"),
                    gettext_noop("Dimension %(code)s: weight must be a Decimal."),
                    where,
                )
            )
        elif dimension.weight <= 0:
            findings.append(
                Finding(
                    ("dimension", dimension.code, "weight"),
                    gettext_noop("Dimension %(code)s: weight must be > 0."),
                    where,
                )
            )
    if dimensions and all(_is_number(dimension.weight) for dimension in dimensions):
        total = sum((dimension.weight for dimension in dimensions), _ZERO)
        if total != HUNDRED:
            findings.append(Finding((), gettext_noop("Dimension weights sum to %(total)s, not 100."), {"total": total}))
    seen_ids, seen_codes = set(), set()
    for question in questions:
        where = {"code": question.code}
        if question.id in seen_ids or question.code in seen_codes:
            findings.append(
                Finding(
                    ("question", question.id, "code"), gettext_noop("Question %(code)s: duplicate id or code."), where
                )
            )
        seen_ids.add(question.id)
        seen_codes.add(question.code)
        if question.dimension_code in question_count:
            question_count[question.dimension_code] += 1
        else:
            findings.append(
                Finding(
                    ("question", question.id, ""),
                    gettext_noop("Question %(code)s: unknown dimension %(dimension)s."),
                    {**where, "dimension": question.dimension_code},
                )
            )
        if not _is_number(question.weight):
            findings.append(
                Finding(
                    ("question", question.id, "weight"),
                    gettext_noop("Question %(code)s: weight must be a Decimal."),
                    where,
                )
            )
        elif question.weight <= 0:
            findings.append(
                Finding(
                    ("question", question.id, "weight"), gettext_noop("Question %(code)s: weight must be > 0."), where
                )
            )
    findings.extend(
        Finding(("dimension", code, "questions"), gettext_noop("Dimension %(code)s has no questions."), {"code": code})
        for code, count in question_count.items()
        if not count
    )
    return findings


def validate_weights(dimensions: Sequence[DimensionSpec], questions: Sequence[QuestionSpec]) -> list[str]:
    """``weight_findings`` as English messages (empty = valid)."""
    return [str(finding) for finding in weight_findings(dimensions, questions)]


def alignment(
    dimension_scores: Mapping[str, Decimal | None],
    requirements: Mapping[str, Decimal],
    held_certifications: set[str],
    required_certifications: set[str],
) -> AlignmentResult:
    """Compare an SME's dimension scores and certifications with a critical supply area's
    minimum scores per dimension code (0-100) and required certification codes."""
    gaps = []
    with localcontext(_CONTEXT):
        for code in sorted(requirements):
            required = requirements[code]
            if not _is_number(required) or not 0 <= required <= HUNDRED:
                raise ValueError(f"Requirement for {code} must be 0-100, not {required!r}.")
            actual = dimension_scores.get(code)
            if actual is None or actual < required:
                shortfall = _round(required if actual is None else required - actual)
                gaps.append(Gap(code, required, actual, shortfall))
        missing = sorted(set(required_certifications) - set(held_certifications))
        total = len(requirements) + len(set(required_certifications))
        met = total - len(gaps) - len(missing)
        fit = _round(Decimal(met) * HUNDRED / total if total else HUNDRED)
    return AlignmentResult(met == total, gaps, missing, fit)
