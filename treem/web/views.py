from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from treem.accounts.http import AuthedRequest
from treem.accounts.selectors import assignment_list
from treem.api_support import MALFORMED_UPLOAD
from treem.geo.selectors import level_counts, unit_roots
from treem.web.home import home_for


@login_required
def home_view(request: AuthedRequest) -> HttpResponse:
    now = timezone.now()
    user = request.user
    return render(request, "web/home.html", {
        "assignments": assignment_list(user=user).order_by("unit__path"),
        "roots": unit_roots(user=user),
        "counts": level_counts(user=user),
        "now": now,
        "home": home_for(user, now),
    })


@never_cache
def healthz_view(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers; reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


BAD_REQUEST = gettext_lazy("Yêu cầu không hợp lệ. Hãy tải lại trang rồi thử lại.")


def bad_request_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 in Vietnamese, with the page's shell. A form with a file whose multipart
    body cannot be parsed (no boundary) fails in the CSRF check, before any view: this is where
    the upload pages answer it."""
    message = MALFORMED_UPLOAD if isinstance(exception, MultiPartParserError) else BAD_REQUEST
    return render(request, "400.html", {"message": message}, status=400)
