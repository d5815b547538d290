"""Issue 9: ``Diagnostic.scores_by_dimension``, each dimension code's score as the DimensionScore rows
hold it (text, null when incomplete), filled here for the diagnostics already scored. Scoring writes it
with the rows from now on; the reports read it instead of joining every DimensionScore row."""
from collections import defaultdict

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    Diagnostic = apps.get_model("assessments", "Diagnostic")
    DimensionScore = apps.get_model("assessments", "DimensionScore")
    if schema_editor.connection.vendor == "postgresql":
        quote = schema_editor.quote_name
        schema_editor.execute(f"""
            UPDATE {quote(Diagnostic._meta.db_table)} d SET scores_by_dimension = x.scores
            FROM (SELECT s.diagnostic_id, jsonb_object_agg(dim.code, s.score::text) AS scores
                  FROM {quote(DimensionScore._meta.db_table)} s
                  JOIN {quote(apps.get_model("assessments", "Dimension")._meta.db_table)} dim
                      ON dim.id = s.dimension_id
                  GROUP BY s.diagnostic_id) x
            WHERE x.diagnostic_id = d.id""", params=None)
        return
    ids = list(DimensionScore.objects.values_list("diagnostic_id", flat=True).distinct().order_by("diagnostic_id"))
    for start in range(0, len(ids), BATCH):
        part = ids[start:start + BATCH]
        scores = defaultdict(dict)
        for diagnostic_id, code, score in DimensionScore.objects.filter(diagnostic_id__in=part).values_list(
                "diagnostic_id", "dimension__code", "score"):
            scores[diagnostic_id][code] = None if score is None else str(score)
        diagnostics = list(Diagnostic.objects.filter(pk__in=part).only("pk"))
        for diagnostic in diagnostics:
            diagnostic.scores_by_dimension = scores[diagnostic.pk]
        Diagnostic.objects.bulk_update(diagnostics, ["scores_by_dimension"])


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
