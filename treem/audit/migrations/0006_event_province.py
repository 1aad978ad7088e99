"""The province of each event (the partition key of the trail on PostgreSQL), filled from its
unit. The append-only triggers are lifted for the fill and put back; SQLite rebuilds the table
to add the column, which drops them, so they are put back there too."""

from django.db import migrations, models

from treem.audit import triggers

FILL = """
UPDATE audit_auditevent SET province_code = (
    SELECT province_code FROM geo_unit WHERE geo_unit.id = audit_auditevent.unit_id)
WHERE unit_id IS NOT NULL
"""


def fill(apps, schema_editor):
    connection = schema_editor.connection
    triggers.remove(connection)
    schema_editor.execute(FILL)
    triggers.install(connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0005_alter_auditevent_action"),
        ("geo", "0002_village_name_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="province_code",
            field=models.CharField(blank=True, default="", max_length=2),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
