import datetime

import pytest

from treem.lib.spreadsheet import safe_cell


class SafeCellTests:
    @pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("http://x","y")', "+84912", "-2",
                                      "@SUM(A1)", "\tabc", "\rabc"])
    def test_formula_triggers_become_text(self, text: str) -> None:
        assert safe_cell(text) == "'" + text

    @pytest.mark.parametrize("value", ["Nguyễn Văn An", "0912 345 678", "", 7, 2.5, None,
                                       datetime.date(2020, 1, 2)])
    def test_ordinary_values_are_kept(self, value: object) -> None:
        assert safe_cell(value) == value
