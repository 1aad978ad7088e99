"""A collaborator's phone and the operations it sent.

An operation is kept whatever became of it (applied, refused for a conflict, held, invalid,
decided by a person): its id, made by the phone, is the key of idempotency, and its payload is
what the collaborator typed, so nothing sent is ever lost."""


from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.geo.paths import PathField


class Device(models.Model):
    """A phone enrolled by a collaborator. Its `secret` (kept hashed) lets it ask whether it
    must wipe itself even when its session has gone; `salt` is the salt of the key the phone
    derives from the password."""

    id = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("người dùng"))
    label = models.CharField(_("tên máy"), max_length=100, blank=True)
    secret_hash = models.CharField(max_length=128)
    salt = models.CharField(max_length=32)
    enrolled_at = models.DateTimeField(_("ngày đăng ký máy"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("lần liên lạc cuối"), null=True, blank=True)
    lost_at = models.DateTimeField(_("báo mất lúc"), null=True, blank=True)
    lost_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    wiped_at = models.DateTimeField(_("đã xóa dữ liệu trên máy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("máy của cộng tác viên")
        verbose_name_plural = _("máy của cộng tác viên")
        ordering = ["-last_seen_at", "-enrolled_at"]

    def __str__(self) -> str:
        return self.label or str(self.id)[:8]


class OperationKind(models.TextChoices):
    HOUSEHOLD_CREATE = "household_create", _("Đăng ký hộ gia đình")
    CHILD_REGISTER = "child_register", _("Đăng ký trẻ em")
    CHILD_UPDATE = "child_update", _("Cập nhật thông tin trẻ")
    CHILD_MOVE = "child_move", _("Trẻ chuyển nơi ở")
    CONCERN_RECORD = "concern_record", _("Báo tin về trẻ")


class OperationStatus(models.TextChoices):
    APPLIED = "applied", _("Đã cập nhật")
    CONFLICT = "conflict", _("Xung đột, chờ quyết định")
    HELD = "held", _("Tạm giữ, chờ quyết định")
    INVALID = "invalid", _("Không hợp lệ, cần sửa")
    RESOLVED = "resolved", _("Đã quyết định")
    DISMISSED = "dismissed", _("Đã bỏ qua")


# What still waits for a person.
WAITING = (OperationStatus.CONFLICT, OperationStatus.HELD)


class Operation(models.Model):
    id = models.UUIDField(primary_key=True)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="operations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("cộng tác viên"))
    kind = models.CharField(_("loại"), max_length=20, choices=OperationKind.choices)
    recorded_at = models.DateTimeField(_("ghi trên máy lúc"))
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(_("tình trạng"), max_length=10, choices=OperationStatus.choices)
    message = models.CharField(max_length=300, blank=True)
    errors = models.JSONField(default=dict, blank=True)
    conflicts = models.JSONField(default=list, blank=True)
    # Held for an earlier operation of the phone not applied yet: tried again when sent again.
    retry = models.BooleanField(default=False)
    # Where it belongs: the commune officer of `unit_path` reviews what waits.
    unit_path = PathField(max_length=64, db_index=True)
    # The record it changed or made (a child, a household) or the notification it made.
    record_id = models.UUIDField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("thao tác từ máy cộng tác viên")
        verbose_name_plural = _("thao tác từ máy cộng tác viên")
        ordering = ["received_at", "recorded_at"]
        indexes = [models.Index(fields=["status", "unit_path"], name="offline_op_waiting")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.recorded_at:%d/%m/%Y %H:%M}"
