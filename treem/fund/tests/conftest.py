"""The people and records the fund's needs and allocations tests share: a province's fund
with money in it, its manager and approver, the commune officers, a child and its household."""

import datetime
from typing import Any

import pytest

from treem.accounts.roles import Role
from treem.fund import needs, services
from treem.fund.models import Channel, Fund, Need, NeedKind
from treem.registry.choices import PovertyStatus
from treem.registry.models import Child, Household
from treem.registry.tests.factories import make_child, make_household
from treem.testing import Personas, Tree, make_user

DAY = datetime.date(2026, 6, 1)
YEAR = 2026


@pytest.fixture
def fund(tree: Tree) -> Fund:
    return services.fund_open(actor=None, unit=tree.province, name="Quỹ Bảo trợ trẻ em tỉnh")


@pytest.fixture
def manager(tree: Tree) -> Any:
    return make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)


@pytest.fixture
def approver(tree: Tree) -> Any:
    return make_user("lanhdao", role=Role.FUND_APPROVER, unit=tree.province)


@pytest.fixture
def household(tree: Tree) -> Household:
    return make_household(commune=tree.commune_a, head_name="Lục Văn Pháo",
                          poverty_status=PovertyStatus.POOR)


@pytest.fixture
def child(tree: Tree, household: Household) -> Child:
    return make_child(commune=tree.commune_a, full_name="Lục Thị Mai",
                      birth_date=datetime.date(2016, 3, 4), household=household)


def kind(code: str) -> NeedKind:
    return NeedKind.objects.get(code=code)


def give(manager: Any, fund: Fund, amount: int, **links: Any) -> Any:
    donor = services.donor_create(actor=manager, fund=fund, kind="business",
                                  name=f"Công ty {amount}")
    return services.receipt_record(actor=manager, fund=fund, donor=donor, amount=amount,
                                   received_on=DAY, channel=Channel.CASH,
                                   receipt_number=f"BL-{amount}", **links)


def approved_need(personas: Personas, child: Child | None = None, *, code: str = "scholarship",
                  amount: int = 2_000_000, **fields: Any) -> Need:
    target = {"beneficiary": "child", "child_id": child.public_id} if child else fields.pop(
        "target")
    need = needs.need_propose(actor=personas.officer, kind=kind(code), description="Học bổng",
                              amount=amount, year=YEAR, **target, **fields)
    return needs.need_decide(actor=personas.province_officer, need=need, approve=True)
