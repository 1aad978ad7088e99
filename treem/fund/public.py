"""The fund's public account (công khai, NĐ 93/2019/NĐ-CP Điều 38 k4; Hải Phòng's plan: "công
khai, minh bạch"): what a province's fund received and spent in a year, for anyone, signed in
or not. The page, its JSON and the yearly report all read `public_figures`, so that what is
suppressed is suppressed everywhere alike.

What it publishes (the sums: `treem.fund.public_sums`), never a need's text, a child or a
household's head:
- mobilised: money and goods (at their estimated value) received, by quarter; the campaigns
  that ran in the year with what each raised against its goal;
- spent: the support delivered in the year, by kind of support and by commune; returned;
- the balance held at the year's start and end, which the year's figures reconcile exactly
  (gifts as they stand corrected: one reversed since counts nowhere);
- the honour roll: donors who agreed to be named, with what they gave in the year; every
  other donor on one line, "Nhà hảo tâm không nêu tên";
- the children helped: distinct children of the year's deliveries; the households helped.

Small counts (docs/fund-law.md §12: a design choice, not a rule of law): a count of children
or of households from 1 to 4 is published as "< 5" (`shown`). A commune with 1 to 4 of them
helped has its amount withheld and added to one line with the other such communes; when that
line would hold a single commune, the commune with the smallest amount joins it, so that no
commune's amount can be worked out from the total. The province's totals are always published
(the decree asks for them): a province whose only helped commune is small reveals that
commune's amount through its total, without naming the commune.
"""

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treem.fund import gift_sums
from treem.fund import public_sums as sums
from treem.fund.models import Donor, DonorKind, Fund, GoodsLot, NeedKind, Receipt
from treem.fund.public_sums import CampaignSums
from treem.geo.lineage import successors_of
from treem.geo.models import Level, Unit

SMALL = 5
SMALL_TEXT = "< 5"
ANONYMOUS = gettext_lazy("Nhà hảo tâm không nêu tên")

Shown = int | str  # a count as published: the number, or "< 5"


def shown(count: int) -> Shown:
    """A count of children or households as published: 1 to 4 as "< 5" (none is none)."""
    return SMALL_TEXT if 0 < count < SMALL else count


@dataclass(frozen=True)
class Mobilised:
    label: str
    money: int = 0
    goods: int = 0

    @property
    def total(self) -> int:
        return self.money + self.goods


@dataclass(frozen=True)
class Spent:
    """The support delivered under one kind, or in one commune (amount None: withheld)."""

    code: str
    label: str
    amount: int | None
    children: Shown
    households: Shown


@dataclass(frozen=True)
class Honoured:
    name: str
    kind: str
    money: int
    goods: int

    @property
    def total(self) -> int:
        return self.money + self.goods


@dataclass(frozen=True)
class Balance:
    opening: int
    mobilised: int
    spent: int
    returned: int

    @property
    def closing(self) -> int:
        return self.opening + self.mobilised - self.spent - self.returned


@dataclass(frozen=True)
class PublicFigures:
    fund: str
    province_code: str
    province: str
    year: int
    as_of: datetime.date
    by_quarter: list[Mobilised]
    campaigns: list[CampaignSums]
    by_kind: list[Spent]
    by_commune: list[Spent]
    grouped: Spent | None     # the communes whose amounts are withheld, together
    balance: Balance
    children: Shown
    households: Shown
    honoured: list[Honoured]  # the donors named publicly, largest gifts first
    anonymous: Honoured       # every other donor, as one line

    @property
    def mobilised(self) -> Mobilised:
        return Mobilised(_("Cả năm"), sum(q.money for q in self.by_quarter),
                         sum(q.goods for q in self.by_quarter))

    @property
    def spent(self) -> int:
        return self.balance.spent

    def as_json(self) -> dict[str, Any]:
        """The figures as the JSON file publishes them (dates as ISO text)."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["as_of_label"] = f"{self.as_of:%d/%m/%Y}"
        data["mobilised"] = asdict(self.mobilised)
        data["balance"]["closing"] = self.balance.closing
        for row in (*data["by_quarter"], data["mobilised"], *data["honoured"],
                    data["anonymous"]):
            row["total"] = row["money"] + row["goods"]
        for row, campaign in zip(data["campaigns"], self.campaigns, strict=True):
            row.update(starts_on=campaign.starts_on.isoformat(),
                       ends_on=campaign.ends_on.isoformat(), total=campaign.total,
                       percent=campaign.percent,
                       dates=f"{campaign.starts_on:%d/%m/%Y}–{campaign.ends_on:%d/%m/%Y}")
        data["small_counts"] = _("Số trẻ em, số hộ từ 1 đến 4 được ghi “< 5”; số tiền của xã, "
                                 "phường có dưới 5 đối tượng được cộng chung một dòng.")
        return data


# --- Which fund: a province's, by its code -----------------------------------------------------

class NoPublicFund(Exception):
    """No fund to show for a province code: `successors` are the provinces of today that took
    over a province dissolved in 2025 (empty otherwise)."""

    def __init__(self, code: str, former: Unit | None = None,
                 successors: list[Unit] | None = None) -> None:
        super().__init__(code)
        self.code, self.former, self.successors = code, former, successors or []


def public_funds() -> QuerySet[Fund]:
    """The funds with a public account: a current province's (a unit dissolved in 2025 has no
    fund; its successor's publishes). Public by nature: no user's scope applies."""
    return (Fund.objects.filter(unit__level=Level.PROVINCE, unit__valid_to__isnull=True)
            .select_related("unit"))


def public_fund(code: str) -> Fund:
    """The fund of the province of today with `code`; NoPublicFund otherwise (for a code of a
    province dissolved in 2025, naming the provinces that took it over)."""
    fund = public_funds().filter(unit__code=code).first()
    if fund is not None:
        return fund
    former = (Unit.objects.filter(level=Level.PROVINCE, code=code, valid_to__isnull=False)
              .order_by("-valid_to").first())
    if former is None:
        raise NoPublicFund(code)
    heirs = [unit for unit in successors_of(former) if unit.level == Level.PROVINCE]
    raise NoPublicFund(code, former, heirs)


def first_year(fund: Fund) -> int:
    """The year of the fund's first gift (its opening's year before any)."""
    days = [model.objects.filter(fund=fund).aggregate(first=Min("received_on"))["first"]
            for model in (Receipt, GoodsLot)]
    known = [day for day in days if day is not None]
    return min(known).year if known else timezone.localtime(fund.created_at).year


def public_years(fund: Fund, *, today: datetime.date | None = None) -> list[int]:
    """The years a fund's account can be read for, from its first gift's to today's."""
    this_year = (today or timezone.localdate()).year
    return list(range(min(first_year(fund), this_year), this_year + 1))


def public_index(*, today: datetime.date | None = None) -> list[tuple[Fund, list[int]]]:
    """Every public fund with its years, the provinces by name (34 provinces at most)."""
    return [(fund, public_years(fund, today=today))
            for fund in public_funds().order_by("unit__name")]


# --- The figures ----------------------------------------------------------------------------------

def _by_kind(spent: sums.Delivered) -> list[Spent]:
    counted = spent.counted("kind")
    kinds = NeedKind.objects.filter(pk__in=counted).order_by("position", "code")
    return [Spent(kind.code, kind.label, counted[kind.pk][0], shown(counted[kind.pk][1]),
                  shown(counted[kind.pk][2])) for kind in kinds]


def _by_commune(spent: sums.Delivered) -> tuple[list[Spent], Spent | None]:
    counted = spent.counted("commune")
    communes = {unit.pk: unit for unit in Unit.objects.filter(pk__in=counted)
                .only("pk", "code", "name")}
    withheld = {pk for pk, (_amount, children, households) in counted.items()
                if 0 < children + households < SMALL}
    others = [pk for pk in counted if pk not in withheld]
    if len(withheld) == 1 and others:
        # One commune alone would be the total minus the others: the smallest joins it.
        withheld.add(min(others, key=lambda pk: (counted[pk][0], communes[pk].name)))
    lines = [Spent(communes[pk].code, communes[pk].name,
                   None if pk in withheld else counted[pk][0], shown(counted[pk][1]),
                   shown(counted[pk][2]))
             for pk in sorted(counted, key=lambda pk: communes[pk].name)]
    if not withheld:
        return lines, None
    children, households = spent.people(withheld)
    grouped = Spent("", _("Các xã, phường có dưới %(n)s đối tượng được hỗ trợ (cộng chung)")
                    % {"n": SMALL}, sum(counted[pk][0] for pk in withheld), shown(children),
                    shown(households))
    return lines, grouped


def _honour_roll(money: sums.Gifts, goods: sums.Gifts) -> tuple[list[Honoured], Honoured]:
    donors = Donor.objects.filter(pk__in={*money.named, *goods.named}).values_list(
        "pk", "name", "kind")
    # Each kind translated once: a display per donor costs hundreds of lookups.
    kinds = {value: str(label) for value, label in DonorKind.choices}
    named = sorted((Honoured(name, kinds.get(kind, kind), money.named.get(pk, 0),
                             goods.named.get(pk, 0)) for pk, name, kind in donors),
                   key=lambda h: (-h.total, h.name))
    anonymous = Honoured(str(ANONYMOUS), "",
                         sum(money.quarters) - sum(h.money for h in named),
                         sum(goods.quarters) - sum(h.goods for h in named))
    return named, anonymous


def public_figures(*, fund: Fund, year: int, today: datetime.date | None = None
                   ) -> PublicFigures:
    """The fund's public account of `year` as it stands `today`: a public selector, so it
    takes no user — nothing it returns depends on who asks, and nothing in it names a child."""
    today = today or timezone.localdate()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    reversed_by = gift_sums.reversals(fund)
    reversed_ids = list(reversed_by)
    journal_upto = gift_sums.cut(fund)
    money = sums.gifts(fund, start, end, goods=False, journal_upto=journal_upto,
                       reversed_by=reversed_by)
    goods = sums.gifts(fund, start, end, goods=True, journal_upto=journal_upto,
                       reversed_by=reversed_by)
    returned_before, returned = sums.returned(fund, start, end, reversed_ids=reversed_ids)
    spent = sums.delivered(fund, start, end)
    by_kind = _by_kind(spent)
    by_commune, grouped = _by_commune(spent)
    children, households = spent.people()
    named, anonymous = _honour_roll(money, goods)
    balance = Balance(
        opening=money.before + goods.before - returned_before - sums.spent_before(fund, start),
        mobilised=sum(money.quarters) + sum(goods.quarters),
        spent=sum(line.amount or 0 for line in by_kind), returned=returned)
    return PublicFigures(
        fund=fund.name, province_code=fund.unit.code, province=fund.unit.name, year=year,
        as_of=min(today, end),
        by_quarter=[Mobilised(_("Quý %(n)s") % {"n": n}, money.quarters[n - 1],
                              goods.quarters[n - 1]) for n in (1, 2, 3, 4)],
        campaigns=sums.campaigns(fund, start, end), by_kind=by_kind, by_commune=by_commune,
        grouped=grouped, balance=balance, children=shown(children),
        households=shown(households), honoured=named, anonymous=anonymous)
