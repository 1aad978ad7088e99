"""The word-prefix name search, and fewer indexes to maintain on PostgreSQL.

`Child.name_prefixes` holds every prefix of every word of the folded name
(`treem.lib.text.word_prefixes`); on PostgreSQL a GIN index on it as an array finds the
children whose name has a word starting with each searched word. It replaces the trigram
index of the child's name (0003), which no query uses any more; the household's stays.

Django gives every indexed or unique varchar column a second `*_like` index
(varchar_pattern_ops) for `LIKE 'abc%'`. The registry needs none of them: `unit_path` has the
"C" collation, under which the plain btree serves a prefix LIKE itself (and scope queries are
ranges anyway), and no query compares the other columns (folded names, personal ids, source
keys, codes) by prefix: they are compared whole or by substring. Each one slowed every insert
of a bulk import. Django drops a `*_like` index with IF EXISTS when a later migration alters
its column, so their absence breaks no future migration.
"""

from django.db import migrations, models

from treem.lib.text import word_prefixes

# Names repeat (a province of a million children has a few tens of thousands of them): the
# prefixes of each distinct name are computed once. Same cut, caps and order as
# `word_prefixes`: runs of ASCII letters and digits, the first 80 of them (WORDS_MAX), each
# word's prefixes up to 20 letters (PREFIX_MAX), keys sorted byte-wise, one space between
# them. (The caps came later, with migration 0011, which recomputed the keys they change.)
BACKFILL = """
UPDATE registry_child AS child SET name_prefixes = keys.prefixes
FROM (
    SELECT name, string_agg(DISTINCT left(word[1], n) COLLATE "C", ' '
                            ORDER BY left(word[1], n) COLLATE "C") AS prefixes
    FROM (SELECT DISTINCT name_folded AS name FROM registry_child) AS names,
         regexp_matches(name, '[a-z0-9]+', 'g') WITH ORDINALITY AS words(word, place),
         generate_series(1, least(length(word[1]), 20)) AS n
    WHERE place <= 80
    GROUP BY name
) AS keys
WHERE child.name_folded = keys.name
"""
CREATE_INDEX = ("CREATE INDEX registry_child_name_prefixes ON registry_child "
                "USING gin (string_to_array(name_prefixes, ' '))")
TRIGRAM_INDEX = ("CREATE INDEX IF NOT EXISTS registry_child_name_trgm ON registry_child "
                 "USING gin (name_folded gin_trgm_ops)")
LIKE_INDEXES = """
SELECT indexname FROM pg_indexes
WHERE schemaname = current_schema() AND tablename LIKE 'registry\\_%%'
  AND indexname LIKE '%%\\_like' AND indexdef LIKE '%%pattern_ops%%'
"""


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LIKE_INDEXES)
            names = [row[0] for row in cursor.fetchall()]
        quote = schema_editor.quote_name
        for name in [*names, "registry_child_name_trgm"]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
    backfill(apps, schema_editor)
    if connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(BACKFILL)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("treem_word_prefixes", 1, word_prefixes,
                                              deterministic=True)
        schema_editor.execute("UPDATE registry_child "
                              "SET name_prefixes = treem_word_prefixes(name_folded)")
    else:  # no set-based way to cut words there: one UPDATE per distinct name
        Child = apps.get_model("registry", "Child")
        names = Child.objects.values_list("name_folded", flat=True).distinct()
        for name in names.iterator():
            Child.objects.filter(name_folded=name).update(name_prefixes=word_prefixes(name))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS registry_child_name_prefixes")
    schema_editor.execute(TRIGRAM_INDEX)
    for model in apps.get_app_config("registry").get_models():
        for field in model._meta.local_fields:
            if (field.db_index or field.unique) and not field.is_relation:
                sql = schema_editor._create_like_index_sql(model, field)
                if sql is not None:
                    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_import_job")]

    operations = [
        migrations.AddField(
            model_name="child",
            name="name_prefixes",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(forward, backward),
    ]
