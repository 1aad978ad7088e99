from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Scripts only from our own static files (no inline script, no eval), nothing from elsewhere.
# Inline styles stay allowed: the API's Swagger UI sets some, and styles cannot run code.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class VietnameseFirstMiddleware:
    """The interface is Vietnamese unless the user picked another language in the menu.

    Many officers' phones are set to English; Accept-Language would otherwise switch a
    Vietnamese government service to English without anyone asking for it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class HtmxRedirectMiddleware:
    """A redirect answering an htmx request (an expired session sent to the login page, say)
    becomes a full-page navigation, instead of a login form swapped into a search result."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("HX-Request") == "true" and response.status_code in (301, 302):
            navigation = HttpResponse(status=204)
            navigation["HX-Redirect"] = response["Location"]
            return navigation
        return response
