"""`manage.py load_schedules`: the report schedules shipped in treem/reports/data, after the
indicator sets they name (`load_indicators`). Safe to run again."""

from typing import Any

from django.core.management.base import BaseCommand

from treem.reports.loading import load_schedules


class Command(BaseCommand):
    help = "Load the report schedules shipped with treem (after load_indicators)."

    def handle(self, *args: Any, **options: Any) -> None:
        schedules = load_schedules()
        if options["verbosity"] > 0:
            self.stdout.write(f"{len(schedules)} report schedules")
