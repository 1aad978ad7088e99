"""The forms of the population-database pages."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from treem.privacy.models.population import ImportMode
from treem.privacy.population import importing
from treem.privacy.population.lookup import PURPOSE_MIN_LENGTH
from treem.ui import xlsx
from treem.ui.forms import NoSilentCut

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportForm(forms.Form):
    commune = forms.UUIDField(widget=forms.HiddenInput)
    include_unverified = forms.BooleanField(
        label=_("Gửi cả trẻ đã có số định danh đúng dạng nhưng chưa được xác thực"),
        required=False)


class AnswerForm(forms.Form):
    file = forms.FileField(label=_("Tệp kết quả của Công an xã (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": XLSX_TYPES}),
                           error_messages={"required": _("Hãy chọn tệp kết quả (.xlsx) Công an "
                                                         "xã gửi lại để tải lên."),
                                           "empty": _("Tệp rỗng.")})
    mode = forms.ChoiceField(label=_("Cách nhập"), choices=ImportMode.choices,
                             initial=ImportMode.ALL, widget=forms.RadioSelect)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory: the size is known from the upload.
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(xlsx.too_large(importing.MAX_BYTES))
        return upload


class LookupForm(NoSilentCut, forms.Form):
    purpose = forms.CharField(
        label=_("Mục đích tra cứu"), max_length=500, min_length=PURPOSE_MIN_LENGTH,
        help_text=_("Ghi vào nhật ký truy cập cùng lần tra cứu, ví dụ: “Xác minh số định danh "
                    "để làm thẻ BHYT cho trẻ”."),
        error_messages={"required": _("Hãy ghi rõ mục đích tra cứu (ít nhất 10 ký tự)."),
                        "min_length": _("Hãy ghi rõ mục đích tra cứu (ít nhất 10 ký tự).")})
