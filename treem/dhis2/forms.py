from django import forms
from django.utils.translation import gettext_lazy as _

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
    period = forms.CharField(label=_("Kỳ"), max_length=8,
                             help_text=_("Ví dụ 2026S1 (6 tháng đầu năm), 2026 (cả năm)."),
                             error_messages={"required": _("Hãy ghi kỳ.")})
    partial = forms.BooleanField(label=_("Bỏ qua giá trị chưa ánh xạ (ghi số lượng bị bỏ qua)"),
                                 required=False)
