"""The fund's populations for computed indicators (`treem.fund.indicators`): the children the
fund helped in a period (a merged record as its child), by kind of need, and the share of the
year's approved needs list met in full — counted by the indicators' own machinery on
`public_world`, and the catalogue rows that would name them compile."""

import pytest

from treem.fund import indicators
from treem.fund.tests.public_world import PublicWorld, public_world
from treem.indicators import compute, periods
from treem.indicators.spec import parse
from treem.testing import Personas, Tree

pytestmark = pytest.mark.django_db

CHILDREN_HELPED = {"numerator": {"population": "fund_children"}}
SCHOLARSHIPS = {"numerator": {"population": "fund_children",
                              "where": {"kind": ["scholarship"]}}}
NEEDS_MET = {"numerator": {"population": "fund_needs", "where": {"met": True}},
             "denominator": {"population": "fund_needs"}}


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

    def test_the_catalogue_rows_compile(self, world: PublicWorld) -> None:
        for spec, kind in ((CHILDREN_HELPED, "count"), (SCHOLARSHIPS, "count"),
                           (NEEDS_MET, "percent")):
            assert parse(spec, unit_kind=kind).numerator.population.startswith("fund_")
