"""The charts drawn on the server: SVG without script (the CSP allows none, a PDF runs none),
named for assistive technology, scaled by a viewBox, text escaped, the same figures as a
table."""

import re
import xml.etree.ElementTree as ET

from treem.ui import charts

SVG = "{http://www.w3.org/2000/svg}"


def parsed(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def every_chart() -> list[charts.Chart]:
    return [
        charts.trend(title="Tỷ lệ trẻ em có hoàn cảnh đặc biệt", labels=["6T đầu 2025",
                     "6T cuối 2025", "6T đầu 2026"], values=[3.5, None, 2.25], target=3.0),
        charts.ranked(title="Các xã", labels=["Phường Thục Phán", "Xã Hòa An"],
                      values=[12, None]),
        charts.stacked(title="Vụ việc", labels=["Đã tiếp nhận", "Đánh giá"],
                       series=[("Quá hạn", [1, 0]), ("Còn trong hạn", [2, 3])],
                       colours=[charts.LATE, charts.GOOD]),
    ]


class ChartTests:
    def test_no_chart_carries_a_script_or_an_outside_address(self) -> None:
        for chart in every_chart():
            root = parsed(chart)
            assert not [e for e in root.iter() if e.tag in ("script", f"{SVG}script")]
            assert "<script" not in chart.svg and "javascript:" not in chart.svg
            assert not re.search(r"(?:href|src)=\"(?:https?:)?//", chart.svg)
            assert not re.search(r"\son[a-z]+=", chart.svg)  # no event handler either

    def test_each_chart_is_one_named_picture_scaled_by_its_viewbox(self) -> None:
        for chart in every_chart():
            root = parsed(chart)
            assert root.get("role") == "img"
            title = root.find(f"{SVG}title")
            assert title is not None and title.get("id") == root.get("aria-labelledby")
            assert (title.text or "").startswith(chart.title)
            assert root.get("viewBox", "").startswith(f"0 0 {charts.WIDTH} ")
            assert root.get("width") is None and root.get("height") is None
            assert "<?xml" not in chart.svg

    def test_a_name_with_markup_stays_text(self) -> None:
        chart = charts.ranked(title="<b>Xã</b>", labels=['Xã <script>alert("x")</script>'],
                              values=[1])
        assert "<script" not in chart.svg and "&lt;script&gt;" in chart.svg
        title = parsed(chart).find(f"{SVG}title")
        assert title is not None and (title.text or "").startswith("<b>Xã</b>")

    def test_the_table_holds_the_same_figures_in_vietnamese_notation(self) -> None:
        trend, ranked, stacked = every_chart()
        assert [list(r) for r in trend.rows] == [["6T đầu 2025", "3,5", "3"],
                                                 ["6T cuối 2025", "—", "3"],
                                                 ["6T đầu 2026", "2,2", "3"]]
        assert list(trend.columns) == ["Kỳ", "Giá trị", "Mục tiêu"]
        assert [list(r) for r in ranked.rows] == [["Phường Thục Phán", "12"], ["Xã Hòa An", "—"]]
        assert [list(r) for r in stacked.rows] == [["Đã tiếp nhận", "1", "2", "3"],
                                                   ["Đánh giá", "0", "3", "3"]]
        assert charts.plain(1234567.5) == "1.234.567,5"

    def test_the_first_label_is_drawn_at_the_top_of_a_horizontal_chart(self) -> None:
        chart = charts.ranked(title="x", labels=["Cao nhất", "Thấp nhất"], values=[9, 1])
        texts = [(float(e.get("y", 0)), e.text) for e in parsed(chart).iter(f"{SVG}text")
                 if e.text in ("Cao nhất", "Thấp nhất")]
        assert sorted(texts)[0][1] == "Cao nhất"

    def test_a_taller_chart_for_more_units(self) -> None:
        few = charts.ranked(title="x", labels=["a"], values=[1])
        many = charts.ranked(title="x", labels=[f"Xã {n}" for n in range(40)],
                             values=list(range(40)))
        height = [float(parsed(c).get("viewBox", "").split()[3]) for c in (few, many)]
        assert height[1] >= 40 * charts.ROW_HEIGHT > height[0]

    def test_counts_are_marked_in_whole_numbers_and_rates_are_not(self) -> None:
        counts = charts.stacked(title="x", labels=["a"], series=[("b", [1]), ("c", [1])])
        marks = {e.text for e in parsed(counts).iter(f"{SVG}text")}
        assert "0,4" not in marks and {"0", "1", "2"} <= marks
        rates = charts.ranked(title="x", labels=["a"], values=[0.5])
        assert charts._ticks([0.5, 1]) == {"y_labels": [0.0, 0.5, 1.0]}
        assert charts._ticks([33.3, 0]) == {"y_labels": [0.0, 20.0, 40.0]}
        assert charts._ticks([12]) == {"y_labels": [0.0, 5.0, 10.0, 15.0]}
        assert charts._ticks([2]) == {"y_labels": [0.0, 1.0, 2.0]}  # counts: whole steps
        assert charts._ticks([None]) == {} and parsed(rates) is not None

    def test_the_legend_names_each_series_in_its_colour(self) -> None:
        trend, ranked, stacked = every_chart()
        assert list(trend.legend) == [("Giá trị", charts.COLOURS[0], False),
                                      ("Mục tiêu", charts.COLOURS[1], True)]
        assert list(stacked.legend) == [("Quá hạn", charts.LATE, False),
                                        ("Còn trong hạn", charts.GOOD, False)]
        assert list(ranked.legend) == []
