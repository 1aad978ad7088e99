"""The indicator pages' charts (`treem.ui.charts`) from what `dashboard` computed: how many
indicators meet their targets, one indicator over periods against its target, the units below
ranked, and its breakdowns (sex, age group, ethnicity…)."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from treem.indicators import breakdowns, periods
from treem.indicators.compute import Cell
from treem.indicators.dashboard import STATUS_LABELS, Goal, Part, Row
from treem.indicators.formatting import indicator_value
from treem.indicators.models import IndicatorSet, IndicatorVersion
from treem.ui import charts
from treem.ui.charts import Chart

# Each status in its colour in every chart (the badges' colours, darker for a graphic).
STATUS_COLOURS = {"on_track": charts.GOOD, "at_risk": charts.SOON, "off_track": charts.LATE,
                  "no_target": "#1d4ed8", "no_value": charts.NONE, "area": "#7e22ce"}


def _format(version: IndicatorVersion) -> charts.Format:
    return lambda value: indicator_value(value, version.unit_kind)


def status_chart(groups: Sequence[tuple[IndicatorSet, list[Row]]]) -> Chart | None:
    """How many of the page's indicators meet their target, are at risk, miss it… (each
    status in its colour; the tables below say which, set by set)."""
    rows = [row for _set, found in groups for row in found]
    if not rows:
        return None
    shown = [key for key in STATUS_COLOURS if any(row.status == key for row in rows)]
    counts = [sum(1 for row in rows if row.status == key) for key in shown]
    labels = [str(STATUS_LABELS[key]) for key in shown]
    return charts.ranked(
        title=_("Số chỉ tiêu theo mức đạt mục tiêu"), labels=labels, values=counts,
        column=_("Số chỉ tiêu"), colours=[STATUS_COLOURS[key] for key in shown],
        summary=", ".join(f"{label}: {n}" for label, n in zip(labels, counts, strict=True)))


def trend_chart(*, version: IndicatorVersion, trend: Sequence[tuple[periods.Period, Any]],
                goal: Goal | None) -> Chart:
    """The indicator over the periods ending with the one shown, with the unit's target (not
    an area's target of before 2025: that one is judged on another value, see the table)."""
    target = (float(goal.target.value) if goal is not None and not goal.former else None)
    fmt = _format(version)
    last = trend[-1][1] if trend else None
    summary = _("Kỳ gần nhất: %(value)s") % {"value": fmt(last)}
    if target is not None:
        summary += "; " + _("mục tiêu %(direction)s %(value)s") % {
            "direction": goal.target.get_direction_display(), "value": fmt(target)}  # type: ignore[union-attr]
    return charts.trend(
        title=_("%(name)s qua các kỳ") % {"name": version.name},
        labels=[p.short_label for p, _v in trend], values=[v for _p, v in trend],
        target=target, value_format=fmt, series_label=version.name, summary=summary)


def ranked_chart(*, version: IndicatorVersion, parts: Sequence[Part],
                 period: periods.Period) -> Chart | None:
    """The units directly below, highest first (`dashboard.ranked_parts` ranked them), each
    row of its table a link to the unit's page (the drill-down)."""
    if not parts:
        return None
    fmt = _format(version)
    top = parts[0]
    return charts.ranked(
        title=_("So sánh các đơn vị trực thuộc"), labels=[p.unit.name for p in parts],
        values=[p.value for p in parts], value_format=fmt, column=version.name,
        summary=_("Cao nhất: %(unit)s, %(value)s") % {"unit": top.unit.name,
                                                      "value": fmt(top.value)},
        links=[f"?unit={p.unit.public_id}&period={period.code}" for p in parts])


def breakdown_charts(*, version: IndicatorVersion,
                     cells: Sequence[tuple[str, str, Cell, float | None]]) -> list[Chart]:
    """One chart per breakdown dimension (sex, age group, ethnicity…), in the order of the
    version's dimensions (`dashboard.breakdown_cells`)."""
    fmt = _format(version)
    by_dimension: dict[str, list[tuple[str, float | None]]] = {}
    for dimension, group, _cell, value in cells:
        by_dimension.setdefault(dimension, []).append(
            (str(breakdowns.label_of(f"{dimension}={group}")), value))
    found = []
    for dimension, rows in by_dimension.items():
        name = str(breakdowns.DIMENSION_LABELS.get(dimension, dimension))
        found.append(charts.ranked(
            title=_("Theo %(dimension)s") % {"dimension": name.lower()},
            labels=[label for label, _v in rows], values=[v for _l, v in rows],
            value_format=fmt, column=version.name))
    return found
