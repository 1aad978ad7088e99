from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditLogConfig(AppConfig):
    """The auditors' pages over the trail. The trail itself (`treem.audit`) sits below accounts,
    so that signing in can write its events; these pages sit above, where capabilities are."""

    name = "treem.auditlog"
    label = "auditlog"
    verbose_name = _("Nhật ký hệ thống")
