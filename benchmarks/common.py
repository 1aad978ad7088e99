"""Shared set-up of the benchmarks: a fresh database, timing and reporting."""

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_url(name: str) -> str:
    return os.environ.get("TREEM_BENCH_DATABASE_URL",
                          f"sqlite:///{ROOT / 'var' / f'bench-{name}.sqlite3'}")


def fresh_database(url: str) -> None:
    """Point Django at `url`, emptied (PostgreSQL: dropped and created) and migrated."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    if url.startswith("sqlite:///"):
        db_file = Path(url.removeprefix("sqlite:///"))
        db_file.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    else:
        _recreate_postgres_database(url)
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


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"{name:<52} n={len(ordered):<4} p50={statistics.median(ordered):8.2f} ms  "
          f"p95={p95:8.2f} ms", flush=True)


def generate_register(*, children: int, seed: int, province_code: str) -> None:
    """The official units, then one province's synthetic register (timed): the start of the
    benchmarks that read a register (the generator leaves fresh planner statistics)."""
    from treem.geo.loading import load_official_units
    from treem.geo.models import Level, Unit
    from treem.registry.synthetic import generate

    load_official_units()
    province = Unit.objects.current().get(level=Level.PROVINCE, code=province_code)
    start = time.perf_counter()
    generate(province=province, children=children, seed=seed)
    print(f"{'generate the province register':<52} {time.perf_counter() - start:8.1f} s",
          flush=True)


def evict_caches() -> bool:
    """Drop the benchmark database's pages from every cache the machine keeps, so that the
    next queries read them from disk, as the first searches of a day do after other work
    filled the memory: PostgreSQL's shared buffers are refilled with another table (an
    index scan, which is not confined to a small ring of buffers as a sequential scan is),
    then the kernel is told that the files of this one database are not needed
    (POSIX_FADV_DONTNEED: clean pages only, nothing is written or lost). Only the files of
    the benchmark's own database are touched, and only when they can be opened (a server on
    this machine whose data directory the benchmark may read: `TREEM_BENCH_PGDATA`, else
    Debian's default for PostgreSQL 15). Returns whether it could."""
    from django.db import connection

    if connection.vendor == "sqlite":
        files = [Path(connection.settings_dict["NAME"])]
        connection.close()  # SQLite's page cache lives in the connection
        files += [Path(f"{files[0]}{suffix}") for suffix in ("-wal", "-shm")]
        return _drop_from_page_cache([f for f in files if f.exists()])
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        database_oid = cursor.fetchone()[0]
        # Reading the server's setting takes a privilege the benchmark's role lacks.
        data_dir = os.environ.get("TREEM_BENCH_PGDATA", "/var/lib/postgresql/15/main")
        folder = Path(data_dir) / "base" / str(database_oid)
        try:
            files = [f for f in folder.iterdir() if f.is_file()]
        except OSError:
            return False
        # Push this database's pages out of the 128 MB (or so) of shared buffers.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        cursor.execute("SELECT count(*) FROM (SELECT start_date FROM registry_childresidence "
                       "ORDER BY id) AS rows")
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_bitmapscan")
    connection.close()  # and the backend's own caches (catalogue, plans)
    return _drop_from_page_cache(files)


def _drop_from_page_cache(files: list[Path]) -> bool:
    if not hasattr(os, "posix_fadvise"):
        return False
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return True
