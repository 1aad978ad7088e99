"""The plans' words of comparison: "dưới" and "trên" are strict (a value equal to the figure
does not meet them), "không quá", "không vượt quá", "tối đa" allow the figure itself (≤), "ít
nhất", "tối thiểu", "không dưới" too (≥); the dashboard, the target import and the shipped
plans' targets all read them so."""

import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from treem.indicators import comparisons, dashboard
from treem.indicators.catalogue import DATA, CatalogueError, load_set
from treem.indicators.models import Direction, Target
from treem.testing import login

pytestmark = pytest.mark.django_db

# (phrase, direction, value, a value at the figure meets it, just under meets it, just over)
PHRASES = [
    ("dưới 5%", Direction.BELOW, "5", False, True, False),
    ("Dưới 4,5%", Direction.BELOW, "4.5", False, True, False),
    ("xuống dưới 2,5%", Direction.BELOW, "2.5", False, True, False),
    ("DUOI 8%", Direction.BELOW, "8", False, True, False),
    ("trên 90%", Direction.ABOVE, "90", False, False, True),
    ("trên 98%", Direction.ABOVE, "98", False, False, True),
    ("không quá 4,5%", Direction.AT_MOST, "4.5", True, True, False),
    ("không vượt quá 3,5%", Direction.AT_MOST, "3.5", True, True, False),
    ("tối đa 2%", Direction.AT_MOST, "2", True, True, False),
    ("ít nhất 95%", Direction.AT_LEAST, "95", True, False, True),
    ("đạt ít nhất 80%", Direction.AT_LEAST, "80", True, False, True),
    ("tối thiểu 30%", Direction.AT_LEAST, "30", True, False, True),
    ("không dưới 99%", Direction.AT_LEAST, "99", True, False, True),
    ("không ít hơn 2", Direction.AT_LEAST, "2", True, False, True),
]


class PhraseTests:
    @pytest.mark.parametrize(("text", "direction", "value", "at", "under", "over"), PHRASES)
    def test_each_phrase_compares_as_the_plan_means(self, text, direction, value, at, under,
                                                    over) -> None:
        assert comparisons.parse_goal(text) == (direction, Decimal(value))
        goal = float(value)
        assert comparisons.meets(goal, goal, direction) is at
        assert comparisons.meets(goal - 0.01, goal, direction) is under
        assert comparisons.meets(goal + 0.01, goal, direction) is over

    @pytest.mark.parametrize(("text", "value"), [
        ("đạt 95%", "95"), ("xuống 8%", "8"), ("xuống còn 13/100.000 trẻ em", "13"),
        ("550/100.000", "550"), ("99,3%", "99.3"), ("1.000", "1000")])
    def test_a_phrase_without_a_word_of_comparison_takes_the_indicators(self, text,
                                                                       value) -> None:
        assert comparisons.parse_goal(text) == (None, Decimal(value))

    def test_digits_of_another_script_are_no_number(self) -> None:
        assert comparisons.number_of("dưới ٥%") is None


class StatusTests:
    @pytest.mark.parametrize(("value", "goal", "direction", "expected"), [
        (5.0, "5", "below", "at_risk"),       # "dưới 5%": 5 % is not below 5 %
        (4.99, "5", "below", "on_track"),
        (6.0, "5", "below", "off_track"),
        (90.0, "90", "above", "at_risk"),     # "trên 90%": 90 % is not above 90 %
        (90.5, "90", "above", "on_track"),
        (80.0, "90", "above", "off_track"),
        (5.0, "5", "at_most", "on_track"),    # "không quá 5%": 5 % is enough
        (90.0, "90", "at_least", "on_track"),  # "ít nhất 90%": 90 % is enough
        (0.0, "0", "below", "at_risk"),       # below 0 cannot be met by a count of none
    ])
    def test_the_dashboard_status_is_strict_for_below_and_above(self, value, goal, direction,
                                                                 expected) -> None:
        target = Target(value=Decimal(goal), direction=direction)
        assert dashboard.status(value, target) == expected


def _sheet(*rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã bộ chỉ tiêu", "Mã chỉ tiêu", "Mã đơn vị", "Năm", "Loại", "Giá trị",
                  "Chiều đánh giá"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "muc-tieu.xlsx"
    return buffer


@pytest.fixture
def national(tree):
    return load_set(json.loads((DATA / "tt13-2021-tre-em.json").read_text(encoding="utf-8")))


class TargetImportTests:
    @pytest.mark.parametrize(("direction_cell", "value_cell", "direction", "value"), [
        ("Dưới", 4.5, "below", "4.5"),
        ("Trên", 98, "above", "98"),
        ("Không quá", 4.5, "at_most", "4.5"),
        ("Tối đa", "4,5", "at_most", "4.5"),
        ("Ít nhất", 95, "at_least", "95"),
        ("Tối thiểu", 95, "at_least", "95"),
        ("", "dưới 4,5%", "below", "4.5"),
        (None, "trên 98%", "above", "98"),
        ("Dưới", "dưới 4,5%", "below", "4.5"),
    ])
    def test_the_sheet_reads_each_phrase(self, tree, personas, national, direction_cell,
                                         value_cell, direction, value) -> None:
        response = login(Client(), personas.province_officer).post(
            reverse("indicators:target_list"), {"file": _sheet(
                ("tt13-2021-tre-em", "II.01", "04", 2030, "Mục tiêu", value_cell,
                 direction_cell))}, follow=True)
        assert "Đã nhập 1 mục tiêu." in response.content.decode()
        target = Target.objects.get()
        assert (target.direction, target.value) == (direction, Decimal(value))
        assert target.unit == tree.province  # "04" is today's province, not the old one

    @pytest.mark.parametrize(("direction_cell", "value_cell"), [
        ("Trên", "dưới 4,5%"),          # the two cells disagree
        ("", 4.5),                      # no direction at all
        ("Khoảng", 4.5),                # not a word of comparison
        ("Dưới", "٤٫٥"),                # digits of another script
    ])
    def test_a_phrase_it_cannot_read_writes_nothing(self, tree, personas, national,
                                                   direction_cell, value_cell) -> None:
        page = login(Client(), personas.province_officer).post(
            reverse("indicators:target_list"), {"file": _sheet(
                ("tt13-2021-tre-em", "II.01", "04", 2030, "Mục tiêu", value_cell,
                 direction_cell))}).content.decode()
        assert "Dòng 2:" in page
        assert not Target.objects.exists()


class ShippedTargetTests:
    """Every target of the shipped plans carries the plan's own words, and its direction is
    what those words say (Bình Long: "xuống dưới 8%" is below, "xuống 8%" at most)."""

    @pytest.mark.parametrize("name", ["binh-long-2022-2030", "bac-son-2024"])
    def test_each_targets_direction_is_what_its_words_say(self, name) -> None:
        data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
        for row in data["indicators"]:
            for target in row["targets"]:
                assert target.get("wording"), (row["code"], target)
                said, value = comparisons.parse_goal(target["wording"])
                assert value == Decimal(str(target["value"])), (row["code"], target)
                assert target["direction"] == (said or row["direction"]), (row["code"], target)

    def test_binh_longs_strict_targets(self) -> None:
        data = json.loads((DATA / "binh-long-2022-2030.json").read_text(encoding="utf-8"))
        directions = {(row["code"], t["year"]): t["direction"] for row in data["indicators"]
                      for t in row["targets"]}
        assert directions[("CT04a", 2025)] == "below"     # xuống dưới 8%
        assert directions[("CT04b", 2025)] == "at_most"   # xuống 8%
        assert directions[("CT04b", 2030)] == "below"     # dưới 6%
        assert directions[("CT08b", 2025)] == "above"     # trên 98%
        assert directions[("CT09", 2030)] == "below"      # xuống dưới 2%
        assert directions[("CT10", 2025)] == "at_most"    # xuống 4,5%
        assert directions[("CT10", 2030)] == "below"      # xuống dưới 4%
        assert directions[("CT11b", 2025)] == "at_most"   # xuống còn 13/100.000

    def test_a_target_whose_words_disagree_with_its_direction_is_refused(self, tree) -> None:
        data = {"set": {"code": "thu", "name": "Thử"}, "indicators": [
            {"code": "X1", "name": "Tỷ lệ", "unit_kind": "percent", "source": "entered",
             "direction": "at_most",
             "targets": [{"year": 2030, "value": 5, "direction": "at_most",
                          "wording": "dưới 5%"}]}]}
        from treem.indicators.models import IndicatorSet

        with pytest.raises(CatalogueError) as raised:
            load_set(data, owner=tree.province)
        assert "X1" in str(raised.value)
        assert not IndicatorSet.objects.exists()
