"""Every shipped computed indicator counts its numerator and its denominator from the same
population of children (under 16, Luật Trẻ em Điều 1): an event (a death, an abuse) by the
age on its day, a stock (children living in a unit) by the age on the period's last day.

Each indicator is tried on children around their 16th birthday (the day before it and the
day of it, one of them born on 29 February), and the indicators with an age of their own
(under 28 days, under 1, under 5) on theirs. Every test has units of both structures: the old
commune of before July 2025 and today's communes; the period decides which one counts.
"""

import datetime
import json

import pytest
from django.utils import timezone

from treem.cases import services as case_services
from treem.cases.models import Case, CaseAbuse
from treem.cases.tests.test_services import _notify
from treem.indicators import periods
from treem.indicators.catalogue import DATA, current_versions, load_set
from treem.indicators.values import indicator_values
from treem.registry.tests.factories import (
    make_child,
    make_circumstance,
    make_support,
    relocate,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def shipped(tree):
    """The shipped sets, the plans' owned by today's province of the tree."""
    for name in ("tt13-2021-tre-em", "tt13-2021-xam-hai", "binh-long-2022-2030",
                 "bac-son-2024"):
        data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
        load_set(data, owner=tree.province if data["set"].get("owner") else None)
    return {v.indicator.code: v for v in current_versions() if v.source == "computed"}


def _cell(shipped, code, unit, period):
    version = shipped[code]
    values = indicator_values([version], periods.parse(period), unit)
    return values.get((version.pk, unit.pk, ""))


def _died(commune, born, died, cause="drowning"):
    return make_child(commune=commune, birth_date=born, death_date=died, death_cause=cause)


DEATHS = [
    # indicator, born, died, period, counted in the numerator
    ("CT11b", D(2010, 3, 15), D(2026, 3, 14), "2026", True),    # the day before 16
    ("CT11b", D(2010, 3, 15), D(2026, 3, 15), "2026", False),   # the 16th birthday
    ("CT11b", D(2009, 5, 1), D(2026, 2, 1), "2026", False),     # 16, a minor, not a child
    ("CT11b", D(2012, 2, 29), D(2028, 2, 28), "2028", True),    # born 29/02, day before 16
    ("CT11b", D(2012, 2, 29), D(2028, 2, 29), "2028", False),   # born 29/02, 16 that day
    ("CT03b", D(2025, 3, 15), D(2026, 3, 14), "2026", True),    # under 1 the day before
    ("CT03b", D(2025, 3, 15), D(2026, 3, 15), "2026", False),   # 1 on the birthday
    ("CT03b", D(2024, 2, 29), D(2025, 2, 28), "2025", True),    # born 29/02: still 0
    ("CT03b", D(2024, 2, 29), D(2025, 3, 1), "2025", False),    # 1 on 1 March
    ("I.06", D(2023, 3, 1), D(2024, 2, 29), "2024", True),      # 365 days, still 0 (leap)
    ("I.06", D(2023, 3, 1), D(2024, 3, 1), "2024", False),
    ("CT03c", D(2020, 1, 1), D(2024, 12, 31), "2024", True),    # 4 (1,826 days)
    ("CT03c", D(2020, 1, 1), D(2025, 1, 1), "2025", False),     # 5 on the birthday
    ("I.05", D(2020, 2, 29), D(2025, 2, 28), "2025", True),     # born 29/02: 4 until 1/3
    ("I.05", D(2020, 2, 29), D(2025, 3, 1), "2025", False),
    ("I.05", D(2010, 3, 15), D(2026, 3, 14), "2026", False),    # 15: not under 5
    ("CT03a", D(2026, 1, 1), D(2026, 1, 28), "2026", True),     # day 27 of life
    ("CT03a", D(2026, 1, 1), D(2026, 1, 29), "2026", False),    # 28 days old
    ("I.04", D(2010, 3, 15), D(2026, 3, 14), "2026", False),
]


class DeathTests:
    @pytest.mark.parametrize(("code", "born", "died", "period", "counted"), DEATHS)
    def test_a_death_counts_by_the_age_on_its_day(self, tree, shipped, code, born, died,
                                                  period, counted) -> None:
        # Before July 2025 the child lived in the old commune, after it in commune A: today's
        # province counts both (history), the old province its own time only.
        old = died < D(2025, 7, 1)
        _died(tree.old_commune if old else tree.commune_a, born, died)
        expected = 1 if counted else 0
        cell = _cell(shipped, code, tree.province, period)
        assert (cell.numerator if cell else 0) == expected
        former = _cell(shipped, code, tree.old_province, period)
        assert (former.numerator if former else 0) == (expected if old else 0)

    def test_ct11b_counts_the_injury_deaths_of_children_only(self, tree, shipped) -> None:
        """The outside test's case: deaths at 16–17 no longer inflate the numerator."""
        for n in range(3):
            _died(tree.commune_a, D(2011, 1, 1 + n), D(2026, 2, 1))   # 15: counted
            _died(tree.commune_b, D(2009, 1, 1 + n), D(2026, 2, 1))   # 17: not
        _died(tree.commune_a, D(2012, 1, 1), D(2026, 2, 1), cause="violence")
        _died(tree.commune_a, D(2012, 1, 1), D(2026, 2, 1), cause="illness")
        for n in range(7):
            make_child(commune=tree.commune_a if n % 2 else tree.commune_b,
                       birth_date=D(2015, 1, 1 + n))
        cell = _cell(shipped, "CT11b", tree.province, "2026")
        assert (cell.numerator, cell.denominator) == (4, 7)
        assert cell.value(100_000) == pytest.approx(4 * 100_000 / 7)

    def test_an_old_communes_deaths_count_under_the_old_structure(self, tree,
                                                                  shipped) -> None:
        _died(tree.old_commune, D(2010, 3, 15), D(2025, 3, 14))
        _died(tree.old_commune, D(2010, 1, 15), D(2025, 3, 14))  # 15 as well
        _died(tree.old_commune, D(2009, 1, 15), D(2025, 3, 14))  # 16
        cell = _cell(shipped, "CT11b", tree.old_province, "2025S1")
        assert cell.numerator == 2


STOCK = ["I.01", "II.01", "II.02", "CT08a", "CT08b", "BS01a"]


class StockTests:
    @pytest.mark.parametrize("code", STOCK)
    def test_a_child_of_16_on_the_last_day_is_in_neither_side(self, tree, shipped,
                                                              code) -> None:
        # 16 on 30/06/2026 (the last day of 2026S1): out of both sides; 15 that day: in both.
        # Each meets every numerator (in special circumstances, supported).
        # The 15-year-old lived in the old commune until the merger.
        for born, commune in ((D(2010, 6, 30), tree.commune_a), (D(2010, 7, 1), tree.old_commune)):
            child = make_child(commune=commune, birth_date=born)
            make_circumstance(child=child, code="a", start_date=D(2020, 1, 1))
            make_support(child=child, start_date=D(2020, 1, 1))
            if commune == tree.old_commune:
                relocate(child, commune=tree.commune_b, on=D(2025, 7, 1))
        sixteen = _cell(shipped, code, tree.commune_a, "2026S1")
        fifteen = _cell(shipped, code, tree.commune_b, "2026S1")
        assert sixteen is None, (code, sixteen)
        assert fifteen is not None and fifteen.numerator == 1, (code, fifteen)
        assert fifteen.denominator in (None, 1), (code, fifteen)
        # The old commune's child is counted under the old structure, in its time only.
        assert _cell(shipped, code, tree.old_province, "2026S1") is None
        before = _cell(shipped, code, tree.old_province, "2025S1")
        assert before is not None and before.numerator == 1

    @pytest.mark.parametrize("code", ["II.01", "CT08a"])
    def test_born_on_29_february_a_child_leaves_on_that_day_16_years_on(self, tree, shipped,
                                                                        code) -> None:
        child = make_child(commune=tree.commune_a, birth_date=D(2012, 2, 29))
        make_circumstance(child=child, code="a", start_date=D(2020, 1, 1))
        january = _cell(shipped, code, tree.commune_a, "202801")   # 15 on 31/01/2028
        february = _cell(shipped, code, tree.commune_a, "202802")  # 16 on 29/02/2028
        assert (january.numerator, january.denominator) == (1, 1)
        assert february is None or (february.numerator, february.denominator) == (0, 0)

    def test_an_old_communes_child_counts_in_the_old_structures_period(self, tree,
                                                                       shipped) -> None:
        child = make_child(commune=tree.old_commune, birth_date=D(2009, 7, 1))
        relocate(child, commune=tree.commune_a, on=D(2025, 7, 1))
        old = _cell(shipped, "I.01", tree.old_province, "2025S1")  # 15 on 30/06/2025
        new = _cell(shipped, "I.01", tree.province, "2025S2")      # 16 on 31/12/2025
        assert old.numerator == 1 and new is None


def _abuse_case(personas, commune, *, born, received, happened=None):
    child = make_child(commune=commune, birth_date=born)
    case = case_services.case_open(
        actor=personas.officer, child=child,
        notification=_notify(personas.intake, commune, received_at=received,
                             happened_on=happened))
    CaseAbuse.objects.filter(case=case).update(confirmed=True)
    return case


class AbuseTests:
    @pytest.mark.parametrize(("born", "received", "happened", "counted"), [
        (D(2010, 3, 15), (2026, 3, 14, 23), None, True),          # received the day before 16
        (D(2010, 3, 15), (2026, 3, 15, 0), None, False),          # received on the birthday
        (D(2010, 3, 15), (2026, 3, 20, 9), D(2026, 3, 14), True),  # abused at 15, told at 16
        (D(2010, 3, 15), (2026, 3, 20, 9), D(2026, 3, 15), False),  # abused on the birthday
        (D(2008, 2, 29), (2024, 2, 28, 9), None, True),           # born 29/02 (old commune)
        (D(2008, 2, 29), (2024, 2, 29, 9), None, False),
        (D(2009, 3, 15), (2025, 3, 14, 9), None, True),           # the old commune's, at 15
        (D(2009, 3, 15), (2025, 3, 15, 9), None, False),          # and at 16
    ])
    @pytest.mark.parametrize("code", ["CT09", "0101"])
    def test_an_abused_child_counts_by_the_age_on_the_day_of_the_abuse(
            self, tree, personas, shipped, code, born, received, happened, counted) -> None:
        local = timezone.get_current_timezone()
        case = _abuse_case(personas, tree.commune_a, born=born, happened=happened,
                           received=datetime.datetime(received[0], received[1], received[2],
                                                     received[3], tzinfo=local))
        scope = tree.province
        if received[:3] < (2025, 7, 1):  # a case of the old structure's time, on its commune
            Case.objects.filter(pk=case.pk).update(commune=tree.old_commune,
                                                   unit_path=tree.old_commune.path)
            scope = tree.old_province
        cell = _cell(shipped, code, scope, str(received[0]))
        assert (cell.numerator if cell else 0) == (1 if counted else 0)
