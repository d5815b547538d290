"""The report's support section is cached against the change log too: the tables it reads log their writes."""

from django.db import migrations

# The tables the support section reads (reports/selectors/support.py) that the log did not follow yet;
# tests/reports/test_support_cache.py checks them against the section's queries.
TRACKED_TABLES = (
    "programs_certificationstandard",
    "support_provider",
    "support_developmentplan",
    "support_planitem",
    "support_milestone",
    "support_visit",
    "support_course",
    "support_trainingsession",
    "support_enrolment",
    "support_participant",
    "support_attendance",
)

TRIGGER = """
CREATE TRIGGER reports_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change();
"""

DROP = "DROP TRIGGER reports_data_change ON {table};"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_data_change_log"),
        ("programs", "0002_program_data_controller"),
        ("support", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "".join(TRIGGER.format(table=table) for table in TRACKED_TABLES),
            "".join(DROP.format(table=table) for table in TRACKED_TABLES),
        ),
    ]
