"""Append-only record of who did or saw what, when and from where.

An event holds the names of the fields a write changed, never their values: the audit trail must
not become a second copy of sensitive data. Events cannot be changed or deleted through the ORM
(save/delete/update raise) nor through SQL (triggers installed by migration 0002 abort them).
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField


class AppendOnlyError(RuntimeError):
    pass


class Action(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DELETE = "delete", _("Xóa")
    VIEW = "view", _("Xem hồ sơ nhạy cảm")
    EXPORT = "export", _("Xuất dữ liệu")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập không thành công")
    LOCKED = "locked", _("Khóa tài khoản do đăng nhập sai")
    UNLOCKED = "unlocked", _("Mở khóa đăng nhập")
    LOGOUT = "logout", _("Đăng xuất")
    LOGOUT_ALL = "logout_all", _("Đăng xuất mọi thiết bị")
    OTP_ENROLLED = "otp_enrolled", _("Kích hoạt xác thực hai lớp")
    OTP_VERIFIED = "otp_verified", _("Xác thực hai lớp thành công")
    OTP_FAILED = "otp_failed", _("Mã xác thực hai lớp sai")
    TOKEN_CREATED = "token_created", _("Tạo khóa API")
    TOKEN_REVOKED = "token_revoked", _("Thu hồi khóa API")
    DATA_LOADED = "data_loaded", _("Nạp dữ liệu")


class AuditEventQuerySet(ScopedQuerySet):
    scope_path = "unit_path"
    province_fields = ("province_code",)

    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("audit events cannot be updated")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list["AuditEvent"]:
        events = list(objs)
        for event in events:
            event.fill_province()
        return super().bulk_create(events, *args, **kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now)
    # Users are deactivated, never deleted, so the actor is kept; the username is copied so the
    # event still reads the same after a rename.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    roles = models.CharField(max_length=200, blank=True)
    unit = models.ForeignKey(
        "geo.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_path = PathField(max_length=64, blank=True)
    # The unit's province ("" for the nation): the partition of the event on PostgreSQL, with
    # its month (`treem.partitions`).
    province_code = models.CharField(max_length=2, blank=True, default="")
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()
    # Partitioned by month, then by this column, on PostgreSQL (`treem.partitions`).
    partitioned_by = "province_code"

    class Meta:
        ordering = ["-at", "-id"]
        # Django's internal manager would otherwise be a plain one with update() and delete().
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["unit_path", "at"], name="audit_event_scope_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_event_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        # Django saves a new instance that carries a primary key as an UPDATE of that row. On
        # PostgreSQL the key of a partitioned trail is (id, at, province), so a second row with
        # an existing id would not even collide: a new event takes its id from the sequence.
        if self.pk is not None:
            raise AppendOnlyError("a new audit event takes its id from the database")
        self.fill_province()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")

    def fill_province(self) -> None:
        """The unit's province, when the event was built without it: the scope's partitions
        are the only ones read, so an event without its province would be missed."""
        if not self.province_code and self.unit is not None:
            self.province_code = self.unit.province_code
