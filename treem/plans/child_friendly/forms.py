"""The forms of the child-friendly assessment pages."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.edits.forms import VersionedForm
from treem.geo.models import Unit
from treem.plans.child_friendly.models import AssessmentStatus, CommuneClass
from treem.ui.dates import DayField


def _years() -> list[tuple[int, int]]:
    this = timezone.localdate().year
    return [(year, year) for year in range(this, 2018, -1)]


class StartForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Xã, phường"), queryset=Unit.objects.none(),
                                  to_field_name="public_id", empty_label=None)
    year = forms.TypedChoiceField(label=_("Năm đánh giá"), coerce=int, choices=_years)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in units]).order_by("path")
        self.initial.setdefault("year", timezone.localdate().year - 1)


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=_years, required=False)

    def year_or(self, default: int) -> int:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("year") or default


class DetailsForm(VersionedForm):
    scored_by_text = forms.CharField(label=_("Người chấm, thành phần"), max_length=500,
                                     required=False)
    meeting_on = DayField(label=_("Ngày họp đánh giá"), required=False)
    minutes = forms.CharField(label=_("Biên bản họp (tóm tắt, số biên bản)"), max_length=20_000,
                              required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    status = forms.ChoiceField(label=_("Kết quả thẩm định"), choices=[
        (AssessmentStatus.RECOGNISED, _("Công nhận")),
        (AssessmentStatus.RETURNED, _("Trả lại để chấm lại")),
        (AssessmentStatus.NOT_RECOGNISED, _("Không công nhận"))])
    decision_number = forms.CharField(label=_("Số quyết định công nhận"), max_length=60,
                                      required=False)
    decision_on = DayField(label=_("Ngày quyết định"), required=False)
    reason = forms.CharField(label=_("Lý do (khi trả lại, không công nhận)"), max_length=5_000,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ClassForm(forms.Form):
    commune_class = forms.ChoiceField(label=_("Loại xã"), choices=CommuneClass.choices)
    valid_from = DayField(label=_("Áp dụng từ ngày"), initial=datetime.date(2025, 7, 1))
    basis = forms.CharField(label=_("Căn cứ (quyết định)"), max_length=300, required=False)
