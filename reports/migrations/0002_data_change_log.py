"""The change log that report figures are cached against (reports/cache.py).

Every statement that writes a table the reports read (INSERT, UPDATE, DELETE, COPY, TRUNCATE) counts
itself in one row per transaction, in that transaction, by a statement-level trigger: a report is
cached under the log's state, which changes exactly when the data the reports read has changed.
"""

from django.db import migrations

# Every table a report reads (tests/reports/test_freshness.py checks it against the report's queries).
TRACKED_TABLES = (
    "programs_program",
    "programs_phase",
    "programs_state",
    "programs_region",
    "programs_criticalsupplyarea",
    "programs_anchorcompany",
    "programs_criticalsupplyarea_anchors",
    "suppliers_supplier",
    "suppliers_supplier_supply_areas",
    "assessments_framework",
    "assessments_diagnostic",
    "assessments_dimension",
    "assessments_dimensionscore",
    "cohorts_cohort",
    "cohorts_candidate",
    "cohorts_intervention",
)

CREATE = """
CREATE TABLE reports_datachange (
    xid xid8 PRIMARY KEY,
    statements bigint NOT NULL DEFAULT 1 CHECK (statements > 0)
);
CREATE FUNCTION reports_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_datachange AS c (xid) VALUES (pg_current_xact_id())
    ON CONFLICT (xid) DO UPDATE SET statements = c.statements + 1;
    RETURN NULL;
END
$$;
-- A TRUNCATE of the log itself (a test database being emptied) is logged after it.
CREATE TRIGGER reports_log_truncated AFTER TRUNCATE ON reports_datachange
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change();
"""

TRIGGER = """
CREATE TRIGGER reports_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change();
"""

DROP = "DROP TABLE reports_datachange; DROP FUNCTION reports_note_change() CASCADE;"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("programs", "0002_program_data_controller"),
        ("suppliers", "0006_registration_draft"),
        ("assessments", "0003_question_trigger_level"),
        ("cohorts", "0004_cohort_floor_reasons_reentry"),
    ]

    operations = [
        migrations.RunSQL(CREATE + "".join(TRIGGER.format(table=table) for table in TRACKED_TABLES), DROP),
    ]
