"""`manage.py load_indicators`: the indicator sets shipped in treem/indicators/data (the
national statistical set, and the plans' sets with their targets, once the administrative
units are loaded), then the report schedules that name them. Safe to run again: a changed
definition becomes a new version."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from treem.indicators.catalogue import CatalogueError, load_all


class Command(BaseCommand):
    help = "Load the indicator sets shipped with treem (after the administrative units)."

    def handle(self, *args: Any, **options: Any) -> None:
        from treem.reports.loading import load_schedules

        try:
            sets = load_all()
            load_schedules()  # the report schedules name the sets
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        for indicator_set in sets if options["verbosity"] > 0 else ():
            self.stdout.write(f"{indicator_set.code}: {indicator_set.indicators.count()} indicators")
