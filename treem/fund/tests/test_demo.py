"""The demo's fund: made through the services, once, its ledger balanced to the đồng, with a
delivery and its proof, an allocation waiting for the approver and a second scholarship the
register's state support refuses."""

import datetime
from typing import Any

import pytest
from django.db.models import Sum

from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.fund import allocations, selectors, services
from treem.fund.beneficiaries import DoubleBeneficiary
from treem.fund.demo import (
    CHILD_NEEDS,
    MID_AUTUMN,
    SUPPORTED,
    receipt_pdf,
    setup_demo_fund,
)
from treem.fund.models import (
    Account,
    Allocation,
    AllocationStatus,
    Donor,
    Fund,
    Journal,
    Need,
    NeedStatus,
    Pledge,
    Posting,
    Receipt,
)
from treem.fund.services import Bucket
from treem.registry.models import ChildSupport
from treem.registry.tests.factories import make_child, make_household
from treem.testing import Tree, make_user

pytestmark = pytest.mark.django_db

GIVEN = 150_000_000 + 300_000_000 + 5_000_000 + 50_000_000 + 100_000_000 + 2_000_000
GOODS = 60_000_000


@pytest.fixture
def demo(tree: Tree) -> dict[str, Any]:
    """The demo accounts of the fund and a dozen children of the demo commune."""
    users = {
        "quy": make_user("demo.quy", role=Role.FUND_MANAGER, unit=tree.province),
        "lanhdao": make_user("demo.lanhdao", role=Role.FUND_APPROVER, unit=tree.province),
        "xa": make_user("demo.xa", role=Role.COMMUNE_OFFICER, unit=tree.commune_a),
        "tinh": make_user("demo.tinh", role=Role.AREA_OFFICER, unit=tree.province),
    }
    household = make_household(commune=tree.commune_a, head_name="Hoàng Văn Sáng")
    for number in range(12):
        make_child(commune=tree.commune_a, full_name=f"Hoàng Thị Số {number}",
                   birth_date=datetime.date(2014 + number % 8, 3, 1 + number),
                   household=household if number < 3 else None)
    return users


def snapshot() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Fund, Donor, Receipt, Pledge, Need, Allocation, Journal, Posting,
                          ChildSupport, AuditEvent)}


class DemoFundTests:
    def test_a_second_run_adds_nothing(self, demo: dict[str, Any]) -> None:
        first = setup_demo_fund()
        before = snapshot()
        assert setup_demo_fund() == first
        assert snapshot() == before
        assert before["Need"] == len(CHILD_NEEDS) + 1 and before["Receipt"] == 6

    def test_every_journal_adds_up_to_zero_and_the_balances_are_the_gifts(
            self, demo: dict[str, Any]) -> None:
        setup_demo_fund()
        fund = Fund.objects.get()
        for journal in Journal.objects.filter(fund=fund):
            totals = journal.postings.aggregate(amount=Sum("amount"), quantity=Sum("quantity"))
            assert totals == {"amount": 0, "quantity": 0}, journal.kind
        by_account: dict[str, int] = {}
        for (_restriction, account), total in selectors.balances(fund=fund).items():
            by_account[account] = by_account.get(account, 0) + total
        allocated = 300_000 + 5_000_000 + 25_000_000
        assert by_account == {
            Account.DONATIONS: -(GIVEN + GOODS), Account.DISBURSED: 500_000,
            Account.ALLOCATED: allocated, Account.AVAILABLE: GIVEN + GOODS - allocated - 500_000}

    def test_the_demo_shows_each_step_to_its_role(self, demo: dict[str, Any]) -> None:
        setup_demo_fund()
        needs = Need.objects.filter(proposed_by=demo["xa"])
        assert needs.filter(child__isnull=False).count() >= 8
        assert needs.filter(status=NeedStatus.PROPOSED).count() == 4
        assert set(needs.exclude(decided_by=None).values_list("decided_by", flat=True)) == {
            demo["tinh"].pk}
        delivered = Allocation.objects.get(status=AllocationStatus.DELIVERED)
        assert delivered.delivery.proofs.get().file.read().startswith(b"%PDF-1.4")
        waiting = Allocation.objects.get(status=AllocationStatus.AWAITING_APPROVAL)
        decided = allocations.allocation_decide(actor=demo["lanhdao"], allocation=waiting,
                                                approve=True)
        assert decided.status == AllocationStatus.APPROVED

    def test_a_second_scholarship_is_refused_for_the_child_the_state_supports(
            self, demo: dict[str, Any]) -> None:
        setup_demo_fund()
        support = ChildSupport.objects.get()
        need = Need.objects.get(child=support.child)
        assert need.status == NeedStatus.APPROVED and need.allocations.count() == 0
        fund = Fund.objects.get()
        autumn = fund.campaigns.get(name=MID_AUTUMN)
        with pytest.raises(DoubleBeneficiary) as refused:
            allocations.allocate(actor=demo["quy"], need=need,
                                 bucket=Bucket(services.unrestricted(fund), autumn),
                                 amount=need.amount)
        assert [found.source for found in refused.value.found] == ["register"]
        assert list(CHILD_NEEDS[SUPPORTED][:1]) == [need.kind.code]

    def test_without_the_demo_accounts_nothing_is_made(self, tree: Tree) -> None:
        assert setup_demo_fund() is None
        assert not Fund.objects.exists()

    def test_the_proof_is_a_pdf_that_names_no_child(self, demo: dict[str, Any]) -> None:
        setup_demo_fund()
        allocation = Allocation.objects.get(status=AllocationStatus.DELIVERED)
        data = receipt_pdf(allocation, allocation.fund, datetime.date(2026, 6, 1))
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
        assert allocation.reference.encode() in data
        assert b"HOANG" not in data.upper()  # the demo children's family name
