"""Each report section is cached against the versions of the tables it names: it names every table its queries
read, a write to another table leaves it served from the cache, and the cached sections equal a fresh
computation after random changes."""

import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import cache as report_cache
from reports import selectors
from reports.selectors import SECTIONS, ReportScope, report_figures, report_parts, report_summary

pytestmark = [pytest.mark.django_db, pytest.mark.sql]


def _tables_read(sql: str) -> set[str]:
    return {t for t in connection.introspection.table_names() if f'"{t}"' in sql} - {report_cache.LOG_TABLE}


def _tracked() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = 'reports_data_change'"
        )
        return {row[0] for row in cursor.fetchall()}


def _scopes(data) -> list[ReportScope]:
    return [
        ReportScope.for_cohort(data.cohort),
        ReportScope(program=data.program),
        ReportScope(program=data.program, phase=data.cohort.phase),
    ]


def _table(name: str) -> str:
    """The table a section's name stands for: ``suppliers_supplier:diagnosed`` (the suppliers with a current
    baseline, logged apart) is the suppliers'."""
    return name.split(":")[0]


def test_every_section_names_the_tables_its_queries_read(report_data):
    tracked = _tracked()
    for name, section in SECTIONS.items():
        tables = {_table(t) for t in section.tables}
        assert tables <= tracked, (name, tables - tracked)
        for scope in _scopes(report_data):
            with CaptureQueriesContext(connection) as queries:
                section.compute(scope)
            read = _tables_read(" ".join(q["sql"] for q in queries.captured_queries))
            assert read <= tables, (name, scope, read - tables)


def _computed(monkeypatch) -> list[str]:
    """The names of the sections computed from now on (each selector wrapped to note its calls)."""
    calls: list[str] = []
    for name, section in list(SECTIONS.items()):

        def compute(scope, name=name, inner=section.compute):
            calls.append(name)
            return inner(scope)

        monkeypatch.setitem(SECTIONS, name, selectors.Section(compute, section.tables, section.daily))
    return calls


WRITES = {  # a statement writing one table -> the sections that read it
    "support_visit": "UPDATE support_visit SET hours = hours WHERE id IN (SELECT id FROM support_visit LIMIT 1)",
    "sourcing_invitation": "UPDATE sourcing_invitation SET id = id WHERE false",
    "outcomes_outcomeround": "DELETE FROM outcomes_outcomeround WHERE false",
    "suppliers_supplier": "UPDATE suppliers_supplier SET size = size WHERE false",
    "assessments_dimensionscore": "UPDATE assessments_dimensionscore SET score = score WHERE false",
}


@pytest.mark.parametrize("table", sorted(WRITES))
def test_a_write_to_one_table_computes_only_the_sections_that_read_it(report_data, monkeypatch, table):
    cache.clear()
    scope = ReportScope.for_cohort(report_data.cohort)
    first = report_parts(scope)
    calls = _computed(monkeypatch)
    assert report_parts(scope) == first and calls == []  # unchanged: every section from the cache
    with connection.cursor() as cursor:
        cursor.execute(WRITES[table])  # even a statement that changes no row counts
    again = report_parts(scope)
    assert sorted(calls) == sorted(name for name, section in SECTIONS.items() if table in section.tables)
    assert set(calls) < set(SECTIONS)  # never every section
    assert again == first  # nothing changed in the rows
    calls.clear()
    with CaptureQueriesContext(connection) as queries:
        report_parts(scope)
    assert calls == [] and len(queries) == 1  # the versions


def test_a_report_served_from_the_cache_reads_one_query(report_data, django_assert_num_queries):
    cache.clear()
    for scope in _scopes(report_data):
        report_parts(scope)
        with django_assert_num_queries(1):
            report_parts(scope)


@pytest.mark.parametrize("seed", [3, 4])
def test_sections_cached_apart_equal_a_fresh_computation_after_random_changes(report_data, seed):
    """Random single-table writes (each a real change of some rows) interleaved with views of the three scopes:
    the summary assembled from cached and fresh sections always equals every figure computed from the rows."""
    cache.clear()
    rng = random.Random(seed)
    program = report_data.program
    statements = [
        (
            "UPDATE suppliers_supplier SET size = %s WHERE id = (SELECT id FROM suppliers_supplier"
            " WHERE program_id = %s ORDER BY random() LIMIT 1)",
            lambda: [rng.choice(["micro", "pequena", "mediana"]), program.pk],
        ),
        (
            "UPDATE suppliers_supplier SET status = %s WHERE id = (SELECT id FROM suppliers_supplier WHERE program_id"
            " = %s ORDER BY random() LIMIT 1)",
            lambda: [rng.choice(["verified", "rejected", "submitted"]), program.pk],
        ),
        (
            "UPDATE cohorts_candidate SET status = %s WHERE id = (SELECT id FROM cohorts_candidate ORDER BY random()"
            " LIMIT 1)",
            lambda: [rng.choice(["selected", "not_selected", "waitlisted", "withdrawn"])],
        ),
        (
            "UPDATE assessments_dimensionscore SET score = %s WHERE id = (SELECT id FROM assessments_dimensionscore"
            " WHERE score IS NOT NULL ORDER BY random() LIMIT 1)",
            lambda: [rng.randint(0, 100)],
        ),
        (
            "UPDATE support_visit SET status = %s WHERE id = (SELECT id FROM support_visit ORDER BY random() LIMIT 1)",
            lambda: [rng.choice(["logged", "confirmed"])],
        ),
        (
            "DELETE FROM suppliers_supplier_supply_areas WHERE id = (SELECT id FROM suppliers_supplier_supply_areas"
            " ORDER BY random() LIMIT 1)",
            lambda: [],
        ),
        (
            "UPDATE programs_state SET name = name || '.' WHERE id = (SELECT id FROM programs_state ORDER BY random()"
            " LIMIT 1)",
            lambda: [],
        ),
    ]
    scopes = _scopes(report_data)
    for scope in scopes:
        report_summary(scope)
    for step in range(12):
        sql, params = rng.choice(statements)
        with connection.cursor() as cursor:
            cursor.execute(sql, params())
        for scope in rng.sample(scopes, k=2):
            assert report_summary(scope) == report_figures(scope), (step, sql)


# The page's own 4 and its partners, the versions twice, the planner settings, hours and support.
AFTER_A_VISIT_QUERY_LIMIT = 18


def test_a_page_after_one_write_reads_the_changed_sections_only(staff_client, report_data):
    """Queries of the cohort page: every section on a cold cache; one for the versions once cached; after a visit
    is confirmed, only the sections that read the visits (hours delivered, support), whatever the number of rows."""
    from django.urls import reverse

    cache.clear()
    url = reverse("reports:cohort", args=[report_data.cohort.pk])
    counts = []
    for write in (False, True):
        if write:  # a second, larger data set in the same cohort: the counts stay
            from tests.reports.builders import build_report_data

            build_report_data(n_suppliers=60, seed=2, cohort=report_data.cohort, program=report_data.program)
            cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert staff_client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as cached:
            assert staff_client.get(url).status_code == 200
        with connection.cursor() as cursor:
            cursor.execute(WRITES["support_visit"])
        with CaptureQueriesContext(connection) as after:
            assert staff_client.get(url).status_code == 200
        counts.append((len(cold), len(cached), len(after)))
    assert counts[0] == counts[1], counts
    cold, cached, after = counts[0]
    assert cached <= 6 and after <= AFTER_A_VISIT_QUERY_LIMIT < cold, counts
