from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from treem.fund.catalogues import DATA, load_need_kinds


class Command(BaseCommand):
    help = ("Load the fund's kinds of need (a JSON file like treem/fund/data/need_kinds.json): "
            "new codes added, known ones updated.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DATA))

    def handle(self, *args: object, **options: object) -> None:
        kinds = load_need_kinds(path=Path(str(options["path"])))
        self.stdout.write(f"{kinds} kinds of need loaded.")
