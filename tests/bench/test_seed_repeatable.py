"""The seeder writes the same data on every run of the same seed."""

import threading

import pytest
from django.core.management import call_command

from assessments.models import Answer, AreaAlignment, Diagnostic, DimensionScore
from cohorts.models import Candidate
from suppliers.models import Supplier

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

    for name in ("_write_suppliers", "_write_diagnostic_chunk", "_score_chunk"):
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
