from django.core.management.base import BaseCommand

from treem.registry.catalogues import load_catalogues


class Command(BaseCommand):
    help = "Load or update the ethnic groups and special-circumstance groups from registry/data."

    def handle(self, *args: object, **options: object) -> None:
        for name, count in load_catalogues().items():
            self.stdout.write(f"  {name}: {count}")
