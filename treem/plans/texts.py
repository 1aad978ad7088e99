"""The plans' free texts as stored: normalised (NFC, one space; long texts keep their line
breaks) and held to their limits, every field checked before any error is raised."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

LONG = 500  # above this limit a text is prose: its lines are kept


def clean(values: Mapping[str, Any], limits: Mapping[str, int], too_long: Any
          ) -> dict[str, str]:
    """Each of `values` cleaned, or ValidationError {field: too_long % {"n": limit}}."""
    from treem.lib.text import normalize

    errors: dict[str, Any] = {}
    cleaned: dict[str, str] = {}
    for name, value in values.items():
        text = str(value or "")
        limit = limits[name]
        if len(text) > 3 * limit:  # decomposed letters take up to three code points
            errors[name] = too_long % {"n": limit}
            continue
        text = ("\n".join(normalize(line) for line in text.splitlines()).strip()
                if limit > LONG else normalize(text))
        if len(text) > limit:
            errors[name] = too_long % {"n": limit}
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    return cleaned
