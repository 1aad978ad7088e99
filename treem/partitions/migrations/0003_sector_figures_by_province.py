"""The sector figures (the indicators' entered values) partitioned by province on PostgreSQL,
as the tables of 0001."""

from django.db import migrations


def forward(apps, schema_editor):
    from treem.partitions.services import partition_by_province

    partition_by_province(apps, schema_editor.connection, ("indicators.SectorFigure",))


class Migration(migrations.Migration):
    dependencies = [
        ("partitions", "0002_trail_by_month_and_province"),
        ("indicators", "0006_figure_province"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
