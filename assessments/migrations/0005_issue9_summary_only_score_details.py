"""Issue 9: ``Diagnostic.score_details`` keeps the summary only.

Each question's contribution (``score_details["dimensions"]``, ~5 kB per diagnostic) is computed from
the answers when it is shown (``assessments.selectors.diagnostic_explanation``); the per-dimension
figures are the ``DimensionScore`` rows. Scoring compares the stored summary with the new one to
decide whether results changed, so stored explanations lose their ``dimensions`` key here (a
rescore would otherwise see every diagnostic as changed). Not reversible in data: rescoring
rebuilds nothing more than the summary either way.
"""
from django.db import migrations


def strip_dimensions(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("assessments", "Diagnostic")._meta.db_table)
    sql = (f"UPDATE {table} SET score_details = score_details - 'dimensions' "
           "WHERE jsonb_exists(score_details, 'dimensions')")
    schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_issue9_current_baseline")]

    operations = [
        migrations.RunPython(strip_dimensions, migrations.RunPython.noop, elidable=True),
    ]
