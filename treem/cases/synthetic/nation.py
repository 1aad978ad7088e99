"""Several provinces at once: each one's synthetic register (`treem.registry.synthetic`) and
cases (`generate_cases`), written in parallel worker processes — the nation of the national
benchmark (`python -m benchmarks national`, `manage.py generate_nation`).

It lives with the cases because it calls both generators (the registry may not import the
cases). Each province is generated exactly as a single-province run would generate it, by the
same two functions through the same bulk writer; only three things are added:

- **Ids.** The generators take their first id as the largest one of each table plus one, read
  when they start: two provinces generated at once would take the same ids. Province number i
  (in the order given) gets its own block of every table instead, starting at the largest id
  before the run + i × a stride (a power of ten at least ten times the children of a province,
  or 10,000 units for the villages). The ids therefore depend on the order of the provinces
  and the starting database, never on which worker ran which province or when, and a
  province's own rows are the ones a run of it alone would write with those first ids. After
  the run the sequences are moved past every block and the blocks are checked not to have
  overflowed (the last id of each block is unused).
- **Staff.** The case generator creates the accounts of the commune officers and chairmen,
  the hotline operator and the sector focal points it does not find. Those of every province
  are created first, one province after another in the given order, before any worker starts,
  so that no two workers race on accounts and their ids never depend on the schedule.
- **Workers.** Provinces share no rows but the catalogues, the units and the staff, which the
  workers only read. Each worker is a forked process with its own connection: the data the
  parent wrote must be committed first, so more than one job is refused inside a transaction.
  SQLite allows one writer at a time to a file (and tests use an in-memory database), so on
  SQLite the provinces are always generated one by one in this process.
"""

import datetime
import math
import multiprocessing
import os
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, connections, transaction
from django.db.models import Max, Model

from treem.cases.synthetic.generator import COLUMNS as CASE_COLUMNS
from treem.cases.synthetic.generator import PER_THOUSAND, YEARS, generate_cases
from treem.cases.synthetic.staff import staff_for
from treem.geo.models import Level, Unit
from treem.registry.synthetic import REFERENCE_DATE, generate
from treem.registry.synthetic import profiles as p
from treem.registry.synthetic.generator import MODELS as REGISTER_MODELS
from treem.registry.synthetic.writer import after_bulk_insert

# The provinces of the national benchmark, in this order (`--provinces N` takes the first N):
# Cao Bằng, the province of every single-province benchmark, then four other regions —
# the Red River delta's capital, the Central Highlands, the Mekong (Khmer villages) and the
# north-central coast — then every other current province by code.
FIRST_PROVINCES = ("04", "01", "66", "91", "38")
NATION_PROVINCES = FIRST_PROVINCES + tuple(sorted(set(p.PROFILES) - set(FIRST_PROVINCES)))
# Rows of a table per child of the province, at most: caregivers are about 1.6 a child, and
# a test's 60 cases a year per 1,000 children make about 1.3 case events a child.
ROWS_PER_CHILD = 10
# New villages of a province: at most 25 a commune, 168 communes in the largest province.
UNIT_STRIDE = 10_000

CASE_MODELS: tuple[type[Model], ...] = tuple(CASE_COLUMNS)
MODELS: tuple[type[Model], ...] = REGISTER_MODELS + tuple(
    model for model in CASE_MODELS if model not in REGISTER_MODELS)


class BlockOverflow(RuntimeError):
    pass


@dataclass(frozen=True)
class ProvinceResult:
    code: str
    name: str
    children: int
    register_rows: int
    register_seconds: float
    cases: int
    case_rows: int
    cases_seconds: float
    # CPU time of the process that generated it: far below the wall time, the province
    # waited for the database (or for a core).
    cpu_seconds: float = 0.0

    @property
    def rows(self) -> int:
        return self.register_rows + self.case_rows

    @property
    def seconds(self) -> float:
        return self.register_seconds + self.cases_seconds


@dataclass(frozen=True)
class NationResult:
    provinces: list[ProvinceResult]
    jobs: int
    seconds: float                # the whole run, wall time
    prepare_seconds: float        # ids and staff, before the workers start
    finish_seconds: float         # sequences, planner statistics and the blocks' check

    @property
    def children(self) -> int:
        return sum(result.children for result in self.provinces)

    @property
    def rows(self) -> int:
        return sum(result.rows for result in self.provinces)


@dataclass(frozen=True)
class _Task:
    index: int
    province_id: int
    children: int
    seed: int
    per_thousand: float
    years: float
    reference_date: datetime.date
    # The province's block [first, end) of each table's ids, by model label
    # ("registry.Child"): the auto-created model of the case workers cannot be pickled.
    blocks: dict[str, tuple[int, int]]
    own_process: bool


def nation_provinces(count: int) -> tuple[str, ...]:
    """The codes of the first `count` provinces of the national benchmark."""
    if not 1 <= count <= len(NATION_PROVINCES):
        raise ValueError(f"between 1 and {len(NATION_PROVINCES)} provinces")
    return NATION_PROVINCES[:count]


def stride_for(children: int) -> int:
    """Ids a province's block of every table but the units holds."""
    return 10 ** max(6, math.ceil(math.log10(max(children, 1) * ROWS_PER_CHILD)))


def generate_nation(*, province_codes: Sequence[str], children: int, seed: int,
                    jobs: int | None = None, per_thousand: float = PER_THOUSAND,
                    years: float = YEARS, reference_date: datetime.date = REFERENCE_DATE,
                    on_province: Callable[[ProvinceResult], None] | None = None
                    ) -> NationResult:
    """Generate the register and cases of `children` children in each current province of
    `province_codes` (in that order), `jobs` provinces at a time (default: one per core;
    always one on SQLite). `on_province` is called in this process as each one is done."""
    if children < 1:
        raise ValueError("children must be at least 1")
    if len(set(province_codes)) != len(province_codes) or not province_codes:
        raise ValueError("give each province once")
    provinces = []
    for code in province_codes:
        province = Unit.objects.current().filter(level=Level.PROVINCE, code=code).first()
        if province is None:
            raise ValueError(f"no current province with code {code!r}")
        provinces.append(province)
    jobs = min(jobs or os.cpu_count() or 1, len(provinces))
    if connection.vendor == "sqlite":
        jobs = 1
    if jobs > 1 and connection.in_atomic_block:
        raise ValueError("the workers cannot see what this transaction wrote: commit it first "
                         "or use one job")
    started = time.perf_counter()
    blocks = _blocks(len(provinces), stride_for(children))
    for province in provinces:
        _prepare_staff(province, seed)
    tasks = [_Task(index=index, province_id=province.pk, children=children, seed=seed,
                   per_thousand=per_thousand, years=years, reference_date=reference_date,
                   blocks=blocks[index], own_process=jobs > 1)
             for index, province in enumerate(provinces)]
    prepared = time.perf_counter()
    results = _run(tasks, jobs, on_province)
    finishing = time.perf_counter()
    after_bulk_insert(list(MODELS))
    _check_blocks(blocks)
    ended = time.perf_counter()
    return NationResult(provinces=results, jobs=jobs, seconds=ended - started,
                        prepare_seconds=prepared - started, finish_seconds=ended - finishing)


def _blocks(count: int, stride: int) -> list[dict[str, tuple[int, int]]]:
    """For each province, its block of ids [first, end) of every table."""
    starts = {model: (model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
              for model in MODELS}
    blocks = []
    for index in range(count):
        block = {}
        for model, start in starts.items():
            size = UNIT_STRIDE if model is Unit else stride
            block[model._meta.label] = (start + index * size, start + (index + 1) * size)
        blocks.append(block)
    return blocks


def _prepare_staff(province: Unit, seed: int) -> None:
    """The case generator's accounts for every commune of the province, made now (see the
    module's docstring), drawn from the stream the case generator would use."""
    communes = list(Unit.objects.current().filter(level=Level.COMMUNE).within(province)
                    .order_by("code", "pk"))
    with transaction.atomic():
        staff_for(province=province, communes=communes,
                  rng=random.Random(f"treem-synthetic-staff:{seed}:{province.code}"))  # noqa: S311 - not for secrets


def _run(tasks: list[_Task], jobs: int,
         on_province: Callable[[ProvinceResult], None] | None) -> list[ProvinceResult]:
    results: dict[int, ProvinceResult] = {}

    def done(task: _Task, result: ProvinceResult) -> None:
        results[task.index] = result
        if on_province is not None:
            on_province(result)

    if jobs == 1:
        for task in tasks:
            done(task, _province(task))
    else:
        # A forked worker must not share the parent's connection: it opens its own.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures: dict[Future[ProvinceResult], _Task] = {
                pool.submit(_province, task): task for task in tasks}
            for future in as_completed(futures):
                done(futures[future], future.result())
    return [results[index] for index in sorted(results)]


def _province(task: _Task) -> ProvinceResult:
    """One province's register, then its cases (in a worker process or in this one)."""
    try:
        province = Unit.objects.get(pk=task.province_id)
        started, cpu = time.perf_counter(), time.process_time()
        register = generate(province=province, children=task.children, seed=task.seed,
                            reference_date=task.reference_date,
                            first_ids=_first_free(REGISTER_MODELS, task, empty=True),
                            alongside_others=task.own_process)
        between = time.perf_counter()
        cases = generate_cases(province=province, seed=task.seed,
                               per_thousand=task.per_thousand, years=task.years,
                               reference_date=task.reference_date,
                               first_ids=_first_free(CASE_MODELS, task, empty=False),
                               alongside_others=task.own_process)
        ended = time.perf_counter()
    finally:
        if task.own_process:
            connections.close_all()
    register_rows = (register.villages_created + register.households + register.children
                     + register.caregivers + register.residences + register.circumstances
                     + register.risks + register.supports + register.statuses_past)
    return ProvinceResult(code=province.code, name=province.name, children=register.children,
                          register_rows=register_rows, register_seconds=between - started,
                          cases=cases.cases, case_rows=cases.rows,
                          cases_seconds=ended - between, cpu_seconds=time.process_time() - cpu)


def _first_free(models: Sequence[type[Model]], task: _Task,
                *, empty: bool) -> dict[type[Model], int]:
    """The first unused id of each table in the province's block: its start, or after the
    rows the register wrote there (the case generator adds special circumstances). Rows in a
    block that should be `empty` are those of a province before that outgrew its own."""
    first = {}
    for model in models:
        start, end = task.blocks[model._meta.label]
        found = (model._default_manager.filter(id__gte=start, id__lt=end)
                 .aggregate(m=Max("id"))["m"])
        if found is not None and (empty or found >= end - 1):
            raise BlockOverflow(f"the block of {model._meta.label} ids of province number "
                                f"{task.index + 1} is taken: raise ROWS_PER_CHILD or "
                                "UNIT_STRIDE")
        first[model] = start if found is None else found + 1
    return first


def _check_blocks(blocks: list[dict[str, tuple[int, int]]]) -> None:
    """Ids within a block are given in a row from its start, so a province that needed more
    than its block used the block's last id (and wrote into the next province's)."""
    for index, block in enumerate(blocks):
        for label, (_start, end) in block.items():
            model = apps.get_model(label)
            if model._default_manager.filter(id=end - 1).exists():
                raise BlockOverflow(f"province number {index + 1} filled its block of "
                                    f"{label} ids: raise ROWS_PER_CHILD or UNIT_STRIDE")
