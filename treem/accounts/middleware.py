from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from treem.accounts.permissions import requires_two_factor

# Paths a signed-in but not yet verified user may reach: the second-factor pages themselves.
_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/healthz", "/i18n/")


class TwoFactorRequiredMiddleware:
    """After the password, a staff user reaches nothing but the second-factor pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(_OPEN_PREFIXES)
            and requires_two_factor(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Cần xác thực hai lớp.")}, status=401)
            return redirect("accounts:otp")
        return self.get_response(request)
