"""Retention of personal data (Luật 91/2025/QH15; docs/retention.md): how long each kind of
record is kept, what reached its end, the officer's review, and the legal holds that stop it.

The rules are data, versioned with who changed them and why: the periods are a province's
decision under archival and child-protection law, and the figures shipped are placeholders
marked unverified until someone who has read the texts sets them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField
from treem.privacy.models.register import RecordKind


class RetentionEvent(models.TextChoices):
    """The day a retention period counts from."""

    CASE_CLOSED = "case_closed", _("Ngày kết thúc hồ sơ vụ việc")
    CHILD_ADULT = "child_adult", _("Ngày trẻ đủ 18 tuổi")
    LAST_UPDATE = "last_update", _("Lần cập nhật cuối cùng")
    NOTIFICATION_NO_CASE = "notification_no_case", _(
        "Ngày tiếp nhận thông báo không mở hồ sơ vụ việc")


class RetentionAction(models.TextChoices):
    # Both keep what the indicators count (docs/retention.md): past periods and frozen reports
    # read the same figures after either.
    ANONYMISE = "anonymise", _("Ẩn danh (giữ số liệu thống kê)")
    ERASE = "erase", _("Xóa các trường dữ liệu cá nhân (giữ số liệu thống kê)")


# The kinds of record the daily job handles, and the events each may count from.
JOB_KINDS: dict[str, tuple[str, ...]] = {
    RecordKind.CHILD: (RetentionEvent.CHILD_ADULT, RetentionEvent.LAST_UPDATE),
    RecordKind.CASE: (RetentionEvent.CHILD_ADULT, RetentionEvent.CASE_CLOSED),
    RecordKind.NOTIFICATION: (RetentionEvent.NOTIFICATION_NO_CASE,),
}


class RetentionRule(models.Model):
    record_kind = models.CharField(_("loại hồ sơ"), max_length=20, choices=RecordKind.choices,
                                   unique=True)
    counts_from = models.CharField(_("tính từ"), max_length=24, choices=RetentionEvent.choices)
    years = models.PositiveSmallIntegerField(_("số năm lưu giữ"))
    action = models.CharField(_("xử lý khi hết hạn"), max_length=10,
                              choices=RetentionAction.choices, default=RetentionAction.ANONYMISE)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    verified = models.BooleanField(_("đã đối chiếu văn bản pháp luật"), default=False)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("quy tắc lưu trữ")
        verbose_name_plural = _("quy tắc lưu trữ")
        ordering = ["record_kind"]
        constraints = [models.CheckConstraint(condition=Q(years__lte=100),
                                              name="privacy_retention_years_bounded")]

    def __str__(self) -> str:
        return str(self.get_record_kind_display())


class RetentionRuleVersion(models.Model):
    """A rule as it stood from one change to the next: what was set, by whom, why."""

    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    counts_from = models.CharField(max_length=24, choices=RetentionEvent.choices)
    years = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=10, choices=RetentionAction.choices)
    legal_basis = models.TextField()
    verified = models.BooleanField()
    active = models.BooleanField()
    reason = models.TextField(_("lý do thay đổi"))
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["rule", "-version"]
        constraints = [models.UniqueConstraint(fields=["rule", "version"],
                                               name="privacy_retention_one_version")]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.version}"


class DueStatus(models.TextChoices):
    DUE = "due", _("Chờ xem xét")
    HELD = "held", _("Đang tạm giữ theo yêu cầu pháp lý")
    ANONYMISED = "anonymised", _("Đã ẩn danh")
    ERASED = "erased", _("Đã xóa dữ liệu cá nhân")


class RetentionDueQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class RetentionDue(models.Model):
    """A record whose retention period has ended, found by the daily job (`privacy_retention`)
    and waiting for an officer's review. One row a record, ever: the job never adds it twice."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_kind = models.CharField(max_length=20, choices=RecordKind.choices)
    child = models.ForeignKey("registry.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_constraint=False)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_constraint=False)
    notification = models.ForeignKey("cases.Notification", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # Where the record was when found: the reviewers' scope (a dissolved commune's path is
    # read by the province that took it over, `User.scope_paths`).
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)
    found_on = models.DateField(_("ngày phát hiện"))
    status = models.CharField(_("tình trạng"), max_length=10, choices=DueStatus.choices,
                              default=DueStatus.DUE)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(_("lý do"), blank=True)

    objects = RetentionDueQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ hết thời hạn lưu trữ")
        verbose_name_plural = _("hồ sơ hết thời hạn lưu trữ")
        ordering = ["found_on", "id"]
        indexes = [models.Index(fields=["unit_path", "status"], name="privacy_due_scope")]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(record_kind="child"),
                                    name="privacy_due_one_child"),
            models.UniqueConstraint(fields=["case"], condition=Q(record_kind="case"),
                                    name="privacy_due_one_case"),
            models.UniqueConstraint(fields=["notification"],
                                    condition=Q(record_kind="notification"),
                                    name="privacy_due_one_notification"),
            models.CheckConstraint(
                condition=(Q(record_kind="child", child__isnull=False)
                           | Q(record_kind="case", case__isnull=False)
                           | Q(record_kind="notification", notification__isnull=False)),
                name="privacy_due_names_its_record"),
        ]

    def __str__(self) -> str:
        return f"{self.record_kind} {self.public_id}"

    @property
    def reference(self) -> str:
        return f"LT-{str(self.public_id)[:8].upper()}"


class LegalHoldQuerySet(ScopedQuerySet):
    scope_path = "unit_path"

    def active(self) -> "LegalHoldQuerySet":
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """A record kept whatever its retention says (an investigation, a trial, a complaint): the
    daily job skips it and no review may anonymise or erase it until the hold is lifted. A
    hold on a child holds its cases, one on a case holds its child."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey("registry.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_constraint=False)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_constraint=False)
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)
    reason = models.TextField(_("lý do tạm giữ"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(_("lý do chấm dứt tạm giữ"), blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("lệnh giữ hồ sơ")
        verbose_name_plural = _("lệnh giữ hồ sơ")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(child__isnull=False, case__isnull=True)
                                   | Q(child__isnull=True, case__isnull=False),
                                   name="privacy_hold_one_record"),
        ]

    def __str__(self) -> str:
        return f"hold {self.public_id}"

    @property
    def reference(self) -> str:
        return f"TG-{str(self.public_id)[:8].upper()}"
