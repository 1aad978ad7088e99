"""The fund's ledger: balances are sums of postings, worked out by hand; every journal adds up
to zero; money leaves a restriction only within its balance; a mistake is reversed, never
edited; a bank transfer is received once; bad input writes nothing; another province's
manager and a reader cannot write. Two returns of the last money at once (PostgreSQL): one."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from treem import testing
from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.fund import exceptions as exc
from treem.fund import selectors, services
from treem.fund.models import (
    Account,
    Channel,
    Fund,
    Journal,
    Posting,
    Receipt,
    Restriction,
    RestrictionKind,
)
from treem.testing import Personas, Tree, make_user, refused

DAY = datetime.date(2026, 6, 1)


def rows() -> tuple[int, int, int, int]:
    return (Journal.objects.count(), Posting.objects.count(), Receipt.objects.count(),
            AuditEvent.objects.count())


@pytest.fixture
def fund(tree: Tree) -> Fund:
    return services.fund_open(actor=None, unit=tree.province, name="Quỹ Bảo trợ trẻ em tỉnh")


@pytest.fixture
def manager(tree: Tree) -> Any:
    return make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)


@pytest.fixture
def mountain(fund: Fund, tree: Tree) -> Restriction:
    return Restriction.objects.create(fund=fund, kind=RestrictionKind.PLACE,
                                      key=f"place:{tree.commune_b.pk}", unit=tree.commune_b,
                                      label="Xã Hòa An")


def give(manager: Any, fund: Fund, amount: int, restriction: Restriction | None = None,
         reference: str = "") -> Receipt:
    donor = services.donor_create(actor=manager, fund=fund, kind="business",
                                  name="Công ty Sông Hiến")
    return services.receipt_record(
        actor=manager, fund=fund, donor=donor, amount=amount, received_on=DAY,
        channel=Channel.BANK if reference else Channel.CASH,
        receipt_number="" if reference else "BL-01", bank_reference=reference,
        restriction=restriction)


@pytest.mark.django_db
class LedgerTests:
    def test_balances_are_the_sums_of_the_postings_worked_out_by_hand(
            self, fund: Fund, manager: Any, mountain: Restriction) -> None:
        give(manager, fund, 10_000_000)
        give(manager, fund, 25_000_000, mountain, reference="FT2606010001")
        give(manager, fund, 5_000_000, mountain, reference="FT2606010002")
        services.money_return(actor=manager, fund=fund, restriction=mountain,
                              amount=4_000_000, day=DAY, reason="Nhà tài trợ đề nghị")
        free = services.unrestricted(fund)
        assert selectors.balances(fund=fund) == {
            (free.pk, Account.AVAILABLE): 10_000_000,
            (free.pk, Account.DONATIONS): -10_000_000,
            (mountain.pk, Account.AVAILABLE): 26_000_000,
            (mountain.pk, Account.DONATIONS): -30_000_000,
            (mountain.pk, Account.RETURNED): 4_000_000,
        }
        for journal in Journal.objects.all():
            assert journal.postings.aggregate(total=Sum("amount"))["total"] == 0

    def test_money_leaves_a_restriction_only_within_its_balance(
            self, fund: Fund, manager: Any, mountain: Restriction) -> None:
        give(manager, fund, 50_000_000)  # unrestricted money does not lend itself
        give(manager, fund, 3_000_000, mountain, reference="FT1")
        error = refused(services.money_return, snapshot=rows, actor=manager, fund=fund,
                        restriction=mountain, amount=3_000_001, day=DAY, reason="Hoàn trả")
        assert error.message_dict["amount"] == [str(exc.OVER_BALANCE % {
            "restriction": "Xã Hòa An", "balance": 3_000_000, "amount": 3_000_001})]
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        error = refused(services.money_return, snapshot=rows, actor=manager, fund=fund,
                        restriction=mountain, amount=1_000, day=tomorrow, reason="Hoàn trả")
        assert error.message_dict["day"] == [str(exc.DAY_IN_FUTURE)]

    @pytest.mark.parametrize("amount", [0, -5, 1.5, "100", 10**13])
    def test_an_amount_that_is_not_whole_positive_dong_is_refused(
            self, fund: Fund, manager: Any, amount: Any) -> None:
        donor = services.donor_create(actor=manager, fund=fund, kind="individual",
                                      name="Nguyễn Văn Tâm")
        error = refused(services.receipt_record, snapshot=rows, actor=manager, fund=fund,
                        donor=donor, amount=amount, received_on=DAY, channel=Channel.CASH,
                        receipt_number="BL-9")
        assert error.message_dict["amount"] == [str(exc.AMOUNT_INVALID)]

    def test_a_bank_transfer_is_received_once_and_proof_is_required(
            self, fund: Fund, manager: Any) -> None:
        receipt = give(manager, fund, 1_000_000, reference="FT777")
        donor = receipt.donor
        error = refused(services.receipt_record, snapshot=rows, actor=manager, fund=fund,
                        donor=donor, amount=1_000_000, received_on=DAY, channel=Channel.BANK,
                        bank_reference=" FT777 ")
        assert error.message_dict["bank_reference"] == [
            str(exc.BANK_REFERENCE_TAKEN % {"reference": "FT777"})]
        for channel, field, message in ((Channel.BANK, "bank_reference",
                                         exc.BANK_REFERENCE_REQUIRED),
                                        (Channel.CASH, "receipt_number",
                                         exc.RECEIPT_NUMBER_REQUIRED)):
            error = refused(services.receipt_record, snapshot=rows, actor=manager, fund=fund,
                            donor=donor, amount=1, received_on=DAY, channel=channel)
            assert error.message_dict[field] == [str(message)]

    def test_a_mistake_is_reversed_once_with_its_reason_never_edited(
            self, fund: Fund, manager: Any, mountain: Restriction) -> None:
        receipt = give(manager, fund, 8_000_000, mountain, reference="FT9")
        error = refused(services.journal_reverse, snapshot=rows, actor=manager,
                        journal=receipt.journal, reason=" ")
        assert error.message_dict["reason"] == [str(exc.REASON_REQUIRED)]
        reversal = services.journal_reverse(actor=manager, journal=receipt.journal,
                                            reason="Ghi nhầm số tiền")
        assert services.balance(fund, mountain) == 0
        assert reversal.reverses == receipt.journal and reversal.reason == "Ghi nhầm số tiền"
        assert Journal.objects.count() == 2  # the first is kept as it was
        for journal in (receipt.journal, reversal):
            error = refused(services.journal_reverse, snapshot=rows, actor=manager,
                            journal=journal, reason="Đảo lại")
            assert error.message_dict["journal"] in ([str(exc.ALREADY_REVERSED)],
                                                     [str(exc.REVERSAL_NOT_REVERSIBLE)])

    def test_a_receipt_whose_money_was_spent_cannot_be_reversed(
            self, fund: Fund, manager: Any, mountain: Restriction) -> None:
        receipt = give(manager, fund, 8_000_000, mountain, reference="FT10")
        services.money_return(actor=manager, fund=fund, restriction=mountain,
                              amount=5_000_000, day=DAY, reason="Hoàn trả")
        error = refused(services.journal_reverse, snapshot=rows, actor=manager,
                        journal=receipt.journal, reason="Ghi nhầm")
        assert error.message_dict["journal"] == [str(exc.REVERSAL_OVER_BALANCE % {
            "restriction": "Xã Hòa An"})]

    def test_only_the_funds_manager_writes_its_ledger(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any) -> None:
        other = make_user("quy_hn", role=Role.FUND_MANAGER, unit=tree.other_province)
        donor = services.donor_create(actor=manager, fund=fund, kind="individual",
                                      name="Trần Thị Hoa")
        for actor in (other, personas.province_officer, personas.auditor, personas.officer):
            error = refused(services.receipt_record, snapshot=rows, actor=actor, fund=fund,
                            donor=donor, amount=1_000, received_on=DAY, channel=Channel.CASH,
                            receipt_number="BL-1")
            assert isinstance(error, PermissionDenied)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentSpendingTests:
    def test_two_returns_of_the_last_money_at_once_cannot_both_succeed(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        tree = testing.make_tree()
        fund = services.fund_open(actor=None, unit=tree.province, name="Quỹ tỉnh")
        first = make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)
        second = make_user("quy2", role=Role.FUND_MANAGER, unit=tree.province)
        give(first, fund, 3_000_000)
        free = services.unrestricted(fund)

        def giving_back(actor: Any) -> Any:
            return lambda: services.money_return(
                actor=actor, fund=Fund.objects.get(pk=fund.pk), restriction=free,
                amount=2_000_000, day=DAY, reason="Hoàn trả") and "returned"

        results = testing.at_once({"first": giving_back(first), "second": giving_back(second)},
                                  meet=(services, "lock"), monkeypatch=monkeypatch)

        assert sorted(map(str, results.values())) == sorted(["returned", str([str(
            exc.OVER_BALANCE % {"restriction": str(free), "balance": 1_000_000,
                                "amount": 2_000_000})])])
        assert services.balance(fund, free) == 1_000_000


@pytest.mark.django_db
class ScopeTests:
    def test_each_role_reads_the_funds_of_its_area_only(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any) -> None:
        from django.http import Http404

        other = services.fund_open(actor=None, unit=tree.other_province, name="Quỹ Hà Nội")
        readers = {"manager": manager, "province_officer": personas.province_officer,
                   "auditor": personas.auditor}
        for name, user in readers.items():
            assert list(selectors.funds_for(user=user)) == [fund], name
            assert selectors.get_fund_for_user(user=user, fund_id=fund.public_id) == fund
            with pytest.raises(Http404):
                selectors.get_fund_for_user(user=user, fund_id=other.public_id)
        for user in (personas.officer, personas.sector_focal, personas.intake):
            assert not selectors.funds_for(user=user).exists()
        assert selectors.get_fund_for_user(user=manager, fund_id=fund.public_id,
                                           for_write=True) == fund
        with pytest.raises(PermissionDenied):
            selectors.get_fund_for_user(user=personas.auditor, fund_id=fund.public_id,
                                        for_write=True)


@pytest.mark.django_db
def test_a_unit_dissolved_in_2025_gets_no_fund_its_successor_does(tree: Tree) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.fund_open(actor=None, unit=tree.old_province, name="Quỹ tỉnh cũ")
    assert caught.value.message_dict["unit"] == [str(exc.UNIT_DISSOLVED)]
    assert not Fund.objects.exists()
    assert services.fund_open(actor=None, unit=tree.province, name="Quỹ tỉnh").unit \
        == tree.province
