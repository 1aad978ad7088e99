"""Candidate pairs: records sharing at least one blocking key.

Comparing every pair of a million records is 5·10¹¹ comparisons; comparing the records that
share a key is a few million. Each rule below catches the duplicates another misses:

- same birth date (day and month in either order), commune and sex: typos anywhere in the
  name, missing accents, another village of the commune (a record of an old commune counts
  in the commune it became in July 2025);
- same birth date, sex and given name within one typo or spelt as it sounds (a "deletion
  neighbourhood": each given name also stands for itself with any one letter left out, and
  two names one typo apart share at least one of these forms; and its Vietnamese sound,
  `sound`): the child recorded again in another commune;
- same folded full name and month of birth: a wrong day of birth;
- same personal identification number;
- same household and birth year: a child entered twice by the same family's record;
- same family name, given name (as it sounds), sex, day and month of birth, the years one
  apart: a year of birth one off, anywhere in the province;
- a date known only to the year (or month): paired with the children of that year (month),
  sex, family name and given name (as it sounds) of the same commune;
- a caregiver of the same name, the same family name and sex, born the same year or one
  apart: a nickname instead of the given name, a year of birth unknown or one off, a move;
- the same commune, sex, day and month of birth, the years one apart, and the name with one
  word left out (each record stands for each of these forms): a year one off together with a
  typo in any word of the name or a home name for the given name, which the rule of the year
  one off (same family and given name) misses.

A rule is symmetric (records sharing a key are paired) or one-sided (a record's "left" keys
meet the others' "right" keys: a year with the next one, a rough date with every date of its
year): one-sided rules pair only what they are meant for, not every namesake of a block.

A block larger than MAX_BLOCK (a very common name in one year) is compared only within windows of
its members ordered by name, so that one block cannot make the run quadratic.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from treem.lib.collector import collector_paused
from treem.registry.dedup.records import Records

MAX_BLOCK = 200

# Spellings of one sound (dialects, and the spelling rules of Vietnamese): how a misspelt given
# name is recognised, "Trang"/"Chang", "Giang"/"Dang", "Linh"/"Lin", "Vy"/"Vi".
_SOUND_INITIALS = (("ngh", "ng"), ("gh", "g"), ("gi", "d"), ("tr", "ch"), ("qu", "kw"),
                   ("k", "c"), ("r", "d"), ("x", "s"), ("l", "n"), ("v", "d"))
_SOUND_FINALS = (("nh", "n"), ("ng", "n"), ("ch", "t"), ("c", "t"))


def birth_key(yyyymmdd: int) -> int:
    """The date with day and month in ascending order: 05/03 and 03/05 share a key."""
    year, rest = divmod(yyyymmdd, 10_000)
    month, day = divmod(rest, 100)
    low, high = min(month, day), max(month, day)
    return year * 10_000 + low * 100 + high


def given_name(folded: str) -> str:
    return folded.rsplit(" ", 1)[-1]


def family_name(folded: str) -> str:
    return folded.split(" ", 1)[0]


def sound(word: str) -> str:
    """A folded given name as it sounds: the letters that one dialect or another pronounces
    alike made one ("trang", "chang" → "chan"; "giang", "dang" → "dan"; "vy", "vi" → "di")."""
    word = word.replace("y", "i")
    for spelt, said in _SOUND_INITIALS:
        if word.startswith(spelt):
            word = said + word[len(spelt):]
            break
    for spelt, said in _SOUND_FINALS:
        if word.endswith(spelt) and len(word) > len(spelt):
            word = word[:-len(spelt)] + said
            break
    return word


def deletions(word: str) -> set[str]:
    """The word and the word with any one letter left out, but never a single letter: "an"
    and "anh" share "an", while the one-letter forms of short given names would put most of
    the children born on a day into one block."""
    if len(word) <= 2:
        return {word}
    return {word} | {word[:k] + word[k + 1:] for k in range(len(word))}


@dataclass(frozen=True)
class _Columns:
    """What the rules read of each record, computed once."""

    births: list[int]        # day and month in either order
    years: list[int]
    months: list[int]        # yyyymm
    days: list[int]          # mmdd
    families: list[str]
    givens: list[str]
    sounds: list[str]


def _columns(records: Records) -> _Columns:
    givens = [given_name(n) for n in records.names]
    sounds = {g: sound(g) for g in set(givens)}
    return _Columns(
        births=[birth_key(b) for b in records.births],
        years=[b // 10_000 for b in records.births],
        months=[b // 100 for b in records.births],
        days=[b % 10_000 for b in records.births],
        families=[family_name(n) for n in records.names],
        givens=givens,
        sounds=[sounds[g] for g in givens],
    )


# A rule gives each record's keys: one key (or None) per record, or a tuple of keys.
Column = Sequence[Any]


def _symmetric(records: Records, c: _Columns) -> list[tuple[Column, bool]]:
    """(keys of each record, whether a record has several) of each symmetric rule."""
    sexes = records.sexes
    forms = {g: (*deletions(g), "~" + sound(g)) for g in set(c.givens)}
    return [
        (list(zip(c.births, records.communes, sexes, strict=True)), False),
        ([tuple((b, s, form) for form in forms[g])
          for b, s, g in zip(records.births, sexes, c.givens, strict=True)], True),
        (list(zip(records.names, c.months, strict=True)), False),
        ([pid or None for pid in records.personal_ids], False),
        ([(h, y) if h else None for h, y in zip(records.households, c.years, strict=True)], False),
    ]


def _one_sided(records: Records, c: _Columns) -> list[tuple[Column, Column, bool]]:
    """(left keys, right keys, whether a record has several) of each one-sided rule."""
    sexes, communes, rough = records.sexes, records.communes, records.rough_births
    names = list(zip(c.families, c.sounds, sexes, strict=True))
    # All the caregivers of a record as one key (mother and father, mostly): one name alone
    # is shared by too many (a pool of common names, and the whole family's children).
    carers = [tuple(sorted(records.carers[i])) if i in records.carers else None
              for i in range(len(records))]
    # The name with one word left out: a typo or a home name in that word leaves the others.
    without_one = {name: tuple(" ".join(words[:k] + words[k + 1:]) for k in range(len(words)))
                   if len(words) > 1 else ()
                   for name in set(records.names) for words in (name.split(),)}
    return [
        # A year one off with a word of the name changed, within a commune.
        ([tuple((place, s, d, y + 1, form) for form in without_one[name])
          for place, s, d, y, name in zip(communes, sexes, c.days, c.years, records.names,
                                          strict=True)],
         [tuple((place, s, d, y, form) for form in without_one[name])
          for place, s, d, y, name in zip(communes, sexes, c.days, c.years, records.names,
                                          strict=True)], True),
        # A year of birth one off: this year's left key meets next year's right key.
        ([(*name, d, y + 1) for name, d, y in zip(names, c.days, c.years, strict=True)],
         [(*name, d, y) for name, d, y in zip(names, c.days, c.years, strict=True)], False),
        # A date known only to the year (month) meets every date of that year (month).
        ([((y if r == 2 else m, place, *name),) if r else ()
          for r, y, m, place, name in zip(rough, c.years, c.months, communes, names, strict=True)],
         [((y, place, *name), (m, place, *name))
          for y, m, place, name in zip(c.years, c.months, communes, names, strict=True)], True),
        # The same caregivers: the same year, or one year apart.
        ([((own, s, y), (own, s, y + 1)) if own else ()
          for own, s, y in zip(carers, sexes, c.years, strict=True)],
         [((own, s, y),) if own else () for own, s, y in zip(carers, sexes, c.years, strict=True)],
         True),
    ]


def _blocks(keys: Column, several: bool,
            only: dict[Hashable, list[int]] | None = None) -> dict[Hashable, list[int]]:
    """Positions by key (only the keys of `only`, when given)."""
    blocks: dict[Hashable, list[int]] = defaultdict(list)
    if several:
        for i, own in enumerate(keys):
            for key in own:
                if only is None or key in only:
                    blocks[key].append(i)
    else:
        for i, key in enumerate(keys):
            if key is not None and (only is None or key in only):
                blocks[key].append(i)
    return blocks


def _pairs_in(members: list[int], names: list[str]) -> Iterator[tuple[int, int]]:
    """Pairs (i < j) of a block's members, which come in ascending order."""
    if len(members) <= MAX_BLOCK:
        yield from combinations(members, 2)
        return
    ordered = sorted(members, key=names.__getitem__)
    window = MAX_BLOCK // 10
    for x, first in enumerate(ordered):
        for second in ordered[x + 1:x + window]:
            yield (first, second) if first < second else (second, first)


def _pairs_across(left: list[int], right: list[int],
                  names: list[str]) -> Iterator[tuple[int, int]]:
    """Pairs (i < j) of a left and a right member of a one-sided block."""
    if len(left) * len(right) > MAX_BLOCK * MAX_BLOCK // 2:
        yield from _pairs_in(sorted(set(left) | set(right)), names)
        return
    for first in left:
        for second in right:
            if first < second:
                yield first, second
            elif second < first:
                yield second, first


def candidate_pairs(records: Records) -> set[int]:
    """Pairs of positions (i < j) encoded as i * len(records) + j."""
    with collector_paused():
        return _candidate_pairs(records)


def _candidate_pairs(records: Records) -> set[int]:
    n = len(records)
    names = records.names
    columns = _columns(records)
    found: set[int] = set()
    for keys, several in _symmetric(records, columns):
        for members in _blocks(keys, several).values():
            if len(members) > 1:
                found.update([first * n + second for first, second in _pairs_in(members, names)])
    for left_keys, right_keys, several in _one_sided(records, columns):
        lefts = _blocks(left_keys, several)
        for key, right in _blocks(right_keys, several, only=lefts).items():
            found.update([first * n + second
                          for first, second in _pairs_across(lefts[key], right, names)])
    return found
