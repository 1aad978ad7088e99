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
# "h", "hen", "nie" and "y". ASCII only, so that PostgreSQL's backfill (`[a-z0-9]+`, the same
# in every collation) cuts a name exactly where Python does.
_WORD = re.compile(r"[a-z0-9]+")
# The longest word prefix kept as a search key. Vietnamese syllables have at most seven
# letters and the names of other ethnic groups a dozen, so every prefix of a real name is
# kept; a longer searched word is matched by its first PREFIX_MAX letters, then against the
# folded name itself (`registry.selectors`). Without a cap a 100,000-letter word made five
# billion characters of keys. Migration 0005's backfill cuts words the same way (its SQL
# repeats both numbers).
PREFIX_MAX = 20
# The words of a text that are read, repeated ones included: a name the register accepts
# (150 characters) has at most 75, so none of a real name's words is left out, and a text of
# a megabyte costs no more than a name.
WORDS_MAX = 80
# A word with only its first PREFIX_MAX letters taken: a word of a megabyte is skipped over
# without being copied.
_WORD_START = re.compile(rf"([a-z0-9]{{1,{PREFIX_MAX}}})[a-z0-9]*")


def search_words(folded: str) -> list[str]:
    """The words of a folded text, in order, each once: those among its first WORDS_MAX."""
    words: dict[str, None] = {}
    for count, match in enumerate(_WORD.finditer(folded)):
        if count == WORDS_MAX:
            break
        words[match.group()] = None
    return list(words)


def word_prefixes(folded: str) -> str:
    """Every prefix of every word of a folded name, up to PREFIX_MAX letters, sorted and
    separated by one space: "nguyen van an" → "a an n ng ngu nguy nguye nguyen v va van".

    A name matches a search when each searched word is one of its prefixes, so that a word
    typed in part ("nguyen van a") already finds the child, through an exact-key index.
    Linear in the length of the text and bounded by WORDS_MAX · PREFIX_MAX keys, whatever
    the text.
    """
    keys: set[str] = set()
    for count, match in enumerate(_WORD_START.finditer(folded)):
        if count == WORDS_MAX:
            break
        start = match.group(1)
        keys.update(start[:end] for end in range(1, len(start) + 1))
    return " ".join(sorted(keys))
