from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from treem.accounts.selectors import assignment_list
from treem.geo.selectors import level_counts, unit_roots


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {
        "assignments": assignment_list(user=request.user).order_by("unit__path"),
        "roots": unit_roots(user=request.user),
        "counts": level_counts(user=request.user),
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
