"""Checks of the capability map (`capabilities.py`): whether a user holds a capability, the
second factor staff roles need, and the view decorator that gates a page."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from treem.accounts.capabilities import Capability, roles_with


def has_capability(user: Any, capability: str) -> bool:
    """Whether one of the user's roles grants `capability` (an anonymous visitor has none)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.active_roles() & roles_with(capability))


def requires_two_factor(user: Any) -> bool:
    """Staff roles need a second factor; a user whose every role is exempt does not."""
    roles = user.active_roles() if getattr(user, "is_authenticated", False) else set()
    exempt = set(settings.TREEM_TWO_FACTOR_EXEMPT_ROLES)
    return not roles or not roles <= exempt


def require_capability(capability: Capability) -> Callable:
    """View decorator: log in first, then 403 unless one of the user's roles grants it."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator
