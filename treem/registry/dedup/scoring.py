"""Comparing two records: each field's agreement level adds its weight of evidence.

The weights are log2 Bayes factors, log2(m / u), as in the Fellegi–Sunter model: m is how often
the level is seen for two records of the same child, u for two children taken at random from a
province. They were set from what officers' duplicates look like (typos, missing accents, day
and month swapped, another village, a move) and checked on the generated corruption set
(benchmarks/dedup.py). A pair is proposed when its score, the prior log-odds of two records of a
province being one child plus the weights, reaches THRESHOLD: an even chance or better.
"""

from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler

from treem.registry.dedup.blocking import given_name
from treem.registry.dedup.records import Records

# About one pair in 2^21 of a province's records is a duplicate.
PRIOR = -21.0
THRESHOLD = 0.0

WEIGHTS: dict[str, dict[str, float]] = {
    "name": {"exact": 9.0, "one_typo": 7.0, "word_missing": 4.0, "similar": 1.0,
             "different": -6.0},
    "given_name": {"exact": 3.0, "one_edit": 1.5, "different": -7.5},
    # A date known only to the month or year is stored as its first day: agreeing on it says
    # no more than being born the same month (1 in 190) or year (1 in 16).
    "birth_date": {"exact": 12.0, "swapped": 8.0, "same_month": 7.5, "same_year": 4.0,
                   "one_part": 4.5, "different": -5.0},
    "sex": {"same": 1.0, "different": -6.0},
    "personal_id": {"same": 20.0, "different": -12.0, "missing": 0.0},
    "place": {"village": 6.0, "commune": 3.0, "elsewhere": -2.0},
    "caregiver": {"same": 5.0, "different": -3.0, "missing": 0.0},
}


@dataclass(frozen=True)
class Comparison:
    score: float
    evidence: dict[str, str]


def _one_edit(first: str, second: str) -> bool:
    """Within one typo: a letter changed, left out, added, or two letters swapped."""
    return OSA.distance(first, second, score_cutoff=1) <= 1


def _name(first: str, second: str) -> str:
    """Word by word: Vietnamese names are short words, and a typo changes one of them."""
    if first == second:
        return "exact"
    a, b = first.split(), second.split()
    if len(a) == len(b):
        differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        if len(differ) == 1 and _one_edit(*differ[0]):
            return "one_typo"
    elif abs(len(a) - len(b)) == 1 and a[-1] == b[-1]:
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        if any(longer[:k] + longer[k + 1:] == shorter for k in range(len(longer) - 1)):
            return "word_missing"  # a middle name left out
    similarity = JaroWinkler.normalized_similarity(first, second)
    return "similar" if similarity >= 0.90 else "different"


def _given(first: str, second: str) -> str:
    a, b = given_name(first), given_name(second)
    if a == b:
        return "exact"
    return "one_edit" if _one_edit(a, b) else "different"


def _birth(first: int, second: int, rough: int) -> str:
    if first == second:
        return ("exact", "same_month", "same_year")[rough]
    year_a, rest_a = divmod(first, 10_000)
    year_b, rest_b = divmod(second, 10_000)
    month_a, day_a = divmod(rest_a, 100)
    month_b, day_b = divmod(rest_b, 100)
    if year_a == year_b and month_a == day_b and day_a == month_b:
        return "swapped"
    same = (year_a == year_b) + (month_a == month_b) + (day_a == day_b)
    return "one_part" if same == 2 else "different"


def _carers(first: tuple[str, ...] | None, second: tuple[str, ...] | None) -> str:
    if not first or not second:
        return "missing"
    for a in first:
        for b in second:
            if a == b or _name(a, b) == "one_typo":
                return "same"
    return "different"


def compare(records: Records, i: int, j: int) -> Comparison:
    pid_a, pid_b = records.personal_ids[i], records.personal_ids[j]
    if records.villages[i] and records.villages[i] == records.villages[j]:
        place = "village"
    else:
        place = "commune" if records.communes[i] == records.communes[j] else "elsewhere"
    evidence = {
        "name": _name(records.names[i], records.names[j]),
        "given_name": _given(records.names[i], records.names[j]),
        "birth_date": _birth(records.births[i], records.births[j],
                             max(records.rough_births[i], records.rough_births[j])),
        "sex": "same" if records.sexes[i] == records.sexes[j] else "different",
        "personal_id": ("missing" if not pid_a or not pid_b
                        else "same" if pid_a == pid_b else "different"),
        "place": place,
        "caregiver": _carers(records.carers.get(i), records.carers.get(j)),
    }
    score = PRIOR + sum(WEIGHTS[key][level] for key, level in evidence.items())
    return Comparison(score, evidence)


def quick_reject(records: Records, i: int, j: int) -> bool:
    """Most candidates share a birth date and a commune and little else: far-apart names with
    different given names cannot reach the threshold without the same identification number,
    so the full comparison is skipped for them."""
    first, second = records.names[i], records.names[j]
    pid = records.personal_ids[i]
    return ((not pid or pid != records.personal_ids[j])
            and given_name(first) != given_name(second)
            and JaroWinkler.normalized_similarity(first, second) < 0.80)
