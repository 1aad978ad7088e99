"""Reads of the child register: what each user sees, and how the register is searched."""

import datetime
import re
import unicodedata
import uuid
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from treem.accounts.models import User
from treem.lib.text import word_prefixes
from treem.registry import choices, selectors
from treem.registry.models import Child
from treem.registry.selectors import ChildFilters
from treem.registry.tests.factories import (
    ethnicity,
    make_child,
    make_circumstance,
    make_risk,
    make_support,
    relocate,
)
from treem.testing import Personas, Tree
from treem.ui.pagination import count_capped

ON = datetime.date(2025, 6, 1)  # the reference date of the filters below
MOVED_ON = datetime.date(2024, 9, 1)


def names(user: User, **filters: Any) -> list[str]:
    return [c.full_name for c in selectors.child_list(user=user, filters=ChildFilters(**filters))]


@pytest.fixture
def children(tree: Tree) -> dict[str, Child]:
    return {
        "a": make_child(commune=tree.commune_a, full_name="Nguyễn Văn An"),
        "v": make_child(commune=tree.commune_a, village=tree.village_a,
                        full_name="Lò Thị Bích", sex=choices.Sex.FEMALE, ethnicity_code="02"),
        "b": make_child(commune=tree.commune_b, full_name="Nguyễn Văn Ánh"),
        "c": make_child(commune=tree.commune_c, full_name="Nguyễn Văn Anh"),
    }


class ChildListScopeTests:
    @pytest.mark.parametrize(("persona", "seen"), [
        ("officer", ["Lò Thị Bích", "Nguyễn Văn An"]),
        ("chairman", ["Lò Thị Bích", "Nguyễn Văn An"]),
        ("collaborator", ["Lò Thị Bích"]),
        ("outsider", ["Nguyễn Văn Ánh"]),
        ("province_officer", ["Lò Thị Bích", "Nguyễn Văn An", "Nguyễn Văn Ánh"]),
        ("auditor", ["Lò Thị Bích", "Nguyễn Văn An", "Nguyễn Văn Ánh"]),
        ("intake", []),
        ("admin", []),
        ("sector_focal", []),
    ])
    def test_each_user_sees_the_children_of_its_scope(
        self, personas: Personas, children: dict[str, Child], persona: str, seen: list[str],
    ) -> None:
        assert names(getattr(personas, persona)) == seen

    def test_merged_children_are_hidden(self, tree: Tree, personas: Personas,
                                        children: dict[str, Child]) -> None:
        make_child(commune=tree.commune_a, full_name="Nguyen Van An", merged_into=children["a"])
        assert names(personas.officer) == ["Lò Thị Bích", "Nguyễn Văn An"]

    def test_a_child_who_moved_away_leaves_the_list(self, tree: Tree, personas: Personas,
                                                    children: dict[str, Child]) -> None:
        relocate(children["a"], commune=tree.commune_b, on=MOVED_ON)
        assert names(personas.officer) == ["Lò Thị Bích"]
        assert names(personas.outsider) == ["Nguyễn Văn An", "Nguyễn Văn Ánh"]


class ChildListSearchTests:
    @pytest.mark.parametrize("typed", [
        "nguyen van an", "NGUYEN  VAN AN", "Nguyễn Văn An",
        unicodedata.normalize("NFD", "Nguyễn Văn An"), "van an",
    ])
    def test_the_name_search_ignores_accents_case_and_spacing(
        self, tree: Tree, personas: Personas, children: dict[str, Child], typed: str,
    ) -> None:
        make_child(commune=tree.commune_a, full_name="Trần Văn Bình")
        assert names(personas.province_officer, q=typed) == ["Nguyễn Văn An", "Nguyễn Văn Ánh"]

    def test_d_with_stroke_is_found_as_d(self, tree: Tree, personas: Personas) -> None:
        make_child(commune=tree.commune_a, full_name="Đặng Thị Đào")
        assert names(personas.officer, q="dang thi dao") == ["Đặng Thị Đào"]
        assert names(personas.officer, q="đặng") == ["Đặng Thị Đào"]

    def test_the_search_never_reaches_outside_the_scope(
        self, personas: Personas, children: dict[str, Child],
    ) -> None:
        assert names(personas.outsider, q="nguyen van an") == ["Nguyễn Văn Ánh"]
        assert names(personas.officer, q="anh") == []
        assert names(personas.officer, q="van a") == ["Nguyễn Văn An"]
        assert names(personas.collaborator, q="van a") == []

    # Both ways of answering: the word keys sorted (few matches), the name index walked (many).
    @pytest.mark.parametrize("dense_from", [1000, 1])
    def test_a_child_of_a_commune_dissolved_in_july_2025_is_found_by_its_new_commune(
        self, tree: Tree, personas: Personas, children: dict[str, Child],
        monkeypatch: pytest.MonkeyPatch, dense_from: int,
    ) -> None:
        # Recorded in Phường Sông Hiến until 30 June 2025, which became part of commune A.
        make_child(commune=tree.old_commune, full_name="Nông Văn An")
        make_child(commune=tree.old_commune, full_name="Nông Thị Bích")
        monkeypatch.setattr(selectors, "DENSE_MATCHES", dense_from)
        assert names(personas.officer, q="van an") == ["Nguyễn Văn An", "Nông Văn An"]
        assert names(personas.officer, q="nong") == ["Nông Thị Bích", "Nông Văn An"]
        assert names(personas.province_officer, q="van an") == [
            "Nguyễn Văn An", "Nguyễn Văn Ánh", "Nông Văn An"]
        assert names(personas.outsider, q="nong") == []
        assert names(personas.collaborator, q="nong") == []

    @pytest.mark.parametrize("typed", ["van an", "an nguyen", "nguyen van a", "ng v a", "Ngu",
                                       "an van"])
    def test_each_word_finds_the_start_of_a_word_in_any_order(
        self, tree: Tree, personas: Personas, children: dict[str, Child], typed: str,
    ) -> None:
        make_child(commune=tree.commune_a, full_name="Trần Văn Bình")
        assert names(personas.officer, q=typed) == ["Nguyễn Văn An"]

    def test_a_partial_last_word_finds_the_child_as_the_name_is_typed(
        self, tree: Tree, personas: Personas, children: dict[str, Child],
    ) -> None:
        assert names(personas.province_officer, q="nguyen van a") == [
            "Nguyễn Văn An", "Nguyễn Văn Ánh"]
        assert names(personas.province_officer, q="nguyen van anh") == ["Nguyễn Văn Ánh"]
        assert names(personas.province_officer, q=unicodedata.normalize("NFD", "Lò Thị B")) == [
            "Lò Thị Bích"]

    def test_every_word_must_match(self, personas: Personas,
                                   children: dict[str, Child]) -> None:
        assert names(personas.officer, q="nguyen van binh") == []
        assert names(personas.officer, q="thi an") == []

    def test_a_fragment_inside_a_word_finds_nothing(self, personas: Personas,
                                                    children: dict[str, Child]) -> None:
        assert names(personas.officer, q="guyen") == []

    def test_words_are_cut_at_apostrophes_and_hyphens(self, tree: Tree,
                                                      personas: Personas) -> None:
        make_child(commune=tree.commune_a, full_name="H'Hen Niê")
        make_child(commune=tree.commune_a, full_name="Y-Moan Êban")
        assert names(personas.officer, q="hen nie") == ["H'Hen Niê"]
        assert names(personas.officer, q="h'hen") == ["H'Hen Niê"]
        assert names(personas.officer, q="moan eb") == ["Y-Moan Êban"]

    def test_a_word_longer_than_the_keys_is_matched_whole(self, tree: Tree,
                                                         personas: Personas) -> None:
        word = "Abcdefghijklmnopqrstuvwxyz"  # its first 20 letters are its longest key
        make_child(commune=tree.commune_a, full_name=f"Ksor {word}")
        make_child(commune=tree.commune_a, full_name=f"Ksor {word[:22]}zzz")
        both = [f"Ksor {word}", f"Ksor {word[:22]}zzz"]
        assert names(personas.officer, q=word) == [f"Ksor {word}"]
        assert names(personas.officer, q=f"{word[:22]} ksor") == both
        assert names(personas.officer, q=word[:20]) == both
        assert names(personas.officer, q=word[1:]) == []
        assert names(personas.officer, q=f"{word}x") == []

    def test_a_search_without_letters_compares_the_text(self, tree: Tree,
                                                        personas: Personas) -> None:
        make_child(commune=tree.commune_a, full_name="Y-Moan Êban")
        make_child(commune=tree.commune_a, full_name="Lò Thị Bích")
        assert names(personas.officer, q="-") == ["Y-Moan Êban"]

    def test_the_search_sorts_and_pages_like_the_list(
        self, tree: Tree, personas: Personas, children: dict[str, Child],
    ) -> None:
        make_child(commune=tree.commune_a, full_name="Bế Văn An")
        assert names(personas.officer, q="van an") == ["Bế Văn An", "Nguyễn Văn An"]
        assert names(personas.officer, q="van an", sort="-name") == ["Nguyễn Văn An",
                                                                     "Bế Văn An"]

    @pytest.mark.parametrize("sort", ["name", "-name"])
    def test_a_search_with_many_matches_gives_the_same_pages_as_one_with_few(
        self, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch, sort: str,
    ) -> None:
        for given in ["An", "Anh", "Ánh", "Ân", "An", "Bình"]:
            make_child(commune=tree.commune_a, full_name=f"Nguyễn Văn {given}")
            make_child(commune=tree.commune_a, full_name=f"Bế Văn {given}")

        def pages(dense_from: int) -> list[list[int]]:
            monkeypatch.setattr(selectors, "DENSE_MATCHES", dense_from)
            found = selectors.child_list(user=personas.officer,
                                         filters=ChildFilters(q="van a", sort=sort))
            return [[c.pk for c in found[start:start + 3]] for start in range(0, 12, 3)]

        sorted_matches, walked = pages(dense_from=1000), pages(dense_from=2)
        assert walked == sorted_matches
        assert sum(len(page) for page in walked) == 10

    def test_the_pages_of_a_search_with_many_matches_are_the_rows_of_the_list(
        self, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        # On PostgreSQL a page's ids come from the name index first, then its rows: what a
        # later filter, another order or a values() asks for is read as usual.
        for given in ["An", "Anh", "Ánh", "Ân", "Bình"]:
            make_child(commune=tree.commune_a, full_name=f"Nguyễn Văn {given}",
                       sex=choices.Sex.FEMALE if given == "Ánh" else choices.Sex.MALE)
        make_child(commune=tree.commune_b, full_name="Nguyễn Văn Ân")
        monkeypatch.setattr(selectors, "DENSE_MATCHES", 2)
        found = selectors.child_list(user=personas.officer, filters=ChildFilters(q="van a"))
        assert [c.full_name for c in found[1:3]] == ["Nguyễn Văn Ân", "Nguyễn Văn Anh"]
        assert [c.full_name for c in found[3:10]] == ["Nguyễn Văn Ánh"]
        assert [c.commune for c in found[0:1]] == [tree.commune_a]
        assert [c.full_name for c in found.filter(sex=choices.Sex.FEMALE)[0:5]] == [
            "Nguyễn Văn Ánh"]
        assert list(found.values_list("full_name", flat=True)[2:3]) == ["Nguyễn Văn Anh"]
        assert [c.full_name for c in found.order_by("-name_folded", "-id")[0:1]] == [
            "Nguyễn Văn Ánh"]

    def test_a_page_of_few_matches_comes_with_its_units_in_two_queries(
        self, tree: Tree, personas: Personas, children: dict[str, Child],
        django_assert_num_queries: Any,
    ) -> None:
        # The page's ids are sorted first, then their rows are read with their units.
        make_child(commune=tree.commune_a, village=tree.village_a, full_name="Bế Văn An")
        found = selectors.child_list(user=personas.officer, filters=ChildFilters(q="van an"))
        with django_assert_num_queries(2):
            page = list(found[0:1])
            assert [(c.full_name, c.commune, c.village) for c in page] == [
                ("Bế Văn An", tree.commune_a, tree.village_a)]
        assert [c.full_name for c in found[1:5]] == ["Nguyễn Văn An"]

    def test_the_walk_checks_the_rarest_word_first(self) -> None:
        frequencies = {"thi": 0.5, "van": 0.4, "ngu": 0.3}
        assert selectors.rarest_first(["thi", "chu"], frequencies) == ["chu", "thi"]
        assert selectors.rarest_first(["thi", "van", "ngu"], frequencies) == ["ngu", "van", "thi"]
        # A word longer than the keys is looked up by its longest key.
        assert selectors.rarest_first(["thi" * 10, "an"], {"thi" * 6 + "th": 0.1}) == [
            "an", "thi" * 10]

    @pytest.mark.skipif(connection.vendor != "postgresql",
                        reason="the walk and its statistics are PostgreSQL's")
    def test_the_frequencies_of_words_are_postgresqls_statistics(
        self, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        for given in ["An", "Bình", "Chu", "Dung", "Hà", "Lan", "Mai", "Nga"]:
            make_child(commune=tree.commune_a, full_name=f"Lò Thị {given}")
        make_child(commune=tree.commune_a, full_name="Bế Văn Chu")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_child")
        monkeypatch.setitem(selectors._FREQUENCIES, "at", -1e9)
        frequencies = selectors._word_frequencies()
        assert frequencies["thi"] > frequencies.get("chu", 0.0) > 0
        walk = selectors._name_walk(Child.objects.all(), "thi chu")
        assert walk is not None
        sql = str(walk.query)
        assert sql.index("%chu%") < sql.index("%thi%")
        assert [c.full_name for c in walk] == ["Lò Thị Chu"]

    def test_a_search_with_many_matches_is_counted_without_asking_again(
        self, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch,
        django_assert_num_queries: Any,
    ) -> None:
        for given in ["An", "Anh", "Ánh"]:
            make_child(commune=tree.commune_a, full_name=f"Nguyễn Văn {given}")
        monkeypatch.setattr(selectors, "DENSE_MATCHES", 3)
        found = selectors.child_list(user=personas.officer, filters=ChildFilters(q="van a"))
        with django_assert_num_queries(0):
            assert count_capped(found, cap=2) == 3
        # Another filter, another count: the probe said nothing about it.
        assert count_capped(found.filter(full_name="Nguyễn Văn An"), cap=2) == 1
        assert count_capped(found[:1], cap=2) == 1


class ChildListFilterTests:
    def test_by_village(self, tree: Tree, personas: Personas,
                        children: dict[str, Child]) -> None:
        assert names(personas.officer, village_id=tree.village_a.public_id) == ["Lò Thị Bích"]
        assert names(personas.officer, village_id=str(tree.village_a.public_id)) == [
            "Lò Thị Bích"]

    @pytest.mark.parametrize(("group", "born"), [
        ("0-2", ["2025-06-01", "2023-06-02", "2022-06-02"]),
        ("3-5", ["2022-06-01", "2019-06-02"]),
        ("6-10", ["2019-06-01", "2014-06-02"]),
        ("11-14", ["2014-06-01", "2010-06-02"]),
        ("15", ["2010-06-01", "2009-06-02"]),
        ("16-17", ["2009-06-01", "2007-06-02"]),
    ])
    def test_by_age_group_on_the_reference_date(self, tree: Tree, personas: Personas,
                                                group: str, born: list[str]) -> None:
        for day in ("2025-06-01", "2023-06-02", "2022-06-02", "2022-06-01", "2019-06-02",
                    "2019-06-01", "2014-06-02", "2014-06-01", "2010-06-02", "2010-06-01",
                    "2009-06-02", "2009-06-01", "2007-06-02", "2007-06-01"):
            make_child(commune=tree.commune_a, full_name=f"Trẻ sinh {day}",
                       birth_date=datetime.date.fromisoformat(day))
        assert names(personas.officer, age_group=group, on=ON, sort="-birth") == [
            f"Trẻ sinh {day}" for day in born]

    def test_an_unknown_age_group_filters_nothing(self, personas: Personas,
                                                  children: dict[str, Child]) -> None:
        assert len(names(personas.officer, age_group="1-99", on=ON)) == 2

    def test_by_sex_and_ethnicity(self, personas: Personas, children: dict[str, Child]) -> None:
        assert names(personas.officer, sex=choices.Sex.FEMALE) == ["Lò Thị Bích"]
        assert names(personas.officer, sex=choices.Sex.MALE) == ["Nguyễn Văn An"]
        assert names(personas.officer, ethnicity_id=ethnicity("02").pk) == ["Lò Thị Bích"]
        assert names(personas.officer, ethnicity_id=ethnicity("03").pk) == []

    def test_by_circumstance_group_on_the_reference_date(
        self, personas: Personas, children: dict[str, Child],
    ) -> None:
        make_circumstance(child=children["a"], code="d1", start_date=datetime.date(2024, 1, 1))
        make_circumstance(child=children["v"], code="a", start_date=datetime.date(2024, 1, 1),
                          end_date=ON - datetime.timedelta(days=1))
        make_circumstance(child=children["v"], code="l2", start_date=ON + datetime.timedelta(1))
        assert names(personas.officer, circumstance="d", on=ON) == ["Nguyễn Văn An"]
        assert names(personas.officer, circumstance="d1", on=ON) == ["Nguyễn Văn An"]
        assert names(personas.officer, circumstance="d2", on=ON) == []
        assert names(personas.officer, circumstance="any", on=ON) == ["Nguyễn Văn An"]
        assert names(personas.officer, circumstance="a", on=ON) == []
        assert names(personas.officer, circumstance="a",
                     on=datetime.date(2024, 6, 1)) == ["Lò Thị Bích"]
        # Group l reveals abuse: found only by who may see the child's cases (the chairman).
        assert names(personas.chairman, circumstance="l",
                     on=ON + datetime.timedelta(days=1)) == ["Lò Thị Bích"]
        assert names(personas.officer, circumstance="l",
                     on=ON + datetime.timedelta(days=1)) == []

    def test_by_support_received_on_the_reference_date(
        self, personas: Personas, children: dict[str, Child],
    ) -> None:
        make_support(child=children["a"], kind=choices.SupportKind.HEALTH,
                     start_date=datetime.date(2025, 1, 1), end_date=ON)
        make_support(child=children["v"], kind=choices.SupportKind.EDUCATION,
                     start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 12, 31))
        assert names(personas.officer, support="health", on=ON) == ["Nguyễn Văn An"]
        assert names(personas.officer, support="any", on=ON) == ["Nguyễn Văn An"]
        assert names(personas.officer, support="education", on=ON) == []
        assert names(personas.officer, support="any", on=datetime.date(2024, 6, 1)) == [
            "Lò Thị Bích"]

    def test_by_school_status(self, tree: Tree, personas: Personas,
                              children: dict[str, Child]) -> None:
        make_child(commune=tree.commune_a, full_name="Hà Văn Dũng",
                   school_status=choices.SchoolStatus.DROPPED_OUT)
        assert names(personas.officer, school_status="dropped_out") == ["Hà Văn Dũng"]
        assert names(personas.officer, school_status="in_school") == []

    @pytest.mark.parametrize(("sort", "order"), [
        ("name", ["Ân", "Bảo", "Cường"]),
        ("-name", ["Cường", "Bảo", "Ân"]),
        ("birth", ["Bảo", "Cường", "Ân"]),
        ("-birth", ["Ân", "Cường", "Bảo"]),
        ("unknown", ["Ân", "Bảo", "Cường"]),
    ])
    def test_it_sorts(self, tree: Tree, personas: Personas, sort: str,
                      order: list[str]) -> None:
        # Sorted by the folded name: "Ân" comes before "Bảo" although "Â" sorts after "B".
        for name, born in (("Bảo", "2012-01-01"), ("Ân", "2020-01-01"), ("Cường", "2016-01-01")):
            make_child(commune=tree.commune_a, full_name=name,
                       birth_date=datetime.date.fromisoformat(born))
        assert names(personas.officer, sort=sort) == order


class GetChildForUserTests:
    @pytest.mark.parametrize("persona", ["officer", "chairman", "collaborator"])
    def test_a_manager_of_the_child_may_edit(self, tree: Tree, personas: Personas,
                                             persona: str) -> None:
        child = make_child(commune=tree.commune_a, village=tree.village_a)
        view = selectors.get_child_for_user(user=getattr(personas, persona),
                                            child_id=child.public_id, for_write=True)
        assert (view.child, view.until, view.can_edit) == (child, None, True)

    @pytest.mark.parametrize("persona", ["outsider", "intake", "admin", "sector_focal"])
    def test_a_child_out_of_scope_and_an_unknown_id_are_both_not_found(
        self, tree: Tree, personas: Personas, persona: str,
    ) -> None:
        child = make_child(commune=tree.commune_a)
        user = getattr(personas, persona)
        for child_id in (child.public_id, uuid.uuid4()):
            with pytest.raises(Http404):
                selectors.get_child_for_user(user=user, child_id=child_id)
            with pytest.raises(Http404):
                selectors.get_child_for_user(user=user, child_id=child_id, for_write=True)

    def test_the_collaborator_does_not_find_a_child_outside_its_village(
        self, tree: Tree, personas: Personas,
    ) -> None:
        child = make_child(commune=tree.commune_a)
        with pytest.raises(Http404):
            selectors.get_child_for_user(user=personas.collaborator, child_id=child.public_id)

    @pytest.mark.parametrize("persona", ["auditor", "province_officer"])
    def test_a_read_only_user_sees_but_may_not_write(self, tree: Tree, personas: Personas,
                                                     persona: str) -> None:
        child = make_child(commune=tree.commune_a)
        user = getattr(personas, persona)
        view = selectors.get_child_for_user(user=user, child_id=child.public_id)
        assert (view.child, view.until, view.can_edit) == (child, None, False)
        with pytest.raises(PermissionDenied):
            selectors.get_child_for_user(user=user, child_id=child.public_id, for_write=True)

    def test_a_merged_child_is_read_only(self, tree: Tree, personas: Personas) -> None:
        kept = make_child(commune=tree.commune_a)
        merged = make_child(commune=tree.commune_a, merged_into=kept)
        assert not selectors.get_child_for_user(user=personas.officer,
                                                child_id=merged.public_id).can_edit
        with pytest.raises(PermissionDenied):
            selectors.get_child_for_user(user=personas.officer, child_id=merged.public_id,
                                         for_write=True)

    def test_the_commune_a_child_left_sees_it_until_the_day_before_the_move(
        self, tree: Tree, personas: Personas,
    ) -> None:
        child = make_child(commune=tree.commune_a, village=tree.village_a)
        relocate(child, commune=tree.commune_b, on=MOVED_ON)
        last_day = MOVED_ON - datetime.timedelta(days=1)
        for user in (personas.officer, personas.collaborator, personas.chairman):
            view = selectors.get_child_for_user(user=user, child_id=child.public_id)
            assert (view.until, view.can_edit) == (last_day, False)
            with pytest.raises(PermissionDenied):
                selectors.get_child_for_user(user=user, child_id=child.public_id,
                                             for_write=True)
        view = selectors.get_child_for_user(user=personas.outsider, child_id=child.public_id,
                                            for_write=True)
        assert (view.until, view.can_edit) == (None, True)

    def test_a_third_commune_never_saw_the_moved_child(self, tree: Tree,
                                                       personas: Personas) -> None:
        child = make_child(commune=tree.commune_b)
        relocate(child, commune=tree.commune_c, on=MOVED_ON)
        with pytest.raises(Http404):
            selectors.get_child_for_user(user=personas.officer, child_id=child.public_id)

    def test_the_timeline_seen_from_the_old_commune_stops_at_the_move(
        self, tree: Tree, personas: Personas,
    ) -> None:
        child = make_child(commune=tree.commune_a)
        make_circumstance(child=child, code="a1", start_date=datetime.date(2020, 1, 1))
        make_support(child=child, start_date=datetime.date(2024, 1, 1),
                     end_date=datetime.date(2024, 12, 31))
        relocate(child, commune=tree.commune_b, on=MOVED_ON)
        make_risk(child=child, start_date=MOVED_ON + datetime.timedelta(days=5))
        make_circumstance(child=child, code="h1", start_date=MOVED_ON)
        Child.objects.filter(pk=child.pk).update(death_date=datetime.date(2025, 1, 2))
        child.refresh_from_db()

        old = selectors.get_child_for_user(user=personas.officer, child_id=child.public_id)
        new = selectors.get_child_for_user(user=personas.outsider, child_id=child.public_id)
        seen_before = [(e.day, e.kind, e.end) for e in selectors.child_timeline(
            view=old, user=personas.officer)]
        seen_after = [(e.day, e.kind, e.end) for e in selectors.child_timeline(
            view=new, user=personas.outsider)]

        last_day = MOVED_ON - datetime.timedelta(days=1)
        assert seen_before == [
            (child.birth_date, "birth", None),
            (child.birth_date, "residence", last_day),
            (datetime.date(2020, 1, 1), "circumstance", None),
            # The support ended after the move: the old commune does not learn when.
            (datetime.date(2024, 1, 1), "support", None),
        ]
        assert seen_after == [
            (child.birth_date, "birth", None),
            (child.birth_date, "residence", last_day),
            (datetime.date(2020, 1, 1), "circumstance", None),
            (datetime.date(2024, 1, 1), "support", datetime.date(2024, 12, 31)),
            (MOVED_ON, "circumstance", None),
            (MOVED_ON, "residence", None),
            (MOVED_ON + datetime.timedelta(days=5), "risk", None),
            (datetime.date(2025, 1, 2), "death", None),
        ]


class ChildAgeTests:
    def test_a_child_turning_16_on_the_reference_date_is_no_longer_a_child(
        self, tree: Tree,
    ) -> None:
        child = make_child(commune=tree.commune_a, birth_date=datetime.date(2010, 5, 20))
        eve, birthday = datetime.date(2026, 5, 19), datetime.date(2026, 5, 20)
        assert (child.age_on(eve), child.age_on(birthday)) == (15, 16)
        assert child.is_child_on(eve)
        assert not child.is_child_on(birthday)
        assert list(Child.objects.children_on(eve)) == [child]
        assert list(Child.objects.children_on(birthday)) == []
        assert list(Child.objects.age_between(eve, 15, 15)) == [child]
        assert list(Child.objects.age_between(birthday, 15, 15)) == []
        assert list(Child.objects.age_between(birthday, 16, 17)) == [child]

    def test_a_child_is_one_from_birth_until_death(self, tree: Tree) -> None:
        born, died = datetime.date(2020, 3, 10), datetime.date(2023, 8, 1)
        child = make_child(commune=tree.commune_a, birth_date=born, death_date=died)
        for day, expected in ((born - datetime.timedelta(days=1), False), (born, True),
                              (died - datetime.timedelta(days=1), True), (died, False)):
            assert child.is_child_on(day) is expected, day
            assert Child.objects.children_on(day).exists() is expected, day

    def test_a_child_born_on_29_february_turns_16_on_29_february(self, tree: Tree) -> None:
        child = make_child(commune=tree.commune_a, birth_date=datetime.date(2012, 2, 29))
        for day, expected in ((datetime.date(2028, 2, 28), True),
                              (datetime.date(2028, 2, 29), False)):
            assert child.is_child_on(day) is expected
            assert Child.objects.children_on(day).exists() is expected

    def test_in_a_common_year_a_29_february_birthday_falls_on_1_march(self,
                                                                       tree: Tree) -> None:
        child = make_child(commune=tree.commune_a, birth_date=datetime.date(2020, 2, 29))
        feb_28, mar_1 = datetime.date(2023, 2, 28), datetime.date(2023, 3, 1)
        assert (child.age_on(feb_28), child.age_on(mar_1)) == (2, 3)
        assert list(Child.objects.age_between(feb_28, 0, 2)) == [child]
        assert list(Child.objects.age_between(feb_28, 3, 5)) == []
        assert list(Child.objects.age_between(mar_1, 0, 2)) == []
        assert list(Child.objects.age_between(mar_1, 3, 5)) == [child]

    def test_on_29_february_a_child_born_on_28_february_has_had_its_birthday(
        self, tree: Tree,
    ) -> None:
        child = make_child(commune=tree.commune_a, birth_date=datetime.date(2021, 2, 28))
        leap_day = datetime.date(2024, 2, 29)
        assert child.age_on(leap_day) == 3
        assert list(Child.objects.age_between(leap_day, 3, 5)) == [child]
        assert list(Child.objects.age_between(leap_day, 0, 2)) == []


class PossibleDuplicatesTests:
    @pytest.fixture
    def known(self, tree: Tree) -> Child:
        return make_child(commune=tree.commune_a, village=tree.village_a,
                          full_name="Nguyễn Văn An", birth_date=datetime.date(2015, 3, 1),
                          personal_id="004215000123")

    def find(self, user: User, **fields: object) -> list[Child]:
        query = {"full_name": "Nguyen Van An", "birth_date": datetime.date(2015, 3, 1),
                 "sex": choices.Sex.MALE, "province_code": "04"} | fields
        return selectors.possible_duplicates(user=user, **query)  # type: ignore[arg-type]

    @pytest.mark.parametrize("other", ["Nguyễn Văn Bình", "Nguyễn Văn Vân", "Nguyễn Văn Ba"])
    def test_a_common_family_and_middle_name_alone_is_not_a_duplicate(
        self, personas: Personas, tree: Tree, other: str,
    ) -> None:
        make_child(commune=tree.commune_a, full_name=other, birth_date=datetime.date(2015, 3, 1))
        assert self.find(personas.officer) == []

    @pytest.mark.parametrize("fields", [
        {},
        {"full_name": "NGUYỄN VĂN AN"},
        {"full_name": "Nguyễn Văn Ân"},
        {"full_name": "Nguyen Van Ann"},
        {"full_name": "Văn An Nguyễn"},
        {"birth_date": datetime.date(2016, 2, 28)},
        {"birth_date": datetime.date(2014, 3, 1)},
    ])
    def test_it_finds_a_similar_name_of_the_same_sex_within_a_year(
        self, personas: Personas, known: Child, fields: dict[str, object],
    ) -> None:
        assert self.find(personas.officer, **fields) == [known]

    @pytest.mark.parametrize("fields", [
        {"sex": choices.Sex.FEMALE},
        {"birth_date": datetime.date(2016, 3, 3)},
        {"birth_date": datetime.date(2014, 2, 27)},
        {"full_name": "Trần Thị Bình"},
        {"full_name": "Hoàng Minh Tuấn"},
        {"province_code": "01"},
    ])
    def test_it_ignores_other_children(self, personas: Personas, known: Child,
                                       fields: dict[str, object]) -> None:
        assert self.find(personas.officer, **fields) == []

    def test_it_finds_a_child_recorded_in_a_commune_dissolved_in_july_2025(
        self, personas: Personas, tree: Tree,
    ) -> None:
        # Recorded in Phường Sông Hiến before it became part of commune A: registered again
        # in commune A, where the officer sees the old record too.
        old = make_child(commune=tree.old_commune, full_name="Nguyễn Văn An",
                         birth_date=datetime.date(2015, 3, 1))
        assert self.find(personas.officer) == [old]
        assert self.find(personas.officer, full_name="Nguyen Van Ann") == [old]
        assert self.find(personas.outsider) == []

    def test_it_finds_the_same_personal_id_whatever_the_name(self, personas: Personas,
                                                             known: Child) -> None:
        assert self.find(personas.officer, full_name="Hoàng Minh Tuấn",
                         birth_date=datetime.date(2011, 1, 1),
                         personal_id="004215000123") == [known]

    def test_it_never_reveals_a_child_the_user_may_not_see(self, personas: Personas,
                                                          known: Child) -> None:
        assert self.find(personas.outsider) == []
        assert self.find(personas.outsider, personal_id="004215000123") == []
        assert self.find(personas.province_officer) == [known]

    def test_it_skips_merged_records_and_the_child_itself(self, tree: Tree,
                                                          personas: Personas,
                                                          known: Child) -> None:
        make_child(commune=tree.commune_a, full_name="Nguyen Van An", merged_into=known)
        assert self.find(personas.officer) == [known]
        assert self.find(personas.officer, exclude_pk=known.pk) == []


class _Editor:
    """What a migration's RunPython reads of its schema editor, usable inside a test's
    transaction (SQLite's real one refuses to open there)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _old_prefixes(folded: str) -> str:
    """The keys as stored before the caps: every prefix of every word."""
    return " ".join(sorted({word[:end] for word in re.findall("[a-z0-9]+", folded)
                            for end in range(1, len(word) + 1)}))


class NameKeysMigrationTests:
    NAMES = ["nguyen van an", "h'hen nie-y", "ksor abcdefghijklmnopqrstuvwxyz", "-an- 12ab",
             "a " * 74 + "z", "- '", "x" * 150, "an van an", "abcdefghijklmnopqrstu"]

    def _children(self, tree: Tree, keys: Any) -> list[Child]:
        children = []
        for name in self.NAMES:
            child = make_child(commune=tree.commune_a)
            Child.objects.filter(pk=child.pk).update(name_folded=name, name_prefixes=keys(name))
            children.append(child)
        return children

    def test_the_backfill_cuts_names_as_python_does(self, tree: Tree) -> None:
        # PostgreSQL's is SQL of its own, which must agree with `word_prefixes`.
        children = self._children(tree, lambda name: "")
        import_module("treem.registry.migrations.0005_child_search_words").backfill(
            django_apps, _Editor())
        stored = dict(Child.objects.filter(pk__in=[c.pk for c in children])
                      .values_list("name_folded", "name_prefixes"))
        assert stored == {name: word_prefixes(name) for name in self.NAMES}

    def test_the_keys_stored_uncapped_are_recomputed(self, tree: Tree) -> None:
        children = self._children(tree, _old_prefixes)
        import_module("treem.registry.migrations.0011_name_prefixes_capped").forward(
            django_apps, _Editor())
        stored = dict(Child.objects.filter(pk__in=[c.pk for c in children])
                      .values_list("name_folded", "name_prefixes"))
        assert stored == {name: word_prefixes(name) for name in self.NAMES}
        assert stored["ksor abcdefghijklmnopqrstuvwxyz"] != _old_prefixes(
            "ksor abcdefghijklmnopqrstuvwxyz")
