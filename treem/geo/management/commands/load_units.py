from django.core.management.base import BaseCommand

from treem.geo.loading import load_official_units


class Command(BaseCommand):
    help = "Load Viet Nam's administrative units (before and after 1 July 2025) and the mapping."

    def handle(self, *args: object, **options: object) -> None:
        result = load_official_units()
        if not result.loaded:
            self.stdout.write(f"Units already loaded from vietnamadminunits {result.version}.")
            return
        for name, count in result.counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Loaded units from vietnamadminunits {result.version}."))
