"""The retention pages' forms: a rule changed, the list's filter, a reviewer's decision, a
hold placed or lifted."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.privacy.models import DueStatus, RecordKind, RetentionAction, RetentionEvent
from treem.privacy.models.retention import JOB_KINDS
from treem.privacy.retention.services import REASON_MIN

REASON_SHORT = _("Hãy ghi lý do (ít nhất %(limit_value)d ký tự).")


def reason_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=1000, min_length=REASON_MIN,
                           error_messages={"min_length": REASON_SHORT,
                                           "required": REASON_SHORT % {"limit_value": REASON_MIN}},
                           widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(forms.Form):
    counts_from = forms.ChoiceField(label=_("Tính từ"), choices=RetentionEvent.choices)
    years = forms.IntegerField(label=_("Số năm lưu giữ"), min_value=0, max_value=100,
                               error_messages={"invalid": _("Hãy ghi số năm bằng chữ số.")})
    action = forms.ChoiceField(label=_("Xử lý khi hết hạn"), choices=RetentionAction.choices)
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    verified = forms.BooleanField(label=_("Đã đối chiếu với văn bản pháp luật"), required=False)
    active = forms.BooleanField(label=_("Đang áp dụng"), required=False)
    reason = reason_field(_("Lý do thay đổi"))
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    def __init__(self, *args: Any, record_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = JOB_KINDS.get(record_kind, tuple(RetentionEvent.values))
        self.fields["counts_from"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in RetentionEvent.choices if value in allowed]


class DueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), required=False,
                               choices=[("", _("Mọi tình trạng")), *DueStatus.choices])
    kind = forms.ChoiceField(label=_("Loại hồ sơ"), required=False,
                             choices=[("", _("Mọi loại")),
                                      *[(k, RecordKind(k).label) for k in JOB_KINDS]])

    def filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {"status": DueStatus.DUE, "record_kind": ""}
        if not self.is_valid():
            return {"status": DueStatus.DUE, "record_kind": ""}
        return {"status": self.cleaned_data["status"], "record_kind": self.cleaned_data["kind"]}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"), widget=forms.RadioSelect,
        choices=[*RetentionAction.choices, ("hold", _("Tạm giữ theo yêu cầu pháp lý"))])
    reason = reason_field(_("Lý do"))


class HoldForm(forms.Form):
    record = forms.UUIDField(label=_("Mã hồ sơ (trẻ em hoặc vụ việc)"),
                             help_text=_("Mã định danh của hồ sơ trên địa chỉ trang hồ sơ."),
                             error_messages={"invalid": _("Mã hồ sơ không đúng định dạng.")})
    reason = reason_field(_("Lý do tạm giữ"))


class LiftForm(forms.Form):
    reason = reason_field(_("Lý do chấm dứt tạm giữ"))
