"""The audit trail partitioned by month, then province, on PostgreSQL (`treem.partitions`).

Made from the month of the first event to three months ahead; `manage.py partitions` (run
every month) makes the months after. The append-only triggers are put on every partition.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from treem.partitions.services import partition_trail

    partition_trail(apps, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("partitions", "0001_province_partitions"),
        ("audit", "0006_event_province"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
