"""A breach of personal data, as the auditors record it and notify it (docs/access-alerts.md).

Kept for ever: a record is created and corrected (each write audited), never deleted, so the
province can show what it knew and when it notified."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField


class DataCategory(models.TextChoices):
    """What the breached records held: basic data, and the sensitive data treem keeps on a
    child (Nghị định 356/2025/NĐ-CP lists both kinds)."""

    IDENTITY = "identity", _("Họ tên, ngày sinh, giới tính, mã định danh cá nhân")
    CONTACT = "contact", _("Địa chỉ, số điện thoại, nơi cư trú")
    FAMILY = "family", _("Thông tin gia đình, người chăm sóc")
    ETHNICITY = "ethnicity", _("Dân tộc")
    HEALTH = "health", _("Sức khỏe, khuyết tật")
    CIRCUMSTANCES = "circumstances", _("Hoàn cảnh đặc biệt, nguy cơ")
    ABUSE = "abuse", _("Vụ việc xâm hại, bạo lực, bóc lột (hồ sơ trường hợp)")
    REPORTER = "reporter", _("Danh tính người báo tin")
    ACCOUNTS = "accounts", _("Tài khoản, mật khẩu người dùng")


class BreachQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class Breach(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    unit_path = PathField(max_length=64)
    title = models.CharField(_("tóm tắt sự việc"), max_length=200)
    description = models.TextField(_("diễn biến sự việc"))
    happened_at = models.DateTimeField(_("thời điểm xảy ra"), null=True, blank=True)
    found_at = models.DateTimeField(_("thời điểm phát hiện"))
    children_affected = models.PositiveIntegerField(_("số trẻ em bị ảnh hưởng"), default=0)
    others_affected = models.PositiveIntegerField(_("số chủ thể khác bị ảnh hưởng"), default=0)
    categories = models.JSONField(_("loại dữ liệu bị ảnh hưởng"), default=list, blank=True)
    measures = models.TextField(_("biện pháp đã thực hiện"), blank=True)
    consequences = models.TextField(_("hậu quả, thiệt hại có thể xảy ra"), blank=True)
    authority_notified_at = models.DateTimeField(
        _("thời điểm thông báo cơ quan chuyên trách"), null=True, blank=True)
    authority_reference = models.CharField(_("số, ký hiệu văn bản thông báo"), max_length=100,
                                           blank=True)
    subjects_notified_at = models.DateTimeField(
        _("thời điểm thông báo chủ thể dữ liệu"), null=True, blank=True)
    subjects_notice = models.TextField(_("cách thông báo chủ thể dữ liệu"), blank=True)
    contact = models.CharField(_("người liên hệ"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = BreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("vi phạm dữ liệu cá nhân")
        verbose_name_plural = _("vi phạm dữ liệu cá nhân")
        ordering = ["-found_at", "-id"]
        indexes = [models.Index(fields=["unit_path", "found_at"], name="privacy_breach_scope_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self) -> datetime.datetime:
        from treem.privacy.alerts.law import notification_deadline

        return notification_deadline(self.found_at)

    def is_overdue(self, at: datetime.datetime | None = None) -> bool:
        """Notified to the agency after the deadline, or not yet and the deadline passed."""
        return (self.authority_notified_at or at or timezone.now()) > self.deadline

    @property
    def overdue(self) -> bool:
        return self.is_overdue()
