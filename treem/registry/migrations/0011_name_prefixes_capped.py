"""The word-prefix keys of the name search, capped (`treem.lib.text.PREFIX_MAX`, `WORDS_MAX`).

`word_prefixes` kept every prefix of every word: a name with a 100,000-letter word made five
billion characters of keys. It now keeps prefixes of up to 20 letters of the first 80 words;
no real name has a longer word or more words (the register takes 150 characters), so only
the keys of names made of such words change. They are recomputed here, the same way as
migration 0005's backfill: on PostgreSQL in SQL, for the distinct names that have a word of
more than 20 letters or more than 80 words, elsewhere in Python where the keys differ.
"""

from django.db import migrations

from treem.lib.text import word_prefixes

# Migration 0005's cut (ASCII letters and digits, 80 words, prefixes of up to 20 letters,
# sorted byte-wise), for the names the caps change.
RECOMPUTE = """
UPDATE registry_child AS child SET name_prefixes = keys.prefixes
FROM (
    SELECT name, string_agg(DISTINCT left(word[1], n) COLLATE "C", ' '
                            ORDER BY left(word[1], n) COLLATE "C") AS prefixes
    FROM (SELECT DISTINCT name_folded AS name FROM registry_child
          WHERE name_folded ~ '[a-z0-9]{21}'
             OR name_folded ~ '([a-z0-9]+[^a-z0-9]+){80}[a-z0-9]') AS names,
         regexp_matches(name, '[a-z0-9]+', 'g') WITH ORDINALITY AS words(word, place),
         generate_series(1, least(length(word[1]), 20)) AS n
    WHERE place <= 80
    GROUP BY name
) AS keys
WHERE child.name_folded = keys.name
"""


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(RECOMPUTE)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("treem_word_prefixes", 1, word_prefixes,
                                              deterministic=True)
        # A word of 21 letters, or 81 words, take more than 20 characters.
        schema_editor.execute("UPDATE registry_child "
                              "SET name_prefixes = treem_word_prefixes(name_folded) "
                              "WHERE length(name_folded) > 20 "
                              "AND name_prefixes <> treem_word_prefixes(name_folded)")
    else:
        Child = apps.get_model("registry", "Child")
        names = Child.objects.values_list("name_folded", flat=True).distinct()
        for name in names.iterator():
            Child.objects.filter(name_folded=name).exclude(
                name_prefixes=word_prefixes(name)).update(name_prefixes=word_prefixes(name))


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_record_versions")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
