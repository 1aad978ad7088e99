"""The child-protection fund's ledger (Quỹ Bảo trợ trẻ em): who gives, what was received, and
every movement of money as a balanced journal of postings.

Double entry, kept small: each journal's postings add up to zero. Money given enters from the
`donations` account into `available`; a return to a donor moves it to `returned`; an
allocation (to come) to `allocated`, a delivery to `disbursed`. A balance is always a sum of
postings, never a stored number that can drift; a mistake is corrected by a reversing journal
with its reason, never by editing or deleting one. Money is whole đồng (BigIntegerField).

Each posting names the restriction (earmark) its money carries: unrestricted, or a programme,
a place, a kind of need, a named child; restricted money leaves its restriction only for it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField


class FundQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class Fund(models.Model):
    """A fund of a unit: the province's Quỹ Bảo trợ trẻ em (formerly districts' too)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.OneToOneField("geo.Unit", on_delete=models.PROTECT, related_name="fund")
    unit_path = PathField()
    name = models.CharField(_("tên quỹ"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FundQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class DonorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Cơ quan, tổ chức")
    BUSINESS = "business", _("Doanh nghiệp")
    INDIVIDUAL = "individual", _("Cá nhân")
    INTERNATIONAL = "international", _("Tổ chức quốc tế")


class Donor(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="donors")
    kind = models.CharField(_("loại nhà tài trợ"), max_length=16, choices=DonorKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # Named on the public page and the honour roll only when the donor agreed (default: not).
    named_publicly = models.BooleanField(_("đồng ý công khai tên"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "tax_code"], condition=~Q(tax_code=""),
                                    name="fund_donor_tax_code_once"),
        ]

    def __str__(self) -> str:
        return self.name


class RestrictionKind(models.TextChoices):
    UNRESTRICTED = "unrestricted", _("Không chỉ định")
    PROGRAMME = "programme", _("Cho một chương trình")
    PLACE = "place", _("Cho một địa bàn")
    NEED = "need", _("Cho một loại nhu cầu")
    CHILD = "child", _("Cho một trẻ em")


class Restriction(models.Model):
    """An earmark a gift carries (its donor's wish): the money stays in it until spent on it.
    One row a fund and earmark (`key`), so that balances group by it."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="restrictions")
    kind = models.CharField(max_length=12, choices=RestrictionKind.choices)
    key = models.CharField(max_length=120)  # "unrestricted", "place:<unit id>", "need:<code>"…
    label = models.CharField(_("nội dung chỉ định"), max_length=200, blank=True)
    unit = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    child = models.ForeignKey("registry.Child", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "key"],
                                               name="fund_restriction_once")]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class JournalKind(models.TextChoices):
    RECEIPT = "receipt", _("Tiếp nhận")
    RETURN = "return", _("Hoàn trả nhà tài trợ")
    REVERSAL = "reversal", _("Bút toán đảo")


class Journal(models.Model):
    """One movement of money, its postings adding up to zero; never edited or deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="journals")
    kind = models.CharField(max_length=10, choices=JournalKind.choices)
    day = models.DateField(_("ngày"))
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"


class Account(models.TextChoices):
    DONATIONS = "donations", _("Nguồn đóng góp")
    AVAILABLE = "available", _("Số dư chưa sử dụng")
    RETURNED = "returned", _("Đã hoàn trả")


class Posting(models.Model):
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="postings")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    restriction = models.ForeignKey(Restriction, on_delete=models.PROTECT, related_name="+")
    account = models.CharField(max_length=12, choices=Account.choices)
    amount = models.BigIntegerField()  # whole đồng, signed

    class Meta:
        indexes = [models.Index(fields=["fund", "restriction", "account"],
                                name="fund_posting_balance")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


class Channel(models.TextChoices):
    CASH = "cash", _("Tiền mặt (có biên lai)")
    BANK = "bank", _("Chuyển khoản")


class Receipt(models.Model):
    """Money received from a donor: the journal that put it in the fund, and its proof."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="receipts")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="receipts")
    journal = models.OneToOneField(Journal, on_delete=models.PROTECT, related_name="receipt")
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    channel = models.CharField(_("hình thức"), max_length=8, choices=Channel.choices)
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)
    bank_reference = models.CharField(_("mã giao dịch ngân hàng"), max_length=60, blank=True)
    received_on = models.DateField(_("ngày nhận"))

    class Meta:
        constraints = [
            # A bank transfer is received once: a statement imported twice adds nothing.
            models.UniqueConstraint(fields=["fund", "bank_reference"],
                                    condition=~Q(bank_reference=""),
                                    name="fund_receipt_bank_reference_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_receipt_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.received_on}"
