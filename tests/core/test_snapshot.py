"""``core.snapshot.read_concurrently``: independent reads on several PostgreSQL connections sharing one
snapshot, with the caller's settings, language and time zone; one after another elsewhere."""

import threading

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone, translation

from core import snapshot
from core.snapshot import read_concurrently
from programs.models import Region


def _state() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_backend_pid(), pg_current_snapshot()::text, current_setting('transaction_isolation'), "
            "current_setting('transaction_read_only'), current_setting('work_mem')"
        )
        pid, snap, isolation, read_only, work_mem = cursor.fetchone()
    return {
        "pid": pid,
        "snapshot": snap,
        "isolation": isolation,
        "read_only": read_only,
        "work_mem": work_mem,
        "language": translation.get_language(),
        "tz": timezone.get_current_timezone_name(),
        "thread": threading.get_ident(),
    }


@pytest.mark.django_db
def test_inside_a_transaction_the_calls_run_one_after_another_on_its_connection():
    """In a test case's transaction (or under ATOMIC_REQUESTS) another connection would not see its rows."""
    Region.objects.create(code="snap", name_es="Solo aquí", name_en="Only here", order=99)
    order = []

    def count(name):
        order.append(name)
        return Region.objects.filter(code="snap").count()

    assert read_concurrently({"b": lambda: count("b"), "a": lambda: count("a")}) == {"b": 1, "a": 1}
    assert order == ["b", "a"]
    with pytest.raises(ZeroDivisionError):
        read_concurrently({"x": lambda: 1 / 0})


@pytest.mark.sql
@pytest.mark.django_db(transaction=True)
def test_the_calls_share_one_snapshot_on_separate_connections_with_the_callers_settings(settings, monkeypatch):
    settings.SDP_REPORT_CONNECTIONS = 2
    before = Region.objects.count()
    start_other = snapshot._other_connection

    def commit_a_row_first(*args):
        # Committed after the caller exported its snapshot and before the other connection starts its
        # transaction: a connection on a snapshot of its own would count it.
        Region.objects.create(code="late", name_es="Tarde", name_en="Late", order=98)
        start_other(*args)

    monkeypatch.setattr(snapshot, "_other_connection", commit_a_row_first)
    both_reading = threading.Barrier(2, timeout=20)  # each connection must take one call: fails if only one reads

    def read():
        both_reading.wait()
        return {**_state(), "regions": Region.objects.count()}

    with translation.override("en"), timezone.override("America/Tijuana"):
        got = read_concurrently({"first": read, "second": read}, settings={"work_mem": "48MB"})
    one, two = got["first"], got["second"]
    assert one["pid"] != two["pid"] and one["thread"] != two["thread"]
    assert one["snapshot"] == two["snapshot"]
    assert one["regions"] == two["regions"] == before  # the row committed meanwhile is in neither
    assert Region.objects.count() == before + 1
    for state in (one, two):
        assert (state["isolation"], state["read_only"], state["work_mem"]) == ("repeatable read", "on", "48MB")
        assert (state["language"], state["tz"]) == ("en", "America/Tijuana")
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem'), current_setting('transaction_isolation')")
        assert cursor.fetchone() == ("4MB", "read committed")  # nothing left behind on the caller's connection


@pytest.mark.sql
@pytest.mark.django_db(transaction=True)
def test_an_error_in_any_call_is_raised_and_the_reads_cannot_write(settings):
    settings.SDP_REPORT_CONNECTIONS = 2
    both_reading = threading.Barrier(2, timeout=20)

    def fails():
        both_reading.wait()
        raise ValueError("bad figure")

    def waits():
        both_reading.wait()
        return 1

    with pytest.raises(ValueError, match="bad figure"):
        read_concurrently({"a": fails, "b": waits})
    with pytest.raises(DatabaseError, match="read-only"):
        read_concurrently({"write": lambda: Region.objects.create(code="no", name_es="x", name_en="x", order=1)})
    assert not Region.objects.filter(code="no").exists()


@pytest.mark.sql
@pytest.mark.django_db(transaction=True)
def test_without_another_connection_the_callers_reads_everything(settings, monkeypatch, caplog):
    settings.SDP_REPORT_CONNECTIONS = 3
    monkeypatch.setattr(snapshot, "SNAPSHOT_ID", snapshot.re.compile("never"))  # the others fail to start
    got = read_concurrently({f"c{i}": (lambda: _state()["thread"]) for i in range(4)})
    assert set(got.values()) == {threading.get_ident()}
    assert "could not be opened" in caplog.text


@pytest.mark.sql
@pytest.mark.django_db(transaction=True)
def test_one_connection_when_configured(settings):
    settings.SDP_REPORT_CONNECTIONS = 1
    got = read_concurrently({"a": lambda: _state(), "b": lambda: _state()})
    assert got["a"]["pid"] == got["b"]["pid"] == _state()["pid"]
