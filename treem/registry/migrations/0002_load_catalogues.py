from django.db import migrations


def load(apps, schema_editor):
    # The catalogues' rules (upsert by code, never delete) live in one place, for this
    # migration (with its historical models) and for `manage.py load_catalogues`.
    from treem.registry.catalogues import load_catalogues

    load_catalogues(ethnicity_model=apps.get_model("registry", "Ethnicity"),
                    group_model=apps.get_model("registry", "CircumstanceGroup"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
