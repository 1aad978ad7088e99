"""Vietnamese text folding for accent-insensitive search.

"Nguyễn Văn Ánh", "nguyen van anh" and the NFD spelling of the first all fold to
"nguyen van anh". The folded form is stored beside the original so that a search is an
index-backed comparison in the database, the same on SQLite and PostgreSQL.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not a d with a combining mark: NFD does not decompose them.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def normalize(text: str) -> str:
    """NFC form with runs of white space folded to one space, as stored for display."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case, unaccented, single-spaced form of `text` used for search."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
