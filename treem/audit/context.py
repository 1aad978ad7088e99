"""Who is asking, from where: set once per request, read by the audit service and the logs."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None


_current: ContextVar[RequestContext | None] = ContextVar("treem_request_context", default=None)


def current() -> RequestContext | None:
    return _current.get()


def activate(context: RequestContext) -> object:
    return _current.set(context)


def clear(**kwargs: object) -> None:
    """Forget the request's context once its response is closed (after Django logged it)."""
    _current.set(None)
