from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from treem.registry.importing import reading
from treem.registry.models import ImportJob
from treem.ui import xlsx

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": XLSX_TYPES}),
                           error_messages={"required": _("Hãy chọn tệp Excel để tải lên."),
                                           "empty": _("Tệp rỗng.")})

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = reading.max_bytes()
        # Refused before it is read into memory: the size is known from the upload.
        if upload.size > limit:
            raise ValidationError(xlsx.too_large(limit))
        return upload


class ImportCommitForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportJob.Mode.choices)
