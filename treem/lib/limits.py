"""The bounds every input is held to before any work is done on it, the same for the API, the
pages and the commands: days the software can compute with, the length of free text, pages of
a list, and the characters a database will store.

Why bounds at all: PostgreSQL refuses a NUL in text and a page offset past a bigint; a day of
year 1 overflows when moved to a time zone; a 100,000-character name costs seconds of folding
before anyone says it is too long. Every one of these was a server error (500) before.
"""

import datetime
import re

# Days the software computes with (birth dates, receptions, periods, deadlines). Wide enough for
# anyone's birth and any plan; narrow enough that a day ± a few years or a time zone never leaves
# what Python's and the databases' dates can hold.
MIN_DAY = datetime.date(1900, 1, 1)
MAX_DAY = datetime.date(2199, 12, 31)
MIN_YEAR, MAX_YEAR = MIN_DAY.year, MAX_DAY.year

# Free text with no column limit (a case's description, a report's results): generous, finite.
FREE_TEXT_MAX = 10_000
# A search box: a name, a code, a few words.
SEARCH_MAX = 100
# The highest page number a list answers: 100,000 pages of 50 rows is more than any scope holds,
# and the offset stays far inside a bigint.
MAX_PAGE = 100_000
# Items of a list in one request body (rows of figures, items of a plan, forms of abuse).
LIST_MAX = 200

# C0 and C1 control characters and lone surrogates (which no UTF-8 text can carry, so a database
# refuses them). Free text may keep its line breaks and tabs.
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def forbidden_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character `text` may not contain (a control character, a lone surrogate),
    else None. Line breaks and tabs are allowed when `multiline`."""
    found = (_NOT_IN_TEXT if multiline else _NOT_IN_A_LINE).search(text)
    return found.group() if found else None


def day_in_range(day: datetime.date) -> bool:
    return MIN_DAY <= day <= MAX_DAY
