"""The sourcing opportunities, their supply areas and the invitations join the tables whose changes the report
cache is keyed by (``reports.cache``): the reports' sourcing results read them. The stored ranks
(``sourcing_match``) are not read by a report and stay out of the log."""

from django.db import migrations

TABLES = ("sourcing_opportunity", "sourcing_opportunity_areas", "sourcing_invitation")

TRIGGER = """
CREATE TRIGGER reports_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change();
"""
DROP = "DROP TRIGGER reports_data_change ON {table};"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_financing_tables_logged"),
        ("sourcing", "0001_opportunities_matches_invitations"),
    ]

    operations = [
        migrations.RunSQL(
            "".join(TRIGGER.format(table=t) for t in TABLES), "".join(DROP.format(table=t) for t in TABLES)
        ),
    ]
