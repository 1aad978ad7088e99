from django import forms
from django.utils.translation import gettext_lazy as _


class MergeForm(forms.Form):
    kept = forms.ChoiceField(label=_("Hồ sơ giữ lại"), choices=[("a", "A"), ("b", "B")],
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Hãy chọn hồ sơ giữ lại."),
                                             "invalid_choice": _("Hãy chọn hồ sơ giữ lại.")})
    reason = forms.CharField(label=_("Lý do gộp"), max_length=300,
                             error_messages={"required": _("Hãy ghi lý do gộp hồ sơ."),
                                             "max_length": _("Lý do dài tối đa 300 ký tự.")})


class DismissForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False,
                           error_messages={"max_length": _("Ghi chú dài tối đa 300 ký tự.")})


class UndoForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy gộp"), max_length=300,
                             error_messages={"required": _("Hãy ghi lý do hủy gộp."),
                                             "max_length": _("Lý do dài tối đa 300 ký tự.")})


class ReferenceForm(forms.Form):
    ref = forms.CharField(label=_("Mã gộp"), max_length=12, required=False)
