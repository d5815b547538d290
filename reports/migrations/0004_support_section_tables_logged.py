"""The report's support section is cached against the change log too: the tables it reads that 0002 and 0003
do not follow log their writes."""

from django.db import migrations

# The tables the support section reads (reports/selectors/support.py) that the log did not follow yet;
# tests/reports/test_support_cache.py checks the section's queries against 0002, 0003 and these.
TRACKED_TABLES = (
    "programs_certificationstandard",
    "support_provider",
    "support_developmentplan",
    "support_planitem",
    "support_milestone",
    "support_course",
)

TRIGGER = """
CREATE TRIGGER reports_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change();
"""

DROP = "DROP TRIGGER reports_data_change ON {table};"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_support_tables_logged"),
        ("programs", "0002_program_data_controller"),
    ]

    operations = [
        migrations.RunSQL(
            "".join(TRIGGER.format(table=table) for table in TRACKED_TABLES),
            "".join(DROP.format(table=table) for table in TRACKED_TABLES),
        ),
    ]
