"""Figures a province enters for itself: where its indicator allows it, counted once in its
total beside its communes' (as DHIS2 adds a parent's own values to its children's), shown
apart on the indicator's page, and offered only to those who enter for the province."""

import json

import pytest
from django.test import Client

from treem.accounts.roles import Role, Sector
from treem.accounts.services import token_create
from treem.indicators import selectors
from treem.indicators.catalogue import CatalogueError, load_set
from treem.indicators.periods import parse
from treem.indicators.tests.factories import load_entered, make_figure
from treem.indicators.tests.test_entry_pages import read_now
from treem.indicators.values import indicator_values
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def v(tree):
    return load_entered()


@pytest.fixture
def trained(tree, personas, v):
    """Police officers trained in 2026S1: 12 by the province itself, 3 and 2 in its communes."""
    for unit, n in ((tree.province, 12), (tree.commune_a, 3), (tree.commune_b, 2)):
        make_figure(version=v["CA2"], unit=unit, period="2026S1", numerator=n,
                    by=personas.sector_focal)


def _api(user) -> Client:
    _token, raw = token_create(user=user, name="t", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _put(client: Client, unit, indicator: str, numerator: int):
    body = {"unit": unit.code, "period": "2026S1", "indicator_set": "thu-nganh",
            "indicator": indicator, "rows": [{"breakdown": "", "numerator": numerator}]}
    return client.put("/api/v1/sector-figures", json.dumps(body),
                      content_type="application/json", headers={"If-Match": read_now(body)})


class RollUpTests:
    def test_the_province_total_is_its_own_figure_plus_its_communes(self, tree, v,
                                                                     trained) -> None:
        values = indicator_values([v["CA2"]], parse("2026S1"), tree.province)
        total = {unit: cell.numerator for (_v, unit, breakdown), cell in values.items()
                 if breakdown == ""}
        assert total == {tree.province.pk: 17, tree.commune_a.pk: 3, tree.commune_b.pk: 2}

    def test_a_commune_sees_its_own_figure_only(self, tree, v, trained) -> None:
        values = indicator_values([v["CA2"]], parse("2026S1"), tree.commune_a)
        assert {key[1]: cell.numerator for key, cell in values.items()} == {
            tree.commune_a.pk: 3}

    def test_the_indicator_page_shows_the_provinces_own_part(self, tree, personas, v,
                                                              trained) -> None:
        page = login(Client(), personas.province_officer).get(
            f"/indicators/{v['CA2'].indicator.public_id}/",
            {"unit": str(tree.province.public_id), "period": "2026S1"}).content.decode()
        assert "phần số liệu riêng của cấp này" in page
        assert ">17<" in page or "17</p>" in page

    def test_no_own_part_is_shown_when_the_province_entered_none(self, tree, personas,
                                                                  v) -> None:
        make_figure(version=v["CA2"], unit=tree.commune_a, period="2026S1", numerator=3,
                    by=personas.officer)
        page = login(Client(), personas.province_officer).get(
            f"/indicators/{v['CA2'].indicator.public_id}/",
            {"unit": str(tree.province.public_id), "period": "2026S1"}).content.decode()
        assert "phần số liệu riêng" not in page


class WhoEntersWhereTests:
    def test_the_provinces_focal_point_enters_for_the_province_first_then_its_communes(
            self, tree, personas, v) -> None:
        units = list(selectors.entry_units(user=personas.sector_focal))
        assert units[0] == tree.province
        assert set(units[1:]) == {tree.commune_a, tree.commune_b}

    def test_the_commune_officer_enters_for_its_commune_only(self, tree, personas, v) -> None:
        assert list(selectors.entry_units(user=personas.officer)) == [tree.commune_a]

    def test_the_province_is_offered_the_indicators_entered_at_its_level_only(
            self, tree, personas, v) -> None:
        at_province = selectors.entry_versions(user=personas.sector_focal, unit=tree.province)
        at_commune = selectors.entry_versions(user=personas.sector_focal, unit=tree.commune_a)
        assert [x.indicator.code for x in at_province] == ["CA2"]
        assert [x.indicator.code for x in at_commune] == ["CA1", "CA2"]

    def test_the_entry_page_of_the_province_says_its_figures_are_its_own(
            self, tree, personas, v) -> None:
        page = login(Client(), personas.sector_focal).get(
            "/indicators/entry/", {"unit": str(tree.province.public_id),
                                   "period": "2026S1"}).content.decode()
        assert "Tỉnh Cao Bằng — kỳ 2026S1" in page
        assert "số liệu riêng của Tỉnh Cao Bằng, không gồm số của các xã" in page
        assert "CA2. Số cán bộ công an" in page and "CA1." not in page

    def test_the_officer_cannot_open_the_provinces_entry(self, tree, personas, v) -> None:
        response = login(Client(), personas.officer).get(
            "/indicators/entry/", {"unit": str(tree.province.public_id)})
        assert response.status_code == 404

    def test_the_api_saves_and_reads_the_provinces_own_figure(self, tree, personas,
                                                              v) -> None:
        client = _api(personas.sector_focal)
        saved = _put(client, tree.province, "CA2", 12)
        assert saved.status_code == 200, saved.content
        read = client.get("/api/v1/sector-figures",
                          {"unit": tree.province.code, "period": "2026S1"}).json()
        assert [(f["indicator"], f["numerator"]) for f in read] == [("CA2", 12)]

    def test_the_api_refuses_a_commune_indicator_for_the_province(self, tree, personas,
                                                                  v) -> None:
        response = _put(_api(personas.sector_focal), tree.province, "CA1", 1)
        assert response.status_code == 422
        assert "cấp: Xã, phường, đặc khu" in response.json()["detail"]


class CatalogueLevelsTests:
    @pytest.mark.parametrize("levels", [[], ["village"], "commune"])
    def test_a_set_with_wrong_entry_levels_is_refused(self, tree, levels) -> None:
        data = {"set": {"code": "sai", "name": "Sai"}, "indicators": [
            {"code": "X1", "name": "X", "unit_kind": "count", "source": "entered",
             "entry_levels": levels}]}
        with pytest.raises(CatalogueError, match="entry_levels"):
            load_set(data)

    def test_a_change_of_entry_levels_is_a_new_version(self, tree, v) -> None:
        data = {"set": {"code": "thu-nganh", "name": "x"}, "indicators": [
            {"code": "CA1", "name": "Số vụ trẻ em vi phạm pháp luật", "unit_kind": "count",
             "source": "entered", "agency": "police", "period_kind": "half",
             "entry_levels": ["province"]}]}
        load_set(data)
        versions = v["CA1"].indicator.versions.order_by("number")
        assert [x.entry_levels for x in versions] == [["commune"], ["province"]]


class DefaultUnitTests:
    def test_a_focal_point_with_commune_indicators_only_lands_on_a_commune(
            self, tree, v) -> None:
        health = make_user("yte", role=Role.SECTOR_FOCAL, unit=tree.province,
                           sector=Sector.HEALTH)
        page = login(Client(), health).get("/indicators/entry/").content.decode()
        assert "Tỉnh Cao Bằng — kỳ" not in page and "YT1." in page
