"""The set-based scoring stores exactly what the pure functions of ``assessments.scoring`` (the reference)
compute: randomized diagnostics (N/A, missing answers, incomplete dimensions, critical caps with random
trigger levels, band boundaries, odd weights) scored and compared field by field."""

import json
import random
from decimal import Decimal

import pytest

from assessments import scoring, selectors, services
from assessments.models import Answer, AreaAlignment, Diagnostic, DimensionScore, Question
from core.models import AuditEvent
from programs.models import AreaRequirement
from suppliers.models import Certification
from tests.assessments.factories import (
    DiagnosticFactory,
    DimensionFactory,
    FrameworkFactory,
    MaturityBandFactory,
    QuestionFactory,
)
from tests.programs.factories import CertificationStandardFactory, CriticalSupplyAreaFactory, ProgramFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sql]

TIE_CUTS = [Decimal(x) for x in ("12.5", "25", "33.33", "37.5", "50", "62.5", "66.67", "75", "87.5")]


def _cents(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)) / 100


def random_framework(rng: random.Random):
    """Dimensions with weights (two decimals) summing to 100, questions with odd or equal weights,
    some critical, bands whose boundaries are often exactly reachable scores."""
    framework = FrameworkFactory()
    count = rng.randint(1, 5)
    cuts = sorted(rng.sample(range(1, 10000), count - 1))
    weights = [Decimal(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, 10000], strict=True)]
    for d_order, weight in enumerate(weights, start=1):
        dimension = DimensionFactory(framework=framework, weight=weight, order=d_order)
        same = rng.random() < 0.5
        for q_order in range(1, rng.choice([0, *range(1, 8)]) + 1):  # sometimes none (never valid, still scored)
            critical = rng.random() < 0.15
            QuestionFactory(
                dimension=dimension,
                order=q_order,
                weight=Decimal("1.00") if same else _cents(rng, 1, 99999),
                is_critical=critical,
                cap_level=rng.randint(1, 5) if critical else None,
                trigger_level=rng.choice([1, 1, 2, 3, 4]) if critical else 1,  # 1 (the default) or any other
            )
    pool = TIE_CUTS + [_cents(rng, 1, 9999) for _ in range(4)]
    bounds = sorted(set(rng.sample(pool, 4)))
    for level, (low, high) in enumerate(zip([Decimal(0), *bounds], [*bounds, Decimal(100)], strict=True), start=1):
        MaturityBandFactory(framework=framework, level=level, min_score=low, max_score=high)
    return framework


def random_diagnostics(rng: random.Random, framework, suppliers, n: int) -> list[int]:
    questions = list(Question.objects.filter(dimension__framework=framework))
    ids, answers = [], []
    for i in range(n):
        status = rng.choice(["submitted", "submitted", "scored", "validated", "in_progress"])
        diagnostic = DiagnosticFactory(framework=framework, supplier=suppliers[i % len(suppliers)], status=status)
        ids.append(diagnostic.pk)
        style = rng.choice(["mixed", "full", "sparse", "all_na", "ones"])
        for question in questions:
            roll = rng.random()
            if style == "sparse" and roll < 0.6 or style == "mixed" and roll < 0.15:
                continue  # missing
            if style == "all_na" or style == "mixed" and roll < 0.35:
                answers.append(Answer(diagnostic=diagnostic, question=question, not_applicable=True, na_reason="n/a"))
            else:
                level = 1 if style == "ones" and roll < 0.5 else rng.randint(1, 5)
                answers.append(Answer(diagnostic=diagnostic, question=question, level=level))
    Answer.objects.bulk_create(answers)
    return ids


def expected(diagnostic: Diagnostic) -> dict:
    """Every stored field, computed with the pure functions from the database's answers."""
    dimensions, questions, bands = services.framework_specs(diagnostic.framework)
    answers = [
        scoring.AnswerInput(q, level, na)
        for q, level, na in diagnostic.answers.values_list("question_id", "level", "not_applicable")
    ]
    result = scoring.score_diagnostic(dimensions, questions, answers, bands)
    scores = {d.code: d.score for d in result.dimensions}
    held = set(Certification.objects.filter(supplier=diagnostic.supplier).values_list("standard__code", flat=True))
    alignments = {}
    for area in diagnostic.supplier.supply_areas.all():
        outcome = scoring.alignment(
            scores,
            {r.dimension_code: r.minimum_score for r in area.requirements.all()},
            held,
            {c.code for c in area.required_certifications.all()},
        )
        alignments[area.pk] = (
            outcome.meets,
            outcome.fit_percent,
            [
                {
                    "dimension": g.dimension_code,
                    "required": str(g.required),
                    "actual": None if g.actual is None else str(g.actual),
                    "shortfall": str(g.shortfall),
                }
                for g in outcome.gaps
            ],
            outcome.missing_certifications,
        )
    return {
        "overall_score": result.overall_score,
        "maturity_level": result.level,
        "level_capped": result.capped,
        "score_details": services.summary(result),
        "explanation": services.explanation(result),
        "dimensions": {
            d.code: (d.score, d.rated_count, d.na_count, d.total_count, d.complete) for d in result.dimensions
        },
        "scores_by_dimension": {d.code: None if d.score is None else str(d.score) for d in result.dimensions},
        "alignments": alignments,
    }


def stored(diagnostic: Diagnostic) -> dict:
    diagnostic.refresh_from_db()
    return {
        "overall_score": diagnostic.overall_score,
        "maturity_level": diagnostic.maturity_level,
        "level_capped": diagnostic.level_capped,
        "score_details": diagnostic.score_details,
        "explanation": selectors.diagnostic_explanation(diagnostic),
        "dimensions": {
            s.dimension.code: (s.score, s.rated_count, s.na_count, s.total_count, s.is_complete)
            for s in DimensionScore.objects.filter(diagnostic=diagnostic).select_related("dimension")
        },
        "scores_by_dimension": diagnostic.scores_by_dimension,
        "alignments": {
            a.area_id: (a.meets_requirements, a.fit_percent, a.gaps, a.missing_certifications)
            for a in AreaAlignment.objects.filter(diagnostic=diagnostic)
        },
    }


def snapshot(ids: list[int]) -> dict:
    """Everything the scoring writes except version and updated_at."""
    return {
        d.pk: (
            d.status,
            d.overall_score,
            d.maturity_level,
            d.level_capped,
            d.score_details,
            d.scored_at,
            d.validated_at,
            d.published_at,
            stored(d)["dimensions"],
            stored(d)["alignments"],
        )
        for d in Diagnostic.objects.filter(pk__in=ids).order_by("pk")
    }


@pytest.fixture
def world():
    program = ProgramFactory()
    iatf = CertificationStandardFactory(code="iatf")
    areas = [CriticalSupplyAreaFactory(program=program, code=f"A{i}") for i in range(3)]
    suppliers = [SupplierFactory(program=program) for _ in range(6)]
    for i, supplier in enumerate(suppliers):
        supplier.supply_areas.add(*areas[: i % 4])
        if i % 2:
            Certification.objects.create(supplier=supplier, standard=iatf)
    areas[0].required_certifications.add(iatf)
    return areas, suppliers


@pytest.fixture
def fallbacks(monkeypatch):
    """The diagnostic ids the statement leaves to the reference arithmetic (near half-cent
    ties, no single band)."""
    from assessments.services import scoring_sql

    seen, original = [], scoring_sql._finish_fallbacks

    def spy(rows):
        seen.extend(pk for pk, _ in rows)
        return original(rows)

    monkeypatch.setattr(scoring_sql, "_finish_fallbacks", spy)
    return seen


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_batch_scoring_stores_exactly_the_pure_results(seed, world, staff_user, fallbacks):
    rng = random.Random(seed)
    areas, suppliers = world
    framework = random_framework(rng)
    codes = list(framework.dimensions.values_list("code", flat=True))
    for area in areas:  # requirements on some of the framework's dimensions and one it does not have
        for code in [*rng.sample(codes, rng.randint(0, len(codes))), "absent"]:
            AreaRequirement.objects.create(area=area, dimension_code=code, minimum_score=_cents(rng, 0, 10000))
    ids = random_diagnostics(rng, framework, suppliers, 30)
    ids += random_diagnostics(rng, random_framework(rng), suppliers, 10)  # two frameworks in one batch
    statuses = dict(Diagnostic.objects.filter(pk__in=ids).values_list("pk", "status"))

    scored = services.diagnostics_score(diagnostic_ids=ids, actor=staff_user)

    assert scored == [pk for pk in ids if statuses[pk] != "in_progress"]
    assert len(fallbacks) <= len(scored) // 4, fallbacks  # the statement scores (nearly) all of them itself
    for diagnostic in Diagnostic.objects.filter(pk__in=scored).select_related("framework", "supplier"):
        assert stored(diagnostic) == expected(diagnostic), diagnostic.pk
        assert diagnostic.status == "scored" and diagnostic.scored_at is not None
    assert set(AuditEvent.objects.filter(to_state="scored").values_list("object_id", "from_state")) == {
        (str(pk), statuses[pk]) for pk in scored if statuses[pk] in ("submitted", "validated")
    }
    assert not DimensionScore.objects.filter(diagnostic__status="in_progress").exists()


@pytest.mark.parametrize("seed", [5, 6])
def test_rescoring_moves_nothing_until_the_answers_change(seed, world):
    rng = random.Random(seed)
    _areas, suppliers = world
    framework = random_framework(rng)
    ids = random_diagnostics(rng, framework, suppliers, 30)
    services.diagnostics_score(diagnostic_ids=ids)
    Diagnostic.objects.filter(pk__in=ids[::2], status="scored").update(status="validated")
    before = snapshot(ids)
    services.diagnostics_score(diagnostic_ids=ids)  # same results: nothing moves
    assert snapshot(ids) == before
    # Change the answers: the new results are the reference's (and the validated go back to scored).
    Answer.objects.filter(diagnostic_id__in=ids, level__isnull=False).exclude(level=5).update(level=5)
    services.diagnostics_score(diagnostic_ids=ids)
    assert snapshot(ids) != before
    for diagnostic in Diagnostic.objects.filter(pk__in=ids, status__in=("scored", "validated")).select_related(
        "framework", "supplier"
    ):
        assert stored(diagnostic) == expected(diagnostic), diagnostic.pk
    changed = {pk for pk, row in snapshot(ids).items() if row[1:4] != before[pk][1:4]}
    assert changed and not Diagnostic.objects.filter(pk__in=changed, status="validated").exists()


def test_rescoring_unchanged_results_writes_no_diagnostic_and_refreshes_alignments(world):
    rng = random.Random(7)
    areas, suppliers = world
    framework = random_framework(rng)
    ids = random_diagnostics(rng, framework, suppliers, 12)
    scored = services.diagnostics_score(diagnostic_ids=ids)
    Diagnostic.objects.filter(pk__in=scored[::2]).update(status="validated")
    versions = dict(Diagnostic.objects.filter(pk__in=scored).values_list("pk", "version"))
    events = AuditEvent.objects.count()

    services.diagnostics_score(diagnostic_ids=scored)  # same answers, framework and areas
    assert dict(Diagnostic.objects.filter(pk__in=scored).values_list("pk", "version")) == versions
    assert AuditEvent.objects.count() == events
    assert Diagnostic.objects.filter(pk__in=scored[::2], status="validated").count() == len(scored[::2])

    # What an SME wants to supply and what an area requires change: alignments follow, results do not.
    supplier = next(s for s in suppliers if s.supply_areas.exists())
    dropped = supplier.supply_areas.first()
    supplier.supply_areas.remove(dropped)
    supplier.supply_areas.add(areas[2])
    AreaRequirement.objects.create(
        area=areas[2], dimension_code=framework.dimensions.first().code, minimum_score=Decimal("99.99")
    )
    services.diagnostics_score(diagnostic_ids=scored)
    assert dict(Diagnostic.objects.filter(pk__in=scored).values_list("pk", "version")) == versions
    for diagnostic in Diagnostic.objects.filter(pk__in=scored).select_related("framework", "supplier"):
        assert stored(diagnostic) == expected(diagnostic), diagnostic.pk
    mine = set(Diagnostic.objects.filter(pk__in=scored, supplier=supplier).values_list("pk", flat=True))
    assert mine and not AreaAlignment.objects.filter(diagnostic__in=mine, area=dropped).exists()
    assert AreaAlignment.objects.filter(diagnostic__in=mine, area=areas[2]).count() == len(mine)

    # Certifications obtained and a requirement moved: missing lists, gaps and fits follow.
    iatf = areas[0].required_certifications.get()
    for other in suppliers:
        Certification.objects.get_or_create(supplier=other, standard=iatf)
    AreaRequirement.objects.filter(area=areas[2]).update(minimum_score=Decimal("12.34"))
    services.diagnostics_score(diagnostic_ids=scored)
    assert dict(Diagnostic.objects.filter(pk__in=scored).values_list("pk", "version")) == versions
    for diagnostic in Diagnostic.objects.filter(pk__in=scored).select_related("framework", "supplier"):
        assert stored(diagnostic) == expected(diagnostic), diagnostic.pk
    missing = AreaAlignment.objects.filter(diagnostic__in=scored).values_list("missing_certifications", flat=True)
    assert not any("iatf" in codes for codes in missing)


def test_an_exact_half_cent_overall_is_left_to_the_reference_arithmetic(fallbacks):
    """Eight equal questions, seven rated 1 and one rated 2: 25 / 8 = 3.125, exactly a half cent.
    The statement leaves such a diagnostic to the reference arithmetic, which rounds it half up (3.13)."""
    framework = FrameworkFactory()
    dimension = DimensionFactory(framework=framework, weight=Decimal("100.00"), order=1)
    questions = [QuestionFactory(dimension=dimension, order=i, weight=Decimal("1.00")) for i in range(8)]
    for level, (low, high) in enumerate([(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)], start=1):
        MaturityBandFactory(framework=framework, level=level, min_score=Decimal(low), max_score=Decimal(high))
    tie = DiagnosticFactory(framework=framework, status="submitted")
    plain = DiagnosticFactory(framework=framework, status="submitted")
    Answer.objects.bulk_create(
        [Answer(diagnostic=tie, question=q, level=2 if i == 0 else 1) for i, q in enumerate(questions)]
        + [Answer(diagnostic=plain, question=q, level=3) for q in questions]
    )

    services.diagnostics_score(diagnostic_ids=[tie.pk, plain.pk])

    assert fallbacks == [tie.pk]
    for diagnostic in Diagnostic.objects.filter(pk__in=[tie.pk, plain.pk]).select_related("framework", "supplier"):
        assert stored(diagnostic) == expected(diagnostic)
        assert diagnostic.status == "scored"
    tie.refresh_from_db()
    assert tie.overall_score == Decimal("3.13") and tie.maturity_level == 1
    assert AuditEvent.objects.filter(object_id__in=[str(tie.pk), str(plain.pk)], to_state="scored").count() == 2


def _alignment_row_versions(ids) -> dict:
    """(diagnostic id, area id) -> the PostgreSQL row version (xmin) of each alignment: moves when written."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT diagnostic_id, area_id, xmin::text FROM assessments_areaalignment WHERE diagnostic_id = ANY(%s)",
            [list(ids)],
        )
        return {(d, a): xmin for d, a, xmin in cursor.fetchall()}


def test_sql_rescoring_recomputes_exactly_the_alignments_whose_inputs_changed(world):
    rng = random.Random(11)
    areas, suppliers = world
    framework = random_framework(rng)
    code = framework.dimensions.order_by("order").first().code
    for area in areas:
        AreaRequirement.objects.create(area=area, dimension_code=code, minimum_score=Decimal("40.00"))
    ids = services.diagnostics_score(diagnostic_ids=random_diagnostics(rng, framework, suppliers, 18))

    def check(written: set) -> None:
        nonlocal rows
        now = _alignment_row_versions(ids)
        assert {key for key, xmin in now.items() if rows.get(key) != xmin} == written
        assert None not in AreaAlignment.objects.filter(diagnostic__in=ids).values_list("inputs_digest", flat=True)
        for diagnostic in Diagnostic.objects.filter(pk__in=ids).select_related("framework", "supplier"):
            assert stored(diagnostic) == expected(diagnostic), diagnostic.pk
        rows = now

    rows = _alignment_row_versions(ids)
    assert rows
    by_area = {area.pk: {key for key in rows if key[1] == area.pk} for area in areas}

    services.diagnostics_score(diagnostic_ids=ids)  # nothing changed: nothing written
    check(set())

    AreaRequirement.objects.filter(area=areas[1]).update(minimum_score=Decimal("77.70"))
    services.diagnostics_score(diagnostic_ids=ids)
    check(by_area[areas[1].pk])

    areas[0].required_certifications.get().__class__.objects.filter(code="iatf").update(code="iatf-16949")
    services.diagnostics_score(diagnostic_ids=ids)  # the code an area requires, renamed
    check(by_area[areas[0].pk])

    holder = next(s for s in suppliers if s.certifications.exists() and s.supply_areas.exists())
    Certification.objects.filter(supplier=holder).delete()
    mine = {key for key in rows if Diagnostic.objects.get(pk=key[0]).supplier_id == holder.pk}
    assert mine
    services.diagnostics_score(diagnostic_ids=ids)
    check(mine)

    changed = next(pk for pk, _area in sorted(rows) if Answer.objects.filter(diagnostic=pk, level__lt=5).exists())
    Answer.objects.filter(diagnostic=changed, level__isnull=False).update(level=5)  # its scores change
    services.diagnostics_score(diagnostic_ids=ids)
    check({key for key in rows if key[0] == changed})

    AreaAlignment.objects.filter(diagnostic_id__in=ids).update(fit_percent=Decimal("1.23"), inputs_digest=None)
    services.diagnostics_score(diagnostic_ids=ids)  # unknown inputs (no digest): all
    check(set(rows))


def _executed_plan(ids: list[int]) -> dict:
    """The plan the scoring statement runs with (prepared, generic, under its planner settings), executed
    by ``EXPLAIN ANALYZE`` and rolled back."""
    from django.db import connection, transaction
    from django.utils import timezone

    from assessments.services import RESCORABLE, scoring_sql

    text = scoring_sql.SCORE_SQL.replace("%(ids)s", "$1").replace("%(statuses)s", "$2").replace("%(now)s", "$3")
    assert "%(" not in text
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(scoring_sql.PLANNER_SQL)
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("PREPARE scoring_plan(bigint[], text[], timestamptz) AS " + text)
        try:
            cursor.execute(
                "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE scoring_plan(%s, %s, %s)",
                [ids, [str(s) for s in RESCORABLE], timezone.now()],
            )
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("DEALLOCATE scoring_plan")
        transaction.set_rollback(True)
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def test_the_statement_reads_answers_and_stored_rows_page_by_page_and_certifications_in_one_scan(world):
    """A chunk's answers and stored dimension scores are read by bitmap scans (each table page once, in
    order), not one index descent and heap fetch per row; the certifications of the chunk's SMEs by one
    scan, not one per SME."""
    rng = random.Random(13)
    _areas, suppliers = world
    ids = services.diagnostics_score(diagnostic_ids=random_diagnostics(rng, random_framework(rng), suppliers, 12))
    plan = _executed_plan(ids)
    scans = [n for n in _nodes(plan) if "Relation Name" in n and n["Node Type"].endswith("Scan")]
    for table in ("assessments_answer", "assessments_dimensionscore"):
        kinds = {n["Node Type"] for n in scans if n["Relation Name"] == table}
        assert kinds and "Index Scan" not in kinds and "Index Only Scan" not in kinds, (table, kinds)
    held = next(n for n in _nodes(plan) if n.get("Subplan Name") == "CTE held_inputs")
    certifications = [n for n in _nodes(held) if n.get("Relation Name") == "suppliers_certification"]
    assert certifications and all(n["Actual Loops"] == 1 for n in certifications), certifications


def _row_versions(ids) -> dict:
    """Every row the scoring writes for ``ids`` (diagnostics, dimension scores, alignments) -> its PostgreSQL
    row version (xmin), which moves when the row is written."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT 'diagnostic', id, 0, xmin::text FROM assessments_diagnostic WHERE id = ANY(%(ids)s)
               UNION ALL SELECT 'dimension', diagnostic_id, dimension_id, xmin::text
                         FROM assessments_dimensionscore WHERE diagnostic_id = ANY(%(ids)s)
               UNION ALL SELECT 'alignment', diagnostic_id, area_id, xmin::text
                         FROM assessments_areaalignment WHERE diagnostic_id = ANY(%(ids)s)""",
            {"ids": list(ids)},
        )
        return {(kind, a, b): xmin for kind, a, b, xmin in cursor.fetchall()}


@pytest.mark.parametrize("seed", [17, 18])
def test_an_unchanged_rescore_writes_no_row(seed, world, fallbacks):
    """Rescoring what is already scored, a diagnostic left to the reference arithmetic (an exact half-cent
    overall) included, rewrites no diagnostic, dimension score or alignment."""
    rng = random.Random(seed)
    _areas, suppliers = world
    ids = random_diagnostics(rng, random_framework(rng), suppliers, 30)
    framework = FrameworkFactory()  # 25 / 8 = 3.125: see the half-cent test above
    dimension = DimensionFactory(framework=framework, weight=Decimal("100.00"), order=1)
    questions = [QuestionFactory(dimension=dimension, order=i, weight=Decimal("1.00")) for i in range(8)]
    for level, (low, high) in enumerate([(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)], start=1):
        MaturityBandFactory(framework=framework, level=level, min_score=Decimal(low), max_score=Decimal(high))
    tie = DiagnosticFactory(framework=framework, supplier=suppliers[3], status="submitted")
    Answer.objects.bulk_create(
        [Answer(diagnostic=tie, question=q, level=2 if i == 0 else 1) for i, q in enumerate(questions)]
    )
    ids = services.diagnostics_score(diagnostic_ids=[*ids, tie.pk])
    Diagnostic.objects.filter(pk__in=ids[::3]).update(status="validated")
    before = _row_versions(ids)
    assert {kind for kind, _, _ in before} == {"diagnostic", "dimension", "alignment"}
    fallbacks.clear()

    assert services.diagnostics_score(diagnostic_ids=ids) == ids

    assert fallbacks == [tie.pk]
    assert _row_versions(ids) == before


def test_the_statement_is_prepared_once_per_connection(world):
    """The scoring statement is a prepared statement of the connection (parsed and planned once, not on every
    chunk); preparing stays off for other queries, as Django's connections have it."""
    from django.db import connection

    rng = random.Random(19)
    _areas, suppliers = world
    ids = services.diagnostics_score(diagnostic_ids=random_diagnostics(rng, random_framework(rng), suppliers, 6))

    def prepared() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%FOR UPDATE%assessments_answer%"],
            )
            return cursor.fetchall()

    services.diagnostics_score(diagnostic_ids=ids[:3])
    services.diagnostics_score(diagnostic_ids=ids[3:])

    [(name, runs)] = prepared()
    assert runs >= 3 and connection.connection.prepare_threshold is None
    services.diagnostics_score(diagnostic_ids=ids)
    assert prepared() == [(name, runs + 1)]
