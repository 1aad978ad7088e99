"""How a plan's words compare a value with its target, as the plans write them.

Vietnamese plans say "dưới 5%" (below 5: strictly less), "trên 98%" (above 98: strictly
more), "không quá 4,5%" / "không vượt quá" / "tối đa" (at most: ≤) and "ít nhất" / "tối thiểu"
/ "không dưới" / "không ít hơn" (at least: ≥). A 5.0 % value does not meet "dưới 5%"; a 98 %
value does not meet "trên 98%". A target that only says where to get ("đạt 95%", "xuống 8%",
"xuống còn 13/100.000") takes the indicator's own direction, and is reached on the figure itself
(≥ or ≤).

Numbers are written the Vietnamese way: a comma before the decimals ("4,5"), dots between
thousands ("100.000"), and only with the digits 0–9.
"""

import re
from decimal import Decimal

from treem.indicators.models import Direction
from treem.lib.text import fold

# Folded phrases, longest first: "không dưới" (not below: ≥) must win over "dưới" (<),
# "không quá" over nothing, "không vượt quá" over "không quá".
PHRASES: tuple[tuple[str, str], ...] = (
    ("khong vuot qua", Direction.AT_MOST),
    ("dat it nhat", Direction.AT_LEAST),
    ("khong it hon", Direction.AT_LEAST),
    ("khong duoi", Direction.AT_LEAST),
    ("khong tren", Direction.AT_MOST),
    ("khong qua", Direction.AT_MOST),
    ("toi thieu", Direction.AT_LEAST),
    ("it nhat", Direction.AT_LEAST),
    ("toi da", Direction.AT_MOST),
    ("duoi", Direction.BELOW),
    ("tren", Direction.ABOVE),
)
# The plain labels of the directions (as the forms and the template show them) read too.
_LABELS = {fold(str(label)): value for value, label in Direction.choices}
# A Vietnamese number: "4,5", "99,3", "100.000", "550" (ASCII digits only).
_NUMBER = re.compile(r"(?<![0-9.,])([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?(?![0-9])")


def direction_of(text: str) -> str | None:
    """The direction a phrase names ("dưới" → below), or None when it names none."""
    folded = fold(text)
    if folded in _LABELS:
        return _LABELS[folded]
    words = f" {re.sub(r'[^a-z0-9]+', ' ', folded)} "
    for phrase, direction in PHRASES:
        if f" {phrase} " in words:
            return direction
    return None


def number_of(text: str) -> Decimal | None:
    """The first number written in `text` ("dưới 4,5%" → 4.5, "550/100.000" → 550)."""
    found = _NUMBER.search(text)
    if found is None:
        return None
    whole = found[1].replace(".", "")
    return Decimal(f"{whole}.{found[2]}" if found[2] else whole)


def parse_goal(text: str) -> tuple[str | None, Decimal | None]:
    """(direction or None, value) of a target's words: "trên 98%" → (above, 98)."""
    return direction_of(text), number_of(text)


def meets(value: float, goal: float, direction: str) -> bool:
    """Whether `value` reaches `goal` the way `direction` says."""
    if direction == Direction.BELOW:
        return value < goal
    if direction == Direction.ABOVE:
        return value > goal
    if direction == Direction.AT_MOST:
        return value <= goal
    return value >= goal


def lower_is_better(direction: str) -> bool:
    return direction in (Direction.AT_MOST, Direction.BELOW)
