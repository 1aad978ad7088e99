"""Carrying a service's refusal back to the user: onto the form that fed it, or as one line
for a message."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from treem.lib.limits import FREE_TEXT_MAX
from treem.ui.dates import DAY_OUT_OF_RANGE, DAY_RANGE, MOMENT_RANGE, DayField, MomentField

__all__ = ["DAY_OUT_OF_RANGE", "DAY_RANGE", "MOMENT_RANGE", "TEXT_MAX", "TOO_LONG", "DayField",
           "MomentField", "NoSilentCut", "add_service_errors", "attempt", "error_text",
           "form_errors_text"]

T = TypeVar("T")

# The bounds of every form (treem.lib.limits), as the API holds its input to them: a day the
# software can compute with, free text of a generous but finite length.
TEXT_MAX = FREE_TEXT_MAX
PASSWORD_MAX = 256

TOO_LONG = _("Quá dài: tối đa %(limit_value)d ký tự, bạn đã nhập %(show_value)d. Hãy viết "
              "ngắn lại; không có gì bị cắt bớt.")


class NoSilentCut(forms.Form):
    """Text longer than a field holds is refused with the limit, never cut.

    A `maxlength` on an input makes the browser drop what is typed past it, without a word:
    a commune's name typed into the 5-character code box became its first 5 letters, a long
    description lost its end. The limit is the server's, with a message saying it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.widget.attrs.pop("maxlength", None)
                field.validators = [
                    MaxLengthValidator(field.max_length, message=TOO_LONG)
                    if isinstance(v, MaxLengthValidator) else v for v in field.validators]


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
