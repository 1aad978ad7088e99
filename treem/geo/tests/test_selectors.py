import unicodedata
import uuid
from collections.abc import Iterable
from typing import Any

import pytest
from django.http import Http404

from treem.accounts.models import User
from treem.geo import selectors
from treem.geo.models import REORGANISATION_DATE, Level, SuccessionKind, Unit, UnitSuccession
from treem.testing import Personas, Tree, make_unit


def names(units: Iterable[Unit]) -> list[str]:
    return [unit.name for unit in units]


def with_counts(units: Iterable[Any]) -> list[tuple[str, int]]:
    """(name, child_count) of units annotated by the selector."""
    return [(unit.name, unit.child_count) for unit in units]


class UnitSearchTests:
    @pytest.mark.parametrize("q", [
        "thuc phan", "THỤC PHÁN", "  Thục   Phán ", unicodedata.normalize("NFD", "Thục Phán"),
    ])
    def test_it_finds_a_commune_whatever_the_accents_and_case(
        self, tree: Tree, personas: Personas, q: str,
    ) -> None:
        assert names(selectors.unit_search(user=personas.intake, q=q)) == ["Phường Thục Phán"]

    def test_it_finds_a_unit_by_its_code(self, tree: Tree, personas: Personas) -> None:
        assert names(selectors.unit_search(user=personas.intake, q="01273")) == [
            "Phường Thục Phán"
        ]

    def test_a_part_of_a_code_does_not_match(self, tree: Tree, personas: Personas) -> None:
        assert names(selectors.unit_search(user=personas.intake, q="0127")) == []

    def test_it_filters_by_level(self, tree: Tree, personas: Personas) -> None:
        assert names(selectors.unit_search(user=personas.intake, level=Level.PROVINCE)) == [
            "Tỉnh Cao Bằng", "Thành phố Hà Nội",
        ]

    def test_it_limits_to_the_units_under_a_parent(self, tree: Tree, personas: Personas) -> None:
        assert names(selectors.unit_search(user=personas.intake, parent=tree.province)) == [
            "Phường Thục Phán", "Thôn Nà Pồng", "Xã Hòa An",
        ]

    def test_the_commune_officer_sees_only_her_commune(
        self, tree: Tree, personas: Personas,
    ) -> None:
        assert names(selectors.unit_search(user=personas.officer)) == [
            "Phường Thục Phán", "Thôn Nà Pồng",
        ]
        assert names(selectors.unit_search(user=personas.officer, q="hoa an")) == []
        assert names(selectors.unit_search(user=personas.officer, q="00070")) == []

    def test_the_province_officer_sees_both_communes_of_the_province_but_not_another_province(
        self, tree: Tree, personas: Personas,
    ) -> None:
        assert names(selectors.unit_search(user=personas.province_officer, q="phuong")) == [
            "Phường Thục Phán",
        ]
        assert names(selectors.unit_search(user=personas.province_officer,
                                           level=Level.COMMUNE)) == [
            "Phường Thục Phán", "Xã Hòa An",
        ]
        assert names(selectors.unit_search(user=personas.province_officer, q="hoan kiem")) == []

    def test_the_intake_operator_at_the_nation_sees_every_current_unit(
        self, tree: Tree, personas: Personas,
    ) -> None:
        assert names(selectors.unit_search(user=personas.intake, level=Level.COMMUNE)) == [
            "Phường Thục Phán", "Xã Hòa An", "Phường Hoàn Kiếm",
        ]

    def test_former_units_are_hidden_unless_asked_for(self, tree: Tree, personas: Personas) -> None:
        assert names(selectors.unit_search(user=personas.intake, q="song hien")) == []
        assert names(selectors.unit_search(user=personas.intake, q="song hien",
                                           include_former=True)) == ["Phường Sông Hiến"]

    @pytest.mark.parametrize("persona", ["province_officer", "officer", "chairman"])
    def test_a_former_commune_is_shown_to_those_whose_unit_it_became(
        self, tree: Tree, personas: Personas, persona: str,
    ) -> None:
        user = getattr(personas, persona)
        assert names(selectors.unit_search(user=user, q="song hien", include_former=True)) == [
            "Phường Sông Hiến"
        ]

    def test_a_former_commune_is_not_shown_to_an_officer_of_another_commune(
        self, tree: Tree, personas: Personas,
    ) -> None:
        assert names(selectors.unit_search(user=personas.outsider, q="song hien",
                                           include_former=True)) == []

    def test_the_officer_sees_the_former_commune_but_not_the_rest_of_the_former_province(
        self, tree: Tree, personas: Personas,
    ) -> None:
        former = selectors.unit_search(user=personas.officer, include_former=True)
        assert names(former) == ["Phường Thục Phán", "Thôn Nà Pồng", "Phường Sông Hiến"]

    def test_a_user_without_any_role_sees_nothing(self, tree: Tree) -> None:
        nobody = User.objects.create(username="nobody")
        assert names(selectors.unit_search(user=nobody, include_former=True)) == []


class GetUnitForUserTests:
    def test_it_returns_a_unit_in_scope(self, tree: Tree, personas: Personas) -> None:
        unit = selectors.get_unit_for_user(user=personas.officer,
                                           unit_id=tree.village_a.public_id)
        assert unit == tree.village_a

    def test_it_returns_a_former_unit_that_became_the_users_unit(
        self, tree: Tree, personas: Personas,
    ) -> None:
        unit = selectors.get_unit_for_user(user=personas.officer,
                                           unit_id=tree.old_commune.public_id)
        assert unit == tree.old_commune

    @pytest.mark.parametrize("attr", ["commune_b", "commune_c", "province", "nation",
                                      "old_district"])
    def test_a_unit_out_of_scope_is_not_found(
        self, tree: Tree, personas: Personas, attr: str,
    ) -> None:
        with pytest.raises(Http404):
            selectors.get_unit_for_user(user=personas.officer,
                                        unit_id=getattr(tree, attr).public_id)

    def test_a_unit_that_does_not_exist_is_not_found_alike(
        self, tree: Tree, personas: Personas,
    ) -> None:
        with pytest.raises(Http404):
            selectors.get_unit_for_user(user=personas.intake, unit_id=uuid.uuid4())


class UnitBreadcrumbsTests:
    def test_it_lists_the_ancestors_root_first(self, tree: Tree, personas: Personas) -> None:
        assert selectors.unit_breadcrumbs(user=personas.intake, unit=tree.village_a) == [
            tree.nation, tree.province, tree.commune_a,
        ]

    def test_it_hides_ancestors_out_of_scope(self, tree: Tree, personas: Personas) -> None:
        assert selectors.unit_breadcrumbs(user=personas.officer, unit=tree.village_a) == [
            tree.commune_a,
        ]
        assert selectors.unit_breadcrumbs(user=personas.province_officer,
                                          unit=tree.village_a) == [tree.province, tree.commune_a]
        assert selectors.unit_breadcrumbs(user=personas.collaborator, unit=tree.village_a) == []

    def test_a_former_commune_shows_only_the_ancestors_in_scope(
        self, tree: Tree, personas: Personas,
    ) -> None:
        assert selectors.unit_breadcrumbs(user=personas.officer, unit=tree.old_commune) == []
        assert selectors.unit_breadcrumbs(user=personas.province_officer,
                                          unit=tree.old_commune) == [
            tree.old_province, tree.old_district,
        ]


class UnitChildrenTests:
    def test_it_lists_the_children_by_name_with_their_child_count(
        self, tree: Tree, personas: Personas,
    ) -> None:
        make_unit(parent=tree.commune_a, level=Level.VILLAGE, code="01273-002", name="Bản Khuổi",
                  kind="Bản")
        children = selectors.unit_children(user=personas.province_officer, unit=tree.province)
        assert with_counts(children) == [
            ("Phường Thục Phán", 2), ("Xã Hòa An", 0),
        ]

    def test_it_lists_only_children_in_scope(self, tree: Tree, personas: Personas) -> None:
        assert names(selectors.unit_children(user=personas.officer, unit=tree.province)) == [
            "Phường Thục Phán"
        ]


class UnitRootsTests:
    def test_it_lists_the_units_of_the_users_assignments(
        self, tree: Tree, personas: Personas,
    ) -> None:
        roots = selectors.unit_roots(user=personas.officer)
        assert with_counts(roots) == [("Phường Thục Phán", 1)]
        assert names(selectors.unit_roots(user=personas.intake)) == ["Việt Nam"]


class SuccessionSelectorsTests:
    def test_the_officer_sees_what_her_commune_was_formed_from(
        self, tree: Tree, personas: Personas,
    ) -> None:
        links = selectors.unit_predecessors(user=personas.officer, unit=tree.commune_a)
        assert [s.predecessor for s in links] == [tree.old_commune]

    def test_successors_out_of_scope_are_hidden(self, tree: Tree, personas: Personas) -> None:
        UnitSuccession.objects.filter(predecessor=tree.old_commune).update(kind=SuccessionKind.PART)
        UnitSuccession.objects.create(predecessor=tree.old_commune, successor=tree.commune_b,
                                      kind=SuccessionKind.PART, is_default=False,
                                      effective_on=REORGANISATION_DATE)
        officer_sees = selectors.unit_successors(user=personas.officer, unit=tree.old_commune)
        province_sees = selectors.unit_successors(user=personas.province_officer,
                                                  unit=tree.old_commune)
        assert [s.successor for s in officer_sees] == [tree.commune_a]
        assert [s.successor for s in province_sees] == [tree.commune_a, tree.commune_b]


class LevelCountsTests:
    def test_it_counts_the_current_units_in_scope_by_level(
        self, tree: Tree, personas: Personas,
    ) -> None:
        assert selectors.level_counts(user=personas.province_officer) == {
            "nation": 0, "province": 1, "district": 0, "commune": 2, "village": 1,
        }
