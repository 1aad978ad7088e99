"""The fund's public account over the API (`treem.fund.api_public`): the same figures as the
JSON file of the public page for the two years of `public_world`, small counts as "< 5", no
token needed (nor refused when wrong), and a Vietnamese 404 in the API's error shape for a
code no fund publishes under, a year outside the fund's, or a province dissolved in 2025
(naming the provinces that took it over); a year or code that is not one is a 422."""

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treem.fund import public
from treem.fund.api_schemas_public import PublicMissingOut
from treem.fund.tests.public_world import (
    ANONYMOUS,
    CHILDREN,
    HOUSEHOLD_HEAD,
    PublicWorld,
    public_world,
)
from treem.geo.models import Level, SuccessionKind, Unit, UnitSuccession
from treem.testing import Personas, Tree, login, make_unit

pytestmark = pytest.mark.django_db

LIST = "/api/v1/public/funds"


@pytest.fixture
def world(tree: Tree, personas: Personas) -> PublicWorld:
    return public_world(tree, personas)


def figures_url(code: str, year: int | str) -> str:
    return f"/api/v1/public/funds/{code}/{year}"


def not_found(response: Any) -> dict[str, Any]:
    """A 404 in the API's error shape, in Vietnamese, kept by caches like the page's."""
    assert response.status_code == 404, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    assert "max-age=300" in response["Cache-Control"]
    body = response.json()
    PublicMissingOut.model_validate(body)
    assert (body["code"], body["errors"]) == ("not_found", [])
    return body


class PublicFundListTests:
    def test_anyone_lists_the_funds_that_publish_with_their_years(
            self, world: PublicWorld) -> None:
        response = Client().get(LIST)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert response.json() == [{"province_code": "04", "province": "Tỉnh Cao Bằng",
                                    "fund": "Quỹ Bảo trợ trẻ em tỉnh Cao Bằng",
                                    "years": [world.y0, world.y1]}]

    def test_with_no_fund_the_list_is_empty(self, tree: Tree) -> None:
        assert Client().get(LIST).json() == []


class PublicFiguresTests:
    def test_the_figures_are_the_json_files_for_each_year(self, world: PublicWorld) -> None:
        for year in (world.y0, world.y1):
            response = Client().get(figures_url("04", year))
            assert response.status_code == 200
            body = response.json()
            assert body == public.public_figures(fund=world.fund, year=year).as_json()
            assert body == Client().get(reverse("fund:public_json", args=["04", year])).json()
        assert body["balance"] == {"opening": 16_000_000, "mobilised": 21_500_000,
                                   "spent": 15_800_000, "returned": 0, "closing": 21_700_000}

    def test_last_years_figures_as_worked_out_by_hand(self, world: PublicWorld) -> None:
        body = Client().get(figures_url("04", world.y0)).json()
        assert [(q["money"], q["goods"]) for q in body["by_quarter"]] == [
            (10_000_000, 0), (3_000_000, 0), (0, 4_000_000), (0, 0)]
        assert body["balance"]["closing"] == 16_000_000
        assert [c["name"] for c in body["campaigns"]] == [f"Xuân yêu thương {world.y0}"]
        assert body["campaigns"][0]["starts_on"] == f"{world.y0}-02-01"
        assert body["anonymous"] == {"name": "Nhà hảo tâm không nêu tên", "kind": "",
                                     "money": 3_000_000, "goods": 0, "total": 3_000_000}
        assert body["as_of"] == f"{world.y0}-12-31"

    def test_small_counts_are_the_text_less_than_five(self, world: PublicWorld) -> None:
        body = Client().get(figures_url("04", world.y1)).json()
        assert (body["children"], body["households"]) == (7, "< 5")
        kinds = {k["code"]: (k["amount"], k["children"], k["households"])
                 for k in body["by_kind"]}
        assert kinds["meals"] == (500_000, "< 5", 0)
        assert kinds["gift"] == (300_000, 0, "< 5")
        # Commune B's 2 children: its amount withheld, added with A's to one line.
        assert body["by_commune"][1] == {"code": "01279", "label": "Xã Hòa An", "amount": None,
                                         "children": "< 5", "households": 0}
        assert (body["grouped"]["amount"], body["grouped"]["children"]) == (7_800_000, 7)

    def test_no_child_household_or_shy_donor_is_named(self, world: PublicWorld) -> None:
        text = json.dumps(Client().get(figures_url("04", world.y1)).json(), ensure_ascii=False)
        secrets = [ANONYMOUS, HOUSEHOLD_HEAD]
        for name, born, number in CHILDREN.values():
            secrets += [name, number, born.isoformat(), f"{born:%d/%m/%Y}"]
        assert [secret for secret in secrets if secret in text] == []

    def test_no_sign_in_and_no_token_are_needed_and_a_wrong_token_changes_nothing(
            self, world: PublicWorld, personas: Personas) -> None:
        url = figures_url("04", world.y1)
        anonymous = Client().get(url)
        assert anonymous.status_code == 200
        assert "public" in anonymous["Cache-Control"] and not anonymous.cookies
        wrong = Client(headers={"Authorization": "Bearer khong-phai-khoa"}).get(url)
        signed_in = login(Client(), personas.officer).get(url)
        assert wrong.json() == signed_in.json() == anonymous.json()

    def test_the_document_asks_for_no_token(self, world: PublicWorld) -> None:
        paths = Client().get("/api/v1/openapi.json").json()["paths"]
        for path in (LIST, "/api/v1/public/funds/{province_code}/{year}"):
            assert "security" not in paths[path]["get"]
        figures = paths["/api/v1/public/funds/{province_code}/{year}"]["get"]
        assert figures["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/PublicFiguresOut"}
        assert "Cache-Control" in figures["responses"]["200"]["headers"]

    def test_the_api_reads_no_more_than_the_json_file(self, world: PublicWorld) -> None:
        counted = []
        for url in (figures_url("04", world.y1),
                    reverse("fund:public_json", args=["04", world.y1])):
            with CaptureQueriesContext(connection) as queries:
                assert Client().get(url).status_code == 200
            counted.append(len(queries.captured_queries))
        assert counted[0] <= counted[1]


class MissingTests:
    def test_an_unknown_code_is_not_found_in_vietnamese(self, world: PublicWorld) -> None:
        body = not_found(Client().get(figures_url("99", world.y1)))
        assert body["detail"] == ("Không có tỉnh, thành phố nào mã 99 công khai quỹ trên hệ "
                                  "thống.")
        assert body["successors"] == []

    def test_a_year_before_the_fund_or_after_today_is_not_found(
            self, world: PublicWorld) -> None:
        for year in (world.y0 - 1, world.y1 + 1, 1900):
            body = not_found(Client().get(figures_url("04", year)))
            assert body["detail"] == (f"Quỹ Bảo trợ trẻ em tỉnh Cao Bằng chưa có số liệu năm "
                                      f"{year}.")

    @pytest.mark.parametrize(("code", "year", "field", "kind"), [
        ("04", "0", "year", "greater_than_equal"), ("04", "99999", "year", "less_than_equal"),
        ("04", "nam", "year", "int_parsing"), ("04", "2026.0", "year", "int_parsing"),
        ("04", str(10**30), "year", "int_parsing_size"),
        ("4", "2026", "province_code", "format"), ("ab", "2026", "province_code", "format"),
        ("004", "2026", "province_code", "string_too_long")])
    def test_a_year_or_code_that_is_not_one_is_refused(self, world: PublicWorld, code: str,
                                                       year: str, field: str,
                                                       kind: str) -> None:
        response = Client().get(figures_url(code, year))
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid"
        assert [(e["loc"], e["type"]) for e in body["errors"]] == [(["path", field], kind)]

    def test_a_province_dissolved_in_2025_names_the_provinces_that_took_it_over(
            self, world: PublicWorld, tree: Tree) -> None:
        old = make_unit(parent=tree.nation, level=Level.PROVINCE, code="06",
                        name="Tỉnh Bắc Kạn", current=False, province_code="06")
        district = make_unit(parent=old, level=Level.DISTRICT, code="058", name="Huyện Ba Bể",
                             current=False)
        # One commune went to Cao Bằng (a fund), another to Hà Nội (none in this world).
        for code, name, successor in (("01840", "Xã Khang Ninh", tree.commune_b),
                                      ("01843", "Xã Nam Mẫu", tree.commune_c)):
            commune = make_unit(parent=district, level=Level.COMMUNE, code=code, name=name,
                                current=False)
            UnitSuccession.objects.create(predecessor=commune, successor=successor,
                                          kind=SuccessionKind.WHOLE,
                                          effective_on=datetime.date(2025, 7, 1))
        body = not_found(Client().get(figures_url("06", world.y1)))
        assert body["detail"].startswith("Tỉnh Bắc Kạn đã sắp xếp lại từ ngày 01/07/2025")
        heirs = {unit.code: unit.name for unit in Unit.objects.filter(
            level=Level.PROVINCE, valid_to__isnull=True, code__in=["04", "01"])}
        assert all(name in body["detail"] for name in heirs.values())
        assert sorted(body["successors"], key=lambda s: s["code"]) == [
            {"code": "01", "name": heirs["01"], "url": None},
            {"code": "04", "name": heirs["04"], "url": figures_url("04", world.y1)}]
        taken_over = next(heir["url"] for heir in body["successors"] if heir["url"])
        assert Client().get(taken_over).status_code == 200
