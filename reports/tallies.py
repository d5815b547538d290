"""Folding the registration tallies (migration ``reports/0012_registration_tallies``, read by
``reports.selectors.tallied``).

Each writing transaction adds its differences in rows of its own (keyed by its transaction id), so writers never
wait for each other on a count; ``compact_registration_tallies`` folds the rows of the committed transactions into
one row per key (``xid`` '0') from time to time, in one statement: every sum a snapshot reads stays what it was
(rows of transactions still running are left alone, and a transaction that commits meanwhile keeps its rows until
the next fold), and the rows of counts that fell to zero go.
"""

from django.db import connection

COMPACT_SQL = """
WITH own AS (SELECT pg_current_xact_id_if_assigned() AS id),
gone AS (
    DELETE FROM reports_registrationtally t
    WHERE t.xid <> '0' AND t.xid IS DISTINCT FROM (SELECT id FROM own)
    RETURNING t.program_id, t.grain, t.period, t.status, t.dim, t.value, t.suppliers
),
folded AS (
    SELECT program_id, grain, period, status, dim, value, SUM(suppliers) AS suppliers, COUNT(*) AS rows
    FROM gone GROUP BY program_id, grain, period, status, dim, value
),
kept AS (
    INSERT INTO reports_registrationtally AS t (program_id, grain, period, status, dim, value, xid, suppliers)
    SELECT program_id, grain, period, status, dim, value, '0', suppliers FROM folded
    ON CONFLICT (program_id, grain, period, status, dim, value, xid)
    DO UPDATE SET suppliers = t.suppliers + EXCLUDED.suppliers
    RETURNING 1
)
SELECT COALESCE((SELECT SUM(rows) FROM folded), 0), (SELECT COUNT(*) FROM kept)
"""

EMPTIED_SQL = "DELETE FROM reports_registrationtally WHERE xid = '0' AND suppliers = 0"

PENDING_SQL = (
    "SELECT EXISTS (SELECT 1 FROM reports_registrationtally WHERE xid <> '0'"
    " AND xid IS DISTINCT FROM pg_current_xact_id_if_assigned())"
)


def compact_registration_tallies() -> int:
    """Fold the committed transactions' tally rows into one row per key (see the module); returns the rows
    folded. Nothing is written when there is nothing to fold."""
    with connection.cursor() as cursor:
        cursor.execute(PENDING_SQL)
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(COMPACT_SQL)
        folded = int(cursor.fetchone()[0])
        cursor.execute(EMPTIED_SQL)
    return folded
