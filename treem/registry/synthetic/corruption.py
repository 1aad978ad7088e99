"""A corruption set: copies of generated children entered again with the mistakes officers
make, and the list of which copy belongs to which child, to measure the duplicate search.

Each copy gets one or two of the variations seen in real registers (KINDS):

- typo: a typo in one word of the name (a letter changed, left out, doubled, two swapped);
- given_typo: the given name misspelt, the way Vietnamese names are (tr/ch, s/x, d/gi/r,
  l/n, a final ng/nh or i/y, or a typo), often two letters apart from the right spelling;
- nickname: the given name replaced by a home name (Tí, Bin, Bống, Na…);
- accents: the name typed without accents;
- middle: a middle name left out ("Nguyễn Văn An" → "Nguyễn An");
- swap: day and month of birth swapped;
- year: the year of birth one off;
- year_only: only the year of birth known (the date is its first of January);
- village: another village of the commune;
- commune: a move to another commune of the province;
- merger: recorded before the July 2025 merger in one of the old communes that became the
  child's commune (the other record being the re-registration under the new commune).

A copy never carries the identification number (it is unique on the register) and keeps the
caregivers in about two cases out of three. `corrupt` returns the true pairs with the kinds of
variation of each, so that the duplicate search is measured kind by kind.
"""

import datetime
import random
import unicodedata
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db import transaction

from treem.geo.models import REORGANISATION_DATE, Level, Unit, UnitSuccession
from treem.lib.text import fold, word_prefixes
from treem.registry.choices import DatePrecision, Sex
from treem.registry.models import Caregiver, Child, ChildResidence

KINDS = ("typo", "given_typo", "nickname", "accents", "middle", "swap", "year", "year_only",
         "village", "commune", "merger")
WEIGHTS = (18, 12, 4, 14, 7, 9, 10, 6, 8, 8, 4)
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Home names (tên ở nhà) that stand for the given name in some registers.
NICKNAMES: dict[str, tuple[str, ...]] = {
    Sex.MALE: ("Tí", "Tèo", "Bin", "Bi", "Bo", "Cu", "Tũn", "Cún", "Ken", "Su", "Bơ", "Tồ",
               "Sóc", "Bòn", "Tôm"),
    Sex.FEMALE: ("Bống", "Na", "Mít", "Bông", "Thỏ", "Cốm", "Sữa", "Xu", "Chíp", "Bé", "Mèo",
                 "Nhím", "Su", "Gạo", "Miu"),
}
# Spellings that sound alike in one dialect or another, first letters then last ones.
_INITIALS = (("Tr", "Ch"), ("Ch", "Tr"), ("S", "X"), ("X", "S"), ("Gi", "D"), ("D", "Gi"),
             ("R", "D"), ("L", "N"), ("N", "L"), ("V", "D"), ("Qu", "Q"))
# Kinds that change the same thing: a copy gets at most one of each group.
_EXCLUSIVE = ({"swap", "year", "year_only"}, {"village", "commune", "merger"},
              {"nickname", "given_typo"})
_FINALS = (("nh", "n"), ("ng", "n"), ("n", "ng"), ("y", "i"), ("i", "y"), ("t", "c"),
           ("c", "t"))


@dataclass(frozen=True)
class Quality:
    found: int
    true_found: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_found / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_found / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def quality(found: Collection[tuple[int, int]], truth: Collection[tuple[int, int]]) -> Quality:
    """Precision and recall of pairs of ids (smaller id first)."""
    true_pairs = set(truth)
    return Quality(found=len(set(found)), true_found=len(true_pairs.intersection(found)),
                   expected=len(true_pairs))


def typo(rng: random.Random, name: str, *, at: int | None = None) -> str:
    """A keyboard typo in one word of the name (the word at `at`, else any)."""
    words = name.split()
    at = rng.randrange(len(words)) if at is None else at
    word = words[at]
    spot = rng.randrange(len(word))
    kind = rng.randrange(4) if len(word) > 2 else 0
    if kind == 0:    # another letter
        word = word[:spot] + rng.choice(LETTERS.replace(word[spot].lower(), "")) + word[spot + 1:]
    elif kind == 1:  # a letter left out
        word = word[:spot] + word[spot + 1:]
    elif kind == 2:  # a letter typed twice
        word = word[:spot] + word[spot] + word[spot:]
    else:            # two letters swapped
        spot = min(spot, len(word) - 2)
        word = word[:spot] + word[spot + 1] + word[spot] + word[spot + 2:]
    words[at] = word
    return " ".join(words)


def misspelt(rng: random.Random, given: str) -> str:
    """The given name spelt as it sounds in a dialect ("Trang" → "Chang", "Giang" →
    "Dang", "Linh" → "Lin"), or with a typo when no such spelling applies."""
    choices_ = [(old, new, True) for old, new in _INITIALS if given.startswith(old)]
    choices_ += [(old, new, False) for old, new in _FINALS if given.endswith(old)]
    if not choices_:
        return typo(rng, given)
    old, new, initial = rng.choice(choices_)
    changed = new + given[len(old):] if initial else given[:-len(old)] + new
    return changed if fold(changed) != fold(given) else typo(rng, given)


def unaccented(name: str) -> str:
    text = name.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(ch))


def swapped(day: datetime.date) -> datetime.date | None:
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)


def year_off(rng: random.Random, day: datetime.date, latest: datetime.date) -> datetime.date:
    """The same day and month, a year earlier or later (not after `latest`)."""
    step = rng.choice((-1, 1))
    if day.year + step > latest.year or (day.year + step == latest.year
                                         and (day.month, day.day) > (latest.month, latest.day)):
        step = -1
    year = day.year + step
    return day.replace(year=year, day=28) if (day.month, day.day) == (2, 29) else day.replace(
        year=year)


@dataclass
class _Places:
    villages: dict[int, list[Unit]]
    communes: list[Unit]
    commune_of: dict[int, Unit]
    old_communes: dict[int, list[Unit]]  # current commune id → the old ones that became it


def _places(province_code: str) -> _Places:
    units = Unit.objects.filter(province_code=province_code, valid_to__isnull=True)
    villages: dict[int, list[Unit]] = {}
    communes: list[Unit] = []
    for unit in units.filter(level__in=[Level.VILLAGE, Level.COMMUNE]).only(
            "id", "path", "level", "parent_id", "province_code"):
        if unit.level == Level.VILLAGE:
            villages.setdefault(unit.parent_id, []).append(unit)  # type: ignore[arg-type]
        else:
            communes.append(unit)
    old: dict[int, list[Unit]] = {}
    for link in (UnitSuccession.objects.filter(successor__in=communes,
                                               predecessor__level=Level.COMMUNE)
                 .select_related("predecessor").order_by("predecessor__code")):
        old.setdefault(link.successor_id, []).append(link.predecessor)
    return _Places(villages, communes, {c.pk: c for c in communes}, old)


def _applicable(kind: str, child: Child, places: _Places) -> bool:
    if kind == "swap":  # a date a form would take: not after the death
        day = swapped(child.birth_date)
        return day is not None and (child.death_date is None or day <= child.death_date)
    if kind == "middle":
        return len(child.full_name.split()) >= 3
    if kind == "merger":  # recorded in an old commune: born before the merger
        return (child.birth_date < REORGANISATION_DATE
                and bool(places.old_communes.get(child.commune_id)))
    if kind == "commune":
        return len(places.communes) > 1
    return True


def _draw_kinds(rng: random.Random, child: Child, places: _Places) -> tuple[str, ...]:
    """One or two kinds that can be applied to this child, and that change something the
    other does not undo (a date known only to the year hides a swap or a year off)."""
    wanted = rng.choice((1, 1, 2))
    kinds: list[str] = []
    while len(kinds) < wanted:
        kind = rng.choices(KINDS, WEIGHTS)[0]
        if kind in kinds or not _applicable(kind, child, places):
            continue
        if any(kind in group and set(kinds) & group for group in _EXCLUSIVE):
            continue
        kinds.append(kind)
    return tuple(sorted(kinds))


def _apply(rng: random.Random, child: Child, kinds: Iterable[str], places: _Places,
           latest: datetime.date) -> None:
    kinds = set(kinds)
    if "nickname" in kinds:
        words = child.full_name.split()
        words[-1] = rng.choice(NICKNAMES.get(child.sex, NICKNAMES[Sex.MALE]))
        child.full_name = " ".join(words)
    if "given_typo" in kinds:
        words = child.full_name.split()
        words[-1] = misspelt(rng, words[-1])
        child.full_name = " ".join(words)
    if "middle" in kinds:
        words = child.full_name.split()
        del words[rng.randrange(1, len(words) - 1)]
        child.full_name = " ".join(words)
    if "typo" in kinds:
        child.full_name = typo(rng, child.full_name)
    if "accents" in kinds:
        child.full_name = unaccented(child.full_name)
    if "swap" in kinds:
        child.birth_date = swapped(child.birth_date) or child.birth_date
    if "year" in kinds:
        child.birth_date = year_off(rng, child.birth_date, min(latest, child.death_date or latest))
    if "year_only" in kinds:
        child.birth_date = child.birth_date.replace(month=1, day=1)
        child.birth_date_precision = DatePrecision.YEAR
    if "commune" in kinds:
        others = [c for c in places.communes if c.pk != child.commune_id]
        child.commune, child.village, child.household = rng.choice(others), None, None
    if kinds & {"village", "commune"}:
        choices_ = [v for v in places.villages.get(child.commune_id, [])
                    if v.pk != child.village_id]
        child.village = rng.choice(choices_) if choices_ else None
    place = child.village or places.commune_of.get(child.commune_id)
    if "merger" in kinds:
        old = rng.choice(places.old_communes[child.commune_id])
        child.commune, child.village, child.household = old, None, None
        child.province_code = old.province_code
        place = old
    if place is not None:
        child.unit_path = place.path


@transaction.atomic
def corrupt(*, province_code: str, share: float, seed: int,
            latest: datetime.date | None = None) -> dict[tuple[int, int], tuple[str, ...]]:
    """Copy `share` of the province's children with mistakes; return the true pairs (smaller
    id first) with the kinds of mistake of each. No date is moved past `latest` (today)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    latest = latest or datetime.date.today()
    ids = list(Child.objects.on_record().filter(province_code=province_code)
               .order_by("id").values_list("id", flat=True))
    chosen = sorted(rng.sample(ids, int(len(ids) * share)))
    places = _places(province_code)
    copies: list[tuple[int, Child, tuple[str, ...]]] = []
    for start in range(0, len(chosen), 5_000):
        originals = Child.objects.filter(id__in=chosen[start:start + 5_000]).order_by("id")
        for child in originals:
            original_id = child.pk
            kinds = _draw_kinds(rng, child, places)
            child.pk = None
            child.public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            child.personal_id = None
            child.source_key = ""
            if rng.random() < 0.5:
                child.household = None
            _apply(rng, child, kinds, places, latest)
            child.name_folded = fold(child.full_name)
            child.name_prefixes = word_prefixes(child.name_folded)
            copies.append((original_id, child, kinds))
    Child.objects.bulk_create([c for _, c, _ in copies], batch_size=2_000)
    _copy_related(rng, [(original, copy) for original, copy, _ in copies])
    return {(min(a, c.pk), max(a, c.pk)): kinds  # type: ignore[type-var]
            for a, c, kinds in copies}


def _copy_related(rng: random.Random, copies: list[tuple[int, Child]]) -> None:
    today = datetime.date.today()
    copy_of = {original: copy for original, copy in copies}
    carers = []
    for carer in Caregiver.objects.filter(child_id__in=list(copy_of)).order_by("id"):
        copy = copy_of[carer.child_id]
        if copy.pk % 3 == 0:  # about a third of the copies come without caregivers
            continue
        carer.pk = None
        carer.public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        carer.child = copy
        carers.append(carer)
    Caregiver.objects.bulk_create(carers, batch_size=5_000)
    ChildResidence.objects.bulk_create(
        [ChildResidence(public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        child=copy, province_code=copy.province_code,
                        child_province_code=copy.province_code, commune_id=copy.commune_id,
                        village_id=copy.village_id, unit_path=copy.unit_path,
                        residence_type=copy.residence_type,
                        start_date=min(today, copy.birth_date)) for copy in copy_of.values()],
        batch_size=5_000)
