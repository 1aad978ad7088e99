"""Allocations and deliveries: the ledger's sums worked out by hand through a whole journey,
earmarks spent only on their purpose, the approver above the threshold, cancellation and
delivery rules, goods valued by their share, and no double beneficiaries across the fund, its
donors and the register (merged records counted as one child)."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from treem import testing
from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.fund import allocations, gifts, selectors, services
from treem.fund import exceptions as exc
from treem.fund.allocations import Proof
from treem.fund.beneficiaries import DoubleBeneficiary
from treem.fund.models import (
    Account,
    Allocation,
    AllocationStatus,
    Fund,
    Journal,
    Posting,
    RestrictionKind,
)
from treem.fund.services import Bucket
from treem.fund.tests.conftest import DAY, YEAR, approved_need, give, kind
from treem.registry.models import Child, ChildSupport, Household
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_user, refused

PDF = b"%PDF-1.4\n% ky nhan\n"


def counts() -> tuple[int, int, int, int]:
    return (Allocation.objects.count(), Journal.objects.count(), Posting.objects.count(),
            AuditEvent.objects.count())


def free(fund: Fund) -> Bucket:
    return Bucket(services.unrestricted(fund))


def receipt() -> list[Proof]:
    return [Proof("signed_receipt", PDF, "bien-nhan.pdf")]


@pytest.mark.django_db
class JourneyTests:
    def test_allocated_then_delivered_the_sums_worked_out_by_hand(
            self, personas: Personas, fund: Fund, manager: Any, child: Child) -> None:
        give(manager, fund, 10_000_000)
        need = approved_need(personas, child, amount=3_000_000)
        allocation = allocations.allocate(actor=manager, need=need, bucket=free(fund),
                                          amount=3_000_000)
        assert allocation.status == AllocationStatus.APPROVED  # below the 20 million threshold
        key = services.unrestricted(fund).pk
        assert selectors.balances(fund=fund) == {
            (key, Account.DONATIONS): -10_000_000, (key, Account.AVAILABLE): 7_000_000,
            (key, Account.ALLOCATED): 3_000_000}
        allocations.delivery_record(actor=personas.officer, allocation=allocation,
                                    delivered_on=timezone.localdate(), proofs=receipt())
        assert selectors.balances(fund=fund) == {
            (key, Account.DONATIONS): -10_000_000, (key, Account.AVAILABLE): 7_000_000,
            (key, Account.ALLOCATED): 0, (key, Account.DISBURSED): 3_000_000}
        assert Allocation.objects.get(pk=allocation.pk).status == AllocationStatus.DELIVERED
        assert allocation.delivery.proofs.get().content_type == "application/pdf"
        # Every journal adds up to zero.
        for journal in Journal.objects.all():
            assert sum(p.amount for p in journal.postings.all()) == 0

    def test_goods_are_valued_by_their_share_and_the_last_items_take_the_remainder(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        donor = services.donor_create(actor=manager, fund=fund, kind="business",
                                      name="Nhà sách Cao Bằng")
        lot = gifts.goods_receive(actor=manager, fund=fund, donor=donor,
                                  description="Bộ đồ dùng học tập", quantity=3, measure="bộ",
                                  value=1_000_000, valuation="Theo hóa đơn", received_on=DAY)
        bucket = Bucket(services.unrestricted(fund), None, lot)
        other = make_child(commune=tree.commune_a, full_name="Hoàng Văn Nam",
                           birth_date=datetime.date(2015, 1, 1))
        first = allocations.allocate(actor=manager, bucket=bucket, quantity=1,
                                     need=approved_need(personas, child, code="school"))
        second = allocations.allocate(actor=manager, bucket=bucket, quantity=2,
                                      need=approved_need(personas, other, code="school"))
        assert (first.amount, second.amount) == (333_333, 666_667)
        assert services.bucket_balance(fund, bucket) == (0, 0)
        error = refused(allocations.allocate, snapshot=counts, actor=manager, bucket=bucket,
                        quantity=1, need=approved_need(personas, child, code="gift"))
        assert error.message_dict["quantity"] == [str(exc.OVER_QUANTITY % {
            "left": 0, "measure": "bộ"})]


@pytest.mark.django_db
class RuleTests:
    def test_earmarked_money_is_spent_only_on_its_earmark(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        place_b = gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.PLACE,
                                        unit=tree.commune_b)
        meals = gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.NEED,
                                      need_kind=kind("meals"))
        give(manager, fund, 5_000_000, restriction=place_b)
        give(manager, fund, 6_000_000, restriction=meals)
        need = approved_need(personas, child)  # a scholarship in commune A
        for restriction in (place_b, meals):
            error = refused(allocations.allocate, snapshot=counts, actor=manager, need=need,
                            bucket=Bucket(restriction), amount=1_000_000)
            assert error.message_dict["restriction"] == [str(exc.RESTRICTION_DOES_NOT_FIT % {
                "restriction": str(restriction)})]
        meal_need = approved_need(personas, child, code="meals", amount=1_000_000)
        assert allocations.allocate(actor=manager, need=meal_need, bucket=Bucket(meals),
                                    amount=1_000_000).restriction == meals

    def test_a_childs_earmark_follows_the_child_through_a_merge(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        duplicate = make_child(commune=tree.commune_a, full_name="Lục Thị Mai",
                               birth_date=child.birth_date)
        for_child = gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.CHILD,
                                          child=duplicate)
        assert "Lục" not in for_child.label  # the ledger never names the child
        Child.objects.filter(pk=duplicate.pk).update(merged_into=child)
        give(manager, fund, 2_000_000, restriction=for_child)
        need = approved_need(personas, child)
        assert allocations.allocate(actor=manager, need=need, bucket=Bucket(for_child),
                                    amount=2_000_000).child == child

    def test_over_the_balance_over_the_need_and_bad_amounts_write_nothing(
            self, personas: Personas, fund: Fund, manager: Any, child: Child) -> None:
        give(manager, fund, 1_000_000)
        need = approved_need(personas, child, amount=3_000_000)
        error = refused(allocations.allocate, snapshot=counts, actor=manager, need=need,
                        bucket=free(fund), amount=2_000_000)
        assert error.message_dict["amount"] == [str(exc.OVER_BALANCE % {
            "restriction": str(free(fund).restriction), "balance": 1_000_000,
            "amount": 2_000_000})]
        give(manager, fund, 9_000_000)
        error = refused(allocations.allocate, snapshot=counts, actor=manager, need=need,
                        bucket=free(fund), amount=4_000_000)
        assert error.message_dict["amount"] == [str(exc.OVER_NEED % {"need": 3_000_000,
                                                                     "given": 0})]
        for amount in (-1, 0, 1.5):
            error = refused(allocations.allocate, snapshot=counts, actor=manager, need=need,
                            bucket=free(fund), amount=amount)
            assert error.message_dict["amount"] == [str(exc.AMOUNT_INVALID)]

    def test_a_campaign_or_lot_of_another_fund_is_refused(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        give(manager, fund, 1_000_000)
        other = services.fund_open(actor=None, unit=tree.other_province, name="Quỹ Hà Nội")
        theirs = make_user("quy_hn", role=Role.FUND_MANAGER, unit=tree.other_province)
        campaign = gifts.campaign_create(actor=theirs, fund=other, kind="tet", name="Tết",
                                         starts_on=DAY, ends_on=DAY, goal=1_000_000)
        need = approved_need(personas, child, amount=500_000)
        bucket = Bucket(free(fund).restriction, campaign)
        error = refused(allocations.allocate, snapshot=counts, actor=manager, need=need,
                        bucket=bucket, amount=500_000)
        assert error.message_dict["restriction"] == [str(exc.RESTRICTION_OF_ANOTHER_FUND)]

    def test_a_need_not_approved_gets_nothing(
            self, personas: Personas, fund: Fund, manager: Any, child: Child) -> None:
        from treem.fund import needs

        give(manager, fund, 1_000_000)
        need = needs.need_propose(actor=personas.officer, kind=kind("meals"),
                                  beneficiary="child", child_id=child.public_id,
                                  description="Gạo", amount=500_000, year=YEAR)
        error = refused(allocations.allocate, snapshot=counts, actor=manager, need=need,
                        bucket=free(fund), amount=500_000)
        assert error.message_dict["need"] == [str(exc.NEED_NOT_APPROVED)]


@pytest.mark.django_db
class ApprovalTests:
    def test_above_the_threshold_the_approver_decides_never_the_maker(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, approver: Any,
            child: Child) -> None:
        give(manager, fund, 50_000_000)
        need = approved_need(personas, child, code="treatment", amount=30_000_000)
        allocation = allocations.allocate(actor=manager, need=need, bucket=free(fund),
                                          amount=25_000_000)
        assert allocation.status == AllocationStatus.AWAITING_APPROVAL
        error = refused(allocations.delivery_record, snapshot=counts, actor=personas.officer,
                        allocation=allocation, delivered_on=timezone.localdate(),
                        proofs=receipt())
        assert error.message_dict["allocation"] == [str(exc.DELIVERY_NOT_APPROVED)]
        other = make_user("ld_hn", role=Role.FUND_APPROVER, unit=tree.other_province)
        for user in (manager, personas.province_officer, other):
            assert isinstance(refused(allocations.allocation_decide, snapshot=counts,
                                      actor=user, allocation=allocation, approve=True),
                              PermissionDenied)
        allocations.allocation_decide(actor=approver, allocation=allocation, approve=False,
                                      reason="Vượt định mức hỗ trợ một trẻ")
        assert Allocation.objects.get(pk=allocation.pk).status == AllocationStatus.CANCELLED
        assert services.bucket_balance(fund, free(fund)) == (50_000_000, 0)


@pytest.mark.django_db
class CancelAndDeliveryTests:
    def test_a_cancelled_allocation_gives_back_and_cannot_be_delivered(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        give(manager, fund, 5_000_000)
        allocation = allocations.allocate(actor=manager, need=approved_need(personas, child),
                                          bucket=free(fund), amount=2_000_000)
        allocations.allocation_cancel(actor=manager, allocation=allocation,
                                      reason="Trẻ đã nhận học bổng của trường")
        assert services.bucket_balance(fund, free(fund)) == (5_000_000, 0)
        error = refused(allocations.delivery_record, snapshot=counts, actor=personas.officer,
                        allocation=allocation, delivered_on=timezone.localdate(),
                        proofs=receipt())
        assert error.message_dict["allocation"] == [str(exc.DELIVERY_CANCELLED)]
        error = refused(services.journal_reverse, snapshot=counts, actor=manager,
                        journal=allocation.journal, reason="Nhầm")
        assert error.message_dict["journal"] == [str(exc.REVERSAL_KIND)]

    def test_a_delivery_needs_its_proof_and_the_beneficiarys_commune(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        give(manager, fund, 5_000_000)
        allocation = allocations.allocate(actor=manager, need=approved_need(personas, child),
                                          bucket=free(fund), amount=2_000_000)
        today = timezone.localdate()
        error = refused(allocations.delivery_record, snapshot=counts, actor=personas.officer,
                        allocation=allocation, delivered_on=today, proofs=[])
        assert error.message_dict["proofs"] == [str(exc.PROOF_REQUIRED)]
        error = refused(allocations.delivery_record, snapshot=counts, actor=personas.officer,
                        allocation=allocation, delivered_on=today + datetime.timedelta(1),
                        proofs=receipt())
        assert error.message_dict["delivered_on"] == [str(exc.DAY_IN_FUTURE)]
        error = refused(allocations.delivery_record, snapshot=counts, actor=personas.officer,
                        allocation=allocation, delivered_on=today,
                        proofs=[Proof("photo", b"MZ\x90\x00", "virus.exe")])
        assert "file" in error.message_dict
        for user in (personas.outsider, personas.auditor, personas.province_officer):
            assert isinstance(refused(allocations.delivery_record, snapshot=counts, actor=user,
                                      allocation=allocation, delivered_on=today,
                                      proofs=receipt()), PermissionDenied)
        allocations.delivery_record(actor=personas.officer, allocation=allocation,
                                    delivered_on=today, proofs=receipt())
        error = refused(allocations.delivery_record, snapshot=counts, actor=manager,
                        allocation=allocation, delivered_on=today, proofs=receipt())
        assert error.message_dict["allocation"] == [str(exc.ALREADY_DELIVERED)]


@pytest.mark.django_db
class DoubleBeneficiaryTests:
    def test_a_second_support_of_the_same_kind_in_the_year_is_refused_and_shown(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        give(manager, fund, 10_000_000)
        first = allocations.allocate(actor=manager, need=approved_need(personas, child),
                                     bucket=free(fund), amount=1_000_000)
        again = approved_need(personas, child, code="scholarship", amount=1_000_000,
                              programme="Học bổng Vừ A Dính")
        with testing.writes_nothing(counts), pytest.raises(DoubleBeneficiary) as caught:
            allocations.allocate(actor=manager, need=again, bucket=free(fund),
                                 amount=1_000_000)
        assert [row.reference for row in caught.value.found] == [first.reference]
        assert first.reference in caught.value.message_dict["override_reason"][0]
        # Another kind, or the same kind next year, is not a double support.
        other_kind = approved_need(personas, child, code="health_check", amount=300_000)
        assert allocations.allocate(actor=manager, need=other_kind, bucket=free(fund),
                                    amount=300_000)
        # An officer's reason overrides, audited with what was shown.
        given = allocations.allocate(actor=manager, need=again, bucket=free(fund),
                                     amount=1_000_000,
                                     override_reason="Học bổng thứ hai do trường đề nghị")
        assert given.override_reason == "Học bổng thứ hai do trường đề nghị"
        assert AuditEvent.objects.filter(object_id=str(given.public_id),
                                         reason__contains=first.reference).exists()

    def test_a_support_recorded_in_the_register_counts(
            self, personas: Personas, fund: Fund, manager: Any, child: Child) -> None:
        give(manager, fund, 10_000_000)
        ChildSupport.objects.create(child=child, province_code="04", kind="education",
                                    provider="Trường Tiểu học Hợp Giang",
                                    start_date=datetime.date(YEAR, 9, 1))
        with pytest.raises(DoubleBeneficiary) as caught:
            allocations.allocate(actor=manager, need=approved_need(personas, child),
                                 bucket=free(fund), amount=1_000_000)
        assert caught.value.found[0].source == "register"
        assert caught.value.found[0].provider == "Trường Tiểu học Hợp Giang"

    def test_merged_records_are_one_child_and_a_cancelled_support_does_not_count(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        give(manager, fund, 10_000_000)
        duplicate = make_child(commune=tree.commune_a, full_name="Lục Thị Mai",
                               birth_date=child.birth_date)
        on_duplicate = allocations.allocate(
            actor=manager, need=approved_need(personas, duplicate), bucket=free(fund),
            amount=1_000_000)
        Child.objects.filter(pk=duplicate.pk).update(merged_into=child)
        need = approved_need(personas, child, amount=1_000_000)
        with pytest.raises(DoubleBeneficiary):
            allocations.allocate(actor=manager, need=need, bucket=free(fund), amount=1_000_000)
        allocations.allocation_cancel(actor=manager, allocation=on_duplicate,
                                      reason="Trùng hồ sơ, đã gộp")
        assert allocations.allocate(actor=manager, need=need, bucket=free(fund),
                                    amount=1_000_000).child == child

    def test_the_check_is_two_queries_and_finds_a_merged_record_from_either_side(
            self, tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child
            ) -> None:
        from django.test.utils import CaptureQueriesContext

        from treem.fund.beneficiaries import overlaps

        give(manager, fund, 10_000_000)
        duplicate = make_child(commune=tree.commune_a, full_name="Lục Thị Mai",
                               birth_date=child.birth_date)
        allocations.allocate(actor=manager, need=approved_need(personas, duplicate),
                             bucket=free(fund), amount=1_000_000)
        ChildSupport.objects.create(child=child, kind=kind("scholarship").support_kind,
                                    provider="Trường Tiểu học Hợp Giang",
                                    start_date=datetime.date(YEAR, 9, 1))
        Child.objects.filter(pk=duplicate.pk).update(merged_into=child)
        start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
        scholarship = kind("scholarship")
        for record in (Child.objects.get(pk=child.pk), Child.objects.get(pk=duplicate.pk)):
            with CaptureQueriesContext(connection) as queries:
                found = overlaps(kind=scholarship, start=start, end=end, child=record)
            assert sorted(row.source for row in found) == ["fund", "register"], record
            assert len(queries) == 2

    def test_a_household_and_its_children_are_checked_together(
            self, personas: Personas, fund: Fund, manager: Any, child: Child,
            household: Household) -> None:
        give(manager, fund, 10_000_000)
        allocations.allocate(actor=manager, bucket=free(fund), amount=500_000,
                             need=approved_need(personas, child, code="meals",
                                                amount=500_000))
        need = approved_need(personas, code="meals", amount=500_000, target={
            "beneficiary": "household", "household_id": household.public_id})
        with pytest.raises(DoubleBeneficiary):
            allocations.allocate(actor=manager, need=need, bucket=free(fund), amount=500_000)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class ConcurrentAllocationTests:
    @pytest.fixture(autouse=True)
    def _kinds_of_need(self, committed: None) -> None:
        """The kinds of need again: a journey's flush before may have emptied them."""
        testing.load_migration_data()

    def test_two_officers_allocating_the_last_money_at_once_cannot_both_succeed(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        tree = testing.make_tree()
        personas = testing.make_personas(tree)
        fund = services.fund_open(actor=None, unit=tree.province, name="Quỹ tỉnh")
        first = make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)
        second = make_user("quy2", role=Role.FUND_MANAGER, unit=tree.province)
        give(first, fund, 3_000_000)
        needs_ = [approved_need(personas, make_child(
            commune=tree.commune_a, full_name=name, birth_date=datetime.date(2015, 2, 2)))
            for name in ("Lục Văn Một", "Lục Văn Hai")]

        def allocating(actor: Any, need: Any) -> Any:
            return lambda: allocations.allocate(
                actor=actor, need=need, bucket=free(Fund.objects.get(pk=fund.pk)),
                amount=2_000_000) and "allocated"

        results = testing.at_once({"first": allocating(first, needs_[0]),
                                   "second": allocating(second, needs_[1])},
                                  meet=(allocations, "lock"), monkeypatch=monkeypatch)
        assert sorted(map(str, results.values())) == sorted(["allocated", str([str(
            exc.OVER_BALANCE % {"restriction": str(free(fund).restriction),
                                "balance": 1_000_000, "amount": 2_000_000})])])
        assert services.bucket_balance(fund, free(fund)) == (1_000_000, 0)

    def test_two_supports_to_one_child_at_once_cannot_both_succeed(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        tree = testing.make_tree()
        personas = testing.make_personas(tree)
        fund = services.fund_open(actor=None, unit=tree.province, name="Quỹ tỉnh")
        first = make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)
        second = make_user("quy2", role=Role.FUND_MANAGER, unit=tree.province)
        give(first, fund, 9_000_000)
        child = make_child(commune=tree.commune_a, full_name="Lục Văn Ba",
                           birth_date=datetime.date(2015, 2, 2))
        one = approved_need(personas, child)
        two = approved_need(personas, child, programme="Chương trình khác")

        def allocating(actor: Any, need: Any) -> Any:
            return lambda: allocations.allocate(
                actor=actor, need=need, bucket=free(Fund.objects.get(pk=fund.pk)),
                amount=1_000_000) and "allocated"

        results = testing.at_once({"first": allocating(first, one),
                                   "second": allocating(second, two)},
                                  meet=(allocations, "lock"), monkeypatch=monkeypatch)
        assert list(results.values()).count("allocated") == 1
        assert Allocation.objects.count() == 1


@pytest.mark.django_db
def test_a_gift_for_one_child_is_earmarked_from_the_needs_reference(
        tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child) -> None:
    need = approved_need(personas, child)
    earmark = gifts.restriction_for_need(actor=manager, need=need)
    assert earmark.child == child and earmark.kind == RestrictionKind.CHILD
    give(manager, fund, 2_000_000, restriction=earmark)
    assert allocations.allocate(actor=manager, need=need, bucket=Bucket(earmark),
                                amount=2_000_000).restriction == earmark
    place = approved_need(personas, code="playground", amount=1_000_000, target={
        "beneficiary": "commune", "commune_id": tree.commune_a.public_id})
    error = refused(gifts.restriction_for_need, snapshot=counts, actor=manager, need=place)
    assert error.message_dict["need"] == [str(exc.NEED_NOT_FOR_A_CHILD)]
    assert isinstance(refused(gifts.restriction_for_need, snapshot=counts,
                              actor=personas.officer, need=need), PermissionDenied)


@pytest.mark.django_db
def test_a_need_paid_from_two_earmarks_is_one_support(
        tree: Tree, personas: Personas, fund: Fund, manager: Any, child: Child) -> None:
    meals = gifts.restriction_for(actor=manager, fund=fund, kind=RestrictionKind.NEED,
                                  need_kind=kind("meals"))
    give(manager, fund, 300_000, restriction=meals)
    give(manager, fund, 1_000_000)
    need = approved_need(personas, child, code="meals", amount=800_000)
    allocations.allocate(actor=manager, need=need, bucket=Bucket(meals), amount=300_000)
    second = allocations.allocate(actor=manager, need=need, bucket=free(fund), amount=500_000)
    assert second.override_reason == ""
    assert services.bucket_balance(fund, free(fund)) == (500_000, 0)
