"""Issue 9: ``Diagnostic.scores_by_dimension``, each dimension code's score as the DimensionScore rows
hold it (text, null when incomplete), filled here for the diagnostics already scored. Scoring writes it
with the rows from now on; the reports read it instead of joining every DimensionScore row."""
from django.db import migrations, models


def fill(apps, schema_editor):
    Diagnostic = apps.get_model("assessments", "Diagnostic")
    DimensionScore = apps.get_model("assessments", "DimensionScore")
    quote = schema_editor.quote_name
    schema_editor.execute(f"""
        UPDATE {quote(Diagnostic._meta.db_table)} d SET scores_by_dimension = x.scores
        FROM (SELECT s.diagnostic_id, jsonb_object_agg(dim.code, s.score::text) AS scores
              FROM {quote(DimensionScore._meta.db_table)} s
              JOIN {quote(apps.get_model("assessments", "Dimension")._meta.db_table)} dim
                  ON dim.id = s.dimension_id
              GROUP BY s.diagnostic_id) x
        WHERE x.diagnostic_id = d.id""", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0006_issue9_alignment_inputs_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="diagnostic",
            name="scores_by_dimension",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="scores by dimension"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
