"""The seeder writes the same data on every run of the same seed."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from assessments.models import Answer, AreaAlignment, Diagnostic, DimensionScore
from cohorts.models import Candidate
from suppliers.models import Supplier
from tests.bench.seeded import through_first_cohort

pytestmark = pytest.mark.django_db


def test_the_same_seed_writes_the_same_data():
    def snapshot():
        return (
            list(
                Supplier.objects.order_by("pk").values_list("legal_name", "rfc", "state__code", "employees", "status")
            ),
            list(
                Answer.objects.order_by("diagnostic__supplier__rfc", "question_id").values_list(
                    "diagnostic__supplier__rfc", "question__code", "level", "not_applicable"
                )
            ),
        )

    call_command("seed_demo", size=80, stdout=None)
    first = snapshot()
    Candidate.objects.all().delete()
    Supplier.objects.filter(status=Supplier.Status.DUPLICATE).delete()  # before the originals they name
    Supplier.objects.all().delete()
    call_command("seed_demo", size=80, stdout=None)
    assert snapshot() == first


@pytest.mark.django_db(transaction=True)
def test_chunks_written_and_scored_on_other_connections_give_the_same_data(monkeypatch):
    """Outside a transaction the seed writes its SMEs from a thread while it draws the next ones
    (``demo.loading.Writer``), and writes and scores its chunks of diagnostics on two connections at once
    (``demo.loading.run_jobs``): the same rows as with one worker, everything on the caller's connection."""
    from demo.builder import DemoBuilder

    monkeypatch.setattr(DemoBuilder, "SUPPLIER_CHUNK", 25)  # several chunks of a small data set
    monkeypatch.setattr(DemoBuilder, "DIAGNOSTIC_CHUNK", 9)
    monkeypatch.setattr(DemoBuilder, "SCORING_CHUNK", 4)
    threads = set()

    def recorded(method):
        def run(self, *args):
            threads.add(threading.current_thread().name)
            return method(self, *args)

        return run

    for name in ("_write_suppliers", "_write_relations", "_write_diagnostic_chunk", "_score_chunk"):
        monkeypatch.setattr(DemoBuilder, name, recorded(getattr(DemoBuilder, name)))

    def seeded_with(workers: int):
        monkeypatch.setattr(DemoBuilder, "WORKERS", workers)
        builder = DemoBuilder(size=80, log=lambda *args: None)
        program = builder.reference()
        builder.users(program)
        _created, ids = builder.suppliers(program)
        builder.diagnostics(ids)
        rfc = "diagnostic__supplier__rfc"
        return (
            list(
                Supplier.objects.exclude(status=Supplier.Status.DUPLICATE)  # their emails name the original's id
                .order_by("rfc", "status", "supply_areas__code", "contacts__email")
                .values_list("rfc", "legal_name", "status", "company__rfc", "supply_areas__code", "contacts__email")
            ),
            list(
                Diagnostic.objects.order_by("supplier__rfc").values_list(
                    "supplier__rfc", "status", "overall_score", "maturity_level", "score_details", "is_current_baseline"
                )
            ),
            list(
                Answer.objects.order_by(rfc, "question_id").values_list(
                    rfc, "question__code", "level", "not_applicable", "na_reason"
                )
            ),
            list(DimensionScore.objects.order_by(rfc, "dimension__code").values_list(rfc, "dimension__code", "score")),
            list(
                AreaAlignment.objects.order_by(rfc, "area__code").values_list(rfc, "area__code", "fit_percent", "gaps")
            ),
        )

    parallel = seeded_with(2)
    assert threads and all(name.startswith("seed-") for name in threads)  # not on the test's own connection
    assert {"in_progress", "scored", "validated"} <= {status for _rfc, status, *_ in parallel[1]}
    threads.clear()
    Supplier.objects.filter(status=Supplier.Status.DUPLICATE).delete()  # before the originals they name
    Supplier.objects.all().delete()
    assert seeded_with(1) == parallel
    assert threads == {threading.current_thread().name}


def _recording(monkeypatch, threads: set, *names: str) -> None:
    """Record in ``threads`` the name of each thread that runs one of the ``DemoBuilder`` methods ``names``."""
    from demo.builder import DemoBuilder

    def recorded(method):
        def run(self, *args, **kwargs):
            threads.add(threading.current_thread().name)
            return method(self, *args, **kwargs)

        return run

    for name in names:
        monkeypatch.setattr(DemoBuilder, name, recorded(getattr(DemoBuilder, name)))


@pytest.mark.django_db(transaction=True)
def test_the_next_cohort_built_alongside_the_follow_up_gives_the_same_data(monkeypatch):
    """After the 2025 decisions the seed builds the 2026 cohort on a connection of its own while it writes the
    2025 cohort's financing, support and follow-up rounds (``DemoBuilder.after_decisions``): the same rows as
    when it builds the 2026 cohort first, on the caller's connection."""
    from cohorts.models import Cohort
    from demo.builder import DemoBuilder
    from outcomes.models import OutcomeResponse, OutcomeRound

    threads: set[str] = set()
    _recording(monkeypatch, threads, "next_cohort")
    builder, program = through_first_cohort(240)
    second = Cohort.objects.get(program=program, name="Cohorte 2026")

    def built_with(workers: int):
        monkeypatch.setattr(DemoBuilder, "WORKERS", workers)
        builder.after_decisions(program)
        return (
            Cohort.objects.get(pk=second.pk).status,
            list(
                second.candidates.order_by("supplier__rfc", "supplier__status").values_list(
                    "supplier__rfc", "is_eligible", "ineligibility_reasons", "growth_index", "in_proposal", "status"
                )
            ),
            list(
                OutcomeResponse.objects.order_by("round__name", "supplier__rfc", "supplier__status").values_list(
                    "round__name", "supplier__rfc", "group", "status", "sales_mdp", "employees_women"
                )
            ),
        )

    alongside = built_with(2)
    assert threads == {"seed-writer"}  # not on the test's own connection
    _status, candidates, responses = alongside
    assert any(eligible for _rfc, eligible, *_ in candidates)
    # The SMEs selected in 2025 are candidates again, with the reason they are not eligible.
    assert any(r["code"] == "selected_earlier" for _rfc, _eligible, reasons, *_ in candidates for r in reasons)
    assert {r[3] for r in responses} >= {"submitted"}
    # Again, the 2026 cohort first and everything on the caller's connection (the financing cases and support stay).
    second.candidates.all().delete()
    Cohort.objects.filter(pk=second.pk).update(status=Cohort.Status.DRAFT)
    OutcomeRound.objects.all().delete()
    threads.clear()
    assert built_with(1) == alongside
    assert threads == {threading.current_thread().name}


def test_rows_referencing_a_writer_s_rows_commit_after_them_or_not_at_all():
    """``demo.loading.Committed``: the relations' writer waits for the SMEs' commit, and refuses to commit when
    the SMEs were not written."""
    from demo.loading import Committed

    order: list[str] = []
    written = Committed()

    def write_suppliers():
        with written.signalling():
            order.append("suppliers")

    waiting = threading.Thread(target=lambda: (written.wait(), order.append("relations")))
    waiting.start()
    waiting.join(timeout=0.2)
    assert waiting.is_alive() and order == []  # nothing commits before the SMEs
    write_suppliers()
    waiting.join()
    assert order == ["suppliers", "relations"]

    failed = Committed()
    with pytest.raises(ValueError), failed.signalling():
        raise ValueError("the SMEs' COPY failed")
    with pytest.raises(RuntimeError) as refused:
        failed.wait()
    assert isinstance(refused.value.__cause__, ValueError)


def _inner_scans(plan: dict) -> list[tuple[str, str]]:
    """(node type, relation) of the inner side of every nested loop of an ``EXPLAIN (FORMAT JSON)`` plan."""
    found = []
    children = plan.get("Plans", [])
    if plan["Node Type"] == "Nested Loop" and len(children) == 2:
        found.append((children[1]["Node Type"], children[1].get("Relation Name", "")))
    for child in children:
        found += _inner_scans(child)
    return found


@pytest.mark.django_db(transaction=True)
def test_statistics_are_taken_of_the_tables_with_rows_only():
    """``DemoBuilder.analyze`` refreshes the statistics of the tables holding rows and leaves an empty table
    without any: analyzed empty, the privacy consents would be taken for empty by the statement that fills them
    from the suppliers with none yet, which would scan them again for every consent it adds (quadratic)."""
    from demo.builder import DemoBuilder
    from demo.records import CONSENTS_SQL
    from suppliers.services.consent import privacy_notice_current

    builder = DemoBuilder(size=60, log=lambda *args: None)
    program = builder.reference()
    builder.users(program)
    builder.suppliers(program)

    def reltuples(table: str) -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
            return cursor.fetchone()[0]

    # The consents as a fresh database has them (no page, never analyzed), whatever earlier tests on this test
    # database left: pages of rolled-back rows, statistics.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE suppliers_privacyconsent")
        cursor.execute("UPDATE pg_class SET reltuples = -1 WHERE oid = 'suppliers_privacyconsent'::regclass")
    builder.analyze()

    assert reltuples("suppliers_supplier") >= 60 and reltuples("suppliers_contact") >= 60
    assert reltuples("suppliers_privacyconsent") < 0  # no statistics: the planner assumes a few pages
    notice = privacy_notice_current(program=program)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (FORMAT JSON) " + CONSENTS_SQL,
            {"notice": notice.pk, "program": program.pk, "version": notice.version},
        )
        plan = cursor.fetchone()[0][0]["Plan"]
    assert ("Seq Scan", "suppliers_privacyconsent") not in _inner_scans(plan)
    # A table whose rows grew since its statistics is analyzed again.
    from suppliers.models import Contact

    before = reltuples("suppliers_contact")
    supplier_ids = list(Supplier.objects.values_list("pk", flat=True))
    Contact.objects.bulk_create(
        Contact(supplier_id=pk, name="Contacto adicional", email=f"otro{n}.{pk}@demo.sdp.mx", is_primary=False)
        for pk in supplier_ids
        for n in range(3)
    )
    builder.analyze()
    assert reltuples("suppliers_contact") >= 3 * before
