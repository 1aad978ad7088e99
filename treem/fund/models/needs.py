"""Children's needs and what the fund gives them.

A commune proposes a need (a child's, a household's, the commune's or a facility's); the
province approves it; the fund manager allocates money or goods of one earmark to it (above
the fund's threshold the approver decides); the commune records the delivery with its proof.
Before any allocation the same beneficiary is checked against every other support of the same
kind in the same period (`treem.fund.beneficiaries`)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.fund.models.ledger import Campaign, Fund, GoodsLot, Journal, Restriction
from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField
from treem.registry.choices import SupportKind
from treem.ui.stored_files import StoredFile


class NeedKind(models.Model):
    """A kind of need (health check, meals, scholarship, playground equipment…), kept as data;
    `support_kind` is the register's kind of support it is the same as, so that a support
    already recorded on a child counts against a second one."""

    code = models.SlugField(max_length=30, unique=True)
    label = models.CharField(_("loại nhu cầu"), max_length=120)
    support_kind = models.CharField(_("hình thức hỗ trợ"), max_length=16,
                                    choices=SupportKind.choices)
    for_child = models.BooleanField(default=True)  # else a commune's or a facility's
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label


class Criterion(models.TextChoices):
    SPECIAL_CIRCUMSTANCE = "special_circumstance", _("Trẻ em có hoàn cảnh đặc biệt")
    POOR_HOUSEHOLD = "poor_household", _("Hộ nghèo")
    NEAR_POOR_HOUSEHOLD = "near_poor_household", _("Hộ cận nghèo")
    MOUNTAIN_COMMUNE = "mountain_commune", _("Xã miền núi, đặc biệt khó khăn")
    OPEN_CASE = "open_case", _("Đang có trường hợp bảo vệ chưa kết thúc")


class PriorityRule(models.Model):
    """One rule of the needs list's order, as data: a need meeting it gets its points (a
    special circumstance may name one group, or any)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="priority_rules")
    criterion = models.CharField(_("tiêu chí"), max_length=24, choices=Criterion.choices)
    group = models.ForeignKey("registry.CircumstanceGroup", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("nhóm hoàn cảnh"))
    points = models.PositiveSmallIntegerField(_("điểm ưu tiên"))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-points", "id"]
        constraints = [models.CheckConstraint(condition=Q(points__lte=1000),
                                              name="fund_rule_points")]

    def __str__(self) -> str:
        return f"{self.criterion} {self.points}"


class Beneficiary(models.TextChoices):
    CHILD = "child", _("Trẻ em")
    HOUSEHOLD = "household", _("Hộ gia đình")
    COMMUNE = "commune", _("Xã, phường")
    FACILITY = "facility", _("Cơ sở (trường, điểm vui chơi…)")


class NeedStatus(models.TextChoices):
    PROPOSED = "proposed", _("Xã đề xuất, chờ tỉnh duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Không duyệt")
    CANCELLED = "cancelled", _("Đã hủy")


class NeedQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class Need(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="needs")
    kind = models.ForeignKey(NeedKind, on_delete=models.PROTECT, verbose_name=_("loại nhu cầu"))
    beneficiary = models.CharField(_("đối tượng"), max_length=10, choices=Beneficiary.choices)
    child = models.ForeignKey("registry.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_constraint=False)
    household = models.ForeignKey("registry.Household", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    facility = models.CharField(_("tên cơ sở"), max_length=200, blank=True)
    # The commune the need is in (a child's: where the child lives when proposed).
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=64, db_index=True)
    programme = models.CharField(_("chương trình"), max_length=120, blank=True)
    description = models.CharField(_("mô tả nhu cầu"), max_length=500)
    amount = models.BigIntegerField(_("kinh phí dự kiến (đồng)"))
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(max_length=10, choices=NeedStatus.choices,
                              default=NeedStatus.PROPOSED)
    priority = models.PositiveSmallIntegerField(_("điểm ưu tiên"), default=0)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("lý do"), max_length=500, blank=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "proposed_at", "id"]
        indexes = [
            models.Index(fields=["fund", "status", "year", "priority"], name="fund_need_list"),
            # The list's first page in its order without sorting every need of the province.
            models.Index(models.F("priority").desc(), "proposed_at", "id",
                         name="fund_need_priority_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_need_amount"),
            models.CheckConstraint(condition=~Q(beneficiary="child") | Q(child__isnull=False),
                                   name="fund_need_child"),
            models.CheckConstraint(
                condition=~Q(beneficiary="household") | Q(household__isnull=False),
                name="fund_need_household"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """What a fund manager calls a need without reading the child's name."""
        return f"NC-{str(self.public_id)[:8].upper()}"


class AllocationStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting", _("Chờ lãnh đạo phê duyệt")
    APPROVED = "approved", _("Đã duyệt, chờ trao")
    DELIVERED = "delivered", _("Đã trao")
    CANCELLED = "cancelled", _("Đã hủy")


class AllocationQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class Allocation(models.Model):
    """Money or goods of one earmark reserved for a need: the beneficiary, the kind and the
    period are the need's, kept here so that the double-beneficiary check reads one table."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocations")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="allocations")
    restriction = models.ForeignKey(Restriction, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    lot = models.ForeignKey(GoodsLot, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="allocations")
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    quantity = models.PositiveIntegerField(_("số lượng"), default=0)
    # The beneficiary, the kind of support and its period: what the check compares.
    child = models.ForeignKey("registry.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_constraint=False)
    household = models.ForeignKey("registry.Household", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(NeedKind, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=AllocationStatus.choices)
    journal = models.OneToOneField(Journal, on_delete=models.PROTECT, related_name="allocation")
    release = models.OneToOneField(Journal, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="released_allocation")
    # A second support of the same kind in the period, given anyway: the officer's reason.
    override_reason = models.CharField(_("lý do vẫn hỗ trợ"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["child", "kind", "period_start"],
                         condition=~Q(status="cancelled"), name="fund_alloc_child_check"),
            models.Index(fields=["household", "kind", "period_start"],
                         condition=~Q(status="cancelled"), name="fund_alloc_household_check"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_allocation_amount"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="fund_allocation_period"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"PB-{str(self.public_id)[:8].upper()}"


class Delivery(models.Model):
    """The support handed over: when, to whom (as the signed receipt says), and its journal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    allocation = models.OneToOneField(Allocation, on_delete=models.PROTECT,
                                      related_name="delivery")
    delivered_on = models.DateField(_("ngày trao"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    journal = models.OneToOneField(Journal, on_delete=models.PROTECT, related_name="delivery")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.allocation_id} {self.delivered_on}"


def _proof_path(instance: "DeliveryProof", _filename: str) -> str:
    from treem.ui.uploads import random_path

    return random_path("fund/deliveries", instance.content_type)


class ProofKind(models.TextChoices):
    SIGNED_RECEIPT = "signed_receipt", _("Biên nhận có chữ ký")
    PHOTO = "photo", _("Ảnh trao hỗ trợ")


class ProofQuerySet(models.QuerySet):
    def shown(self) -> "ProofQuerySet":
        """The proofs that may be listed and served: not a photo whose consent was withdrawn
        (Luật 91/2025/QH15 Điều 24 khoản 3 điểm a: the processing stops)."""
        return self.filter(Q(consent__isnull=True) | Q(consent__withdrawn_on__isnull=True))


class DeliveryProof(StoredFile):
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="proofs")
    kind = models.CharField(_("loại minh chứng"), max_length=16, choices=ProofKind.choices)
    file = models.FileField(upload_to=_proof_path, max_length=200)
    # A photo of a delivery to a child rests on a consent (Luật 91/2025/QH15 Điều 24 khoản 2);
    # once withdrawn the photo is neither listed nor served, the file kept (the accountant's
    # record). Empty on a receipt, on a delivery to a commune or a facility, and on photos
    # recorded before consents were.
    consent = models.ForeignKey("registry.ChildConsent", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    objects = ProofQuerySet.as_manager()
