"""Optimistic locking on PostgreSQL with two real concurrent writers (threads, one connection each)."""

import threading

import pytest
from django.db import connections, transaction

from cohorts.models import Candidate
from core.concurrency import StaleObjectError, save_versioned
from suppliers.models import Supplier
from tests.cohorts.factories import CandidateFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = [pytest.mark.sql, pytest.mark.django_db(transaction=True)]


def race(model, pk: int, field: str, values: list):
    """Each writer reads the row, waits for the other to have read it too, then writes its value."""
    barrier = threading.Barrier(len(values))
    outcome: dict = {}

    def writer(value):
        try:
            obj = model.objects.get(pk=pk)
            read_version = obj.version
            barrier.wait(timeout=10)
            setattr(obj, field, value)
            with transaction.atomic():
                save_versioned(obj, expected_version=read_version, fields=[field])
            outcome[value] = "won"
        except StaleObjectError as exc:
            outcome[value] = ("stale", exc.current_version)
        except Exception as exc:  # surfaced by the assertion below
            outcome[value] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(value,)) for value in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcome


@pytest.mark.parametrize("round_", range(5))
def test_two_writers_on_a_supplier_one_wins_the_other_is_told(round_):
    supplier = SupplierFactory(municipality="León")
    outcome = race(Supplier, supplier.pk, "municipality", ["Celaya", "Irapuato"])
    winners = [value for value, result in outcome.items() if result == "won"]
    losers = [value for value, result in outcome.items() if result != "won"]
    assert len(winners) == 1 and len(losers) == 1, outcome
    assert outcome[losers[0]] == ("stale", 2)
    supplier.refresh_from_db()
    # the winner's write is there, whole; the version moved exactly once
    assert (supplier.municipality, supplier.version) == (winners[0], 2)


def test_two_writers_on_a_candidate_decision():
    candidate = CandidateFactory()
    outcome = race(Candidate, candidate.pk, "staged_status", ["selected", "waitlisted"])
    assert sorted(result if result == "won" else result[0] for result in outcome.values()) == ["stale", "won"]
    candidate.refresh_from_db()
    winner = next(value for value, result in outcome.items() if result == "won")
    assert (candidate.staged_status, candidate.version) == (winner, 2)


def test_the_loser_can_reload_and_apply_its_change():
    supplier = SupplierFactory(municipality="León")
    outcome = race(Supplier, supplier.pk, "municipality", ["Celaya", "Irapuato"])
    loser = next(value for value, result in outcome.items() if result != "won")
    fresh = Supplier.objects.get(pk=supplier.pk)
    fresh.municipality = loser
    save_versioned(fresh, expected_version=fresh.version, fields=["municipality"])
    supplier.refresh_from_db()
    assert (supplier.municipality, supplier.version) == (loser, 3)
