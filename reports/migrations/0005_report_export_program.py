import django.db.models.deletion
from django.db import migrations, models


def program_from_params(apps, schema_editor):
    """Each export's program, read from the scope it was requested with."""
    ReportExport = apps.get_model("reports", "ReportExport")
    Program = apps.get_model("programs", "Program")
    known = set(Program.objects.values_list("pk", flat=True))
    for export in ReportExport.objects.only("pk", "params").iterator():
        program_id = (export.params or {}).get("program")
        if program_id in known:
            ReportExport.objects.filter(pk=export.pk).update(program_id=program_id)
    # An export whose program is gone can no longer be scoped to anyone's programs: it is removed
    # (its file can be requested again).
    ReportExport.objects.filter(program__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_program_staff"),
        ("reports", "0004_support_section_tables_logged"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportexport",
            name="program",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="report_exports",
                to="programs.program",
                verbose_name="program",
            ),
        ),
        migrations.RunPython(program_from_params, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportexport",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="report_exports",
                to="programs.program",
                verbose_name="program",
            ),
        ),
    ]
