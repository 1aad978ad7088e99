from django.db import migrations


def load(apps, schema_editor):
    from treem.cases.holidays import load_calendar

    load_calendar(apps.get_model("cases", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
