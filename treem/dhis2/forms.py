from django import forms
from django.utils.translation import gettext_lazy as _

from treem.ui.figure_pickers import PeriodPickerField

MAX_BYTES = 5 * 1024 * 1024  # a province's table is a few thousand rows


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel bảng ánh xạ (.xlsx)"),
                           error_messages={"required": _("Hãy chọn tệp Excel.")})

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá 5 MB."))
        return upload


class ExportForm(forms.Form):
    period = PeriodPickerField(required=True, error_messages={"required": _("Hãy chọn kỳ.")})
    partial = forms.BooleanField(label=_("Bỏ qua giá trị chưa ánh xạ (ghi số lượng bị bỏ qua)"),
                                 required=False)
