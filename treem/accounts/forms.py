from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from treem.accounts.exceptions import TOKEN_DAYS_RANGE
from treem.accounts.roles import Role, Sector
from treem.geo.models import Unit
from treem.ui.forms import PASSWORD_MAX


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username",
                                                             "autocapitalize": "none"}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False, max_length=PASSWORD_MAX,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class UnlockRequestForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username",
                                                             "autocapitalize": "none"}))


class OtpForm(forms.Form):
    token = forms.RegexField(
        label=_("Mã xác thực (6 chữ số)"), regex=r"^\s*\d{6}\s*$", max_length=16,
        error_messages={"invalid": _("Mã xác thực gồm 6 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "maxlength": "7"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Mật khẩu hiện tại"), strip=False,
                                   max_length=PASSWORD_MAX,
                                   widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("Mật khẩu mới"), strip=False,
                                   max_length=PASSWORD_MAX,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password_again = forms.CharField(label=_("Nhập lại mật khẩu mới"), strip=False,
                                         max_length=PASSWORD_MAX,
                                         widget=forms.PasswordInput)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("Hai mật khẩu mới không khớp."))
        return data


# The service's own message, translated when shown (Django's default reads "Đảm bảo giá trị
# này là nhỏ hơn hoặc bằng với 90 .").
_days_range = lazy(
    lambda: str(TOKEN_DAYS_RANGE) % {"max": settings.TREEM_API_TOKEN_MAX_DAYS}, str)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=100)
    days = forms.IntegerField(
        label=_("Thời hạn (ngày)"), min_value=1, initial=30,
        max_value=settings.TREEM_API_TOKEN_MAX_DAYS,
        error_messages={"min_value": _days_range(), "max_value": _days_range()})


class UnitCodeField(forms.CharField):
    """A current unit chosen by its official code (villages: "<commune code>-<nnn>")."""

    def clean(self, value: str) -> Unit:  # type: ignore[override]
        code = super().clean(value).strip()
        unit = Unit.objects.current().filter(code=code).exclude(level="nation").order_by(
            "level").first()
        if unit is None:
            raise forms.ValidationError(_("Không có đơn vị hiện hành nào mang mã “%(code)s”."),
                                        params={"code": code})
        return unit


class AssignmentForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    unit = UnitCodeField(label=_("Mã đơn vị"), max_length=16,
                         help_text=_("Mã đơn vị hành chính, ví dụ 04 (tỉnh) hoặc 01273 (xã)."))
    sector = forms.ChoiceField(label=_("Ngành (đầu mối ngành)"),
                               choices=[("", "—")] + list(Sector.choices), required=False)


class PasswordSetForm(forms.Form):
    password = forms.CharField(label=_("Mật khẩu mới"), strip=False, max_length=PASSWORD_MAX,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class UserCreateForm(AssignmentForm):
    username = forms.RegexField(
        label=_("Tên đăng nhập"), max_length=150, regex=r"^[A-Za-z0-9._-]{3,150}$",
        error_messages={"invalid": _("Tên đăng nhập gồm 3–150 chữ cái không dấu, số, . _ -")},
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.RegexField(label=_("Số điện thoại"), regex=r"^\+?[0-9 .]{8,20}$", max_length=20,
                             required=False,
                             error_messages={"invalid": _("Số điện thoại không hợp lệ.")})
    password = forms.CharField(label=_("Mật khẩu ban đầu"), strip=False,
                               max_length=PASSWORD_MAX,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    field_order = ["username", "full_name", "email", "phone", "password", "role", "unit", "sector"]
