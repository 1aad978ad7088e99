"""Targets, values and figures across the July 2025 reorganisation (docs/units-after-merger.md).

The Bình Long and Bắc Sơn plans' targets sit on districts dissolved on 30 June 2025. Each
successor commune finds them (it is part of the district's area: compared with its own rates),
and the province holding the area finds them too (compared with the area's value, its communes
of today added up). Looking back, a unit of today asked for a period before July 2025 gathers
what its predecessors recorded: children, figures of communes and a district's own figures.
"""

import datetime
import json
from decimal import Decimal

import pytest

from treem.geo import lineage
from treem.geo.tests.merger import make_merger
from treem.indicators import dashboard, periods
from treem.indicators.catalogue import DATA, current_versions, load_set
from treem.indicators.models import IndicatorSet, Target
from treem.indicators.tests.factories import make_figure
from treem.indicators.values import indicator_values
from treem.registry.tests.factories import make_child, make_circumstance, relocate

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def merger(tree):
    return make_merger(tree)


@pytest.fixture
def plans(merger):
    """The two shipped plans, loaded onto their districts of before July 2025."""
    for name in ("binh-long-2022-2030", "bac-son-2024"):
        load_set(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))
    return {code: list(current_versions(IndicatorSet.objects.filter(code=code)))
            for code in ("binh-long-2022-2030", "bac-son-2024")}


class TargetTests:
    @pytest.mark.parametrize("year", [2026, 2030])
    def test_binh_longs_34_targets_reach_its_wards_and_province(self, merger, plans,
                                                               year) -> None:
        versions = plans["binh-long-2022-2030"]
        assert len(versions) == 34
        data = json.loads((DATA / "binh-long-2022-2030.json").read_text(encoding="utf-8"))
        assert Target.objects.filter(unit=merger.binh_long).count() == sum(
            len(row["targets"]) for row in data["indicators"])
        for unit in (merger.phuong_binh_long, merger.phuong_an_loc):
            goals = dashboard.goals_for(unit, versions, year)
            assert len(goals) == 34 and {g.relation for g in goals.values()} == {lineage.PART}
        province = dashboard.goals_for(merger.dong_nai, versions, year)
        assert len(province) == 34
        assert {g.relation for g in province.values()} == {lineage.WITHIN}
        assert {frozenset(g.area) for g in province.values()} == {
            frozenset({merger.phuong_binh_long.pk, merger.phuong_an_loc.pk})}
        # A ward of Đồng Nai outside Bình Long's area works to none of them.
        assert dashboard.goals_for(merger.phuong_tran_bien, versions, year) == {}
        ct08a = next(v for v in versions if v.indicator.code == "CT08a")
        assert province[ct08a.indicator_id].target.year == (2030 if year <= 2030 else 2030)

    @pytest.mark.parametrize("year", [2026, 2030])
    def test_bac_sons_17_targets_reach_its_communes_and_province(self, merger, plans, tree,
                                                                 year) -> None:
        versions = plans["bac-son-2024"]
        assert len(versions) == 18  # BS12, the verified ids, reports without a target
        for unit in (merger.xa_bac_son, merger.xa_hung_vu, merger.lang_son):
            goals = dashboard.goals_for(unit, versions, year)
            assert len(goals) == 17
            assert {g.target.year for g in goals.values()} == {2024}  # the last milestone
        assert dashboard.goals_for(tree.commune_a, versions, year) == {}

    def test_an_old_communes_own_target_comes_before_its_districts(self, merger,
                                                                   plans) -> None:
        versions = plans["bac-son-2024"]
        bs03 = next(v for v in versions if v.indicator.code == "BS03")
        own = Target.objects.create(indicator=bs03.indicator, year=2024, value=Decimal("90"),
                                    direction="at_least",
                                    unit=merger.bac_son_communes["Thị trấn Bắc Sơn"])
        goal = dashboard.goals_for(merger.xa_bac_son, versions, 2024)[bs03.indicator_id]
        # The old town went wholly into Xã Bắc Sơn: its area lies within it.
        assert goal.target == own and goal.relation == lineage.WITHIN
        other = dashboard.goals_for(merger.xa_hung_vu, versions, 2024)[bs03.indicator_id]
        assert other.target.unit == merger.bac_son

    def test_a_target_of_today_on_the_unit_itself_comes_first(self, merger, plans) -> None:
        versions = plans["binh-long-2022-2030"]
        ct09 = next(v for v in versions if v.indicator.code == "CT09")
        mine = Target.objects.create(indicator=ct09.indicator, unit=merger.phuong_an_loc,
                                     year=2030, value=Decimal("1.5"), direction="below")
        assert dashboard.targets_for(merger.phuong_an_loc, versions, 2026)[
            ct09.indicator_id] == mine
        assert dashboard.targets_for(merger.phuong_binh_long, versions, 2026)[
            ct09.indicator_id].unit == merger.binh_long


BORN = D(2014, 1, 1)


def _children(commune, n, special=0):
    for k in range(n):
        child = make_child(commune=commune, full_name=f"Trẻ {commune.pk}-{k}",
                           birth_date=BORN)
        if k < special:
            make_circumstance(child=child, code="a", start_date=D(2020, 1, 1))


class DashboardTests:
    def test_the_province_judges_the_districts_target_on_the_areas_value(
            self, merger, plans) -> None:
        # Bình Long's area: 2 in special circumstances of 20 (10 %); the rest of Đồng Nai:
        # none of 40. The province as a whole is at 3.3 %, under CT08a's "dưới 3,5%".
        _children(merger.phuong_binh_long, 10, special=1)
        _children(merger.phuong_an_loc, 10, special=1)
        _children(merger.phuong_tran_bien, 40)
        sets = IndicatorSet.objects.filter(code="binh-long-2022-2030")
        shown = dashboard.dashboard(sets=sets, unit=merger.dong_nai,
                                    period=periods.parse("2026S1"))
        row = next(r for r in shown.groups[0][1] if r.version.indicator.code == "CT08a")
        assert row.value == pytest.approx(2 / 60 * 100)
        assert row.compared == pytest.approx(10.0)
        assert row.goal is not None
        assert row.status == "off_track" and row.goal.relation == lineage.WITHIN
        assert "Thị xã Bình Long (đến 30/06/2025)" in row.goal.note
        assert "Phường An Lộc" in row.goal.note and "Phường Trấn Biên" not in row.goal.note

    def test_a_ward_judges_the_rate_on_its_own_and_leaves_the_count_to_the_area(
            self, merger, plans) -> None:
        _children(merger.phuong_an_loc, 50, special=1)  # 2 %: under 3.5 %
        _children(merger.phuong_binh_long, 10, special=5)
        sets = IndicatorSet.objects.filter(code="binh-long-2022-2030")
        rows = {r.version.indicator.code: r for r in dashboard.dashboard(
            sets=sets, unit=merger.phuong_an_loc, period=periods.parse("2026S1")).groups[0][1]}
        assert rows["CT08a"].compared == pytest.approx(2.0)
        goal = rows["CT08a"].goal
        assert rows["CT08a"].status == "on_track" and goal is not None
        assert goal.relation == lineage.PART
        assert "đơn vị là một phần của khu vực đó" in goal.note
        # "Số xã, phường đạt chuẩn ≥ 4": one ward's count says nothing of the area's.
        assert rows["CT01"].target is not None and rows["CT01"].status == "area"


class HistoryTests:
    def test_a_ward_of_today_counts_its_old_communes_children_before_july_2025(
            self, merger, plans) -> None:
        child = make_child(commune=merger.old_communes["Phường Phú Thịnh"],
                           birth_date=D(2015, 1, 1))
        relocate(child, commune=merger.phuong_an_loc, on=D(2025, 7, 1))
        other = make_child(commune=merger.trang_dai, birth_date=D(2016, 1, 1))  # not Bình Long
        relocate(other, commune=merger.phuong_tran_bien, on=D(2025, 7, 1))
        ct08a = next(v for v in plans["binh-long-2022-2030"] if v.indicator.code == "CT08a")
        before = indicator_values([ct08a], periods.parse("2025S1"), merger.dong_nai)
        assert before[(ct08a.pk, merger.phuong_an_loc.pk, "")].denominator == 1
        assert before[(ct08a.pk, merger.phuong_tran_bien.pk, "")].denominator == 1
        assert before[(ct08a.pk, merger.dong_nai.pk, "")].denominator == 2
        ward = indicator_values([ct08a], periods.parse("2025S1"), merger.phuong_an_loc)
        assert ward[(ct08a.pk, merger.phuong_an_loc.pk, "")].denominator == 1
        after = indicator_values([ct08a], periods.parse("2026S1"), merger.dong_nai)
        assert after[(ct08a.pk, merger.dong_nai.pk, "")].denominator == 2  # both live on
        # The old province keeps its own tree: its own time only.
        old = indicator_values([ct08a], periods.parse("2025S1"), merger.binh_phuoc)
        assert old[(ct08a.pk, merger.binh_phuoc.pk, "")].denominator == 1

    def test_a_districts_own_figure_goes_to_the_province_and_its_area(self, merger, plans,
                                                                      personas) -> None:
        versions = plans["bac-son-2024"]
        bs02a = next(v for v in versions if v.indicator.code == "BS02a")  # district staff
        bs03 = next(v for v in versions if v.indicator.code == "BS03")    # communes' own
        make_figure(version=bs02a, unit=merger.bac_son, period="2024", numerator=16,
                    denominator=20, by=personas.admin)
        make_figure(version=bs03, unit=merger.bac_son_communes["Xã Long Đống"], period="2024",
                    numerator=1, denominator=1, by=personas.admin)
        make_figure(version=bs03, unit=merger.bac_son_communes["Xã Hưng Vũ"], period="2024",
                    numerator=0, denominator=1, by=personas.admin)
        province = indicator_values(versions, periods.parse("2024"), merger.lang_son)
        assert province[(bs02a.pk, merger.lang_son.pk, "")].numerator == 16
        assert province[(bs03.pk, merger.xa_bac_son.pk, "")].numerator == 1
        assert province[(bs03.pk, merger.xa_hung_vu.pk, "")].denominator == 1
        assert province[(bs03.pk, merger.lang_son.pk, "")].denominator == 2
        commune = indicator_values(versions, periods.parse("2024"), merger.xa_bac_son)
        assert (bs02a.pk, merger.xa_bac_son.pk, "") not in commune  # not a commune's figure
        assert commune[(bs03.pk, merger.xa_bac_son.pk, "")].numerator == 1
        # 2026: no figure entered (the computed ones count what 2026 holds).
        entered = [v for v in versions if v.source == "entered"]
        assert indicator_values(entered, periods.parse("2026"), merger.lang_son) == {}
        # The province's page judges BS02a's target (100 %) on the district's own 80 %.
        sets = IndicatorSet.objects.filter(code="bac-son-2024")
        rows = {r.version.indicator.code: r for r in dashboard.dashboard(
            sets=sets, unit=merger.lang_son, period=periods.parse("2024")).groups[0][1]}
        assert rows["BS02a"].compared == pytest.approx(80.0)
        goal = rows["BS02a"].goal
        assert rows["BS02a"].status == "off_track" and goal is not None
        assert goal.relation == lineage.WITHIN
        assert rows["BS03"].compared == pytest.approx(50.0)


class PageTests:
    def test_the_provinces_page_shows_the_districts_target_with_its_area(
            self, merger, plans) -> None:
        from django.test import Client
        from django.urls import reverse

        from treem.accounts.roles import Role
        from treem.testing import login, make_user

        _children(merger.phuong_binh_long, 10, special=1)
        _children(merger.phuong_tran_bien, 10)
        officer = make_user("dong_nai", role=Role.AREA_OFFICER, unit=merger.dong_nai)
        page = login(Client(), officer).get(reverse("indicators:dashboard"),
                                            {"period": "2026S1"}).content.decode()
        assert "Chỉ tiêu Chương trình hành động vì trẻ em thị xã Bình Long" in page
        assert "Tỉnh Đồng Nai" in page  # today's province, not the first it took over
        assert "Mục tiêu của Thị xã Bình Long (đến 30/06/2025)" in page
        assert "Giá trị của khu vực" in page
        # A commune officer of a ward outside the area sees the set but no target of it.
        outside = make_user("tran_bien", role=Role.COMMUNE_OFFICER,
                            unit=merger.phuong_tran_bien)
        other = login(Client(), outside).get(reverse("indicators:dashboard"),
                                             {"period": "2026S1"}).content.decode()
        assert "Thị xã Bình Long (đến 30/06/2025)" not in other

    def test_a_wards_officer_sees_the_districts_plan_and_works_to_it(self, merger,
                                                                     plans) -> None:
        from django.test import Client
        from django.urls import reverse

        from treem.accounts.roles import Role
        from treem.testing import login, make_user

        _children(merger.phuong_binh_long, 4, special=1)
        officer = make_user("binh_long", role=Role.COMMUNE_OFFICER,
                            unit=merger.phuong_binh_long)
        page = login(Client(), officer).get(reverse("indicators:dashboard"),
                                            {"period": "2026S1"}).content.decode()
        assert "Phường Bình Long" in page
        assert "đơn vị là một phần của khu vực đó" in page
        assert "Giá trị của khu vực" not in page  # the area's value is the province's to see
