"""A corruption set: copies of generated children entered again with the mistakes officers
make, and the list of which copy belongs to which child, to measure the duplicate search.

Each copy gets one or two of: a typo in one word of the name, the name without accents, day
and month of birth swapped, another village of the commune, a move to another commune of the
province. A copy never carries the identification number (it is unique on the register) and
keeps the caregivers in about two cases out of three.
"""

import datetime
import random
import unicodedata
import uuid
from dataclasses import dataclass

from django.db import transaction

from treem.geo.models import Level, Unit
from treem.lib.text import fold, word_prefixes
from treem.registry.models import Caregiver, Child, ChildResidence

KINDS = ("typo", "accents", "swap", "village", "commune")
WEIGHTS = (35, 25, 15, 15, 10)
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"


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


def quality(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> Quality:
    """Precision and recall of pairs of ids (smaller id first)."""
    return Quality(found=len(found), true_found=len(found & truth), expected=len(truth))


def typo(rng: random.Random, name: str) -> str:
    words = name.split()
    at = rng.randrange(len(words))
    word = words[at]
    spot = rng.randrange(len(word))
    kind = rng.randrange(4) if len(word) > 2 else 0
    if kind == 0:    # another letter
        word = word[:spot] + rng.choice(LETTERS) + word[spot + 1:]
    elif kind == 1:  # a letter left out
        word = word[:spot] + word[spot + 1:]
    elif kind == 2:  # a letter typed twice
        word = word[:spot] + word[spot] + word[spot:]
    else:            # two letters swapped
        spot = min(spot, len(word) - 2)
        word = word[:spot] + word[spot + 1] + word[spot] + word[spot + 2:]
    words[at] = word
    return " ".join(words)


def unaccented(name: str) -> str:
    text = name.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(ch))


def swapped(day: datetime.date) -> datetime.date | None:
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)


@transaction.atomic
def corrupt(*, province_code: str, share: float, seed: int) -> set[tuple[int, int]]:
    """Copy `share` of the province's children with mistakes; return the true pairs."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    ids = list(Child.objects.on_record().filter(province_code=province_code)
               .order_by("id").values_list("id", flat=True))
    chosen = sorted(rng.sample(ids, int(len(ids) * share)))
    units = Unit.objects.filter(province_code=province_code, valid_to__isnull=True)
    villages: dict[int, list[Unit]] = {}
    communes: list[Unit] = []
    for unit in units.filter(level__in=[Level.VILLAGE, Level.COMMUNE]).only(
            "id", "path", "level", "parent_id"):
        if unit.level == Level.VILLAGE:
            villages.setdefault(unit.parent_id, []).append(unit)  # type: ignore[arg-type]
        else:
            communes.append(unit)
    commune_of = {c.pk: c for c in communes}
    copies: list[tuple[int, Child]] = []
    for start in range(0, len(chosen), 5_000):
        originals = Child.objects.filter(id__in=chosen[start:start + 5_000]).order_by("id")
        for child in originals:
            original_id = child.pk
            kinds = set(rng.choices(KINDS, WEIGHTS, k=rng.choice((1, 1, 2))))
            child.pk = None
            child.public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            child.personal_id = None
            child.source_key = ""
            if rng.random() < 0.5:
                child.household = None
            if "typo" in kinds:
                child.full_name = typo(rng, child.full_name)
            if "accents" in kinds:
                child.full_name = unaccented(child.full_name)
            if "swap" in kinds:
                child.birth_date = swapped(child.birth_date) or child.birth_date
            if "commune" in kinds and len(communes) > 1:
                commune = rng.choice(communes)
                child.commune, child.village, child.household = commune, None, None
            if kinds & {"village", "commune"}:
                choices_ = villages.get(child.commune_id, [])
                child.village = rng.choice(choices_) if choices_ else None
            place = child.village or commune_of.get(child.commune_id)
            if place is not None:
                child.unit_path = place.path
            child.name_folded = fold(child.full_name)
            child.name_prefixes = word_prefixes(child.name_folded)
            copies.append((original_id, child))
    Child.objects.bulk_create([c for _, c in copies], batch_size=2_000)
    _copy_related(rng, copies)
    return {(min(a, c.pk), max(a, c.pk)) for a, c in copies}  # type: ignore[type-var]


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
                        child=copy, province_code=copy.province_code, commune_id=copy.commune_id,
                        village_id=copy.village_id, unit_path=copy.unit_path,
                        residence_type=copy.residence_type,
                        start_date=min(today, copy.birth_date)) for copy in copy_of.values()],
        batch_size=5_000)
