"""A trigram index for the accent-insensitive name search on PostgreSQL.

"nguyen van an" must find "Nguyễn Văn An" among a province's million children in tens of
milliseconds: LIKE '%…%' on the folded name is served by a GIN trigram index. SQLite scans.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registry_child_name_trgm ON registry_child "
    "USING gin (name_folded gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_household_head_trgm ON registry_household "
    "USING gin (head_name_folded gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS registry_child_name_trgm",
    "DROP INDEX IF EXISTS registry_household_head_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_load_catalogues")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
