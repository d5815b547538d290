"""The registration tallies stay equal to the suppliers' rows through every write path (services, the ORM's bulk
paths, COPY, raw SQL, rollbacks, concurrent transactions), the figures read from them equal the same figures counted
from the rows for every kind of scope, and the suppliers with a current baseline are logged apart."""

import datetime
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

from assessments.models import Diagnostic
from cohorts.models import Candidate
from core.bulk import copy_update_rows
from programs.models import Phase
from reports import cache as report_cache
from reports.selectors import ReportScope, registered, report_figures, report_parts, report_summary
from reports.selectors.tallied import TALLY_TIME_ZONE, periods, registration_counts
from reports.tallies import compact_registration_tallies
from suppliers.models import Supplier
from suppliers.services.review import supplier_reject, supplier_verify
from tests.programs.factories import PhaseFactory, UserFactory
from tests.reports.builders import build_report_data
from tests.reports.test_sections import _computed
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.sql

ZONE = ZoneInfo(TALLY_TIME_ZONE)


def recounted() -> Counter:
    """The tallies recomputed in Python from every supplier row: (program, grain, period, status, dim, value)."""
    counts: Counter = Counter()
    for s in Supplier.objects.values(
        "program_id", "submitted_at", "created_at", "status", "state_id", "size", "sector"
    ):
        day = (s["submitted_at"] or s["created_at"]).astimezone(ZONE).date()
        for grain, period in (("m", day.replace(day=1)), ("d", day)):
            for dim, value in (
                ("all", ""),
                ("state", str(s["state_id"])),
                ("size", s["size"]),
                ("sector", s["sector"]),
            ):
                counts[(s["program_id"], grain, period, s["status"], dim, value)] += 1
    return counts


def stored() -> Counter:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT program_id, grain, period, status, dim, value, SUM(suppliers) FROM reports_registrationtally"
            " GROUP BY program_id, grain, period, status, dim, value HAVING SUM(suppliers) <> 0"
        )
        return Counter({tuple(row[:6]): row[6] for row in cursor.fetchall()})


def test_the_tallies_follow_every_write_path(db):
    data = build_report_data()
    actor = UserFactory(username="staff-tallies", staff=True)
    assert stored() == recounted()
    program = data.program
    submitted = list(Supplier.objects.filter(program=program, status="submitted"))

    def registration():  # the ORM's INSERT
        SupplierFactory(program=program, status="submitted", submitted_at=timezone.now(), size="micro")

    def verification():  # a service
        supplier_verify(supplier=submitted.pop(), actor=actor)

    def rejection():
        supplier_reject(supplier=submitted.pop(), actor=actor, reason="Incomplete")

    def queryset_update():
        Supplier.objects.filter(program=program, size="micro").update(size="mediana")

    def copy_update():  # COPY into a temporary table and one UPDATE ... FROM
        ids = Supplier.objects.filter(program=program).values_list("id", flat=True)[:3]
        copy_update_rows(Supplier, ["sector"], [(pk, "comercio") for pk in ids])

    def raw_dates():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE suppliers_supplier SET submitted_at = submitted_at - interval '40 days'"
                " WHERE id IN (SELECT id FROM suppliers_supplier WHERE submitted_at IS NOT NULL ORDER BY id LIMIT 4)"
            )

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM suppliers_supplier WHERE id = (SELECT MAX(s.id) FROM suppliers_supplier s"
                " WHERE NOT EXISTS (SELECT 1 FROM assessments_diagnostic d WHERE d.supplier_id = s.id)"
                " AND NOT EXISTS (SELECT 1 FROM cohorts_candidate c WHERE c.supplier_id = s.id))"
            )

    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            Supplier.objects.filter(program=program).update(status="rejected")
            raise RuntimeError("undo")

    def touch():  # no counted column changes: nothing written
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM reports_registrationtally")
            before = cursor.fetchone()
            Supplier.objects.filter(program=program).update(updated_at=timezone.now())
            cursor.execute("SELECT COUNT(*) FROM reports_registrationtally")
            assert cursor.fetchone() == before

    for change in (
        registration,
        verification,
        rejection,
        queryset_update,
        copy_update,
        raw_dates,
        raw_delete,
        rolled_back,
        touch,
        registration,
    ):
        change()
        assert stored() == recounted(), change.__name__


def _scopes(data) -> list[ReportScope]:
    program = data.program
    phases = [
        PhaseFactory(program=program, kind=Phase.Kind.REGISTRATION, start_date=first, end_date=last)
        for first, last in [
            (datetime.date(2025, 2, 10), datetime.date(2025, 4, 20)),  # two cut months, one whole
            (datetime.date(2025, 3, 5), datetime.date(2025, 3, 20)),  # inside one month
            (datetime.date(2025, 2, 1), datetime.date(2025, 3, 31)),  # whole months only
            (datetime.date(2025, 1, 15), datetime.date(2025, 1, 31)),  # ends on a month's last day
            (datetime.date(2025, 5, 1), datetime.date(2025, 5, 9)),  # starts on a month's first day
        ]
    ]
    phases.append(PhaseFactory(program=program, kind=Phase.Kind.SELECTION, start_date=None, end_date="2025-03-15"))
    phases.append(PhaseFactory(program=program, kind=Phase.Kind.REGISTRATION, start_date=None, end_date=None))
    scopes = [ReportScope(program=program), ReportScope.for_cohort(data.cohort)]
    return scopes + [ReportScope(program=program, phase=Phase.objects.get(pk=phase.pk)) for phase in phases]


def test_figures_from_the_tallies_equal_the_rows_for_every_scope(db):
    data = build_report_data(n_suppliers=80, seed=5)
    for scope in _scopes(data):
        assert registration_counts(scope) == registered.registration_counts(scope), scope.phase


def test_another_time_zone_counts_the_rows(db, django_assert_num_queries):
    data = build_report_data(n_suppliers=30, seed=6)
    scope = ReportScope(program=data.program)
    with timezone.override("Asia/Tokyo"):  # the months and phase days of another zone: not the tallies'
        expected = registered.registration_counts(scope)
        assert registration_counts(scope) == expected
    with django_assert_num_queries(1):  # the tallies, the regions and their states: one statement
        registration_counts(scope)


@pytest.mark.parametrize(
    ("first", "last", "months", "days"),
    [
        (None, None, [None, None], []),
        (
            "2025-02-10",
            "2025-04-20",
            ["2025-03-01", "2025-04-01"],
            [("2025-02-10", "2025-03-01"), ("2025-04-01", "2025-04-20")],
        ),
        ("2025-03-05", "2025-03-20", None, [("2025-03-05", "2025-03-20")]),
        ("2025-02-01", "2025-03-31", ["2025-02-01", "2025-04-01"], []),
        (None, "2025-03-15", [None, "2025-03-01"], [("2025-03-01", "2025-03-15")]),
        ("2024-12-31", None, ["2025-01-01", None], [("2024-12-31", "2025-01-01")]),
    ],
)
def test_the_months_whole_and_the_days_cut(first, last, months, days):
    """``periods`` reads the months inside the range whole and the days of the months it cuts, never both."""
    date = lambda text: None if text is None else datetime.date.fromisoformat(text)  # noqa: E731
    sql, params = periods(date(first), date(last))
    if months is None:
        assert sql.startswith("t.grain = 'd'") and params == [date(first), date(last)]
        return
    expected = [date(m) for m in months if m is not None] + [date(d) for pair in days for d in pair]
    assert params == expected
    assert sql.count("t.grain = 'd'") == len(days)


@pytest.mark.django_db(transaction=True)
def test_concurrent_transactions_add_their_own_differences():
    """Two transactions register and move suppliers of one program at once; one commits, one rolls back, another
    commits after them: the tallies equal the rows."""
    data = build_report_data(n_suppliers=20, seed=7)
    ids = list(Supplier.objects.filter(program=data.program).values_list("id", flat=True))
    ready = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(statements, commit: bool) -> None:
        other = connections.create_connection("default")
        try:
            other.set_autocommit(False)
            with other.cursor() as cursor:
                ready.wait(timeout=10)
                for sql, params in statements:
                    cursor.execute(sql, params)
            other.commit() if commit else other.rollback()
        except BaseException as error:  # noqa: BLE001 -- raised in the test below
            errors.append(error)
        finally:
            other.close()

    move = "UPDATE suppliers_supplier SET status = %s, size = %s WHERE id = ANY(%s)"
    first = [(move, ["rejected", "micro", ids[:5]]), (move, ["verified", "mediana", ids[10:12]])]
    second = [(move, ["submitted", "mediana", ids[5:10]]), (move, ["verified", "micro", ids[12:15]])]
    for statements_a, statements_b, commits in [(first, second, (True, False)), (second, first, (True, True))]:
        threads = [
            threading.Thread(target=writer, args=(statements_a, commits[0])),
            threading.Thread(target=writer, args=(statements_b, commits[1])),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors, errors
        assert stored() == recounted()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM reports_registrationtally WHERE xid <> '0'")
        assert cursor.fetchone()[0] > 0  # the rows of the transactions that wrote them
    figures = registration_counts(ReportScope(program=data.program))
    assert compact_registration_tallies() > 0
    assert stored() == recounted()
    assert registration_counts(ReportScope(program=data.program)) == figures
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM reports_registrationtally WHERE xid <> '0' OR suppliers = 0")
        assert cursor.fetchone()[0] == 0  # folded into one row per key, the emptied ones gone
    assert compact_registration_tallies() == 0  # nothing left to fold: nothing written


@pytest.mark.django_db(transaction=True)
def test_a_new_current_baseline_waits_for_a_change_of_its_supplier():
    """A statement that makes a diagnostic its supplier's current baseline waits for a transaction still changing
    that supplier: it commits after it, so that a view never caches the baseline with the supplier's old row under a
    version the supplier's change would not move. Other writes of diagnostics do not wait."""
    from django.db.utils import OperationalError

    data = build_report_data(n_suppliers=12, seed=8)
    diagnostic = Diagnostic.objects.filter(is_current_baseline=True, supplier__program=data.program).first()
    Diagnostic.objects.filter(pk=diagnostic.pk).update(is_current_baseline=False)  # removing the role: no wait
    writer = connections.create_connection("default")
    try:
        writer.set_autocommit(False)
        with writer.cursor() as cursor:
            cursor.execute("UPDATE suppliers_supplier SET status = 'rejected' WHERE id = %s", [diagnostic.supplier_id])

        def flag(sql: str) -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
                cursor.execute(sql, [diagnostic.pk])

        with pytest.raises(OperationalError, match="lock timeout"):
            flag("UPDATE assessments_diagnostic SET is_current_baseline = true WHERE id = %s")
        flag("UPDATE assessments_diagnostic SET overall_score = overall_score WHERE id = %s")  # the flag kept
        writer.rollback()
        flag("UPDATE assessments_diagnostic SET is_current_baseline = true WHERE id = %s")  # nothing to wait for
    finally:
        writer.close()


BASELINE_SECTIONS = {"sums", "baselines", "groups"}


def test_a_registration_leaves_the_baseline_sections_cached(db, monkeypatch):
    """A new registration or a verification of a supplier without a baseline computes the registrations and the
    sections that read every supplier, not the baselines, score sums and candidate groups; a change of a supplier
    with a current baseline computes those too."""
    data = build_report_data()
    actor = UserFactory(username="staff-tallies-2", staff=True)
    cache.clear()
    scope = ReportScope.for_cohort(data.cohort)
    report_parts(scope)
    calls = _computed(monkeypatch)
    SupplierFactory(program=data.program, status="submitted", submitted_at=timezone.now())
    report_parts(scope)
    assert "registrations" in calls and not BASELINE_SECTIONS & set(calls), calls
    calls.clear()
    without_baseline = (
        Supplier.objects.filter(program=data.program, status="submitted")
        .exclude(diagnostics__is_current_baseline=True)
        .first()
    )
    supplier_verify(supplier=without_baseline, actor=actor)
    report_parts(scope)
    assert "registrations" in calls and not BASELINE_SECTIONS & set(calls), calls
    calls.clear()
    with_baseline = Supplier.objects.filter(
        program=data.program, status="verified", diagnostics__is_current_baseline=True
    ).first()
    Supplier.objects.filter(pk=with_baseline.pk).update(status="rejected")
    parts = report_parts(scope)
    assert BASELINE_SECTIONS <= set(calls), calls
    assert parts["baselines"] == registered.baseline_figures(scope)
    assert report_cache.data_version().tables.get("suppliers_supplier:diagnosed") is not None
    assert Candidate.objects.exists()


HEAVY_SECTIONS = {"sums", "baselines", "groups", "registrations", "areas"}


def test_a_decision_on_a_candidate_computes_only_what_decisions_change(db, monkeypatch):
    """Deciding on candidates (their status and proposal) leaves every registered supplier's baselines, the totals
    over every candidacy, the registrations and the areas' registrations cached; adding a candidacy or changing its
    growth index computes the totals over the candidacies; the figures stay those computed from the rows."""
    data = build_report_data()
    cache.clear()
    scopes = [ReportScope.for_cohort(data.cohort), ReportScope(program=data.program)]
    for scope in scopes:
        report_parts(scope)
    calls = _computed(monkeypatch)
    candidates = list(Candidate.objects.filter(cohort=data.cohort).order_by("id"))
    Candidate.objects.filter(pk=candidates[0].pk).update(status="selected", in_proposal=True)
    Candidate.objects.filter(pk=candidates[1].pk).update(status="withdrawn")
    for scope in scopes:
        assert report_summary(scope) == report_figures(scope)
    assert {"sums_apart", "groups_apart", "stages", "areas_selected"} <= set(calls), calls
    assert not HEAVY_SECTIONS & set(calls), calls
    calls.clear()
    Candidate.objects.filter(pk=candidates[2].pk).update(growth_index=17)
    for scope in scopes:
        assert report_summary(scope) == report_figures(scope)
    assert "groups" in calls and not {"sums", "baselines", "registrations", "areas"} & set(calls), calls
