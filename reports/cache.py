"""Report sections cached against the state of the tables they read.

Every statement that writes a table the reports read (INSERT, UPDATE, DELETE, COPY, TRUNCATE; through a
service, the admin, a bulk path or by hand) counts itself in ``reports_datachange``, one row per table and
transaction, by a statement-level trigger in the same transaction (migrations ``0002_data_change_log`` and
``0010_data_change_log_per_table``). ``data_version()`` reads that log in one indexed aggregate, per table:

- the committed part, ``(number of statements, largest transaction id)`` of the other transactions'
  rows of the table: the transactions a snapshot sees only grow, and each that wrote the table adds at least
  one statement to its rows, so two snapshots that see different committed changes of a table read different
  sums for it;
- this transaction's own row of the table, ``(transaction id, its statements)``: uncommitted changes are keyed
  by a transaction id no other transaction has (a rolled-back savepoint returns both the data and the count
  to what they were).

The version of a section is the versions of the tables it reads plus the version of the log's own row (written
when the log is truncated, as an emptied test database does, and when it started counting per table): equal
versions therefore mean equal data in every table the section reads, and a section cached under a version is
what a fresh computation gives whenever that version is read again. ``reports.selectors.report_parts`` reads
the versions before computing and again after (within the shared snapshot when it reads on several
connections), and stores a section only when its version is the same in both: no change committed meanwhile
to a table it reads. The key also carries the scope (with the phase's dates), the language and time zone of
labels and months, the database and the code of the selectors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

LOG_TABLE = "reports_datachange"

VERSION_SQL = """
SELECT c.tbl,
       COALESCE(SUM(c.statements) FILTER (WHERE c.xid IS DISTINCT FROM own.id), 0),
       MAX(c.xid) FILTER (WHERE c.xid IS DISTINCT FROM own.id)::text,
       own.id::text,
       MAX(c.statements) FILTER (WHERE c.xid = own.id)
FROM (SELECT pg_current_xact_id_if_assigned() AS id) own JOIN reports_datachange c ON true
GROUP BY c.tbl, own.id
"""

COMPACT_SQL = """
WITH own AS (SELECT pg_current_xact_id_if_assigned() AS id),
committed AS (
    SELECT tbl, xid, statements FROM reports_datachange WHERE xid IS DISTINCT FROM (SELECT id FROM own)
),
latest AS (SELECT tbl, MAX(xid) AS xid FROM committed GROUP BY tbl),
gone AS (
    DELETE FROM reports_datachange d USING latest
    WHERE d.tbl = latest.tbl AND d.xid < latest.xid AND d.xid IS DISTINCT FROM (SELECT id FROM own)
    RETURNING d.tbl, d.statements
),
folded AS (SELECT tbl, SUM(statements) AS statements, COUNT(*) AS rows FROM gone GROUP BY tbl),
kept AS (
    UPDATE reports_datachange d SET statements = d.statements + folded.statements
    FROM folded, latest
    WHERE d.tbl = folded.tbl AND latest.tbl = folded.tbl AND d.xid = latest.xid
    RETURNING d.tbl
)
SELECT COALESCE((SELECT SUM(rows) FROM folded), 0), (SELECT COUNT(*) FROM kept)
"""

UNCHANGED = (0, None)  # a table no transaction has written since the log started


class DataVersions:
    """The state of every logged table as one snapshot saw it: ``of(tables)`` is the version of a section."""

    def __init__(self, tables: Mapping[str, tuple]):
        self.tables = dict(tables)

    def of(self, tables: Iterable[str]) -> tuple:
        return tuple((name, self.tables.get(name, UNCHANGED)) for name in sorted({*tables, LOG_TABLE}))

    def __eq__(self, other) -> bool:
        return isinstance(other, DataVersions) and self.tables == other.tables

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.tables.items())))

    def __repr__(self) -> str:
        return f"DataVersions({self.tables!r})"


def data_version() -> DataVersions:
    """The state of the data the reports read, per table, as seen by this connection's current snapshot."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        rows = cursor.fetchall()
    return DataVersions(
        {
            table: (committed, latest) if own_statements is None else (committed, latest, own, own_statements)
            for table, committed, latest, own, own_statements in rows
        }
    )


def compact_data_changes() -> int:
    """Fold the other transactions' committed rows of each table into the latest of them (same statement
    count, same latest id per table): every version stays what it was, the log stays a row per table.
    Returns the rows removed."""
    with connection.cursor() as cursor:
        cursor.execute(COMPACT_SQL)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


# The code that computes the figures: a deploy that changes it does not read summaries its predecessor cached.
CODE = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted((Path(__file__).parent / "selectors").glob("*.py")))
).hexdigest()[:16]


def cache_key(scope, name: str, version: tuple, extra: tuple = ()) -> str:
    """The key of section ``name`` of ``scope`` at ``version`` (``DataVersions.of`` its tables); ``extra``: what
    else it depends on (the date)."""
    phase = scope.phase
    parts = (
        CODE,
        connection.settings_dict["NAME"],
        scope.program.pk,
        None if phase is None else (phase.pk, phase.kind, phase.start_date, phase.end_date),
        None if scope.cohort is None else scope.cohort.pk,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        name,
        version,
        extra,
    )
    return "reports:section:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cache_seconds() -> int:
    return settings.SDP_REPORT_CACHE_SECONDS


def get_many(keys: Iterable[str]) -> dict:
    """``{key: value}`` of the keys cached (one round trip to the cache)."""
    if cache_seconds() <= 0:
        return {}
    return {key: stored["value"] for key, stored in cache.get_many(list(keys)).items()}


def put_many(values: Mapping[str, object]) -> None:
    if cache_seconds() > 0 and values:
        cache.set_many({key: {"value": value} for key, value in values.items()}, cache_seconds())
