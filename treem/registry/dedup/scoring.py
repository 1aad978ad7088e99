"""Comparing two records: each field's agreement level adds its weight of evidence.

The weights are log2 Bayes factors, log2(m / u), as in the Fellegi–Sunter model: m is how often
the level is seen for two records of the same child, u for two children taken at random from a
province. They were set from what officers' duplicates look like (typos and misspellings,
missing accents, a middle name left out, a nickname, day and month swapped, a year one off or
only the year known, another village, a move, a re-registration after the 2025 merger) and
checked kind by kind on the generated corruption set (benchmarks/dedup.py). A pair is proposed
when its score, the prior log-odds of two records of a province being one child plus the
weights, reaches THRESHOLD: an even chance or better.
"""

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

from treem.lib.collector import collector_paused
from treem.registry.dedup.blocking import family_name, given_name
from treem.registry.dedup.blocking import sound as _sound
from treem.registry.dedup.records import Records

# About one pair in 2^21 of a province's records is a duplicate.
PRIOR = -21.0
THRESHOLD = 0.0

WEIGHTS: dict[str, dict[str, float]] = {
    # The name word by word. "nickname": the same family and middle names, the given name
    # replaced by a home name (Tí, Bin, Bống…).
    "name": {"exact": 9.0, "one_typo": 7.0, "word_missing": 5.0, "nickname": 3.5,
             "two_changes": 3.0, "similar": 1.0, "different": -6.0},
    # The given name alone. A letter apart is a typo when one of the two spellings is rare,
    # but two names of their own when both are common (An and Anh, Linh and Lin): "other_name".
    "given_name": {"exact": 3.0, "one_edit": 3.0, "sounds_alike": 2.5, "nickname": 0.0,
                   "other_name": -3.0, "similar": -2.0, "different": -7.5},
    # A date known only to the month or year is stored as its first day: agreeing on it says
    # no more than being born the same month (1 in 190) or year (1 in 16).
    "birth_date": {"exact": 12.0, "swapped": 8.0, "same_month": 7.5, "year_off": 6.0,
                   "same_year": 4.0, "one_part": 4.5, "near_year": 2.5, "different": -5.0},
    "sex": {"same": 1.0, "different": -6.0},
    "personal_id": {"same": 20.0, "different": -12.0, "missing": 0.0},
    # "former_commune": one record in a commune of before July 2025, the other in the commune
    # it became.
    "place": {"village": 6.0, "commune": 3.0, "former_commune": 3.0, "elsewhere": -2.0},
    # "all_same": two caregivers or more on each side, every one of them the same (mother
    # and father): siblings share them too, but not their given name and birth date. "same":
    # one name in common, which a pool of common names makes weak ("Nông Thị Hoa").
    "caregiver": {"all_same": 6.5, "same": 1.0, "different": -3.0, "missing": 0.0},
}

# Home names (tên ở nhà, folded) that stand for the given name in some registers. Some are
# given names too (Na, Mơ): a pair with one of them is compared as with a nickname, which
# weighs less against it than another given name, and never for it.
NICKNAMES = frozenset((
    "ti", "ty", "teo", "tit", "tun", "tum", "bin", "bi", "bo", "bom", "bon", "bong", "bu",
    "bun", "cu", "cun", "cuc", "ken", "su", "xu", "so", "soc", "sun", "to", "tom", "tep", "na",
    "mit", "tho", "com", "sua", "chip", "be", "meo", "nhim", "gao", "miu", "mo", "mi", "bap",
    "heo", "ga", "vit", "bom", "kem", "bau", "bo", "nhong", "mup", "mun", "xi", "ut", "cot",
))
# A given name borne by at least this share of the province's records is common: a spelling
# one letter away from it is as likely another child's name as a typo.
COMMON_GIVEN_SHARE = 0.0005
COMMON_GIVEN_MIN = 3
# Full names less alike than this (Jaro-Winkler) with different given names are rejected
# before they are compared (quick_reject).
QUICK_NAME_SIMILARITY = 0.80


sound = lru_cache(maxsize=65_536)(_sound)


@dataclass(frozen=True)
class Comparison:
    score: float
    evidence: dict[str, str]


def _one_edit(first: str, second: str) -> bool:
    """Within one typo: a letter changed, left out, added, or two letters swapped."""
    return OSA.distance(first, second, score_cutoff=1) <= 1


def _close(x: str, y: str) -> bool:
    """Two words within one typo of each other, or spelt alike as they sound."""
    return _one_edit(x, y) or sound(x) == sound(y)


def _name(first: str, second: str) -> str:
    """Word by word: Vietnamese names are short words, and a typo changes one of them."""
    if first == second:
        return "exact"
    a, b = first.split(), second.split()
    if len(a) == len(b):
        differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        if len(differ) == 1 and _close(*differ[0]):
            return "one_typo"  # or misspelt as it sounds ("trang", "chang")
        if len(a) > 1 and (a[-1] in NICKNAMES or b[-1] in NICKNAMES) and _within_one_typo(
                a[:-1], b[:-1]):
            return "nickname"
        if len(differ) == 2 and all(_close(x, y) for x, y in differ):
            return "two_changes"
    elif abs(len(a) - len(b)) == 1 and _close(a[-1], b[-1]):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        for k in range(len(longer) - 1):  # a middle name left out
            differ = [(x, y) for x, y in zip(longer[:k] + longer[k + 1:], shorter, strict=True)
                      if x != y]
            if not differ:
                return "word_missing"
            if len(differ) == 1 and _close(*differ[0]):
                return "two_changes"
    similarity = JaroWinkler.normalized_similarity(first, second)
    return "similar" if similarity >= 0.90 else "different"


def _within_one_typo(a: list[str], b: list[str]) -> bool:
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return not differ or (len(differ) == 1 and _one_edit(*differ[0]))


@dataclass(frozen=True)
class _Prepared:
    """What the comparisons read of each record, computed once per search."""

    givens: list[str]
    families: list[str]
    # Given names common enough in the province to be another child's name.
    common: frozenset[str]


def _prepared(records: Records) -> _Prepared:
    found = records.__dict__.get("_prepared")
    if found is None:
        givens = [given_name(name) for name in records.names]
        counts = Counter(givens)
        floor = max(COMMON_GIVEN_MIN, len(records) * COMMON_GIVEN_SHARE)
        found = records.__dict__["_prepared"] = _Prepared(
            givens=givens, families=[family_name(name) for name in records.names],
            common=frozenset(g for g, n in counts.items() if n >= floor))
    return found  # type: ignore[no-any-return]


def _given(a: str, b: str, common: frozenset[str]) -> str:
    if a == b:
        return "exact"
    if a in NICKNAMES or b in NICKNAMES:
        return "nickname"
    if _one_edit(a, b):
        return "other_name" if a in common and b in common else "one_edit"
    if sound(a) == sound(b):
        return "other_name" if a in common and b in common else "sounds_alike"
    if min(len(a), len(b)) >= 4 and OSA.distance(a, b, score_cutoff=2) <= 2:
        return "similar"  # two typos, or a typo in a misspelling
    return "different"


def _birth(first: int, second: int, rough: int) -> str:
    """`rough`: 0 when both dates are known to the day, 1 when one is known only to the
    month, 2 only to the year: then only what both know is compared."""
    year_a, rest_a = divmod(first, 10_000)
    year_b, rest_b = divmod(second, 10_000)
    month_a, day_a = divmod(rest_a, 100)
    month_b, day_b = divmod(rest_b, 100)
    if rough == 2 or (rough == 1 and month_a != month_b):
        if year_a == year_b:
            return "same_year"
        return "near_year" if abs(year_a - year_b) == 1 else "different"
    if rough == 1:
        if year_a == year_b:
            return "same_month"
        return "near_year" if abs(year_a - year_b) == 1 else "different"
    if first == second:
        return "exact"
    if year_a == year_b and month_a == day_b and day_a == month_b:
        return "swapped"
    if (month_a, day_a) == (month_b, day_b) and abs(year_a - year_b) == 1:
        return "year_off"
    same = (year_a == year_b) + (month_a == month_b) + (day_a == day_b)
    return "one_part" if same == 2 else "different"


def _one_typo(first: str, second: str) -> bool:
    a, b = first.split(), second.split()
    return len(a) == len(b) and _within_one_typo(a, b)


def _carers(first: tuple[str, ...] | None, second: tuple[str, ...] | None) -> str:
    if not first or not second:
        return "missing"
    # Folded names are single-spaced: one typo in one word is one edit of the whole name,
    # which rapidfuzz rules out for most pairs of names before they are split into words.
    same = [a in second or any(OSA.distance(a, b, score_cutoff=1) <= 1 and _one_typo(a, b)
                               for b in second) for a in first]
    if not any(same):
        return "different"
    return "all_same" if all(same) and len(first) >= 2 and len(second) >= 2 else "same"


_MOST_FOR_NAME = max(WEIGHTS["name"].values())
_MOST_FOR_CAREGIVER = max(WEIGHTS["caregiver"].values())


def compare(records: Records, i: int, j: int) -> Comparison:
    found = _compare(records, i, j, floor=None)
    assert found is not None  # without a floor every pair is scored
    return found


def compare_likely(records: Records, i: int, j: int) -> Comparison | None:
    """compare()'s result when the pair reaches THRESHOLD, else None: the name and the
    caregivers, the dearest fields, are compared only while the best they could add (their
    highest weights) would still lift the score to the threshold."""
    return _compare(records, i, j, floor=THRESHOLD)


def _compare(records: Records, i: int, j: int, *, floor: float | None) -> Comparison | None:
    pid_a, pid_b = records.personal_ids[i], records.personal_ids[j]
    if records.villages[i] and records.villages[i] == records.villages[j]:
        place = "village"
    elif records.communes[i] != records.communes[j]:
        place = "elsewhere"
    elif (i in records.former) != (j in records.former):
        place = "former_commune"
    else:
        place = "commune"
    prepared = _prepared(records)
    given = _given(prepared.givens[i], prepared.givens[j], prepared.common)
    birth = _birth(records.births[i], records.births[j],
                   max(records.rough_births[i], records.rough_births[j]))
    sex = "same" if records.sexes[i] == records.sexes[j] else "different"
    personal_id = ("missing" if not pid_a or not pid_b
                   else "same" if pid_a == pid_b else "different")
    # Every weight is a multiple of 0.5, exact in floating point: the sum is the same in
    # any order, and so is the comparison with the threshold.
    score = (PRIOR + WEIGHTS["given_name"][given] + WEIGHTS["birth_date"][birth]
             + WEIGHTS["sex"][sex] + WEIGHTS["personal_id"][personal_id]
             + WEIGHTS["place"][place])
    if floor is not None and score + _MOST_FOR_NAME + _MOST_FOR_CAREGIVER < floor:
        return None
    name = _name(records.names[i], records.names[j])
    score += WEIGHTS["name"][name]
    if floor is not None and score + _MOST_FOR_CAREGIVER < floor:
        return None
    carers = _carers(records.carers.get(i), records.carers.get(j))
    score += WEIGHTS["caregiver"][carers]
    if floor is not None and score < floor:
        return None
    evidence = {"name": name, "given_name": given, "birth_date": birth, "sex": sex,
                "personal_id": personal_id, "place": place, "caregiver": carers}
    return Comparison(score, evidence)


def quick_reject(records: Records, i: int, j: int) -> bool:
    """Most candidates share a birth date and a commune and little else: far-apart names with
    different given names (neither a nickname) cannot reach the threshold without the same
    identification number, so the full comparison is skipped for them."""
    prepared = _prepared(records)
    a, b = prepared.givens[i], prepared.givens[j]
    pid = records.personal_ids[i]
    return ((not pid or pid != records.personal_ids[j]) and a != b
            and a not in NICKNAMES and b not in NICKNAMES
            and JaroWinkler.normalized_similarity(records.names[i], records.names[j])
            < QUICK_NAME_SIMILARITY)


def likely_pairs(records: Records, candidates: set[int]) -> list[tuple[int, int, Comparison]]:
    """Positions (i < j) of the candidate pairs scoring at or above the threshold."""
    n = len(records)
    prepared = _prepared(records)
    givens, names, pids = prepared.givens, records.names, records.personal_ids
    similarity = JaroWinkler.normalized_similarity
    found = []
    with collector_paused():
        for code in candidates:
            i, j = divmod(code, n)
            # quick_reject(records, i, j), written out: it runs for millions of pairs.
            a, b = givens[i], givens[j]
            if (a != b and a not in NICKNAMES and b not in NICKNAMES
                    and (not pids[i] or pids[i] != pids[j])
                    and similarity(names[i], names[j]) < QUICK_NAME_SIMILARITY):
                continue
            likely = compare_likely(records, i, j)
            if likely is not None:
                found.append((i, j, likely))
    return found
