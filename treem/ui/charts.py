"""Charts drawn on the server as SVG with pygal, inlined in the page and in the PDFs.

Each function takes plain data (labels, series, a target) and returns a `Chart`: the SVG markup,
safe to inline (no script: the strict CSP allows none, and a PDF runs none), and the same
figures as a table for screen readers and for those who would rather read the numbers
(`templates/ui/_chart.html` shows it on demand). The SVG has a `viewBox` and no fixed size: it
is drawn for a 360-px phone and scales to the width of its box (`.chart svg` in treem.css).
"""

import math
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from pygal.style import Style

WIDTH = 360  # drawn for the narrowest phone; the viewBox scales it up
ROW_HEIGHT = 30  # one bar of a horizontal chart, label included
# Fonts that have every Vietnamese letter (precomposed and combining marks), the system's
# first: no web font is downloaded (nothing from a CDN, nothing to wait for on a slow line).
FONTS = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', "
         "Arial, sans-serif")
# Dark on white, each at least 4.5:1 against the white background (WCAG AA for text, and
# well past the 3:1 asked of graphics), told apart by lightness too for colour-blind readers.
COLOURS = ("#1d4ed8", "#b45309", "#047857", "#7e22ce", "#be123c", "#374151")
# Status colours, the same in every chart: done or on time, due soon, late, none.
GOOD, SOON, LATE, NONE = "#047857", "#b45309", "#b91c1c", "#4b5563"
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1f2937",
    foreground_strong="#111827", foreground_subtle="#4b5563", opacity="1",
    opacity_hover="1", transition="0s", colors=COLOURS, font_family=FONTS,
    label_font_family=FONTS, major_label_font_family=FONTS, value_font_family=FONTS,
    value_label_font_family=FONTS, title_font_family=FONTS, legend_font_family=FONTS,
    tooltip_font_family=FONTS, guide_stroke_color="#d1d5db", major_guide_stroke_color="#9ca3af",
    guide_stroke_dasharray="0", major_guide_stroke_dasharray="0",
    # Drawn at 360 and shown at about 330 px on a phone: 14 px here is 13 px there.
    label_font_size=14, major_label_font_size=14, value_font_size=14, value_label_font_size=14,
    legend_font_size=14, title_font_size=15,
)
COMMON: dict[str, Any] = {
    "style": STYLE, "js": [], "disable_xml_declaration": True, "explicit_size": False,
    "width": WIDTH, "tooltip_border_radius": 0, "show_y_guides": True,
    "show_x_guides": False, "truncate_label": 30, "truncate_legend": 30,
    "include_x_axis": True, "max_scale": 5, "min_scale": 3, "margin_right": 28,
    "print_zeroes": False, "legend_at_bottom_columns": 1,
}
# A horizontal chart's names take the left of a 360-px drawing: cut at 20 characters
# (about 40 %; pygal cuts only the labels under the x axis), the full names are in the table.
HORIZONTAL: dict[str, Any] = {**COMMON, "max_scale": 4, "min_scale": 2}  # marks fit 360 px
NAME_MAX = 20


def _cut(labels: Sequence[str]) -> list[str]:
    return [label if len(label) <= NAME_MAX else label[:NAME_MAX - 1].rstrip() + "…"
            for label in labels]
SVG = "{http://www.w3.org/2000/svg}"
Format = Callable[[float | None], str]


def plain(value: float | None) -> str:
    """A figure as Vietnamese write it: 1.234,5 (no decimals when there are none)."""
    if value is None:
        return "—"
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@dataclass(frozen=True)
class Chart:
    """What a page shows: the picture and its table (the same figures)."""

    title: str
    svg: SafeString
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    summary: str = ""  # one sentence a screen reader says instead of the picture
    links: Sequence[str] = ()  # where each row's first cell leads (a unit's page), if anywhere
    # (name, colour, dashed) of each series, drawn in HTML under the picture: it wraps on a
    # phone, where pygal's legend would run off the drawing's right edge.
    legend: Sequence[tuple[str, str, bool]] = ()
    id: str = field(default_factory=lambda: f"chart-{uuid.uuid4().hex[:12]}")

    @property
    def table(self) -> list[tuple[str, Sequence[str]]]:
        """(link or "", cells) of each row, for the template."""
        return [(self.links[n] if n < len(self.links) else "", row)
                for n, row in enumerate(self.rows)]


def _svg(chart: Any, *, title: str, summary: str) -> SafeString:
    """The chart's markup without any script, labelled for assistive technology.

    pygal always writes its configuration as a <script> (even with js=[]): it is removed from
    the tree before serialising. Text (unit names, labels) goes through ElementTree, which
    escapes it: a name holding "<script>" stays text."""
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in ("script", f"{SVG}script") or child.tag is ET.Comment:
                parent.remove(child)
    # A <title> first child names the picture; role="img" makes it one object to a reader,
    # whose figures are in the table beside it.
    label_id = f"{root.get('id', 'chart')}-title"
    heading = ET.Element("title", {"id": label_id})
    heading.text = f"{title}. {summary}".strip().rstrip(".") + "." if summary else title
    root.insert(0, heading)
    root.set("role", "img")
    root.set("aria-labelledby", label_id)
    root.set("preserveAspectRatio", "xMinYMin meet")
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308 — escaped by ET


def _coloured(colours: Sequence[str]) -> Style:
    """The house style with the series in these colours (a status keeps its colour)."""
    style = Style(**{name: getattr(STYLE, name) for name in dir(STYLE)
                     if not name.startswith("_") and not callable(getattr(STYLE, name))})
    style.colors = tuple(colours)
    return style


def _blank(_value: object) -> str:
    return ""


def _ticks(values: Sequence[float | None]) -> dict[str, Any]:
    """Three or four round marks on the value axis, whole numbers for counts (no "0,4 vụ
    việc"): pygal's own are too many for a 360-px axis once " %" is written after each."""
    known = [float(v) for v in values if v is not None]
    top = max(known, default=0.0)
    if top <= 0:
        return {}
    raw = top / 3
    power = 10 ** math.floor(math.log10(raw))
    step = next(n * power for n in (1, 2, 2.5, 5, 10) if n * power >= raw)
    if all(v == int(v) for v in known):
        step = max(1, math.ceil(step))
    marks = [0.0]
    while marks[-1] < top:
        marks.append(round(marks[-1] + step, 10))
    return {"y_labels": marks}


def _height(rows: int, *, extra: int = 60) -> int:
    return max(140, extra + ROW_HEIGHT * rows)


def trend(*, title: str, labels: Sequence[str], values: Sequence[float | None],
          target: float | None = None, value_format: Format = plain,
          series_label: str = "", summary: str = "") -> Chart:
    """A figure over periods (oldest first) as a line, with its target as a dashed line."""
    known = [v for v in values if v is not None] + ([target] if target is not None else [])
    top = max(known, default=0) or 1
    # Room for the last value, printed to its right; the target inside the frame.
    options = {**COMMON, "margin_right": 52, "range": (0, top * 1.15)}
    chart = pygal.Line(**options, height=250, show_legend=False, dots_size=4,
                       print_values=True, value_formatter=value_format,
                       x_label_rotation=25, allow_interruptions=True)
    chart.x_labels = list(labels)
    name = series_label or str(_("Giá trị"))
    chart.add(name, list(values))
    columns = [str(_("Kỳ")), name]
    if target is not None:
        chart.add(str(_("Mục tiêu")), [target] * len(values), print_values=False,
                  show_dots=False, stroke_style={"width": 2, "dasharray": "6, 4"})
        columns.append(str(_("Mục tiêu")))
    rows = [[label, value_format(value)] + ([value_format(target)] if target is not None else [])
            for label, value in zip(labels, values, strict=True)]
    legend = [(str(name), COLOURS[0], False)] + (
        [(str(_("Mục tiêu")), COLOURS[1], True)] if target is not None else [])
    return Chart(title, _svg(chart, title=title, summary=summary), columns, rows, summary,
                 legend=legend if target is not None else ())


def ranked(*, title: str, labels: Sequence[str], values: Sequence[float | None],
           value_format: Format = plain, column: str = "", target: float | None = None,
           summary: str = "", links: Sequence[str] = (),
           colours: Sequence[str] = ()) -> Chart:
    """Units (or groups) as horizontal bars, in the order given (rank them first), the
    largest at the top; a unit without a figure keeps its row, with no bar. `colours`, one a
    bar, gives each its own (a status its colour)."""
    count = len(labels)
    chart = pygal.HorizontalBar(**HORIZONTAL, **_ticks(values), height=_height(count),
                                show_legend=target is not None, legend_at_bottom=True,
                                print_values=True, value_formatter=value_format)
    # pygal draws the first label at the bottom: reversed, the first is at the top.
    chart.x_labels = _cut(list(reversed(labels)))
    # A zero is printed in the table, not over the name beside its empty bar.
    bars: list[Any] = [{"value": value, **({"formatter": _blank} if value == 0 else {})}
                       for value in values]
    for bar, colour in zip(bars, colours, strict=False):
        bar["color"] = colour
    chart.add(column or str(_("Giá trị")), list(reversed(bars)))
    if target is not None:
        chart.add(str(_("Mục tiêu")), [target] * count, print_values=False,
                  stroke_style={"width": 1})
    rows = [[label, value_format(value)] for label, value in zip(labels, values, strict=True)]
    return Chart(title, _svg(chart, title=title, summary=summary),
                 ["", column or str(_("Giá trị"))], rows, summary, links)


def stacked(*, title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
            colours: Sequence[str] = COLOURS, summary: str = "") -> Chart:
    """Counts of each label split by category (cases of a step by deadline status, reports
    of a period by on time, late, missing), as horizontal stacked bars with a legend."""
    options = {**HORIZONTAL, "style": _coloured(colours)}
    totals = [sum(int(counts[n]) for _name, counts in series) for n in range(len(labels))]
    chart = pygal.HorizontalStackedBar(**options, **_ticks(totals),
                                       height=_height(len(labels)),
                                       show_legend=False, print_values=True,
                                       value_formatter=plain)
    chart.x_labels = _cut(list(reversed(labels)))
    for name, counts in series:
        chart.add(name, list(reversed([int(n) for n in counts])))
    columns = [""] + [name for name, _counts in series] + [str(_("Tổng"))]
    rows = []
    for n, label in enumerate(labels):
        counts = [int(c[n]) for _name, c in series]
        rows.append([label] + [plain(c) for c in counts] + [plain(sum(counts))])
    return Chart(title, _svg(chart, title=title, summary=summary), columns, rows, summary,
                 legend=[(str(name), colours[n % len(colours)], False)
                         for n, (name, _counts) in enumerate(series)])
