"""Daily housekeeping: `manage.py purge_sign_in_throttles` (docs/deployment.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from treem.accounts.services import throttle_purge


class Command(BaseCommand):
    help = "Xóa các bộ đếm đăng nhập sai đã hết tác dụng (không khóa, không dùng trong 90 ngày)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = throttle_purge()
        self.stdout.write(f"{deleted}")
