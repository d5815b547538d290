import json

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Diagnostic, Question
from tests.assessments.conftest import FULL
from tests.assessments.factories import build_framework
from tests.conftest import get_ok
from tests.suppliers.factories import ContactFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_diagnostic, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        diagnostic = make_diagnostic({**FULL, "quality-1": 3, "quality-2": 3}, submit=True)
    diagnostic.refresh_from_db()
    services.diagnostic_validate(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff_user)
    services.diagnostic_publish(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff_user)
    return diagnostic


def test_sme_sees_its_published_results_with_radar_and_next_level_advice(client, published, sme_user):
    client.force_login(sme_user)
    response = client.get(reverse("assessments:sme-results", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="point-score"') == 3  # one point per dimension
    assert html.count('class="requirement"') == 1  # the one supply area it wants to supply
    assert "Stamping" in html  # in the contact's language (English)
    assert "Level 4 of quality-1" in html  # advice: the next level's descriptor for the gap
    assert "IATF 16949" in html and "iatf-16949" not in html  # the certification's name, never its code
    assert "Level 3 of 5" in html  # the level in words, out of the levels there are
    assert 'id="strongest"' in html and 'id="weakest"' in html and 'id="next-steps"' in html
    assert 'data-status="unmet"' in html and "Still needs" in html  # quality 75 meets, production is short
    assert 'id="scores-table"' in html  # the chart's text alternative


def test_unpublished_or_foreign_results_are_404(client, make_diagnostic, published, sme_user):
    other = ContactFactory(supplier=SupplierFactory(), with_user=True).user
    client.force_login(other)
    assert client.get(reverse("assessments:sme-results", args=[published.pk])).status_code == 404
    draft = make_diagnostic(FULL)
    client.force_login(sme_user)
    assert client.get(reverse("assessments:sme-results", args=[draft.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("assessments:sme-results", args=[published.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["staff-list", "staff-schedule"])
def test_staff_pages_refuse_anchors_smes_and_anonymous(client, anchor_reviewer, sme_user, url_name):
    url = reverse(f"assessments:{url_name}")
    assert client.get(url).status_code == 302  # to the login page
    for user in (anchor_reviewer.user, sme_user):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_fill_page_query_count_does_not_grow_with_questions(
    staff_client, supplier, staff_user, django_assert_max_num_queries
):
    def page_queries(framework):
        diagnostic = services.diagnostic_schedule(
            supplier=supplier, framework=framework, actor=staff_user, scheduled_for=framework.created_at.date()
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(reverse("assessments:staff-fill", args=[diagnostic.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    small = page_queries(build_framework(dimensions=(("quality", 50, 2), ("finance", 50, 2))))
    large = page_queries(build_framework(dimensions=(("quality", 30, 8), ("finance", 30, 8), ("people", 40, 8))))
    assert large == small


def test_autosave_json_saves_and_a_stale_version_gets_409(staff_client, make_diagnostic):
    diagnostic = make_diagnostic()
    question = Question.objects.filter(dimension__framework=diagnostic.framework).order_by("pk").first()
    url = reverse("assessments:staff-answers-json", args=[diagnostic.pk])
    first = staff_client.post(
        url,
        json.dumps(
            {
                "version": diagnostic.version,
                "answers": [{"question": question.pk, "level": 4, "evidence": "manual de calidad"}],
            }
        ),
        content_type="application/json",
    )
    assert first.status_code == 200
    assert first.json()["status"] == "in_progress"
    stale = staff_client.post(
        url,
        json.dumps({"version": diagnostic.version, "answers": [{"question": question.pk, "level": 1}]}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert diagnostic.answers.get().level == 4
    bad = staff_client.post(
        url,
        json.dumps(
            {"version": first.json()["version"], "answers": [{"question": question.pk, "not_applicable": True}]}
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "na_reason" in bad.json()["answers"][0]


def test_plain_form_submit_saves_and_stale_form_is_a_conflict(staff_client, make_diagnostic):
    diagnostic = make_diagnostic()
    questions = list(Question.objects.filter(dimension__code="quality", dimension__framework=diagnostic.framework))
    url = reverse("assessments:staff-fill", args=[diagnostic.pk]) + "?dim=quality"
    data = {
        "version": diagnostic.version,
        "dim": "quality",
        f"q{questions[0].pk}-level": "5",
        f"q{questions[1].pk}-na": "on",
        f"q{questions[1].pk}-na_reason": "Sin proceso de soldadura",
        "go": "production",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302 and response.url.endswith("?dim=production")
    assert diagnostic.answers.count() == 2
    data[f"q{questions[0].pk}-level"] = "1"
    conflict = staff_client.post(url, data)  # same (now stale) version
    assert conflict.status_code == 409
    assert diagnostic.answers.get(question=questions[0]).level == 5


def test_submit_button_refuses_incomplete_diagnostic_with_message(staff_client, make_diagnostic):
    diagnostic = make_diagnostic({"quality-1": 3})
    response = staff_client.post(
        reverse("assessments:staff-action", args=[diagnostic.pk, "submit"]),
        {"version": diagnostic.version},
        follow=True,
    )
    assert "Production" in response.content.decode()
    assert Diagnostic.objects.get(pk=diagnostic.pk).status == Diagnostic.Status.IN_PROGRESS


def test_staff_results_page_shows_comparison_with_baseline(
    staff_client, published, make_diagnostic, staff_user, django_capture_on_commit_callbacks
):
    import datetime

    with django_capture_on_commit_callbacks(execute=True):
        later = make_diagnostic({**FULL, "finance-1": 5}, submit=True, scheduled_for=datetime.date(2025, 10, 1))
    assert later.baseline_id == published.pk
    html = staff_client.get(reverse("assessments:staff-results", args=[later.pk])).content.decode()
    assert "comparison" in html and '<td class="text-end delta">+25</td>' in html


def test_the_schedule_page_names_the_sme_by_rfc_instead_of_listing_them_all(
    staff_client, framework, django_assert_max_num_queries
):
    url = reverse("assessments:staff-schedule")
    SupplierFactory.create_batch(2, status="verified")
    staff_client.get(url)
    with django_assert_max_num_queries(50) as few:
        get_ok(staff_client, url)
    queries = len(few.captured_queries)
    many = SupplierFactory.create_batch(10, status="verified")
    with django_assert_max_num_queries(queries):
        page = get_ok(staff_client, url, {"supplier": many[3].rfc}).content.decode()
    assert not any(s.legal_name in page for s in many)  # no list of every SME
    assert f'value="{many[3].rfc}"' in page  # pre-filled from the registration page's link


def test_scheduling_by_rfc(staff_client, framework, staff_user, make_diagnostic):
    supplier = SupplierFactory(status="verified", rfc="ABC120101AB1")
    SupplierFactory(status="submitted", rfc="XYZ120101AB2")
    url = reverse("assessments:staff-schedule")
    form = {"framework": framework.pk, "scheduled_for": "2025-06-01", "mode": "site_visit"}
    for rfc in ("NOP120101AB3", "XYZ120101AB2"):  # unknown, not verified
        response = staff_client.post(url, {**form, "supplier": rfc})
        assert response.status_code == 200 and response.context["form"].errors["supplier"]
    other = make_diagnostic()  # a diagnostic of another SME
    Diagnostic.objects.filter(pk=other.pk).update(status=Diagnostic.Status.VALIDATED)
    response = staff_client.post(url, {**form, "supplier": "abc 120101 ab1", "baseline": other.pk})
    assert response.status_code == 200 and "misma PyME" in str(response.context["form"].errors["baseline"])
    assert not Diagnostic.objects.filter(supplier=supplier).exists()
    response = staff_client.post(url, {**form, "supplier": " abc120101ab1 "})
    diagnostic = Diagnostic.objects.get(supplier=supplier)
    assert response.status_code == 302 and response["Location"] == reverse(
        "assessments:staff-fill", args=[diagnostic.pk]
    )
