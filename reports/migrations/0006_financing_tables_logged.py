"""The financing cases and their disbursements join the tables whose changes the report cache is keyed by
(``reports.cache``): the cohort report's financing funnel reads them."""

from django.db import migrations

TABLES = ("support_financingcase", "support_disbursement")

TRIGGER = """
CREATE TRIGGER reports_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change();
"""
DROP = "DROP TRIGGER reports_data_change ON {table};"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_report_export_program"),
        ("support", "0003_financing_cases"),
    ]

    operations = [
        migrations.RunSQL(
            "".join(TRIGGER.format(table=t) for t in TABLES), "".join(DROP.format(table=t) for t in TABLES)
        ),
    ]
