"""The money's run of a synthetic fund, day by day: gifts come in (transfers, cash, goods
lots, pledges honoured), the fund manager allocates approved needs from an earmark that fits
them and holds enough, the approver decides those above the threshold, the commune hands the
support over, a few allocations are cancelled, a few receipts reversed, a few restricted gifts
returned. Every movement is a balanced journal (`rows.Ledger`), and money leaves a bucket only
within what it holds on that day, as the services' checks ensure.

The double-beneficiary rule is kept as the service keeps it: a support of the same kind in
the same year, for the same child (or household), from the fund or recorded on the register,
is given only with an officer's reason, which most officers do not give."""

import datetime
import heapq
import random
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from treem.fund.models import (
    Account,
    Fund,
    GoodsLot,
    JournalKind,
    Pledge,
    PledgeStatus,
    Receipt,
)
from treem.fund.synthetic import tables as t
from treem.fund.synthetic.needs_list import Register, Wanted
from treem.fund.synthetic.rows import Clock, Key, Ledger, Rows
from treem.fund.synthetic.setup import CampaignSpan, Donors, Earmarks, lognormal
from treem.fund.synthetic.staff import FundStaff
from treem.registry.synthetic.picker import Picker

IN, OUT = 0, 1  # on one day, money comes in before it goes out
OVERRIDE_SHARE = 0.3  # officers who give a second support anyway, with their reason
GOODS_KINDS = {goods.kind for goods in t.GOODS.items}
A, D, R = Account.AVAILABLE, Account.DONATIONS, Account.ALLOCATED


@dataclass(slots=True)
class Given:
    """An allocation, written when the run ends (its status moves on as days pass)."""

    pk: int
    need: Wanted
    key: Key
    amount: int
    units: int
    day: int
    journal: int
    status: str
    override: str = ""
    decided: int | None = None
    release: int | None = None
    cancel_reason: str = ""


@dataclass
class MoneyContext:
    rows: Rows
    clock: Clock
    ledger: Ledger
    rng: random.Random
    fund: Fund
    staff: FundStaff
    earmarks: Earmarks
    donors: Donors
    campaigns: list[CampaignSpan]
    area_units: set[int]
    area_key: str
    register: Register
    first: int
    last: int


@dataclass
class Run:
    ctx: MoneyContext
    heap: list[tuple[int, int, int, Callable[..., None], tuple[Any, ...]]] = field(
        default_factory=list)
    seq: int = 0
    given: list[Given] = field(default_factory=list)
    # restriction → its buckets, in the order they were first funded (a set's order of tuples
    # holding None changes from one process to the next)
    money: dict[int, dict[Key, None]] = field(default_factory=dict)
    lots: dict[tuple[int, str], deque[Key]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    fund_children: Counter[tuple[int, int, int]] = field(default_factory=Counter)
    fund_households: Counter[tuple[int, int, int]] = field(default_factory=Counter)
    via_children: Counter[tuple[int, int, int]] = field(default_factory=Counter)
    household_children: dict[int, list[int]] = field(default_factory=dict)
    per_need: dict[int | None, tuple[int, int]] = field(default_factory=dict)  # lot → units

    def at(self, day: int, order: int, action: Callable[..., None], *args: Any) -> None:
        if day <= self.ctx.last:
            self.seq += 1
            heapq.heappush(self.heap, (day, order, self.seq, action, args))

    def run(self) -> None:
        while self.heap:
            day, _order, _seq, action, args = heapq.heappop(self.heap)
            action(day, *args)

    # --- Gifts --------------------------------------------------------------------------

    def schedule_gifts(self, count: int) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        campaign_of = {day: span.pk for span in ctx.campaigns
                       for day in range(span.first, span.last + 1)}
        days = Picker((day, 1 + (t.CAMPAIGN_BOOST if day in campaign_of else 0))
                      for day in range(ctx.first, ctx.last + 1))
        earmark = self._earmark_picker()
        for _n in range(count):
            day = days(rng)
            kind = t.RECEIPT_DONOR(rng)
            donor = (ctx.donors.anonymous if kind == "anonymous"
                     else ctx.donors.by_kind[kind](rng))
            kind = ctx.donors.kind_of[donor] if kind != "anonymous" else kind
            restriction = (ctx.earmarks.by_key["unrestricted"] if kind == "anonymous"
                           else earmark(rng))
            campaign = campaign_of.get(day) if rng.random() < t.IN_CAMPAIGN else None
            self.at(day, IN, self.receive, donor, lognormal(rng, t.GIFT[kind]),
                    rng.random() < t.BANK_SHARE[kind], restriction, campaign, None)
        self.counts["campaign days"] = len(campaign_of)
        self._campaign_of = campaign_of
        self._days = days

    def _earmark_picker(self) -> Picker[int]:
        keys = self.ctx.earmarks.by_key
        weighted: list[tuple[int, float]] = [(keys["unrestricted"], 68.0)]
        for prefix, share in (("need:", 14.0), ("area:", 7.0), ("place:", 8.0),
                              ("programme:", 3.0)):
            found = [pk for key, pk in keys.items() if key.startswith(prefix)]
            weighted += [(pk, share / len(found)) for pk in found]
        return Picker(weighted)

    def receive(self, day: int, donor: int, amount: int, bank: bool, restriction: int,
                campaign: int | None, pledge: int | None) -> None:
        ctx = self.ctx
        key = (restriction, campaign, None)
        journal = ctx.ledger.move(kind=JournalKind.RECEIPT, day=day, by=ctx.staff.manager.pk,
                                  key=key, source=D, target=A, amount=amount)
        pk = ctx.rows.new_id(Receipt)
        when = datetime.date.fromordinal(day)
        ctx.rows.add(Receipt, (
            pk, ctx.ledger.uuid(), ctx.fund.pk, donor, journal, pledge, amount,
            "bank" if bank else "cash", "" if bank else f"PT-{when.year}-{pk:07d}",
            f"FT{when:%y%j}{pk:08d}" if bank else "", ctx.clock.day(day)))
        self.money.setdefault(restriction, {})[key] = None
        self.counts["receipts"] += 1
        self.counts["received"] += amount
        if ctx.rng.random() < 0.0005:  # a transfer recorded twice, a bank's returned order
            self.at(day + ctx.rng.randint(1, 10), OUT, self.reverse, journal, key, amount)

    def reverse(self, day: int, journal: int, key: Key, amount: int) -> None:
        ctx = self.ctx
        if ctx.ledger.available[key] < amount:
            return  # spent since: the service refuses the reversal too
        ctx.ledger.post(kind=JournalKind.REVERSAL, day=day, by=ctx.staff.manager.pk,
                        reason=ctx.rng.choice(t.REVERSED), reverses=journal,
                        lines=[(key, A, -amount, 0), (key, D, amount, 0)])

    def schedule_lots(self, count: int) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        givers = [ctx.donors.by_kind[kind] for kind in ("business", "organisation")]
        for _n in range(count):
            day = self._days(rng)
            goods = t.GOODS(rng)
            restriction = ctx.earmarks.by_key.get(f"need:{goods.kind}",
                                                  ctx.earmarks.by_key["unrestricted"])
            campaign = self._campaign_of.get(day) if rng.random() < t.IN_CAMPAIGN else None
            self.at(day, IN, self.receive_goods, rng.choice(givers)(rng), goods, restriction,
                    campaign)

    def receive_goods(self, day: int, donor: int, goods: t.Goods, restriction: int,
                      campaign: int | None) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        units = rng.randint(*goods.quantity)
        value = round(units * rng.randint(*goods.unit_value), -3)
        pk = ctx.rows.new_id(GoodsLot)
        key = (restriction, campaign, pk)
        journal = ctx.ledger.move(kind=JournalKind.GOODS, day=day, by=ctx.staff.manager.pk,
                                  key=key, source=D, target=A, amount=value, units=units)
        ctx.rows.add(GoodsLot, (pk, ctx.ledger.uuid(), ctx.fund.pk, donor, journal, None,
                                goods.description, units, goods.measure, value,
                                rng.choice(t.VALUATION), ctx.clock.day(day)))
        self.lots.setdefault((restriction, goods.kind), deque()).append(key)
        self.per_need[pk] = goods.per_need
        self.counts["lots"] += 1

    def schedule_pledges(self, count: int) -> None:
        """Pledges of businesses, organisations and international donors: most honoured by
        one to three transfers before they are due, some still open, a few cancelled."""
        ctx, rng = self.ctx, self.ctx.rng
        kinds = Picker([("business", 70), ("organisation", 20), ("international", 10)])
        unrestricted = ctx.earmarks.by_key["unrestricted"]
        for _n in range(count):
            kind = kinds(rng)
            donor, pledged = ctx.donors.by_kind[kind](rng), self._days(rng)
            amount = lognormal(rng, t.GIFT[kind]) * 3
            due = pledged + rng.randint(30, 90)
            campaign = self._campaign_of.get(pledged) if rng.random() < t.IN_CAMPAIGN else None
            restriction = unrestricted if rng.random() < 0.7 else ctx.earmarks.by_key.get(
                "need:scholarship", unrestricted)
            roll, parts = rng.random(), []
            if roll < 0.55:
                cut = sorted(rng.sample(range(1, 20), rng.randint(0, 2)))
                shares = [b - a for a, b in zip([0, *cut], [*cut, 20], strict=True)]
                parts = [amount * share // 20 for share in shares]
                parts[-1] += amount - sum(parts)
            elif roll < 0.85:
                parts = [amount // 2]
            days = sorted(rng.randint(pledged, due) for _part in parts)
            status = (PledgeStatus.FULFILLED if roll < 0.55 and days[-1] <= ctx.last
                      else PledgeStatus.CANCELLED if roll >= 0.85 and due <= ctx.last
                      else PledgeStatus.OPEN)
            pk = ctx.rows.new_id(Pledge)
            ctx.rows.add(Pledge, (pk, ctx.ledger.uuid(), ctx.fund.pk, donor, campaign,
                                  restriction, amount, "", ctx.clock.day(pledged),
                                  ctx.clock.day(due), status, ctx.staff.manager.pk,
                                  ctx.clock.moment(pledged)))
            for day, part in zip(days, parts, strict=True):
                self.at(day, IN, self.receive, donor, part, True, restriction, campaign, pk)
            self.counts[f"pledges {status}"] += 1

    def give_back(self, day: int) -> None:
        """A restricted gift that cannot be used as earmarked, returned to its donor."""
        ctx, rng = self.ctx, self.ctx.rng
        held = [(key, ctx.ledger.available[key])
                for pk, keys in self.money.items()
                for key in keys if pk != ctx.earmarks.by_key["unrestricted"]]
        held = [(key, amount) for key, amount in held if amount >= 1_000_000]
        if not held:
            return
        key, amount = rng.choice(held)
        amount = int(round(amount * rng.uniform(0.1, 0.6), -3))
        ctx.ledger.move(kind=JournalKind.RETURN, day=day, by=ctx.staff.manager.pk, key=key,
                        source=A, target=Account.RETURNED, amount=amount,
                        reason=rng.choice(t.RETURNED))
        self.counts["returns"] += 1
