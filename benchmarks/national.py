"""The nation: several provinces' registers and cases generated at once (`manage.py
generate_nation`'s function, a province per core) with every commune's half-year report
(`manage.py generate_reports`), then what one province and the whole nation ask of them.

Targets (issue 18, 5 provinces × 1,000,000 children on PostgreSQL, this 2-core machine):
generation ≤ 15 min; every computed indicator of a period for one province no slower than
in a single-province database of 1,000,000 (docs/benchmarks.md, "Indicators"), for the whole
nation ≤ 10 s and within 2× of one hand-written SQL query; name search p95 ≤ 50 ms in a
province, ≤ 150 ms nation-wide; import and duplicate search in a province as at 1,000,000.
Run it with --provinces 1, 2 and 5 for three points of the extrapolation to 26,000,000; the
last line of each run is a summary to paste into a table.

The nation-wide search is a national area officer's (an area officer assigned to the nation):
the 111 hotline's intake operators, although their scope is the nation, see no register
(`accounts.capabilities`: VIEW_CHILDREN), so no nation-wide search is theirs.

What writes comes last, on a fresh run only (not with --reuse): the duplicate search copies 5 %
of the children of the run's last province with mistakes (as `benchmarks dedup` does: those
copies stay, --reuse searches them again), and the import adds a file of new children to the
first commune of a province the run did not generate (its own villages created as `benchmarks
import` creates them, personal ids registered in Hà Giang's former code 002, which no
generated child has), so that every row of the file is new, as in the import benchmark.
"""

import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import ROOT, database_url, fresh_database, report, timed

SEED = 20261123
PERIOD = "2026S1"
SEARCHES = 200
IMPORT_PLACE = "002"  # Hà Giang's code before 2025: no generated child was registered there


def main(*, provinces: int, children: int, reuse: bool = False, jobs: int | None = None,
         rows: int = 100_000) -> int:
    url = database_url("national")
    if url.startswith("sqlite"):
        print("python -m benchmarks national runs on PostgreSQL only (provinces are generated "
              "in parallel processes, which one SQLite file does not take): set "
              "TREEM_BENCH_DATABASE_URL=postgres://user:password@host/name (a database it "
              "may drop and create).", file=sys.stderr)
        return 2
    if reuse:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
        import django

        django.setup()
    else:
        fresh_database(url)
    from django.core.management import call_command
    from django.db import connection

    from treem.cases.synthetic.nation import nation_provinces
    from treem.geo.models import Level, Unit
    from treem.registry.models import Child

    codes = nation_provinces(provinces)
    summary: dict[str, str] = {"provinces": str(provinces)}
    if not reuse:
        summary["generate"] = _generate(codes, children, jobs)
    call_command("migrate", verbosity=0)
    call_command("load_indicators", verbosity=0)
    if not reuse:
        summary["reports"] = _reports(codes, jobs)
        summary["vacuum"] = _vacuum()
    total = Child.objects.count()
    print(f"database: {connection.vendor} ({url.split('@')[-1]}), {total:,} children in "
          f"{', '.join(codes)}", flush=True)
    summary["children"] = f"{total:,}"
    province = Unit.objects.current().get(level=Level.PROVINCE, code=codes[0])
    nation = Unit.objects.get(level=Level.NATION)
    summary.update(_indicators(province, nation))
    summary.update(_searches(province, nation, codes))
    summary.update(_dedup(codes[-1], url, reuse=reuse))
    if not reuse:
        summary.update(_import(codes, rows))
    print("summary | " + " | ".join(f"{key} {value}" for key, value in summary.items()),
          flush=True)
    return 0


def _generate(codes: tuple[str, ...], children: int, jobs: int | None) -> str:
    from treem.cases.synthetic.nation import ProvinceResult, generate_nation
    from treem.geo.loading import load_official_units
    from treem.registry.catalogues import load_catalogues

    load_official_units()
    load_catalogues()

    def done(result: ProvinceResult) -> None:
        print(f"  {result.code} {result.name}: register {result.register_rows:,} rows in "
              f"{result.register_seconds:.1f} s ({result.register_rows / result.register_seconds:,.0f}"
              f" rows/s), {result.cases:,} cases {result.case_rows:,} rows in "
              f"{result.cases_seconds:.1f} s; {result.rows / result.seconds:,.0f} rows/s, "
              f"CPU of its process {result.cpu_seconds:.1f} s", flush=True)

    result = generate_nation(province_codes=codes, children=children, seed=SEED, jobs=jobs,
                             on_province=done)
    rate = result.rows / result.seconds
    print(f"{'generate the nation':<52} {result.seconds:8.1f} s  {len(codes)} × {children:,} "
          f"children, {result.rows:,} rows, {rate:,.0f} rows/s, {result.jobs} jobs "
          f"(ids and staff {result.prepare_seconds:.1f} s, sequences and statistics "
          f"{result.finish_seconds:.1f} s)", flush=True)
    return f"{result.seconds:.0f} s ({rate:,.0f} rows/s)"


def _reports(codes: tuple[str, ...], jobs: int | None) -> str:
    """The half-year report of every commune of the generated provinces, sent and approved
    (`manage.py generate_reports`): the last part of the generation."""
    from treem.reports.synthetic import send_nation_reports

    start = time.perf_counter()
    results = send_nation_reports(province_codes=codes, period=PERIOD,
                                  jobs=jobs or os.cpu_count() or 1)
    seconds = time.perf_counter() - start
    sent = sum(result.sent for result in results)
    print(f"{f'{sent:,} reports of {PERIOD} sent and approved':<52} {seconds:8.1f} s", flush=True)
    return f"{sent:,} in {seconds:.0f} s"


def _vacuum() -> str:
    """VACUUM ANALYZE the freshly written database, as autovacuum does to a register that has
    been in use for a while: a search's walk of the name index reads the index alone only on
    pages marked all-visible (otherwise it visits the table for every name it passes)."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    seconds = time.perf_counter() - start
    print(f"{'VACUUM ANALYZE (what autovacuum would do)':<52} {seconds:8.1f} s", flush=True)
    return f"{seconds:.0f} s"


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _indicators(province: Any, nation: Any) -> dict[str, str]:
    """Every computed indicator of the period for one province, then for the nation, the
    children count beside one hand-written query over the nation (benchmarks.indicators)."""
    from django.db import connection

    from benchmarks.indicators import _HAND_WRITTEN
    from treem.indicators.catalogue import current_versions
    from treem.indicators.compute import compute, roll_up
    from treem.indicators.periods import parse
    from treem.indicators.values import spec_of

    period = parse(PERIOD)
    versions = [v for v in current_versions() if v.source == "computed"]
    specs = {v.pk: spec_of(v) for v in versions}
    print(f"{len(specs)} computed indicators, period {PERIOD}", flush=True)

    def build_all(path: str) -> Callable[[], object]:
        return lambda: roll_up(compute(specs, period, path), path)

    one = timed(build_all(province.path), 5)
    report(f"every computed indicator, {province.name}", one)
    whole = timed(build_all(nation.path), 3)
    report("every computed indicator, the nation", whole)
    figures = {"province indicators": f"{_median(one) / 1000:.2f} s",
               "nation indicators": f"{_median(whole) / 1000:.2f} s"}

    label, chosen, hand = _HAND_WRITTEN[0]
    version = next((v for v in versions if chosen(v)), None)
    if version is None:
        print(f"{label}: not in the catalogue", flush=True)
        return figures
    single = {version.pk: specs[version.pk]}
    ours = timed(lambda: compute(single, period, nation.path), 3)
    theirs = timed(lambda: hand(connection, period, nation.path), 3)
    mine = compute(single, period, nation.path)
    expected = hand(connection, period, nation.path)
    same = all((cell := mine.get((version.pk, commune, ""))) is not None
               and (cell.numerator, cell.denominator) == pair
               for commune, pair in expected.items())
    report(f"{label}, the nation: treem", ours)
    report(f"{label}, the nation: hand-written SQL", theirs)
    ratio = _median(ours) / _median(theirs)
    print(f"  ratio of medians {ratio:.2f}×, same figures for {len(expected):,} communes: "
          f"{same}", flush=True)
    figures["children count treem/hand"] = (f"{_median(ours) / 1000:.2f}/"
                                            f"{_median(theirs) / 1000:.2f} s ({ratio:.2f}×, "
                                            f"same: {same})")
    return figures


def _searches(province: Any, nation: Any, codes: tuple[str, ...]) -> dict[str, str]:
    """Name searches as `benchmarks registry` times them (the capped count and the first page
    of 50 of the register's list), by a province officer and by a national one."""
    from django.db.models import Max, Min

    from treem.accounts.models import RoleAssignment, User
    from treem.accounts.roles import Role
    from treem.lib.text import fold
    from treem.registry import selectors
    from treem.registry.models import Child
    from treem.ui.pagination import count_capped

    def officer(username: str, unit: Any) -> User:
        user, _created = User.objects.get_or_create(username=username,
                                                    defaults={"full_name": "Bench"})
        RoleAssignment.objects.get_or_create(user=user, role=Role.AREA_OFFICER, unit=unit)
        return user

    rng = random.Random(SEED)  # noqa: S311 - a reproducible sample, not a secret

    def sample(code: str, count: int) -> list[str]:
        # Drawn from the province's range of ids, the same children on every run.
        bounds = Child.objects.filter(province_code=code).aggregate(low=Min("id"), high=Max("id"))
        drawn = rng.sample(range(bounds["low"], bounds["high"] + 1),
                           k=min(count * 2, bounds["high"] - bounds["low"] + 1))
        names = dict(Child.objects.filter(id__in=drawn, province_code=code)
                     .values_list("id", "full_name"))
        return [fold(names[i]) for i in drawn if i in names][:count]

    in_province = sample(province.code, SEARCHES)
    everywhere = [name for code in codes for name in sample(code, SEARCHES // len(codes) + 1)]
    rng.shuffle(everywhere)

    def search(user: User, queries: list[str]) -> Callable[[], object]:
        def run() -> object:
            user.forget_scope()
            qs = selectors.child_list(user=user, filters=selectors.ChildFilters(
                q=queries[rng.randrange(len(queries))]))
            return (count_capped(qs), list(qs[:50]))
        return run

    def last_two(names: list[str]) -> list[str]:
        return [" ".join(name.split()[-2:]) for name in names]

    figures = {}
    for scope, user, names in (
            ("province", officer("bench.province", province), in_province),
            ("nation", officer("bench.nation", nation), everywhere)):
        for what, queries in (("full name", names), ("last two words", last_two(names))):
            samples = timed(search(user, queries), SEARCHES)
            report(f"name search, {what}, {scope} scope", samples)
            ordered = sorted(samples)
            figures[f"search {what} {scope} p95"] = (
                f"{ordered[max(0, int(len(ordered) * 0.95) - 1)]:.0f} ms")
    return figures


def _dedup(code: str, url: str, *, reuse: bool) -> dict[str, str]:
    """The duplicate search over one province, after copying 5 % of its children with
    mistakes (benchmarks.dedup); the true pairs are kept beside the database for --reuse."""
    import hashlib

    from benchmarks.dedup import SHARE, search_and_score
    from treem.geo.models import Level, Unit
    from treem.registry.synthetic.corruption import corrupt

    truth_file = (ROOT / "var" / "bench-national-truth-"
                  f"{hashlib.sha256(url.encode()).hexdigest()[:8]}-{code}.json")
    if not reuse:
        start = time.perf_counter()
        kinds = corrupt(province_code=code, share=SHARE, seed=SEED)
        truth_file.parent.mkdir(parents=True, exist_ok=True)
        truth_file.write_text(json.dumps([[a, b, list(k)] for (a, b), k in sorted(kinds.items())]))
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_child")
        print(f"{f'copy {len(kinds):,} children of {code} with mistakes':<52} "
              f"{time.perf_counter() - start:8.1f} s", flush=True)
    elif not truth_file.exists():
        print(f"duplicates: no true pairs kept for {code} ({truth_file}): run without --reuse",
              flush=True)
        return {}
    kinds = {(a, b): tuple(k) for a, b, k in json.loads(truth_file.read_text())}
    province = Unit.objects.current().get(level=Level.PROVINCE, code=code)
    seconds, f1 = search_and_score(province=province, kinds=kinds)
    return {f"dedup {code}": f"{seconds:.0f} s F1 {f1:.3f}"}


def _import(codes: tuple[str, ...], rows: int) -> dict[str, str]:
    """A file of `rows` new children imported into a commune of a province the run did not
    generate (benchmarks.registry_import), so that none of them is on the register yet."""
    from benchmarks.registry_import import _villages, measure
    from treem.cases.synthetic.nation import NATION_PROVINCES
    from treem.geo.models import Level, Unit

    spare = next((code for code in NATION_PROVINCES if code not in codes), None)
    if spare is None:
        print("import: every province was generated, no empty commune to import into",
              flush=True)
        return {}
    commune = (Unit.objects.current().filter(level=Level.COMMUNE, province_code=spare)
               .order_by("code").first())
    assert commune is not None
    print(f"import {rows:,} rows into {commune.name} ({spare})", flush=True)
    seconds = measure(rows=rows, commune=commune,
                      villages=[v.name for v in _villages(commune)], place_code=IMPORT_PLACE)
    return {"import": f"{seconds:.0f} s ({rows / seconds:,.0f} rows/s)"}
