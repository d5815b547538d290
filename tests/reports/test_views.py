"""Report page, API and permissions."""

import re

import pytest
from django.urls import reverse

from tests.programs.factories import UserFactory
from tests.reports.builders import build_report_data
from tests.reports.expected import funnel


def test_cohort_page_renders_svg_charts(staff_client, report_data):
    response = staff_client.get(reverse("reports:cohort", args=[report_data.cohort.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 12
    # Charts are server-side SVG: no inline script and nothing from a CDN (the site's own script files only).
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all(re.fullmatch(r'<script src="/static/[^"]+\.js" defer>', tag) for tag in scripts), scripts
    assert "cdn" not in html.lower()
    assert response.context["summary"]["funnel"][0]["count"] == funnel(report_data)["registered"]


def test_print_version_hides_navigation(staff_client, report_data):
    response = staff_client.get(reverse("reports:cohort", args=[report_data.cohort.pk]) + "?print=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert ".topbar, footer, .no-print { display:none !important; }" in html
    assert "reports:exports" not in html and "cohort-export" not in html
    assert "reports.css" in html


def test_program_and_phase_pages(staff_client, report_data):
    from tests.programs.factories import PhaseFactory

    phase = PhaseFactory(program=report_data.program, start_date="2025-02-01", end_date="2025-03-31")
    assert staff_client.get(reverse("reports:program", args=[report_data.program.pk])).status_code == 200
    response = staff_client.get(reverse("reports:phase", args=[report_data.program.pk, phase.pk]))
    assert response.status_code == 200
    expected = sum(
        1
        for s in report_data.suppliers
        if s["status"] not in ("draft", "duplicate") and s["registered_at"].month in (2, 3)
    )
    assert response.context["summary"]["funnel"][0]["count"] == expected
    assert staff_client.get(reverse("reports:index")).status_code == 200


@pytest.mark.parametrize("who", ["sme", "anchor", "plain"])
def test_non_staff_refused(client, report_data, sme_contact, anchor_reviewer, who):
    user = {"sme": sme_contact.user, "anchor": anchor_reviewer.user, "plain": UserFactory()}[who]
    client.force_login(user)
    cohort = report_data.cohort.pk
    for url in [
        reverse("reports:cohort", args=[cohort]),
        reverse("reports:index"),
        reverse("reports:cohort-export", args=[cohort, "candidates", "csv"]),
        reverse("reports:program", args=[report_data.program.pk]),
        reverse("reports:exports"),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reports:cohort-export", args=[cohort, "candidates", "csv"])).status_code == 403
    assert client.get(f"/api/v1/reports/cohorts/{cohort}/").status_code == 403


def test_anonymous_redirected_to_login(client, report_data):
    response = client.get(reverse("reports:cohort", args=[report_data.cohort.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/v1/reports/cohorts/{report_data.cohort.pk}/").status_code in (401, 403)


def test_api_summary(staff_client, report_data):
    response = staff_client.get(f"/api/v1/reports/cohorts/{report_data.cohort.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["cohort"]["id"] == report_data.cohort.pk
    assert {r["stage"]: r["count"] for r in body["funnel"]} == funnel(report_data)
    assert "maturity_change" in body and "area_coverage" in body
    assert staff_client.get("/api/v1/reports/cohorts/999999/").status_code == 404


# The page on a cold cache computes every section (``reports.selectors.SECTIONS``) in one read: the page's own
# queries (session, user, groups, cohort), the versions before and after, the planner settings, one statement per
# section (the dimension score totals and anchor coverage two each; with a closed follow-up round the results section
# reads 2 more), and the program's partners (the footer): a constant, not the small run's count, within the survey's
# 30.
PAGE_QUERY_LIMIT = 30


def test_report_page_query_count_does_not_grow(staff_client, django_assert_max_num_queries):
    small = build_report_data(n_suppliers=10, seed=1)
    url = reverse("reports:cohort", args=[small.cohort.pk])
    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        assert staff_client.get(url).status_code == 200
    big = build_report_data(n_suppliers=60, seed=2, cohort=small.cohort, program=small.program)
    assert len(big.suppliers) == 60
    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = staff_client.get(url)
    assert response.status_code == 200
    assert response.context["summary"]["funnel"][0]["count"] > 40


@pytest.mark.sql  # the page's reads on two connections, with the data committed
@pytest.mark.django_db(transaction=True)
def test_report_pages_read_outside_the_request_transaction(client, settings, monkeypatch):
    """ATOMIC_REQUESTS would put the page in a transaction, where report_summary reads on one connection."""
    from django.core.cache import cache

    from core import snapshot

    data = build_report_data()
    client.force_login(UserFactory(username="staff-reader", staff=True))
    settings.SDP_REPORT_CONNECTIONS = 2
    opened = []
    start_other = snapshot._other_connection

    def spy(*args):
        opened.append(args[0])
        start_other(*args)

    monkeypatch.setattr(snapshot, "_other_connection", spy)
    urls = [
        reverse("reports:cohort", args=[data.cohort.pk]),
        reverse("reports:program", args=[data.cohort.program_id]),
        f"/api/v1/reports/cohorts/{data.cohort.pk}/",
    ]
    for url in urls:
        cache.clear()  # the cohort page and its API share a cached summary
        assert client.get(url).status_code == 200
    assert len(opened) == len(urls)  # each opened another connection on its snapshot
