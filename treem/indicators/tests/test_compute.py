"""Computed indicators on small hand-made registers, each figure worked out by hand: who is
counted where and when (moves, a merged commune, a child turning 16, period boundaries), and
the roll-up that adds numerators and denominators rather than averaging rates."""

import datetime
import random

import pytest
from django.utils import timezone

from treem.cases import services as case_services
from treem.cases.models import CaseAbuse
from treem.cases.tests.test_services import _notify
from treem.indicators import periods
from treem.indicators.compute import Cell, compute, roll_up
from treem.indicators.spec import SpecError, parse
from treem.registry.models import Child, ChildStatusPast
from treem.registry.statuses import stored
from treem.registry.tests.factories import make_child, make_circumstance, relocate

pytestmark = pytest.mark.django_db

CHILDREN = {"population": "children"}
IN_SPECIAL = {"numerator": {"population": "children", "where": {"circumstance": ["*"]}},
              "denominator": CHILDREN}
S1_2026 = periods.parse("2026S1")


def _run(data: dict, unit_kind: str, period: periods.Period, scope, breakdowns=()):
    spec = parse(data, unit_kind=unit_kind, breakdowns=list(breakdowns))
    return compute({"x": spec}, period, scope.path)


def _cell(values, unit, breakdown="") -> Cell | None:
    return values.get(("x", unit.pk, breakdown))


class ChildrenTests:
    def test_the_share_in_special_circumstances_by_sex_and_age_rolls_up_by_sums(
            self, tree) -> None:
        a1 = make_child(commune=tree.commune_a, sex="f", birth_date=datetime.date(2012, 1, 1))
        make_child(commune=tree.commune_a, sex="m", birth_date=datetime.date(2022, 5, 5))
        make_child(commune=tree.commune_a, sex="m", birth_date=datetime.date(2018, 5, 5))
        make_circumstance(child=a1, code="a", start_date=datetime.date(2020, 1, 1))
        b1 = make_child(commune=tree.commune_b, sex="f", birth_date=datetime.date(2016, 1, 1))
        make_circumstance(child=b1, code="l", start_date=datetime.date(2025, 1, 1))
        make_child(commune=tree.commune_c, sex="f")  # another province: never here
        values = _run(IN_SPECIAL, "percent", S1_2026, tree.province, ["sex", "age_group"])
        assert _cell(values, tree.commune_a) == Cell(1, 3)
        assert _cell(values, tree.commune_b) == Cell(1, 1)
        assert _cell(values, tree.commune_a, "sex=f") == Cell(1, 1)
        assert _cell(values, tree.commune_a, "sex=m") == Cell(0, 2)
        assert _cell(values, tree.commune_a, "age_group=11-15") == Cell(1, 1)  # 14 on 30/6
        assert _cell(values, tree.commune_a, "age_group=6-10") == Cell(0, 1)   # 8
        assert _cell(values, tree.commune_a, "age_group=0-5") == Cell(0, 1)    # 4
        assert tree.commune_c.pk not in {commune for _k, commune, _b in values}
        rolled = roll_up(values, tree.province.path)
        # 2 of 4 children: 50 %, not the mean of 33 % and 100 %.
        assert rolled[("x", tree.province.pk, "")] == Cell(2, 4)
        assert rolled[("x", tree.province.pk, "")].value(100) == 50.0

    def test_a_circumstance_counts_only_while_it_lasts(self, tree) -> None:
        child = make_child(commune=tree.commune_a)
        make_circumstance(child=child, code="a", start_date=datetime.date(2024, 1, 1),
                          end_date=datetime.date(2026, 5, 31))
        assert _cell(_run(IN_SPECIAL, "percent", periods.parse("2025"), tree.province),
                     tree.commune_a) == Cell(1, 1)
        assert _cell(_run(IN_SPECIAL, "percent", S1_2026, tree.province),
                     tree.commune_a) == Cell(0, 1)

    def test_a_child_turning_16_leaves_the_count_on_the_birthday(self, tree) -> None:
        make_child(commune=tree.commune_a, birth_date=datetime.date(2010, 7, 1))
        count = {"numerator": CHILDREN}
        # 15 on 30/06/2026, 16 on 01/07/2026.
        assert _cell(_run(count, "count", S1_2026, tree.province), tree.commune_a) == \
            Cell(1, None)
        assert _cell(_run(count, "count", periods.parse("2026S2"), tree.province),
                     tree.commune_a) is None

    def test_a_child_who_moved_counts_where_they_lived_at_the_end_of_each_period(
            self, tree) -> None:
        child = make_child(commune=tree.commune_a, birth_date=datetime.date(2015, 1, 1))
        relocate(child, commune=tree.commune_b, on=datetime.date(2026, 3, 1))
        count = {"numerator": CHILDREN}
        before = _run(count, "count", periods.parse("2025S2"), tree.province)
        after = _run(count, "count", S1_2026, tree.province)
        assert _cell(before, tree.commune_a) == Cell(1, None) and _cell(before, tree.commune_b) is None
        assert _cell(after, tree.commune_b) == Cell(1, None) and _cell(after, tree.commune_a) is None
        # Either way once in the province.
        assert roll_up(after, tree.province.path)[("x", tree.province.pk, "")] == Cell(1, None)

    def test_a_merged_commune_counts_before_the_merger_and_its_successor_after(
            self, tree) -> None:
        child = make_child(commune=tree.old_commune, birth_date=datetime.date(2015, 1, 1))
        relocate(child, commune=tree.commune_a, on=datetime.date(2025, 7, 1))
        count = {"numerator": CHILDREN}
        old = roll_up(_run(count, "count", periods.parse("2025S1"), tree.old_province),
                      tree.old_province.path)
        assert old[("x", tree.old_commune.pk, "")] == Cell(1, None)
        assert old[("x", tree.old_district.pk, "")] == Cell(1, None)
        assert old[("x", tree.old_province.pk, "")] == Cell(1, None)
        new = roll_up(_run(count, "count", periods.parse("2025S2"), tree.province),
                      tree.province.path)
        assert new[("x", tree.commune_a.pk, "")] == Cell(1, None)
        assert new[("x", tree.province.pk, "")] == Cell(1, None)

    def test_the_dead_and_the_merged_records_are_not_counted(self, tree) -> None:
        make_child(commune=tree.commune_a, death_date=datetime.date(2026, 3, 1),
                   death_cause="drowning")
        kept = make_child(commune=tree.commune_a)
        make_child(commune=tree.commune_a, merged_into=kept)
        assert _cell(_run({"numerator": CHILDREN}, "count", S1_2026, tree.province),
                     tree.commune_a) == Cell(1, None)


class ProvinceMoveTests:
    """A province's children are read in two parts (`compute.Part`): those who live in it
    today, from its own partitions, and those who have moved to another province since. Each
    child in exactly one, with its statuses and circumstances as they were."""

    def _moved_away(self, tree):
        """Lived in commune A through 2025 (stunted then, with a circumstance), in Hà Nội since
        2026: A's 2025 counts it, and nothing counts it twice."""
        child = make_child(commune=tree.commune_a, birth_date=datetime.date(2022, 1, 1),
                           nutrition_status="normal")
        _had(child, "nutrition_status", "stunted", datetime.date(2025, 12, 31))
        make_circumstance(child=child, code="a", start_date=datetime.date(2024, 1, 1))
        relocate(child, commune=tree.commune_c, on=datetime.date(2026, 1, 1))
        return child

    def test_a_child_who_moved_to_another_province_counts_in_the_old_one_for_its_past(
            self, tree) -> None:
        child = self._moved_away(tree)
        make_child(commune=tree.commune_a, birth_date=datetime.date(2021, 3, 1),
                   nutrition_status="wasted")  # stayed: counted in the other part
        child.refresh_from_db()
        assert child.province_code == "01"
        year = periods.parse("2025")
        assert _cell(_run(MALNOURISHED, "percent", year, tree.province, ["sex"]),
                     tree.commune_a) == Cell(2, 2)
        assert _cell(_run(IN_SPECIAL, "percent", year, tree.province),
                     tree.commune_a) == Cell(1, 2)
        # Hà Nội's province did not hold it in 2025; it holds it in 2026, and A does not.
        assert _run(IN_SPECIAL, "percent", year, tree.other_province) == {}
        assert _cell(_run(IN_SPECIAL, "percent", S1_2026, tree.other_province),
                     tree.commune_c) == Cell(1, 1)
        assert _cell(_run(IN_SPECIAL, "percent", S1_2026, tree.province),
                     tree.commune_a) == Cell(0, 1)

    def test_the_nation_counts_each_child_once_whichever_province_holds_it(
            self, tree) -> None:
        self._moved_away(tree)
        make_child(commune=tree.commune_c, birth_date=datetime.date(2020, 1, 1))
        for code, in_a, in_c in (("2025", Cell(1, None), 1), ("2026S1", None, 2)):
            values = _run({"numerator": CHILDREN}, "count", periods.parse(code), tree.nation)
            rolled = roll_up(values, tree.nation.path)
            assert rolled[("x", tree.nation.pk, "")] == Cell(2, None)
            assert _cell(values, tree.commune_a) == in_a
            assert _cell(values, tree.commune_c) == Cell(in_c, None)

    def test_a_birth_and_a_death_count_where_the_child_lived_on_the_day(self, tree) -> None:
        born = make_child(commune=tree.commune_a, birth_date=datetime.date(2025, 3, 1))
        died = make_child(commune=tree.commune_a, birth_date=datetime.date(2024, 1, 1))
        relocate(born, commune=tree.commune_c, on=datetime.date(2025, 9, 1))
        relocate(died, commune=tree.commune_c, on=datetime.date(2025, 9, 1))
        Child.objects.filter(pk=died.pk).update(death_date=datetime.date(2026, 2, 1),
                                                death_cause="drowning")
        births, deaths = {"numerator": {"population": "births"}}, {
            "numerator": {"population": "deaths"}}
        assert _cell(_run(births, "count", periods.parse("2025S1"), tree.province),
                     tree.commune_a) == Cell(1, None)
        assert _run(births, "count", periods.parse("2025S1"), tree.other_province) == {}
        assert _run(deaths, "count", S1_2026, tree.province) == {}
        assert _cell(_run(deaths, "count", S1_2026, tree.other_province),
                     tree.commune_c) == Cell(1, None)


class EventTests:
    def test_deaths_by_drowning_under_five_per_period(self, tree) -> None:
        make_child(commune=tree.commune_a, birth_date=datetime.date(2023, 1, 1),
                   death_date=datetime.date(2026, 6, 30), death_cause="drowning")
        make_child(commune=tree.commune_a, birth_date=datetime.date(2015, 1, 1),
                   death_date=datetime.date(2026, 2, 1), death_cause="drowning")
        make_child(commune=tree.commune_a, birth_date=datetime.date(2023, 1, 1),
                   death_date=datetime.date(2026, 7, 1), death_cause="drowning")  # next period
        spec = {"numerator": {"population": "deaths",
                              "where": {"cause": ["drowning"], "under_age": 5}}}
        assert _cell(_run(spec, "count", S1_2026, tree.province), tree.commune_a) == \
            Cell(1, None)

    def test_births_per_period_and_the_registered_share(self, tree) -> None:
        make_child(commune=tree.commune_a, birth_date=datetime.date(2026, 1, 1),
                   birth_registered=True)
        make_child(commune=tree.commune_a, birth_date=datetime.date(2026, 6, 30))
        make_child(commune=tree.commune_a, birth_date=datetime.date(2025, 12, 31),
                   birth_registered=True)
        spec = {"numerator": {"population": "births", "where": {"birth_registered": True}},
                "denominator": {"population": "births"}}
        assert _cell(_run(spec, "percent", S1_2026, tree.province), tree.commune_a) == \
            Cell(1, 2)

    def test_cases_are_counted_by_the_local_day_of_receipt(self, tree, personas) -> None:
        local = timezone.get_current_timezone()
        for received in (datetime.datetime(2026, 6, 30, 23, 30, tzinfo=local),
                         datetime.datetime(2026, 7, 1, 0, 10, tzinfo=local)):
            notification = _notify(personas.intake, tree.commune_a, received_at=received,
                                   forms=["sexual_abuse"])
            case_services.case_open(actor=personas.officer, notification=notification,
                                    child=make_child(commune=tree.commune_a))
        spec = {"numerator": {"population": "cases", "where": {"form": ["sexual_abuse"]}}}
        assert _cell(_run(spec, "count", S1_2026, tree.province), tree.commune_a) == \
            Cell(1, None)
        confirmed = {"numerator": {"population": "abused_children"}}
        assert _cell(_run(confirmed, "count", S1_2026, tree.province), tree.commune_a) is None

    @pytest.mark.parametrize(("days", "counted"), [
        ((datetime.date(2026, 3, 10), datetime.date(2026, 3, 12)), True),   # both at 15
        ((datetime.date(2026, 3, 14), datetime.date(2026, 3, 16)), True),   # first at 15
        ((datetime.date(2026, 3, 16), datetime.date(2026, 3, 14)), True),   # in either row
        ((datetime.date(2026, 3, 15), datetime.date(2026, 3, 16)), False),  # both at 16
        ((datetime.date(2026, 3, 14), None), True),   # the undated form does not decide
        ((None, None), False),                        # no day: the day received, at 16
    ])
    def test_a_case_of_several_forms_counts_once_by_its_first_day_of_abuse(
            self, tree, personas, days, counted) -> None:
        """The child's age is read on the first day recorded on the case's forms (16 on
        15/03/2026 here), whichever form has it; the case and the child are counted once."""
        local = timezone.get_current_timezone()
        notification = _notify(personas.intake, tree.commune_a,
                               received_at=datetime.datetime(2026, 3, 20, 9, tzinfo=local),
                               forms=["violence", "neglect"])
        case = case_services.case_open(
            actor=personas.officer, notification=notification,
            child=make_child(commune=tree.commune_a, birth_date=datetime.date(2010, 3, 15)))
        abuses = list(CaseAbuse.objects.filter(case=case).order_by("id"))
        assert len(abuses) == 2
        for abuse, day in zip(abuses, days, strict=True):
            CaseAbuse.objects.filter(pk=abuse.pk).update(happened_on=day, confirmed=True)
        expected = Cell(1, None) if counted else None
        for population in ("cases", "abused_children"):
            spec = {"numerator": {"population": population}}
            assert _cell(_run(spec, "count", S1_2026, tree.province), tree.commune_a) == \
                expected, population
            by_sex = _run(spec, "count", S1_2026, tree.province, breakdowns=["sex"])
            assert sum(cell.numerator for (_key, unit, breakdown), cell in by_sex.items()
                       if unit == tree.commune_a.pk and breakdown.startswith("sex=")) == \
                (1 if counted else 0), population


class SpecTests:
    @pytest.mark.parametrize(("data", "unit_kind", "message"), [
        ({"numerator": {"population": "adults"}}, "count", "đối tượng"),
        ({"numerator": {"population": "children", "where": {"colour": "red"}}}, "count",
         "không có điều kiện “colour”"),
        ({"numerator": {"population": "children", "where": {"age": [10, 3]}}}, "count", "tuổi"),
        ({"numerator": CHILDREN, "denominator": CHILDREN}, "count", "không có mẫu số"),
        ({"numerator": CHILDREN}, "percent", "Mẫu số"),
        ({"numerator": {"population": "children", "where": {"sex": "x"}}}, "count",
         "giá trị không hợp lệ"),
    ])
    def test_a_bad_definition_says_what_is_wrong(self, data, unit_kind, message) -> None:
        with pytest.raises(SpecError) as raised:
            parse(data, unit_kind=unit_kind)
        assert message in str(raised.value)

    def test_a_breakdown_the_populations_do_not_share_is_refused(self) -> None:
        data = {"numerator": {"population": "cases"}, "denominator": CHILDREN}
        with pytest.raises(SpecError):
            parse(data, unit_kind="per_100k_children", breakdowns=["age_group"])
        assert parse(data, unit_kind="per_100k_children", breakdowns=["sex"]).breakdowns == \
            ("sex",)


class BatchTests:
    def test_indicators_computed_together_equal_each_computed_alone(self, tree) -> None:
        """Sharing one query per population (filters common to every count moved to WHERE,
        breakdowns grouped once) changes no figure."""
        for n, born in enumerate((2011, 2014, 2019, 2022, 2024)):
            child = make_child(commune=tree.commune_a if n % 2 else tree.commune_b,
                               sex="f" if n % 3 else "m", birth_date=datetime.date(born, 2, 1),
                               birth_registered=n % 2 == 0, ethnicity_code="01" if n < 3 else "02")
            if n in (1, 3):
                make_circumstance(child=child, code="d", start_date=datetime.date(2025, 1, 1))
        under5 = {"population": "children", "where": {"age": [0, 4]}}
        specs = {
            "all": parse({"numerator": CHILDREN}, unit_kind="count",
                         breakdowns=["sex", "ethnicity"]),
            "special": parse(IN_SPECIAL, unit_kind="percent", breakdowns=["age_group"]),
            "registered": parse({"numerator": {"population": "children", "where": {
                "age": [0, 4], "birth_registered": True}}, "denominator": under5},
                unit_kind="percent"),
        }
        together = compute(specs, S1_2026, tree.province.path)
        alone: dict = {}
        for key, spec in specs.items():
            alone.update(compute({key: spec}, S1_2026, tree.province.path))
        assert together == alone
        assert together[("registered", tree.commune_b.pk, "")] == Cell(1, 1)
        assert together[("all", tree.commune_a.pk, "ethnicity=02")] == Cell(1, None)


class DataWindowTests:
    """The cut-off of Nghị định 09/2019 Điều 12 (15th of the month before to the 14th)."""

    @pytest.mark.parametrize(("code", "start", "end"), [
        ("2026S1", "2025-12-15", "2026-06-14"), ("2026S2", "2026-06-15", "2026-12-14"),
        ("2026", "2025-12-15", "2026-12-14"), ("2026Q1", "2025-12-15", "2026-03-14"),
        ("202601", "2025-12-15", "2026-01-14"), ("202603", "2026-02-15", "2026-03-14")])
    def test_the_windows_of_nd09(self, code, start, end) -> None:
        found = periods.window(periods.parse(code), "nd09")
        assert (found.start.isoformat(), found.end.isoformat(), found.code) == (start, end, code)

    def test_the_calendar_window_is_the_period(self) -> None:
        assert periods.window(periods.parse("2026S1"), "calendar") == periods.parse("2026S1")

    def test_a_window_ends_on_the_day_given_when_that_comes_first(self) -> None:
        found = periods.window(periods.parse("2026S1"), "nd09",
                               until=datetime.date(2026, 5, 12))
        assert (found.start, found.end, found.reference_date) == (
            datetime.date(2025, 12, 15), datetime.date(2026, 5, 12), datetime.date(2026, 5, 12))
        assert periods.window(periods.parse("2026S1"), "calendar",
                              until=datetime.date(2026, 7, 1)).end == datetime.date(2026, 6, 30)

    def test_an_unknown_convention_is_refused(self) -> None:
        with pytest.raises(periods.PeriodError):
            periods.window(periods.parse("2026"), "lunar")


def _had(child, field: str, value: str, end: datetime.date,
         start: datetime.date | None = None) -> ChildStatusPast:
    """A value the child had until `end` (what `treem.registry.statuses` closes on a change)."""
    return ChildStatusPast.objects.create(child=child, province_code=child.province_code,
                                          field=field, value=value, start_date=start,
                                          end_date=end)


UNDER_5 = {"population": "children", "where": {"age": [0, 4]}}
MALNOURISHED = {"numerator": {"population": "children", "where": {
    "age": [0, 4], "nutrition_status": ["underweight", "stunted", "wasted"]}},
    "denominator": UNDER_5}
OUT_OF_SCHOOL = {"numerator": {"population": "children", "where": {
    "school_status": ["dropped_out", "never"]}}, "denominator": CHILDREN}


class StatusHistoryTests:
    """A past period counts the statuses children had on its last day, not today's."""

    def test_a_child_malnourished_until_march_counts_in_the_first_quarter_only(
            self, tree) -> None:
        child = make_child(commune=tree.commune_a, birth_date=datetime.date(2023, 1, 1),
                           nutrition_status="normal")
        _had(child, "nutrition_status", "stunted", datetime.date(2026, 3, 31))
        make_child(commune=tree.commune_a, birth_date=datetime.date(2022, 9, 1),
                   nutrition_status="wasted")  # no past: wasted all along
        q1 = _run(MALNOURISHED, "percent", periods.parse("2026Q1"), tree.province)
        q2 = _run(MALNOURISHED, "percent", periods.parse("2026Q2"), tree.province)
        assert _cell(q1, tree.commune_a) == Cell(2, 2)
        assert _cell(q2, tree.commune_a) == Cell(1, 2)

    def test_a_child_who_dropped_out_and_went_back_counts_only_while_out(self, tree) -> None:
        child = make_child(commune=tree.commune_a, birth_date=datetime.date(2013, 5, 1),
                           school_status="in_school")
        _had(child, "school_status", "in_school", datetime.date(2025, 8, 31))
        _had(child, "school_status", "dropped_out", datetime.date(2026, 2, 28),
             start=datetime.date(2025, 9, 1))
        figures = [_cell(_run(OUT_OF_SCHOOL, "percent", periods.parse(code), tree.province),
                         tree.commune_a) for code in ("2025S1", "2025S2", "2026S1")]
        assert figures == [Cell(0, 1), Cell(1, 1), Cell(0, 1)]

    def test_a_birth_registered_after_the_period_counts_as_not_registered_in_it(
            self, tree) -> None:
        late = make_child(commune=tree.commune_a, birth_date=datetime.date(2026, 2, 10),
                          birth_registered=True)
        _had(late, "birth_registered", "0", datetime.date(2026, 7, 14))  # registered 15/07
        make_child(commune=tree.commune_a, birth_date=datetime.date(2026, 3, 1),
                   birth_registered=True)
        spec = {"numerator": {"population": "births", "where": {"birth_registered": True}},
                "denominator": {"population": "births"}}
        assert _cell(_run(spec, "percent", S1_2026, tree.province), tree.commune_a) == \
            Cell(1, 2)
        # The year's last day is after the registration.
        assert _cell(_run(spec, "percent", periods.parse("2026"), tree.province),
                     tree.commune_a) == Cell(2, 2)

    def test_disability_and_insurance_as_they_were(self, tree) -> None:
        child = make_child(commune=tree.commune_a, birth_date=datetime.date(2014, 1, 1),
                           health_insurance=True)
        _had(child, "disability_type", "hearing", datetime.date(2025, 12, 31))
        _had(child, "health_insurance", "0", datetime.date(2025, 12, 31))
        disabled = {"numerator": {"population": "children", "where": {"disability": True}},
                    "denominator": CHILDREN}
        insured = {"numerator": {"population": "children", "where": {"health_insurance": True}},
                   "denominator": CHILDREN}
        for spec, in_2025, in_2026 in ((disabled, 1, 0), (insured, 0, 1)):
            assert _cell(_run(spec, "percent", periods.parse("2025"), tree.province),
                         tree.commune_a) == Cell(in_2025, 1)
            assert _cell(_run(spec, "percent", S1_2026, tree.province),
                         tree.commune_a) == Cell(in_2026, 1)

    def test_a_status_every_count_asks_for_is_the_one_held_on_the_day(self, tree) -> None:
        """A status both sides filter on is tested on the value of the day too, not today's."""
        girl = make_child(commune=tree.commune_a, sex="f", birth_date=datetime.date(2013, 5, 1),
                          school_status="dropped_out")
        _had(girl, "school_status", "in_school", datetime.date(2026, 8, 31))
        boy = make_child(commune=tree.commune_a, sex="m", birth_date=datetime.date(2013, 5, 1),
                         school_status="in_school")
        _had(boy, "school_status", "never", datetime.date(2026, 8, 31))
        in_school = {"school_status": ["in_school"]}
        spec = {"numerator": {"population": "children", "where": {**in_school, "sex": ["f"]}},
                "denominator": {"population": "children", "where": in_school}}
        assert _cell(_run(spec, "percent", S1_2026, tree.province), tree.commune_a) == \
            Cell(1, 1)
        # After the spans end, today's values: the boy is in school, the girl is not.
        assert _cell(_run(spec, "percent", periods.parse("2026"), tree.province),
                     tree.commune_a) == Cell(0, 1)

    def test_the_figures_equal_a_child_by_child_recount(self, tree) -> None:
        """Many children with random statuses and pasts: the database's figures equal a count
        made here, child by child, from the value each had on the period's last day."""
        rng = random.Random(7)  # noqa: S311 - test data
        nutrition = ["normal", "underweight", "stunted", "wasted", ""]
        school = ["na", "in_school", "dropped_out", "never"]
        for n in range(40):
            child = make_child(
                commune=(tree.commune_a, tree.commune_b)[n % 2], full_name=f"Trẻ {n}",
                birth_date=datetime.date(2012 + n % 14, 1 + n % 12, 1),
                nutrition_status=rng.choice(nutrition), school_status=rng.choice(school),
                birth_registered=rng.random() < 0.7)
            for field, values in (("nutrition_status", nutrition), ("school_status", school),
                                  ("birth_registered", ["0", "1"])):
                end: datetime.date | None = None
                for _ in range(rng.randint(0, 3)):
                    start: datetime.date | None = None if end is None else end + datetime.timedelta(days=1)
                    end = (start or datetime.date(2024, 6, 1)) + datetime.timedelta(
                        days=rng.randint(0, 300))
                    _had(child, field, rng.choice(values), end, start=start)
        specs = {"malnourished": MALNOURISHED, "out": OUT_OF_SCHOOL,
                 "registered": {"numerator": {"population": "children", "where": {
                     "birth_registered": True}}, "denominator": CHILDREN}}
        for code in ("2024S2", "2025Q1", "2025Q3", "2026S1"):
            period = periods.parse(code)
            day = period.reference_date
            found = compute({k: parse(v, unit_kind="percent") for k, v in specs.items()},
                            period, tree.province.path)
            expected: dict = {}
            for child in Child.objects.children_on(day):
                held = {row.field: row.value for row in child.statuses_past.on(day)}

                def had(field: str, child=child, held=held) -> str:
                    return held.get(field, stored(field, getattr(child, field)))

                young = child.age_on(day) <= 4
                for key, counted, member in (
                        ("malnourished", had("nutrition_status") in (
                            "underweight", "stunted", "wasted"), young),
                        ("out", had("school_status") in ("dropped_out", "never"), True),
                        ("registered", had("birth_registered") == "1", True)):
                    if member:
                        n, d = expected.get((key, child.commune_id, ""), (0, 0))
                        expected[(key, child.commune_id, "")] = (n + counted, d + 1)
            assert {slot: (c.numerator, c.denominator) for slot, c in found.items()} == \
                expected, code
