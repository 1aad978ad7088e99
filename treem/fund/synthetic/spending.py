"""The fund's spending in a synthetic run: approved needs allocated from an earmark that fits
them (a child's own earmark first, then goods of the need's kind, the kind's earmark, the
commune's, the area's, the programme's, unrestricted money last), decided by the approver
above the threshold, delivered by the commune, or cancelled; see `money` for the run."""

import datetime
from collections import deque
from typing import Any

from treem.fund.models import (
    Account,
    Allocation,
    AllocationStatus,
    Beneficiary,
    Delivery,
    JournalKind,
    NeedStatus,
    RestrictionKind,
)
from treem.fund.synthetic import tables as t
from treem.fund.synthetic.money import GOODS_KINDS, IN, OUT, OVERRIDE_SHARE, Given, Run
from treem.fund.synthetic.needs_list import Wanted
from treem.fund.synthetic.rows import Key
from treem.fund.synthetic.setup import add_restriction, lognormal

A, R = Account.AVAILABLE, Account.ALLOCATED
MONEY, GOODS = "money", "goods"
DELIVERED, CANCELLED_BEFORE = 0.9, 0.93  # cumulative shares of what follows an allocation
SPLIT_SKIPPED = 0.5  # a need paid in part whose rest waits for the next gifts


class Spending(Run):
    def schedule_needs(self, wanted: list[Wanted], *, child_labels: dict[int, str]) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        for need in wanted:
            if need.status != NeedStatus.APPROVED or need.decided is None:
                continue
            if need.code == "treatment" and need.child_id in child_labels \
                    and rng.random() < 0.3:
                self._gifts_for_child(need, child_labels[need.child_id])
            if rng.random() < 0.92:
                self.at(need.decided + rng.randint(2, 45), OUT, self.allocate, need)
        households = {need.household_id for need in wanted
                      if need.beneficiary == Beneficiary.HOUSEHOLD}
        for pk, _commune, household, _birth in ctx.register.children:
            if household is not None and household in households:
                self.household_children.setdefault(household, []).append(pk)

    def _gifts_for_child(self, need: Wanted, label: str) -> None:
        """A donor's gift for one child of the needs list (an operation's appeal), earmarked by
        the fund manager from the need's reference."""
        ctx, rng = self.ctx, self.ctx.rng
        key = f"child:{need.child_id}"
        if key not in ctx.earmarks.by_key:
            ctx.earmarks.by_key[key] = add_restriction(
                ctx.rows, fund=ctx.fund, key=key, kind=RestrictionKind.CHILD, label=label,
                child_id=need.child_id)
            ctx.earmarks.new += 1
        restriction = ctx.earmarks.by_key[key]
        assert need.decided is not None
        left = need.amount
        while left > 0:
            part = min(left, lognormal(rng, t.GIFT["individual"]) * 10)
            donor = ctx.donors.by_kind[rng.choice(["individual", "business"])](rng)
            self.at(need.decided + rng.randint(0, 20), IN, self.receive, donor, part, True,
                    restriction, None, None)
            left -= part

    def allocate(self, day: int, need: Wanted) -> None:
        rng = self.ctx.rng
        found = self.overlaps(need)
        override = rng.choice(t.OVERRIDE) if found else ""
        if found and rng.random() >= OVERRIDE_SHARE:
            self.counts["refused as double beneficiaries"] += 1
            return
        candidates = self.candidates(need)
        made = 0
        for position, (how, target) in enumerate(candidates):
            remaining = need.amount - need.given
            if remaining <= 0 or made == 2 or (made and rng.random() < SPLIT_SKIPPED):
                break
            taken = self.take(how, target, remaining)
            if taken is None:
                continue
            key, amount, units = taken
            last = position == len(candidates) - 1
            if not made and amount < remaining and amount * 10 < need.amount * 3 and not last:
                continue  # too little here for a first payment: the next earmark
            # A second allocation meets the first in the check: the officer says why.
            self.allocation(day, need, key, amount, units,
                            override or (t.SAME_NEED if made else ""))
            made += 1

    def overlaps(self, need: Wanted) -> bool:
        """Whether the service's check finds another support of the need's kind in its year,
        from the fund or on the register."""
        first = datetime.date(need.year, 1, 1).toordinal()
        last = datetime.date(need.year, 12, 31).toordinal()
        register = self.ctx.register
        if need.child_id is not None:
            household = register.household_of.get(need.child_id)
            if self.fund_children[need.kind_id, need.year, need.child_id] or (
                    household is not None
                    and self.fund_households[need.kind_id, need.year, household]):
                return True
            children = [need.child_id]
        elif need.household_id is None:
            return False  # a commune's or a facility's need: no one to count twice
        else:
            if (self.fund_households[need.kind_id, need.year, need.household_id]
                    or self.via_children[need.kind_id, need.year, need.household_id]):
                return True
            children = self.household_children.get(need.household_id, [])
        return any(kind == need.support_kind and start <= last and end >= first
                   for child in children for kind, start, end in register.supports.get(child, ()))

    def candidates(self, need: Wanted) -> list[tuple[str, Any]]:
        keys, rng = self.ctx.earmarks.by_key, self.ctx.rng
        found: list[tuple[str, Any]] = []
        if need.child_id is not None and f"child:{need.child_id}" in keys:
            found.append((MONEY, keys[f"child:{need.child_id}"]))
        if need.code in GOODS_KINDS and rng.random() < 0.5:
            for key in (f"need:{need.code}", "unrestricted"):
                if key in keys:
                    found.append((GOODS, (keys[key], need.code)))
        wanted = [f"need:{need.code}", f"place:{need.commune_id}"]
        if need.commune_id in self.ctx.area_units:
            wanted.append(self.ctx.area_key)
        if need.programme:
            wanted.append(f"programme:{need.programme.casefold()}")
        found += [(MONEY, keys[key]) for key in wanted if key in keys]
        found.append((MONEY, keys["unrestricted"]))
        return found

    def take(self, how: str, target: Any, remaining: int) -> tuple[Key, int, int] | None:
        """(bucket, đồng, units) this earmark can give the need now, or None."""
        ledger = self.ctx.ledger
        if how == MONEY:
            keys = self.money.get(target)
            if not keys:
                return None
            best = max(keys, key=lambda key: ledger.available[key])  # the first of equals
            held = ledger.available[best]
            return (best, min(remaining, held), 0) if held > 0 else None
        queue = self.lots.get(target)
        while queue and ledger.units[queue[0]] <= 0:
            queue.popleft()
        if not queue:
            return None
        key = queue[0]
        held, held_units = ledger.available[key], ledger.units[key]
        # The service's valuation: a share of what is left, the last items take the rest.
        units = min(self.ctx.rng.randint(*self.per_need[key[2]]), held_units)
        while units and held * units // held_units > remaining:
            units -= 1
        amount = held * units // held_units
        return (key, amount, units) if units and amount > 0 else None

    def allocation(self, day: int, need: Wanted, key: Key, amount: int, units: int,
                   override: str) -> None:
        ctx = self.ctx
        journal = ctx.ledger.move(kind=JournalKind.ALLOCATION, day=day,
                                  by=ctx.staff.manager.pk, key=key, source=A, target=R,
                                  amount=amount, units=units)
        awaiting = amount > ctx.fund.approval_threshold
        given = Given(pk=ctx.rows.new_id(Allocation), need=need, key=key, amount=amount,
                      units=units, day=day, journal=journal, override=override,
                      status=AllocationStatus.AWAITING_APPROVAL if awaiting
                      else AllocationStatus.APPROVED)
        self.given.append(given)
        need.given += amount
        self._count(given, 1)
        if override:
            self.counts["given with an officer's reason"] += 1
        if awaiting:
            self.at(day + ctx.rng.randint(1, 10), OUT, self.decide, given)
        else:
            self.follow(given, day)

    def _count(self, given: Given, step: int) -> None:
        need = given.need
        if need.child_id is not None:
            self.fund_children[need.kind_id, need.year, need.child_id] += step
            household = self.ctx.register.household_of.get(need.child_id)
            if household is not None:
                self.via_children[need.kind_id, need.year, household] += step
        elif need.household_id is not None:
            self.fund_households[need.kind_id, need.year, need.household_id] += step

    def follow(self, given: Given, day: int) -> None:
        roll, rng = self.ctx.rng.random(), self.ctx.rng
        if roll < DELIVERED:
            self.at(day + rng.randint(3, 40), OUT, self.deliver, given)
        elif roll < CANCELLED_BEFORE:
            self.at(day + rng.randint(5, 30), OUT, self.cancel, given)

    def decide(self, day: int, given: Given) -> None:
        given.decided = day
        if self.ctx.rng.random() < 0.92:
            given.status = AllocationStatus.APPROVED
            self.follow(given, day)
        else:
            self.release(day, given, by=self.ctx.staff.approver.pk,
                         reason=self.ctx.rng.choice(t.REFUSED))

    def cancel(self, day: int, given: Given) -> None:
        if given.status == AllocationStatus.APPROVED:
            self.release(day, given, by=self.ctx.staff.manager.pk,
                         reason=self.ctx.rng.choice(t.RELEASED))

    def release(self, day: int, given: Given, *, by: int, reason: str) -> None:
        ledger = self.ctx.ledger
        emptied = given.units and ledger.units[given.key] <= 0
        given.release = ledger.move(kind=JournalKind.RELEASE, day=day, by=by, key=given.key,
                                    source=R, target=A, amount=given.amount, units=given.units,
                                    reason=reason)
        given.status, given.cancel_reason = AllocationStatus.CANCELLED, reason
        given.need.given -= given.amount
        self._count(given, -1)
        if emptied:  # the lot's queue may have let it go: its goods are back
            self.lots.setdefault((given.key[0], given.need.code), deque()).append(given.key)

    def deliver(self, day: int, given: Given) -> None:
        if given.status != AllocationStatus.APPROVED:
            return
        ctx = self.ctx
        officer = ctx.staff.officer.get(given.need.commune_id, ctx.staff.manager.pk)
        journal = ctx.ledger.move(kind=JournalKind.DELIVERY, day=day, by=officer,
                                  key=given.key, source=R, target=Account.DISBURSED,
                                  amount=given.amount, units=given.units)
        ctx.rows.add(Delivery, (ctx.rows.new_id(Delivery), ctx.ledger.uuid(), given.pk,
                                ctx.clock.day(day), "", journal, officer,
                                ctx.clock.moment(day)))
        given.status = AllocationStatus.DELIVERED
        self.counts["deliveries"] += 1

    def write_allocations(self) -> None:
        ctx = self.ctx
        for given in self.given:
            need = given.need
            household = need.household_id if need.beneficiary == Beneficiary.HOUSEHOLD else None
            ctx.rows.add(Allocation, (
                given.pk, ctx.ledger.uuid(), ctx.fund.pk, need.pk, *given.key, given.amount,
                given.units, need.child_id, household, need.kind_id,
                ctx.clock.day(datetime.date(need.year, 1, 1).toordinal()),
                ctx.clock.day(datetime.date(need.year, 12, 31).toordinal()), need.commune_id,
                need.unit_path, given.status, given.journal, given.release, given.override,
                ctx.staff.manager.pk, ctx.clock.moment(given.day),
                ctx.staff.approver.pk if given.decided else None,
                ctx.clock.moment(given.decided) if given.decided else None,
                given.cancel_reason))
            self.counts[f"allocations {given.status}"] += 1

