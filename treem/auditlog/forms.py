from django import forms
from django.utils.translation import gettext_lazy as _

from treem.audit.models import Action
from treem.ui.forms import DayField


class EventFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Thao tác"), required=False,
                               choices=[("", _("Mọi thao tác"))] + list(Action.choices))
    username = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Loại đối tượng"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Mã đối tượng"), required=False, max_length=64)
    date_from = DayField(label=_("Từ ngày"), required=False)
    date_to = DayField(label=_("Đến ngày"), required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data
