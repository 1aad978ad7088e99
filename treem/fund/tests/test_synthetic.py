"""The fund's synthetic data at a tiny scale: every journal balanced, no earmark spent below
zero or outside its purpose, no need paid more than it asked, a second support of a kind in a
year only with an officer's reason, every row valid as its model says, the same seed the same
fund."""

import datetime
import hashlib
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q, Sum

from treem.fund.matching import fits
from treem.fund.models import (
    Allocation,
    AllocationStatus,
    Campaign,
    Delivery,
    Donor,
    GoodsLot,
    Journal,
    JournalKind,
    Need,
    NeedStatus,
    Pledge,
    Posting,
    Receipt,
    Restriction,
)
from treem.fund.synthetic import FundResult, generate_fund
from treem.geo.models import Unit
from treem.registry.catalogues import load_catalogues
from treem.registry.models import ChildSupport
from treem.registry.synthetic import generate
from treem.registry.tests.test_synthetic import make_province

pytestmark = pytest.mark.django_db

NEEDS, DONORS, POSTINGS, SUPPORTS = 150, 30, 2_400, 60


def fill(province: Unit) -> FundResult:
    return generate_fund(province=province, seed=9, needs_count=NEEDS, donors=DONORS,
                         postings=POSTINGS, supports=SUPPORTS)


@pytest.fixture
def province() -> Unit:
    load_catalogues()
    province = make_province()
    generate(province=province, children=1_500, seed=5)
    return province


@pytest.fixture
def result(province: Unit) -> FundResult:
    return fill(province)


def digest() -> str:
    rows = (list(Need.objects.order_by("id").values_list("public_id", "child_id", "kind__code",
                                                          "amount", "status", "priority")),
            list(Posting.objects.order_by("id").values_list("journal_id", "account", "amount",
                                                            "quantity")),
            list(Allocation.objects.order_by("id").values_list("need_id", "amount", "status")))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class LedgerTests:
    def test_every_journal_adds_up_to_zero(self, result: FundResult) -> None:
        totals = Journal.objects.annotate(amount=Sum("postings__amount"),
                                          units=Sum("postings__quantity"),
                                          lines=Count("postings"))
        assert totals.count() == sum(result.journals.values())
        assert not totals.filter(~Q(amount=0) | ~Q(units=0) | Q(lines=0)).exists()
        assert Posting.objects.count() == result.postings
        assert abs(result.postings - POSTINGS) < POSTINGS * 0.25

    def test_no_bucket_ever_holds_less_than_nothing(self, result: FundResult) -> None:
        held: dict[tuple, int] = defaultdict(int)
        units: dict[tuple, int] = defaultdict(int)
        for posting in (Posting.objects.filter(account="available")
                        .order_by("journal__day", "journal_id")
                        .values("restriction_id", "campaign_id", "lot_id", "amount",
                                "quantity", "journal__kind")):
            key = (posting["restriction_id"], posting["campaign_id"], posting["lot_id"])
            held[key] += posting["amount"]
            units[key] += posting["quantity"]
            assert held[key] >= 0 and units[key] >= 0, posting
        assert result.receipts == Receipt.objects.count() > 0

    def test_the_rows_name_what_the_ledger_holds(self, result: FundResult) -> None:
        receipts = Receipt.objects.aggregate(total=Sum("amount"))["total"]
        received = Posting.objects.filter(journal__kind=JournalKind.RECEIPT,
                                          account="available").aggregate(t=Sum("amount"))["t"]
        assert receipts == received
        lots = GoodsLot.objects.aggregate(total=Sum("value"))["total"]
        assert lots == Posting.objects.filter(journal__kind=JournalKind.GOODS,
                                              account="available").aggregate(t=Sum("amount"))["t"]
        for allocation in Allocation.objects.select_related("journal", "release"):
            posted = allocation.journal.postings.get(account="allocated")
            assert (posted.amount, posted.quantity, posted.restriction_id) == (
                allocation.amount, allocation.quantity, allocation.restriction_id)
            assert (allocation.status == AllocationStatus.CANCELLED) == (
                allocation.release is not None)
        assert Delivery.objects.count() == Allocation.objects.filter(
            status=AllocationStatus.DELIVERED).count() > 0


class RulesTests:
    def test_money_is_spent_only_on_approved_needs_its_earmark_fits(
            self, result: FundResult) -> None:
        for allocation in Allocation.objects.select_related("restriction", "need"):
            assert allocation.need.status == NeedStatus.APPROVED
            assert fits(allocation.restriction, allocation.need), allocation.restriction.key
        given = (Allocation.objects.exclude(status=AllocationStatus.CANCELLED)
                 .values("need_id", "need__amount").annotate(total=Sum("amount")))
        assert all(row["total"] <= row["need__amount"] for row in given)
        big = Allocation.objects.filter(amount__gt=20_000_000)
        assert not big.filter(decided_by__isnull=True).exclude(
            status=AllocationStatus.AWAITING_APPROVAL).exists()

    def test_a_second_support_of_a_kind_in_a_year_carries_a_reason(
            self, result: FundResult) -> None:
        live = list(Allocation.objects.exclude(status=AllocationStatus.CANCELLED)
                    .filter(child__isnull=False).select_related("kind").order_by("id"))
        seen: set[tuple] = set()
        for allocation in live:
            key = (allocation.child_id, allocation.kind_id, allocation.period_start)
            supported = ChildSupport.objects.filter(
                child_id=allocation.child_id, kind=allocation.kind.support_kind,
                start_date__lte=allocation.period_end).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=allocation.period_start)).exists()
            if key in seen or supported:
                assert allocation.override_reason, allocation.pk
            seen.add(key)
        assert result.counts["refused as double beneficiaries"] > 0

    def test_the_needs_list_is_realistic(self, result: FundResult) -> None:
        statuses = dict(Need.objects.values_list("status").annotate(n=Count("id")))
        assert sum(statuses.values()) == NEEDS
        assert 0.45 < statuses[NeedStatus.APPROVED] / NEEDS < 0.75
        assert Need.objects.filter(child__isnull=False).count() > NEEDS * 0.8
        assert Need.objects.filter(priority__gt=0).exists()  # computed by the rules' UPDATE
        assert ChildSupport.objects.filter(provider__contains="").count() >= SUPPORTS

    def test_every_row_is_valid_as_its_model_says(self, result: FundResult) -> None:
        for model in (Donor, Campaign, Restriction, Pledge, Receipt, GoodsLot, Need,
                      Allocation, Delivery, Journal):
            rows = list(model.objects.order_by("?")[:40])  # each check reads its keys
            assert rows, model
            for row in rows:
                row.full_clean(validate_unique=False)
        references = Receipt.objects.exclude(bank_reference="").values_list("bank_reference",
                                                                             flat=True)
        assert len(set(references)) == len(references)
        assert not Receipt.objects.filter(channel="cash", receipt_number="").exists()
        assert not Journal.objects.filter(day__gt=datetime.date(2026, 6, 30)).exists()


class RunTests:
    def test_the_same_seed_gives_the_same_fund(self, province: Unit) -> None:
        with transaction.atomic():
            fill(province)
            first = digest()
            transaction.set_rollback(True)
        fill(province)
        assert digest() == first

    def test_it_needs_a_register(self) -> None:
        load_catalogues()
        province = make_province()
        with pytest.raises(ValueError, match="generate_children"):
            generate_fund(province=province, seed=1)

    def test_the_command_reports_what_it_wrote(self, province: Unit) -> None:
        out = StringIO()
        call_command("generate_fund", "--province", "04", "--needs", "80", "--donors", "20",
                     "--postings", "1500", "--supports", "20", stdout=out)
        assert "80 needs" in out.getvalue() and "postings" in out.getvalue()
        assert Need.objects.count() == 80
