"""`manage.py partitions`: make the audit trail's coming months (run it monthly, e.g. from
cron; `migrate` does it too), show the partitioned tables, and detach old months for archival."""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from treem.partitions import services
from treem.partitions.tables import MONTHS_AHEAD


class Command(BaseCommand):
    help = ("Make the audit trail's partitions for the coming months, list the partitioned "
            "tables, and (--archive-before) detach the trail's old months for archival.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ahead", type=int, default=MONTHS_AHEAD,
                            help="months after this one to make (default %(default)s)")
        parser.add_argument("--archive-before", metavar="YYYY-MM", default="",
                            help="detach every month of the trail before this one")

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite: no partitions (its tables stay whole).")
            return
        ahead = int(options["ahead"])  # type: ignore[call-overload]
        if ahead < 0:
            raise CommandError("--ahead must be 0 or more.")
        with transaction.atomic():
            made, left = services.add_trail_months(connection, ahead=ahead)
        for name in made:
            self.stdout.write(f"made {name}")
        for name in left:
            self.stderr.write(f"left {name}: the default partition already holds events of "
                              "that month; they stay there, read like the others")
        before = str(options["archive_before"] or "")
        if before:
            try:
                month = datetime.date.fromisoformat(f"{before}-01")
            except ValueError as error:
                raise CommandError(f"--archive-before takes a month, YYYY-MM: {before!r}") \
                    from error
            with transaction.atomic():
                detached = services.archive_months(connection, month)
            for name in detached:
                self.stdout.write(f"detached {name}: copy it (pg_dump --table='{name}*'), check "
                                  "the copy, then drop it as the database owner")
        for table, leaves, rows in services.summary(connection):
            self.stdout.write(f"{table}: {leaves} partitions, about {rows:,} rows")
