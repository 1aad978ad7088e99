import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from treem.edits.forms import VersionedForm
from treem.indicators import periods
from treem.indicators.period_field import PeriodField
from treem.reports.models import Schedule
from treem.ui.forms import TEXT_MAX


class ListForm(forms.Form):
    """Which schedule and period the report list shows, picked by name and label."""

    schedule = forms.ChoiceField(label=_("Loại báo cáo"), required=False)
    period = PeriodField()

    def __init__(self, *args: Any, schedules: QuerySet[Schedule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule"].choices = [  # type: ignore[attr-defined]
            (s.code, s.name) for s in schedules.order_by("code")]

    def offer(self, *, schedule: Schedule | None, period: periods.Period,
              today: datetime.date) -> None:
        """The recent periods of the schedule's kind (and the years), newest first."""
        kind = schedule.period_kind if schedule else period.kind
        self.fields["period"].offer(  # type: ignore[attr-defined]
            periods.picker_groups(today=today, kinds=((kind, 8),)), (period.code, period.label))
        self.data = {"schedule": schedule.code if schedule else "", "period": period.code}
        self.initial = dict(self.data)


class OpenForm(forms.Form):
    schedule = forms.ModelChoiceField(label=_("Loại báo cáo"), queryset=Schedule.objects.all(),
                                      to_field_name="code",
                                      error_messages={"required": _("Hãy chọn loại báo cáo."),
                                                      "invalid_choice": _("Hãy chọn loại báo cáo.")})
    unit = forms.UUIDField(widget=forms.HiddenInput)
    period = forms.CharField(label=_("Kỳ"), max_length=8,
                             help_text=_("Ví dụ 2026S1 (6 tháng đầu năm), 2026 (cả năm)."),
                             error_messages={"required": _("Hãy ghi kỳ báo cáo.")})

    def __init__(self, *args: Any, schedules: QuerySet[Schedule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = schedules  # type: ignore[attr-defined]


class NarrativeForm(forms.Form):
    results = forms.CharField(max_length=TEXT_MAX, label=_("Kết quả đạt được"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    difficulties = forms.CharField(max_length=TEXT_MAX, label=_("Khó khăn, vướng mắc"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    proposals = forms.CharField(max_length=TEXT_MAX, label=_("Đề xuất, kiến nghị"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))


class NarrativeEditForm(VersionedForm, NarrativeForm):
    """The report's texts as read at their version (`treem.edits.forms`)."""


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "approve"), ("return", "return")])
    comment = forms.CharField(max_length=TEXT_MAX, label=_("Ý kiến"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Lý do sửa đổi"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Hãy ghi lý do sửa đổi báo cáo đã duyệt.")})


class SendForm(forms.Form):
    """The confirmation of a report's figures: the fingerprint of those the page showed."""

    figures = forms.CharField(max_length=64, min_length=64, widget=forms.HiddenInput)
