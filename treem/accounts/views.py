import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from treem.accounts import selectors, services
from treem.accounts.exceptions import UNLOCK_DONE, UNLOCK_REQUESTED
from treem.accounts.forms import (
    AssignmentForm,
    LoginForm,
    OtpForm,
    PasswordChangeForm,
    PasswordSetForm,
    TokenForm,
    UnlockRequestForm,
    UserCreateForm,
)
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability, require_capability, requires_two_factor
from treem.audit.middleware import client_ip
from treem.audit.services import read_record
from treem.ui.forms import add_service_errors, error_text


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/"


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_attempt(**form.cleaned_data, address=client_ip(request))
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            auth_login(request, user)
            if requires_two_factor(user):
                # Encoded, so that a next URL with its own query string survives whole.
                return redirect(f"{_otp_url()}?{urlencode({'next': _next_url(request)})}")
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def unlock_request_view(request: HttpRequest) -> HttpResponse:
    """Ask for a one-time unlock link by e-mail; the answer is the same for every name."""
    form = UnlockRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        base = settings.TREEM_SITE_URL or request.build_absolute_uri("/")
        services.unlock_link_request(username=form.cleaned_data["username"], link_base=base)
        messages.info(request, UNLOCK_REQUESTED % {
            "minutes": settings.TREEM_UNLOCK_LINK_MINUTES})
        return redirect("accounts:unlock_request")
    return render(request, "accounts/unlock_request.html", {"form": form})


@sensitive_variables("secret")
def unlock_view(request: HttpRequest, secret: str) -> HttpResponse:
    """The link of the e-mail: a page with a button, so that a mail scanner that opens links
    (a GET) does not spend it; the POST lifts the locks."""
    if request.method == "POST":
        try:
            services.unlock_link_use(secret=secret, address=client_ip(request))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
            return redirect("accounts:unlock_request")
        messages.success(request, UNLOCK_DONE)
        return redirect("accounts:login")
    return render(request, "accounts/unlock_confirm.html")


def _otp_url() -> str:
    return reverse("accounts:otp")


@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: verify a TOTP code, or enrol an authenticator on first use."""
    user = request.user
    if user.is_verified() or not requires_two_factor(user):  # type: ignore[union-attr]
        return redirect("web:home")
    enrolling = not services.has_confirmed_device(user)  # type: ignore[arg-type]
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        try:
            if enrolling:
                device = services.otp_device_confirm(user=user, token=token,  # type: ignore[arg-type]
                                                     address=client_ip(request))
            else:
                device = services.otp_verify(user=user, token=token,  # type: ignore[arg-type]
                                             address=client_ip(request))
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    context: dict = {"form": form, "enrolling": enrolling, "next": _next_url(request)}
    if enrolling:
        device = services.otp_device_start(user=user)  # type: ignore[arg-type]
        context["secret"] = _base32(device.bin_key)
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(request, "accounts/otp.html", context)


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user)  # type: ignore[arg-type]
    auth_logout(request)
    return redirect("accounts:login")


@login_required
@require_POST
def logout_everywhere_view(request: HttpRequest) -> HttpResponse:
    services.logout_everywhere(user=request.user)  # type: ignore[arg-type]
    auth_logout(request)
    messages.success(request, _("Đã đăng xuất khỏi mọi thiết bị."))
    return redirect("accounts:login")


@login_required
def profile_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {
        "assignments": selectors.assignment_list(user=request.user),
        "tokens": selectors.token_list(user=request.user),
        "token_form": TokenForm(),
        "password_form": PasswordChangeForm(),
    })


@login_required
@sensitive_post_parameters()
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user,  # type: ignore[arg-type]
                                     old_password=form.cleaned_data["old_password"],
                                     new_password=form.cleaned_data["new_password"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def token_create_view(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.token_create(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
    return render(request, "accounts/token_create.html", {"form": form, "raw_token": raw})


@login_required
@require_POST
def token_revoke_view(request: AuthedRequest, token_id: str) -> HttpResponse:
    token = selectors.get_token_for_user(user=request.user, token_id=token_id)
    try:
        services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã thu hồi khóa API."))
    return redirect("accounts:profile")


# --- User administration ------------------------------------------------------------------------

@require_capability(Capability.MANAGE_USERS)
def user_list_view(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    page = Paginator(selectors.user_list(user=request.user, q=q), 25).get_page(
        request.GET.get("page"))
    query = urlencode({"q": q}) if q else ""
    return render(request, "accounts/user_list.html", {"page": page, "q": q, "query": query})


@require_capability(Capability.MANAGE_USERS)
@sensitive_post_parameters("password")
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo tài khoản %(username)s.") % {
                "username": user.username})
            return redirect("accounts:user_detail", user_id=user.public_id)
    return render(request, "accounts/user_create.html", {"form": form})


@require_capability(Capability.MANAGE_USERS)
def user_detail_view(request: AuthedRequest, user_id: str) -> HttpResponse:
    user = selectors.get_user_for_user(user=request.user, user_id=user_id)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_add(actor=request.user, user=user, **form.cleaned_data)  # type: ignore[arg-type]
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã giao vai trò."))
            return redirect("accounts:user_detail", user_id=user.public_id)
    # The selector prefetched the roles in the administrator's scope; the event belongs there.
    read_record(actor=request.user, obj=user,
                unit=user.active_assignments[0].unit)  # type: ignore[attr-defined]
    return render(request, "accounts/user_detail.html",
                  {"subject": user, "form": form, "password_form": PasswordSetForm()})


@require_capability(Capability.MANAGE_USERS)
@require_POST
def user_status_view(request: AuthedRequest, user_id: str) -> HttpResponse:
    user = selectors.get_user_for_user(user=request.user, user_id=user_id)
    action = request.POST.get("action")
    try:
        if action == "unlock":
            services.user_unlock(actor=request.user, user=user)  # type: ignore[arg-type]
        elif action == "reset_otp":
            services.user_otp_reset(actor=request.user, user=user)  # type: ignore[arg-type]
        elif action in ("activate", "deactivate"):
            services.user_set_active(actor=request.user, user=user,  # type: ignore[arg-type]
                                     active=action == "activate")
        else:
            raise ValidationError(_("Thao tác không hợp lệ."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã cập nhật tài khoản."))
    return redirect("accounts:user_detail", user_id=user.public_id)


@require_capability(Capability.MANAGE_USERS)
@require_POST
@sensitive_post_parameters("password")
def user_password_view(request: AuthedRequest, user_id: str) -> HttpResponse:
    user = selectors.get_user_for_user(user=request.user, user_id=user_id)
    form = PasswordSetForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Hãy nhập mật khẩu mới."))
        services.user_password_set(actor=request.user, user=user,  # type: ignore[arg-type]
                                   password=form.cleaned_data["password"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã đặt mật khẩu mới; mọi phiên đăng nhập cũ đã kết thúc."))
    return redirect("accounts:user_detail", user_id=user.public_id)


@require_capability(Capability.MANAGE_USERS)
@require_POST
def assignment_revoke_view(request: AuthedRequest, assignment_id: str) -> HttpResponse:
    assignment = selectors.get_assignment_for_user(user=request.user, assignment_id=assignment_id)
    try:
        services.assignment_revoke(actor=request.user, assignment=assignment)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã thu hồi vai trò."))
    return redirect("accounts:user_detail", user_id=assignment.user.public_id)
