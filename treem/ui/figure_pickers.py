"""The unit and period pickers of the pages that show a unit's figures for a period.

A picker offers names, never codes to type: the units of the user's scope (today's first, the
units before 1 July 2025 in a group of their own, each with its validity) and the periods by
their label ("6 tháng đầu năm 2026"). What is offered is a convenience, not the rule: the value
sent is still checked where it is used (the unit through the user's scope — a forged id is a
404 — and the period by parsing its code), so a link naming a unit or period not listed (a
village, a month) still opens. `templates/ui/_figure_pickers.html` draws them as one small GET form.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # ui sits below geo: a unit is only read here, never queried
    from treem.geo.models import Unit

Choices = list[tuple[Any, Any]]


def unit_label(unit: "Unit") -> str:
    """The unit's name with the days it exists: "Phường Thục Phán (từ 01/07/2025)"."""
    if unit.valid_to is not None:
        return str(_("%(name)s (đến %(day)s)") % {"name": unit.name,
                                                    "day": f"{unit.valid_to:%d/%m/%Y}"})
    if unit.valid_from is not None:
        return str(_("%(name)s (từ %(day)s)") % {"name": unit.name,
                                                   "day": f"{unit.valid_from:%d/%m/%Y}"})
    return unit.name


def unit_choices(current: Iterable["Unit"], former: Iterable["Unit"],
                 chosen: "Unit | None" = None) -> Choices:
    """Today's units, then those dissolved in 2025 as an <optgroup>; the unit shown is always
    among them (one reached by a link, a village say, is added to its group)."""
    today = [(str(u.public_id), unit_label(u)) for u in current]
    before = [(str(u.public_id), unit_label(u)) for u in former]
    if chosen is not None and str(chosen.public_id) not in {v for v, _l in today + before}:
        (before if chosen.valid_to is not None else today).insert(
            0, (str(chosen.public_id), unit_label(chosen)))
    groups: Choices = [(_("Đơn vị hiện nay"), today)] if today else []
    if before:
        groups.append((_("Đơn vị trước ngày 01/07/2025"), before))
    return groups


class UnitPickerField(forms.UUIDField):
    """A unit's public id, chosen from a list of names (`offer`)."""

    widget = forms.Select

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Đơn vị"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def offer(self, choices: Choices) -> None:
        self.widget.choices = choices  # type: ignore[attr-defined]


class PeriodPickerField(forms.CharField):
    """A period's code, chosen from a list of labels (`offer`); parsed by the caller's
    `parse`, so that a bad code in a link gets its Vietnamese message."""

    widget = forms.Select

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Kỳ"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 8)
        super().__init__(**kwargs)

    def offer(self, groups: Sequence[tuple[Any, Sequence[tuple[str, str]]]],
              chosen: tuple[str, str] | None = None) -> None:
        """Periods grouped by kind (code, label); the one shown is added if not listed."""
        offered = [(name, list(items)) for name, items in groups if items]
        if chosen is not None and chosen[0] not in {c for _n, items in offered for c, _l in items}:
            offered.insert(0, ("", [chosen]))
        self.widget.choices = offered  # type: ignore[attr-defined]
