import datetime
import zoneinfo

import pytest
from django import forms
from django.utils import timezone

from treem.ui.dates import (
    DAY_INVALID,
    DAY_OUT_OF_RANGE,
    MOMENT_INVALID,
    NO_SUCH_TIME,
    DayField,
    MomentField,
)

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


class DayForm(forms.Form):
    day = DayField(label="Ngày")
    optional = DayField(label="Ngày khác", required=False)


class MomentForm(forms.Form):
    at = MomentField(label="Thời điểm")


def errors(form: forms.Form, field: str) -> list[str]:
    assert not form.is_valid()
    return [str(e) for e in form.errors[field]]


class DayFieldTests:
    @pytest.mark.parametrize(("typed", "day"), [
        ("31/01/2026", datetime.date(2026, 1, 31)),
        ("3/5/2026", datetime.date(2026, 5, 3)),        # the third of May, never 5 March
        (" 03/05/2026 ", datetime.date(2026, 5, 3)),
        ("03.05.2026", datetime.date(2026, 5, 3)),      # a phone's number pad has no "/"
        ("03-05-2026", datetime.date(2026, 5, 3)),
        ("29/02/2024", datetime.date(2024, 2, 29)),     # a leap year
        ("2026-05-03", datetime.date(2026, 5, 3)),      # ISO, as links and the API write it
    ])
    def test_it_reads_a_day_in_vietnamese_order(self, typed: str, day: datetime.date) -> None:
        form = DayForm({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == day

    @pytest.mark.parametrize(("typed", "says"), [
        ("31/02/2026", "Tháng 2 năm 2026 chỉ có 28 ngày, không có ngày 31."),
        ("29/02/2025", "Tháng 2 năm 2025 chỉ có 28 ngày, không có ngày 29."),
        ("31/04/2026", "Tháng 4 năm 2026 chỉ có 30 ngày, không có ngày 31."),
        ("00/01/2026", "không có ngày 0."),
        ("12/31/2018", "Không có tháng 31: tháng từ 1 đến 12."),  # the American order
        ("hôm qua", str(DAY_INVALID)),
        ("31/01/26", str(DAY_INVALID)),                 # a two-digit year is ambiguous
        ("31/01/2026 10:00", str(DAY_INVALID)),
        ("01/01/1899", str(DAY_OUT_OF_RANGE)),
        ("01/01/0000", str(DAY_OUT_OF_RANGE)),
        ("31/12/2200", str(DAY_OUT_OF_RANGE)),
    ])
    def test_it_refuses_a_day_that_does_not_exist_saying_why(self, typed: str,
                                                             says: str) -> None:
        messages = errors(DayForm({"day": typed}), "day")
        assert len(messages) == 1
        assert says in messages[0]
        assert messages[0].startswith("Nhập một ngày hợp lệ.") or says == str(DAY_OUT_OF_RANGE)

    def test_an_empty_optional_day_is_none(self) -> None:
        form = DayForm({"day": "01/01/2026", "optional": ""})
        assert form.is_valid()
        assert form.cleaned_data["optional"] is None

    def test_it_shows_a_day_as_dd_mm_yyyy_in_a_text_input(self) -> None:
        html = str(DayForm(initial={"day": datetime.date(2026, 5, 3)})["day"])
        assert 'type="text"' in html and 'type="date"' not in html
        assert 'value="03/05/2026"' in html
        assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html

    def test_it_shows_what_was_typed_again_when_refused(self) -> None:
        form = DayForm({"day": "31/02/2026"})
        form.is_valid()
        assert 'value="31/02/2026"' in str(form["day"])


class MomentFieldTests:
    @pytest.mark.parametrize(("typed", "moment"), [
        ("02/03/2026 09:30", datetime.datetime(2026, 3, 2, 9, 30)),
        ("2/3/2026 21:05", datetime.datetime(2026, 3, 2, 21, 5)),
        ("02/03/2026 21h05", datetime.datetime(2026, 3, 2, 21, 5)),
        ("02.03.2026 00:00", datetime.datetime(2026, 3, 2, 0, 0)),
        ("2026-03-02T09:30", datetime.datetime(2026, 3, 2, 9, 30)),
        ("2026-03-02 09:30:00", datetime.datetime(2026, 3, 2, 9, 30)),
    ])
    def test_it_reads_a_moment_on_a_24_hour_clock_in_vietnam(
        self, typed: str, moment: datetime.datetime,
    ) -> None:
        form = MomentForm({"at": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["at"] == moment.replace(tzinfo=HANOI)

    @pytest.mark.parametrize(("typed", "says"), [
        ("02/03/2026 24:00", str(NO_SUCH_TIME)),
        ("02/03/2026 09:60", str(NO_SUCH_TIME)),
        ("02/03/2026", str(MOMENT_INVALID)),             # the hour starts legal deadlines
        ("02/03/2026 9:30 PM", str(MOMENT_INVALID)),     # a 12-hour clock is not guessed
        ("30/02/2026 09:30", "không có ngày 30."),
    ])
    def test_it_refuses_a_moment_that_does_not_exist(self, typed: str, says: str) -> None:
        messages = errors(MomentForm({"at": typed}), "at")
        assert says in messages[0]

    def test_it_shows_a_moment_in_local_time_on_a_24_hour_clock(self) -> None:
        at = datetime.datetime(2026, 3, 2, 14, 5, tzinfo=datetime.UTC)  # 21:05 in Hà Nội
        with timezone.override(HANOI):
            html = str(MomentForm(initial={"at": at})["at"])
        assert 'value="02/03/2026 21:05"' in html
        assert 'type="text"' in html and "datetime-local" not in html
