from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.plans.child_friendly.loading import CriteriaError, load_file, load_shipped


class Command(BaseCommand):
    help = ("Load the criteria of the child-friendly commune (Quyết định 06/QĐ-TTg, or a file "
            "of a decision replacing it, in the same JSON shape): the shipped versions without "
            "a path.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?")

    def handle(self, *args: object, **options: object) -> None:
        try:
            versions = ([load_file(Path(str(options["path"])))] if options["path"]
                        else load_shipped())
        except CriteriaError as error:
            raise CommandError("\n".join(error.problems)) from error
        if not options["verbosity"]:
            return
        for version in versions:
            state = "complete" if version.complete else "incomplete: gives no verdict"
            self.stdout.write(f"{version.code}: {version.criteria.count()} criteria ({state})")
