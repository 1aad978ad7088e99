"""Load what the privacy app ships: the register of processing activities. Run at set-up and
after an upgrade; what an administrator edited is kept."""

from django.core.management.base import BaseCommand

from treem.privacy.processing import services


class Command(BaseCommand):
    help = "Nạp sổ đăng ký hoạt động xử lý dữ liệu cá nhân mặc định (giữ phần đã sửa)."

    def handle(self, *args: object, **options: object) -> None:
        added = services.defaults_load()
        if int(str(options.get("verbosity", 1))) > 0:
            self.stdout.write(f"processing activities added: {added}")
