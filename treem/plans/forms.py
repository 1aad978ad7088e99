"""The filter of the plan list, read from its query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.edits.forms import VersionedForm
from treem.plans.models import PlanStatus, ProgressStatus
from treem.plans.selectors import PlanFilters


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo số, tên kế hoạch"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Tình trạng"), required=False,
                               choices=[("", _("Mọi tình trạng")), *PlanStatus.choices])
    year = forms.IntegerField(label=_("Năm thực hiện"), required=False, min_value=2000,
                              max_value=2100, error_messages={
                                  "invalid": _("Hãy ghi năm bằng chữ số, ví dụ 2026.")})

    def filters(self) -> PlanFilters:
        """The filters the valid fields give (a bad field is left out, with its message)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return PlanFilters(q=data.get("q") or "", status=data.get("status") or "",
                           year=data.get("year"))


class ProgressForm(forms.Form):
    """A report of what an agency did of a task in a period."""

    status = forms.ChoiceField(label=_("Tình trạng"), choices=ProgressStatus.choices)
    percent_done = forms.IntegerField(
        label=_("Tỷ lệ hoàn thành (%)"), min_value=0, max_value=100,
        error_messages={"invalid": _("Hãy ghi tỷ lệ bằng chữ số, từ 0 đến 100."),
                        # Django formats these with the limit: "%%" is a percent sign.
                        "min_value": _("Tỷ lệ hoàn thành từ 0 đến 100%%."),
                        "max_value": _("Tỷ lệ hoàn thành từ 0 đến 100%%."),
                        "required": _("Hãy ghi tỷ lệ hoàn thành.")})
    done_text = forms.CharField(label=_("Kết quả thực hiện"), required=False, max_length=10_000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    difficulties = forms.CharField(label=_("Khó khăn, vướng mắc"), required=False,
                                   max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressEditForm(VersionedForm, ProgressForm):
    """An agency's report as read at its version (`treem.edits.forms`)."""
