"""The fund's populations for computed indicators (`treem.fund.indicators`): the children the
fund helped in a period (a merged record as its child), by kind of need, and the share of the
year's approved needs list met in full — counted by the indicators' own machinery on
`public_world` with the definitions of the shipped catalogue file, which loads as any other set
and which the dashboard computes for the demo fund's province."""

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from treem.accounts.roles import Role
from treem.fund import indicators
from treem.fund.demo import setup_demo_fund
from treem.fund.tests.public_world import PublicWorld, public_world
from treem.indicators import compute, dashboard, periods
from treem.indicators.catalogue import DATA, load_file, national_files
from treem.indicators.models import IndicatorSet, IndicatorVersion
from treem.indicators.spec import parse
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_user

pytestmark = pytest.mark.django_db

# The fund's set as shipped: national (no owner), so every province may pick its indicators.
SHIPPED = DATA / "quy-bao-tro-tre-em-2026.json"
ROWS = {row["code"]: row for row in json.loads(SHIPPED.read_text(encoding="utf-8"))["indicators"]}
CHILDREN_HELPED = ROWS["QBT1"]["spec"]
NEEDS_MET = ROWS["QBT2"]["spec"]
SCHOLARSHIPS = {"numerator": {**CHILDREN_HELPED["numerator"],
                              "where": {"kind": ["scholarship"]}}}


@pytest.fixture
def world(tree: Tree, personas: Personas) -> PublicWorld:
    indicators.register()  # as FundConfig.ready does
    return public_world(tree, personas)


def totals(spec: dict, unit_kind: str, period: str, scope: str) -> tuple[int, int | None]:
    """(numerator, denominator) of `spec` summed over the communes under `scope`."""
    values = compute.compute({"x": parse(spec, unit_kind=unit_kind)}, periods.parse(period),
                             scope)
    cells = [cell for (_key, _commune, breakdown), cell in values.items() if breakdown == ""]
    denominators = [c.denominator for c in cells if c.denominator is not None]
    return sum(c.numerator for c in cells), sum(denominators) if denominators else None


class IndicatorTests:
    def test_children_helped_each_once_a_merged_record_as_its_child(
            self, world: PublicWorld, tree: Tree) -> None:
        year = str(world.y1)
        assert totals(CHILDREN_HELPED, "count", year, tree.province.path) == (7, None)
        assert totals(CHILDREN_HELPED, "count", year, tree.commune_a.path) == (5, None)
        assert totals(SCHOLARSHIPS, "count", year, tree.province.path) == (7, None)
        assert totals(CHILDREN_HELPED, "count", str(world.y0), tree.province.path) == (0, None)

    def test_the_share_of_the_needs_list_met(self, world: PublicWorld, tree: Tree) -> None:
        # Eleven needs approved this year, all delivered in full but a2's health check.
        assert totals(NEEDS_MET, "percent", str(world.y1), tree.province.path) == (10, 11)
        assert indicators.needs_met(fund=world.fund, year=world.y1,
                                    until=periods.parse(str(world.y1)).end) == (11, 10)

    def test_the_shipped_rows_count_what_their_names_say(self) -> None:
        assert CHILDREN_HELPED == {"numerator": {"population": "fund_children"}}
        assert NEEDS_MET == {"numerator": {"population": "fund_needs", "where": {"met": True}},
                             "denominator": {"population": "fund_needs"}}
        assert {code: (row["unit_kind"], row["period_kind"]) for code, row in ROWS.items()} == {
            "QBT1": ("count", "year"), "QBT2": ("percent", "year")}


@pytest.fixture
def demo(tree: Tree) -> None:
    """The demo's fund accounts and a dozen children of the demo commune (as test_demo)."""
    make_user("demo.quy", role=Role.FUND_MANAGER, unit=tree.province)
    make_user("demo.lanhdao", role=Role.FUND_APPROVER, unit=tree.province)
    make_user("demo.xa", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
    make_user("demo.tinh", role=Role.AREA_OFFICER, unit=tree.province)
    for number in range(12):
        make_child(commune=tree.commune_a, full_name=f"Hoàng Thị Số {number}",
                   birth_date=datetime.date(2014 + number % 8, 3, 1 + number))


class ShippedSetTests:
    def test_the_shipped_file_loads_and_the_dashboard_computes_both_for_the_demo_province(
            self, demo: None, tree: Tree) -> None:
        assert SHIPPED in national_files()  # loaded by load_indicators, owned by no unit
        shipped = load_file(SHIPPED)
        assert [(v.indicator.code, v.spec) for v in IndicatorVersion.objects.filter(
            indicator__indicator_set=shipped).order_by("indicator__code")] == [
            ("QBT1", CHILDREN_HELPED), ("QBT2", NEEDS_MET)]
        assert setup_demo_fund() is not None
        year = periods.parse(str(timezone.localdate().year))
        board = dashboard.dashboard(sets=IndicatorSet.objects.filter(pk=shipped.pk),
                                    unit=tree.province, period=year, fresh=True)
        cells: dict[str, Any] = {row.version.indicator.code: row.cell
                                 for _set, rows in board.groups for row in rows}
        # One child's health check delivered in full today, of the six children's needs the
        # province approved this year.
        assert (cells["QBT1"].numerator, cells["QBT1"].denominator) == (1, None)
        assert (cells["QBT2"].numerator, cells["QBT2"].denominator) == (1, 6)
