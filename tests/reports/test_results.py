"""The results section of the cohort and program reports: the latest closed round's key indicators, selected
against the comparison group, read from the values and estimates stored when the round closed."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import formats

from outcomes import services
from outcomes.models import ImpactEstimate, IndicatorValue, OutcomeRound
from reports.selectors import ReportScope
from reports.selectors.results import KEY_INDICATORS, results_summary
from tests.outcomes.factories import OutcomesWorld
from tests.outcomes.test_rounds import COMPLETE, schedule

pytestmark = pytest.mark.django_db


def closed_follow_up(world):
    """A baseline and a follow-up, every SME answering, both closed (indicators and estimates stored)."""
    baseline = services.round_open(actor=world.staff, round_=schedule(world))
    for response in baseline.responses.all():
        services.response_save(actor=world.staff, response=response, data=COMPLETE, expected_version=None, send=True)
    baseline.refresh_from_db()
    services.round_close(actor=world.staff, round_=baseline)
    follow = schedule(world, kind=OutcomeRound.Kind.FOLLOW_UP, start=datetime.date(2025, 7, 1))
    services.round_open(actor=world.staff, round_=follow)
    for response in follow.responses.order_by("pk"):
        extra = D("3") if response.group == "selected" else D("1")
        data = {**COMPLETE, "sales_mdp": COMPLETE["sales_mdp"] + extra + D(response.pk % 3) / 10}
        services.response_save(actor=world.staff, response=response, data=data, expected_version=None, send=True)
    follow.refresh_from_db()
    services.round_close(actor=world.staff, round_=follow)
    return follow


def _shown(value) -> str:
    return formats.number_format(value, decimal_pos=None, use_l10n=True, force_grouping=True)


def test_cohort_report_shows_the_stored_figures_of_the_latest_round_and_hides_small_groups(client):
    world = OutcomesWorld(selected=6, waitlisted=1)  # comparison: 1 waitlisted + 2 near the line = 3 SMEs
    follow = closed_follow_up(world)
    client.force_login(world.staff)
    response = client.get(reverse("reports:cohort", args=[world.cohort.pk]))
    assert response.status_code == 200
    results = response.context["results"]
    assert results["round"]["pk"] == follow.pk
    stored = {
        (v.indicator, v.group): v for v in IndicatorValue.objects.filter(round=follow, breakdown="all", level="all")
    }
    for row in results["rows"]:
        if (row["code"], "selected") not in stored:  # no SME sold to an anchor: nothing stored, nothing shown
            assert row["code"] == "anchor_sales_mdp" and row["selected"]["value"] is None
            continue
        selected = stored[(row["code"], "selected")]
        assert (row["selected"]["value"], row["selected"]["n"]) == (selected.value, selected.n_smes)
        assert not row["selected"]["hidden"] and selected.n_smes == 6
        # The comparison group has 3 SMEs: every cell hidden, as stored.
        assert row["comparison"]["hidden"] and stored[(row["code"], "comparison")].suppressed
        assert row["comparison"]["value"] is None
    assert [r["code"] for r in results["rows"]] == list(KEY_INDICATORS)
    sales = next(r for r in results["rows"] if r["code"] == "sales_mdp")
    assert sales["selected"]["value"] == pytest.approx(
        float(sum(r.sales_mdp for r in follow.responses.filter(group="selected")))
    )
    # The estimate exists but a group has fewer than 5 SMEs: not shown either.
    assert ImpactEstimate.objects.get(round=follow, outcome="sales_mdp", method="did").n_comparison == 3
    assert sales["estimate"]["hidden"] and sales["estimate"]["value"] is None
    html = response.content.decode()
    section = html[html.index('id="results"') :]
    assert "menos de 5" in section or "fewer than 5" in section
    assert reverse("outcomes:staff_impact", args=[follow.pk]) in section
    assert _shown(sales["selected"]["value"]) in section


def test_estimates_are_shown_when_both_groups_have_five_smes(client):
    world = OutcomesWorld(selected=5, waitlisted=3)  # comparison: 3 + 2 = 5
    follow = closed_follow_up(world)
    summary = results_summary(ReportScope.for_cohort(world.cohort))
    sales = next(r for r in summary["rows"] if r["code"] == "sales_mdp")
    stored = ImpactEstimate.objects.get(round=follow, outcome="sales_mdp", method="did")
    assert sales["estimate"]["value"] == stored.estimate
    assert (sales["estimate"]["ci_low"], sales["estimate"]["ci_high"]) == (stored.ci_low, stored.ci_high)
    assert not sales["comparison"]["hidden"] and sales["comparison"]["n"] == 5
    # No estimate is stored for a figure that is not an outcome of the impact report.
    assert next(r for r in summary["rows"] if r["code"] == "purchase_orders_mdp")["estimate"] is None
    # The program report shows the same round (the latest closed of its cohorts).
    client.force_login(world.staff)
    response = client.get(reverse("reports:program", args=[world.program.pk]))
    assert response.context["results"]["round"]["pk"] == follow.pk


def test_a_report_without_a_closed_round_says_so(client):
    world = OutcomesWorld(selected=2, waitlisted=1)
    services.round_open(actor=world.staff, round_=schedule(world))  # open, not closed
    client.force_login(world.staff)
    response = client.get(reverse("reports:cohort", args=[world.cohort.pk]))
    assert response.context["results"] is None
    assert re.search(r'id="results"', response.content.decode())


def test_results_section_reads_a_fixed_number_of_queries(django_assert_num_queries):
    small = OutcomesWorld(selected=5, waitlisted=3)
    closed_follow_up(small)
    scope = ReportScope.for_cohort(small.cohort)
    with django_assert_num_queries(3):
        results_summary(scope)
    big = OutcomesWorld(selected=12, waitlisted=8)
    closed_follow_up(big)
    with django_assert_num_queries(3):
        summary = results_summary(ReportScope.for_cohort(big.cohort))
    assert next(r for r in summary["rows"] if r["code"] == "smes_reporting")["selected"]["value"] == 12


@pytest.mark.sql
def test_the_section_reads_only_logged_tables_and_is_cached_until_a_round_closes(client, settings):
    import importlib

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.selectors import SECTIONS, results_section

    tracked = set()
    for name in ("0002_data_change_log", "0009_outcome_tables_logged"):
        module = importlib.import_module(f"reports.migrations.{name}")
        tracked |= set(getattr(module, "TRACKED_TABLES", None) or module.TABLES)
    world = OutcomesWorld(selected=5, waitlisted=3)
    closed_follow_up(world)
    scope = ReportScope.for_cohort(world.cohort)
    with CaptureQueriesContext(connection) as queries:
        results_summary(scope)
    read = {t for q in queries for t in re.findall(r'(?:FROM|JOIN) "(\w+)"', q["sql"])}
    assert read and read <= tracked, read - tracked
    assert read <= SECTIONS["results"].tables, read - SECTIONS["results"].tables

    settings.SDP_REPORT_CACHE_SECONDS = 300
    cache.clear()
    first = results_section(scope)
    with CaptureQueriesContext(connection) as queries:
        again = results_section(scope)
    assert again == first and len(queries) == 1  # the data version only
    # Another follow-up closes: the section shows it (the cache is keyed by the data's version).
    later = schedule(world, kind=OutcomeRound.Kind.FOLLOW_UP, start=datetime.date(2026, 1, 1))
    services.round_open(actor=world.staff, round_=later)
    for response in later.responses.all():
        services.response_save(actor=world.staff, response=response, data=COMPLETE, expected_version=None, send=True)
    later.refresh_from_db()
    services.round_close(actor=world.staff, round_=later)
    assert results_section(scope)["round"]["pk"] == later.pk


def _api_report(client, cohort) -> tuple[dict, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/reports/cohorts/{cohort.pk}/")
    assert response.status_code == 200
    return response.json(), len(queries)


def test_the_report_api_gives_the_results_section_in_a_constant_number_of_queries(client, settings):
    """The cohort report API carries the page's results section (suppressed cells as null), computed in the same
    number of queries whatever the number of SMEs, and read from the cache once computed."""
    from django.core.cache import cache

    from reports.selectors import results_section

    settings.SDP_REPORT_CACHE_SECONDS = 300
    counts = []
    for selected, waitlisted in ((5, 1), (12, 8)):
        world = OutcomesWorld(selected=selected, waitlisted=waitlisted)
        follow = closed_follow_up(world)
        client.force_login(world.staff)
        cache.clear()
        body, fresh = _api_report(client, world.cohort)
        again, cached = _api_report(client, world.cohort)
        assert again == body
        results = body["results"]
        assert results["round"]["pk"] == follow.pk and results["round"]["cohort"] == world.cohort.name
        assert [r["code"] for r in results["rows"]] == list(KEY_INDICATORS)
        page = results_section(ReportScope.for_cohort(world.cohort))
        for row, shown in zip(results["rows"], page["rows"], strict=True):
            for group in ("selected", "comparison"):
                value = shown[group]["value"]
                assert row[group]["hidden"] == shown[group]["hidden"]
                assert (row[group]["value"] is None) == (value is None)
                if value is not None:
                    assert D(str(row[group]["value"])) == D(str(value))
        comparison = next(r for r in results["rows"] if r["code"] == "sales_mdp")["comparison"]
        assert comparison["hidden"] == (waitlisted + 2 < 5) and (comparison["value"] is None) == comparison["hidden"]
        assert "funnel" in body and "sourcing" in body
        counts.append((fresh, cached))
    assert counts[0] == counts[1], counts
    assert counts[0][1] <= 7, (
        counts
    )  # cached: the session, the user, their groups and programs, the cohort, the versions


def test_the_report_api_gives_null_results_without_a_closed_round(client):
    world = OutcomesWorld(selected=2, waitlisted=1)
    client.force_login(world.staff)
    body, _queries = _api_report(client, world.cohort)
    assert body["results"] is None
