"""Forms of the commune's review pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.offline.decisions import MINE, REASON_MAX, THEIRS


class ConflictForm(forms.Form):
    """For each conflicting field: keep the phone's value or the one saved."""

    def __init__(self, *args: Any, conflicts: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in conflicts:
            self.fields[f"field_{row['field']}"] = forms.ChoiceField(
                label=row["label"], widget=forms.RadioSelect,
                choices=[(MINE, _("Giữ giá trị trên máy: «%(v)s»") % {"v": row["mine_text"]}),
                         (THEIRS, _("Giữ giá trị đã lưu: «%(v)s»") % {"v": row["theirs_text"]})])

    def choices(self) -> dict[str, str]:
        return {name.removeprefix("field_"): value for name, value in self.cleaned_data.items()}


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Lý do bỏ qua"), max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))
