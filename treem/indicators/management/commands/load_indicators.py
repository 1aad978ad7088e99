"""`manage.py load_indicators`: the indicator sets shipped in treem/indicators/data (the
national statistical set, and the plans' sets with their targets, once the administrative
units are loaded). Safe to run again: a changed definition becomes a new version. The report
schedules that name the sets load after them (`load_schedules`, in reports)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from treem.indicators.catalogue import CatalogueError, load_all


class Command(BaseCommand):
    help = "Load the indicator sets shipped with treem (after the administrative units)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sets = load_all()
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        for indicator_set in sets if options["verbosity"] > 0 else ():
            self.stdout.write(f"{indicator_set.code}: {indicator_set.indicators.count()} indicators")
