"""The fund's public account: the figures of two years worked out by hand (`public_world`),
small counts as "< 5" at 4 and shown at 5, a commune's amount never alone when it helped fewer
than 5, the page and its JSON alike without signing in and kept by caches a few minutes, a
dissolved province's code pointing to the province of today."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.fund import public, services
from treem.fund.models import Account, Allocation, Channel
from treem.fund.selectors import balances
from treem.fund.services import Bucket, unrestricted
from treem.fund.tests.public_world import (
    ANONYMOUS,
    BANK,
    NAMED,
    PublicWorld,
    approved,
    deliver,
    for_child,
    public_world,
)
from treem.geo.models import Level, SuccessionKind, UnitSuccession
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, login, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree: Tree, personas: Personas) -> PublicWorld:
    return public_world(tree, personas)


def figures(world: PublicWorld, year: int) -> public.PublicFigures:
    return public.public_figures(fund=world.fund, year=year)


class FigureTests:
    def test_last_year_by_quarter_campaign_and_donor_the_reversed_gift_nowhere(
            self, world: PublicWorld) -> None:
        f = figures(world, world.y0)
        assert [(q.money, q.goods) for q in f.by_quarter] == [
            (10_000_000, 0), (3_000_000, 0), (0, 4_000_000), (0, 0)]
        assert (f.mobilised.money, f.mobilised.goods) == (13_000_000, 4_000_000)
        assert [(c.name, c.money, c.goods, c.percent) for c in f.campaigns] == [
            (f"Xuân yêu thương {world.y0}", 10_000_000, 0, 50)]
        assert f.balance == public.Balance(opening=0, mobilised=17_000_000, spent=0,
                                           returned=1_000_000)
        assert f.balance.closing == 16_000_000
        assert [(h.name, h.money, h.goods) for h in f.honoured] == [
            (NAMED, 10_000_000, 4_000_000)]
        assert (f.anonymous.name, f.anonymous.money, f.anonymous.goods) == (
            "Nhà hảo tâm không nêu tên", 3_000_000, 0)
        assert (f.children, f.by_kind, f.by_commune, f.grouped) == (0, [], [], None)

    def test_this_year_spent_by_kind_and_commune_merged_records_as_one_child(
            self, world: PublicWorld) -> None:
        f = figures(world, world.y1)
        assert f.balance == public.Balance(opening=16_000_000, mobilised=21_500_000,
                                           spent=15_800_000, returned=0)
        assert f.balance.closing == 21_700_000
        assert [(k.code, k.amount, k.children, k.households) for k in f.by_kind] == [
            ("meals", 500_000, "< 5", 0), ("scholarship", 7_000_000, 7, 0),
            ("gift", 300_000, 0, "< 5"), ("playground", 8_000_000, 0, 0)]
        # Eight records were helped, one of them merged into a1: seven children.
        assert (f.children, f.households) == (7, "< 5")
        # B helped 2 children: its amount is withheld; alone it would be the total minus
        # the others, so A (the smaller of the others) joins it. D helped no child: shown.
        assert [(c.label, c.amount, c.children, c.households) for c in f.by_commune] == [
            ("Phường Thục Phán", None, 5, "< 5"), ("Xã Hòa An", None, "< 5", 0),
            ("Xã Nguyên Bình", 8_000_000, 0, 0)]
        assert f.grouped is not None
        assert (f.grouped.amount, f.grouped.children, f.grouped.households) == (
            7_800_000, 7, "< 5")
        assert [(c.name, c.money, c.percent) for c in f.campaigns] == [
            (f"Vì trẻ em {world.y1}", 20_000_000, 200)]
        assert [(h.name, h.money) for h in f.honoured] == [(BANK, 20_000_000),
                                                          (NAMED, 1_500_000)]
        assert f.anonymous.total == 0

    def test_the_closing_balance_is_the_ledgers_available_and_allocated(
            self, world: PublicWorld) -> None:
        held = sum(total for (_earmark, account), total in balances(fund=world.fund).items()
                   if account in (Account.AVAILABLE, Account.ALLOCATED))
        assert figures(world, world.y1).balance.closing == held == 21_700_000

    def test_two_small_communes_are_withheld_together_and_the_others_shown(
            self, world: PublicWorld, tree: Tree, personas: Personas) -> None:
        commune_e = make_unit(parent=tree.province, level=Level.COMMUNE, code="01285",
                              name="Xã Bảo Lạc")
        officer_e = make_user("officer_e", role="commune_officer", unit=commune_e)
        child = make_child(commune=commune_e, full_name="Triệu Văn Páo",
                           birth_date=datetime.date(2016, 2, 2))
        deliver(world.manager, officer_e,
                approved(officer_e, personas.province_officer, "scholarship", 1_000_000,
                         "Học bổng", **for_child(child)),
                Bucket(unrestricted(world.fund), world.campaign), 1_000_000)
        f = figures(world, world.y1)
        assert [(c.label, c.amount) for c in f.by_commune] == [
            ("Phường Thục Phán", 5_800_000), ("Xã Bảo Lạc", None), ("Xã Hòa An", None),
            ("Xã Nguyên Bình", 8_000_000)]
        assert f.grouped is not None
        assert (f.grouped.amount, f.grouped.children) == (3_000_000, "< 5")
        assert f.children == 8

    def test_four_children_show_as_less_than_five_and_five_as_five(
            self, world: PublicWorld) -> None:
        assert [public.shown(n) for n in (0, 1, 4, 5, 6)] == [0, "< 5", "< 5", 5, 6]
        # Commune A's five children, once a1's second record counts as a1.
        f = figures(world, world.y1)
        assert f.by_commune[0].children == 5
        Allocation.objects.filter(child=world.children["a5"]).update(child=world.duplicate)
        assert figures(world, world.y1).by_commune[0].children == "< 5"

    def test_the_json_is_the_pages_figures(self, world: PublicWorld) -> None:
        data = figures(world, world.y1).as_json()
        assert data["balance"] == {"opening": 16_000_000, "mobilised": 21_500_000,
                                   "spent": 15_800_000, "returned": 0, "closing": 21_700_000}
        assert data["children"] == 7 and data["households"] == "< 5"
        assert data["by_commune"][1] == {"code": "01279", "label": "Xã Hòa An", "amount": None,
                                         "children": "< 5", "households": 0}


class PageTests:
    def test_anyone_reads_the_page_kept_by_caches_a_few_minutes(
            self, world: PublicWorld) -> None:
        response = Client().get(reverse("fund:public", args=["04", world.y1]))
        assert response.status_code == 200
        assert "public" in response["Cache-Control"] and "max-age=300" in response[
            "Cache-Control"]
        page = response.content.decode()
        for shown in ("21.700.000", "15.800.000", "Xã Nguyên Bình", BANK, "&lt; 5"):
            assert shown in page
        assert ANONYMOUS not in page and "csrfmiddlewaretoken" not in page
        assert not response.cookies  # nothing a shared cache could hand to the next visitor

    def test_the_json_file_and_the_index(self, world: PublicWorld) -> None:
        data = Client().get(reverse("fund:public_json", args=["04", world.y0])).json()
        assert data["balance"]["closing"] == 16_000_000
        assert data["anonymous"]["money"] == 3_000_000
        index = Client().get(reverse("fund:public_index")).content.decode()
        assert "Tỉnh Cao Bằng" in index
        assert reverse("fund:public", args=["04", world.y0]) in index

    def test_a_signed_in_user_gets_the_same_page(self, world: PublicWorld,
                                                 personas: Personas) -> None:
        url = reverse("fund:public", args=["04", world.y1])
        anonymous = Client().get(url).content
        assert login(Client(), personas.officer).get(url).content == anonymous

    def test_the_honour_roll_is_paged(self, world: PublicWorld, monkeypatch: Any) -> None:
        from treem.fund import public_views

        monkeypatch.setattr(public_views, "HONOURED_PER_PAGE", 1)
        url = reverse("fund:public", args=["04", world.y1])
        first, second = Client().get(url).content.decode(), Client().get(
            url, {"page": 2}).content.decode()
        assert BANK in first and NAMED not in first.split("Vinh danh")[1]
        assert NAMED in second and "Trang 2/2" in second

    def test_a_year_before_the_fund_or_after_today_is_not_found(
            self, world: PublicWorld) -> None:
        for year in (world.y0 - 1, world.y1 + 1):
            response = Client().get(reverse("fund:public", args=["04", year]))
            assert response.status_code == 404
            assert f"chưa có số liệu năm {year}" in response.content.decode()

    def test_an_unknown_code_is_not_found(self, world: PublicWorld) -> None:
        response = Client().get(reverse("fund:public_json", args=["99", world.y1]))
        assert response.status_code == 404
        assert response.json()["successors"] == []


class DissolvedProvinceTests:
    def test_a_province_dissolved_in_2025_points_to_the_province_of_today(
            self, world: PublicWorld, tree: Tree) -> None:
        nation = tree.nation
        old = make_unit(parent=nation, level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn",
                        current=False, province_code="06")
        district = make_unit(parent=old, level=Level.DISTRICT, code="058",
                             name="Huyện Ba Bể", current=False)
        commune = make_unit(parent=district, level=Level.COMMUNE, code="01840",
                            name="Xã Khang Ninh", current=False)
        UnitSuccession.objects.create(predecessor=commune, successor=tree.commune_b,
                                      kind=SuccessionKind.WHOLE,
                                      effective_on=datetime.date(2025, 7, 1))
        page = Client().get(reverse("fund:public", args=["06", world.y1]))
        assert page.status_code == 404
        text = page.content.decode()
        assert "Tỉnh Bắc Kạn đã sắp xếp lại" in text and "Tỉnh Cao Bằng" in text
        assert reverse("fund:public", args=["04", world.y1]) in text
        assert Client().get("/fund/public/06/0999/").status_code == 404  # no year 999
        data = Client().get(reverse("fund:public_json", args=["06", world.y1])).json()
        assert data["successors"] == [{"code": "04", "name": "Tỉnh Cao Bằng",
                                       "url": reverse("fund:public", args=["04", world.y1])}]


class QueryCountTests:
    def test_the_page_reads_the_same_few_queries_whatever_the_data(
            self, world: PublicWorld, django_assert_num_queries: Any) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        url = reverse("fund:public", args=["04", world.y1])
        with CaptureQueriesContext(connection) as first:
            Client().get(url)
        # The fund, its first year, then the sums (`public_figures`: 16 queries, the year's
        # deliveries read once, the gifts and campaigns from the checkpoint and those since).
        assert len(first.captured_queries) == 19
        for number in range(3):  # more donors named, more gifts: no more queries
            donor = services.donor_create(actor=world.manager, fund=world.fund,
                                          kind="individual", name=f"Người thứ {number}",
                                          named_publicly=True)
            services.receipt_record(actor=world.manager, fund=world.fund, donor=donor,
                                    amount=100_000, received_on=timezone.localdate(),
                                    channel=Channel.CASH, receipt_number=f"BL-Q-{number}")
        with django_assert_num_queries(len(first.captured_queries)):
            assert Client().get(url).status_code == 200
