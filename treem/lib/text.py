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


# Words are runs of ASCII letters and digits of the folded text: "h'hen nie-y" has the words
# "h", "hen", "nie" and "y". ASCII only, so that PostgreSQL's backfill (`[^a-z0-9]+`, the same
# in every collation) cuts a name exactly where Python does.
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def search_words(folded: str) -> list[str]:
    """The words of a folded text, in order, each once."""
    return list(dict.fromkeys(word for word in _NOT_WORD.split(folded) if word))


def word_prefixes(folded: str) -> str:
    """Every prefix of every word of a folded name, sorted and separated by one space:
    "nguyen van an" → "a an n ng ngu nguy nguye nguyen v va van".

    A name matches a search when each searched word is one of its prefixes, so that a word
    typed in part ("nguyen van a") already finds the child, through an exact-key index.
    """
    return " ".join(sorted({word[:end] for word in search_words(folded)
                            for end in range(1, len(word) + 1)}))
