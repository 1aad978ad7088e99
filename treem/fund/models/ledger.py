"""The child-protection fund's ledger (Quỹ Bảo trợ trẻ em): who gives, what was received, and
every movement of money as a balanced journal of postings.

Double entry, kept small: each journal's postings add up to zero. Money or goods given enter
from the `donations` account into `available`; a return to a donor moves them to `returned`;
an allocation to a need reserves them in `allocated` (a cancelled one puts them back), a
delivery moves them to `disbursed`. Goods carry their lot and a quantity beside their
estimated value in đồng. A balance is always a sum of
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


class FundRegime(models.TextChoices):
    """The fund's legal form decides its disclosure rules (docs/fund-law.md §1)."""

    DECREE_93_2019 = "nd93_2019", _("Quỹ xã hội, từ thiện (Nghị định 93/2019/NĐ-CP)")
    PUBLIC_UNIT = "public_unit", _("Đơn vị sự nghiệp (Thông tư 87/2008/TT-BTC)")
    OTHER = "other", _("Khác")


class Fund(models.Model):
    """A fund of a unit: the province's Quỹ Bảo trợ trẻ em (formerly districts' too)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.OneToOneField("geo.Unit", on_delete=models.PROTECT, related_name="fund")
    unit_path = PathField()
    name = models.CharField(_("tên quỹ"), max_length=200)
    regime = models.CharField(_("loại hình quỹ"), max_length=16, choices=FundRegime.choices,
                              default=FundRegime.DECREE_93_2019)
    # Allocations above this amount wait for the approver (the province's leader).
    approval_threshold = models.BigIntegerField(_("mức chi cần phê duyệt (đồng)"),
                                                default=20_000_000)
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


class Area(models.Model):
    """A fund's named set of communes ("14 xã miền núi"): a place gifts are earmarked for, and,
    when `mountain`, the communes the mountain-commune priority rule counts."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(_("tên địa bàn"), max_length=200)
    mountain = models.BooleanField(_("xã miền núi, đặc biệt khó khăn"), default=False)
    units = models.ManyToManyField("geo.Unit", related_name="+", verbose_name=_("xã, phường"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "name"], name="fund_area_once")]

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
    programme = models.CharField(_("chương trình"), max_length=120, blank=True)
    unit = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    need_kind = models.ForeignKey("fund.NeedKind", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("registry.Child", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+", db_constraint=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "key"],
                                               name="fund_restriction_once")]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class CampaignKind(models.TextChoices):
    MONTH_OF_ACTION = "month_of_action", _("Tháng hành động vì trẻ em")
    JUNE_FIRST = "june_first", _("Ngày Quốc tế Thiếu nhi 1/6")
    MID_AUTUMN = "mid_autumn", _("Tết Trung thu")
    TET = "tet", _("Tết Nguyên đán")
    OTHER = "other", _("Khác")


class Campaign(models.Model):
    """A call for gifts with a goal (Month of Action, 1 June, Mid-Autumn, Tết): what it
    raised is the sum of the postings that name it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="campaigns")
    kind = models.CharField(_("loại đợt vận động"), max_length=16, choices=CampaignKind.choices)
    name = models.CharField(_("tên đợt vận động"), max_length=200)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    goal = models.BigIntegerField(_("mục tiêu (đồng)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="fund_campaign_dates"),
            models.CheckConstraint(condition=Q(goal__gt=0), name="fund_campaign_goal"),
        ]

    def __str__(self) -> str:
        return self.name


class PledgeStatus(models.TextChoices):
    OPEN = "open", _("Đang chờ nhận")
    FULFILLED = "fulfilled", _("Đã nhận đủ")
    CANCELLED = "cancelled", _("Đã hủy")


class Pledge(models.Model):
    """A donor's promise (money or goods), not yet money in the fund: it posts nothing; the
    receipts that honour it name it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="pledges")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="pledges")
    restriction = models.ForeignKey(Restriction, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("số tiền cam kết (đồng)"), default=0)
    goods = models.CharField(_("hiện vật cam kết"), max_length=300, blank=True)
    pledged_on = models.DateField(_("ngày cam kết"))
    due_on = models.DateField(_("hạn trao"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=PledgeStatus.choices,
                              default=PledgeStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pledged_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fund_pledge_amount"),
            models.CheckConstraint(condition=Q(amount__gt=0) | ~Q(goods=""),
                                   name="fund_pledge_something"),
        ]

    def __str__(self) -> str:
        """Its donor, day and promise: "Công ty A — 01/06/2026 — 10.000.000 đ; hiện vật: Áo
        ấm". It reads the donor: lists select it (`ledger_selectors.pledge_list`,
        `open_pledges`)."""
        promised = [f"{self.amount:,} đ".replace(",", ".")] if self.amount else []
        if self.goods:
            goods = self.goods if len(self.goods) <= 60 else f"{self.goods[:59].rstrip()}…"
            promised.append(_("hiện vật: %(goods)s") % {"goods": goods})
        return f"{self.donor.name} — {self.pledged_on:%d/%m/%Y} — {'; '.join(promised)}"


class JournalKind(models.TextChoices):
    RECEIPT = "receipt", _("Tiếp nhận tiền")
    GOODS = "goods", _("Tiếp nhận hiện vật")
    ALLOCATION = "allocation", _("Phân bổ cho nhu cầu")
    RELEASE = "release", _("Hủy phân bổ")
    DELIVERY = "delivery", _("Trao hỗ trợ")
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
        indexes = [models.Index(fields=["fund", "kind", "day"], name="fund_journal_kind_day")]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"


class Account(models.TextChoices):
    DONATIONS = "donations", _("Nguồn đóng góp")
    AVAILABLE = "available", _("Số dư chưa sử dụng")
    ALLOCATED = "allocated", _("Đã phân bổ, chưa trao")
    DISBURSED = "disbursed", _("Đã trao")
    RETURNED = "returned", _("Đã hoàn trả")


class GoodsLot(models.Model):
    """Goods received in one go (a box of school supplies): their quantity and estimated value,
    posted like money; what is left of the lot is the sum of its postings' quantities."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="lots")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="lots")
    journal = models.OneToOneField(Journal, on_delete=models.PROTECT, related_name="lot")
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="lots")
    description = models.CharField(_("hiện vật"), max_length=300)
    quantity = models.PositiveIntegerField(_("số lượng"))
    measure = models.CharField(_("đơn vị tính"), max_length=30)
    value = models.BigIntegerField(_("giá trị ước tính (đồng)"))
    valuation = models.CharField(_("cách định giá"), max_length=200)
    received_on = models.DateField(_("ngày nhận"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0) & Q(value__gt=0),
                                   name="fund_lot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.quantity} {self.measure})"


class Posting(models.Model):
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="postings")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    restriction = models.ForeignKey(Restriction, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    lot = models.ForeignKey(GoodsLot, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")
    account = models.CharField(max_length=12, choices=Account.choices)
    amount = models.BigIntegerField()  # whole đồng, signed
    quantity = models.BigIntegerField(default=0)  # of the lot's goods, signed; 0 for money

    class Meta:
        indexes = [
            # A balance reads the index only (amount and quantity included).
            models.Index(fields=["fund", "restriction", "campaign", "lot", "account"],
                         include=["amount", "quantity"], name="fund_posting_balance"),
            # What the fund holds now (matching's holdings): the available postings only.
            models.Index(fields=["fund", "restriction", "campaign", "lot"],
                         include=["amount", "quantity"], condition=Q(account="available"),
                         name="fund_posting_available"),
            # A year's figures by account (the public page, the yearly report).
            models.Index(fields=["fund", "account", "campaign"], include=["amount", "lot"],
                         name="fund_posting_account"),
            # A campaign's progress (the public page, the campaigns' list).
            models.Index(fields=["campaign", "account"], include=["fund", "amount", "lot"],
                         condition=Q(campaign__isnull=False), name="fund_posting_campaign"),
        ]

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
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="receipts")
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
        # A year's or a quarter's receipts (the public page, the yearly report).
        indexes = [models.Index(fields=["fund", "received_on"],
                                include=["amount", "donor", "journal"],
                                name="fund_receipt_fund_day")]

    def __str__(self) -> str:
        return f"{self.amount} {self.received_on}"
