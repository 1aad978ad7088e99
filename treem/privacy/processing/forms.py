"""The forms of the register's pages: an administrator's edit of one activity, and what a
province writes on its impact-assessment dossier (printed, never stored)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.accounts.capabilities import Capability
from treem.geo.models import Unit
from treem.privacy.models import Basis, ProcessingActivity
from treem.ui.forms import NoSilentCut

TEXT = forms.Textarea(attrs={"rows": 3})


class ActivityForm(NoSilentCut):
    purposes = forms.CharField(label=_("Mục đích xử lý"), widget=TEXT, max_length=4000)
    basis = forms.ChoiceField(label=_("Căn cứ xử lý"), choices=Basis.choices)
    basis_articles = forms.CharField(label=_("Điều khoản căn cứ"), widget=TEXT, max_length=4000)
    basic_data = forms.CharField(label=_("Dữ liệu cá nhân cơ bản"), widget=TEXT,
                                 max_length=4000, required=False)
    sensitive_data = forms.CharField(label=_("Dữ liệu cá nhân nhạy cảm"), widget=TEXT,
                                     max_length=4000, required=False)
    capabilities = forms.MultipleChoiceField(
        label=_("Ai được xem (theo quyền của phần mềm)"), widget=forms.CheckboxSelectMultiple,
        choices=[(str(c), str(c)) for c in Capability])
    retention = forms.CharField(label=_("Thời hạn lưu trữ"), widget=TEXT, max_length=4000)
    transfers = forms.CharField(label=_("Chuyển, chia sẻ dữ liệu"), widget=TEXT,
                                max_length=4000, required=False)
    reason = forms.CharField(label=_("Lý do sửa"), max_length=500)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    @classmethod
    def for_activity(cls, activity: ProcessingActivity) -> "ActivityForm":
        return cls(initial={
            "purposes": activity.purposes, "basis": activity.basis,
            "basis_articles": activity.basis_articles, "basic_data": activity.basic_data,
            "sensitive_data": activity.sensitive_data, "capabilities": activity.capabilities,
            "retention": activity.retention, "transfers": activity.transfers,
            "base_version": activity.version})


class DossierForm(NoSilentCut):
    province = forms.ChoiceField(label=_("Tỉnh, thành phố"))
    controller = forms.CharField(
        label=_("Bên kiểm soát dữ liệu"), max_length=200,
        help_text=_("Cơ quan chịu trách nhiệm, ví dụ: Ủy ban nhân dân tỉnh …; Sở Y tế …"))
    address = forms.CharField(label=_("Địa chỉ, điện thoại của cơ quan"), max_length=300)
    officer = forms.CharField(label=_("Người, bộ phận bảo vệ dữ liệu cá nhân"), max_length=200)
    officer_contact = forms.CharField(label=_("Liên hệ của người, bộ phận đó"), max_length=200)
    format = forms.ChoiceField(label=_("Định dạng"), initial="pdf", required=False, choices=[
        ("pdf", _("PDF (để in, nộp)")), ("docx", _("Word (để bổ sung, ký)"))])

    def __init__(self, *args: object, provinces: list[Unit], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(p.code, p.name) for p in provinces]
        self.fields["province"].choices = choices  # type: ignore[attr-defined]
