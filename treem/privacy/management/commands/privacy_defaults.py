"""`manage.py privacy_defaults`: the default retention rules, where none was set (idempotent;
`make run` calls it after migrating)."""

from typing import Any

from django.core.management.base import BaseCommand

from treem.privacy.models import RetentionRule, RetentionRuleVersion
from treem.privacy.retention.defaults import load_defaults


class Command(BaseCommand):
    help = "Nạp các quy tắc lưu trữ mặc định còn thiếu (không ghi đè quy tắc đã đặt)."

    def handle(self, *args: Any, **options: Any) -> None:
        made = load_defaults(RetentionRule, RetentionRuleVersion)
        self.stdout.write(f"retention rules created: {made}")
