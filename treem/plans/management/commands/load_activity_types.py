from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from treem.plans.activities.loading import DATA, load_types


class Command(BaseCommand):
    help = ("Load the activity types and training topics (a JSON file like "
            "treem/plans/data/activity_types.json): new codes added, known ones updated.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DATA))

    def handle(self, *args: object, **options: object) -> None:
        types, topics = load_types(path=Path(str(options["path"])))
        self.stdout.write(f"{types} activity types, {topics} topics loaded.")
