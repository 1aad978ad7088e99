"""Times the foundation's hot paths on the national unit tree and prints the figures.

The database is TREEM_BENCH_DATABASE_URL (default: a fresh SQLite file under var/). A
PostgreSQL database named there is dropped and created anew (the role needs CREATEDB), so the
figures never depend on what a demo left behind — never point it at real data.
"""

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("TREEM_BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")


def _setup() -> None:
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    if DB_URL.startswith("sqlite:///"):
        db_file = Path(DB_URL.removeprefix("sqlite:///"))
        db_file.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    else:
        _recreate_postgres_database(DB_URL)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _recreate_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg
    import psycopg.sql

    config = dj_database_url.parse(url)
    with psycopg.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"],
                         host=config["HOST"], port=config["PORT"] or 5432,
                         autocommit=True) as conn:
        name = psycopg.sql.Identifier(config["NAME"])
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(name))


def _timed(fn: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(f"{name:<48} n={len(samples):<4} p50={statistics.median(samples):7.2f} ms  "
          f"p95={p95:7.2f} ms")


def main() -> int:
    _setup()
    from django.db import connection

    from treem.accounts.models import RoleAssignment, User
    from treem.accounts.roles import Role
    from treem.accounts.scope import forget, scope_paths
    from treem.geo import selectors
    from treem.geo.loading import load_official_units
    from treem.geo.models import Level, Unit

    print(f"database: {connection.vendor} ({DB_URL.split('@')[-1]})")
    start = time.perf_counter()
    result = load_official_units()
    print(f"{'load national units (both structures + mapping)':<48} "
          f"{(time.perf_counter() - start):.2f} s  {result.counts}")

    nation = Unit.objects.get(level=Level.NATION)
    province = Unit.objects.current().get(level=Level.PROVINCE, code="79")
    national = User.objects.create(username="bench.national", full_name="Bench")
    RoleAssignment.objects.create(user=national, role=Role.INTAKE_OPERATOR, unit=nation)
    provincial = User.objects.create(username="bench.province", full_name="Bench")
    RoleAssignment.objects.create(user=provincial, role=Role.AREA_OFFICER, unit=province)

    rng = random.Random(7)  # noqa: S311 - a reproducible sample, not a secret
    names = list(Unit.objects.current().filter(level=Level.COMMUNE)
                 .values_list("name_folded", flat=True))
    queries = [rng.choice(names).split(" ", 1)[-1] for _ in range(200)]

    def search(user: User) -> Callable[[], object]:
        def run() -> object:
            forget(user)
            return list(selectors.unit_search(user=user, q=queries[rng.randrange(200)])[:50])
        return run

    _report("unit search, nation-wide scope (first page)", _timed(search(national), 200))
    _report("unit search, one province's scope", _timed(search(provincial), 200))

    def subtree() -> object:
        return Unit.objects.within(province).count()

    _report("all units under a province (path range)", _timed(subtree, 200))

    def resolve_scope() -> object:
        forget(provincial)
        return scope_paths(provincial)

    _report("scope of a province officer (with old units)", _timed(resolve_scope, 200))
    return 0


if __name__ == "__main__":
    sys.exit(main())
