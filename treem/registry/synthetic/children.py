"""A child's own facts, drawn from the child's age, place and household: birth date, papers,
schooling, health, special circumstances, risks, support and death.

Rates are rough national figures, worse in the mountains: birth registration ~97 %, personal
id ~85 %, net enrolment ~99 % in primary, ~93 % in lower and ~70 % in upper secondary, stunting
of under-fives ~19 % (~30 % in the northern mountains), 0.7–4 % of children in special
circumstances (Luật Trẻ em 2016, Điều 10) with disability the largest group.
"""

import datetime
import random
from dataclasses import dataclass

from treem.registry import choices
from treem.registry.models import years_before
from treem.registry.synthetic.picker import Picker

SexCode = str

MALE_SHARE = 112 / 212  # sex ratio at birth ~112 boys per 100 girls


class Ages:
    """Birth dates of 0–17 year olds on the reference date, births slightly declining."""

    def __init__(self, reference: datetime.date) -> None:
        self.bounds: list[tuple[int, int]] = []
        for age in range(18):
            latest = years_before(reference, age).toordinal()
            earliest = years_before(reference, age + 1).toordinal() + 1
            self.bounds.append((earliest, latest - earliest + 1))
        # About 1.5 % fewer births each year than the year before.
        self.age = Picker((age, 1 + 0.015 * age) for age in range(18))

    def draw(self, rng: random.Random) -> int:
        """An ordinal birth date."""
        earliest, span = self.bounds[self.age(rng)]
        return earliest + int(rng.random() * span)

    def siblings(self, rng: random.Random, count: int) -> list[int]:
        """`count` birth dates, oldest first, at least 14 months apart (or twins)."""
        births: list[int] = []
        for _ in range(8):
            births = sorted(self.draw(rng) for _ in range(count))
            if all(b - a >= 425 for a, b in zip(births, births[1:], strict=False)):
                break
        if count > 1 and rng.random() < 0.02:
            births[-1] = births[-2]  # twins
        return births


def age_on(birth: datetime.date, day: datetime.date) -> int:
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


S = choices.SchoolLevel
ST = choices.SchoolStatus


def schooling(rng: random.Random, *, school_age: int, terrain: int, poor: bool,
              severe_disability: bool) -> tuple[str, str]:
    """(level, status) for a child who turns `school_age` in the current school year's first
    calendar year: grade 1 at 6, lower secondary at 11, upper secondary at 15."""
    r = rng.random
    handicap = (0.06 if terrain == 2 else 0.02 if terrain == 1 else 0.0) + (0.04 if poor else 0.0)
    attend = 0.6 if severe_disability else 1.0
    if school_age <= 0:
        return S.NONE, ST.NOT_APPLICABLE
    if school_age <= 2:
        if r() < (0.3 - handicap) * attend:
            return S.PRESCHOOL, ST.IN_SCHOOL
        return S.NONE, ST.NOT_APPLICABLE
    if school_age <= 5:
        if r() < (0.97 if school_age == 5 else 0.9 - handicap) * attend:
            return S.PRESCHOOL, ST.IN_SCHOOL
        return S.NONE, ST.NOT_APPLICABLE
    if school_age <= 10:
        if r() < (0.995 - handicap / 3) * attend:
            return S.PRIMARY, ST.IN_SCHOOL
        return (S.NONE, ST.NEVER) if r() < 0.5 else (S.PRIMARY, ST.DROPPED_OUT)
    if school_age <= 14:
        if r() < (0.975 - handicap / 2) * attend:
            return S.LOWER_SECONDARY, ST.IN_SCHOOL
        if severe_disability and r() < 0.5:
            return S.NONE, ST.NEVER
        return (S.LOWER_SECONDARY if r() < 0.7 else S.PRIMARY), ST.DROPPED_OUT
    if r() < (0.82 - 1.5 * handicap) * attend:
        return (S.UPPER_SECONDARY if r() < 0.86 else S.VOCATIONAL), ST.IN_SCHOOL
    return (S.UPPER_SECONDARY if r() < 0.65 else S.LOWER_SECONDARY), ST.DROPPED_OUT


_VACCINATION = {
    # (infant, mountain) -> picker
    (True, False): Picker([("full", 55), ("partial", 40), ("none", 2), ("unknown", 3)]),
    (True, True): Picker([("full", 45), ("partial", 47), ("none", 4), ("unknown", 4)]),
    (False, False): Picker([("full", 92), ("partial", 6), ("none", 1), ("unknown", 1)]),
    (False, True): Picker([("full", 82), ("partial", 13), ("none", 2), ("unknown", 3)]),
}
_NUTRITION = {
    False: Picker([("normal", 68), ("stunted", 14), ("underweight", 5), ("wasted", 4),
                   ("overweight", 6), ("unknown", 3)]),
    True: Picker([("normal", 56), ("stunted", 26), ("underweight", 8), ("wasted", 5),
                  ("overweight", 2), ("unknown", 3)]),
}


def vaccination(rng: random.Random, *, infant: bool, mountain: bool) -> str:
    return _VACCINATION[infant, mountain](rng)


def nutrition(rng: random.Random, *, mountain: bool) -> str:
    return _NUTRITION[mountain](rng)


DC = choices.DeathCause
_DEATH_INFANT = Picker([(DC.ILLNESS, 70), (DC.OTHER, 20), (DC.OTHER_INJURY, 10)])
_DEATH = Picker([(DC.DROWNING, 32), (DC.TRAFFIC, 18), (DC.OTHER_INJURY, 10), (DC.ILLNESS, 33),
                 (DC.VIOLENCE, 2), (DC.OTHER, 5)])


def death_cause(rng: random.Random, *, infant: bool) -> str:
    return (_DEATH_INFANT if infant else _DEATH)(rng)


# --- Special circumstances (Luật Trẻ em Điều 10; sub-groups of Nghị định 56/2017) -------------

@dataclass(frozen=True)
class Circumstance:
    code: str               # sub-group code when known ("d2"), else the group ("d")
    start: int              # ordinal
    end: int | None = None  # ordinal


SUBGROUPS: dict[str, Picker[str]] = {
    "c": Picker([("c1", 20), ("c3", 25), ("c7", 20), ("c4", 10), ("c9", 5), ("c11", 5),
                 ("c12", 5), ("c2", 4), ("c5", 2), ("c6", 2), ("c8", 1), ("c10", 1)]),
    "e": Picker([("e1", 50), ("e3", 20), ("e4", 20), ("e2", 10)]),
    "g": Picker([("g2", 80), ("g1", 20)]),
    "k": Picker([("k1", 60), ("k5", 20), ("k2", 10), ("k4", 5), ("k3", 5)]),
    "l": Picker([("l4", 45), ("l3", 25), ("l1", 20), ("l2", 5), ("l5", 5)]),
    "m": Picker([("m1", 80), ("m2", 20)]),
    "o": Picker([("o1", 90), ("o3", 8), ("o2", 2)]),
}
DISABILITY_DEGREE = Picker([("d1", 20), ("d2", 45), ("d3", 35)])
DEGREE_OF = {"d1": choices.DisabilityDegree.SPECIAL_SEVERE, "d2": choices.DisabilityDegree.SEVERE,
             "d3": choices.DisabilityDegree.MILD}
DISABILITY_TYPE = Picker([(choices.DisabilityType.MOBILITY, 30),
                          (choices.DisabilityType.INTELLECTUAL, 25),
                          (choices.DisabilityType.HEARING_SPEECH, 15),
                          (choices.DisabilityType.MENTAL, 12),
                          (choices.DisabilityType.VISION, 8),
                          (choices.DisabilityType.OTHER, 10)])

# Rates of the individual groups among all children (disability and illness are set apart).
# (group, youngest age, rate for boys, rate for girls)
INDIVIDUAL_GROUPS = (
    ("đ", 0, 0.0002, 0.0002),
    ("e", 12, 0.0022, 0.0003),
    ("g", 13, 0.0004, 0.00005),
    ("i", 2, 0.0002, 0.0002),
    ("k", 8, 0.0005, 0.0004),
    ("l", 4, 0.0001, 0.0008),
    ("m", 6, 0.00003, 0.0001),
    ("o", 0, 0.00005, 0.00005),
)


def later(rng: random.Random, earliest: int, latest: int) -> int:
    """A day between two ordinals (inclusive); `earliest` if they cross."""
    if latest <= earliest:
        return earliest
    return earliest + int(rng.random() * (latest - earliest + 1))


# --- Risk flags --------------------------------------------------------------------------------

RF = choices.RiskFlag


def risk_flags(rng: random.Random, *, age: int, female: bool, poor: bool, in_school: bool,
               early_marriage_culture: bool, special: bool, water: bool) -> list[str]:
    r = rng.random
    factor = 3.0 if special else 1.0
    flags: list[str] = []
    if female and age >= 13 and r() < (0.03 if early_marriage_culture else 0.002) * factor:
        flags.append(RF.CHILD_MARRIAGE)
    if age >= 10 and r() < (0.025 if poor else 0.004) * factor:
        flags.append(RF.CHILD_LABOUR)
    if in_school and age >= 11 and r() < (0.02 if poor else 0.005) * factor:
        flags.append(RF.DROPPING_OUT)
    if 2 <= age <= 15 and r() < (0.008 if water else 0.004):
        flags.append(RF.DROWNING)
    if r() < 0.002 * factor:
        flags.append(RF.VIOLENCE)
    if r() < 0.0005 * factor:
        flags.append(RF.ABANDONMENT)
    if age >= 8 and r() < 0.0005 * factor:
        flags.append(RF.EXPLOITATION)
    if r() < 0.0005:
        flags.append(RF.OTHER)
    return flags


# --- Support ----------------------------------------------------------------------------------

SK = choices.SupportKind
# What a child of each group usually receives: (kind, probability).
SUPPORT_BY_GROUP: dict[str, tuple[tuple[str, float], ...]] = {
    "a": ((SK.SOCIAL_ALLOWANCE, 0.9), (SK.EDUCATION, 0.5), (SK.IN_KIND, 0.4)),
    "b": ((SK.SOCIAL_ALLOWANCE, 0.9), (SK.HEALTH, 0.3), (SK.IN_KIND, 0.3)),
    "c": ((SK.SOCIAL_ALLOWANCE, 0.85), (SK.EDUCATION, 0.4), (SK.IN_KIND, 0.4)),
    "d1": ((SK.SOCIAL_ALLOWANCE, 0.95), (SK.HEALTH, 0.5), (SK.EDUCATION, 0.3)),
    "d2": ((SK.SOCIAL_ALLOWANCE, 0.9), (SK.HEALTH, 0.5), (SK.EDUCATION, 0.4)),
    "d3": ((SK.HEALTH, 0.5), (SK.EDUCATION, 0.4), (SK.IN_KIND, 0.3)),
    "đ": ((SK.HEALTH, 0.95), (SK.SOCIAL_ALLOWANCE, 0.6), (SK.COUNSELLING, 0.3)),
    "e": ((SK.COUNSELLING, 0.6), (SK.EDUCATION, 0.3), (SK.LEGAL, 0.4)),
    "g": ((SK.HEALTH, 0.7), (SK.COUNSELLING, 0.6)),
    "h": ((SK.EDUCATION, 0.6), (SK.IN_KIND, 0.4)),
    "i": ((SK.COUNSELLING, 0.75), (SK.HEALTH, 0.4), (SK.LEGAL, 0.3)),
    "k": ((SK.COUNSELLING, 0.6), (SK.EDUCATION, 0.4), (SK.LEGAL, 0.3)),
    "l": ((SK.COUNSELLING, 0.85), (SK.LEGAL, 0.6), (SK.HEALTH, 0.5)),
    "m": ((SK.COUNSELLING, 0.8), (SK.LEGAL, 0.5), (SK.IN_KIND, 0.4)),
    "n": ((SK.HEALTH, 0.9), (SK.IN_KIND, 0.4), (SK.SOCIAL_ALLOWANCE, 0.2)),
    "o": ((SK.SOCIAL_ALLOWANCE, 0.5), (SK.HEALTH, 0.4), (SK.LEGAL, 0.3)),
}


def support_period(rng: random.Random, kind: str, start: int, last: int) -> tuple[int, int | None]:
    """(start, end) ordinals of one support that began on or after `start`, before `last`."""
    begin = later(rng, start, min(start + 180, last))
    if kind == SK.SOCIAL_ALLOWANCE:  # monthly allowance, paid until the child no longer qualifies
        return begin, None
    if kind == SK.IN_KIND:  # a gift (Tết, school opening): one day
        return begin, begin
    if kind == SK.EDUCATION:  # fee exemption for a school year
        end = begin + 270
        return begin, (end if end <= last and rng.random() < 0.5 else None)
    end = begin + 30 + int(rng.random() * 240)
    return begin, (end if end <= last else None)
