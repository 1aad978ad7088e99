from django.db import migrations


def load(apps, schema_editor):
    """Ngày Văn hóa Việt Nam, 24/11/2026, added to the data after 0002 ran: load the verified
    days that are missing (days an administrator already entered or removed stay as they are)."""
    from treem.cases.holidays import load_calendar

    load_calendar(apps.get_model("cases", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_case_share")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
