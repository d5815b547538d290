"""Independent read-only queries run at once on several PostgreSQL connections that see one snapshot.

A report is a dozen independent aggregates; at 100,000 SMEs four of them read 50,000-100,000 rows
each. ``read_concurrently`` runs such calls on the request's connection and on the others that
``SDP_REPORT_CONNECTIONS`` allows (2 in all by default), each taking the next call from one queue
(the caller lists the costliest first), so that a 2-core database server works on two at once. All
run a ``REPEATABLE READ READ ONLY`` transaction on the same snapshot (``pg_export_snapshot`` /
``SET TRANSACTION SNAPSHOT``): every figure is computed from the same state of the database, as if one
connection had read them all in one repeatable-read transaction (a registration arriving meanwhile is
in none of them or in all).

It runs the calls one after another on the request's connection, in a transaction with the same
settings, when:
- the caller is inside a transaction (``ATOMIC_REQUESTS``, a test case, a service): another connection
  would not see that transaction's uncommitted rows, and its isolation level is already set;
- ``SDP_REPORT_CONNECTIONS`` is 1.
The other connections are opened and closed for each call (a few milliseconds against ~0.5 s of
reading), each in a thread that carries the caller's language and time zone, which the calls' labels
and month boundaries depend on.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from django.conf import settings as django_settings
from django.db import connection, connections, transaction
from django.utils import timezone, translation

from .rawsql import planner_settings, set_local

logger = logging.getLogger(__name__)
SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")


def _connections() -> int:
    return getattr(django_settings, "SDP_REPORT_CONNECTIONS", 2)


def concurrent_reads_possible() -> bool:
    return not connection.in_atomic_block and _connections() > 1


def read_concurrently(calls: dict[str, Callable[[], Any]], *, settings: dict | None = None) -> dict[str, Any]:
    """``{name: call()}`` for independent read-only ``calls`` (see the module); ``settings``: PostgreSQL
    settings local to the reading transactions (e.g. ``work_mem``). An error in any call is raised here
    once every connection is done; a connection that cannot be opened leaves its share to the others."""
    settings = settings or {}
    if not concurrent_reads_possible():
        # Read-only calls: an error is raised to the caller, whose transaction (if any) is rolled back with it.
        with planner_settings(savepoint=False, **settings):
            return {name: call() for name, call in calls.items()}

    queue = deque(calls.items())
    results: dict[str, Any] = {}
    errors: list[BaseException] = []
    stop = threading.Event()

    def drain() -> None:
        while not stop.is_set():
            try:
                name, call = queue.popleft()  # deque operations are atomic: each call is taken once
            except IndexError:
                return
            results[name] = call()

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            set_local(cursor, settings)
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        workers = [
            threading.Thread(
                target=_other_connection,
                name=f"sdp-concurrent-reads-{i}",
                args=(
                    snapshot,
                    settings,
                    drain,
                    errors,
                    stop,
                    translation.get_language(),
                    timezone.get_current_timezone(),
                ),
            )
            for i in range(1, min(_connections(), len(calls)))
        ]
        for worker in workers:
            worker.start()
        try:
            drain()
        except BaseException:
            stop.set()
            raise
        finally:
            for worker in workers:  # the snapshot stays exported (this transaction open) until they are done
                worker.join()
    if errors:
        raise errors[0]
    return {name: results[name] for name in calls}


def _other_connection(snapshot: str, settings: dict, drain, errors: list, stop, language, tz) -> None:
    reading = False
    try:
        if not SNAPSHOT_ID.match(snapshot):
            raise ValueError(f"unexpected snapshot id {snapshot!r}")
        with translation.override(language), timezone.override(tz), transaction.atomic():
            with connection.cursor() as cursor:  # this thread's own connection
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                set_local(cursor, settings)
            reading = True
            drain()
    except BaseException as exc:
        if reading:  # a call failed: raised by read_concurrently in the caller's thread
            stop.set()
            errors.append(exc)
        else:  # no second connection (e.g. max_connections reached): the caller's connection reads everything
            logger.warning("concurrent reads: a connection could not be opened, reading on the others", exc_info=True)
    finally:
        connections.close_all()  # this thread's connections only
