from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "treem.audit"
    label = "audit"
    verbose_name = _("Nhật ký hệ thống")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from treem.audit import context

        request_finished.connect(context.clear, dispatch_uid="treem.audit.context.clear")
