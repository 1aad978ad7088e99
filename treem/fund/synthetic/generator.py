"""Fills the child-protection fund of one province with synthetic data about the children
already on its register (see `treem.registry.synthetic`, which puts them there): donors,
campaigns, earmarks, pledges, receipts over the years, goods lots, a needs list, allocations
to approved needs, deliveries, and state supports on the register.

A factory of benchmark and demo data, like the register's: rows are written directly with the
register generator's bulk writer (COPY on PostgreSQL, `executemany` on SQLite), with primary
keys assigned here from the current maxima and sequences reset afterwards, instead of going
through the services one receipt at a time (a million postings would take hours). What the
services guarantee is kept: every journal adds up to zero, money leaves an earmark only within
its balance and only for a need it fits, a need receives no more than it asked, a second
support of a kind in a year is given only with an officer's reason (`money`, `spending`). The
fund itself and its mountain area are opened through the services; the needs' priorities are
computed by `needs.priorities_refresh`, set-based. One audit event ("data_loaded") records
the run. Nothing it writes is about a real person.

Deterministic: the same seed, province, sizes, reference date and starting database give the
same rows (the accounts it may create aside). Only `random.Random` instances seeded from the
arguments are used, never the global generator or the clock.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model

from treem.audit.models import Action
from treem.audit.services import event_record
from treem.fund import gifts, needs, services
from treem.fund.models import (
    Allocation,
    Area,
    Campaign,
    Delivery,
    Donor,
    Fund,
    GoodsLot,
    Journal,
    Need,
    NeedKind,
    NeedStatus,
    Pledge,
    Posting,
    Receipt,
    Restriction,
)
from treem.fund.synthetic import setup
from treem.fund.synthetic.money import MoneyContext
from treem.fund.synthetic.needs_list import NeedsContext, make_needs, make_supports, read_register
from treem.fund.synthetic.rows import Clock, Ledger, Rows
from treem.fund.synthetic.spending import Spending
from treem.fund.synthetic.staff import fund_staff
from treem.geo.models import Level, Unit
from treem.registry.models import Child, ChildSupport
from treem.registry.synthetic import REFERENCE_DATE
from treem.registry.synthetic.writer import Values, after_bulk_insert, run_timestamp

YEARS = 3
BATCH_SIZE = 50_000
AREA_NAME = "Các xã miền núi"
AREA_SHARE = 0.6  # of the province's rural communes (xã)

COLUMNS: dict[type[Model], tuple[str, ...]] = {
    Donor: ("id", "public_id", "fund_id", "kind", "name", "name_folded", "tax_code", "phone",
            "named_publicly", "created_by_id", "created_at"),
    Campaign: ("id", "public_id", "fund_id", "kind", "name", "starts_on", "ends_on", "goal",
               "created_by_id", "created_at"),
    Restriction: ("id", "fund_id", "kind", "key", "label", "programme", "unit_id", "area_id",
                  "need_kind_id", "child_id"),
    Pledge: ("id", "public_id", "fund_id", "donor_id", "campaign_id", "restriction_id", "amount",
             "goods", "pledged_on", "due_on", "status", "created_by_id", "created_at"),
    Journal: ("id", "public_id", "fund_id", "kind", "day", "reason", "reverses_id",
              "created_by_id", "created_at"),
    Posting: ("id", "journal_id", "fund_id", "restriction_id", "campaign_id", "lot_id",
              "account", "amount", "quantity"),
    GoodsLot: ("id", "public_id", "fund_id", "donor_id", "journal_id", "pledge_id",
               "description", "quantity", "measure", "value", "valuation", "received_on"),
    Receipt: ("id", "public_id", "fund_id", "donor_id", "journal_id", "pledge_id", "amount",
              "channel", "receipt_number", "bank_reference", "received_on"),
    Need: ("id", "public_id", "fund_id", "kind_id", "beneficiary", "child_id", "household_id",
           "facility", "commune_id", "unit_path", "programme", "description", "amount", "year",
           "status", "priority", "proposed_by_id", "proposed_at", "decided_by_id",
           "decided_at", "decision_reason"),
    ChildSupport: ("id", "public_id", "child_id", "province_code", "start_date", "end_date",
                   "kind", "provider"),
    Allocation: ("id", "public_id", "fund_id", "need_id", "restriction_id", "campaign_id",
                 "lot_id", "amount", "quantity", "child_id", "household_id", "kind_id",
                 "period_start", "period_end", "commune_id", "unit_path", "status",
                 "journal_id", "release_id", "override_reason", "created_by_id", "created_at",
                 "decided_by_id", "decided_at", "cancel_reason"),
    Delivery: ("id", "public_id", "allocation_id", "delivered_on", "note", "journal_id",
               "recorded_by_id", "recorded_at"),
}


@dataclass(frozen=True)
class FundResult:
    fund_id: int
    donors: int
    campaigns: int
    restrictions: int
    needs: dict[str, int]
    supports: int
    counts: dict[str, int]
    journals: dict[str, int]
    postings: int
    staff_created: int

    @property
    def receipts(self) -> int:
        return self.counts.get("receipts", 0)


def generate_fund(*, province: Unit, seed: int, needs_count: int = 50_000,
                  donors: int = 2_000, postings: int = 1_000_000, supports: int = 20_000,
                  years: int = YEARS, reference_date: datetime.date = REFERENCE_DATE,
                  batch_size: int = BATCH_SIZE,
                  progress: Callable[[str], None] | None = None) -> FundResult:
    """The fund of the current `province` (opened if it has none), filled over the `years`
    up to `reference_date`: `needs_count` needs of its children, `donors` donors, about
    `postings` postings, `supports` supports on the register. `progress` is told how long
    each step took."""
    started = time.perf_counter()

    def step(name: str) -> None:
        nonlocal started
        if progress is not None:
            progress(f"{name}: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()

    if province.level != Level.PROVINCE or not province.is_current:
        raise ValueError("generate_fund() needs a current province")
    if min(needs_count, donors, postings) < 1 or supports < 0 or years < 1:
        raise ValueError("needs, donors and postings must be at least 1")
    if not Child.objects.filter(province_code=province.code).exists():
        raise ValueError(f"{province.name} has no children on the register: "
                         "run generate_children first")
    rng = random.Random(f"treem-fund-synthetic:{seed}:{province.code}")  # noqa: S311 - not for secrets
    communes = list(Unit.objects.current().filter(level=Level.COMMUNE).within(province)
                    .order_by("code", "pk"))
    first = (reference_date - datetime.timedelta(days=round(365.25 * years) - 1)).toordinal()
    last = reference_date.toordinal()
    with transaction.atomic():
        staff = fund_staff(province=province, communes=communes, rng=rng)
        fund = Fund.objects.filter(unit=province).first() or services.fund_open(
            actor=None, unit=province, name=f"Quỹ Bảo trợ trẻ em {province.name[0].lower()}"
                                            f"{province.name[1:]}")
        area = _area(fund, staff.manager, communes, rng)
        register = read_register(province, {unit.pk for unit in communes})
        step("read the register")
        rows = Rows(COLUMNS, now=run_timestamp(), batch=batch_size)
        id_rng = random.Random(f"treem-fund-synthetic-ids:{seed}:{province.code}:"  # noqa: S311 - idem
                               f"{rows.next_id[Journal]}:{rows.next_id[Need]}")
        clock = Clock(Values(), random.Random(f"treem-fund-clock:{seed}"), id_rng)  # noqa: S311 - idem
        kinds = {code: (pk, support) for pk, code, support in
                 NeedKind.objects.values_list("pk", "code", "support_kind")}
        campaigns = setup.campaigns(rows, clock, fund=fund, by=staff.manager.pk,
                                    first=datetime.date.fromordinal(first),
                                    last=reference_date, rng=rng)
        earmarks = setup.earmarks(rows, fund=fund, area=area, communes=communes,
                                  kind_ids={code: pk for code, (pk, _s) in kinds.items()},
                                  rng=rng)
        givers = setup.donors(rows, clock, fund=fund, by=staff.manager.pk, count=donors,
                              first=first, province=province, communes=communes, rng=rng)
        context = NeedsContext(
            rows=rows, clock=clock, rng=rng, fund_id=fund.pk, kinds=kinds,
            paths={unit.pk: unit.path for unit in communes},
            names={unit.pk: unit.name for unit in communes}, officer=staff.officer,
            province_officer=staff.province_officer.pk, first=first, last=last)
        wanted = make_needs(context, register, needs_count)
        made_supports = make_supports(context, register, wanted, supports,
                                      province_code=province.code)
        step("donors, campaigns, earmarks, needs and supports")
        run = Spending(MoneyContext(
            rows=rows, clock=clock, ledger=Ledger(rows, clock, fund_id=fund.pk), rng=rng,
            fund=fund, staff=staff, earmarks=earmarks, donors=givers, campaigns=campaigns,
            area_units=set(area.units.values_list("pk", flat=True)) if area else set(),
            area_key=f"area:{area.pk}" if area else "", register=register, first=first,
            last=last))
        _schedule(run, wanted, postings)
        run.run()
        run.write_allocations()
        step("the ledger's run (with the rows written in batches)")
        rows.flush()
        after_bulk_insert(list(COLUMNS))
        step("the last rows, sequences and planner statistics")
        needs.priorities_refresh(fund)
        step("the needs' priorities (one UPDATE)")
        by_status = {status: sum(1 for need in wanted if need.status == status)
                     for status in NeedStatus.values}
        result = FundResult(
            fund_id=fund.pk, donors=givers.count, campaigns=len(campaigns),
            restrictions=earmarks.new, needs=by_status, supports=made_supports,
            counts=dict(run.counts), journals=dict(run.ctx.ledger.journals),
            postings=run.ctx.ledger.postings, staff_created=staff.created)
        event_record(actor=staff.manager, action=Action.DATA_LOADED, unit=province,
                     reason=(f"synthetic fund: seed={seed} needs={len(wanted)} "
                             f"donors={givers.count} postings={result.postings} "
                             f"supports={made_supports} "
                             f"reference_date={reference_date.isoformat()}"))
    step("commit (the foreign keys are checked then)")
    return result


def _area(fund: Fund, manager: object, communes: list[Unit], rng: random.Random
          ) -> Area | None:
    """The fund's mountain area: the one it has, or most of its rural communes (xã)."""
    found = Area.objects.filter(fund=fund, mountain=True).order_by("pk").first()
    rural = [unit for unit in communes if unit.name.startswith("Xã ")]
    if found is not None or not rural:
        return found
    chosen = sorted(rng.sample(rural, max(1, round(len(rural) * AREA_SHARE))),
                    key=lambda unit: unit.code)
    return gifts.area_create(actor=manager, fund=fund, name=AREA_NAME,  # type: ignore[arg-type]
                             units=chosen, mountain=True)


def _schedule(run: Spending, wanted: list, postings: int) -> None:
    """Gifts enough for about `postings` postings once the approved needs are answered
    (an allocation, then a delivery or a release: four postings a need, nine in ten needs)."""
    rng = run.ctx.rng
    approved = [need for need in wanted if need.status == NeedStatus.APPROVED]
    treatment = [need.child_id for need in approved
                 if need.code == "treatment" and need.child_id is not None]
    labels = {pk: f"Trẻ em TE-{str(public_id)[:8]}" for pk, public_id in
              Child.objects.filter(pk__in=treatment).values_list("pk", "public_id")}
    spend = round(len(approved) * 0.92 * 1.05 * 4)
    lots = max(1, postings // 2_000)
    pledges = max(1, postings // 3_000)
    for_children = round(len(treatment) * 0.3 * 3)
    gifts_count = max(1, (postings - spend - 2 * lots - 3 * pledges - 2 * for_children) // 2)
    run.schedule_gifts(gifts_count)
    run.schedule_pledges(pledges)
    run.schedule_lots(lots)
    run.schedule_needs(wanted, child_labels=labels)
    for _n in range(gifts_count // 10_000):
        run.at(rng.randint(run.ctx.first + 180, run.ctx.last), 1, run.give_back)
