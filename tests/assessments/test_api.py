import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessments.models import Diagnostic, Question
from tests.assessments.conftest import FULL, levels_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_anonymous_anchor_and_sme_are_refused(anchor_reviewer, sme_user, make_diagnostic):
    diagnostic = make_diagnostic()
    client = APIClient()
    assert client.get("/api/v1/diagnostics/").status_code in (401, 403)
    for user in (anchor_reviewer.user, sme_user):
        client.force_authenticate(user)
        assert client.get("/api/v1/diagnostics/").status_code == 403
        assert client.get(f"/api/v1/diagnostics/{diagnostic.pk}/results/").status_code == 403
        assert client.get("/api/v1/frameworks/").status_code == 403


def test_full_lifecycle_through_the_api(api, framework, supplier, django_capture_on_commit_callbacks):
    created = api.post(
        "/api/v1/diagnostics/",
        {"supplier": supplier.pk, "framework": framework.pk, "scheduled_for": "2025-04-01", "mode": "remote"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk, version = created.data["id"], created.data["version"]
    answered = api.post(
        f"/api/v1/diagnostics/{pk}/answers/",
        {"version": version, "answers": levels_for(framework, FULL)},
        format="json",
    )
    assert answered.status_code == 200, answered.content
    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(f"/api/v1/diagnostics/{pk}/submit/", {"version": answered.data["version"]}, format="json")
    assert submitted.status_code == 200
    version = Diagnostic.objects.get(pk=pk).version
    validated = api.post(f"/api/v1/diagnostics/{pk}/validate/", {"version": version}, format="json")
    assert validated.data["status"] == "validated"
    published = api.post(f"/api/v1/diagnostics/{pk}/publish/", {"version": validated.data["version"]}, format="json")
    assert published.data["published_at"]
    results = api.get(f"/api/v1/diagnostics/{pk}/results/").data
    assert results["diagnostic"]["overall_score"] == "53.75"
    assert {r["code"]: r["score"] for r in results["dimension_scores"]} == {
        "quality": "75.00",
        "production": "50.00",
        "finance": "25.00",
    }
    assert results["alignments"][0]["missing_certifications"] == ["iatf-16949"]
    assert results["explanation"]["level"] == 3


def test_bulk_answers_report_per_item_errors_and_require_version(api, make_diagnostic):
    diagnostic = make_diagnostic()
    question = Question.objects.filter(dimension__framework=diagnostic.framework).first()
    url = f"/api/v1/diagnostics/{diagnostic.pk}/answers/"
    missing = api.post(url, {"answers": [{"question": question.pk, "level": 3}]}, format="json")
    assert missing.status_code == 400 and "version" in missing.data
    bad = api.post(
        url,
        {
            "version": diagnostic.version,
            "answers": [{"question": question.pk, "level": 3}, {"question": question.pk + 500, "level": 9}],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.data["answers"][0] == {} and "level" in bad.data["answers"][1]
    domain = api.post(
        url,
        {
            "version": diagnostic.version,
            "answers": [{"question": question.pk, "level": 3}, {"question": question.pk + 500, "level": 2}],
        },
        format="json",
    )
    assert domain.status_code == 400 and "question" in domain.data["answers"][1]
    assert not diagnostic.answers.exists()


def test_concurrent_edit_second_save_gets_409_and_nothing_is_overwritten(api, make_diagnostic):
    diagnostic = make_diagnostic({"quality-1": 2})
    url = f"/api/v1/diagnostics/{diagnostic.pk}/answers/"
    question = Question.objects.get(dimension__framework=diagnostic.framework, code="quality-1")
    first = api.post(
        url, {"version": diagnostic.version, "answers": [{"question": question.pk, "level": 4}]}, format="json"
    )
    second = api.post(
        url, {"version": diagnostic.version, "answers": [{"question": question.pk, "level": 1}]}, format="json"
    )
    assert (first.status_code, second.status_code) == (200, 409)
    assert diagnostic.answers.get(question=question).level == 4
    stale_update = api.patch(
        f"/api/v1/diagnostics/{diagnostic.pk}/", {"version": diagnostic.version, "notes": "x"}, format="json"
    )
    assert stale_update.status_code == 409


def test_list_filters_and_query_counts_do_not_grow(
    api, make_diagnostic, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_diagnostic(FULL, submit=True)
    make_diagnostic()
    few = _count(api, "/api/v1/diagnostics/")
    with django_capture_on_commit_callbacks(execute=True):
        done = [make_diagnostic(FULL, submit=True) for _ in range(5)]
    assert _count(api, "/api/v1/diagnostics/") <= few
    assert api.get("/api/v1/diagnostics/?status=scored").data["count"] == 6
    assert api.get("/api/v1/diagnostics/?status=scheduled").data["count"] == 1
    assert api.get(f"/api/v1/diagnostics/?assessor={staff_user.pk}&scheduled_after=2025-01-01").data["count"] == 7
    detail = _count(api, f"/api/v1/diagnostics/{done[0].pk}/")
    results = _count(api, f"/api/v1/diagnostics/{done[0].pk}/results/")
    assert detail <= 6 and results <= 10


def test_framework_detail_is_nested_and_bounded(api, framework):
    from tests.assessments.factories import build_framework

    data = api.get(f"/api/v1/frameworks/{framework.pk}/").data
    assert [d["code"] for d in data["dimensions"]] == ["quality", "production", "finance"]
    assert len(data["dimensions"][0]["questions"][0]["descriptors"]) == 5 and len(data["bands"]) == 5
    small = _count(api, f"/api/v1/frameworks/{framework.pk}/")
    big = build_framework(dimensions=(("a", 20, 6), ("b", 20, 6), ("c", 20, 6), ("d", 40, 6)))
    assert _count(api, f"/api/v1/frameworks/{big.pk}/") == small
