"""Every figure of the seeded data set checked against values computed in plain Python."""

from collections import Counter, defaultdict

import pytest

from reports import selectors
from reports.selectors import ReportScope
from tests.reports import expected as exp
from tests.reports.expected import avg


def scope_of(data):
    return ReportScope.for_cohort(data.cohort)


def fast(scope):
    """The summary a report view shows, read from the cache (``reports.cache``): computed once, then one
    query. Each test below checks its figures there too, against the same plain-Python expectations."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    selectors.report_summary(scope)
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.report_summary(scope)
    assert len(queries.captured_queries) == 1, "served from the cache"
    return summary


def test_dataset_is_big_and_varied(report_data):
    assert 40 <= len(report_data.suppliers) <= 60
    statuses = Counter(c["status"] for c in report_data.candidates)
    assert statuses["selected"] >= 5 and statuses["not_selected"] >= 3
    assert exp.follow_ups(report_data), "some selected SMEs have a follow-up"


def test_registrations_by_month_state_region_size_sector(report_data):
    scope = scope_of(report_data)
    reg = exp.registered(report_data)
    assert {r["month"]: r["count"] for r in selectors.registrations_by_month(scope)} == exp.by_month(report_data)
    states = {r["code"]: r["count"] for r in selectors.registrations_by_state(scope)}
    expected_states = Counter(s["state"] for s in reg)
    assert {k: v for k, v in states.items() if v} == dict(expected_states)
    assert {r["code"]: r["count"] for r in selectors.registrations_by_region(scope)} == {
        code: sum(1 for s in reg if s["region"] == code) for code in ("norte", "bajio", "centro", "resto")
    }
    sizes = {r["code"]: r["count"] for r in selectors.registrations_by_size(scope)}
    assert sizes == dict(Counter(s["size"] for s in reg))
    assert {r["code"]: r["count"] for r in selectors.registrations_by_sector(scope)} == dict(
        Counter(s["sector"] for s in reg)
    )
    summary = fast(scope)
    assert {r["month"]: r["count"] for r in summary["registrations_by_month"]} == exp.by_month(report_data)
    assert {r["code"]: r["count"] for r in summary["registrations_by_state"] if r["count"]} == dict(expected_states)
    assert {r["code"]: r["count"] for r in summary["registrations_by_size"]} == dict(Counter(s["size"] for s in reg))
    assert summary["registrations_by_region"] == selectors.registrations_by_region(scope)
    assert summary["registrations_by_sector"] == selectors.registrations_by_sector(scope)


def test_registrations_by_area(report_data):
    reg = exp.registered(report_data)
    rows = {r["code"]: r["count"] for r in selectors.registrations_by_area(scope_of(report_data))}
    assert rows == {a.code: sum(1 for s in reg if a.code in s["areas"]) for a in report_data.areas}
    assert {r["code"]: r["count"] for r in fast(scope_of(report_data))["registrations_by_area"]} == rows


def test_funnel(report_data):
    rows = selectors.funnel(scope_of(report_data))
    assert [r["stage"] for r in rows] == list(selectors.FUNNEL_STAGES)
    assert {r["stage"]: r["count"] for r in rows} == exp.funnel(report_data)
    counts = [r["count"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert {r["stage"]: r["count"] for r in fast(scope_of(report_data))["funnel"]} == exp.funnel(report_data)


def test_maturity_distribution_histogram_and_dimension_averages(report_data):
    scope = scope_of(report_data)
    base = exp.baselines(report_data).values()
    levels = Counter(d["level"] for d in base)
    assert {r["level"]: r["count"] for r in selectors.maturity_distribution(scope)} == {
        lvl: levels.get(lvl, 0) for lvl in range(1, 6)
    }
    bins = Counter(min(int(d["overall"] // 10) * 10, 90) for d in base)
    assert {r["low"]: r["count"] for r in selectors.score_histogram(scope)} == {
        lo: bins.get(lo, 0) for lo in range(0, 100, 10)
    }
    dims = selectors.average_dimension_scores(scope)
    assert [d["code"] for d in dims] == ["quality", "production", "finance"]
    summary = fast(scope)
    assert summary["average_dimension_scores"] == dims
    assert {r["level"]: r["count"] for r in summary["maturity_distribution"]} == {
        lvl: levels.get(lvl, 0) for lvl in range(1, 6)
    }
    assert {r["low"]: r["count"] for r in summary["score_histogram"]} == {
        lo: bins.get(lo, 0) for lo in range(0, 100, 10)
    }
    for row in dims:
        assert row["average"] == avg(d["dims"][row["code"]] for d in base), row["code"]
        assert row["count"] == sum(1 for d in base if d["dims"][row["code"]] is not None)


def test_selected_vs_not_selected(report_data):
    result = selectors.selected_vs_not(scope_of(report_data))
    assert fast(scope_of(report_data))["selected_vs_not"] == result
    base = exp.baselines(report_data)
    groups = defaultdict(list)
    for c in report_data.candidates:
        if c["status"] != "withdrawn":
            groups["selected" if c["status"] == "selected" else "not_selected"].append(c)
    for name, cands in groups.items():
        assert result[name]["count"] == len(cands)
        assert result[name]["growth_index"] == avg(c["growth"] for c in cands)
        assert result[name]["overall_score"] == avg(base[c["supplier"]]["overall"] for c in cands)
        for code in ("quality", "production", "finance"):
            assert result[name]["dimensions"][code] == avg(base[c["supplier"]]["dims"][code] for c in cands)
    assert result["selected"]["count"] > 0 and result["not_selected"]["count"] > 0


def test_area_and_anchor_coverage(report_data):
    scope = scope_of(report_data)
    reg = {s["id"]: s for s in exp.registered(report_data)}
    all_sup = {s["id"]: s for s in report_data.suppliers}
    selected = exp.selected_suppliers(report_data)
    coverage = {r["code"]: r for r in selectors.area_coverage(scope)}
    summary = fast(scope)
    assert {r["code"]: r for r in summary["area_coverage"]} == coverage
    assert summary["anchor_coverage"] == selectors.anchor_coverage(scope)
    for area in report_data.areas:
        assert coverage[area.code]["registered"] == sum(1 for s in reg.values() if area.code in s["areas"])
        assert coverage[area.code]["selected"] == sum(1 for sid in selected if area.code in all_sup[sid]["areas"])
    none = {r["code"] for r in selectors.areas_without_selected(list(coverage.values()))}
    assert "A07" in none
    assert none == {a.code for a in report_data.areas if not any(a.code in all_sup[sid]["areas"] for sid in selected)}
    for row in selectors.anchor_coverage(scope):
        demanded = report_data.anchor_areas[row["name"]]
        covered = {code for code in demanded if any(code in all_sup[sid]["areas"] for sid in selected)}
        assert row["demanded"] == len(demanded)
        assert row["covered"] == len(covered)
        assert row["selected_smes"] == sum(1 for sid in selected if all_sup[sid]["areas"] & demanded)


def test_impact_maturity_change(report_data):
    change = selectors.maturity_change(scope_of(report_data))
    assert fast(scope_of(report_data))["maturity_change"] == change
    fups = list(exp.follow_ups(report_data).values())
    diags = {d["id"]: d for d in report_data.diagnostics}
    befores = [diags[f["baseline"]] for f in fups]
    assert change["smes"] == len(fups) > 0
    assert change["overall_after"] == avg(f["overall"] for f in fups)
    assert change["overall_before"] == avg(b["overall"] for b in befores)
    assert change["overall_change"] == change["overall_after"] - change["overall_before"]
    for row in change["dimensions"]:
        assert row["after"] == avg(f["dims"][row["code"]] for f in fups)
        assert row["before"] == avg(b["dims"][row["code"]] for b in befores)


def test_hours_delivered(report_data):
    result = selectors.hours_delivered(scope_of(report_data))
    assert fast(scope_of(report_data))["hours_delivered"] == result
    done = [i for i in report_data.support if i["status"] in ("confirmed", "present")]
    assert done and len(done) < len(report_data.support), "the seed has hours that count and hours that do not"
    hours = defaultdict(int)
    for i in done:
        hours[i["kind"]] += i["hours"]
    assert {r["code"]: r["hours"] for r in result["by_kind"]} == dict(hours)
    assert result["total_hours"] == sum(i["hours"] for i in done)
    assert result["smes"] == len({i["candidate"] for i in done})


def test_program_scope_without_cohort_matches_single_cohort(report_data):
    """With one cohort in the program, the program report counts the same selected SMEs."""
    program_scope = ReportScope(program=report_data.program)
    assert selectors.funnel(program_scope) == selectors.funnel(scope_of(report_data))


@pytest.mark.django_db
def test_phase_scopes_registration_window_vs_cumulative():
    """A registration phase counts registrations inside its dates; a selection phase (and its cohorts) counts
    everyone registered by its end."""
    import datetime

    from django.utils import timezone

    from programs.models import Phase
    from tests.cohorts.factories import CohortFactory
    from tests.programs.factories import PhaseFactory, ProgramFactory
    from tests.suppliers.factories import SupplierFactory

    program = ProgramFactory()
    registration = PhaseFactory(
        program=program,
        kind=Phase.Kind.REGISTRATION,
        start_date=datetime.date(2024, 6, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    selection = PhaseFactory(
        program=program,
        kind=Phase.Kind.SELECTION,
        start_date=datetime.date(2025, 6, 1),
        end_date=datetime.date(2025, 8, 31),
    )
    cohort = CohortFactory(program=program, phase=selection)
    for day in (
        datetime.date(2024, 5, 1),
        datetime.date(2024, 7, 1),
        datetime.date(2025, 2, 1),
        datetime.date(2025, 10, 1),
    ):
        SupplierFactory(
            program=program, submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        )
    assert ReportScope(program=program, phase=registration).registered_suppliers().count() == 1  # 2024-07
    assert ReportScope(program=program, phase=selection).registered_suppliers().count() == 3  # up to 2025-08-31
    assert ReportScope.for_cohort(cohort).registered_suppliers().count() == 3
    assert ReportScope(program=program).registered_suppliers().count() == 4


@pytest.mark.django_db
def test_phase_bounds_are_whole_days_in_the_local_time_zone():
    """A registration counts on its local (America/Mexico_City) date: the first and last instants of
    the phase's days are in, the instants just outside are out, whatever the UTC date."""
    import datetime

    from django.utils import timezone

    from programs.models import Phase
    from tests.programs.factories import PhaseFactory, ProgramFactory
    from tests.suppliers.factories import SupplierFactory

    program = ProgramFactory()
    phase = PhaseFactory(
        program=program,
        kind=Phase.Kind.REGISTRATION,
        start_date=datetime.date(2024, 6, 1),
        end_date=datetime.date(2024, 6, 30),
    )
    local = timezone.get_current_timezone()
    inside = [datetime.datetime(2024, 6, 1, 0, 0), datetime.datetime(2024, 6, 30, 23, 59, 59)]
    outside = [datetime.datetime(2024, 5, 31, 23, 59, 59), datetime.datetime(2024, 7, 1, 0, 0)]
    ids = {}
    for moment in inside + outside:
        ids[moment] = SupplierFactory(program=program, submitted_at=moment.replace(tzinfo=local)).pk
    # 2024-06-30 23:59:59 in Mexico City is 2024-07-01 in UTC: still inside.
    assert set(ReportScope(program=program, phase=phase).registered_suppliers().values_list("pk", flat=True)) == {
        ids[m] for m in inside
    }


def test_one_pass_over_the_registered_suppliers_gives_the_figures_of_the_separate_queries(
    report_data, django_assert_max_num_queries
):
    """On PostgreSQL ``registered_figures`` groups one pass with GROUPING SETS; elsewhere it runs the
    separate queries: either way the figures are those of the selectors one by one."""
    cohort = report_data.cohort
    for scope in (
        scope_of(report_data),
        ReportScope(program=cohort.program),
        ReportScope(program=cohort.program, phase=cohort.phase),
    ):
        expected = {
            "registrations_by_month": selectors.registrations_by_month(scope),
            "registrations_by_state": selectors.registrations_by_state(scope),
            "registrations_by_region": selectors.registrations_by_region(scope),
            "registrations_by_size": selectors.registrations_by_size(scope),
            "registrations_by_sector": selectors.registrations_by_sector(scope),
            "funnel": selectors.funnel(scope),
            "maturity_distribution": selectors.maturity_distribution(scope),
            "score_histogram": selectors.score_histogram(scope),
        }
        assert sum(r["count"] for r in expected["maturity_distribution"]) > 0
        with django_assert_max_num_queries(3):
            assert selectors.registered_figures(scope) == expected


def test_baseline_groups_by_join_in_a_cohort_equal_the_groups_by_candidate_sets(report_data):
    """A cohort's scope groups baselines by LEFT JOINing the candidacy (one per supplier and cohort);
    the IN-set way every scope can use gives the same groups."""
    from reports.selectors.maturity import grouped_baselines
    from reports.selectors.scope import baseline_diagnostics

    scope = scope_of(report_data)
    by_join = dict(grouped_baselines(scope, baseline_diagnostics(scope), join=True).values_list("id", "group"))
    by_sets = dict(grouped_baselines(scope, baseline_diagnostics(scope), join=False).values_list("id", "group"))
    assert by_join == by_sets
    assert set(by_join.values()) == {"selected", "not_selected", "other"}


@pytest.mark.sql  # several connections, with the data committed
@pytest.mark.django_db(transaction=True)
def test_a_report_read_on_two_connections_equals_the_report_read_on_one(settings):
    from core import snapshot
    from tests.reports.builders import build_report_data

    data = build_report_data()
    for scope in (scope_of(data), ReportScope(program=data.cohort.program)):
        settings.SDP_REPORT_CONNECTIONS = 2
        assert snapshot.concurrent_reads_possible()
        both = selectors.report_summary(scope)
        settings.SDP_REPORT_CONNECTIONS = 1
        assert both == selectors.report_summary(scope)
        assert sum(r["count"] for r in both["maturity_distribution"]) > 0 and both["selected_vs_not"]["dimensions"]
