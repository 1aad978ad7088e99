"""The auditors' forms: filters of the alert list, the decision on an alert, a breach."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.geo.models import Unit
from treem.privacy.alerts import exceptions as exc
from treem.privacy.alerts import selectors
from treem.privacy.alerts.services import COUNT_MAX, NOTE_MAX, TEXT_MAX
from treem.privacy.models import AlertStatus, DataCategory, Rule
from treem.privacy.models.alerts import ALLOWED
from treem.ui.dates import DayField, MomentField

# A count out of range says what the service would (the same message on the page and the API).
COUNT: dict[str, Any] = {"min_value": 0, "max_value": COUNT_MAX, "error_messages": {
    "min_value": exc.COUNT_INVALID, "max_value": exc.COUNT_INVALID,
    "invalid": exc.COUNT_INVALID}}


class AlertFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("Dấu hiệu"), required=False,
                             choices=[("", _("Mọi dấu hiệu")), *Rule.choices])
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Mọi trạng thái")), *AlertStatus.choices])
    subject = forms.CharField(label=_("Tài khoản hoặc địa chỉ IP"), required=False,
                              max_length=150)
    date_from = DayField(label=_("Từ ngày"), required=False)
    date_to = DayField(label=_("Đến ngày"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Kết luận"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every status is accepted here; the service refuses a move its table does not allow,
        # with its own message.
        offered = ALLOWED[current] or tuple(AlertStatus.values)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (value, AlertStatus(value).label) for value in offered]


class BreachForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(),
                                  empty_label=None)
    title = forms.CharField(label=_("Tóm tắt sự việc"), max_length=200)
    description = forms.CharField(label=_("Diễn biến sự việc"), widget=forms.Textarea,
                                  max_length=TEXT_MAX)
    happened_at = MomentField(label=_("Thời điểm xảy ra (nếu biết)"), required=False)
    found_at = MomentField(label=_("Thời điểm phát hiện"))
    children_affected = forms.IntegerField(label=_("Số trẻ em bị ảnh hưởng"), initial=0,
                                           **COUNT)
    others_affected = forms.IntegerField(label=_("Số chủ thể khác bị ảnh hưởng (người chăm "
                                                 "sóc, người báo tin, cán bộ…)"), initial=0,
                                         **COUNT)
    categories = forms.MultipleChoiceField(label=_("Loại dữ liệu bị ảnh hưởng"), required=False,
                                           choices=DataCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    consequences = forms.CharField(label=_("Hậu quả, thiệt hại có thể xảy ra"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX)
    measures = forms.CharField(label=_("Biện pháp đã thực hiện để khắc phục, giảm thiểu"),
                               required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=TEXT_MAX)
    authority_notified_at = MomentField(label=_("Đã thông báo cơ quan chuyên trách lúc"),
                                        required=False)
    authority_reference = forms.CharField(label=_("Số, ký hiệu văn bản thông báo"),
                                          required=False, max_length=100)
    subjects_notified_at = MomentField(label=_("Đã thông báo chủ thể dữ liệu lúc"),
                                       required=False)
    subjects_notice = forms.CharField(label=_("Cách thông báo chủ thể dữ liệu"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      max_length=TEXT_MAX)
    contact = forms.CharField(label=_("Bộ phận, nhân sự bảo vệ dữ liệu cá nhân (họ tên, chức "
                                      "danh, điện thoại, thư điện tử)"),
                              required=False, max_length=200)

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]  # a breach stays with the unit it was recorded for
        else:
            cast(forms.ModelChoiceField, self.fields["unit"]).queryset = \
                selectors.breach_units(user=user)
