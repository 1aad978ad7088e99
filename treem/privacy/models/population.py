"""The exchange with the commune police over the national population database (Đề án 06,
Quyết định 06/QĐ-TTg 2022; docs/population-database.md).

A commune exports the children whose personal id is missing or disagrees with the register
(a `PopulationCheck`, one row per child); the police check the file against the population
database and send it back with their answer, which is imported (`PopulationAnswer`, once per
file uploaded) and applied through the register's own history. A personal id the police (or
an online lookup) confirmed is kept as a fact beside the child (`PersonalIdVerification`), not
as a column of the register: it says who confirmed which number, when and from which batch.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField


class Issue(models.TextChoices):
    """Why a child is in a batch."""

    MISSING = "missing", _("Chưa có số định danh cá nhân")
    FORMAT = "format", _("Số định danh không đúng 12 chữ số")
    MISMATCH = "mismatch", _("Số định danh không khớp giới tính hoặc năm sinh")
    UNVERIFIED = "unverified", _("Số định danh chưa được xác thực")


class Result(models.TextChoices):
    """The police's answer for one row."""

    VERIFIED = "verified", _("Đúng")
    CORRECTED = "corrected", _("Đã điều chỉnh")
    NOT_FOUND = "not_found", _("Không tìm thấy")


class RowState(models.TextChoices):
    WAITING = "waiting", _("Chưa có kết quả")
    SETTLED = "settled", _("Đã xong")
    NOT_FOUND = "not_found", _("Không tìm thấy trong CSDL dân cư")
    PROBLEM = "problem", _("Có lỗi, cần xem lại")


class ImportMode(models.TextChoices):
    ALL = "all", _("Nhập tất cả (chỉ khi không có lỗi)")
    VALID_ONLY = "valid_only", _("Chỉ nhập các dòng hợp lệ")


class VerificationSource(models.TextChoices):
    BATCH = "batch", _("Công an xã đối chiếu theo danh sách")
    LOOKUP = "lookup", _("Tra cứu trực tuyến")


class PopulationCheckQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class PopulationCheck(models.Model):
    """One export of a commune's children for the police to check (a batch)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("xã, phường"))
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)
    include_unverified = models.BooleanField(default=False)
    row_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PopulationCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt đối chiếu dữ liệu dân cư")
        verbose_name_plural = _("đợt đối chiếu dữ liệu dân cư")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.commune} {self.created_at:%d/%m/%Y %H:%M}"


class PopulationCheckRow(models.Model):
    """A child of a batch, and where its check stands."""

    check_batch = models.ForeignKey(PopulationCheck, on_delete=models.CASCADE,
                                    related_name="rows")
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="+",
                              db_constraint=False)
    province_code = models.CharField(max_length=2)
    issue = models.CharField(max_length=10, choices=Issue.choices)
    state = models.CharField(max_length=10, choices=RowState.choices, default=RowState.WAITING)
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    message = models.TextField(blank=True)  # the police's note, or what was wrong
    # The answer last applied (reference, result, corrected values), hashed: the same answer
    # imported again is passed over, so that it cannot undo an edit made since.
    answer_hash = models.CharField(max_length=64, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["check_batch", "child"],
                                               name="privacy_popcheck_row_once")]

    def __str__(self) -> str:
        return f"{self.check_batch_id}/{self.child_id} {self.state}"


class PopulationAnswer(models.Model):
    """One upload of the police's answer file for a batch, and what it did."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    check_batch = models.ForeignKey(PopulationCheck, on_delete=models.CASCADE,
                                    related_name="answers")
    province_code = models.CharField(max_length=2)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    mode = models.CharField(max_length=10, choices=ImportMode.choices)
    written = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    verified_count = models.PositiveIntegerField(default=0)
    not_found_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    unanswered_count = models.PositiveIntegerField(default=0)  # rows the police left blank
    error_count = models.PositiveIntegerField(default=0)
    # [{"row": n, "column": header, "message": text}], in the order of the file.
    errors = models.JSONField(default=list, blank=True)
    same_file_as = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.check_batch_id} {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def problem_count(self) -> int:
        return self.not_found_count + self.error_count


class PersonalIdVerificationQuerySet(ScopedQuerySet):
    scope_path = "child__unit_path"


class PersonalIdVerification(models.Model):
    """A child's personal id confirmed against the population database."""

    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="+",
                              db_constraint=False)
    province_code = models.CharField(max_length=2)
    personal_id = models.CharField(max_length=12)
    verified_on = models.DateField()
    source = models.CharField(max_length=6, choices=VerificationSource.choices)
    check_batch = models.ForeignKey(PopulationCheck, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="verifications")
    answer = models.ForeignKey(PopulationAnswer, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="verifications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonalIdVerificationQuerySet.as_manager()

    class Meta:
        ordering = ["-verified_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["child", "personal_id"],
                                               name="privacy_pid_verified_once")]

    def __str__(self) -> str:
        return f"{self.child_id} {self.verified_on}"
