from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartitionsConfig(AppConfig):
    name = "treem.partitions"
    verbose_name = _("Phân vùng dữ liệu theo tỉnh")

    def ready(self) -> None:
        from treem.partitions import services

        post_migrate.connect(services.after_migrate, dispatch_uid="treem.partitions")
