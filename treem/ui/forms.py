"""Carrying a service's refusal back to the user: onto the form that fed it, or as one line
for a message."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from treem.lib.limits import FREE_TEXT_MAX
from treem.ui.dates import DAY_OUT_OF_RANGE, DAY_RANGE, MOMENT_RANGE, DayField, MomentField

__all__ = ["DAY_OUT_OF_RANGE", "DAY_RANGE", "MOMENT_RANGE", "TEXT_MAX", "DayField", "MomentField",
           "add_service_errors", "attempt", "error_text", "form_errors_text"]

T = TypeVar("T")

# The bounds of every form (treem.lib.limits), as the API holds its input to them: a day the
# software can compute with, free text of a generous but finite length.
TEXT_MAX = FREE_TEXT_MAX
PASSWORD_MAX = 256


def add_service_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal on the form: each message at its field, a refusal of scope
    (PermissionDenied: the actor may not act there) above the form."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError | PermissionDenied) -> str:
    """A service's refusal as one line (a PermissionDenied carries its message as text)."""
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def form_errors_text(form: forms.Form) -> str:
    """Every error of a form, for a message when the form is not shown again."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def attempt(request: Any, action: Callable[[], T], success: str) -> T | None:
    """Run a service for a page: its refusal becomes an error message (nothing was written),
    its success the `success` message. Returns what the service returned, or None."""
    from django.contrib import messages

    try:
        result = action()
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return None
    messages.success(request, success)
    return result
