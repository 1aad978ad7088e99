from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.indicators import periods


class ViewForm(forms.Form):
    """Which unit and period a dashboard shows (neither names a person: both go in the URL)."""

    unit = forms.UUIDField(required=False, widget=forms.HiddenInput)
    period = forms.CharField(label=_("Kỳ"), max_length=8, required=False,
                             help_text=_("Ví dụ 2026S1 (6 tháng đầu năm), 2026 (cả năm)."))

    def clean_period(self) -> periods.Period | None:
        code = (self.cleaned_data.get("period") or "").strip()
        if not code:
            return None
        try:
            return periods.parse(code)
        except periods.PeriodError as error:
            raise forms.ValidationError(str(error)) from error

    def chosen(self, default: periods.Period) -> tuple[Any, periods.Period]:
        if not self.is_valid():
            return None, default
        return self.cleaned_data.get("unit"), self.cleaned_data.get("period") or default
