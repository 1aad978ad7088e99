"""The forms of the plan pages: the list's filter, a plan, a task, an agency, its focal points and
the progress reports."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.edits.forms import VersionedForm
from treem.geo.models import Unit
from treem.plans.models import Agency, AgencyKind, Plan, PlanStatus, ProgressStatus, TimeFrame
from treem.plans.selectors import PlanFilters
from treem.plans.task_import import MAX_BYTES
from treem.ui import xlsx
from treem.ui.dates import DayField


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


def _years() -> list[tuple[int, int]]:
    return [(year, year) for year in range(2015, 2041)]


class PlanCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị ban hành"), queryset=Unit.objects.none(),
                                  to_field_name="public_id", empty_label=None,
                                  error_messages={"invalid_choice": _("Hãy chọn đơn vị.")})
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=500)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False,
                             help_text=_("Ví dụ 256/KH-UBND; để trống khi chưa có số."))
    issued_on = DayField(label=_("Ngày ban hành"), required=False)
    start_year = forms.TypedChoiceField(label=_("Từ năm"), coerce=int, choices=_years)
    end_year = forms.TypedChoiceField(label=_("Đến năm"), coerce=int, choices=_years)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=PlanStatus.choices,
                               initial=PlanStatus.IN_FORCE)
    implements = forms.ModelChoiceField(label=_("Thực hiện kế hoạch của cấp trên"),
                                        queryset=Plan.objects.none(), required=False,
                                        to_field_name="public_id")
    legal_basis = forms.CharField(label=_("Căn cứ"), required=False, max_length=20_000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["implements"].queryset = plans  # type: ignore[attr-defined]


class TaskCreateForm(forms.Form):
    section = forms.CharField(label=_("Mục"), max_length=30,
                              help_text=_("Số mục trong văn bản, ví dụ III.2."))
    text = forms.CharField(label=_("Nội dung nhiệm vụ"), max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    lead = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Agency.objects.none(),
                                  to_field_name="public_id",
                                  error_messages={"required": _("Hãy chọn cơ quan chủ trì nhiệm "
                                                                "vụ.")})
    cooperating = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"), queryset=Agency.objects.none(), required=False,
        to_field_name="public_id", widget=forms.CheckboxSelectMultiple)
    time_frame = forms.ChoiceField(label=_("Thời gian"), choices=TimeFrame.choices,
                                   initial=TimeFrame.YEARLY)
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None,
                                  choices=lambda: [("", "—"), *_years()])
    quarter = forms.TypedChoiceField(label=_("Quý"), coerce=int, required=False,
                                     empty_value=None,
                                     choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"),
                                              (4, "IV")])
    month = forms.TypedChoiceField(label=_("Tháng"), coerce=int, required=False,
                                   empty_value=None,
                                   choices=[("", "—"), *[(m, m) for m in range(1, 13)]])
    start_date = DayField(label=_("Từ ngày"), required=False)
    end_date = DayField(label=_("Đến ngày, hạn hoàn thành"), required=False)
    time_text = forms.CharField(label=_("Thời gian (như văn bản ghi)"), max_length=200,
                                required=False)
    report_to = forms.ModelChoiceField(label=_("Báo cáo kết quả về"),
                                       queryset=Agency.objects.none(), required=False,
                                       to_field_name="public_id")
    expected_output = forms.CharField(label=_("Sản phẩm dự kiến"), max_length=5_000,
                                      required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead", "cooperating", "report_to"):
            self.fields[name].queryset = agencies  # type: ignore[attr-defined]


class AgencyCreateForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ quan"), max_length=200)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=AgencyKind.choices)


class FocalPointForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Đầu mối báo cáo"), queryset=User.objects.none(),
                                  to_field_name="username",
                                  error_messages={"invalid_choice": _("Hãy chọn người.")})

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=PlanStatus.choices)
    replaced_by = forms.ModelChoiceField(label=_("Được thay thế bởi"), required=False,
                                         queryset=Plan.objects.none(),
                                         to_field_name="public_id")

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = plans  # type: ignore[attr-defined]


class PlanEditForm(VersionedForm):
    """A plan's texts and years as read at its version (`services.plan_update`)."""

    title = forms.CharField(label=_("Tên kế hoạch"), max_length=500)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False,
                             help_text=_("Ví dụ 256/KH-UBND; để trống khi chưa có số."))
    issued_on = DayField(label=_("Ngày ban hành"), required=False)
    issuer_name = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    start_year = forms.TypedChoiceField(label=_("Từ năm"), coerce=int, choices=_years)
    end_year = forms.TypedChoiceField(label=_("Đến năm"), coerce=int, choices=_years)
    implements = forms.ModelChoiceField(label=_("Thực hiện kế hoạch của cấp trên"),
                                        queryset=Plan.objects.none(), required=False,
                                        to_field_name="public_id")
    legal_basis = forms.CharField(label=_("Căn cứ"), required=False, max_length=20_000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["implements"].queryset = plans  # type: ignore[attr-defined]


# The metaclass takes TaskCreateForm's field `text` out of the class: VersionedForm.text (a
# method) is not shadowed at run time, whatever mypy reads in the declarations.
class TaskEditForm(VersionedForm, TaskCreateForm):  # type: ignore[misc]
    """A task as read at its version (`services.task_update`), with the heading it sits under
    and when its report is due, as the plan writes them."""

    heading = forms.CharField(label=_("Thuộc phần"), max_length=2_000, required=False)
    report_due_text = forms.CharField(label=_("Hạn báo cáo (như văn bản ghi)"), max_length=200,
                                      required=False)

    field_order = ("section", "heading", "text", "lead", "cooperating", "time_frame", "year",
                   "quarter", "month", "start_date", "end_date", "time_text", "report_to",
                   "report_due_text", "expected_output")


XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TaskImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) theo mẫu"),
                           widget=forms.ClearableFileInput(attrs={"accept": XLSX_TYPES}),
                           error_messages={"required": _("Hãy chọn tệp Excel để tải lên."),
                                           "empty": _("Tệp rỗng.")})

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory: the size is known from the upload.
        if upload.size > MAX_BYTES:
            raise ValidationError(xlsx.too_large(MAX_BYTES))
        return upload

