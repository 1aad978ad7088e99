"""The balance checkpoint: every balance read through it (the earmarks' accounts, what the fund
holds, one bucket, the API's buckets), and the public account's gifts by quarter and donor,
equal the sums of every posting and gift, before a checkpoint,
after one, with postings since, after a reversal, after any sequence of gifts, returns and
checkpoints (hypothesis); `checkpoint_check` and the nightly command find a checkpoint written
around the services; a balance reads two queries however many postings the fund has; and
(PostgreSQL) a checkpoint written while a receipt is still uncommitted, and another committed,
waits for it instead of losing it."""

import datetime
import itertools
from collections import defaultdict
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treem import testing
from treem.accounts.roles import Role
from treem.fund import balances, gift_sums, gifts, matching, public_sums, selectors, services
from treem.fund.api import _balances
from treem.fund.models import (
    Account,
    Campaign,
    Channel,
    Checkpoint,
    CheckpointSum,
    Fund,
    GiftSum,
    GoodsLot,
    Journal,
    Posting,
    Restriction,
    RestrictionKind,
)
from treem.fund.tests.conftest import DAY
from treem.testing import make_user

NAMES = itertools.count(1)


def gift(manager: Any, fund: Fund, amount: int, *, received_on: datetime.date = DAY,
         **links: Any) -> Journal:
    donor = services.donor_create(actor=manager, fund=fund, kind="business",
                                  name=f"Công ty số {next(NAMES)}",
                                  named_publicly=amount % 2_000_000 == 0)
    return services.receipt_record(actor=manager, fund=fund, donor=donor, amount=amount,
                                   received_on=received_on, channel=Channel.CASH,
                                   receipt_number=f"BL-{next(NAMES)}", **links).journal


def every_posting(fund: Fund) -> dict[tuple[Any, ...], tuple[int, int]]:
    """The balances summed the slow way, from every posting."""
    return {tuple(row[field] for field in balances.BUCKET): (row["a"], row["q"]) for row in (
        Posting.objects.filter(fund=fund).values(*balances.BUCKET)
        .annotate(a=Sum("amount"), q=Sum("quantity")).order_by())}


def assert_read_right(fund: Fund) -> None:
    """Every reader of balances agrees with the sums of every posting."""
    truth = every_posting(fund)
    by_account: dict[tuple[int, str], int] = defaultdict(int)
    held: dict[tuple[Any, ...], tuple[int, int]] = {}
    for (rid, cid, lid, account), (amount, quantity) in truth.items():
        by_account[(rid, account)] += amount
        if account == Account.AVAILABLE and amount > 0:
            held[(rid, cid, lid)] = (amount, quantity)
    assert selectors.balances(fund=fund) == dict(by_account)
    assert {(h.restriction.pk, h.campaign and h.campaign.pk, h.lot and h.lot.pk):
            (h.amount, h.quantity) for h in matching.holdings(fund)} == held
    for (rid, cid, lid, account), pair in truth.items():
        bucket = services.Bucket(Restriction.objects.get(pk=rid),
                                 Campaign.objects.filter(pk=cid).first(),
                                 GoodsLot.objects.filter(pk=lid).first())
        assert services.bucket_balance(fund, bucket, account) == pair
    totals = _balances(fund)["totals"]
    for account in Account.values:
        assert totals[account] == sum(amount for (_r, _c, _l, acc), (amount, _q) in truth.items()
                                      if acc == account)
    assert balances.checkpoint_check(fund) == []
    reversed_by = gift_sums.reversals(fund)
    for year in (DAY.year - 1, DAY.year, DAY.year + 1):
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        for goods in (False, True):
            def read(journal_upto: int, start: Any = start, end: Any = end,
                     goods: bool = goods) -> Any:
                return public_sums.gifts(fund, start, end, goods=goods,
                                         journal_upto=journal_upto, reversed_by=reversed_by)
            assert read(gift_sums.cut(fund)) == read(0), (year, goods)


@pytest.mark.django_db
class CheckpointTests:
    def test_balances_read_through_a_checkpoint_equal_every_postings_sum(
            self, fund: Fund, manager: Any) -> None:
        campaign = gifts.campaign_create(actor=manager, fund=fund, kind="tet",
                                         name="Tết ấm cho em", starts_on=DAY,
                                         ends_on=DAY + datetime.timedelta(days=30), goal=10**8)
        earmark = gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.PROGRAMME,
                                        programme="Học bổng")
        gift(manager, fund, 5_000_000)
        mistaken = gift(manager, fund, 7_000_000, campaign=campaign)
        gift(manager, fund, 3_000_000, restriction=earmark)
        donor = services.donor_create(actor=manager, fund=fund, kind="individual", name="Bà Tư")
        lot = gifts.goods_receive(actor=manager, fund=fund, donor=donor, description="Vở",
                                  quantity=100, measure="quyển", value=1_000_000,
                                  valuation="giá mua", received_on=DAY)
        gift(manager, fund, 6_000_000, received_on=DAY.replace(year=DAY.year - 1))
        assert_read_right(fund)  # no checkpoint yet: every posting is read

        written = balances.checkpoint_write(fund)
        assert written.upto == Posting.objects.filter(fund=fund).latest("id").pk
        assert written.postings == Posting.objects.filter(fund=fund).count()
        assert_read_right(fund)

        services.journal_reverse(actor=manager, journal=mistaken, reason="Nhập nhầm số tiền")
        services.journal_reverse(actor=manager, journal=lot.journal, reason="Nhập trùng lô")
        services.money_return(actor=manager, fund=fund, restriction=earmark, amount=1_000_000,
                              day=DAY, reason="Nhà tài trợ xin lại")
        gift(manager, fund, 2_000_000, campaign=campaign)
        assert Posting.objects.filter(fund=fund, id__gt=written.upto).count() == 8
        assert_read_right(fund)  # the checkpoint and the postings since

        again = balances.checkpoint_write(fund)
        assert again.upto > written.upto
        assert Checkpoint.objects.filter(fund=fund).count() == 1
        assert_read_right(fund)

    def test_a_balance_reads_two_queries_however_long_the_ledger(
            self, fund: Fund, manager: Any) -> None:
        for amount in range(1, 6):
            gift(manager, fund, amount * 1_000_000)
        balances.checkpoint_write(fund)
        gift(manager, fund, 9_000_000)
        free = services.unrestricted(fund)
        with CaptureQueriesContext(connection) as queries:
            assert services.balance(fund, free) == 24_000_000
        assert len(queries) == 2
        with CaptureQueriesContext(connection) as queries:
            selectors.balances(fund=fund)
        assert len(queries) == 2

    def test_gifts_written_around_the_services_are_found_too(
            self, fund: Fund, manager: Any) -> None:
        gift(manager, fund, 4_000_000)
        balances.checkpoint_write(fund)
        GiftSum.objects.filter(fund=fund).update(amount=1)
        assert balances.checkpoint_check(fund) == [("gifts",)]

    def test_a_checkpoint_written_around_the_services_is_found_and_rewritten(
            self, fund: Fund, manager: Any, capsys: pytest.CaptureFixture[str]) -> None:
        gift(manager, fund, 4_000_000)
        call_command("fund_checkpoint", "--check")  # no checkpoint yet: nothing differs
        assert f"fund {fund.pk}: 2 postings" in capsys.readouterr().out
        CheckpointSum.objects.filter(fund=fund, account=Account.AVAILABLE).update(amount=1)
        assert balances.checkpoint_check(fund) != []
        with pytest.raises(CommandError, match="differed"):
            call_command("fund_checkpoint", "--check")
        assert balances.checkpoint_check(fund) == []  # rewritten from the postings
        assert services.balance(fund, services.unrestricted(fund)) == 4_000_000


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["gift", "earmarked", "return", "reverse",
                                                 "checkpoint"]),
                                st.integers(min_value=1, max_value=9)), max_size=12))
def test_any_sequence_of_gifts_returns_reversals_and_checkpoints_reads_right(
        fund: Fund, manager: Any, steps: list[tuple[str, int]]) -> None:
    earmark = gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.PROGRAMME,
                                    programme="Bữa ăn")
    reversible: list[Journal] = []
    for step, millions in steps:
        amount = millions * 1_000_000
        if step == "gift":
            reversible.append(gift(manager, fund, amount))
        elif step == "earmarked":
            reversible.append(gift(manager, fund, amount, restriction=earmark))
        elif step == "return" and services.balance(fund, earmark) >= amount:
            services.money_return(actor=manager, fund=fund, restriction=earmark,
                                  amount=amount, day=DAY, reason="Hoàn trả")
        elif step == "reverse" and reversible:
            journal = reversible.pop()
            posted = journal.postings.get(account=Account.AVAILABLE)
            if services.balance(fund, posted.restriction) >= posted.amount:
                services.journal_reverse(actor=manager, journal=journal, reason="Nhầm")
        elif step == "checkpoint":
            balances.checkpoint_write(fund)
        assert_read_right(fund)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentCheckpointTests:
    def test_a_checkpoint_waits_for_a_receipt_still_uncommitted(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The first receipt has its posting ids and has not committed when a second receipt
        commits and the checkpoint is written: without the lock the checkpoint would sum up
        to the second's ids and the first's money would be read nowhere."""
        tree = testing.make_tree()
        fund = services.fund_open(actor=None, unit=tree.province, name="Quỹ tỉnh")
        manager = make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)
        gift(manager, fund, 1_000_000)

        def later() -> int:
            gift(manager, Fund.objects.get(pk=fund.pk), 2_000_000)
            return balances.checkpoint_write(Fund.objects.get(pk=fund.pk)).upto

        results = testing.in_turn(
            lambda: gift(manager, Fund.objects.get(pk=fund.pk), 4_000_000), later,
            holding=(Posting.objects, "bulk_create"), monkeypatch=monkeypatch)

        assert isinstance(results["first"], Journal), results
        assert results["second"] == Posting.objects.filter(fund=fund).latest("id").pk
        assert services.balance(fund, services.unrestricted(fund)) == 7_000_000
        assert balances.checkpoint_check(fund) == []
