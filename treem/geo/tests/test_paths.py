import pytest
from django.db.models import QuerySet

from treem.geo.models import Level, Unit
from treem.geo.paths import (
    ancestor_paths,
    any_subtree_q,
    child_path,
    collapse,
    segment,
    subtree_q,
    subtree_upper_bound,
)
from treem.lib.text import fold

A = "00000001."
AB = "00000001.00000002."
ABC = "00000001.00000002.00000003."
AD = "00000001.00000010."
E = "00000005."


class SegmentTests:
    def test_it_pads_the_id_to_eight_digits_and_ends_with_a_dot(self) -> None:
        assert segment(42) == "00000042."

    def test_a_child_path_is_the_parent_path_followed_by_the_childs_segment(self) -> None:
        assert child_path("", 1) == A
        assert child_path(A, 2) == AB
        assert child_path(AB, 3) == ABC


class SubtreeUpperBoundTests:
    def test_it_replaces_the_final_dot_by_the_next_byte(self) -> None:
        assert subtree_upper_bound(AB) == "00000001.00000002/"

    def test_it_is_above_every_descendant_and_below_the_next_sibling(self) -> None:
        bound = subtree_upper_bound(A)
        assert A < ABC < AD < bound
        assert bound < "00000002."
        assert bound < E


class SubtreeQTests:
    def test_it_is_the_half_open_range_of_the_subtree(self) -> None:
        q = subtree_q(AB)
        assert q.connector == "AND"
        assert q.children == [("path__gte", AB), ("path__lt", "00000001.00000002/")]

    def test_it_filters_on_another_field_when_asked(self) -> None:
        assert subtree_q(A, field="unit__path").children == [
            ("unit__path__gte", A), ("unit__path__lt", "00000001/"),
        ]


class CollapseTests:
    def test_it_drops_paths_covered_by_an_ancestor(self) -> None:
        assert collapse([ABC, AB, E, A]) == [A, E]

    def test_it_keeps_siblings_and_removes_duplicates(self) -> None:
        assert collapse([AD, AB, AB]) == [AB, AD]

    def test_a_sibling_whose_id_shares_a_prefix_is_not_taken_for_a_descendant(self) -> None:
        assert collapse(["00000001.00000001.", "00000001.00000010."]) == [
            "00000001.00000001.", "00000001.00000010.",
        ]

    def test_nothing_collapses_to_nothing(self) -> None:
        assert collapse([]) == []


class AncestorPathsTests:
    def test_it_lists_the_unit_and_its_ancestors_root_first(self) -> None:
        assert ancestor_paths(ABC) == [A, AB, ABC]

    def test_a_root_is_its_own_only_ancestor(self) -> None:
        assert ancestor_paths(A) == [A]


def unit_at(*, pk: int, parent: Unit | None, level: str, name: str) -> Unit:
    return Unit.objects.create(
        id=pk, level=level, code=str(pk), name=name, kind=name.split(" ")[0],
        name_folded=fold(name), parent=parent,
        path=child_path(parent.path if parent else "", pk),
    )


@pytest.mark.django_db
class WithinTests:
    """`within` is a range on the path column; ids 1 and 10 must not be confused."""

    @pytest.fixture
    def units(self) -> dict[str, Unit]:
        nation = unit_at(pk=100, parent=None, level=Level.NATION, name="Việt Nam")
        one = unit_at(pk=1, parent=nation, level=Level.PROVINCE, name="Tỉnh Một")
        ten = unit_at(pk=10, parent=nation, level=Level.PROVINCE, name="Tỉnh Mười")
        return {
            "nation": nation,
            "one": one,
            "ten": ten,
            "one_child": unit_at(pk=11, parent=one, level=Level.COMMUNE, name="Xã Con Một"),
            "ten_child": unit_at(pk=12, parent=ten, level=Level.COMMUNE, name="Xã Con Mười"),
            "one_grandchild": unit_at(pk=1000, parent=Unit.objects.get(pk=11),
                                      level=Level.VILLAGE, name="Thôn Cháu Một"),
        }

    def names(self, queryset: QuerySet[Unit]) -> set[str]:
        return set(queryset.values_list("name", flat=True))

    def test_it_returns_the_unit_and_everything_under_it(self, units: dict[str, Unit]) -> None:
        assert self.names(Unit.objects.within(units["one"])) == {
            "Tỉnh Một", "Xã Con Một", "Thôn Cháu Một",
        }

    def test_it_does_not_leak_a_sibling_whose_id_shares_a_prefix(
        self, units: dict[str, Unit],
    ) -> None:
        assert units["one"].path == "00000100.00000001."
        assert units["ten"].path == "00000100.00000010."
        assert self.names(Unit.objects.within(units["ten"])) == {"Tỉnh Mười", "Xã Con Mười"}
        assert "Tỉnh Mười" not in self.names(Unit.objects.within(units["one"]))

    def test_a_leaf_contains_only_itself(self, units: dict[str, Unit]) -> None:
        assert self.names(Unit.objects.within(units["one_grandchild"])) == {"Thôn Cháu Một"}

    def test_within_paths_unites_the_subtrees(self, units: dict[str, Unit]) -> None:
        paths = [units["one_child"].path, units["ten"].path, units["one_grandchild"].path]
        assert self.names(Unit.objects.within_paths(paths)) == {
            "Xã Con Một", "Thôn Cháu Một", "Tỉnh Mười", "Xã Con Mười",
        }

    def test_any_subtree_of_no_paths_matches_nothing(self, units: dict[str, Unit]) -> None:
        assert not Unit.objects.filter(any_subtree_q([])).exists()
        assert Unit.objects.count() == 6

    def test_contains_and_depth_follow_the_path(self, units: dict[str, Unit]) -> None:
        assert units["one"].contains(units["one_grandchild"])
        assert units["one"].contains(units["one"])
        assert not units["one"].contains(units["ten_child"])
        assert not units["ten"].contains(units["one"])
        assert [units[k].depth for k in ("nation", "one", "one_child", "one_grandchild")] == [
            0, 1, 2, 3,
        ]
