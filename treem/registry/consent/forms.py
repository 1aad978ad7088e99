"""The consent forms of the child's page: record one (with the signed form), withdraw one."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.registry.consent.models import ConsentPurpose, ConsentRelation
from treem.registry.consent.services import NAME_MAX, NOTE_MAX
from treem.ui import uploads
from treem.ui.forms import DayField, NoSilentCut

ACCEPT = "application/pdf,image/jpeg,image/png"


class ConsentRecordForm(NoSilentCut):
    purpose = forms.ChoiceField(label=_("Mục đích"), choices=ConsentPurpose.choices)
    representative_name = forms.CharField(label=_("Người đại diện theo pháp luật đồng ý"),
                                          max_length=NAME_MAX)
    relation = forms.ChoiceField(label=_("Quan hệ với trẻ"), choices=ConsentRelation.choices)
    # Never ticked by default: silence is not consent (Luật 91/2025/QH15 Điều 9).
    child_agreed = forms.BooleanField(
        label=_("Trẻ cũng đồng ý"), required=False,
        help_text=_("Bắt buộc khi trẻ đủ 7 tuổi vào ngày đồng ý."))
    given_on = DayField(label=_("Ngày đồng ý"))
    form_file = forms.FileField(
        label=_("Bản đồng ý có chữ ký"), help_text=_("PDF, ảnh JPEG hoặc PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    note = forms.CharField(label=_("Ghi chú"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Ids of their own: the caregiver form on the same page has a "relation" too.
        kwargs.setdefault("auto_id", "consent-%s")
        super().__init__(*args, **kwargs)

    def clean_form_file(self) -> Any:
        upload = self.cleaned_data["form_file"]
        if (too_large := uploads.size_refusal(upload.size)) is not None:
            raise forms.ValidationError(too_large)
        return upload


class ConsentWithdrawForm(NoSilentCut):
    withdrawn_on = DayField(label=_("Ngày rút lại"))
    withdrawal_note = forms.CharField(label=_("Ghi chú khi rút lại"), max_length=NOTE_MAX, required=False)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)
