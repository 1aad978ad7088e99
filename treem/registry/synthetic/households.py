"""Households of one commune: who lives together, their names, and every row of their children.

The synthesizer keeps the id counters and the rows waiting to be written, as tuples in the
column order of `rows.COLUMNS`; the generator flushes them in batches. Ids are assigned here so
that children, caregivers and history rows can point at their household and child without
asking the database.
"""

import datetime
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from treem.geo.models import Unit
from treem.lib.text import fold, word_prefixes
from treem.registry import choices
from treem.registry.synthetic import children as ch
from treem.registry.synthetic import families as fam
from treem.registry.synthetic import names, places
from treem.registry.synthetic import profiles as p
from treem.registry.synthetic.families import Person
from treem.registry.synthetic.picker import Picker
from treem.registry.synthetic.rows import Counts, Rows
from treem.registry.synthetic.writer import Values

LA = choices.LivingArrangement
POV = choices.PovertyStatus
DP = choices.DatePrecision
NS = choices.NutritionStatus
_MALNOURISHED: tuple[str, ...] = (NS.UNDERWEIGHT, NS.STUNTED, NS.WASTED)
# A pupil who had dropped out and went back, or the other way.
_SWITCHED: dict[str, str] = {choices.SchoolStatus.IN_SCHOOL: choices.SchoolStatus.DROPPED_OUT,
             choices.SchoolStatus.DROPPED_OUT: choices.SchoolStatus.IN_SCHOOL}

INSTITUTION_RATE = 0.0003  # of children: in a social protection centre, no household
_WATER_REGIONS = (p.MEKONG, p.NORTH_CENTRAL, p.CENTRAL_COAST)
_EARLY_MARRIAGE = frozenset({"08", "09", "10", "13", "14", "35", "41", "29", "03", "12"})


@dataclass
class Village:
    unit_id: int | None
    path: str
    name: str
    ethnicity: str


@dataclass
class Commune:
    unit: Unit
    villages: list[Village]
    village_picker: Picker[Village] | None
    mix: Picker[str]
    urban: bool


_CODE_TAIL = re.compile(r"\d+$")


class Synthesizer:
    def __init__(self, *, rng: random.Random, id_rng: random.Random, reference: datetime.date,
                 province: Unit, profile: p.Profile, ethnicity_ids: dict[str, int],
                 group_ids: dict[str, int], next_ids: dict[str, int],
                 taken_personal_ids: set[str], all_communes: list[Commune],
                 past_rng: random.Random) -> None:
        self.rng = rng
        self.past_rng = past_rng
        self.id_rng = id_rng
        self.reference = reference
        self.ref_ord = reference.toordinal()
        self.province = province
        self.profile = profile
        self.mountain = profile.terrain == 2
        self.ethnicity_ids = ethnicity_ids
        self.group_ids = group_ids
        self.next = dict(next_ids)
        self.taken = taken_personal_ids
        self.all_communes = all_communes
        self.ages = ch.Ages(reference)
        self.school_year = reference.year if reference.month >= 9 else reference.year - 1
        self.oldest_ord = ch.years_before(reference, 18).toordinal() + 1
        self.place_code = "0" + province.code
        self.rows = Rows()
        self.counts = Counts()
        self.province_name = province.name
        self.southern = profile.region in p.SOUTHERN_REGIONS
        kinh_share = profile.mix.get(p.KINH, 0) / sum(profile.mix.values())
        self.kinh_majority = kinh_share >= 0.5
        self.situations = fam.SITUATIONS_MIGRANT if profile.terrain else fam.SITUATIONS
        self.unregistered = 0.05 if self.mountain else 0.02 if profile.terrain else 0.012
        self.with_pid = 0.86 if self.mountain else 0.89
        self.water = profile.region in _WATER_REGIONS
        self.month_share = 0.04 if self.mountain else 0.014
        self.rounded_share = self.month_share + (0.02 if self.mountain else 0.006)
        self._styles: dict[str, names.AnyStyle] = {}
        self._date = datetime.date.fromordinal
        self._fold_cache: dict[str, str] = {}
        self._prefix_cache: dict[str, str] = {}
        self.values = Values()
        self.day = self.values.day

    # --- small helpers ------------------------------------------------------------------------

    def new_id(self, model: str) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value

    def public_id(self) -> Any:
        return self.values.uuid(self.id_rng.getrandbits(128))

    def fold(self, name: str) -> str:
        cache = self._fold_cache
        parts = []
        for word in name.split(" "):
            folded = cache.get(word)
            if folded is None:
                folded = cache[word] = fold(word)
            parts.append(folded)
        return " ".join(parts)

    def prefixes(self, folded: str) -> str:
        # A province repeats a few thousand names: each is cut into prefixes once.
        found = self._prefix_cache.get(folded)
        if found is None:
            found = self._prefix_cache[folded] = word_prefixes(folded)
        return found

    def style(self, ethnicity: str) -> names.AnyStyle:
        style = self._styles.get(ethnicity)
        if style is None:
            style = self._styles[ethnicity] = names.style_for(
                ethnicity, region=self.profile.region, province_code=self.province.code)
        return style

    def group_id(self, code: str) -> int:
        """Id of a (sub-)group; a sub-group missing from the catalogue counts under its group."""
        found = self.group_ids.get(code)
        if found is None:
            found = self.group_ids[_CODE_TAIL.sub("", code)]
        return found

    def personal_id(self, birth_year: int, female: bool) -> str:
        prefix = f"{self.place_code}{(birth_year // 100 - 19) * 2 + female}{birth_year % 100:02d}"
        randrange = self.rng.randrange
        while True:
            value = f"{prefix}{randrange(1_000_000):06d}"
            if value not in self.taken:
                self.taken.add(value)
                return value

    # --- a commune ----------------------------------------------------------------------------

    def commune(self, commune: Commune, size: int, flush: Callable[[], None],
                batch_size: int) -> None:
        remaining = size
        while remaining > 0:
            if self.rng.random() < INSTITUTION_RATE:
                self.institution_child(commune)
                remaining -= 1
            else:
                remaining -= self.household(commune, remaining)
            if len(self.rows.child) >= batch_size:
                flush()

    def household(self, commune: Commune, remaining: int) -> int:
        rng = self.rng
        r = rng.random
        village = commune.village_picker(rng)  # type: ignore[misc]
        ethnicity = village.ethnicity if r() < 0.75 else commune.mix(rng)
        style = self.style(ethnicity)
        minority = ethnicity not in fam.KINH_LIKE
        fertility = "high" if ethnicity in fam.HIGH_FERTILITY else (
            "mid" if minority or (self.mountain and not commune.urban) else "low")
        count = min(fam.CHILDREN_PER_HOUSEHOLD[fertility](rng), remaining)
        situation = self.situations(rng)
        if situation == fam.FOSTER:
            count = 1
        births = self.ages.siblings(rng, count)

        poverty = fam.poverty(rng, self.profile, minority=minority,
                              kinh_majority=self.kinh_majority,
                              high_fertility=fertility == "high", urban=commune.urban)
        poor = poverty != POV.NONE
        temporary = r() < self.profile.temporary * (2.0 if commune.urban else 0.6)
        residence_type = choices.ResidenceType.TEMPORARY if temporary \
            else choices.ResidenceType.PERMANENT

        oldest_year = self._date(births[0]).year
        young_mother = fertility == "high" or (minority and not self.kinh_majority)
        mother_age = int(rng.triangular(16, 40, 22) if young_mother else rng.triangular(19, 42, 28))
        mother_year = oldest_year - mother_age
        father_year = mother_year - int(rng.triangular(-2, 10, 3))
        matrilineal = style.matrilineal
        father_family = style.family(rng)
        # One marriage in ten is with someone of another people of the commune; among the
        # matrilineal peoples the household (and so its ethnicity) is the mother's.
        mother_style = style if matrilineal or r() < 0.9 else self.style(commune.mix(rng))
        mother_family = mother_style.family(rng)
        for _ in range(3):  # spouses are of different families (clans)
            if mother_family != father_family or not father_family:
                break
            mother_family = mother_style.family(rng)
        # Children take the father's family name, the mother's among matrilineal peoples,
        # and sometimes the mother's when she raises them alone.
        if matrilineal or (situation == fam.MOTHER_ONLY and r() < 0.3):
            child_family = mother_family
        else:
            child_family = father_family

        phone = places.phone(rng) if r() < (0.85 if self.mountain else 0.95) else ""
        carers = fam.caregivers(rng, situation, fam.Family(
            style=style, mother_style=mother_style, father_family=father_family,
            mother_family=mother_family, father_year=father_year, mother_year=mother_year,
            reference_year=self.reference.year))
        primary = fam.primary_index(rng, situation)
        carers[primary].phone = phone
        for index, carer in enumerate(carers):
            if index != primary and r() < 0.5:
                carer.phone = places.phone(rng)
        head = fam.head(rng, situation, carers, matrilineal=matrilineal)

        household_id = self.new_id("household")
        urban = commune.urban
        self.rows.household.append((
            household_id, self.public_id(), commune.unit.id, village.unit_id, village.path,
            self.province.code, head, self.fold(head),
            places.address(rng, village=village.name, commune=commune.unit.name,
                           province=self.province_name, urban=urban, southern=self.southern),
            phone, poverty,
        ))
        self.counts.households += 1

        moved_on = None
        if r() < 0.025 and len(self.all_communes) > 1:
            moved_on = ch.later(rng, births[0] + 30, self.ref_ord - 30)
        household_dates = HouseholdDates.orphaned(rng, births, self.ref_ord) \
            if situation in (fam.ORPHANS, fam.NO_SUPPORT) else None

        for birth in births:
            self.child(commune, village=village, household_id=household_id, birth=birth,
                       ethnicity=ethnicity, style=style, family=child_family,
                       mother_family=mother_family, situation=situation, poor=poor,
                       poverty=poverty, residence_type=residence_type, carers=carers,
                       primary=primary, moved_on=moved_on, household_dates=household_dates)
        return count

    # --- a child ------------------------------------------------------------------------------

    def child(self, commune: Commune, *, village: Village, household_id: int | None, birth: int,
              ethnicity: str, style: names.AnyStyle, family: str, mother_family: str,
              situation: str, poor: bool, poverty: str, residence_type: str,
              carers: list[Person], primary: int, moved_on: int | None,
              household_dates: "HouseholdDates | None", living: str | None = None,
              groups: list[tuple[str, int]] | None = None) -> None:
        rng = self.rng
        r = rng.random
        ref_ord = self.ref_ord
        sex = names.MALE if r() < ch.MALE_SHARE else names.FEMALE
        female = sex == names.FEMALE
        full_name = style.name(rng, sex=sex, generation=names.CHILD, family=family,
                               mother_family=mother_family)

        # Only the month or the year is known for a few, mostly older children of remote
        # villages; the date is then the first of that month or year.
        precision = DP.DAY
        draw = r()
        if draw < self.rounded_share:
            exact = self._date(birth)
            if draw < self.month_share:
                rounded, rounded_precision = exact.replace(day=1), DP.MONTH
            else:
                rounded, rounded_precision = exact.replace(month=1, day=1), DP.YEAR
            if rounded.toordinal() >= self.oldest_ord:
                birth, precision = rounded.toordinal(), rounded_precision
        birth_date = self._date(birth)
        age_days = ref_ord - birth
        age = ch.age_on(birth_date, self.reference)
        infant = age == 0

        registered = r() < 0.5 if age_days < 60 else r() >= self.unregistered
        personal_id = None
        if registered and r() < (0.7 if age_days < 60 else self.with_pid):
            personal_id = self.personal_id(birth_date.year, female)

        # Special circumstances that follow from the household.
        found: list[tuple[str, int]] = list(groups or ())
        if household_dates is not None:
            start = max(birth, household_dates.since)
            if situation == fam.ORPHANS:
                found.append(("a3", start))
            else:
                found.append((ch.SUBGROUPS["c"](rng), start))
        elif situation == fam.FOSTER:
            found.append(("b2", ch.later(rng, birth, min(birth + 30, ref_ord))))

        disability_type = disability_degree = ""
        if r() < (0.009 if self.mountain else 0.008):
            degree_code = ch.DISABILITY_DEGREE(rng)
            disability_type = ch.DISABILITY_TYPE(rng)
            disability_degree = ch.DEGREE_OF[degree_code]
            found.append((degree_code, ch.later(rng, birth, min(birth + 4 * 365, ref_ord))))
        if poor and r() < 0.015:
            found.append(("n1" if poverty == POV.POOR else "n2",
                          ch.later(rng, max(birth, ref_ord - 5 * 365), ref_ord)))
        for code, youngest, boys, girls in ch.INDIVIDUAL_GROUPS:
            if age >= youngest and r() < (girls if female else boys) * (
                    4.0 if code == "m" and self.profile.border else 1.0):
                sub = ch.SUBGROUPS.get(code)
                earliest = max(birth + youngest * 365, ref_ord - 3 * 365)
                found.append((sub(rng) if sub is not None else code + "1",
                              ch.later(rng, earliest, ref_ord)))

        school_age = self.school_year - birth_date.year
        severe = disability_degree in (choices.DisabilityDegree.SPECIAL_SEVERE,
                                       choices.DisabilityDegree.SEVERE)
        level, status = ch.schooling(rng, school_age=school_age, terrain=self.profile.terrain,
                                     poor=poor, severe_disability=severe)
        if status == ch.ST.DROPPED_OUT and level in (ch.S.PRIMARY, ch.S.LOWER_SECONDARY) \
                and age >= 11 and r() < 0.2:
            found.append(("h2",
                          ch.later(rng, max(birth + 11 * 365, ref_ord - 4 * 365), ref_ord)))
        if found and r() < 0.08 and not any(code.startswith("d") for code, _ in found):
            degree_code = ch.DISABILITY_DEGREE(rng)
            disability_type = ch.DISABILITY_TYPE(rng)
            disability_degree = ch.DEGREE_OF[degree_code]
            found.append((degree_code, ch.later(rng, birth, min(birth + 4 * 365, ref_ord))))

        death = None
        death_cause = ""
        if r() < 0.0005:
            death = ch.later(rng, max(birth, ref_ord - 3 * 365), ref_ord)
            death_cause = ch.death_cause(rng, infant=death - birth < 365)
            self.counts.deaths += 1
            # Kept simple: the record of a child who died carries no history or disability.
            found = []
            disability_type = disability_degree = ""

        under_five = age < 5
        under_six = age < 6
        insured = r() < (0.96 if under_six else 0.98 if poor else
                         0.92 if status == ch.ST.IN_SCHOOL else 0.6)

        child_id = self.new_id("child")
        folded = self.fold(full_name)
        public_id = self.public_id()
        vaccination = ch.vaccination(rng, infant=infant, mountain=self.mountain) \
            if under_five else ""
        nutrition = ch.nutrition(rng, mountain=self.mountain) if under_five else ""
        self.rows.child.append((
            child_id, public_id, full_name, folded, self.prefixes(folded), sex,
            self.day(birth), precision, self.ethnicity_ids[ethnicity], "VN", personal_id, registered,
            commune.unit.id, village.unit_id, residence_type, village.path, self.province.code,
            household_id, living or fam.LIVING.get(situation, LA.BOTH_PARENTS), level, status,
            disability_type, disability_degree, insured, vaccination, nutrition,
            self.day(death), death_cause,
        ))
        self.counts.children += 1
        self.add_caregivers(child_id, carers, primary)
        self.add_residences(child_id, commune, village, birth, moved_on, residence_type)
        if found:
            self.add_history(child_id, commune, found, birth=birth, level=level)
        if death is None:
            self.add_past_statuses(child_id, birth, nutrition=nutrition, school_status=status,
                                   registered=registered)
            flags = ch.risk_flags(rng, age=age, female=female, poor=poor,
                                  in_school=status == ch.ST.IN_SCHOOL,
                                  early_marriage_culture=ethnicity in _EARLY_MARRIAGE,
                                  special=bool(found), water=self.water)
            for flag in flags:
                self.add_risk(child_id, flag, birth)

    def add_past_statuses(self, child_id: int, birth: int, *, nutrition: str,
                          school_status: str, registered: bool) -> None:
        """A few children's statuses changed in the last 18 months (`ChildStatusPast`): an
        under-5 whose nutrition changed (~3%), a pupil who dropped out or went back (~2%), an
        infant registered some weeks after birth. The old value held until the change, from
        before the record (no start)."""
        r = self.past_rng.random
        last = self.ref_ord - 1  # the reference day holds the current value
        past: list[tuple[str, str, int]] = []
        if nutrition and nutrition != NS.UNKNOWN and r() < 0.03:
            before: str = NS.NORMAL if nutrition != NS.NORMAL else _MALNOURISHED[int(r() * 3)]
            past.append(("nutrition_status", before, last - int(r() * min(548, last - birth))))
        if school_status in _SWITCHED and r() < 0.02:
            past.append(("school_status", _SWITCHED[school_status], last - int(r() * 548)))
        if registered and last - birth < 365 and r() < 0.3:
            past.append(("birth_registered", "0", birth + int(r() * 60)))
        for name, value, end in past:
            if birth <= end <= last:
                self.rows.status_past.append((self.new_id("status_past"), child_id,
                                              self.province.code, name, value, None,
                                              self.day(end)))
                self.counts.statuses_past += 1

    def add_caregivers(self, child_id: int, carers: list[Person], primary: int) -> None:
        append = self.rows.caregiver.append
        for index, carer in enumerate(carers):
            append((self.new_id("caregiver"), self.public_id(), child_id, carer.name,
                    self.fold(carer.name), carer.relation, carer.birth_year, carer.phone,
                    index == primary))
        self.counts.caregivers += len(carers)

    def add_residences(self, child_id: int, commune: Commune, village: Village, birth: int,
                       moved_on: int | None, residence_type: str) -> None:
        start = birth
        province_code = self.province.code
        if moved_on is not None and moved_on > birth:
            rng = self.rng
            others = self.all_communes
            origin = others[int(rng.random() * len(others))]
            if origin.unit.id == commune.unit.id:
                origin = others[(others.index(origin) + 1) % len(others)]
            before = origin.village_picker(rng) if origin.village_picker is not None else None
            self.rows.residence.append((
                self.new_id("residence"), self.public_id(), child_id, province_code,
                self.day(birth), self.day(moved_on - 1), origin.unit.id,
                before.unit_id if before else None, before.path if before else origin.unit.path,
                choices.ResidenceType.PERMANENT, province_code,
            ))
            self.counts.residences += 1
            self.counts.moves += 1
            start = moved_on
        self.rows.residence.append((
            self.new_id("residence"), self.public_id(), child_id, province_code, self.day(start),
            None, commune.unit.id, village.unit_id, village.path, residence_type, province_code,
        ))
        self.counts.residences += 1

    def add_history(self, child_id: int, commune: Commune, found: list[tuple[str, int]], *,
                    birth: int, level: str) -> None:
        rng = self.rng
        r = rng.random
        ref_ord = self.ref_ord
        province_code = self.province.code
        seen: set[str] = set()
        kinds: dict[str, int] = {}
        for code, start in found:
            if code in seen:
                continue
            seen.add(code)
            start = min(max(start, birth), ref_ord)
            end = None
            group = _CODE_TAIL.sub("", code)
            if group in ("e", "i", "k", "l", "m", "g", "o", "n") and r() < 0.25:
                end = ch.later(rng, start + 60, ref_ord + 60)
                end = end if end <= ref_ord else None
            self.rows.circumstance.append((
                self.new_id("circumstance"), self.public_id(), child_id, province_code,
                self.day(start), self.day(end), self.group_id(code),
            ))
            self.counts.circumstances += 1
            key = code if group == "d" else group
            if r() < 0.9:  # most children in special circumstances get some support
                for kind, chance in ch.SUPPORT_BY_GROUP.get(key, ()):
                    if kind not in kinds and r() < chance:
                        kinds[kind] = start
        for kind, start in kinds.items():
            begin, end = ch.support_period(rng, kind, start, ref_ord)
            self.rows.support.append((
                self.new_id("support"), self.public_id(), child_id, province_code,
                self.day(begin), self.day(end), kind,
                places.support_provider(rng, kind, commune=commune.unit.name,
                                        commune_kind=commune.unit.kind,
                                        province=self.province_name, school_level=level),
            ))
            self.counts.supports += 1
        self.counts.with_circumstance += 1

    def add_risk(self, child_id: int, flag: str, birth: int) -> None:
        rng = self.rng
        start = ch.later(rng, max(birth, self.ref_ord - 2 * 365), self.ref_ord)
        end = None
        if rng.random() < 0.4:
            end = ch.later(rng, start + 30, self.ref_ord + 120)
            if end > self.ref_ord:
                end = None
        self.rows.risk.append((
            self.new_id("risk"), self.public_id(), child_id, self.province.code,
            self.day(start), self.day(end), flag,
        ))
        self.counts.risks += 1

    # --- a child in a social protection centre ------------------------------------------------

    def institution_child(self, commune: Commune) -> None:
        rng = self.rng
        village = commune.village_picker(rng)  # type: ignore[misc]
        ethnicity = village.ethnicity if rng.random() < 0.75 else commune.mix(rng)
        style = self.style(ethnicity)
        birth = self.ages.draw(rng)
        code = "a2" if rng.random() < 0.6 else "b1"
        since = ch.later(rng, birth, min(birth + 5 * 365, self.ref_ord))
        staff = Person(style.name(rng, sex=names.FEMALE, generation=names.PARENT,
                                  family=style.family(rng)),
                       choices.Relation.GUARDIAN,
                       fam.year_or_none(rng, self.reference.year - rng.randint(25, 55)),
                       phone=places.phone(rng))
        self.child(commune, village=village, household_id=None, birth=birth,
                   ethnicity=ethnicity, style=style, family=style.family(rng), mother_family="",
                   situation="institution", poor=False, poverty=POV.NONE,
                   residence_type=choices.ResidenceType.PERMANENT, carers=[staff], primary=0,
                   moved_on=None, household_dates=None, living=LA.INSTITUTION,
                   groups=[(code, since)])


@dataclass(frozen=True)
class HouseholdDates:
    """When the children of a household lost their parents (or their care)."""

    since: int

    @classmethod
    def orphaned(cls, rng: random.Random, births: list[int], ref_ord: int) -> "HouseholdDates":
        return cls(since=ch.later(rng, births[-1], ref_ord))
