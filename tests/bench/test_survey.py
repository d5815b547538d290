"""bench/run.py survey on a tiny seeded database: every URL pattern has an entry, every entry resolves to
rows and answers, and the budgets are applied (no timing asserted)."""

import pytest
from django.core.management import call_command

from bench import survey
from bench.survey_budgets import BUDGETS, MAX_BYTES, MAX_QUERIES, NOT_SURVEYED, PAGES

pytestmark = pytest.mark.django_db


def test_every_url_pattern_has_a_survey_entry():
    assert survey.uncovered() == [], "add the new URLs to bench/survey_budgets.py (PAGES or NOT_SURVEYED)"
    assert survey.stale() == []
    assert not set(PAGES) & set(NOT_SURVEYED)
    assert {role for roles, _, _ in PAGES.values() for role in roles} == set(BUDGETS)


def test_the_survey_requests_every_entry_as_each_of_its_roles():
    call_command("seed_demo", size=160, stdout=None)  # enough SMEs for the cohort to reach the anchors' review
    requests, skipped = survey.plan()
    planned = {(r.name, r.role) for r in requests} | {(name, role) for name, role, _ in skipped}
    assert planned >= {(name, role) for name, (roles, _, _) in PAGES.items() for role in roles}
    # Every page finds its rows (documents, a token, consents, a download), but for joining a program (the demo
    # SME's company takes part in both demo programs), anchor reviews (at this size the 2026 cohort has too few SMEs
    # left to reach the anchors) and exports (requested from the report pages). Queued tasks exist only while a
    # broker is away.
    assert {why for name, _, why in skipped if not name.startswith("admin:")} <= {
        "no joinable_program row",
        "no anchor_review row",
        "no export row",
    }
    assert {why for name, _, why in skipped if name.startswith("admin:")} <= {
        "no queuedtask row",
        "no anchorreview row",
        "no reportexport row",
    }
    assert any(r.name.startswith("admin:") and r.name.endswith("_changelist") for r in requests)

    results = survey.measure(requests, repeat=1)
    by_key = {(r.request.name, r.request.role): r for r in results}
    assert all(r.status not in (404, 500) for r in results), [
        (r.request.url, r.request.role, r.status) for r in results if r.status in (404, 500)
    ]
    # Each role sees its pages: the program report for staff, the anchor's cohort, the SME's results.
    assert by_key[("reports:program", "staff")].status == 200
    assert by_key[("cohorts:anchor_cohort", "anchor")].status == 200
    assert by_key[("assessments:sme-results", "sme")].status == 200
    assert by_key[("api:supplier-list", "sme")].status == 200
    assert by_key[("reports:cohort-export", "staff")].download
    # The selected SME's case page, and the financing and evidence downloads, timed like pages.
    assert by_key[("support:sme_financing_case", "selected_sme")].status == 200
    assert by_key[("api:financing-case-documents", "selected_sme")].status == 200
    for name in ("support:financing_document", "support:evidence_file"):
        for role in ("staff", "selected_sme"):
            downloaded = by_key[(name, role)]
            assert downloaded.status == 200 and downloaded.download and len(downloaded.latencies) == 1, (name, role)
    assert by_key[("support:evidence_file", "provider")].download
    assert all(r.queries > 0 or r.request.role == "anonymous" for r in results)
    assert all(len(r.latencies) == 1 for r in results)


def test_a_response_over_a_budget_fails():
    request = survey.Request("reports:program", "staff", "/staff/reports/programs/1/")
    fast = survey.Result(request, status=200, latencies=[0.1, 0.1, 0.1], queries=5, size=1000)
    survey.judge(fast)
    assert fast.problems == []
    slow = survey.Result(request, status=200, latencies=[0.31, 0.32, 0.6], queries=MAX_QUERIES + 1, size=MAX_BYTES + 1)
    survey.judge(slow)
    assert slow.problems == [
        "median over 300 ms",
        "p95 over 500 ms",
        f"{MAX_QUERIES + 1} queries > {MAX_QUERIES}",
        f"{MAX_BYTES + 1:,} bytes > {MAX_BYTES:,}",
    ]
    download = survey.Result(request, status=200, latencies=[0.1], size=MAX_BYTES * 5, download=True)
    survey.judge(download)
    assert download.problems == []
    anchor = survey.Result(survey.Request("cohorts:anchor_home", "anchor", "/anclas/"), status=200, latencies=[0.2])
    survey.judge(anchor)
    assert anchor.problems == ["median over 150 ms"]
    missing = survey.Result(request, status=404, latencies=[0.01])
    survey.judge(missing)
    assert missing.problems == ["status 404"]


def test_only_keeps_the_url_names_with_a_given_prefix():
    requests = [
        survey.Request("support:staff_courses", "staff", "/staff/support/courses/"),
        survey.Request("api:course-list", "trainer", "/api/v1/courses/"),
        survey.Request("reports:program", "staff", "/staff/reports/programs/1/"),
    ]
    skipped = [
        ("support:evidence_file", "provider", "no evidence_file row"),
        ("reports:export", "staff", "no export row"),
    ]
    kept, kept_skipped = survey.select(requests, skipped, only=("support:", "api:course"))
    assert [r.name for r in kept] == ["support:staff_courses", "api:course-list"]
    assert kept_skipped == [skipped[0]]
    assert survey.select(requests, skipped) == (requests, skipped)


def test_the_collection_before_each_timed_page_leaves_out_the_objects_that_existed_before_the_survey(monkeypatch):
    import gc

    frozen_at_collections = []
    collect = gc.collect

    def noting_collect(*args):
        frozen_at_collections.append(gc.get_freeze_count())
        return collect(*args)

    monkeypatch.setattr(gc, "collect", noting_collect)
    requests = [survey.Request("home", "anonymous", "/"), survey.Request("login", "anonymous", "/accounts/login/")]
    results = survey.measure(requests, repeat=1, users={"anonymous": None})

    assert [r.status for r in results] == [200, 200]
    # One collection before each timed page, each with the heap of before the survey frozen out of its scan.
    assert len(frozen_at_collections) >= len(requests)
    assert all(count > 0 for count in frozen_at_collections[-len(requests) :])
    assert gc.get_freeze_count() == 0  # and given back to the collector afterwards
