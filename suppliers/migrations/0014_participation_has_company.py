import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0013_one_company_per_rfc")]

    operations = [
        migrations.AlterField(
            model_name="supplier",
            name="company",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participations",
                to="suppliers.company",
                verbose_name="company",
            ),
        ),
    ]
