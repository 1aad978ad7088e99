from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Unit
from treem.indicators import periods
from treem.indicators.models import Direction, Indicator, Target


class TargetForm(forms.Form):
    indicator: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Chỉ tiêu"), queryset=Indicator.objects.none(), to_field_name="public_id",
                                       error_messages={"required": _("Hãy chọn chỉ tiêu."),
                                                       "invalid_choice": _("Hãy chọn chỉ tiêu.")})
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), to_field_name="public_id",
                                  error_messages={"required": _("Hãy chọn đơn vị."),
                                                  "invalid_choice": _("Hãy chọn đơn vị.")})
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Loại"), choices=Target.Kind.choices)
    value = forms.DecimalField(label=_("Giá trị"), max_digits=14, decimal_places=3)
    direction = forms.ChoiceField(label=_("Chiều đánh giá"), choices=Direction.choices)

    def __init__(self, *args: Any, indicators: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class TargetImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel mục tiêu (.xlsx)"),
                           error_messages={"required": _("Hãy chọn tệp Excel.")})


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
