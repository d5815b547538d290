"""Registration tallies kept in the same transaction as the suppliers they count; the changes of suppliers that have a
current baseline or an invitation, and of the candidacies' rows apart from their decisions, logged apart
(``reports/selectors/tallied.py``, ``reports.selectors.SECTIONS``, docs/reports.md).

``reports_registrationtally`` holds, per program, local month (``grain`` 'm') and local day ('d'), registration
status and one of four breakdowns (``dim``: 'all', 'state', 'size', 'sector' and its ``value``), the number of
suppliers, in rows of the transaction that wrote them (``xid``; '0': folded, ``reports.tallies``). Statement-level
triggers with transition tables on ``suppliers_supplier`` add what each INSERT, UPDATE, DELETE or COPY adds and
take away what it removes, in the writing transaction's own rows: a rollback takes the counts back with the
suppliers' rows, concurrent transactions never write the same row (no waits, no deadlocks), a reader sums the rows
its snapshot sees, and a TRUNCATE empties the tallies. The dates are the local dates (America/Mexico_City) of
``COALESCE(submitted_at, created_at)``.

The same triggers log ``suppliers_supplier:diagnosed`` (``:invited``) in ``reports_datachange`` when a written
supplier has a current baseline (an invitation) and the statement changed its counted columns (or added or removed
it): the sections that read suppliers only through their baselines (invitations) are cached against that version
instead of every supplier change. A statement that gives suppliers a current baseline or an invitation locks them
(``FOR SHARE``) first, so that it commits after any transaction still changing one of them, and a change after it
sees the new baseline or invitation. ``cohorts_candidate:members`` is logged when a statement adds or removes
candidacies or changes their cohort, supplier or growth index, and not when it records a decision;
``assessments_diagnostic:baselines`` when it adds, removes or changes a current baseline (or makes or unmakes one),
and not when it writes other diagnostics (a follow-up scored, a diagnostic scheduled).
"""

from django.db import migrations

TALLY_TIME_ZONE = "America/Mexico_City"  # reports.selectors.tallied.TALLY_TIME_ZONE

# The rows a statement added (sign 1) and removed (-1), by trigger operation; an UPDATE counts only the rows whose
# counted columns changed (a touch writes nothing): the old and new rows' set differences.
COUNTED = "program_id, COALESCE(submitted_at, created_at), status, state_id, size, sector"
DELTAS = {
    "INSERT": f"SELECT id, {COUNTED}, 1 FROM new_rows",
    "DELETE": f"SELECT id, {COUNTED}, -1 FROM old_rows",
    # Set differences, never a join of the two transition tables (whose plan, at 94,000 rows, did not finish).
    "UPDATE": (
        f"SELECT x.*, -1 FROM (SELECT id, {COUNTED} FROM old_rows EXCEPT SELECT id, {COUNTED} FROM new_rows) x"
        " UNION ALL"
        f" SELECT y.*, 1 FROM (SELECT id, {COUNTED} FROM new_rows EXCEPT SELECT id, {COUNTED} FROM old_rows) y"
    ),
}

CONTRIBUTIONS = """
SELECT d.program_id, g.grain,
       CASE WHEN g.grain = 'm' THEN date_trunc('month', d.day::timestamp)::date ELSE d.day END AS period,
       d.status, b.dim, b.value, d.sign
FROM (
    SELECT program_id, (registered_at AT TIME ZONE '{zone}')::date AS day, status, state_id, size, sector, sign
    FROM ({rows}) r (id, program_id, registered_at, status, state_id, size, sector, sign)
) d
CROSS JOIN (VALUES ('m'), ('d')) g (grain)
CROSS JOIN LATERAL (
    VALUES ('all', ''), ('state', d.state_id::text), ('size', d.size), ('sector', d.sector)
) b (dim, value)
"""

# The suppliers a section reads only through another table's rows (``reports.selectors.SECTIONS``): a statement that
# writes one of them logs ``suppliers_supplier:<role>`` besides the table. Role -> (table, its rows of supplier r,
# its rows that make a supplier take the role, in a trigger's new_rows).
ROLES = {
    "diagnosed": (
        "assessments_diagnostic",
        "b.supplier_id = r.id AND b.is_current_baseline",
        "{r}.is_current_baseline",
    ),
    "invited": ("sourcing_invitation", "b.supplier_id = r.id", "true"),
}

NOTE_ROLE = """
        IF EXISTS (
            SELECT 1 FROM ({rows}) r (id, program_id, registered_at, status, state_id, size, sector, sign)
            JOIN {table} b ON {on}
        ) THEN
            PERFORM reports_note_suppliers('{role}');
        END IF;
"""

APPLY = """
        INSERT INTO reports_registrationtally AS t (program_id, grain, period, status, dim, value, xid, suppliers)
        SELECT program_id, grain, period, status, dim, value, pg_current_xact_id(), SUM(sign) FROM ({contributions}) c
        GROUP BY program_id, grain, period, status, dim, value
        HAVING SUM(sign) <> 0
        ON CONFLICT (program_id, grain, period, status, dim, value, xid)
        DO UPDATE SET suppliers = t.suppliers + EXCLUDED.suppliers;
{roles}"""

FUNCTION = """
CREATE FUNCTION reports_note_suppliers(role text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO reports_datachange AS c (tbl, xid) VALUES ('suppliers_supplier:' || role, pg_current_xact_id())
    ON CONFLICT (tbl, xid) DO UPDATE SET statements = c.statements + 1;
$$;
CREATE FUNCTION reports_count_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM reports_registrationtally;
{truncated}
    ELSIF TG_OP = 'INSERT' THEN
{insert}
    ELSIF TG_OP = 'DELETE' THEN
{delete}
    ELSE
{update}
    END IF;
    RETURN NULL;
END
$$;
""".format(
    truncated="".join(f"        PERFORM reports_note_suppliers('{role}');\n" for role in ROLES),
    **{
        op.lower(): APPLY.format(
            contributions=CONTRIBUTIONS.format(zone=TALLY_TIME_ZONE, rows=rows),
            roles="".join(
                NOTE_ROLE.format(rows=rows, role=role, table=table, on=on) for role, (table, on, _) in ROLES.items()
            ),
        )
        for op, rows in DELTAS.items()
    },
)

# A statement that gives suppliers a role (a new current baseline, a new invitation) locks them (FOR SHARE) first: it
# waits for a transaction still changing one of them and commits after it, and a transaction changing one of them
# afterwards waits for it and then sees the role (its trigger's statements read committed rows afresh). A cached
# section is thus never computed with a supplier's old row under versions its change would not move. Removing a role
# needs no lock: a supplier change that still sees the role logs it, one that does not no longer matters.
HOLD = """
CREATE FUNCTION reports_hold_{role}_suppliers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM suppliers_supplier s
        WHERE s.id IN (SELECT supplier_id FROM new_rows WHERE {taken_new})
        ORDER BY s.id FOR SHARE OF s;
    ELSE
        PERFORM 1 FROM suppliers_supplier s
        WHERE s.id IN (
            SELECT h.supplier_id FROM (
                SELECT new_rows.id, new_rows.supplier_id FROM new_rows WHERE {taken_new}
                EXCEPT SELECT old_rows.id, old_rows.supplier_id FROM old_rows WHERE {taken_old}
            ) h
        )
        ORDER BY s.id FOR SHARE OF s;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER reports_hold_inserted AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_hold_{role}_suppliers();
CREATE TRIGGER reports_hold_updated AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_hold_{role}_suppliers();
"""
HOLDS = "".join(
    HOLD.format(
        role=role,
        table=table,
        taken_new=taken.format(r="new_rows"),
        taken_old=taken.format(r="old_rows"),
    )
    for role, (table, _on, taken) in ROLES.items()
)
# The candidacies' rows without their decisions (reports.selectors.CANDIDATE_ROWS): logged when a statement adds or
# removes candidacies, or changes their cohort, supplier or growth index; a decision (status, proposal, reasons) is
# logged as a write of cohorts_candidate only.
# The current baselines (reports.selectors.CURRENT_BASELINES): logged when a statement adds, removes or changes a
# diagnostic that is or was a current baseline in what the sections read of it; scheduling or scoring a follow-up is
# logged as a write of assessments_diagnostic only.
BASELINE_COLUMNS = "{r}.is_current_baseline, {r}.supplier_id, {r}.framework_id, {r}.overall_score, {r}.maturity_level"
CURRENT_BASELINES = """
CREATE FUNCTION reports_note_current_baselines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows WHERE is_current_baseline) THEN
            RETURN NULL;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows WHERE is_current_baseline) THEN
            RETURN NULL;
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (
            SELECT 1 FROM (
                (SELECT n.id, {new}, n.scores_by_dimension FROM new_rows n
                 EXCEPT SELECT o.id, {old}, o.scores_by_dimension FROM old_rows o)
                UNION ALL
                (SELECT o.id, {old}, o.scores_by_dimension FROM old_rows o
                 EXCEPT SELECT n.id, {new}, n.scores_by_dimension FROM new_rows n)
            ) x
            WHERE x.is_current_baseline
        ) THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO reports_datachange AS c (tbl, xid) VALUES ('assessments_diagnostic:baselines', pg_current_xact_id())
    ON CONFLICT (tbl, xid) DO UPDATE SET statements = c.statements + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER reports_baselines_inserted AFTER INSERT ON assessments_diagnostic
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_note_current_baselines();
CREATE TRIGGER reports_baselines_updated AFTER UPDATE ON assessments_diagnostic
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_current_baselines();
CREATE TRIGGER reports_baselines_deleted AFTER DELETE ON assessments_diagnostic
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_note_current_baselines();
CREATE TRIGGER reports_baselines_truncated AFTER TRUNCATE ON assessments_diagnostic
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_current_baselines();
""".replace("{old}", BASELINE_COLUMNS.format(r="o")).replace("{new}", BASELINE_COLUMNS.format(r="n"))

CANDIDATE_ROWS = """
CREATE FUNCTION reports_note_candidate_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (
            SELECT n.id, n.cohort_id, n.supplier_id, n.growth_index FROM new_rows n
            EXCEPT SELECT o.id, o.cohort_id, o.supplier_id, o.growth_index FROM old_rows o
        ) THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO reports_datachange AS c (tbl, xid) VALUES ('cohorts_candidate:members', pg_current_xact_id())
    ON CONFLICT (tbl, xid) DO UPDATE SET statements = c.statements + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER reports_candidate_rows AFTER INSERT OR DELETE OR TRUNCATE ON cohorts_candidate
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_candidate_rows();
CREATE TRIGGER reports_candidate_rows_updated AFTER UPDATE ON cohorts_candidate
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_candidate_rows();
"""
UNHOLD = """
DROP TRIGGER reports_hold_inserted ON {table};
DROP TRIGGER reports_hold_updated ON {table};
DROP FUNCTION reports_hold_{role}_suppliers();
"""

CREATE = (
    """
CREATE TABLE reports_registrationtally (
    program_id bigint NOT NULL,
    grain char(1) NOT NULL CHECK (grain IN ('m', 'd')),
    period date NOT NULL,
    status varchar(10) NOT NULL,
    dim varchar(6) NOT NULL CHECK (dim IN ('all', 'state', 'size', 'sector')),
    value text NOT NULL,
    xid xid8 NOT NULL,
    suppliers bigint NOT NULL,
    PRIMARY KEY (program_id, grain, period, status, dim, value, xid)
);
"""
    + FUNCTION
    + """
CREATE TRIGGER reports_count_inserted AFTER INSERT ON suppliers_supplier
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_count_registrations();
CREATE TRIGGER reports_count_updated AFTER UPDATE ON suppliers_supplier
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_registrations();
CREATE TRIGGER reports_count_deleted AFTER DELETE ON suppliers_supplier
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_count_registrations();
CREATE TRIGGER reports_count_truncated AFTER TRUNCATE ON suppliers_supplier
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_registrations();

-- The tallies are read by a report section: their changes are logged like the tables they count.
CREATE TRIGGER reports_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reports_registrationtally
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change();

"""
    + HOLDS
    + CURRENT_BASELINES
    + CANDIDATE_ROWS
    + """
-- The suppliers already there, counted once.
INSERT INTO reports_registrationtally (program_id, grain, period, status, dim, value, xid, suppliers)
SELECT program_id, grain, period, status, dim, value, '0', SUM(sign) FROM ("""
    + CONTRIBUTIONS.format(zone=TALLY_TIME_ZONE, rows=f"SELECT id, {COUNTED}, 1 FROM suppliers_supplier")
    + """) c
GROUP BY program_id, grain, period, status, dim, value;
"""
)

DROP = """
DROP TRIGGER reports_count_inserted ON suppliers_supplier;
DROP TRIGGER reports_count_updated ON suppliers_supplier;
DROP TRIGGER reports_count_deleted ON suppliers_supplier;
DROP TRIGGER reports_count_truncated ON suppliers_supplier;
DROP FUNCTION reports_count_registrations();
DROP FUNCTION reports_note_suppliers(text);
DROP TABLE reports_registrationtally;
DROP TRIGGER reports_baselines_inserted ON assessments_diagnostic;
DROP TRIGGER reports_baselines_updated ON assessments_diagnostic;
DROP TRIGGER reports_baselines_deleted ON assessments_diagnostic;
DROP TRIGGER reports_baselines_truncated ON assessments_diagnostic;
DROP FUNCTION reports_note_current_baselines();
DROP TRIGGER reports_candidate_rows ON cohorts_candidate;
DROP TRIGGER reports_candidate_rows_updated ON cohorts_candidate;
DROP FUNCTION reports_note_candidate_rows();
DELETE FROM reports_datachange WHERE tbl LIKE '%:%';
""" + "".join(UNHOLD.format(role=role, table=table) for role, (table, _on, _taken) in ROLES.items())


class Migration(migrations.Migration):
    dependencies = [("reports", "0011_file_served_by_its_view")]

    operations = [migrations.RunSQL(CREATE, DROP)]
