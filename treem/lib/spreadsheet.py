"""Values safe to put in a spreadsheet cell.

A cell whose text starts with "=", "+", "-", "@", a tab or a carriage return is read as a
formula by Excel and LibreOffice (CSV/formula injection, OWASP): a child's name typed as
'=HYPERLINK("http://…")' would run when an officer opens the export. Such text is prefixed
with an apostrophe, which spreadsheets show as plain text.
"""

import datetime
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    if isinstance(value, (int, float, datetime.date)) or value is None:
        return value
    return value if isinstance(value, str) else str(value)
