"""Pseudonymised extracts of the register for research and planning (Luật 91/2025/QH15;
docs/retention.md): asked for with a purpose by one officer, approved by another, produced
without names, personal ids or full birth dates, with small cells suppressed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField


class ExtractStatus(models.TextChoices):
    REQUESTED = "requested", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REFUSED = "refused", _("Không duyệt")
    PRODUCED = "produced", _("Đã xuất dữ liệu")


class ExtractField(models.TextChoices):
    """What an extract may hold beside the pseudonym and the quasi-identifiers (commune, birth
    month, sex, ethnicity), which every extract has."""

    CIRCUMSTANCES = "circumstances", _("Nhóm hoàn cảnh đặc biệt")
    DISABILITY = "disability", _("Dạng khuyết tật")
    SCHOOLING = "schooling", _("Tình trạng đi học")
    LIVING = "living", _("Hoàn cảnh sống")
    BIRTH_REGISTERED = "birth_registered", _("Đăng ký khai sinh")
    INSURANCE = "insurance", _("Bảo hiểm y tế")


class ExtractFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (.xlsx)")


class ExtractRequestQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class ExtractRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    purpose = models.TextField(_("mục đích sử dụng"))
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("phạm vi"))
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2, blank=True)
    fields = models.JSONField(_("các trường"), default=list)  # ExtractField values
    file_format = models.CharField(_("định dạng"), max_length=4, choices=ExtractFormat.choices,
                                   default=ExtractFormat.CSV)
    status = models.CharField(_("tình trạng"), max_length=10, choices=ExtractStatus.choices,
                              default=ExtractStatus.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True)
    # The key of the extract's pseudonyms (HMAC-SHA256 of a child's id): random per extract,
    # so two extracts cannot be joined on their pseudonyms. Never shown.
    secret = models.CharField(max_length=64, editable=False)
    produced_at = models.DateTimeField(null=True, blank=True)
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    suppressed_rows = models.PositiveIntegerField(default=0)

    objects = ExtractRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu trích xuất bí danh hóa")
        verbose_name_plural = _("yêu cầu trích xuất bí danh hóa")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"TX-{str(self.public_id)[:8].upper()}"

    def field_labels(self) -> list[str]:
        return [str(ExtractField(f).label) for f in self.fields if f in ExtractField.values]
