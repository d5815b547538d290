"""Report figures cached against the state of the data they are computed from.

Every statement that writes a table the reports read (INSERT, UPDATE, DELETE, COPY, TRUNCATE; through a
service, the admin, a bulk path or by hand) counts itself in ``reports_datachange``, one row per
transaction, by a statement-level trigger in the same transaction (migration ``0002_data_change_log``).
``data_version()`` reads that log in one indexed aggregate:

- the committed part, ``(number of statements, largest transaction id)`` of the other transactions'
  rows: the transactions a snapshot sees only grow, and each adds at least one statement, so two
  snapshots that see different committed changes read different sums (a TRUNCATE of the log, which
  only an emptied test database does, logs a transaction id larger than any it removed);
- this transaction's own row, ``(transaction id, its statements)``: uncommitted changes are keyed by a
  transaction id no other transaction has (a rolled-back savepoint returns both the data and the count
  to what they were).

Equal versions therefore mean equal data, and a figure cached under a version is the figure a fresh
computation gives whenever that version is read again. ``report_summary`` reads the version before and
after computing (within the shared snapshot when it reads on several connections), and stores the result
only when both are equal: no change committed while it read. The key also carries the scope (with the
phase's dates), the language and time zone of labels and months, and the database.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

VERSION_SQL = """
SELECT COALESCE(SUM(statements) FILTER (WHERE xid IS DISTINCT FROM own.id), 0),
       MAX(xid) FILTER (WHERE xid IS DISTINCT FROM own.id)::text,
       own.id::text,
       MAX(statements) FILTER (WHERE xid = own.id)
FROM (SELECT pg_current_xact_id_if_assigned() AS id) own LEFT JOIN reports_datachange ON true
GROUP BY own.id
"""

COMPACT_SQL = """
WITH own AS (SELECT pg_current_xact_id_if_assigned() AS id),
committed AS (SELECT xid, statements FROM reports_datachange WHERE xid IS DISTINCT FROM (SELECT id FROM own)),
latest AS (SELECT MAX(xid) AS xid FROM committed),
gone AS (
    DELETE FROM reports_datachange WHERE xid IN (SELECT xid FROM committed WHERE xid < (SELECT xid FROM latest))
    RETURNING statements
)
UPDATE reports_datachange SET statements = statements + (SELECT COALESCE(SUM(statements), 0) FROM gone)
WHERE xid = (SELECT xid FROM latest)
RETURNING (SELECT COUNT(*) FROM gone)
"""


def data_version() -> tuple:
    """The state of the data the reports read, as seen by this connection's current snapshot."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        committed, latest, own, own_statements = cursor.fetchone()
    return (committed, latest) if own_statements is None else (committed, latest, own, own_statements)


def compact_data_changes() -> int:
    """Fold the other transactions' committed rows of the log into the latest of them (same statement
    count, same latest id): the version stays what it was, the log stays a few rows. Returns the rows
    removed."""
    with connection.cursor() as cursor:
        cursor.execute(COMPACT_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


# The code that computes the figures: a deploy that changes it does not read summaries its predecessor cached.
CODE = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted((Path(__file__).parent / "selectors").glob("*.py")))
).hexdigest()[:16]


def cache_key(scope, version: tuple, part: tuple = ()) -> str:
    """``part`` names a section cached apart from the summary, with what else it depends on (the date)."""
    phase = scope.phase
    parts = (
        CODE,
        connection.settings_dict["NAME"],
        scope.program.pk,
        None if phase is None else (phase.pk, phase.kind, phase.start_date, phase.end_date),
        None if scope.cohort is None else scope.cohort.pk,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        version,
        part,
    )
    return "reports:summary:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cache_seconds() -> int:
    return settings.SDP_REPORT_CACHE_SECONDS


def get(scope, version: tuple, part: tuple = ()):
    return cache.get(cache_key(scope, version, part)) if cache_seconds() > 0 else None


def put(scope, version: tuple, summary: dict, part: tuple = ()) -> None:
    if cache_seconds() > 0:
        cache.set(cache_key(scope, version, part), summary, cache_seconds())
