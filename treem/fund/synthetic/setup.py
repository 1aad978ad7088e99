"""A synthetic fund's standing records: its campaigns over the years, its earmarks, and its
donors, as rows (see `rows`)."""

import datetime
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from treem.fund.models import (
    Area,
    Campaign,
    Donor,
    DonorKind,
    Fund,
    NeedKind,
    Restriction,
    RestrictionKind,
)
from treem.fund.synthetic import tables as t
from treem.fund.synthetic.rows import Clock, Rows
from treem.geo.models import Unit
from treem.lib.text import fold
from treem.registry.synthetic import names
from treem.registry.synthetic import profiles as p
from treem.registry.synthetic.picker import Picker

# Kinds of need donors earmark their money for (the others come out of unrestricted money).
EARMARKED_KINDS = ["school", "scholarship", "health_check", "treatment", "meals", "gift"]
PLACES = 15  # communes some gifts are earmarked for


def lognormal(rng: random.Random, amount: t.Amount) -> int:
    value = amount.median * math.exp(rng.gauss(0, amount.sigma))
    rounded = round(value / amount.step) * amount.step
    return min(max(rounded, amount.low), amount.high)


@dataclass
class CampaignSpan:
    pk: int
    first: int  # ordinal
    last: int


@dataclass
class Earmarks:
    """The fund's restrictions by key, and how a donor's gift picks one."""

    by_key: dict[str, int] = field(default_factory=dict)
    new: int = 0

    def key_of(self, key: str) -> int | None:
        return self.by_key.get(key)


@dataclass
class Donors:
    by_kind: dict[str, Picker[int]]
    anonymous: int
    kind_of: dict[int, str]
    count: int


def campaigns(rows: Rows, clock: Clock, *, fund: Fund, by: int, first: datetime.date,
              last: datetime.date, rng: random.Random) -> list[CampaignSpan]:
    """The Tết, Month of Action and Mid-Autumn campaigns of every year the period touches."""
    spans = []
    for year in range(first.year, last.year + 1):
        for kind, name, (m1, d1), (m2, d2), goal in t.CAMPAIGNS:
            starts, ends = datetime.date(year, m1, d1), datetime.date(year, m2, d2)
            if ends < first or starts > last:
                continue
            pk = rows.new_id(Campaign)
            rows.add(Campaign, (
                pk, clock.uuid(), fund.pk, kind, f"{name} {year}",
                clock.day(starts.toordinal()), clock.day(ends.toordinal()),
                int(round(goal * rng.uniform(0.8, 1.3), -6)), by,
                clock.moment(starts.toordinal() - 20)))
            spans.append(CampaignSpan(pk, starts.toordinal(), ends.toordinal()))
    return spans


def earmarks(rows: Rows, *, fund: Fund, area: Area | None, communes: list[Unit],
             kind_ids: dict[str, int], rng: random.Random) -> Earmarks:
    """The fund's restrictions (those already there kept): unrestricted, kinds of need, the
    mountain area, a few communes, the scholarship programme."""
    found = Earmarks(by_key=dict(Restriction.objects.filter(fund=fund)
                                 .values_list("key", "pk")))
    labels = dict(NeedKind.objects.values_list("code", "label"))
    wanted: list[tuple[str, str, str, dict[str, Any]]] = [
        ("unrestricted", RestrictionKind.UNRESTRICTED, "", {}),
        (f"programme:{t.PROGRAMME.casefold()}", RestrictionKind.PROGRAMME, t.PROGRAMME,
         {"programme": t.PROGRAMME}),
    ]
    wanted += [(f"need:{code}", RestrictionKind.NEED, labels[code],
                {"need_kind_id": kind_ids[code]}) for code in EARMARKED_KINDS if code in kind_ids]
    if area is not None:
        wanted.append((f"area:{area.pk}", RestrictionKind.PLACE, area.name,
                       {"area_id": area.pk}))
    for unit in sorted(rng.sample(communes, min(PLACES, len(communes))), key=lambda u: u.code):
        wanted.append((f"place:{unit.pk}", RestrictionKind.PLACE, unit.name,
                       {"unit_id": unit.pk}))
    for key, kind, label, targets in wanted:
        if key not in found.by_key:
            found.by_key[key] = add_restriction(rows, fund=fund, key=key, kind=kind, label=label,
                                                **targets)
            found.new += 1
    return found


def add_restriction(rows: Rows, *, fund: Fund, key: str, kind: str, label: str,
                    programme: str = "", unit_id: int | None = None, area_id: int | None = None,
                    need_kind_id: int | None = None, child_id: int | None = None) -> int:
    pk = rows.new_id(Restriction)
    rows.add(Restriction, (pk, fund.pk, kind, key, label, programme, unit_id, area_id,
                           need_kind_id, child_id))
    return pk


def donors(rows: Rows, clock: Clock, *, fund: Fund, by: int, count: int, first: int,
           province: Unit, communes: list[Unit], rng: random.Random) -> Donors:
    """`count` donors (one of them the anonymous givers of small transfers): individuals with
    their phone, businesses with their tax code, the province's organisations, international
    organisations; each with how often they give (a few give very often)."""
    style = names.style_for(p.KINH, region=p.profile_for(province.code).region)
    taken_names: set[str] = set()
    taken_codes: set[str] = set()
    weighted: dict[str, list[tuple[int, float]]] = {kind: [] for kind in DonorKind.values}
    kind_of: dict[int, str] = {}

    def add(kind: str, name: str, tax_code: str = "", phone: str = "",
            named: bool = False) -> int:
        pk = rows.new_id(Donor)
        rows.add(Donor, (pk, clock.uuid(), fund.pk, kind, name,
                         fold(name), tax_code, phone, named, by, clock.moment(first)))
        kind_of[pk] = kind
        return pk

    anonymous = add(DonorKind.INDIVIDUAL, t.ANONYMOUS)
    makers: dict[str, Callable[[], str]] = {
        DonorKind.INDIVIDUAL: lambda: style.name(
            rng, sex=names.FEMALE if rng.random() < 0.5 else names.MALE,
            generation=names.PARENT, family=style.family(rng)),
        DonorKind.BUSINESS: lambda: (f"{t.COMPANY_FORM(rng)} {rng.choice(t.COMPANY_TRADE)} "
                                     f"{rng.choice(t.COMPANY_NAME)}"),
        DonorKind.ORGANISATION: lambda: (f"{rng.choice(t.ORGANISATION)} "
                                         f"{rng.choice(communes).name}"),
        DonorKind.INTERNATIONAL: lambda: " ".join(rng.choice(part) for part in t.INTERNATIONAL),
    }
    for _n in range(max(count - 1, 0)):
        kind = t.DONOR_KIND(rng)
        name, attempt = makers[kind](), 0
        # People may share a name; a business or an organisation is named once.
        while kind != DonorKind.INDIVIDUAL and name in taken_names:
            attempt += 1
            name = makers[kind]() if attempt < 20 else f"{name.split(' - ')[0]} - {attempt}"
        taken_names.add(name)
        tax_code = phone = ""
        if kind == DonorKind.BUSINESS:
            while not tax_code or tax_code in taken_codes:
                tax_code = f"{rng.randint(10, 99)}{rng.randint(0, 10**8 - 1):08d}"
            taken_codes.add(tax_code)
            phone = f"02{rng.randint(0, 10**8 - 1):08d}"
        elif kind == DonorKind.INDIVIDUAL and rng.random() < 0.7:
            phone = f"09{rng.randint(0, 10**8 - 1):08d}"
        pk = add(kind, name, tax_code, phone, rng.random() < t.NAMED_SHARE[kind])
        weighted[kind].append((pk, rng.lognormvariate(0, 1.5)))
    if not weighted[DonorKind.INDIVIDUAL]:
        weighted[DonorKind.INDIVIDUAL].append((anonymous, 1.0))
    by_kind = {kind: Picker(pairs) for kind, pairs in weighted.items() if pairs}
    # A kind with no donor at this size gives through the anonymous donor.
    for kind in DonorKind.values:
        by_kind.setdefault(kind, Picker([(anonymous, 1.0)]))
    return Donors(by_kind=by_kind, anonymous=anonymous, kind_of=kind_of, count=count)
