"""Limits every request is held to before a view reads it, and the API's errors in one shape.

- A body larger than Django's DATA_UPLOAD_MAX_MEMORY_SIZE (files apart: they are streamed and
  limited by their own upload) is refused at once with 413, before anything reads it.
- A query string longer than QUERY_MAX bytes is refused with 414 before Django decodes it (a
  megabyte of `?q=` took 1.8 s to decode, before any field's bound could refuse it).
- A page's query string carrying a control character (a NUL, say, which PostgreSQL refuses in
  text), or a posted form carrying a NUL, is refused with 400 and a Vietnamese message. The API
  checks its own parameters and bodies (422).
- An API error Django or ninja answers outside the API's handlers (no such path: 404, no such
  method: 405, an unreadable request: 400, a server error) is rewritten in the API's error
  shape (treem.api_support.ErrorOut), so that every answer under /api/ is JSON.
"""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from treem.api_support import METHOD_NOT_ALLOWED, error_body
from treem.lib.limits import forbidden_character

API_PREFIX = "/api/"
# Longer than any search or filter of treem (a name is 150 characters, a filter a few codes),
# and what nginx's default large_client_header_buffers holds for the whole request line.
QUERY_MAX = 8192
QUERY_TOO_LONG = _("Địa chỉ quá dài (phần sau dấu ? vượt %(limit)s byte): hãy tìm với ít chữ "
                   "hơn.")
CONTROL_IN_QUERY = _("Địa chỉ chứa ký tự điều khiển (như NUL): hãy kiểm tra lại đường dẫn.")
NUL_IN_FORM = _("Nội dung gửi lên chứa ký tự NUL: hãy nhập lại.")
# Headers of the original answer worth keeping on the rewritten one (the rest describe a body
# that is replaced).
_KEEP = ("Allow", "WWW-Authenticate", "Retry-After", "Content-Security-Policy",
         "Permissions-Policy", "X-Frame-Options", "X-Content-Type-Options",
         "Referrer-Policy", "Cross-Origin-Opener-Policy", "Vary", "Cache-Control")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _api_error(status: int, detail: str | None = None) -> HttpResponse:
    return HttpResponse(json.dumps(error_body(status, detail)), status=status,
                        content_type="application/json; charset=utf-8")


def _page_error(status: int, text: str) -> HttpResponse:
    # A page of its own: the site's templates need a request context this early answer
    # has not built yet (no session, no user).
    html = (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{status}'
            f' · treem</title></head><body><h1>{status}</h1><p>{escape(text)}</p></body></html>')
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def _query_has_control(request: HttpRequest) -> bool:
    for key, values in request.GET.lists():
        if forbidden_character(key) is not None:
            return True
        if any(forbidden_character(value, multiline=True) is not None for value in values):
            return True
    return False


def _form_has_nul(request: HttpRequest, view_func: Callable[..., HttpResponse]) -> bool:
    """A NUL in a posted form. Forms refuse it themselves; this also covers the values some
    pages read from the request directly (a reason, a chosen unit), which PostgreSQL would
    refuse to store. Other control characters stay the forms' business: pasted text carries
    some, and they do no harm.

    Read where Django's CSRF check reads the form anyway (a view that is not csrf_exempt), so
    that a view exempt from it may still choose its own upload handlers before the body is
    read."""
    if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
        return False
    return any("\x00" in key or any("\x00" in value for value in values)
               for key, values in request.POST.lists())


class RequestLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refusal(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if _is_api(request):
            return self._in_api_shape(request, response)
        return response

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if len(request.META.get("QUERY_STRING", "")) > QUERY_MAX:
            text = str(QUERY_TOO_LONG) % {"limit": QUERY_MAX}
            return _api_error(414, text) if _is_api(request) else _page_error(414, text)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        multipart = request.content_type == "multipart/form-data"
        if limit is not None and not multipart and _declared_length(request) > limit:
            if _is_api(request):
                return _api_error(413)
            return _page_error(413, error_body(413)["detail"])
        if not _is_api(request) and _query_has_control(request):
            return _page_error(400, str(CONTROL_IN_QUERY))
        return None

    def process_view(self, request: HttpRequest, view_func: Callable[..., HttpResponse],
                     view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        if not _is_api(request) and _form_has_nul(request, view_func):
            return _page_error(400, str(NUL_IN_FORM))
        return None

    def _in_api_shape(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or response.get("Content-Type", "").startswith(
                "application/json"):
            return response
        if response.status_code >= 500 and settings.DEBUG:
            return response  # the traceback, for the developer
        detail = None
        if response.status_code == 405:
            detail = str(METHOD_NOT_ALLOWED) % {"method": request.method}
        rewritten = _api_error(response.status_code, detail)
        for header in _KEEP:
            if header in response:
                rewritten[header] = response[header]
        return rewritten
