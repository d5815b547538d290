"""The report's results section is cached against the change log too: the follow-up rounds, the indicator values
and the impact estimates stored when a round closes log their writes."""

from django.db import migrations

# The tables the results section reads (reports/selectors/results.py) that the log did not follow yet;
# tests/reports/test_results.py checks the section's queries against 0002 and these.
TRACKED_TABLES = ("outcomes_outcomeround", "outcomes_indicatorvalue", "outcomes_impactestimate")

TRIGGER = """
CREATE TRIGGER reports_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change();
"""
DROP = "DROP TRIGGER reports_data_change ON {table};"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_report_export_sourcing_kind"),
        ("outcomes", "0002_recorded_figures_indicator_values"),
    ]

    operations = [
        migrations.RunSQL(
            "".join(TRIGGER.format(table=t) for t in TRACKED_TABLES),
            "".join(DROP.format(table=t) for t in TRACKED_TABLES),
        ),
    ]
