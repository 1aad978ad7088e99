"""The large tables partitioned by province on PostgreSQL, in place (`treem.partitions`).

Runs after every migration that made a foreign key to these tables (PostgreSQL refuses one
to a partitioned table) and after those that dropped them (`db_constraint=False`). A database
of a province's million children is copied table by table, in this migration's transaction:
plan the downtime (docs/scale.md). Going back leaves the partitions: they hold the same rows
and answer the same queries.
"""

from django.db import migrations


TABLES = ("registry.Child", "registry.ChildCircumstance", "registry.ChildRisk",
          "registry.ChildSupport", "registry.ChildResidence", "registry.ChildStatusPast",
          "cases.Case")


def forward(apps, schema_editor):
    from treem.partitions.services import partition_by_province

    partition_by_province(apps, schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0018_references_to_partitioned_tables"),
        ("cases", "0018_references_to_partitioned_tables"),
        ("fund", "0008_references_to_partitioned_tables"),
        ("plans", "0012_references_to_partitioned_tables"),
        ("privacy", "0006_references_to_partitioned_tables"),
        ("offline", "0001_initial"),
        ("audit", "0005_alter_auditevent_action"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
