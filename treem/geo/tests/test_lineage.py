"""What a dissolved unit became and what a unit of today was: the areas, successors and former
units every record attached to a unit is followed through (targets, schedules, figures,
reports, DHIS2 tables), and the codes that name a unit of either structure."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from treem.geo import codes, lineage
from treem.geo.models import Level, SuccessionKind, Unit, UnitSuccession
from treem.geo.tests.merger import make_merger
from treem.testing import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def merger(tree):
    return make_merger(tree)


class AreaTests:
    def test_a_dissolved_districts_area_is_what_its_communes_became(self, merger) -> None:
        assert lineage.area_of(merger.binh_long) == {merger.phuong_binh_long.pk,
                                                     merger.phuong_an_loc.pk}
        assert lineage.area_of(merger.bac_son) == {merger.xa_bac_son.pk, merger.xa_hung_vu.pk}
        assert lineage.area_of(merger.hon_quan) == {merger.phuong_binh_long.pk}
        assert lineage.area_of(merger.phuong_binh_long) == {merger.phuong_binh_long.pk}

    def test_a_dissolved_district_is_followed_by_its_communes_and_their_province(
            self, merger) -> None:
        assert lineage.successors_of(merger.binh_long) == sorted(
            [merger.dong_nai, merger.phuong_binh_long, merger.phuong_an_loc],
            key=lambda u: u.path)
        assert lineage.successors_of(merger.binh_phuoc)[0] == merger.dong_nai
        assert lineage.successors_of(merger.dong_nai) == [merger.dong_nai]


class FormerUnitTests:
    def test_a_successor_commune_is_part_of_the_districts_area(self, merger) -> None:
        found = {f.unit: f.relation for f in lineage.former_units(merger.phuong_an_loc)}
        assert found[merger.binh_long] == lineage.PART
        assert found[merger.binh_phuoc] == lineage.PART
        # Its three old communes went wholly into it: their areas lie within it.
        assert found[merger.old_communes["Xã Thanh Lương"]] == lineage.WITHIN
        assert merger.hon_quan not in found  # none of Hớn Quản went to Phường An Lộc
        assert merger.old_dong_nai not in found

    def test_the_province_holds_the_districts_area(self, merger) -> None:
        found = {f.unit: f for f in lineage.former_units(merger.dong_nai)}
        assert found[merger.binh_long].relation == lineage.WITHIN
        assert found[merger.binh_long].area == {merger.phuong_binh_long.pk,
                                                merger.phuong_an_loc.pk}
        assert found[merger.binh_phuoc].relation == lineage.WITHIN
        assert merger.bac_son not in found  # another province's

    def test_former_units_cost_a_few_queries_whatever_their_number(self, merger,
                                                                   tree) -> None:
        for n in range(20):
            old = make_unit(parent=merger.bien_hoa, level=Level.COMMUNE, code=f"2600{n:02d}",
                            name=f"Phường Cũ {n}", current=False)
            UnitSuccession.objects.create(predecessor=old, successor=merger.phuong_tran_bien,
                                          kind=SuccessionKind.WHOLE,
                                          effective_on=merger.dong_nai.valid_from)
        with CaptureQueriesContext(connection) as queries:
            found = lineage.former_units(merger.dong_nai)
        assert len(found) > 25 and len(queries) <= 4

    def test_units_of_today_and_the_nation_have_no_former_units_of_their_own(
            self, merger, tree) -> None:
        assert lineage.former_units(tree.nation) == []
        assert lineage.former_units(merger.binh_long) == []  # a dissolved unit: its own tree
        assert lineage.former_units(tree.commune_b) == []    # no predecessor


class HistoryTests:
    def test_a_commune_gathers_what_it_is_the_default_successor_of(self, merger) -> None:
        # Xã Trấn Yên divided: the part going to Xã Bắc Sơn is not its default.
        UnitSuccession.objects.create(
            predecessor=merger.bac_son_communes["Xã Trấn Yên"], successor=merger.xa_bac_son,
            kind=SuccessionKind.PART, is_default=False, effective_on=merger.lang_son.valid_from)
        assert set(lineage.history_roots(merger.xa_bac_son)) == {
            merger.bac_son_communes[n] for n in ("Thị trấn Bắc Sơn", "Xã Long Đống",
                                                 "Xã Bắc Quỳnh")}
        assert lineage.history_roots(merger.lang_son) == [merger.old_lang_son]
        moved = lineage.current_of([merger.bac_son_communes["Xã Trấn Yên"].pk,
                                    merger.bac_son.pk], merger.lang_son)
        assert moved == {merger.bac_son_communes["Xã Trấn Yên"].pk: merger.xa_hung_vu.pk,
                         merger.bac_son.pk: merger.lang_son.pk}


class CodeTests:
    def test_a_dissolved_unit_is_named_with_its_last_day(self, merger) -> None:
        assert codes.unit_code(merger.phuong_binh_long) == "25326"
        assert codes.unit_code(merger.old_communes["Phường Phú Đức"]) == "25326@2025-06-30"
        assert codes.unit_code(merger.binh_phuoc) == "70@2025-06-30"

    def test_a_bare_code_is_todays_unit_and_a_dated_one_the_dissolved(self, merger) -> None:
        units = Unit.objects.all()
        assert codes.find(units, "25326") == merger.phuong_binh_long
        assert codes.find(units, "25326@2025-06-30") == merger.old_communes["Phường Phú Đức"]
        assert codes.find(units, "690") == merger.binh_long  # only a dissolved one has it
        assert codes.find(units, "25326@2030-01-01") is None
        assert codes.find(units, "25326@khong") is None
        assert codes.find(units, "") is None

    def test_every_unit_has_a_code_of_its_own(self, merger) -> None:
        named = codes.codes_of(Unit.objects.values_list("pk", flat=True))
        assert len(set(named.values())) == len(named)
        shared = Unit.objects.filter(code__in=["25326", "25333", "06325", "75", "20"]).count()
        assert shared == 10
