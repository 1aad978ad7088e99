"""The duplicate search over a province: speed and quality on a generated corruption set.

Target (issue 4): 1,000,000 children in ≤ 3 minutes on this 2-core machine, F1 ≥ 0.97, side by
side with Splink (run on the same records, with the same blocking rules, when it is installed:
`pip install -r requirements/bench.txt`).

The children are generated, then 5 % of them are copied with the mistakes of
treem.registry.synthetic.corruption; the copies' pairs are the truth. Pairs the search finds
between two generated children (twins with close names, namesakes born the same day) count
as false positives.
"""

import hashlib
import json
import time
from pathlib import Path

from benchmarks.common import ROOT, database_url, fresh_database

SEED = 20261123
PROVINCE = "04"  # Cao Bằng
SHARE = 0.05


def _stage(name: str, start: float) -> float:
    now = time.perf_counter()
    print(f"{name:<52} {now - start:8.1f} s", flush=True)
    return now


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
    from treem.registry.dedup.blocking import candidate_pairs
    from treem.registry.dedup.records import province_records
    from treem.registry.dedup.search import duplicates_find, likely_pairs
    from treem.registry.models import Child
    from treem.registry.synthetic import generate
    from treem.registry.synthetic.corruption import corrupt, quality

    if not reuse:
        load_official_units()
        province = Unit.objects.current().get(level=Level.PROVINCE, code=PROVINCE)
        start = time.perf_counter()
        generate(province=province, children=children, seed=SEED)
        start = _stage("generate the province register", start)
        truth = corrupt(province_code=PROVINCE, share=SHARE, seed=SEED)
        truth_file.write_text(json.dumps(sorted(truth)))
        _stage(f"copy {len(truth):,} children with mistakes", start)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    truth = {tuple(pair) for pair in json.loads(Path(truth_file).read_text())}
    province = Unit.objects.current().get(level=Level.PROVINCE, code=PROVINCE)
    print(f"database: {connection.vendor} ({url.split('@')[-1]}), "
          f"{Child.objects.count():,} records, {len(truth):,} true duplicate pairs")

    start = time.perf_counter()
    records = province_records(PROVINCE)
    start = _stage(f"read {len(records):,} records", start)
    candidates = candidate_pairs(records)
    start = _stage(f"blocking: {len(candidates):,} candidate pairs", start)
    ids = records.ids
    found = {(ids[i], ids[j]) for i, j, _ in likely_pairs(records, candidates)}
    _stage(f"comparison: {len(found):,} likely pairs", start)
    del records, candidates

    start = time.perf_counter()
    search = duplicates_find(province=province)
    _stage("end to end (read, block, compare, write the queue)", start)
    print(f"  {search.records:,} records, {search.candidates:,} candidates, "
          f"{search.pairs:,} pairs in the queue")
    _print_quality("treem", quality(found, truth))
    if splink:
        _splink(PROVINCE, truth)
    return 0


def _print_quality(name: str, q: object) -> None:
    print(f"{name:<10} found={q.found:,} true={q.true_found:,} expected={q.expected:,} "  # type: ignore[attr-defined]
          f"precision={q.precision:.4f} recall={q.recall:.4f} F1={q.f1:.4f}", flush=True)  # type: ignore[attr-defined]


def _splink(province_code: str, truth: set) -> None:
    try:
        from benchmarks import dedup_splink
    except ImportError as error:
        print(f"splink: not installed ({error}); pip install -r requirements/bench.txt")
        return
    from treem.registry.synthetic.corruption import quality

    found, seconds = dedup_splink.run(province_code)
    print(f"{'splink end to end (read, train, predict)':<52} {seconds:8.1f} s")
    _print_quality("splink", quality(found, truth))
