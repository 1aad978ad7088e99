"""Drawing a synthetic report: what happened, to which child on the register, when, where and
who told whom. Names and telephone numbers of reporters are made up like those of the
register; the child is described as a reporter would, by sex and apparent age, never named."""

import datetime
import random
from collections.abc import Callable

from treem.cases.choices import Channel as C
from treem.cases.synthetic import tables as t
from treem.cases.synthetic.clock import OFFICE_CLOSES, OFFICE_OPENS, Clock
from treem.cases.synthetic.population import Population, age_on
from treem.cases.synthetic.story import INTAKE, OFFICER, Report
from treem.registry.synthetic import names, places
from treem.registry.synthetic.names import AnyStyle

TRIES = 400  # rows drawn for one case before its age and sex preferences are dropped


def draw_child(rng: random.Random, population: Population, *, form: str, day: int,
               busy: dict[int, list[tuple[int, int]]]) -> tuple[int, int] | None:
    """A residence row whose child lives there on `day`, has no other case open then, and is
    of an age and sex the form of abuse befalls (drawn by rejection, so the register's own
    mix of ages is kept); the row and the child's age, or None when nobody fits."""
    ages, (girls, boys) = t.AGE_WEIGHT[form], t.SEX_WEIGHT[form]
    top = max(ages) * max(girls, boys)
    for attempt in range(TRIES * 2):
        row = population.draw(rng)
        if not population.lives_there_on(row, day):
            continue
        age = age_on(population.birth[row], day)
        if age > 17:
            continue
        if any(start <= day <= end for start, end in busy.get(population.child[row], ())):
            continue
        weight = ages[age] * (girls if population.female[row] else boys)
        if attempt >= TRIES or rng.random() * top < weight:
            return row, age
    return None


def received_at(rng: random.Random, clock: Clock, *, channel: str, day: int,
                may_wait: Callable[[int], bool]) -> datetime.datetime:
    """Reports to the commune come at office hours on working days (a few on a day off,
    the others on the next working day if `may_wait` allows it); the hotline, the police,
    hospitals and the internet at any hour, more in the evening."""
    if channel in t.OFFICE_CHANNELS:
        if not clock.working(day) and rng.random() < 0.85:
            later = day + 1
            while not clock.working(later):
                later += 1
            if may_wait(later):
                day = later
        return clock.at(day, rng.randint(OFFICE_OPENS, OFFICE_CLOSES))
    return clock.at(day, t.ANY_HOUR(rng) * 60 + rng.randrange(60))


def draw_report(rng: random.Random, clock: Clock, *, form: str, child_age: int, female: bool,
                birth: int, day: int, may_wait: Callable[[int], bool],
                reporter_style: AnyStyle) -> Report:
    forms = [form]
    chance, second = t.SECOND_FORM[form]
    if rng.random() < chance:
        other = second(rng)
        if other != form:
            forms.append(other)
    place = t.PLACE[form](rng)
    while child_age < t.YOUNGEST_AT.get(place, 0):
        place = t.PLACE[form](rng)
    channel = t.CHANNEL[form, place](rng)
    received = received_at(rng, clock, channel=channel, day=day, may_wait=may_wait)
    urgent = rng.random() < t.URGENT[form]
    crime = rng.random() < min(1.0, t.CRIME[form] * (1.6 if urgent else 1.0))
    anonymous = rng.random() < t.ANONYMOUS[channel]
    relation = t.RELATION.get(channel, t.RELATION_OTHER)(rng)
    name = phone = ""
    if not anonymous:
        sex = names.FEMALE if rng.random() < 0.55 else names.MALE
        name = reporter_style.name(rng, sex=sex, generation=names.PARENT,
                                   family=reporter_style.family(rng))
        phone = places.phone(rng) if rng.random() < 0.9 else ""
    elif rng.random() < 0.5:
        relation = ""
    unknown, bands = t.HAPPENED_BEFORE[form]
    happened: datetime.date | None = None
    if rng.random() >= unknown:
        low, high = bands(rng)
        happened = datetime.date.fromordinal(max(day - rng.randint(low, high), birth))
    description = rng.choice(t.DESCRIPTION.get((form, place), t.DESCRIPTION_ANY))
    told_age = max(0, child_age + rng.choice((-1, 0, 0, 0, 1)))
    sex_word = "Trẻ nữ" if female else "Trẻ nam"
    child = (f"{sex_word}, dưới 1 tuổi" if told_age == 0 else f"{sex_word}, khoảng {told_age} tuổi")

    def maybe(texts: tuple[str, ...], share: float) -> str:
        return rng.choice(texts) if rng.random() < share else ""

    return Report(
        channel=channel, received_at=received,
        received_by=INTAKE if channel == C.HOTLINE else OFFICER, forms=forms, place=place,
        happened_on=happened, urgent=urgent, crime_suspected=crime, anonymous=anonymous,
        reporter_name=name, reporter_phone=phone, reporter_relation=relation,
        child_description=child, child_condition=maybe(t.CONDITION, 0.8),
        likely_consequences=maybe(t.CONSEQUENCE, 0.6),
        family_situation=maybe(t.FAMILY_SITUATION, 0.6),
        actions_before=maybe(t.ACTIONS_BEFORE, 0.4), description=description)
