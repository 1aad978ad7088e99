"""Finding duplicates (blocking, comparison, the search over a province) and merging them."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F

from treem.audit.models import AuditEvent
from treem.geo.models import Level, Unit, UnitSuccession
from treem.lib.text import fold, word_prefixes
from treem.registry import selectors
from treem.registry.catalogues import load_catalogues
from treem.registry.dedup import merging
from treem.registry.dedup.blocking import birth_key, candidate_pairs, deletions
from treem.registry.dedup.records import Records, province_records
from treem.registry.dedup.scoring import THRESHOLD, compare, likely_pairs, quick_reject
from treem.registry.dedup.search import duplicates_find
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildMerge,
    ChildResidence,
    ChildRisk,
    ChildSupport,
    DuplicatePair,
)
from treem.registry.synthetic import generate
from treem.registry.synthetic.corruption import (
    KINDS,
    NICKNAMES,
    corrupt,
    misspelt,
    quality,
    swapped,
    typo,
    unaccented,
    year_off,
)
from treem.registry.tests.factories import (
    make_caregiver,
    make_child,
    make_circumstance,
    make_household,
    make_risk,
    make_support,
)
from treem.registry.tests.test_synthetic import make_province
from treem.testing import Personas, Tree, make_unit, make_user

pytestmark = pytest.mark.django_db

BORN = datetime.date(2016, 3, 5)


def _records(rows: list[dict]) -> Records:
    records = Records()
    for pk, row in enumerate(rows, start=1):
        records.ids.append(pk)
        records.names.append(row["name"])
        records.births.append(row.get("born", 20160305))
        records.rough_births.append(row.get("rough", 0))
        records.sexes.append(row.get("sex", "m"))
        records.communes.append(row.get("commune", 1))
        records.villages.append(row.get("village", 10))
        records.personal_ids.append(row.get("pid", ""))
        records.households.append(row.get("household", 0))
        if row.get("carers"):
            records.carers[pk - 1] = tuple(row["carers"])
        if row.get("former"):
            records.former.add(pk - 1)
    return records


def _score(first: dict, second: dict) -> float:
    return compare(_records([first, second]), 0, 1).score


class BlockingTests:
    def test_day_and_month_in_either_order_share_a_birth_key(self) -> None:
        assert birth_key(20160305) == birth_key(20160503)
        assert birth_key(20160305) != birth_key(20160306)

    def test_a_word_and_its_typo_share_a_deleted_form(self) -> None:
        for first, second in (("ngoc", "ngco"), ("linh", "lnh"), ("an", "anh"), ("hoa", "hoa")):
            assert deletions(first) & deletions(second)
        assert not deletions("linh") & deletions("thao")

    def test_a_moved_child_with_a_typo_in_the_given_name_is_a_candidate(self) -> None:
        records = _records([{"name": "chu thi mo", "commune": 1},
                            {"name": "chu thi mno", "commune": 2},
                            {"name": "hoang van binh", "commune": 3}])
        assert candidate_pairs(records) == {0 * 3 + 1}

    def test_swapped_day_and_month_in_the_same_commune_is_a_candidate(self) -> None:
        records = _records([{"name": "ly van sai", "born": 20160305},
                            {"name": "ly van sai", "born": 20160503, "commune": 1}])
        assert candidate_pairs(records) == {1}


    @pytest.mark.parametrize("copy", ["luong van quang", "lung van quang", "luong van tun"])
    def test_a_year_one_off_with_a_word_changed_in_the_same_commune_is_a_candidate(
            self, copy: str) -> None:
        # A typo in the family name, or a home name for the given name, with the year one off:
        # no other rule pairs them (different family or given name, different date).
        records = _records([{"name": "luong van quang", "born": 20220303, "commune": 1},
                            {"name": copy, "born": 20210303, "commune": 1},
                            {"name": copy, "born": 20210303, "commune": 2},
                            {"name": "luong thi quang", "born": 20210303, "sex": "f",
                             "commune": 1}])
        assert candidate_pairs(records) >= {0 * 4 + 1}
        assert 0 * 4 + 2 not in candidate_pairs(records) or copy == "luong van quang"
        assert 0 * 4 + 3 not in candidate_pairs(records)

class ComparisonTests:
    BASE = {"name": "nguyen van an", "carers": ("tran thi hoa",)}

    def test_the_mistakes_officers_make_still_match(self) -> None:
        for second in ({"name": "nguyen van an"},                        # accents lost
                       {"name": "nguyen vna an"},                        # two letters swapped
                       {"name": "nguyen van an", "born": 20160503},      # day and month
                       {"name": "nguyen van an", "village": 11},         # another village
                       {"name": "nguyen van ann", "commune": 2, "village": 20,
                        "carers": ("tran thi hoa",)},                     # moved, with a typo
                       {"name": "nguyen an"}):                            # middle name left out
            assert _score(self.BASE, second) >= THRESHOLD, second

    def test_twins_of_one_household_are_not_a_match(self) -> None:
        twin = {"name": "nguyen van binh", "carers": ("tran thi hoa",), "household": 5}
        assert _score({**self.BASE, "household": 5}, twin) < THRESHOLD

    def test_a_namesake_born_the_same_day_elsewhere_with_other_parents_is_not_a_match(
            self) -> None:
        other = {"name": "nguyen van an", "commune": 2, "village": 20,
                 "carers": ("le thi mai",)}
        assert _score(self.BASE, other) < THRESHOLD

    def test_different_identification_numbers_outweigh_a_close_name(self) -> None:
        first = {**self.BASE, "pid": "001216000001"}
        assert _score(first, {"name": "nguyen van an", "pid": "001216000002"}) < THRESHOLD

    def test_the_queue_shows_the_score_as_a_chance(self) -> None:
        assert [DuplicatePair(score=s).likelihood for s in (-3, 0, 3, 10, 500)] == \
            [11, 50, 89, 100, 100]

    def test_a_date_known_only_to_the_year_weighs_less_than_a_full_date(self) -> None:
        rough = _score({**self.BASE, "born": 20160101, "rough": 2},
                       {"name": "nguyen van an", "born": 20160101, "rough": 2})
        assert rough < _score(self.BASE, {"name": "nguyen van an"})


# One child recorded twice, the second record differing from the first in one way only (the
# kinds of `corruption.KINDS`), without its caregivers (a third of the copies come without
# them) and with no other help: each must still be a candidate and be proposed.
ORIGINAL: dict[str, Any] = {"name": "nguyen thi trang", "sex": "f", "born": 20160305, "commune": 1,
            "village": 10, "carers": ("tran thi hoa",)}
ONLY: dict[str, dict[str, Any]] = {
    "typo": {"name": "nguyen thi trnag"},
    "given_typo": {"name": "nguyen thi chang"},      # spelt as it sounds: two letters apart
    "nickname": {"name": "nguyen thi bong"},
    "accents": {"name": "nguyen thi trang"},
    "middle": {"name": "nguyen trang"},
    "swap": {"born": 20160503},
    "year": {"born": 20150305},
    "year_only": {"born": 20160101, "rough": 2},
    "village": {"village": 11},
    "commune": {"commune": 2, "village": 20},
    "merger": {"village": 0, "former": True},         # an old commune that became commune 1
}


class OneVariationTests:
    @pytest.mark.parametrize("kind", list(ONLY))
    def test_a_copy_differing_only_in_this_way_is_found(self, kind: str) -> None:
        copy = {**ORIGINAL, "carers": (), **ONLY[kind]}
        others = [{**ORIGINAL, "name": name, "born": born, "village": 12, "carers": ()}
                  for name, born in (("nguyen thi lan", 20160305), ("hoang van trang", 20150305),
                                     ("nguyen thi trang", 20120708))]
        records = _records([ORIGINAL, copy, *others])
        assert 0 * len(records) + 1 in candidate_pairs(records)
        assert compare(records, 0, 1).score >= THRESHOLD, compare(records, 0, 1).evidence

    def test_every_kind_of_the_corruption_set_is_covered(self) -> None:
        assert set(ONLY) == set(KINDS)

    @pytest.mark.parametrize("born", [20170305, 20180712, 20150101])
    def test_a_namesake_born_another_year_is_not_proposed(self, born: int) -> None:
        # Two girls of the same name in the same commune, with other caregivers.
        other = {**ORIGINAL, "born": born, "village": 11, "carers": ("be thi mai",)}
        assert _score(ORIGINAL, other) < THRESHOLD

    def test_two_common_given_names_a_letter_apart_are_two_children(self) -> None:
        rows = [{"name": f"nong van {given}", "born": 20160305, "commune": 1 + n % 3,
                 "village": 10 + n % 3} for n, given in enumerate(["an", "anh"] * 5)]
        records = _records(rows)
        assert compare(records, 0, 1).evidence["given_name"] == "other_name"
        assert compare(records, 0, 1).score < THRESHOLD


class CorruptionTests:
    def test_each_kind_of_mistake(self) -> None:
        import random

        rng = random.Random(1)
        assert unaccented("Đàm Thị Ngọc") == "Dam Thi Ngoc"
        assert swapped(datetime.date(2016, 3, 5)) == datetime.date(2016, 5, 3)
        assert swapped(datetime.date(2016, 3, 25)) is None
        changed = typo(rng, "Nguyễn Văn An")
        assert changed != "Nguyễn Văn An" and len(changed.split()) == 3

    def test_the_variations_of_dates_and_given_names(self) -> None:
        import random

        rng = random.Random(3)
        latest = datetime.date(2026, 6, 30)
        for day in (datetime.date(2016, 3, 5), datetime.date(2016, 2, 29),
                    datetime.date(2026, 6, 1)):
            moved = year_off(rng, day, latest)
            assert abs(moved.year - day.year) == 1 and moved <= latest
            assert (moved.month, moved.day) == (day.month, min(day.day, 28 if day.month == 2
                                                                else day.day))
        assert {misspelt(rng, "Trang") for _ in range(20)} >= {"Chang"}
        assert {fold(misspelt(rng, "Linh")) for _ in range(20)} == {"lin", "ninh"}
        for name in ("Giang", "Xuân", "Vy", "Đạt", "Bảo"):
            assert fold(misspelt(rng, name)) != fold(name)

    def test_each_copy_differs_as_its_kinds_say(self, generated) -> None:
        province, truth = generated
        children = Child.objects.in_bulk([pk for pair in truth for pk in pair])
        seen: set[str] = set()
        for (first, second), kinds in truth.items():
            original, copy = children[first], children[second]
            seen.update(kinds)
            born, copied = original.birth_date, copy.birth_date
            if "year" in kinds:
                assert abs(copied.year - born.year) == 1
            if "year_only" in kinds:
                assert (copy.birth_date_precision, copied.month, copied.day) == ("year", 1, 1)
            if "swap" in kinds:
                assert (copied.month, copied.day) == (born.day, born.month)
            if "nickname" in kinds and "typo" not in kinds:
                assert copy.name_folded.split()[-1] in {fold(n) for n in NICKNAMES[copy.sex]}
            if "middle" in kinds:
                assert len(copy.full_name.split()) == len(original.full_name.split()) - 1
            if "commune" in kinds:
                assert copy.commune_id != original.commune_id
            if kinds == ("accents",):
                assert copy.name_folded == original.name_folded
            assert copy.personal_id is None
        # No commune of the test province was another's before the merger.
        assert seen == set(KINDS) - {"merger"}

    def test_a_copy_of_a_child_who_died_is_not_born_after_its_death(self, tree: Tree) -> None:
        # Born in October 2025, died the next month: a year later, or day and month swapped
        # (11/10 → 10/11), would put the birth after the death, which the register refuses.
        for n in range(40):
            make_child(commune=tree.commune_a, full_name=f"Lương Mai Linh {n}",
                       birth_date=datetime.date(2025, 10, 11),
                       death_date=datetime.date(2025, 11, 4), death_cause="illness")
        truth = corrupt(province_code=tree.province.code, share=1.0, seed=5,
                        latest=datetime.date(2026, 12, 6))
        copies = Child.objects.filter(pk__in=[second for _first, second in truth])
        assert copies.count() == 40
        assert not copies.filter(birth_date__gt=F("death_date")).exists()
        assert {kind for kinds in truth.values() for kind in kinds} & {"year", "year_only"}

    def test_quality_counts_precision_and_recall(self) -> None:
        q = quality({(1, 2), (3, 4), (5, 6)}, {(1, 2), (3, 4), (7, 8), (9, 10)})
        assert (q.precision, q.recall) == (2 / 3, 2 / 4)
        assert q.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


@pytest.fixture
def generated() -> tuple[Unit, dict[tuple[int, int], tuple[str, ...]]]:
    load_catalogues()
    province = make_province()
    generate(province=province, children=3000, seed=11)
    truth = corrupt(province_code=province.code, share=0.05, seed=11)
    return province, truth


class SearchTests:
    def test_it_finds_the_corruption_set_with_f1_above_097(self, generated) -> None:
        province, truth = generated
        search = duplicates_find(province=province)
        found = set(DuplicatePair.objects.values_list("child_a_id", "child_b_id"))
        q = quality(found, truth)
        assert search.records == 3150 and search.pairs == len(found)
        assert q.f1 >= 0.97, (q.precision, q.recall)

    def test_the_pruned_comparison_keeps_exactly_the_pairs_the_full_one_keeps(
            self, generated) -> None:
        # likely_pairs stops comparing a pair once the name and the caregivers could no
        # longer lift it to the threshold; what it keeps must be what scoring every field
        # of every pair keeps, with the same scores and evidence.
        province, _truth = generated
        records = province_records(province.code)
        candidates = candidate_pairs(records)
        n = len(records)
        full = {}
        for code in candidates:
            i, j = divmod(code, n)
            if not quick_reject(records, i, j):
                found = compare(records, i, j)
                if found.score >= THRESHOLD:
                    full[(i, j)] = found
        pruned = {(i, j): c for i, j, c in likely_pairs(records, candidates)}
        assert len(full) > 100 and pruned == full

    def test_a_pair_decided_not_duplicate_is_not_proposed_again(self, generated) -> None:
        province, _truth = generated
        duplicates_find(province=province)
        pair = DuplicatePair.objects.first()
        assert pair is not None
        DuplicatePair.objects.filter(pk=pair.pk).update(status=DuplicatePair.Status.DISTINCT)
        open_before = DuplicatePair.objects.filter(status="open").count()
        duplicates_find(province=province)
        assert DuplicatePair.objects.filter(child_a=pair.child_a, child_b=pair.child_b).count() == 1
        assert DuplicatePair.objects.get(pk=pair.pk).status == DuplicatePair.Status.DISTINCT
        assert DuplicatePair.objects.filter(status="open").count() == open_before

    def test_the_copies_are_found_by_the_name_search_like_any_record(self, generated) -> None:
        _province, truth = generated
        copies = Child.objects.filter(pk__in=[copy for _original, copy in truth])
        assert copies.count() == len(truth)
        for copy in copies[:50]:
            assert copy.name_prefixes == word_prefixes(fold(copy.full_name))
            assert copy.residences.filter(end_date__isnull=True).count() == 1

    def test_merged_records_are_left_out_of_the_next_search(self, generated) -> None:
        province, truth = generated
        original, copy = sorted(truth)[0]
        Child.objects.filter(pk=copy).update(merged_into=original)
        assert copy not in province_records(province.code).ids


class MergerTests:
    def test_a_child_registered_again_after_the_merger_is_found(self, tree: Tree) -> None:
        # Recorded in 2024 in Phường Sông Hiến, registered again under Phường Thục Phán, the
        # commune it became in July 2025.
        before = make_child(commune=tree.old_commune, full_name="Nông Thị Lan", birth_date=BORN,
                            sex="f")
        again = make_child(commune=tree.commune_a, village=tree.village_a,
                           full_name="Nông Thị Lan", birth_date=BORN, sex="f")
        make_child(commune=tree.commune_b, full_name="Nông Thị Mai", birth_date=BORN, sex="f")
        duplicates_find(province=tree.province)
        pair = DuplicatePair.objects.get()
        assert (pair.child_a, pair.child_b) == (before, again)
        assert pair.evidence["place"] == "former_commune"

    def test_the_children_of_a_province_merged_into_this_one_are_searched(
            self, tree: Tree) -> None:
        old_province = make_unit(parent=tree.nation, level=Level.PROVINCE, code="06",
                                 name="Tỉnh Bắc Kạn", current=False, province_code="06")
        old_commune = make_unit(parent=old_province, level=Level.COMMUNE, code="01840",
                                name="Xã Cao Kỳ", current=False)
        for old in (old_province, old_commune):
            UnitSuccession.objects.create(
                predecessor=old, successor=tree.province if old is old_province
                else tree.commune_b, kind="whole", effective_on=datetime.date(2025, 7, 1))
        before = make_child(commune=old_commune, full_name="Hà Văn Tùng", birth_date=BORN)
        again = make_child(commune=tree.commune_b, full_name="Hà Văn Tùng", birth_date=BORN)
        assert before.province_code == "06"
        duplicates_find(province=tree.province)
        assert list(DuplicatePair.objects.values_list("child_a", "child_b", "province_code")) == [
            (before.pk, again.pk, "04")]


# --- Merge ---------------------------------------------------------------------------------------

@pytest.fixture
def twice(tree: Tree) -> tuple[Child, Child]:
    """One child recorded twice in commune A: the second record has the ID number, a
    caregiver, a circumstance (2019–2021), a risk and a support."""
    kept = make_child(commune=tree.commune_a, full_name="Nguyễn Văn An", birth_date=BORN)
    duplicate = make_child(commune=tree.commune_a, full_name="Nguyen Van An", birth_date=BORN,
                           personal_id="004216000123", household=make_household(
                               commune=tree.commune_a), vaccination_status="full")
    make_caregiver(child=duplicate, full_name="Trần Thị Hoa")
    make_circumstance(child=duplicate, code="a1", start_date=datetime.date(2019, 1, 1),
                      end_date=datetime.date(2021, 12, 31))
    make_risk(child=duplicate, start_date=datetime.date(2024, 1, 1))
    make_support(child=duplicate, start_date=datetime.date(2024, 2, 1))
    return kept, duplicate


def _pair(first: Child, second: Child) -> DuplicatePair:
    a, b = sorted((first, second), key=lambda c: c.pk)
    return DuplicatePair.objects.create(child_a=a, child_b=b, province_code=a.province_code,
                                        score=20, found_at=datetime.datetime.now(datetime.UTC))


class MergeTests:
    def test_everything_about_the_child_moves_to_the_record_kept(self, twice, personas) -> None:
        kept, duplicate = twice
        pair = _pair(kept, duplicate)
        merge = merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate,
                                    reason="Nhập hai lần", pair=pair)
        kept.refresh_from_db()
        duplicate.refresh_from_db()
        assert duplicate.merged_into == kept
        assert kept.personal_id == "004216000123" and duplicate.personal_id is None
        assert kept.household_id is not None and kept.vaccination_status == "full"
        for model in (Caregiver, ChildCircumstance, ChildRisk, ChildSupport):
            assert model.objects.filter(child=kept).count() == 1, model
            assert not model.objects.filter(child=duplicate).exists(), model
        # The duplicate's residence is where that record was kept: it stays with it.
        assert ChildResidence.objects.filter(child=duplicate).count() == 1
        assert ChildResidence.objects.filter(child=kept).count() == 1
        pair.refresh_from_db()
        assert pair.status == DuplicatePair.Status.MERGED and pair.decided_by == personas.officer
        assert merge.reference.startswith("G-") and len(merge.reference) == 10
        assert AuditEvent.objects.filter(object_id=str(kept.public_id),
                                         reason="Nhập hai lần").exists()

    def test_rows_of_other_apps_pointing_at_a_child_are_moved_too(self) -> None:
        found = {(model._meta.label_lower, fk) for model, fk in merging._references()}
        assert {("registry.caregiver", "child"), ("registry.childcircumstance", "child"),
                ("registry.childrisk", "child"), ("registry.childsupport", "child"),
                ("registry.child", "merged_into"), ("cases.case", "child"),
                ("cases.notification", "child")} <= found
        assert not {label for label, _fk in found} & {"registry.childresidence",
                                                      "registry.duplicatepair",
                                                      "registry.childmerge"}

    def test_history_at_a_past_date_includes_what_the_duplicate_recorded(
            self, twice, personas) -> None:
        kept, duplicate = twice
        past = datetime.date(2020, 6, 1)
        def groups_on(day: datetime.date) -> list[str]:
            return [c.group.code for c in selectors.current_circumstances(
                user=personas.officer, child=kept, on=day)]

        assert groups_on(past) == []
        merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate, reason="Trùng")
        assert groups_on(past) == ["a1"]
        assert groups_on(datetime.date(2022, 6, 1)) == []
        # The register counts the child once.
        assert Child.objects.on_record().filter(full_name__in=["Nguyễn Văn An",
                                                               "Nguyen Van An"]).count() == 1

    def test_the_kept_records_own_values_win(self, twice, personas) -> None:
        kept, duplicate = twice
        Child.objects.filter(pk=kept.pk).update(vaccination_status="partial")
        kept.refresh_from_db()
        merge = merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate,
                                    reason="Trùng")
        kept.refresh_from_db()
        assert kept.vaccination_status == "partial"
        assert "vaccination_status" not in merge.filled

    def test_a_reason_is_required_and_a_refusal_changes_nothing(self, twice, personas) -> None:
        kept, duplicate = twice
        with pytest.raises(ValidationError):
            merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate, reason=" ")
        with pytest.raises(ValidationError):
            merging.child_merge(actor=personas.officer, kept=kept, merged=kept, reason="x")
        duplicate.refresh_from_db()
        assert duplicate.merged_into is None and Caregiver.objects.filter(child=duplicate).exists()

    def test_a_commune_cannot_merge_a_record_of_another_commune(self, tree, personas) -> None:
        ours = make_child(commune=tree.commune_a, full_name="Lý Văn Sai")
        theirs = make_child(commune=tree.commune_b, full_name="Lý Văn Sai")
        with pytest.raises(PermissionDenied):
            merging.child_merge(actor=personas.officer, kept=ours, merged=theirs, reason="x")
        with pytest.raises(PermissionDenied):
            merging.child_merge(actor=personas.officer, kept=theirs, merged=ours, reason="x")
        # The province sees both communes and may merge them.
        merging.child_merge(actor=personas.province_officer, kept=ours, merged=theirs,
                            reason="Chuyển xã, nhập lại")
        theirs.refresh_from_db()
        assert theirs.merged_into == ours

    def test_records_merged_earlier_follow_to_the_record_kept(self, twice, tree, personas) -> None:
        kept, duplicate = twice
        earlier = make_child(commune=tree.commune_a, full_name="Nguyễn Văn Ân")
        first = merging.child_merge(actor=personas.officer, kept=duplicate, merged=earlier,
                                    reason="Trùng")
        second = merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate,
                                     reason="Trùng")
        earlier.refresh_from_db()
        assert earlier.merged_into == kept
        merging.merge_undo(actor=personas.admin, merge=second, reason="Nhầm")
        earlier.refresh_from_db()
        assert earlier.merged_into == duplicate
        merging.merge_undo(actor=personas.admin, merge=ChildMerge.objects.get(pk=first.pk),
                           reason="Nhầm")
        earlier.refresh_from_db()
        assert earlier.merged_into is None

    def test_a_record_merged_already_cannot_be_merged_again(self, twice, tree, personas) -> None:
        kept, duplicate = twice
        merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate, reason="Trùng")
        third = make_child(commune=tree.commune_a, full_name="Nguyễn Văn An")
        with pytest.raises(ValidationError):
            merging.child_merge(actor=personas.officer, kept=third, merged=duplicate,
                                reason="Trùng")


class UndoTests:
    def test_undo_puts_everything_back(self, twice, personas) -> None:
        kept, duplicate = twice
        pair = _pair(kept, duplicate)
        merge = merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate,
                                    reason="Trùng", pair=pair)
        merging.merge_undo(actor=personas.admin, merge=merge, reason="Hai trẻ khác nhau")
        kept.refresh_from_db()
        duplicate.refresh_from_db()
        assert duplicate.merged_into is None
        assert duplicate.personal_id == "004216000123" and kept.personal_id is None
        assert kept.household_id is None and kept.vaccination_status == ""
        for model in (Caregiver, ChildCircumstance, ChildRisk, ChildSupport):
            assert model.objects.filter(child=duplicate).count() == 1, model
            assert not model.objects.filter(child=kept).exists(), model
        pair.refresh_from_db()
        merge.refresh_from_db()
        assert pair.status == DuplicatePair.Status.OPEN
        assert merge.undone_by == personas.admin and merge.undo_reason == "Hai trẻ khác nhau"

    def test_rows_added_to_the_kept_record_after_the_merge_stay_with_it(
            self, twice, personas) -> None:
        kept, duplicate = twice
        merge = merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate,
                                    reason="Trùng")
        later = make_caregiver(child=kept, full_name="Nguyễn Văn Bố")
        Child.objects.filter(pk=kept.pk).update(vaccination_status="partial")
        merging.merge_undo(actor=personas.admin, merge=merge, reason="Nhầm")
        later.refresh_from_db()
        kept.refresh_from_db()
        assert later.child == kept
        assert kept.vaccination_status == "partial"  # changed since: not put back

    def test_only_an_administrator_of_the_scope_undoes_and_only_once(
            self, twice, tree, personas) -> None:
        kept, duplicate = twice
        merge = merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate,
                                    reason="Trùng")
        elsewhere = make_user("admin_hn", role="system_admin", unit=tree.other_province)
        for user in (personas.officer, personas.province_officer, elsewhere):
            with pytest.raises(PermissionDenied):
                merging.merge_undo(actor=user, merge=merge, reason="Nhầm")
        with pytest.raises(ValidationError):
            merging.merge_undo(actor=personas.admin, merge=merge, reason="")
        merging.merge_undo(actor=personas.admin, merge=merge, reason="Nhầm")
        with pytest.raises(ValidationError):
            merging.merge_undo(actor=personas.admin, merge=ChildMerge.objects.get(pk=merge.pk),
                               reason="Nhầm")

    def test_a_merge_whose_kept_record_was_merged_later_waits_for_that_undo(
            self, twice, tree, personas) -> None:
        kept, duplicate = twice
        first = merging.child_merge(actor=personas.officer, kept=kept, merged=duplicate,
                                    reason="Trùng")
        final = make_child(commune=tree.commune_a, full_name="Nguyễn Văn An")
        second = merging.child_merge(actor=personas.officer, kept=final, merged=kept,
                                     reason="Trùng nữa")
        with pytest.raises(ValidationError):
            merging.merge_undo(actor=personas.admin, merge=first, reason="Nhầm")
        merging.merge_undo(actor=personas.admin, merge=second, reason="Nhầm")
        merging.merge_undo(actor=personas.admin, merge=ChildMerge.objects.get(pk=first.pk),
                           reason="Nhầm")
        assert Child.objects.on_record().filter(pk__in=[kept.pk, duplicate.pk, final.pk]) \
            .count() == 3


class DismissTests:
    def test_a_dismissed_pair_is_kept_as_distinct(self, twice, personas) -> None:
        pair = _pair(*twice)
        merging.pair_dismiss(actor=personas.officer, pair=pair, note="Hai anh em")
        pair.refresh_from_db()
        assert (pair.status, pair.note) == (DuplicatePair.Status.DISTINCT, "Hai anh em")
        with pytest.raises(ValidationError):
            merging.pair_dismiss(actor=personas.officer, pair=pair)

    def test_another_commune_cannot_dismiss_it(self, twice, personas: Personas) -> None:
        pair = _pair(*twice)
        with pytest.raises(PermissionDenied):
            merging.pair_dismiss(actor=personas.outsider, pair=pair)
        pair.refresh_from_db()
        assert pair.status == DuplicatePair.Status.OPEN
