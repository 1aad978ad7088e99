"""The forms of the requests' pages. The services check everything again; their refusals come
back onto the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.accounts.roles import Role
from treem.privacy.models import (
    AnswerChannel,
    Decision,
    IdentityCheck,
    RefusalGround,
    Requester,
    RequestKind,
)
from treem.privacy.requests.services import CORRECTABLE
from treem.registry.choices import Sex
from treem.registry.models import Child, Ethnicity
from treem.ui.forms import DayField, NoSilentCut

TEXT = forms.Textarea(attrs={"rows": 3})


class ReceiveForm(NoSilentCut):
    kind = forms.ChoiceField(label=_("Yêu cầu"), choices=RequestKind.choices)
    details = forms.CharField(label=_("Nội dung yêu cầu"), widget=TEXT, max_length=2000,
                              required=False,
                              help_text=_("Với yêu cầu chỉnh sửa: dữ liệu nào sai, sửa thế nào."))
    requester_name = forms.CharField(label=_("Họ tên người yêu cầu"), max_length=150)
    requester = forms.ChoiceField(label=_("Quan hệ với trẻ"), choices=Requester.choices)
    requester_contact = forms.CharField(label=_("Cách liên hệ (địa chỉ, điện thoại)"),
                                        max_length=200, required=False)
    identity_check = forms.ChoiceField(label=_("Giấy tờ đã kiểm tra"),
                                       choices=IdentityCheck.choices,
                                       help_text=_("Ghi loại giấy tờ, không ghi số."))
    identity_note = forms.CharField(label=_("Ghi chú kiểm tra"), max_length=300, required=False)
    received_on = DayField(label=_("Ngày nhận"))


class FirstReplyForm(forms.Form):
    replied_on = DayField(label=_("Ngày phản hồi"))


class ExtendForm(NoSilentCut):
    extension_reason = forms.CharField(label=_("Lý do gia hạn (gửi người yêu cầu)"), widget=TEXT,
                                       max_length=2000)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)


FIELD_LABELS = {
    "full_name": _("Họ và tên"), "birth_date": _("Ngày sinh"), "sex": _("Giới tính"),
    "personal_id": _("Số định danh cá nhân"), "ethnicity": _("Dân tộc"),
}


class CorrectionForm(NoSilentCut):
    field = forms.ChoiceField(label=_("Dữ liệu cần sửa"),
                              choices=[(name, FIELD_LABELS[name]) for name in CORRECTABLE])
    text = forms.CharField(label=_("Giá trị đúng"), max_length=150, required=False,
                           help_text=_("Họ tên, số định danh (12 chữ số)."))
    day = DayField(label=_("Ngày sinh đúng"), required=False)
    sex = forms.ChoiceField(label=_("Giới tính đúng"), choices=[("", "—"), *Sex.choices],
                            required=False)
    ethnicity = forms.ModelChoiceField(label=_("Dân tộc đúng"), required=False,
                                       queryset=Ethnicity.objects.order_by("name"))
    child_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    def value(self) -> object:
        """The new value for the chosen field, from the input that carries it."""
        field = self.cleaned_data["field"]
        if field == "birth_date":
            return self.cleaned_data.get("day")
        if field == "sex":
            return self.cleaned_data.get("sex")
        if field == "ethnicity":
            return self.cleaned_data.get("ethnicity")
        return self.cleaned_data.get("text") or ""

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("field") and self.value() in (None, ""):
            self.add_error(None, _("Hãy nhập giá trị đúng của dữ liệu cần sửa."))
        return data

    @classmethod
    def for_child(cls, child: Child) -> "CorrectionForm":
        return cls(initial={"child_version": child.version})


class DecideForm(NoSilentCut):
    decision = forms.ChoiceField(label=_("Quyết định"), choices=Decision.choices)
    refusal_ground = forms.ChoiceField(label=_("Căn cứ từ chối"), required=False,
                                       choices=[("", "—"), *RefusalGround.choices])
    decision_reason = forms.CharField(label=_("Lý do (người yêu cầu sẽ được đọc)"), widget=TEXT,
                                      max_length=2000, required=False)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)


class AnswerForm(NoSilentCut):
    answered_on = DayField(label=_("Ngày trả lời"))
    answer_channel = forms.ChoiceField(label=_("Cách trả lời"), choices=AnswerChannel.choices)
    answer_note = forms.CharField(label=_("Nội dung trả lời"), widget=TEXT, max_length=4000)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)


class ExportForm(forms.Form):
    """Which of the child's cases the requester may know of: none unless the officer ticks it
    (the requester may be the person who harmed the child)."""

    cases = forms.MultipleChoiceField(label=_("Hồ sơ bảo vệ trẻ em người yêu cầu được biết"),
                                      required=False, widget=forms.CheckboxSelectMultiple)
    format = forms.ChoiceField(label=_("Định dạng"), choices=[("pdf", "PDF"), ("json", "JSON")])

    def __init__(self, *args: object, case_choices: list[tuple[str, str]], **kwargs: object
                 ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["cases"].choices = case_choices  # type: ignore[attr-defined]


class RestrictForm(NoSilentCut):
    """Who may still read the child's record once its processing is restricted."""

    roles = forms.MultipleChoiceField(
        label=_("Vai trò còn được xem hồ sơ của trẻ"), choices=Role.choices,
        widget=forms.CheckboxSelectMultiple, initial=[Role.COMMUNE_OFFICER],
        help_text=_("Mọi người khác không thấy trẻ trong danh sách, tìm kiếm, bản xuất và "
                    "trang hồ sơ."))
    reason = forms.CharField(label=_("Lý do hạn chế"), widget=TEXT, max_length=1000)


class LiftForm(NoSilentCut):
    lift_reason = forms.CharField(label=_("Lý do bỏ hạn chế"), widget=TEXT, max_length=1000)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi hiểu: họ tên, số định danh của trẻ, người chăm sóc và ghi chú bị xóa, "
                "không khôi phục được; các số liệu thống kê được giữ."))


class WithdrawConsentsForm(forms.Form):
    consents = forms.MultipleChoiceField(label=_("Sự đồng ý được rút lại"),
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, consent_choices: list[tuple[str, str]],
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["consents"].choices = consent_choices  # type: ignore[attr-defined]
