"""Fills the child register of one province with synthetic, realistic-looking children.

This is a factory of test and demo data, not a way of recording children: it writes rows
directly with bulk inserts instead of going through `registry.services` (which validate,
check scope and audit one child at a time, far too slowly for a million rows), and it records
one audit event ("data_loaded") for the whole run. Nothing it writes is about a real person.

Deterministic: the same seed, province, size and reference date give the same names, dates,
numbers and history on the same starting database (ids continue from the largest one there).
Only `random.Random` instances seeded from the arguments are used, never the global generator
or the clock; `created_at` columns are the only time-dependent values.

Speed: rows are built as plain tuples and written every `batch_size` children, with
`executemany` on SQLite and COPY on PostgreSQL (see `writer`: several times faster than
`bulk_create`, whose per-value preparation was two thirds of the run); primary keys are
assigned here from the current maximum, so nothing is read back, and sequences are reset
afterwards, as `geo.loading` does. Villages, a few thousand at most, go through `bulk_create`.
"""

import datetime
import math
import random
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Model

from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Level, Unit
from treem.geo.paths import child_path
from treem.lib.text import fold
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildResidence,
    ChildRisk,
    ChildStatusPast,
    ChildSupport,
    CircumstanceGroup,
    Ethnicity,
    Household,
)
from treem.registry.synthetic import places
from treem.registry.synthetic import profiles as p
from treem.registry.synthetic.households import Commune, Synthesizer, Village
from treem.registry.synthetic.picker import Picker
from treem.registry.synthetic.rows import COLUMNS
from treem.registry.synthetic.writer import Table, after_bulk_insert, analyze, run_timestamp

REFERENCE_DATE = datetime.date(2026, 6, 30)
BATCH_SIZE = 10_000
STATISTICS_EVERY = 10  # batches between two ANALYZE of the province's partition of children
INSERT_BATCH = 2_000  # rows per INSERT statement (SQLite caps it lower by its parameter limit)
GROUP_CODES = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o")
SQLITE_CACHE_KIB = 512 * 1024
# Children of a commune at full scale (DESIGN.md, "Scale"): 1,000–10,000.
SMALLEST_COMMUNE, LARGEST_COMMUNE = 1_000, 10_000

_MODELS: dict[str, type[Model]] = {
    "unit": Unit, "household": Household, "child": Child, "caregiver": Caregiver,
    "residence": ChildResidence, "circumstance": ChildCircumstance, "risk": ChildRisk,
    "support": ChildSupport, "status_past": ChildStatusPast,
}
# The tables the generator writes with ids of its own (the villages among the units).
MODELS: tuple[type[Model], ...] = tuple(_MODELS.values())


class CataloguesMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class GenerationResult:
    province_code: str
    communes: int
    villages_created: int
    households: int
    children: int
    caregivers: int
    residences: int
    moves: int
    circumstances: int
    children_in_special_circumstances: int
    risks: int
    supports: int
    deaths: int
    statuses_past: int = 0


def generate(*, province: Unit, children: int, seed: int, communes: int | None = None,
             reference_date: datetime.date = REFERENCE_DATE, batch_size: int = BATCH_SIZE,
             actor: object = None, first_ids: Mapping[type[Model], int] | None = None,
             alongside_others: bool = False) -> GenerationResult:
    """Put `children` synthetic children on the register of the current `province`, spread
    over its communes in code order (only the first `communes` of them when given), and
    create villages in every such commune that has none. Ages are counted on
    `reference_date`; `actor` (optional) is recorded on the audit event.

    Commune sizes are drawn at full scale (1,000–10,000 children, wards larger than rural
    communes, mountain communes smaller) and scaled to the requested total.

    `first_ids` gives the first primary key of some tables (by model); the others continue
    after their largest id. Provinces generated at once in several processes each get their
    own block of ids this way (`treem.cases.synthetic.nation`): the largest id is read at the
    start, so two runs at once would otherwise take the same ones. `alongside_others`: other
    provinces are written at the same time, so the planner statistics taken at the end are
    this province's partitions only (`writer.analyze`); the caller analyses the tables after.
    """
    if province.level != Level.PROVINCE or not province.is_current:
        raise ValueError("generate() needs a current province")
    if children < 1:
        raise ValueError("children must be at least 1")
    if communes is not None and communes < 1:
        raise ValueError("communes must be at least 1")
    all_units = list(Unit.objects.current().filter(level=Level.COMMUNE).within(province)
                     .order_by("code", "pk"))
    if not all_units:
        raise ValueError(f"{province.name} has no communes")
    chosen = all_units[:communes] if communes else all_units
    ethnicity_ids, group_ids = _catalogues()
    profile = p.profile_for(province.code)
    rng = random.Random(f"treem-synthetic:{seed}:{province.code}")  # noqa: S311 - not for secrets
    # Past statuses draw from their own stream, so that adding them left every other value of
    # a seed as it was.
    past_rng = random.Random(f"treem-synthetic-past:{seed}:{province.code}")  # noqa: S311 - idem
    sizes = _commune_sizes(rng, chosen, children, profile)

    with _sqlite_cache(), transaction.atomic():
        given = first_ids or {}
        next_ids = {name: given[model] if model in given
                    else (model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
                    for name, model in _MODELS.items()}
        # UUIDs come from their own stream, seeded also by the first ids, so that a second
        # run into the same database never repeats the public ids of the first.
        id_rng = random.Random(f"treem-synthetic-ids:{seed}:{province.code}:"  # noqa: S311 - idem
                               f"{next_ids['child']}:{next_ids['unit']}")
        populated = [unit for unit, size in zip(chosen, sizes, strict=True) if size]
        contexts, new_villages = _communes(rng, id_rng, all_units, populated, profile,
                                           first_id=next_ids["unit"])
        Unit.objects.bulk_create(new_villages, batch_size=INSERT_BATCH)
        place_code = "0" + province.code
        taken = set(Child.objects.filter(personal_id__startswith=place_code)
                    .values_list("personal_id", flat=True))
        synth = Synthesizer(rng=rng, id_rng=id_rng, reference=reference_date,
                            province=province, profile=profile, ethnicity_ids=ethnicity_ids,
                            group_ids=group_ids, next_ids=next_ids,
                            taken_personal_ids=taken, past_rng=past_rng,
                            all_communes=list(contexts.values()))

        now = run_timestamp()
        tables = {name: Table(_MODELS[name], columns, now=now) for name, columns in COLUMNS.items()}

        flushes = 0

        def flush() -> None:
            nonlocal flushes
            for name, table in tables.items():
                rows = getattr(synth.rows, name)
                table.write(rows)
                rows.clear()
            flushes += 1
            if flushes % STATISTICS_EVERY == 1:
                # The reference checks of the next rows look children up in this province's
                # partition, which this transaction is filling: the planner must know its
                # size (an empty partition's plan read it all for every lookup).
                analyze([Child], province_code=province.code, partitions_only=True)

        for unit, size in zip(chosen, sizes, strict=True):
            if size:
                synth.commune(contexts[unit.pk], size, flush, batch_size)
        flush()
        after_bulk_insert(list(_MODELS.values()),
                          province_code=province.code if alongside_others else None)
        counts = synth.counts
        result = GenerationResult(
            province_code=province.code, communes=sum(1 for size in sizes if size),
            villages_created=len(new_villages), households=counts.households,
            children=counts.children, caregivers=counts.caregivers,
            residences=counts.residences, moves=counts.moves,
            circumstances=counts.circumstances,
            children_in_special_circumstances=counts.with_circumstance, risks=counts.risks,
            supports=counts.supports, deaths=counts.deaths, statuses_past=counts.statuses_past,
        )
        event_record(actor=actor, action=Action.DATA_LOADED, unit=province,
                     reason=(f"synthetic register: seed={seed} children={result.children} "
                             f"communes={result.communes} households={result.households} "
                             f"villages_created={result.villages_created} "
                             f"reference_date={reference_date.isoformat()}"))
    return result


def _catalogues() -> tuple[dict[str, int], dict[str, int]]:
    ethnicity_ids = dict(Ethnicity.objects.values_list("code", "id"))
    group_ids = dict(CircumstanceGroup.objects.values_list("code", "id"))
    missing_ethnicities = sorted({code for profile in p.PROFILES.values() for code in profile.mix}
                                 - set(ethnicity_ids))
    missing_groups = [code for code in GROUP_CODES if code not in group_ids]
    if missing_ethnicities or missing_groups:
        raise CataloguesMissing(
            "Load the catalogues first (manage.py load_catalogues): missing ethnic groups "
            f"{missing_ethnicities or '-'}, circumstance groups {missing_groups or '-'}.")
    return ethnicity_ids, group_ids


def _commune_sizes(rng: random.Random, communes: list[Unit], total: int,
                   profile: p.Profile) -> list[int]:
    """Children per commune: full-scale sizes scaled to `total` (largest remainders)."""
    weights = []
    for unit in communes:
        if unit.kind == "Phường":
            median = 6_000
        elif unit.kind == "Đặc khu":
            median = 1_500
        else:
            median = (2_500, 3_500, 5_000)[2 - profile.terrain]
        size = median * math.exp(rng.gauss(0, 0.4))
        weights.append(min(max(size, SMALLEST_COMMUNE), LARGEST_COMMUNE))
    scale = total / sum(weights)
    exact = [weight * scale for weight in weights]
    sizes = [int(value) for value in exact]
    short = total - sum(sizes)
    by_remainder = sorted(range(len(exact)), key=lambda i: (sizes[i] - exact[i], i))
    for index in by_remainder[:short]:
        sizes[index] += 1
    return sizes


def _commune_mix(rng: random.Random, profile: p.Profile, *, urban: bool) -> Picker[str]:
    """The province's ethnic mix, varied from commune to commune; towns are more Kinh."""
    weights = []
    for code, share in profile.mix.items():
        weight = share * math.exp(rng.gauss(0, 0.7))
        if urban and code == p.KINH:
            weight *= 4
        elif urban and code == "04":
            weight *= 2
        weights.append((code, weight))
    return Picker(weights)


def _communes(rng: random.Random, id_rng: random.Random, all_units: list[Unit],
              chosen: list[Unit], profile: p.Profile,
              *, first_id: int) -> tuple[dict[int, Commune], list[Unit]]:
    existing: dict[int, list[Unit]] = {}
    for village in (Unit.objects.filter(level=Level.VILLAGE, valid_to__isnull=True,
                                        parent__in=[unit.pk for unit in all_units])
                    .order_by("code", "pk")):
        existing.setdefault(village.parent_id, []).append(village)  # type: ignore[arg-type]
    chosen_ids = {unit.pk for unit in chosen}
    contexts: dict[int, Commune] = {}
    created: list[Unit] = []
    next_id = first_id
    for unit in all_units:
        urban = unit.kind == "Phường"
        mix = _commune_mix(rng, profile, urban=urban)
        # A village is mostly of one people: the one it is named after when it is new.
        peopled = [(village, mix(rng)) for village in existing.get(unit.pk, [])]
        if not peopled and unit.pk in chosen_ids:
            peopled = _new_villages(rng, id_rng, unit, mix, profile, first_id=next_id)
            next_id += len(peopled)
            created.extend(village for village, _ in peopled)
        villages = [Village(unit_id=v.pk, path=v.path, name=v.name, ethnicity=ethnicity)
                    for v, ethnicity in peopled]
        picker = Picker((v, rng.lognormvariate(0, 0.5)) for v in villages) if villages else None
        contexts[unit.pk] = Commune(unit=unit, villages=villages, village_picker=picker, mix=mix,
                                    urban=urban)
    return contexts, created


def _new_villages(rng: random.Random, id_rng: random.Random, commune: Unit, mix: Picker[str],
                  profile: p.Profile, *, first_id: int) -> list[tuple[Unit, str]]:
    """5–25 villages (thôn, bản, tổ dân phố…) with the people most of each village belongs
    to, after whom it is named."""
    urban = commune.kind == "Phường"
    count = rng.randint(8, 25) if urban or profile.terrain == 2 else rng.randint(5, 20)
    taken: set[str] = set()
    numbers: dict[str, int] = {}
    villages: list[tuple[Unit, str]] = []
    for index in range(count):
        ethnicity = mix(rng)
        culture = places.culture_of(ethnicity)
        if urban:
            kind = profile.ward_kind
            proper = None if rng.random() < 0.85 else places.village_proper_name(
                rng, culture="kinh", region=profile.region)
        else:
            kind = places.village_kind(rng, culture=culture, profile=profile)
            proper = places.village_proper_name(rng, culture=culture, region=profile.region)
        name = ""
        for _ in range(10):
            if proper is None:
                break
            name = f"{kind} {proper}"
            if fold(name) not in taken:
                break
            proper = places.village_proper_name(rng, culture=culture, region=profile.region)
            name = ""
        while not name or fold(name) in taken:
            numbers[kind] = numbers.get(kind, 0) + 1
            name = f"{kind} {numbers[kind]}"
        taken.add(fold(name))
        unit_id = first_id + index
        villages.append((Unit(
            id=unit_id, public_id=_uuid(id_rng), level=Level.VILLAGE,
            code=f"{commune.code}-{index + 1:03d}", name=name, kind=kind, name_folded=fold(name),
            parent_id=commune.pk, path=child_path(commune.path, unit_id),
            province_code=commune.province_code, valid_from=None, valid_to=None,
        ), ethnicity))
    return villages


def _uuid(id_rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=id_rng.getrandbits(128), version=4)


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    """A large SQLite page cache for the run, then the previous one again.

    Rows arrive in key order, but the indexes on UUIDs, folded names and personal ids take
    them at random places; with the default 2 MB cache a million-child run spends most of its
    time re-reading index pages. SQLite fills the cache only as pages are used.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")
