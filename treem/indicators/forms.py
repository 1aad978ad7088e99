import datetime
import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.accounts.roles import Sector
from treem.geo.models import Level, Unit
from treem.geo.selectors import units_to_pick
from treem.indicators import periods
from treem.indicators.models import Direction, Indicator, PeriodKind, Source, Target, UnitKind
from treem.indicators.period_field import PeriodField
from treem.ui.figure_pickers import UnitPickerField, unit_choices
from treem.ui.forms import TEXT_MAX


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
    # The target the page showed as set and the officer agreed to replace (empty: none known).
    replaces = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, indicators: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def target(self) -> dict[str, Any]:
        """The target's fields, for `targets.check`."""
        return {name: value for name, value in self.cleaned_data.items() if name != "replaces"}


TARGETS_MAX_BYTES = 5 * 1024 * 1024  # 5,000 rows of seven short columns are far less


class TargetImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel mục tiêu (.xlsx)"),
                           error_messages={"required": _("Hãy chọn tệp Excel.")})

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory: the size is known from the upload.
        if upload.size > TARGETS_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá 5 MB."))
        return upload


class ViewForm(forms.Form):
    """Which unit and period a dashboard shows (neither names a person: both go in the URL),
    picked by name and label (`offer`), never typed as codes."""

    unit = UnitPickerField()
    period = PeriodField()

    def chosen(self, default: periods.Period) -> tuple[Any, periods.Period]:
        if not self.is_valid():
            return None, default
        return self.cleaned_data.get("unit"), self.cleaned_data.get("period") or default

    def offer(self, *, user: Any, capability: str, unit: Unit, period: periods.Period,
              today: datetime.date) -> None:
        """Fill the pickers: the units of the user's scope, the recent periods."""
        current, former = units_to_pick(user=user, capability=capability)
        self.fields["unit"].offer(unit_choices(current, former, unit))  # type: ignore[attr-defined]
        self.fields["period"].offer(  # type: ignore[attr-defined]
            periods.picker_groups(today=today), (period.code, period.label))
        # The picked values, so that a page reached with the default shows them selected.
        self.initial = {"unit": str(unit.public_id), "period": period.code}
        if self.is_bound:
            self.data = {**self.data, "unit": str(unit.public_id), "period": period.code}


class SetForm(forms.Form):
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Đơn vị sở hữu"), queryset=Unit.objects.none(), to_field_name="public_id",
        error_messages={"required": _("Hãy chọn đơn vị."), "invalid_choice": _("Hãy chọn đơn vị.")})
    code = forms.SlugField(label=_("Mã bộ chỉ tiêu"), max_length=40,
                           help_text=_("Chữ không dấu, số và gạch ngang, ví dụ cao-bang-2026."))
    name = forms.CharField(label=_("Tên"), max_length=300)
    source = forms.CharField(max_length=TEXT_MAX, label=_("Văn bản, nguồn"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = units  # type: ignore[attr-defined]


class IndicatorEditForm(forms.Form):
    code = forms.CharField(label=_("Mã chỉ tiêu"), max_length=20)
    name = forms.CharField(label=_("Tên chỉ tiêu"), max_length=400)
    group = forms.CharField(label=_("Nhóm"), max_length=200, required=False)
    unit_kind = forms.ChoiceField(label=_("Đơn vị tính"), choices=UnitKind.choices)
    source = forms.ChoiceField(label=_("Nguồn số liệu"), choices=Source.choices)
    agency = forms.ChoiceField(label=_("Ngành nhập (nếu ngành nhập)"), required=False,
                               choices=[("", "—"), *Sector.choices])
    period_kind = forms.ChoiceField(label=_("Kỳ"), choices=PeriodKind.choices)
    direction = forms.ChoiceField(label=_("Chiều đánh giá"), choices=Direction.choices)
    numerator = forms.CharField(max_length=TEXT_MAX, label=_("Tử số (mô tả)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    denominator = forms.CharField(max_length=TEXT_MAX, label=_("Mẫu số (mô tả)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    spec_text = forms.CharField(max_length=TEXT_MAX,
        label=_("Định nghĩa tính toán (JSON, chỉ tiêu tính từ sổ)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('Ví dụ: {"numerator": {"population": "children", "where": {"age": [0, 4], '
                    '"birth_registered": true}}, "denominator": {"population": "children", '
                    '"where": {"age": [0, 4]}}}'))
    disaggregations = forms.MultipleChoiceField(
        label=_("Phân tổ"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("sex", _("Giới tính")), ("age_group", _("Nhóm tuổi")),
                 ("ethnicity", _("Dân tộc")), ("place", _("Nơi xảy ra"))])
    entry_levels = forms.MultipleChoiceField(
        label=_("Cấp nhập số liệu (nếu ngành nhập)"), required=False,
        widget=forms.CheckboxSelectMultiple, initial=[Level.COMMUNE],
        choices=[(Level.PROVINCE, Level.PROVINCE.label), (Level.COMMUNE, Level.COMMUNE.label)],
        help_text=_("Mỗi cấp nhập số liệu riêng của mình; số của tỉnh là tổng của số riêng "
                    "cấp tỉnh và số của các xã."))
    # The version the definition was read at (0: a new indicator), `editing.indicator_save`.
    base_number = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0,
                                     max_value=2**31 - 1)

    @classmethod
    def of(cls, version: Any) -> "IndicatorEditForm":
        """The form showing a definition as saved, to edit it."""
        return cls(initial={
            "code": version.indicator.code, "name": version.name,
            "group": version.indicator.group, "unit_kind": version.unit_kind,
            "source": version.source, "agency": version.agency,
            "period_kind": version.period_kind, "direction": version.direction,
            "numerator": version.numerator, "denominator": version.denominator,
            "spec_text": json.dumps(version.spec, ensure_ascii=False) if version.spec else "",
            "disaggregations": version.disaggregations, "entry_levels": version.entry_levels,
            "base_number": version.number})
