from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments import selectors, services, tasks
from assessments.models import AreaAlignment, Diagnostic, DimensionScore, LevelDescriptor, MaturityBand, Question
from core.concurrency import StaleObjectError
from core.models import AuditEvent
from tests.assessments.conftest import FULL, levels_for
from tests.assessments.factories import build_framework

pytestmark = pytest.mark.django_db


def _rows(diagnostic):
    scores = sorted(
        DimensionScore.objects.filter(diagnostic=diagnostic).values_list(
            "dimension__code", "score", "rated_count", "na_count", "total_count", "is_complete"
        )
    )
    alignments = sorted(
        AreaAlignment.objects.filter(diagnostic=diagnostic).values_list(
            "area_id", "meets_requirements", "fit_percent", "gaps", "missing_certifications"
        )
    )
    diagnostic.refresh_from_db()
    return (
        scores,
        alignments,
        (diagnostic.overall_score, diagnostic.maturity_level, diagnostic.level_capped, diagnostic.score_details),
    )


def test_first_answer_starts_the_diagnostic_and_submit_scores_after_commit(
    make_diagnostic, staff_user, django_capture_on_commit_callbacks
):
    diagnostic = make_diagnostic(FULL)
    assert diagnostic.status == Diagnostic.Status.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.diagnostic_submit(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff_user)
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SUBMITTED  # nothing scored before the commit
    assert not DimensionScore.objects.filter(diagnostic=diagnostic).exists()
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the (eager) task runs
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SCORED
    assert diagnostic.overall_score == Decimal("53.75")  # (40*75 + 35*50 + 25*25) / 100
    assert diagnostic.maturity_level == 3
    scores = dict(DimensionScore.objects.filter(diagnostic=diagnostic).values_list("dimension__code", "score"))
    assert scores == {"quality": Decimal("75.00"), "production": Decimal("50.00"), "finance": Decimal("25.00")}
    assert "dimensions" not in diagnostic.score_details  # the summary is stored; the detail is computed on read
    explained = selectors.diagnostic_explanation(diagnostic)
    assert explained["dimensions"]["production"]["na"] == 1
    assert explained["dimensions"]["quality"]["score"] == "75.00" and explained["overall_score"] == "53.75"
    assert list(
        AuditEvent.objects.filter(object_id=str(diagnostic.pk), action="transition")
        .order_by("pk")
        .values_list("to_state", flat=True)
    ) == ["in_progress", "submitted", "scored"]


def test_scoring_twice_gives_the_same_rows(make_diagnostic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        diagnostic = make_diagnostic(FULL, submit=True)
    first = _rows(diagnostic)
    scored_at = Diagnostic.objects.get(pk=diagnostic.pk).scored_at
    assert tasks.score_diagnostic.delay(diagnostic.pk).get()
    assert tasks.score_diagnostic(diagnostic.pk)
    assert _rows(diagnostic) == first
    assert Diagnostic.objects.get(pk=diagnostic.pk).scored_at == scored_at
    assert DimensionScore.objects.filter(diagnostic=diagnostic).count() == 3


def test_submit_is_refused_listing_incomplete_dimensions(make_diagnostic, staff_user):
    diagnostic = make_diagnostic({"quality-1": 4, "quality-2": 4, "production-1": 3, "finance-1": 0, "finance-2": 0})
    with pytest.raises(ValidationError) as exc:
        services.diagnostic_submit(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff_user)
    message = " ".join(exc.value.messages)
    assert "Production" in message and "Finance" in message and "Quality" not in message
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.IN_PROGRESS


def test_stale_answer_save_is_refused_and_nothing_is_overwritten(make_diagnostic, staff_user):
    diagnostic = make_diagnostic({"quality-1": 2})
    read_by_both = diagnostic.version
    services.diagnostic_answers_save(
        diagnostic=diagnostic,
        answers=levels_for(diagnostic.framework, {"quality-1": 5}),
        expected_version=read_by_both,
        actor=staff_user,
    )
    with pytest.raises(StaleObjectError):
        services.diagnostic_answers_save(
            diagnostic=Diagnostic.objects.get(pk=diagnostic.pk),
            answers=levels_for(diagnostic.framework, {"quality-1": 1, "quality-2": 1}),
            expected_version=read_by_both,
            actor=staff_user,
        )
    assert dict(diagnostic.answers.values_list("question__code", "level")) == {"quality-1": 5}


def test_invalid_items_are_reported_per_item_and_nothing_saved(make_diagnostic, staff_user):
    diagnostic = make_diagnostic()
    question = Question.objects.filter(dimension__framework=diagnostic.framework).first()
    with pytest.raises(services.AnswerItemsInvalid) as exc:
        services.diagnostic_answers_save(
            diagnostic=diagnostic,
            expected_version=diagnostic.version,
            actor=staff_user,
            answers=[
                {"question": question.pk, "level": 3},
                {"question": question.pk + 999, "level": 3},
                {"question": question.pk, "not_applicable": True},
            ],
        )
    items = exc.value.items
    assert items[0] == {} and "question" in items[1]
    assert "na_reason" in items[2] and "question" in items[2]  # duplicate question, no N/A reason
    assert not diagnostic.answers.exists()


def test_framework_parts_are_immutable_once_used(framework, make_diagnostic):
    dimension = framework.dimensions.first()
    dimension.name_es = "Calidad total"
    dimension.save()  # still unused: editable
    make_diagnostic()
    assert framework.is_locked
    question = Question.objects.filter(dimension=dimension).first()
    for obj in (
        dimension,
        question,
        LevelDescriptor.objects.filter(question=question).first(),
        MaturityBand.objects.filter(framework=framework).first(),
    ):
        with pytest.raises(ValidationError):
            obj.save()
    with pytest.raises(ValidationError):
        question.delete()


def test_new_version_copies_everything_into_an_editable_unpublished_version(framework, make_diagnostic, staff_user):
    make_diagnostic()
    copy = services.framework_new_version(framework=framework, actor=staff_user)
    assert (copy.code, copy.version, copy.is_published, copy.is_locked) == (framework.code, 2, False, False)
    assert list(copy.dimensions.values_list("code", "weight")) == list(
        framework.dimensions.values_list("code", "weight")
    )
    assert Question.objects.filter(dimension__framework=copy).count() == 9
    assert LevelDescriptor.objects.filter(question__dimension__framework=copy).count() == 45
    assert copy.bands.count() == 5
    dimension = copy.dimensions.get(code="quality")
    dimension.weight = Decimal("45")
    dimension.save()  # the copy is editable
    assert framework.dimensions.get(code="quality").weight == Decimal("40")
    assert services.framework_errors(copy) == ["Dimension weights sum to 105.00, not 100."]
    copy.is_published = True
    copy.save()
    with pytest.raises(ValidationError):
        services.diagnostic_schedule(
            supplier=make_diagnostic().supplier,
            framework=copy,
            scheduled_for=framework.created_at.date(),
            actor=staff_user,
        )


def test_alignment_gaps_and_missing_certifications(make_diagnostic, area, django_capture_on_commit_callbacks):
    levels = {**FULL, "quality-1": 3, "quality-2": 3, "quality-3": 3, "production-1": 2, "production-2": 2}
    with django_capture_on_commit_callbacks(execute=True):
        diagnostic = make_diagnostic(levels, submit=True)
    alignment = AreaAlignment.objects.get(diagnostic=diagnostic, area=area)
    assert alignment.gaps == [
        {"dimension": "production", "required": "50.00", "actual": "25.00", "shortfall": "25.00"},
        {"dimension": "quality", "required": "75.00", "actual": "50.00", "shortfall": "25.00"},
    ]
    assert alignment.missing_certifications == ["iatf-16949"]
    assert not alignment.meets_requirements and alignment.fit_percent == Decimal("0.00")


def test_rescore_keeps_validated_unless_results_change(
    make_diagnostic, framework, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        diagnostic = make_diagnostic(FULL, submit=True)
    diagnostic.refresh_from_db()
    services.diagnostic_validate(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff_user)
    services.diagnostic_publish(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.rescore_framework(framework.pk) == 1
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.VALIDATED and diagnostic.published_at is not None
    # The answers change behind the scoring (e.g. a data fix): results change, validation is withdrawn.
    diagnostic.answers.filter(question__code="finance-1").update(level=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.rescore_framework(framework.pk) == 1
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SCORED
    assert diagnostic.published_at is None and diagnostic.validated_at is None


def test_batch_rescoring_has_a_fixed_query_count(
    framework, supplier, staff_user, make_diagnostic, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ids = [make_diagnostic(FULL, submit=True).pk for _ in range(2)]
    with django_assert_max_num_queries(22) as small:  # 20 + 2 for is_current_baseline
        services.diagnostics_score(diagnostic_ids=ids)
    with django_capture_on_commit_callbacks(execute=True):
        ids += [make_diagnostic(FULL, submit=True).pk for _ in range(6)]
    with django_assert_max_num_queries(len(small.captured_queries)):
        services.diagnostics_score(diagnostic_ids=ids)


def test_critical_question_caps_the_level(supplier, staff_user, django_capture_on_commit_callbacks):
    framework = build_framework(critical="quality-1")
    levels = {code: 5 for code in FULL} | {"quality-1": 1}
    with django_capture_on_commit_callbacks(execute=True):
        diagnostic = services.diagnostic_schedule(
            supplier=supplier, framework=framework, actor=staff_user, scheduled_for=framework.created_at.date()
        )
        services.diagnostic_answers_save(
            diagnostic=diagnostic,
            answers=levels_for(framework, levels),
            expected_version=diagnostic.version,
            actor=staff_user,
        )
        diagnostic.refresh_from_db()
        services.diagnostic_submit(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff_user)
    diagnostic.refresh_from_db()
    assert diagnostic.level_capped and diagnostic.maturity_level == 2
    assert diagnostic.score_details["band_level"] == 5 and diagnostic.score_details["cap_reasons"] == ["quality-1"]


def test_rediagnosis_uses_the_latest_validated_diagnostic_as_baseline(
    make_diagnostic, staff_user, django_capture_on_commit_callbacks
):
    import datetime

    from assessments import selectors

    with django_capture_on_commit_callbacks(execute=True):
        first = make_diagnostic(FULL, submit=True)
    first.refresh_from_db()
    services.diagnostic_validate(diagnostic=first, expected_version=first.version, actor=staff_user)
    better = {**FULL, "finance-1": 4, "finance-2": 4, "finance-3": 4}
    with django_capture_on_commit_callbacks(execute=True):
        second = make_diagnostic(better, submit=True, scheduled_for=datetime.date(2025, 9, 1))
    assert second.baseline_id == first.pk
    rows = {row["code"]: row["delta"] for row in selectors.comparison(second)}
    assert rows == {"quality": Decimal("0"), "production": Decimal("0"), "finance": Decimal("50")}
