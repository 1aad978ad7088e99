"""Period codes are DHIS2's, ASCII only: a year "yyyy", a six-month "yyyySn", a quarter
"yyyyQn", a month "yyyyMM" (dhis2-core PeriodTypeEnum.ofIsoPeriod reads '0'–'9' only). Python's
`\\d` and `int()` also take Arabic-Indic, Devanagari or full-width digits: such a code must be
refused with the Vietnamese message, never turned into a period."""

import datetime

import pytest

from treem.indicators import periods
from treem.indicators.forms import ViewForm

# What DHIS2 would say the codes are (its PeriodTypeEnum), with their first and last day.
DHIS2_CODES = [
    ("2026", "year", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    ("2026S1", "half", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
    ("2026S2", "half", datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
    ("2026Q1", "quarter", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ("2026Q4", "quarter", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
    ("202602", "month", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
    ("202802", "month", datetime.date(2028, 2, 1), datetime.date(2028, 2, 29)),
    ("202512", "month", datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)),
]

NOT_ASCII = [
    "٢٠٢٦S1",      # Arabic-Indic digits
    "۲۰۲۶",        # Extended Arabic-Indic (Persian)
    "२०२६Q1",      # Devanagari
    "２０２６S1",  # full-width
    "2026S١",      # one Arabic-Indic digit in the half
    "2026０１",    # full-width month
    "𝟐𝟎𝟐𝟔",        # mathematical bold digits
]


class PeriodCodeTests:
    @pytest.mark.parametrize(("code", "kind", "start", "end"), DHIS2_CODES)
    def test_a_dhis2_code_is_its_period(self, code, kind, start, end) -> None:
        found = periods.parse(code)
        assert (found.code, found.kind, found.start, found.end) == (code, kind, start, end)

    @pytest.mark.parametrize("code", NOT_ASCII)
    def test_digits_other_than_ascii_are_refused(self, code) -> None:
        with pytest.raises(periods.PeriodError) as error:
            periods.parse(code)
        assert "không hợp lệ" in str(error.value)

    @pytest.mark.parametrize("code", ["2026S3", "2026Q5", "202613", "202600", "26", "2026-01",
                                      "2026s1", "2026W1", "1999", "2101", "2026 S1", ""])
    def test_what_dhis2_does_not_name_so_is_refused(self, code) -> None:
        with pytest.raises(periods.PeriodError):
            periods.parse(code)

    @pytest.mark.parametrize("code", NOT_ASCII[:2])
    def test_the_pages_form_refuses_them_too(self, code) -> None:
        form = ViewForm({"period": code})
        assert not form.is_valid()

    def test_every_code_treem_makes_is_ascii_and_parses_back(self) -> None:
        day = datetime.date(2026, 5, 17)
        for kind in periods.KINDS:
            made = periods.of_kind(kind, day)
            assert made.code.isascii() and periods.parse(made.code) == made
