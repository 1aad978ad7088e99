"""Who the children of a household live with, what the family is called, and how poor it is.

Most children live with both parents; some with one, or with grandparents while the parents
work away (more so in provinces that send migrant workers); a few are orphans or have no one
to rely on (special-circumstance groups a and c) or were abandoned and taken in by another
family (group b).
"""

import random
from dataclasses import dataclass

from treem.registry import choices
from treem.registry.synthetic import names
from treem.registry.synthetic import profiles as p
from treem.registry.synthetic.picker import Picker

LA = choices.LivingArrangement
REL = choices.Relation
POV = choices.PovertyStatus

# Peoples with more children per family and early marriage (Mông, Dao, Gia Rai, Ba Na, Xơ Đăng,
# Hà Nhì, La Hủ, Khơ Mú, Brâu, Rơ Măm…).
HIGH_FERTILITY = frozenset({"08", "09", "10", "13", "14", "27", "29", "35", "41", "43", "40",
                            "45", "48", "50", "51", "52", "54", "19", "30"})
KINH_LIKE = frozenset({p.KINH, "04"})
CHILDREN_PER_HOUSEHOLD = {
    "low": Picker([(1, 42), (2, 45), (3, 11), (4, 2)]),
    "mid": Picker([(1, 35), (2, 45), (3, 15), (4, 5)]),
    "high": Picker([(1, 25), (2, 35), (3, 25), (4, 15)]),
}

BOTH, MOTHER_ONLY, FATHER_ONLY, GRANDPARENTS, RELATIVE = "both", "mother", "father", "gp", "rel"
ORPHANS, NO_SUPPORT, FOSTER = "orphans", "no_support", "foster"
SITUATIONS = Picker([(BOTH, 85.5), (MOTHER_ONLY, 6.5), (FATHER_ONLY, 1.5), (GRANDPARENTS, 4.5),
                     (RELATIVE, 0.8), (ORPHANS, 0.12), (NO_SUPPORT, 0.15), (FOSTER, 0.03)])
SITUATIONS_MIGRANT = Picker([(BOTH, 83.0), (MOTHER_ONLY, 6.5), (FATHER_ONLY, 1.5),
                             (GRANDPARENTS, 7.0), (RELATIVE, 0.8), (ORPHANS, 0.15),
                             (NO_SUPPORT, 0.2), (FOSTER, 0.03)])
LIVING = {BOTH: LA.BOTH_PARENTS, MOTHER_ONLY: LA.ONE_PARENT, FATHER_ONLY: LA.ONE_PARENT,
          GRANDPARENTS: LA.RELATIVES, RELATIVE: LA.RELATIVES, ORPHANS: LA.RELATIVES,
          NO_SUPPORT: LA.RELATIVES, FOSTER: LA.ALTERNATIVE_CARE}


@dataclass
class Person:
    name: str
    relation: str
    birth_year: int | None
    phone: str = ""


@dataclass(frozen=True)
class Family:
    """The names and ages a household's caregivers are drawn from."""

    style: names.AnyStyle
    mother_style: names.AnyStyle
    father_family: str
    mother_family: str
    father_year: int
    mother_year: int
    reference_year: int

    @property
    def matrilineal(self) -> bool:
        return self.style.matrilineal


def year_or_none(rng: random.Random, year: int) -> int | None:
    """A birth year, unknown for a few caregivers."""
    return None if rng.random() < 0.03 else year


def caregivers(rng: random.Random, situation: str, family: Family) -> list[Person]:
    r = rng.random
    style = family.style
    matrilineal = family.matrilineal
    M, F, PARENT, ELDER = names.MALE, names.FEMALE, names.PARENT, names.ELDER

    def father() -> Person:
        return Person(style.name(rng, sex=M, generation=PARENT, family=family.father_family),
                      REL.FATHER, year_or_none(rng, family.father_year))

    def mother() -> Person:
        return Person(family.mother_style.name(rng, sex=F, generation=PARENT,
                                               family=family.mother_family),
                      REL.MOTHER, year_or_none(rng, family.mother_year))

    def grandparent(sex: str) -> Person:
        # Grandparents on the side whose family name the children carry.
        own_family = family.mother_family if matrilineal else family.father_family
        surname = own_family if (sex == M) != matrilineal else style.family(rng)
        base = family.mother_year if matrilineal else family.father_year
        year = base - int(rng.triangular(18, 35, 24))
        if sex == F:
            year += int(rng.triangular(-2, 8, 3))
        return Person(style.name(rng, sex=sex, generation=ELDER, family=surname),
                      REL.GRANDPARENT, year_or_none(rng, year))

    def relative(relation: str = REL.RELATIVE) -> Person:
        sex = F if r() < 0.6 else M
        if relation == REL.SIBLING:  # a grown-up brother or sister
            surname = family.mother_family if matrilineal else family.father_family
            year = family.reference_year - rng.randint(18, 26)
        else:
            surname = style.family(rng)
            year = family.mother_year + int(rng.triangular(-12, 8, 0))
        return Person(style.name(rng, sex=sex, generation=PARENT, family=surname),
                      relation, year_or_none(rng, year))

    if situation == BOTH:
        return [father(), mother()]
    if situation == MOTHER_ONLY:
        carers = [mother()]
        if r() < 0.1:
            carers.append(Person(style.name(rng, sex=M, generation=PARENT,
                                            family=style.family(rng)),
                                 REL.STEP_PARENT, year_or_none(rng, family.father_year)))
        elif r() < 0.3:
            carers.append(grandparent(F))
        return carers
    if situation == FATHER_ONLY:
        carers = [father()]
        if r() < 0.4:
            carers.append(grandparent(F))
        return carers
    if situation in (GRANDPARENTS, ORPHANS, NO_SUPPORT):
        if situation != GRANDPARENTS and r() < 0.25:
            carers = [relative()]
            if r() < 0.3:
                carers.append(relative(REL.SIBLING if r() < 0.3 else REL.RELATIVE))
            return carers
        carers = [grandparent(F)]
        if r() < 0.6:
            carers.append(grandparent(M))
        return carers
    if situation == RELATIVE:
        carers = [relative()]
        if r() < 0.4:
            carers.append(relative())
        return carers
    # FOSTER: a family that is not kin takes the child in (chăm sóc thay thế).
    surname = style.family(rng)
    carers = [Person(style.name(rng, sex=F, generation=PARENT, family=style.family(rng)),
                     REL.FOSTER, year_or_none(rng, family.mother_year))]
    if r() < 0.6:
        carers.append(Person(style.name(rng, sex=M, generation=PARENT, family=surname),
                             REL.FOSTER, year_or_none(rng, family.father_year)))
    return carers


def primary_index(rng: random.Random, situation: str) -> int:
    """Which caregiver is the main one: mostly the mother when both parents are there."""
    if situation == BOTH:
        return 1 if rng.random() < 0.7 else 0
    return 0


def head(rng: random.Random, situation: str, carers: list[Person], *, matrilineal: bool) -> str:
    """The head of household (chủ hộ): the father, the mother in half of the matrilineal
    families, a step-father, or a grandparent."""
    if situation == BOTH:
        return carers[1].name if matrilineal and rng.random() < 0.5 else carers[0].name
    second = carers[1].relation if len(carers) > 1 else ""
    if second == REL.STEP_PARENT or (second == REL.GRANDPARENT and rng.random() < 0.5):
        return carers[1].name
    return carers[0].name


def poverty(rng: random.Random, profile: p.Profile, *, minority: bool, kinh_majority: bool,
            high_fertility: bool, urban: bool) -> str:
    """Poor or near-poor (Nghị định 07/2021): more often among minority peoples where they
    are few, and in the countryside."""
    factor = 1.0
    if minority and kinh_majority:
        factor = 2.0
    elif not minority and not kinh_majority:
        factor = 0.5
    if high_fertility:
        factor *= 1.3
    if urban:
        factor *= 0.4
    draw = rng.random()
    poor = min(profile.poor * factor, 0.6)
    if draw < poor:
        return POV.POOR
    if draw < poor + min(profile.near_poor * factor, 0.3):
        return POV.NEAR_POOR
    return POV.NONE
