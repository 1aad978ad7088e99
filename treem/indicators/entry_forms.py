"""The entry page's forms: which commune and period, then one small form per indicator."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.edits.conflicts import EditConflict
from treem.edits.forms import VERSION_MISSING
from treem.geo.models import Unit
from treem.indicators import breakdowns, periods
from treem.indicators.compute import TOTAL
from treem.indicators.models import IndicatorVersion, PeriodKind, SectorFigure, UnitKind
from treem.indicators.services import Cell, field_of
from treem.ui.figure_pickers import PeriodPickerField
from treem.ui.forms import TEXT_MAX

NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "size": 8, "autocomplete": "off"})
REVISION = "revision"
AFTER_CONFLICT = _("Các ô vẫn giữ số bạn nhập, nay so với số đã lưu ở trên: lưu lại để ghi số "
                   "của bạn, hoặc sửa theo số đã lưu.")


ENTERED = (*periods.PICKED, ("month", 12))  # a sector's figure may be monthly


class ChooseForm(forms.Form):
    """Read from the query string; the unit is resolved (in scope or 404) by the view."""

    unit = forms.ChoiceField(label=_("Đơn vị"))
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices, required=False)
    period = PeriodPickerField()

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            (str(u.public_id), u.name) for u in units]
        # Periods by label, never a code to type; the first choice, empty, is the current
        # period of the kind chosen beside it (as an empty box was).
        code = str((self.data.get("period") if self.is_bound else None)
                   or self.initial.get("period") or "").strip()
        chosen = None
        if code:
            try:
                chosen = (code, periods.parse(code).label)
            except periods.PeriodError:
                chosen = None
        groups = [("", [("", str(_("Kỳ hiện tại của loại kỳ đã chọn")))]),
                  *periods.picker_groups(today=timezone.localdate(), kinds=ENTERED)]
        cast(PeriodPickerField, self.fields["period"]).offer(groups, chosen)

    def clean_period(self) -> str:
        code = self.cleaned_data["period"].strip()
        if code:
            try:
                periods.parse(code)
            except periods.PeriodError as error:
                raise ValidationError(str(error)) from error
        return code


@dataclass
class Line:
    """One row of an indicator's table: the total or one breakdown."""

    key: str
    label: Any
    numerator: forms.BoundField
    denominator: forms.BoundField | None
    previous: str
    errors: list[Any]


class FigureForm(forms.Form):
    """One indicator: its total, its breakdowns (sex, age group) and a comment; and what they
    were read at (`treem.indicators.services.figures_save`): the revision of the indicator's
    figures (hidden), and beside each box the figure it was read with (Django's hidden
    initial), so that a save changes only what the officer changed."""

    comment = forms.CharField(max_length=TEXT_MAX, label=_("Giải trình"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1,
                                  error_messages={"required": VERSION_MISSING,
                                                  "invalid": VERSION_MISSING,
                                                  "min_value": VERSION_MISSING,
                                                  "max_value": VERSION_MISSING})

    def __init__(self, data: Any = None, *, version: IndicatorVersion,
                 current: dict[str, SectorFigure], previous: dict[str, str],
                 revision: int = 1) -> None:
        self.version = version
        self.ratio = version.unit_kind != UnitKind.COUNT
        self.keys = [(TOTAL, breakdowns.label_of(TOTAL)), *(
            (key, label) for key, _dimension, label in breakdowns.keys_of(
                list(version.disaggregations)))]
        self.previous = previous
        self.row_errors: dict[str, list[Any]] = {}
        initial: dict[str, Any] = {
            "comment": current[TOTAL].comment if TOTAL in current else "", REVISION: revision}
        for index, (key, _label) in enumerate(self.keys):
            figure = current.get(key)
            initial[f"n{index}"] = _plain(figure.numerator) if figure else ""
            initial[f"d{index}"] = _plain(figure.denominator) if figure else ""
        super().__init__(data, initial=initial, prefix=f"v{version.pk}")
        for index, (_key, label) in enumerate(self.keys):
            self.fields[f"n{index}"] = forms.CharField(
                label=_("Tử số") if self.ratio else label, required=False, max_length=20, widget=NUMBER)
            if self.ratio:
                self.fields[f"d{index}"] = forms.CharField(label=_("Mẫu số"), required=False, max_length=20,
                                                           widget=NUMBER)
        self.order_fields([f for f in self.fields if f != "comment"] + ["comment"])
        for name in self.read_fields:
            self.fields[name].show_hidden_initial = True

    @property
    def read_fields(self) -> list[str]:
        return [name for name in self.fields if name != REVISION]

    def _read(self, name: str) -> str | None:
        """The value box `name` was read with, as the page sent it back (None: not sent)."""
        raw = self.data.get(self[name].html_initial_name)
        return None if raw is None else str(raw).strip()

    def base(self) -> dict[str, Cell | None]:
        """The figure each breakdown was read with (None: there was none); a breakdown whose
        value read the page did not send back is left out (not known)."""
        found: dict[str, Cell | None] = {}
        for index, (key, _label) in enumerate(self.keys):
            numerator = self._read(f"n{index}")
            denominator = self._read(f"d{index}") if self.ratio else ""
            comment = self._read("comment") if key == TOTAL else ""
            if numerator is None or denominator is None or comment is None:
                continue
            if not numerator:
                found[key] = None
                continue
            try:
                found[key] = Cell(Decimal(numerator),
                                  Decimal(denominator) if denominator else None, comment)
            except InvalidOperation:
                continue
        return found

    def read_again(self, data: Any, conflict: EditConflict) -> None:
        """Make `data` (a mutable copy of the POST) read at the revision saved now: the boxes
        keep the officer's numbers, the values read become those saved now, so that saving
        again after seeing both writes the officer's (`initial` was read from the figures
        saved now)."""
        data[self.add_prefix(REVISION)] = conflict.version
        for name in self.read_fields:
            data[self[name].html_initial_name] = self.initial.get(name, "")

    def is_blank(self) -> bool:
        return not any(str(v).strip() for k, v in self.cleaned_data.items()
                       if k not in ("comment", REVISION))

    def rows(self) -> list[dict[str, Any]]:
        """The rows to save: the total always (the service asks for it when it is blank),
        and each breakdown with anything written in it."""
        found = []
        for index, (key, _label) in enumerate(self.keys):
            numerator = self.cleaned_data.get(f"n{index}", "").strip()
            denominator = self.cleaned_data.get(f"d{index}", "").strip() if self.ratio else ""
            if key == TOTAL and not (numerator or denominator):
                continue
            if numerator or denominator:
                found.append({"breakdown": key, "numerator": numerator or None,
                              "denominator": denominator or None})
        return found

    def comments(self) -> dict[str, str]:
        return {TOTAL: self.cleaned_data.get("comment", "")}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        keys = {field_of(key) for key, _label in self.keys}
        for key, errors in error.error_dict.items():
            if key == "comment":
                self.add_error("comment", errors)
            elif key in keys:
                self.row_errors.setdefault(key, []).extend(
                    message for e in errors for message in e.messages)
            else:
                self.add_error(None, errors)

    def lines(self) -> list[Line]:
        return [Line(key=key, label=label, numerator=self[f"n{index}"],
                     denominator=self[f"d{index}"] if self.ratio else None,
                     previous=self.previous.get(key, "—"),
                     errors=self.row_errors.get(field_of(key), []))
                for index, (key, label) in enumerate(self.keys)]


def _plain(number: Any) -> str:
    return "" if number is None else f"{number:f}".split(".")[0]

