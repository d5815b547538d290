"""The report's hours delivered read the support visits and training attendance: their writes are logged
in the change log the report figures are cached against (see 0002)."""

from django.db import migrations

TABLES = (
    "support_visit",
    "support_attendance",
    "support_trainingsession",
    "support_participant",
    "support_enrolment",
)

TRIGGER = """
CREATE TRIGGER reports_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change();
"""

DROP = "DROP TRIGGER reports_data_change ON {table};"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_data_change_log"),
        ("support", "0002_interventions_to_support_records"),
    ]
    # The log's triggers (0002) are created while the table of the flat support rows still exists.
    run_before = [("cohorts", "0005_remove_intervention")]

    operations = [
        migrations.RunSQL(
            "".join(TRIGGER.format(table=t) for t in TABLES), "".join(DROP.format(table=t) for t in TABLES)
        ),
    ]
