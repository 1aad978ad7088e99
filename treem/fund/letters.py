"""Letters of thanks and certificates for donors (thư cảm ơn, giấy chứng nhận): what a donor
gave in a period or in a campaign — money, goods with their quantity and value — with the
fund's name, its province and the place for the director's signature. Honouring donors
(tôn vinh) has no legal form (NĐ 93/2021/NĐ-CP Điều 4 k1; docs/fund-law.md §15): the letter
follows the layout of an administrative letter (the fund's head, the national motto, the
place and day, the signature block).

Gifts reversed since (a mistake corrected) are left out. Every donor gets their letter, named
publicly or not: the letter goes to the donor, never to the public."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.fund import public_sums, selectors
from treem.fund.models import Account, Campaign, Donor, Fund, GoodsLot, Receipt

THANKS, CERTIFICATE = "thanks", "certificate"
KINDS = {THANKS: _("Thư cảm ơn"), CERTIFICATE: _("Giấy chứng nhận")}
MAX_LETTERS = 200  # in one PDF file; a larger campaign's letters come in parts

NOTHING_GIVEN = _("Nhà tài trợ này không có đóng góp nào trong thời gian đã chọn.")
CAMPAIGN_EMPTY = _("Đợt vận động này chưa nhận được đóng góp nào.")
PERIOD_REVERSED = _("Ngày bắt đầu phải trước ngày kết thúc.")
PART_MISSING = _("Không có phần %(part)s: đợt vận động có %(parts)s phần thư.")


@dataclass(frozen=True)
class GoodsLine:
    description: str
    quantity: int
    measure: str
    value: int


@dataclass(frozen=True)
class Letter:
    kind: str
    title: str
    donor: str
    money: int
    transfers: int            # how many times money was received
    goods: list[GoodsLine]
    fund: str
    province: str             # "Tỉnh Cao Bằng"
    occasion: str             # "từ ngày 01/01/2026 đến ngày 31/12/2026", or the campaign
    place_date: str           # "Cao Bằng, ngày 05 tháng 12 năm 2026"

    @property
    def total(self) -> int:
        return self.money + sum(line.value for line in self.goods)


# --- Whose letters: the fund manager's donors and campaigns ---------------------------------------

def _managed(user: User, fund: Fund) -> None:
    if not user.in_scope(fund.unit_path, capability=Capability.MANAGE_FUND):
        raise PermissionDenied


def get_donor_for_manager(*, user: User, donor_id: uuid.UUID | str) -> Donor:
    """A donor of a fund the user reads (404 otherwise), whose fund it manages (403)."""
    donor = (Donor.objects.filter(fund__in=selectors.funds_for(user=user), public_id=donor_id)
             .select_related("fund", "fund__unit").first())
    if donor is None:
        raise Http404
    _managed(user, donor.fund)
    return donor


def get_campaign_for_manager(*, user: User, campaign_id: uuid.UUID | str) -> Campaign:
    campaign = (Campaign.objects.filter(fund__in=selectors.funds_for(user=user),
                                        public_id=campaign_id)
                .select_related("fund", "fund__unit").first())
    if campaign is None:
        raise Http404
    _managed(user, campaign.fund)
    return campaign


# --- The letters ---------------------------------------------------------------------------------

def place_date(fund: Fund, day: datetime.date) -> str:
    """"Cao Bằng, ngày 05 tháng 12 năm 2026": the province without its kind, as letters say."""
    unit = fund.unit
    place = unit.name.removeprefix(unit.kind).strip() or unit.name
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def period_text(start: datetime.date, end: datetime.date) -> str:
    return str(_("từ ngày %(start)s đến ngày %(end)s") % {"start": f"{start:%d/%m/%Y}",
                                                           "end": f"{end:%d/%m/%Y}"})


def check_period(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ValidationError({"end": PERIOD_REVERSED})


def _kept(model: Any, fund: Fund) -> QuerySet:
    return model.objects.filter(fund=fund).exclude(
        journal_id__in=public_sums.reversed_journals(fund))


def _in_campaign(rows: QuerySet, campaign: Campaign) -> QuerySet:
    # The campaign is on the posting that took the gift out of `donations`.
    return rows.filter(journal__postings__campaign=campaign,
                       journal__postings__account=Account.DONATIONS)


def _letter(*, kind: str, fund: Fund, donor: Donor, receipts: QuerySet, lots: QuerySet,
            occasion: str, today: datetime.date) -> Letter:
    money = receipts.aggregate(total=Coalesce(Sum("amount"), 0), n=Count("id"))
    goods = [GoodsLine(lot.description, lot.quantity, lot.measure, lot.value)
             for lot in lots.order_by("received_on", "id")]
    return Letter(kind=kind, title=str(KINDS.get(kind, KINDS[THANKS])), donor=donor.name,
                  money=int(money["total"]), transfers=money["n"], goods=goods,
                  fund=fund.name, province=fund.unit.name, occasion=occasion,
                  place_date=place_date(fund, today))


def letter_for(*, donor: Donor, start: datetime.date, end: datetime.date, kind: str,
               today: datetime.date) -> Letter:
    """The letter of one donor (`get_donor_for_manager`) for the gifts received between
    `start` and `end`; a ValidationError when there were none."""
    check_period(start, end)
    fund = donor.fund
    period = {"donor": donor, "received_on__gte": start, "received_on__lte": end}
    receipts = _kept(Receipt, fund).filter(**period)
    lots = _kept(GoodsLot, fund).filter(**period)
    if not receipts.exists() and not lots.exists():
        raise ValidationError(NOTHING_GIVEN)
    return _letter(kind=kind, fund=fund, donor=donor, receipts=receipts, lots=lots,
                   occasion=period_text(start, end), today=today)


def campaign_donors(campaign: Campaign) -> QuerySet[Donor]:
    """The donors who gave in the campaign (gifts reversed since left out), by name."""
    fund = campaign.fund
    gave = (Q(pk__in=_in_campaign(_kept(Receipt, fund), campaign).values("donor_id"))
            | Q(pk__in=_in_campaign(_kept(GoodsLot, fund), campaign).values("donor_id")))
    return Donor.objects.filter(fund=fund).filter(gave).order_by("name_folded", "id")


def parts(campaign: Campaign) -> int:
    """How many PDF files the campaign's letters come in."""
    return -(-campaign_donors(campaign).count() // MAX_LETTERS)


def campaign_letters(*, campaign: Campaign, kind: str, today: datetime.date,
                     part: int = 1) -> list[Letter]:
    """The letters of everyone who gave in the campaign, `MAX_LETTERS` a part: a query for
    the donors, two for each one's gifts."""
    fund = campaign.fund
    donors = list(campaign_donors(campaign)[(part - 1) * MAX_LETTERS:part * MAX_LETTERS])
    if not donors:
        total = parts(campaign)
        raise ValidationError(PART_MISSING % {"part": part, "parts": total} if total
                              else CAMPAIGN_EMPTY)
    occasion = str(_("trong đợt vận động “%(name)s” (%(period)s)") % {
        "name": campaign.name, "period": period_text(campaign.starts_on, campaign.ends_on)})
    receipts = _in_campaign(_kept(Receipt, fund), campaign)
    lots = _in_campaign(_kept(GoodsLot, fund), campaign)
    return [_letter(kind=kind, fund=fund, donor=donor, receipts=receipts.filter(donor=donor),
                    lots=lots.filter(donor=donor), occasion=occasion, today=today)
            for donor in donors]


def donors_with_gifts(*, fund: Fund, start: datetime.date, end: datetime.date
                      ) -> QuerySet[Donor]:
    """The fund's donors who gave between `start` and `end`, by name, each with `money` and
    `goods` (their value) summed in subqueries: one query a page."""
    period = {"fund": fund, "received_on__gte": start, "received_on__lte": end}
    receipts = _kept(Receipt, fund).filter(**period)
    lots = _kept(GoodsLot, fund).filter(**period)

    def total(rows: QuerySet, value: str) -> Any:
        summed = rows.filter(donor=OuterRef("pk")).values("donor").annotate(
            total=Sum(value)).values("total")
        return Coalesce(Subquery(summed), 0)

    return (Donor.objects.filter(fund=fund)
            .filter(Q(pk__in=receipts.values("donor_id")) | Q(pk__in=lots.values("donor_id")))
            .annotate(money=total(receipts, "amount"), goods=total(lots, "value"))
            .order_by("name_folded", "id"))
