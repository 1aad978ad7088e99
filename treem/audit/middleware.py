import ipaddress
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from treem.audit import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address to record: the peer's, or behind our reverse proxy the one it appended.

    The proxy appends the address it saw to X-Forwarded-For, so only the last entry is
    trustworthy; earlier ones are whatever the client sent, and would let anyone choose the
    address written into the audit trail. An unparsable value is dropped, not stored (an inet
    column would refuse it and abort the write being audited).
    """
    if getattr(settings, "TREEM_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return _valid_ip(forwarded.split(",")[-1])
    return _valid_ip(request.META.get("REMOTE_ADDR") or "")


class RequestContextMiddleware:
    """Gives each request an id (kept from a proxy's X-Request-ID when well-formed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # Cleared on request_finished rather than here, so that Django's own log line about
        # the response (written after the middleware chain returns) still has the id.
        context.activate(context.RequestContext(request_id=request_id, ip=client_ip(request)))
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
