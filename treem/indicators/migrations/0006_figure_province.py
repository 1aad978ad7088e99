"""The province of each sector figure (its partition key on PostgreSQL), from its unit."""

from django.db import migrations, models

FILL = """
UPDATE indicators_sectorfigure SET province_code = (
    SELECT province_code FROM geo_unit WHERE geo_unit.id = indicators_sectorfigure.unit_id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0005_alter_indicatorversion_agency"),
    ]

    operations = [
        migrations.AddField(
            model_name="sectorfigure",
            name="province_code",
            field=models.CharField(blank=True, default="", max_length=2),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
