"""A period picked by its label and cleaned to the `Period` (the dashboards' and the report
list's forms): a bad code in a link gets the Vietnamese message of `periods.parse`."""

from typing import Any

from django import forms

from treem.indicators import periods
from treem.ui.figure_pickers import PeriodPickerField


class PeriodField(PeriodPickerField):
    def clean(self, value: Any) -> periods.Period | None:
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        try:
            return periods.parse(code)
        except periods.PeriodError as error:
            raise forms.ValidationError(str(error)) from error
