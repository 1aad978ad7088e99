import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from treem.privacy.alerts.detection import detect


class Command(BaseCommand):
    help = ("Flag unusual access to the auditors (docs/access-alerts.md): reads far above a "
            "user's usual, reads outside the user's area, exports at night, many failed "
            "sign-ins from one address. Reads the audit trail of yesterday and today (local "
            "time) unless --day or --days say otherwise; safe to run hourly and nightly: an "
            "alert is made once per rule, subject, day and province, later runs update its "
            "counts.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="one day, YYYY-MM-DD (local time)")
        parser.add_argument("--days", type=int, default=2,
                            help="the last N days up to today (default 2: yesterday and today)")

    def handle(self, *args: object, **options: object) -> None:
        today = timezone.localdate()
        if options["day"]:
            try:
                days = [datetime.date.fromisoformat(str(options["day"]))]
            except ValueError as error:
                raise CommandError(f"--day must be YYYY-MM-DD: {error}") from error
        else:
            count = int(options["days"])  # type: ignore[call-overload]
            if not 1 <= count <= 366:
                raise CommandError("--days must be from 1 to 366")
            days = [today - datetime.timedelta(days=back) for back in range(count - 1, -1, -1)]
        for day in days:
            found = detect(day=day)
            rules = ", ".join(f"{rule} {n}" for rule, n in found.per_rule.items())
            self.stdout.write(f"{day}: {found.created} new alerts ({rules})")
