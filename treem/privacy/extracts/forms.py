"""The extracts' forms: a request (which unit, why, which fields, which file) and a decision."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Unit
from treem.privacy.extracts.services import PURPOSE_MIN, REASON_MIN
from treem.privacy.models import ExtractField, ExtractFormat


class ExtractRequestForm(forms.Form):
    unit = forms.ChoiceField(label=_("Phạm vi"))
    purpose = forms.CharField(
        label=_("Mục đích sử dụng"), min_length=PURPOSE_MIN, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"min_length": _("Hãy ghi rõ mục đích (ít nhất %(limit_value)d ký tự)."),
                        "required": _("Hãy ghi rõ mục đích sử dụng.")})
    # Not "fields": a form's own attribute.
    columns = forms.MultipleChoiceField(
        label=_("Các trường thêm"), required=False, choices=ExtractField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Luôn có: mã giả danh, mã xã, tháng sinh, giới tính, dân tộc. Không bao giờ "
                    "có: tên, số định danh, ngày sinh đầy đủ."))
    file_format = forms.ChoiceField(label=_("Định dạng"), choices=ExtractFormat.choices)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(unit.public_id): unit for unit in units}
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            (key, unit.name) for key, unit in self.units.items()]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"unit": self.units[data["unit"]], "purpose": data["purpose"],
                "fields": list(data["columns"]), "file_format": data["file_format"]}


class ExtractDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Quyết định"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Duyệt")), ("refuse", _("Không duyệt"))])
    reason = forms.CharField(label=_("Lý do (bắt buộc khi không duyệt)"), required=False,
                             max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Ít nhất %(n)d ký tự khi không duyệt.") % {"n": REASON_MIN})
