"""Candidate pairs: records sharing at least one blocking key.

Comparing every pair of a million records is 5·10¹¹ comparisons; comparing the records that
share a key is a few million. Each rule below catches the duplicates another misses:

- same birth date (day and month in either order), commune and sex: typos anywhere in the
  name, missing accents, another village of the commune;
- same birth date, sex and given name within one typo (a "deletion neighbourhood": each given
  name also stands for itself with any one letter left out, and two names one typo apart share
  at least one of these forms): the child recorded again in another commune;
- same folded full name and month of birth: a wrong day of birth;
- same personal identification number;
- same household and birth year: a child entered twice by the same family's record.

A block larger than MAX_BLOCK (a very common name in one year) is compared only within windows of
its members ordered by name, so that one block cannot make the run quadratic.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from itertools import combinations

from treem.registry.dedup.records import Records

MAX_BLOCK = 200


def birth_key(yyyymmdd: int) -> int:
    """The date with day and month in ascending order: 05/03 and 03/05 share a key."""
    year, rest = divmod(yyyymmdd, 10_000)
    month, day = divmod(rest, 100)
    low, high = min(month, day), max(month, day)
    return year * 10_000 + low * 100 + high


def given_name(folded: str) -> str:
    return folded.rsplit(" ", 1)[-1]


def deletions(word: str) -> set[str]:
    """The word and the word with any one letter left out, but never a single letter: "an"
    and "anh" share "an", while the one-letter forms of short given names would put most of
    the children born on a day into one block."""
    if len(word) <= 2:
        return {word}
    return {word} | {word[:k] + word[k + 1:] for k in range(len(word))}


def _rules(records: Records) -> list[Callable[[int], Iterable[Hashable]]]:
    births = [birth_key(b) for b in records.births]
    exact, names, communes = records.births, records.names, records.communes
    sexes, pids, households = records.sexes, records.personal_ids, records.households
    givens = [given_name(n) for n in names]
    return [
        lambda i: ((births[i], communes[i], sexes[i]),),
        lambda i: [(exact[i], sexes[i], form) for form in deletions(givens[i])],
        lambda i: ((names[i], exact[i] // 100),),
        lambda i: (pids[i],) if pids[i] else (),
        lambda i: ((households[i], exact[i] // 10_000),) if households[i] else (),
    ]


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


def candidate_pairs(records: Records) -> set[int]:
    """Pairs of positions (i < j) encoded as i * len(records) + j."""
    n = len(records)
    found: set[int] = set()
    for rule in _rules(records):
        blocks: dict[Hashable, list[int]] = defaultdict(list)
        for i in range(n):
            for key in rule(i):
                blocks[key].append(i)
        for members in blocks.values():
            if len(members) > 1:
                found.update([first * n + second
                              for first, second in _pairs_in(members, records.names)])
    return found
