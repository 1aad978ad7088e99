"""A synthetic needs list over the children already on the register, and the state supports
recorded on some of them.

Needs go mostly to children the priority rules rank (a special circumstance, a poor or
near-poor household), as a commune's officer proposes them; each is for a child under 16 on the
day it is proposed, in the child's commune; a child has one need of a kind a year. The
province decides most within weeks; some are still waiting at the end of the period. The
supports are what the double-beneficiary check compares: many overlap a need's year with the
same kind of support, as the state's aid for school fees overlaps a scholarship."""

import datetime
import random
from dataclasses import dataclass, field

from treem.fund.models import Beneficiary, Need, NeedStatus
from treem.fund.synthetic import tables as t
from treem.fund.synthetic.rows import Clock, Rows
from treem.fund.synthetic.setup import lognormal
from treem.geo.models import Unit
from treem.registry.choices import PovertyStatus, SupportKind
from treem.registry.models import Child, ChildCircumstance, ChildSupport, years_before
from treem.registry.synthetic.picker import Picker


@dataclass(slots=True)
class Wanted:
    """A need as the money's run reads it."""

    pk: int
    code: str
    kind_id: int
    support_kind: str
    beneficiary: str
    child_id: int | None
    household_id: int | None
    commune_id: int
    unit_path: str
    amount: int
    year: int
    status: str
    decided: int | None  # ordinal of the province's decision
    programme: str = ""
    given: int = 0  # đồng of its allocations not cancelled


@dataclass
class Register:
    """The province's children as the needs list reads them (not merged, alive)."""

    children: list[tuple[int, int, int | None, int]]  # id, commune id, household id, birth
    ranked: list[int]  # positions in `children` the priority rules rank
    others: list[int]
    supports: dict[int, list[tuple[str, int, int]]] = field(default_factory=dict)
    household_of: dict[int, int] = field(default_factory=dict)  # child id → household id


def read_register(province: Unit, communes: set[int]) -> Register:
    """The children of `province` living in its current `communes`, with their supports."""
    ranked_ids = set(ChildCircumstance.objects.filter(province_code=province.code)
                     .values_list("child_id", flat=True))
    poor = {PovertyStatus.POOR, PovertyStatus.NEAR_POOR}
    children: list[tuple[int, int, int | None, int]] = []
    ranked: list[int] = []
    others: list[int] = []
    rows = (Child.objects.filter(province_code=province.code, merged_into__isnull=True,
                                 death_date__isnull=True)
            .order_by("id").values_list("id", "commune_id", "household_id", "birth_date",
                                        "household__poverty_status"))
    for pk, commune_id, household_id, birth, poverty in rows.iterator(chunk_size=20_000):
        if commune_id not in communes:
            continue
        (ranked if pk in ranked_ids or poverty in poor else others).append(len(children))
        children.append((pk, commune_id, household_id, birth.toordinal()))
    register = Register(children=children, ranked=ranked, others=others)
    register.household_of = {pk: household for pk, _c, household, _b in children if household}
    for child_id, kind, start, end in (ChildSupport.objects.filter(province_code=province.code)
                                       .values_list("child_id", "kind", "start_date",
                                                    "end_date").iterator(chunk_size=20_000)):
        register.supports.setdefault(child_id, []).append(
            (kind, start.toordinal(), end.toordinal() if end else datetime.date.max.toordinal()))
    return register


@dataclass
class NeedsContext:
    rows: Rows
    clock: Clock
    rng: random.Random
    fund_id: int
    kinds: dict[str, tuple[int, str]]  # code → (id, register's support kind)
    paths: dict[int, str]  # commune id → path
    names: dict[int, str]  # commune id → name
    officer: dict[int, int]  # commune id → its officer's user id
    province_officer: int
    first: int  # ordinals of the period
    last: int


def make_needs(ctx: NeedsContext, register: Register, count: int) -> list[Wanted]:
    rng = ctx.rng
    made: list[Wanted] = []
    listed: set[tuple[object, ...]] = set()
    communes = sorted(ctx.paths)
    days = Picker((day, t.PROPOSAL_MONTH[datetime.date.fromordinal(day).month - 1])
                  for day in range(ctx.first, ctx.last + 1))
    attempts = 0
    while len(made) < count:
        attempts += 1
        if attempts > 100 * count:
            raise ValueError(f"only {len(made)} distinct needs found among the register's "
                             "children: ask for fewer")
        proposed = days(rng)
        beneficiary = t.BENEFICIARY(rng)
        if beneficiary in (Beneficiary.COMMUNE, Beneficiary.FACILITY):
            code, child_id, household_id = "playground", None, None
            commune_id = rng.choice(communes)
        else:
            code = t.CHILD_KIND(rng)
            pool = register.ranked if register.ranked and rng.random() < 0.8 else register.others
            pool = pool or register.ranked
            child_id, commune_id, household_id, birth = register.children[rng.choice(pool)]
            if not years_before(datetime.date.fromordinal(proposed), 16).toordinal() < birth \
                    < proposed - 30:
                continue  # not a child that day: the officer proposes for another
            if beneficiary == Beneficiary.HOUSEHOLD:
                if household_id is None:
                    continue
                child_id = None
        day = datetime.date.fromordinal(proposed)
        year = day.year + 1 if day.month >= 11 and rng.random() < 0.5 else day.year
        facility = (f"{rng.choice(t.FACILITY)} {ctx.names[commune_id].split(' ', 1)[-1]}"
                    if beneficiary == Beneficiary.FACILITY else "")
        programme = t.PROGRAMME if code == "scholarship" and rng.random() < 0.1 else ""
        key = (code, year, beneficiary, child_id, household_id, commune_id, facility, programme)
        if key in listed:
            continue
        listed.add(key)
        made.append(_need(ctx, proposed=proposed, code=code, beneficiary=beneficiary,
                          child_id=child_id, household_id=household_id, commune_id=commune_id,
                          year=year, facility=facility, programme=programme))
    return made


def _need(ctx: NeedsContext, *, proposed: int, code: str, beneficiary: str,
          child_id: int | None, household_id: int | None, commune_id: int, year: int,
          facility: str, programme: str) -> Wanted:
    rng = ctx.rng
    status, decided, reason = t.OUTCOME(rng), None, ""
    decided_by = None
    if status in (NeedStatus.APPROVED, NeedStatus.REJECTED):
        decided = proposed + rng.randint(5, 45)
        if decided > ctx.last:
            status, decided = NeedStatus.PROPOSED, None
        else:
            decided_by = ctx.province_officer
            reason = rng.choice(t.REJECTED) if status == NeedStatus.REJECTED else ""
    elif status == NeedStatus.CANCELLED:
        if proposed + 60 > ctx.last:
            status = NeedStatus.PROPOSED
        else:
            reason = rng.choice(t.CANCELLED)
    kind_id, support_kind = ctx.kinds[code]
    amount = lognormal(rng, t.NEED_AMOUNT[code])
    pk = ctx.rows.new_id(Need)
    ctx.rows.add(Need, (
        pk, ctx.clock.uuid(), ctx.fund_id, kind_id, beneficiary,
        child_id, household_id, facility, commune_id, ctx.paths[commune_id], programme,
        rng.choice(t.DESCRIPTION[code]), amount, year, status, 0, ctx.officer[commune_id],
        ctx.clock.moment(proposed), decided_by,
        ctx.clock.moment(decided) if decided else None, reason))
    return Wanted(pk=pk, code=code, kind_id=kind_id, support_kind=support_kind,
                  beneficiary=beneficiary, child_id=child_id, household_id=household_id,
                  commune_id=commune_id, unit_path=ctx.paths[commune_id], amount=amount,
                  year=year, status=status, decided=decided, programme=programme)


def make_supports(ctx: NeedsContext, register: Register, wanted: list[Wanted], count: int,
                  *, province_code: str) -> int:
    """`count` supports on the register: most on children with a need, of the need's kind of
    support and in its year (what the check finds), the others on any child."""
    rng = ctx.rng
    with_needs = [need for need in wanted if need.child_id is not None]
    births = {pk: birth for pk, _c, _h, birth in register.children}
    made = 0
    for _n in range(count * 3):
        if made >= count:
            break
        if with_needs and rng.random() < 0.6:
            need = rng.choice(with_needs)
            child_id, kind, year = need.child_id, need.support_kind, need.year
        else:
            child_id, _c, _h, _b = register.children[rng.randrange(len(register.children))]
            kind, year = t.SUPPORT_KIND(rng), rng.randint(
                datetime.date.fromordinal(ctx.first).year,
                datetime.date.fromordinal(ctx.last).year)
        assert child_id is not None
        start, end = _support_period(rng, kind, year)
        start = max(start, births[child_id] + 1)
        if start > ctx.last or (end is not None and end < start):
            continue
        pk = ctx.rows.new_id(ChildSupport)
        ctx.rows.add(ChildSupport, (pk, ctx.clock.uuid(), child_id,
                                    province_code, ctx.clock.day(start),
                                    ctx.clock.day(end) if end else None, kind,
                                    rng.choice(t.PROVIDERS[kind])))
        register.supports.setdefault(child_id, []).append(
            (kind, start, end if end else datetime.date.max.toordinal()))
        made += 1
    return made


def _support_period(rng: random.Random, kind: str, year: int) -> tuple[int, int | None]:
    """(start, end) ordinals of a support that overlaps `year`, as each kind runs."""
    def day(y: int, month: int, d: int) -> int:
        return datetime.date(y, month, d).toordinal()

    if kind == SupportKind.EDUCATION:  # a school year
        first = year - 1 if rng.random() < 0.5 else year
        return day(first, 9, 5), day(first + 1, 5, 31)
    if kind == SupportKind.HEALTH:
        return day(year, 1, 1), day(year, 12, 31)
    if kind == SupportKind.SOCIAL_ALLOWANCE:  # monthly, until the child's situation changes
        start = day(year - rng.randint(0, 3), rng.randint(1, 12), 1)
        return start, None if rng.random() < 0.7 else start + rng.randint(365, 3 * 365)
    start = day(year, 1, 1) + rng.randint(0, 364)
    return start, start + (rng.randint(0, 30) if kind == SupportKind.IN_KIND
                           else rng.randint(30, 180))
