"""`manage.py send_task_reminders`: e-mail each agency's focal points the tasks due within a
few days or overdue (run daily, e.g. from cron). Safe to run again the same day."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from treem.plans.reminders import DAYS_BEFORE, send_task_reminders


class Command(BaseCommand):
    help = "E-mail focal points the tasks of their agencies that are due soon or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=DAYS_BEFORE,
                            help="remind this many days before a due date")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_task_reminders(today=timezone.localdate(), days=options["days"])
        self.stdout.write(f"reminders sent: {sent}")
