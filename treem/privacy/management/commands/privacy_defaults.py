"""Load what the privacy app ships: each current province's register of processing activities
and the default retention rules. Run at set-up and after an upgrade (idempotent): what an
administrator edited or set is kept."""

from typing import Any

from django.core.management.base import BaseCommand

from treem.privacy.models import RetentionRule, RetentionRuleVersion
from treem.privacy.processing import services
from treem.privacy.retention.defaults import load_defaults


class Command(BaseCommand):
    help = ("Nạp sổ đăng ký hoạt động xử lý dữ liệu cá nhân và các quy tắc lưu trữ mặc định còn "
            "thiếu (giữ phần đã sửa).")

    def handle(self, *args: Any, **options: Any) -> None:
        activities = services.defaults_load()
        rules = load_defaults(RetentionRule, RetentionRuleVersion)
        if int(options.get("verbosity", 1)) > 0:
            self.stdout.write(f"processing activities added: {activities}; "
                              f"retention rules created: {rules}")
