"""The official units as packaged, loaded once for the whole class (about 2 s).

The class-scoped fixture loads inside a transaction that is rolled back after the last test, so
nothing leaks to other modules; each test still runs in its own savepoint (the `db` mark).
"""

import datetime
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoDbBlocker

from treem.geo.loading import PACKAGE, LoadResult, load_official_units
from treem.geo.models import (
    LAST_DAY_BEFORE_REORGANISATION,
    REORGANISATION_DATE,
    Dataset,
    Level,
    SuccessionKind,
    Unit,
    UnitSuccession,
)
from treem.geo.paths import segment


@pytest.fixture(scope="class")
def loaded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[LoadResult]:
    with django_db_blocker.unblock(), transaction.atomic():
        result = load_official_units()
        yield result
        transaction.set_rollback(True)


def legacy() -> QuerySet[Unit]:
    return Unit.objects.filter(valid_to=LAST_DAY_BEFORE_REORGANISATION)


def current() -> QuerySet[Unit]:
    return Unit.objects.filter(valid_from=REORGANISATION_DATE, valid_to__isnull=True)


def successor_names(*, predecessor: Unit) -> list[tuple[str, str, str]]:
    """(name, level, parent name) of every unit `predecessor` went to."""
    return sorted(
        UnitSuccession.objects.filter(predecessor=predecessor)
        .values_list("successor__name", "successor__level", "successor__parent__name")
    )


def old_province(name: str) -> Unit:
    return Unit.objects.get(level=Level.PROVINCE, name=name, valid_to__isnull=False)


def new_province(name: str) -> Unit:
    return Unit.objects.get(level=Level.PROVINCE, name=name, valid_to__isnull=True)


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class LoadOfficialUnitsTests:
    def test_it_reports_what_it_loaded(self, loaded: LoadResult) -> None:
        assert loaded.loaded is True
        assert loaded.counts == {
            "legacy_provinces": 63, "legacy_districts": 696, "legacy_communes": 10035,
            "provinces": 34, "communes": 3321,
            "successions": UnitSuccession.objects.count(),
        }
        assert Dataset.objects.get(name=PACKAGE).version == loaded.version

    def test_it_loads_the_structure_before_july_2025(self) -> None:
        counts = Counter(legacy().values_list("level", flat=True))
        assert counts == {Level.PROVINCE: 63, Level.DISTRICT: 696, Level.COMMUNE: 10035}
        assert not legacy().filter(valid_from__isnull=False).exists()

    def test_it_loads_the_current_structure_without_districts(self) -> None:
        counts = Counter(current().values_list("level", flat=True))
        assert counts == {Level.PROVINCE: 34, Level.COMMUNE: 3321}
        assert not Unit.objects.current().filter(level=Level.DISTRICT).exists()

    def test_the_nation_is_the_one_root_and_valid_on_both_sides_of_the_reorganisation(
        self,
    ) -> None:
        nation = Unit.objects.get(parent__isnull=True)
        assert nation.level == Level.NATION
        assert nation.name == "Việt Nam"
        before = Unit.objects.valid_on(datetime.date(2025, 6, 1)).filter(level__in=["nation",
                                                                                    "province"])
        after = Unit.objects.valid_on(REORGANISATION_DATE).filter(level__in=["nation",
                                                                            "province"])
        assert Counter(before.values_list("level", flat=True)) == {"nation": 1, "province": 63}
        assert Counter(after.values_list("level", flat=True)) == {"nation": 1, "province": 34}

    def test_every_legacy_commune_has_a_successor_and_exactly_one_default(self) -> None:
        communes = legacy().filter(level=Level.COMMUNE)
        assert not communes.filter(successions__isnull=True).exists()
        defaults = Counter(
            UnitSuccession.objects.filter(predecessor__in=communes, is_default=True)
            .values_list("predecessor_id", flat=True)
        )
        assert len(defaults) == 10035
        assert set(defaults.values()) == {1}

    def test_a_commune_divided_between_several_new_ones_is_linked_as_parts(self) -> None:
        linked = Counter(UnitSuccession.objects.values_list("predecessor_id", flat=True))
        divided = [pk for pk, n in linked.items() if n > 1]
        assert divided
        kinds = set(UnitSuccession.objects.filter(predecessor_id__in=divided)
                    .values_list("kind", flat=True))
        assert kinds == {SuccessionKind.PART}

    def test_every_current_commune_has_a_predecessor(self) -> None:
        assert not current().filter(level=Level.COMMUNE, predecessions__isnull=True).exists()

    def test_every_old_province_maps_to_exactly_one_new_province(self) -> None:
        links = UnitSuccession.objects.filter(predecessor__level=Level.PROVINCE)
        targets = Counter(links.values_list("predecessor_id", flat=True))
        assert len(targets) == 63
        assert set(targets.values()) == {1}
        assert set(links.values_list("successor__level", "successor__valid_to")) == {
            (Level.PROVINCE, None)
        }
        assert len(set(links.values_list("successor_id", flat=True))) == 34

    def test_old_communes_go_to_communes_of_their_provinces_successor(self) -> None:
        province_of = dict(
            UnitSuccession.objects.filter(predecessor__level=Level.PROVINCE)
            .values_list("predecessor__province_code", "successor__province_code")
        )
        pairs = set(
            UnitSuccession.objects.exclude(predecessor__level=Level.PROVINCE)
            .values_list("predecessor__province_code", "successor__province_code")
        )
        assert {(old, new) for old, new in pairs if province_of[old] != new} == set()

    def test_ha_giang_became_part_of_tuyen_quang(self) -> None:
        assert successor_names(predecessor=old_province("Tỉnh Hà Giang")) == [
            ("Tỉnh Tuyên Quang", Level.PROVINCE, "Việt Nam")
        ]

    def test_binh_duong_and_ba_ria_vung_tau_became_part_of_ho_chi_minh_city(self) -> None:
        city = new_province("Thành phố Hồ Chí Minh")
        merged = set(
            UnitSuccession.objects.filter(successor=city).values_list("predecessor__name",
                                                                      flat=True)
        )
        assert merged == {"Thành phố Hồ Chí Minh", "Tỉnh Bình Dương", "Tỉnh Bà Rịa - Vũng Tàu"}

    def test_cao_bang_is_unchanged(self) -> None:
        old, new = old_province("Tỉnh Cao Bằng"), new_province("Tỉnh Cao Bằng")
        assert list(UnitSuccession.objects.filter(predecessor=old)
                    .values_list("successor_id", flat=True)) == [new.pk]
        assert list(UnitSuccession.objects.filter(successor=new)
                    .values_list("predecessor_id", flat=True)) == [old.pk]
        assert new.code == old.code == "04"

    def test_the_island_district_con_dao_became_a_special_zone_of_ho_chi_minh_city(self) -> None:
        district = Unit.objects.get(level=Level.DISTRICT, name="Huyện Côn Đảo")
        assert district.parent is not None
        assert district.parent.name == "Tỉnh Bà Rịa - Vũng Tàu"
        assert not district.children.exists()
        assert successor_names(predecessor=district) == [
            ("Đặc khu Côn Đảo", Level.COMMUNE, "Thành phố Hồ Chí Minh")
        ]
        zone = Unit.objects.get(name="Đặc khu Côn Đảo")
        assert zone.kind == "Đặc khu"
        assert zone.is_current

    def test_every_current_commune_lies_inside_its_province(self) -> None:
        communes = current().filter(level=Level.COMMUNE)
        seen: set[int] = set()
        for province in current().filter(level=Level.PROVINCE):
            inside = Unit.objects.within(province).filter(level=Level.COMMUNE)
            ids = set(inside.values_list("id", flat=True))
            assert ids == set(communes.filter(parent=province).values_list("id", flat=True))
            assert set(inside.values_list("province_code", flat=True)) == {province.code}
            assert not ids & seen
            seen |= ids
        assert len(seen) == 3321

    def test_the_units_form_a_tree_whose_paths_follow_the_parents(self) -> None:
        rows = Unit.objects.values_list("id", "path", "parent__path", "level", "parent__level")
        depth = {"nation": 0, "province": 1, "district": 2, "commune": 3}
        broken = []
        for pk, path, parent_path, level, parent_level in rows:
            expected = (parent_path or "") + segment(pk)
            if path != expected or (parent_level and depth[parent_level] >= depth[level]):
                broken.append((pk, path))
        assert broken == []
        assert len(rows) == 1 + 63 + 696 + 10035 + 34 + 3321

    def test_a_second_load_is_a_no_op_that_writes_nothing(self) -> None:
        before = (Unit.objects.count(), UnitSuccession.objects.count(), Dataset.objects.count())
        with CaptureQueriesContext(connection) as queries:
            again = load_official_units()
        assert again.loaded is False
        assert again.counts == {}
        writes = [q["sql"] for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert writes == []
        assert (Unit.objects.count(), UnitSuccession.objects.count(),
                Dataset.objects.count()) == before


@pytest.mark.django_db
class LoadOfficialUnitsVersionTests:
    def test_it_refuses_to_load_over_another_version_of_the_data_set(self) -> None:
        Dataset.objects.create(name=PACKAGE, version="0.9.0")
        with pytest.raises(RuntimeError, match="0.9.0"):
            load_official_units()
        assert not Unit.objects.exists()
        assert not UnitSuccession.objects.exists()
