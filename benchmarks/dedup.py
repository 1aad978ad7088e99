"""The duplicate search over a province: speed and quality on a generated corruption set.

Target (issue 4): 1,000,000 children in ≤ 3 minutes on this 2-core machine, F1 ≥ 0.97, side by
side with Splink (run on the same records, with the same blocking rules, when it is installed:
`pip install -r requirements/bench.txt`).

The children are generated, then 5 % of them are copied with the mistakes of
treem.registry.synthetic.corruption; the copies' pairs are the truth. Pairs the search finds
between two generated children (twins with close names, namesakes born the same day) count
as false positives.

Then a table kind by kind: for each kind of mistake, how many true pairs carry it and how
many of them were found (recall), and how many of the pairs found show that kind of
difference in their evidence (a year one off, a name with a word missing…) and how many of
those are true (precision: what trusting that kind of difference costs in namesakes).
Accents leave no trace once names are folded: that kind has no precision of its own.
"""

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, database_url, fresh_database

SEED = 20261123
PROVINCE = "04"  # Cao Bằng
SHARE = 0.05
# The difference each kind of mistake leaves in a pair's evidence (scoring.compare).
SIGNATURES: dict[str, Callable[[dict[str, str]], bool]] = {
    "typo": lambda e: e["name"] == "one_typo",
    "given_typo": lambda e: e["given_name"] in ("one_edit", "sounds_alike"),
    "nickname": lambda e: e["given_name"] == "nickname",
    "middle": lambda e: e["name"] == "word_missing",
    "swap": lambda e: e["birth_date"] == "swapped",
    "year": lambda e: e["birth_date"] == "year_off",
    "year_only": lambda e: e["birth_date"] in ("same_year", "near_year"),
    "village": lambda e: e["place"] == "commune",
    "commune": lambda e: e["place"] == "elsewhere",
    "merger": lambda e: e["place"] == "former_commune",
}


_cpu = [time.process_time()]


def _stage(name: str, start: float) -> float:
    """Print the wall time of a stage, and the CPU time of this process during it (on a
    shared machine the wall time also counts the waits for a core)."""
    now, cpu = time.perf_counter(), time.process_time()
    print(f"{name:<52} {now - start:8.1f} s  (CPU {cpu - _cpu[0]:6.1f} s)", flush=True)
    _cpu[0] = cpu
    return now


def _calibrate() -> None:
    """How fast this machine runs Python now: ten million additions, about 0.4 s of CPU on
    a quiet core of the development machine; more when the cores are shared."""
    start, cpu = time.perf_counter(), time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    print(f"{'calibration: 10,000,000 additions in Python':<52} "
          f"{time.perf_counter() - start:8.1f} s  (CPU {time.process_time() - cpu:6.1f} s)",
          flush=True)


def main(*, children: int, reuse: bool = False, splink: bool = True) -> int:
    url = database_url("dedup")
    # The true pairs of the database generated last at this URL, for --reuse.
    truth_file = ROOT / "var" / f"bench-dedup-truth-{hashlib.sha256(url.encode()).hexdigest()[:8]}.json"
    if reuse:
        import os

        import django

        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
        django.setup()
    else:
        fresh_database(url)
    from django.db import connection

    from treem.geo.loading import load_official_units
    from treem.geo.models import Level, Unit
    from treem.registry.models import Child
    from treem.registry.synthetic import generate
    from treem.registry.synthetic.corruption import corrupt

    if not reuse:
        load_official_units()
        province = Unit.objects.current().get(level=Level.PROVINCE, code=PROVINCE)
        start = time.perf_counter()
        generate(province=province, children=children, seed=SEED)
        start = _stage("generate the province register", start)
        kinds = corrupt(province_code=PROVINCE, share=SHARE, seed=SEED)
        truth_file.write_text(json.dumps([[a, b, list(k)] for (a, b), k in sorted(kinds.items())]))
        _stage(f"copy {len(kinds):,} children with mistakes", start)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    kinds = {(a, b): tuple(k) for a, b, k in json.loads(Path(truth_file).read_text())}
    truth = set(kinds)
    province = Unit.objects.current().get(level=Level.PROVINCE, code=PROVINCE)
    print(f"database: {connection.vendor} ({url.split('@')[-1]}), "
          f"{Child.objects.count():,} records, {len(truth):,} true duplicate pairs")

    search_and_score(province=province, kinds=kinds)
    if splink:
        _splink(PROVINCE, truth)
    return 0


def search_and_score(*, province: Any,
                     kinds: dict[tuple[int, int], tuple[str, ...]]) -> tuple[float, float]:
    """The search over the province's records, stage by stage then end to end (writing the
    review queue), and its quality against the true pairs `kinds`: the end-to-end seconds and
    F1 (also run on a province of the national benchmark's database)."""
    from treem.registry.dedup.blocking import candidate_pairs
    from treem.registry.dedup.records import province_records
    from treem.registry.dedup.search import duplicates_find, likely_pairs
    from treem.registry.synthetic.corruption import quality

    truth = set(kinds)
    _calibrate()
    start = time.perf_counter()
    _cpu[0] = time.process_time()
    records = province_records(province.code)
    start = _stage(f"read {len(records):,} records", start)
    candidates = candidate_pairs(records)
    start = _stage(f"blocking: {len(candidates):,} candidate pairs", start)
    ids = records.ids
    evidence = {(ids[i], ids[j]): c.evidence for i, j, c in likely_pairs(records, candidates)}
    found = set(evidence)
    _stage(f"comparison: {len(found):,} likely pairs", start)
    del records, candidates

    start = time.perf_counter()
    _cpu[0] = time.process_time()
    search = duplicates_find(province=province)
    seconds = time.perf_counter() - start
    _stage("end to end (read, block, compare, write the queue)", start)
    print(f"  {search.records:,} records, {search.candidates:,} candidates, "
          f"{search.pairs:,} pairs in the queue")
    scored = quality(found, truth)
    _print_quality("treem", scored)
    _print_kinds(kinds, evidence)
    return seconds, scored.f1


def _print_quality(name: str, q: object) -> None:
    print(f"{name:<10} found={q.found:,} true={q.true_found:,} expected={q.expected:,} "  # type: ignore[attr-defined]
          f"precision={q.precision:.4f} recall={q.recall:.4f} F1={q.f1:.4f}", flush=True)  # type: ignore[attr-defined]


def _print_kinds(kinds: dict[tuple[int, int], tuple[str, ...]],
                 evidence: dict[tuple[int, int], dict[str, str]]) -> None:
    from treem.registry.synthetic.corruption import KINDS

    print(f"{'kind':<11} {'pairs':>7} {'found':>7} {'recall':>7} {'alone':>7} {'recall':>7}"
          f" {'proposed':>9} {'true':>7} {'precision':>9}")
    for kind in KINDS:
        pairs = [pair for pair, k in kinds.items() if kind in k]
        alone = [pair for pair in pairs if kinds[pair] == (kind,)]
        found = sum(pair in evidence for pair in pairs)
        found_alone = sum(pair in evidence for pair in alone)
        line = (f"{kind:<11} {len(pairs):>7,} {found:>7,} {found / max(len(pairs), 1):>7.3f} "
                f"{len(alone):>7,} {found_alone / max(len(alone), 1):>7.3f}")
        signature = SIGNATURES.get(kind)
        if signature is not None:
            proposed = [pair for pair, e in evidence.items() if signature(e)]
            true = sum(pair in kinds for pair in proposed)
            line += f" {len(proposed):>9,} {true:>7,} {true / max(len(proposed), 1):>9.3f}"
        print(line, flush=True)


def _splink(province_code: str, truth: set) -> None:
    try:
        import splink  # noqa: F401

        from benchmarks import dedup_splink
    except ImportError as error:
        print(f"splink: not installed ({error}); pip install -r requirements/bench.txt")
        return
    from treem.registry.synthetic.corruption import quality

    found, seconds = dedup_splink.run(province_code)
    print(f"{'splink end to end (read, train, predict)':<52} {seconds:8.1f} s")
    _print_quality("splink", quality(found, truth))
