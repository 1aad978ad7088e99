"""Unusual access flagged to the auditors (docs/access-alerts.md).

An alert is made by the `privacy_alerts` command from the audit trail, never by hand: one per
rule, subject (a user, or an address for failed sign-ins), local day and province where the
events fell, so that running the detection again creates nothing twice and each province's
auditors see what happened in their province. Auditors acknowledge or dismiss it, with a note.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField


class Rule(models.TextChoices):
    HEAVY_READING = "heavy_reading", _("Xem nhiều hồ sơ trẻ em bất thường trong ngày")
    OUTSIDE_AREA = "outside_area", _("Xem hồ sơ trẻ em ngoài địa bàn được giao")
    NIGHT_EXPORT = "night_export", _("Xuất dữ liệu ban đêm")
    FAILED_SIGN_INS = "failed_sign_ins", _("Nhiều lần đăng nhập sai từ một địa chỉ")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Chưa xử lý")
    ACKNOWLEDGED = "acknowledged", _("Đã ghi nhận")
    DISMISSED = "dismissed", _("Đã bỏ qua (không bất thường)")


# An alert acknowledged may still turn out harmless; a dismissed one is closed.
ALLOWED: dict[str, tuple[str, ...]] = {
    AlertStatus.OPEN: (AlertStatus.ACKNOWLEDGED, AlertStatus.DISMISSED),
    AlertStatus.ACKNOWLEDGED: (AlertStatus.DISMISSED,),
    AlertStatus.DISMISSED: (),
}


class AccessAlertQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class AccessAlert(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rule = models.CharField(_("dấu hiệu"), max_length=20, choices=Rule.choices)
    # "user:<id>" or "ip:<address>": one column, so that the key of idempotence has no NULL
    # (two NULLs never collide in a unique index).
    subject_key = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    username = models.CharField(_("tài khoản"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    day = models.DateField(_("ngày"))
    # The province (or the nation, for events of no province) the events fell in: part of the
    # key. `unit`/`unit_path` is the smallest unit holding all of them: the alert's scope.
    province_path = PathField(max_length=64)
    unit = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    unit_path = PathField(max_length=64)
    count = models.PositiveIntegerField(_("số sự kiện"))
    # The user's median daily reads before that day (rule heavy_reading only), in tenths.
    baseline = models.DecimalField(_("mức thường ngày"), max_digits=10, decimal_places=1,
                                   null=True, blank=True)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    detected_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("trạng thái"), max_length=12, choices=AlertStatus.choices,
                              default=AlertStatus.OPEN)
    note = models.TextField(_("ghi chú"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = AccessAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("cảnh báo truy cập bất thường")
        verbose_name_plural = _("cảnh báo truy cập bất thường")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject_key", "day", "province_path"],
                                    name="privacy_alert_once_per_day"),
        ]
        indexes = [
            models.Index(fields=["unit_path", "day"], name="privacy_alert_scope_idx"),
            models.Index(fields=["status", "day"], name="privacy_alert_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.rule} {self.username or self.ip}"

    @property
    def subject(self) -> str:
        return self.username or str(self.ip or "")
