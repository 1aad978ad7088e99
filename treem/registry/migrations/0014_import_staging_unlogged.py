"""The import's staging table unlogged on PostgreSQL.

Staged children are scratch: written at validation, copied into the register at commit and
deleted. Unlogged, they cost no write-ahead log (about 100 MB per 100,000 rows staged, written
again by every replica) and are not replicated. After a server crash PostgreSQL empties an
unlogged table: a commit then finds the staging not whole and checks and stages the job's rows
anew from the job's own record of them (`jobs.commit`), so nothing is lost.
"""

from django.db import migrations


def _alter(persistence):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite has no write-ahead log of this kind to spare
        table = apps.get_model("registry", "ImportStagedChild")._meta.db_table
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} SET {persistence}")
    return alter


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0013_alter_childmerge_undo_reason_alter_importjob_status"),
    ]

    operations = [
        migrations.RunPython(_alter("UNLOGGED"), _alter("LOGGED")),
    ]
