"""The installable app: its shell, service worker and manifest (no personal data in any of
them: the data comes from the API once the collaborator has signed in)."""

from django.http import HttpRequest, HttpResponse


def app_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def service_worker_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("", content_type="text/javascript")


def manifest_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("{}", content_type="application/manifest+json")
