"""Cached report figures stay exact: random changes through the services, the ORM's bulk paths, COPY and
raw SQL, each followed by the cached summary checked against a fresh computation and against figures
recomputed in plain Python from the raw rows."""

import random
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from assessments.models import Diagnostic
from assessments.services import refresh_current_baselines
from cohorts.models import Candidate, Cohort
from cohorts.services.decisions import candidate_withdraw
from core.bulk import copy_insert_rows, copy_update_rows
from programs.models import CriticalSupplyArea, State
from reports import cache as report_cache
from reports.selectors import ReportScope, report_figures, report_summary
from suppliers.models import Supplier
from suppliers.services.review import supplier_reject, supplier_verify
from support.models import Attendance, Visit
from support.services import visit_answer
from tests.programs.factories import UserFactory
from tests.reports.builders import build_report_data

NOT_REGISTERED = ("draft", "duplicate")


def raw_figures(scope: ReportScope) -> dict:
    """Registrations by state and size, the funnel and the selected SMEs per area, in plain Python from rows."""
    suppliers = [
        s
        for s in Supplier.objects.filter(program=scope.program).values("id", "status", "state__code", "size")
        if s["status"] not in NOT_REGISTERED
    ]
    ids = {s["id"] for s in suppliers}
    baseline = set(
        Diagnostic.objects.filter(is_current_baseline=True, supplier_id__in=ids).values_list("supplier_id", flat=True)
    )
    candidates = list(Candidate.objects.filter(cohort=scope.cohort).values("supplier_id", "status", "in_proposal"))
    selected = {c["supplier_id"] for c in candidates if c["status"] == "selected"}
    proposed = {c["supplier_id"] for c in candidates if c["in_proposal"] or c["status"] == "selected"}
    verified = {s["id"] for s in suppliers if s["status"] == "verified"}
    diagnosed = verified & baseline
    pairs = Supplier.supply_areas.through.objects.filter(criticalsupplyarea__program=scope.program)
    per_area = Counter(
        code for sid, code in pairs.values_list("supplier_id", "criticalsupplyarea__code") if sid in selected
    )
    return {
        "state": {code: n for code, n in Counter(s["state__code"] for s in suppliers).items()},
        "size": dict(Counter(s["size"] for s in suppliers)),
        "funnel": {
            "registered": len(suppliers),
            "verified": len(verified),
            "diagnosed": len(diagnosed),
            "proposed": len(diagnosed & proposed),
            "selected": len(diagnosed & proposed & selected),
        },
        "selected_per_area": dict(per_area),
    }


def from_summary(summary: dict) -> dict:
    return {
        "state": {r["code"]: r["count"] for r in summary["registrations_by_state"] if r["count"]},
        "size": {r["code"]: r["count"] for r in summary["registrations_by_size"]},
        "funnel": {r["stage"]: r["count"] for r in summary["funnel"]},
        "selected_per_area": {r["code"]: r["selected"] for r in summary["area_coverage"] if r["selected"]},
    }


def cached(scope: ReportScope, django_assert_num_queries) -> dict:
    """The summary as a view gets it once it is cached: one query (the data version)."""
    report_summary(scope)
    with django_assert_num_queries(1):
        return report_summary(scope)


def _changes(data, actor, rng: random.Random):
    """Each a function making one random change of data the reports read."""
    program = data.program

    def any_supplier():
        return rng.choice(list(Supplier.objects.filter(program=program)))

    def verify_or_reject():
        supplier = rng.choice(list(Supplier.objects.filter(program=program, status="submitted")) or [None])
        if supplier is None:
            return
        if rng.random() < 0.5:
            supplier_verify(supplier=supplier, actor=actor)
        else:
            supplier_reject(supplier=supplier, actor=actor, reason="Incomplete")

    def withdraw():
        candidate = rng.choice(list(Candidate.objects.filter(cohort=data.cohort, status="selected")) or [None])
        if candidate is not None:
            Cohort.objects.filter(pk=data.cohort.pk).update(status=Cohort.Status.APPROVED)
            candidate_withdraw(candidate=candidate, actor=actor, reason="Leaves the program")

    def answer_visit():
        logged = list(Visit.objects.filter(candidate__cohort=data.cohort, status=Visit.Status.LOGGED))
        if logged:
            visit_answer(visit=rng.choice(logged), actor=actor, confirm=True)

    def change_attendance():
        rows = list(Attendance.objects.filter(participant__enrolment__candidate__cohort=data.cohort))
        if rows:
            row = rng.choice(rows)
            row.status = "absent" if row.status == "present" else "present"
            row.save()

    def move_state_raw_sql():
        state = rng.choice(list(State.objects.all()))
        with connection.cursor() as cursor:
            cursor.execute("UPDATE suppliers_supplier SET state_id = %s WHERE id = %s", [state.pk, any_supplier().pk])

    def queryset_update_candidates():
        ids = list(Candidate.objects.filter(cohort=data.cohort).values_list("id", flat=True))
        chosen = rng.sample(ids, k=min(3, len(ids)))
        Candidate.objects.filter(id__in=chosen).update(
            status=rng.choice(["selected", "not_selected", "waitlisted"]), in_proposal=rng.random() < 0.5
        )

    def copy_area_pairs():
        areas = list(CriticalSupplyArea.objects.filter(program=program))
        supplier = any_supplier()
        have = set(supplier.supply_areas.values_list("id", flat=True))
        new = [a.pk for a in areas if a.pk not in have][:2]
        copy_insert_rows(
            Supplier.supply_areas.through, ["supplier_id", "criticalsupplyarea_id"], [(supplier.pk, a) for a in new]
        )

    def delete_area_pairs_raw():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM suppliers_supplier_supply_areas WHERE supplier_id = %s", [any_supplier().pk])

    def copy_update_sizes():
        supplier = any_supplier()
        copy_update_rows(Supplier, ["size"], [(supplier.pk, rng.choice(["micro", "pequena", "mediana"]))])

    def baseline_reopened():
        diagnostic = rng.choice(list(Diagnostic.objects.filter(is_current_baseline=True, supplier__program=program)))
        Diagnostic.objects.filter(pk=diagnostic.pk).update(status="in_progress")
        refresh_current_baselines(supplier_ids=[diagnostic.supplier_id])

    def rolled_back_savepoint():
        try:
            with transaction.atomic():
                Supplier.objects.filter(program=program).update(status="rejected")
                raise RuntimeError("undo")
        except RuntimeError:
            pass

    return [
        verify_or_reject,
        withdraw,
        answer_visit,
        change_attendance,
        move_state_raw_sql,
        queryset_update_candidates,
        copy_area_pairs,
        delete_area_pairs_raw,
        copy_update_sizes,
        baseline_reopened,
        rolled_back_savepoint,
    ]


@pytest.mark.sql
@pytest.mark.parametrize("seed", [1, 2])
def test_cached_figures_stay_equal_to_a_fresh_computation_through_random_changes(db, seed, django_assert_num_queries):
    cache.clear()
    rng = random.Random(seed)
    data = build_report_data()
    actor = UserFactory(username=f"staff-cache-{seed}", staff=True)
    scopes = [ReportScope.for_cohort(data.cohort), ReportScope(program=data.program)]
    changes = _changes(data, actor, rng)
    for step in range(14):
        change = rng.choice(changes)
        change()
        for scope in scopes:
            fast = cached(scope, django_assert_num_queries)
            assert fast == report_figures(scope), (step, change.__name__, scope)
        assert from_summary(report_summary(scopes[0])) == raw_figures(scopes[0]), (step, change.__name__)


@pytest.mark.sql
def test_a_change_and_its_rollback_leave_the_version_where_it_was(db):
    build_report_data()
    before = report_cache.data_version()
    try:
        with transaction.atomic():
            Supplier.objects.update(size="micro")
            assert report_cache.data_version() != before
            raise RuntimeError
    except RuntimeError:
        pass
    assert report_cache.data_version() == before


@pytest.mark.sql
@pytest.mark.django_db(transaction=True)
def test_other_transactions_change_the_version_when_they_commit_and_compaction_keeps_it(settings):
    """Committed changes of others move the version at once; uncommitted ones do not; folding the log's rows
    into one keeps the version (and the cached figures) as they were."""
    from django.db import connections

    settings.SDP_REPORT_CONNECTIONS = 1
    cache.clear()
    data = build_report_data()
    scope = ReportScope.for_cohort(data.cohort)
    first = report_summary(scope)
    version = report_cache.data_version()
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("UPDATE suppliers_supplier SET status = 'rejected' WHERE program_id = %s", [data.program.pk])
        assert report_cache.data_version() == version  # not committed: not seen
        assert report_summary(scope) == first
        other.commit()
    finally:
        other.close()
    assert report_cache.data_version() != version
    after = report_summary(scope)
    assert after == report_figures(scope) != first
    assert after["funnel"][1]["count"] == 0  # nobody verified any more
    version = report_cache.data_version()
    assert report_cache.compact_data_changes() > 0
    assert report_cache.data_version() == version
    with connection.cursor() as cursor:  # one row per table written
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT tbl) FROM reports_datachange")
        rows, tables = cursor.fetchone()
        assert rows == tables


@pytest.mark.sql
def test_every_table_a_report_reads_is_tracked(db):
    """Each table in the report's queries carries the trigger that writes the change log."""
    data = build_report_data()
    with CaptureQueriesContext(connection) as queries:
        for scope in (ReportScope.for_cohort(data.cohort), ReportScope(program=data.program, phase=data.cohort.phase)):
            report_figures(scope)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    read = {t for t in connection.introspection.table_names() if f'"{t}"' in sql} - {"reports_datachange"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = 'reports_data_change'"
        )
        tracked = {row[0] for row in cursor.fetchall()}
    assert len(read) >= 10
    assert read <= tracked, read - tracked


@pytest.mark.sql
def test_the_compaction_task_keeps_the_version(db):
    from reports.tasks import compact_data_changes

    build_report_data()  # this transaction's own row: left alone
    with connection.cursor() as cursor:  # rows of other, committed transactions (as after a migration)
        cursor.execute(
            "INSERT INTO reports_datachange (tbl, xid, statements) VALUES ('logged_a', '3', 2),"
            " ('logged_a', '5', 1), ('logged_a', '4', 7), ('logged_b', '2', 3)"
        )
    version = report_cache.data_version()
    assert version.tables["logged_a"] == (10, "5")
    assert version.tables["logged_b"] == (3, "2")
    compact_data_changes.delay()
    assert report_cache.data_version() == version
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tbl, xid::text, statements FROM reports_datachange WHERE tbl LIKE 'logged_%' ORDER BY tbl, xid"
        )
        assert cursor.fetchall() == [("logged_a", "5", 10), ("logged_b", "2", 3)]
