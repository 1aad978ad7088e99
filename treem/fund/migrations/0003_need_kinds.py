"""The kinds of need the local plans name (treem/fund/data/need_kinds.json)."""

from django.db import migrations


def add(apps, schema_editor):
    from treem.fund.catalogues import load_need_kinds

    load_need_kinds(model=apps.get_model("fund", "NeedKind"))


class Migration(migrations.Migration):
    dependencies = [("fund", "0002_needs_allocations")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
