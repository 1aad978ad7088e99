"""The sector entry page offers the indicators that apply to the unit: the national ones and
those of the plans of the unit and of the units above it — never another province's plan
(a Cao Bằng commune was offered 42, Hà Nội's among them). The service refuses such an
indicator too, whatever calls it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from treem.indicators import selectors, services
from treem.indicators.catalogue import current_versions, load_set
from treem.indicators.models import SectorFigure
from treem.indicators.tests.factories import ENTERED_SET
from treem.testing import login

pytestmark = pytest.mark.django_db
ENTRY = "/indicators/entry/"


def _plan(code: str, name: str, indicator: str) -> dict:
    return {"set": {"code": code, "name": f"Kế hoạch {name}"}, "indicators": [
        {"code": indicator, "name": f"Số lớp kỹ năng sống của {name}", "unit_kind": "count",
         "source": "entered", "agency": "education", "period_kind": "half"}]}


@pytest.fixture
def plans(tree) -> dict:
    """The national set, Cao Bằng's plan, Hà Nội's plan (the other province), and the plan of
    commune B (a sibling, not above commune A)."""
    load_set(ENTERED_SET)
    load_set(_plan("ke-hoach-cao-bang", "tỉnh Cao Bằng", "CB1"), owner=tree.province)
    load_set(_plan("ke-hoach-ha-noi", "thành phố Hà Nội", "HN1"), owner=tree.other_province)
    load_set(_plan("ke-hoach-xa-b", "xã B", "XB1"), owner=tree.commune_b)
    return {v.indicator.code: v for v in current_versions()}


def _codes(versions) -> set[str]:
    return {v.indicator.code for v in versions}


class EntryAppliesTests:
    def test_a_commune_gets_the_national_and_its_provinces_plans_only(self, tree, personas,
                                                                      plans) -> None:
        found = _codes(selectors.entry_versions(user=personas.officer, unit=tree.commune_a))
        assert {"CA1", "YT1", "CB1"} <= found
        assert "HN1" not in found and "XB1" not in found

    def test_the_other_provinces_commune_gets_its_own_plan_not_cao_bangs(self, tree, plans,
                                                                         other_officer) -> None:
        found = _codes(selectors.entry_versions(user=other_officer, unit=tree.commune_c))
        assert "HN1" in found and "CB1" not in found and "CA1" in found

    def test_the_page_lists_only_the_indicators_that_apply(self, tree, personas,
                                                           plans) -> None:
        page = login(Client(), personas.officer).get(
            ENTRY, {"unit": str(tree.commune_a.public_id), "kind": "half",
                    "period": "2026S1"}).content.decode()
        assert "Số lớp kỹ năng sống của tỉnh Cao Bằng" in page
        assert "thành phố Hà Nội" not in page
        assert "xã B" not in page

    def test_a_figure_of_another_provinces_plan_is_refused_and_nothing_written(
            self, tree, personas, plans) -> None:
        with pytest.raises(ValidationError) as refused:
            services.figures_save(actor=personas.officer, unit=tree.commune_a, period="2026S1",
                                  version=plans["HN1"], rows=[{"breakdown": "",
                                                               "numerator": 3}])
        assert "không áp dụng cho đơn vị này" in str(refused.value)
        assert not SectorFigure.objects.exists()


@pytest.fixture
def other_officer(tree):
    from treem.testing import make_user

    return make_user("officer_c", role="commune_officer", unit=tree.commune_c)
