from django.db import migrations, models


def size_to_range(apps, schema_editor):
    """An existing cohort's single size becomes its minimum and maximum; an approved or closed one keeps
    the places its decisions filled (selected, and withdrawn after selection)."""
    Cohort = apps.get_model("cohorts", "Cohort")
    Candidate = apps.get_model("cohorts", "Candidate")
    for cohort in Cohort.objects.all():
        cohort.max_size = cohort.min_size
        if cohort.status in ("approved", "closed"):
            cohort.places = Candidate.objects.filter(cohort=cohort, status__in=["selected", "withdrawn"]).count()
        cohort.save(update_fields=["max_size", "places"])


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0002_free_text_refuses_control_characters"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="cohort", name="cohort_target_size_positive"),
        migrations.RenameField(model_name="cohort", old_name="target_size", new_name="min_size"),
        migrations.AddField(
            model_name="cohort",
            name="max_size",
            field=models.PositiveIntegerField(default=55, verbose_name="maximum cohort size"),
        ),
        migrations.AddField(
            model_name="cohort",
            name="places",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="places"),
        ),
        migrations.RunPython(size_to_range, migrations.RunPython.noop),
    ]
