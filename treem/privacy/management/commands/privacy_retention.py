"""The daily retention job: `manage.py privacy_retention [--today YYYY-MM-DD]`."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.privacy.retention.services import retention_run


class Command(BaseCommand):
    help = ("Liệt kê các hồ sơ đã hết thời hạn lưu trữ để cán bộ xem xét (chạy hằng ngày; "
            "chạy lại không tạo trùng).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today: YYYY-MM-DD") from error
        counts = retention_run(today=today)
        self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
