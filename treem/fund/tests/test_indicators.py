"""The fund's populations for computed indicators (`treem.fund.indicators`): the children the
fund helped in a period (a merged record as its child), by kind of need, and the share of the
year's approved needs list met in full — counted by the indicators' own machinery on
`public_world`, and the catalogue rows that would name them compile."""

import pytest

from treem.fund import indicators
from treem.fund.tests.public_world import PublicWorld, public_world
from treem.indicators import compute, periods
from treem.indicators.catalogue import load_set
from treem.indicators.models import IndicatorVersion
from treem.indicators.spec import parse
from treem.testing import Personas, Tree

pytestmark = pytest.mark.django_db

CHILDREN_HELPED = {"numerator": {"population": "fund_children"}}
SCHOLARSHIPS = {"numerator": {"population": "fund_children",
                              "where": {"kind": ["scholarship"]}}}
NEEDS_MET = {"numerator": {"population": "fund_needs", "where": {"met": True}},
             "denominator": {"population": "fund_needs"}}


# The catalogue's rows that would name them (a set of its own, national: the indicators' data
# files are loaded by `treem.indicators.catalogue`).
CATALOGUE = {
    "set": {"code": "quy-bao-tro-tre-em", "name": "Chỉ tiêu Quỹ bảo trợ trẻ em",
            "source": "Tính từ sổ của Quỹ bảo trợ trẻ em trên treem (vấn đề 15)"},
    "indicators": [
        {"code": "QBT1", "name": "Số trẻ em được Quỹ bảo trợ trẻ em hỗ trợ",
         "unit_kind": "count", "period_kind": "year", "source": "computed",
         "agency": "social", "direction": "at_least", "spec": CHILDREN_HELPED,
         "reference": "Trẻ em nhận hỗ trợ đã trao trong kỳ, mỗi em một lần (hồ sơ trùng đã "
                      "gộp tính là một em), theo xã của nhu cầu."},
        {"code": "QBT2", "name": "Tỷ lệ nhu cầu trong danh sách đã duyệt được đáp ứng đủ",
         "unit_kind": "percent", "period_kind": "year", "source": "computed",
         "agency": "social", "direction": "at_least", "spec": NEEDS_MET,
         "reference": "Nhu cầu đã duyệt của năm được trao đủ kinh phí dự kiến đến ngày cuối "
                      "kỳ, trên số nhu cầu đã duyệt của năm."},
    ],
}


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

    def test_the_catalogue_rows_load(self, world: PublicWorld) -> None:
        indicator_set = load_set(CATALOGUE)
        assert [(v.indicator.code, v.spec) for v in IndicatorVersion.objects.filter(
            indicator__indicator_set=indicator_set).order_by("indicator__code")] == [
            ("QBT1", CHILDREN_HELPED), ("QBT2", NEEDS_MET)]
