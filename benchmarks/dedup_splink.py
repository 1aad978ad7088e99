"""Splink (DuckDB backend) on the same records as treem's duplicate search, for comparison.

Same read of the records, blocking rules as close as Splink expresses them (the deletion
neighbourhood of given names is replaced by the first two letters of the given name), the same
fields compared with Splink's own comparisons, its parameters estimated the usual way (random
sampling for u, expectation maximisation for m) and pairs kept at a match probability ≥ 0.5.
"""

import logging
import time


def run(province_code: str) -> tuple[set[tuple[int, int]], float]:
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from treem.registry.dedup.blocking import birth_key, given_name
    from treem.registry.dedup.records import province_records

    start = time.perf_counter()
    records = province_records(province_code)
    births = records.births
    table = pa.table({
        "unique_id": records.ids,
        "full_name": records.names,
        "surname": [name.split(" ", 1)[0] for name in records.names],
        "given_name": [given_name(name) for name in records.names],
        "given_start": [given_name(name)[:2] for name in records.names],
        "dob": [f"{b // 10_000:04d}-{b // 100 % 100:02d}-{b % 100:02d}" for b in births],
        "dob_key": [birth_key(b) for b in births],
        "birth_month": [b // 100 for b in births],
        "sex": records.sexes,
        "commune": records.communes,
        "village": [v or None for v in records.villages],
        # The first caregiver: comparing the arrays (ArrayIntersectAtSizes) scored lower.
        "carer": [records.carers.get(i, (None,))[0] for i in range(len(records))],
    })
    db_api = DuckDBAPI()
    frame = db_api.register(table)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("full_name", [0.95, 0.88]),
            cl.DamerauLevenshteinAtThresholds("given_name", [1]),
            # Exact, one character (a typo), two (day and month swapped), other.
            cl.DamerauLevenshteinAtThresholds("dob", [1, 2]),
            cl.ExactMatch("sex"),
            cl.ExactMatch("village"),
            cl.ExactMatch("commune"),
            cl.JaroWinklerAtThresholds("carer", [0.92]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob_key", "commune"),
            block_on("dob_key", "given_name"),
            block_on("dob_key", "given_start", "surname"),
            block_on("full_name", "birth_month"),
        ],
    )
    # Splink warns about every level EM could not observe; the figures are what matters here.
    linker = Linker(frame, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("full_name", "dob")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    # EM on pairs sharing only a birth date is 85 million pairs at a million records (16 GB);
    # the commune as well keeps it to a few million.
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob", "commune"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("full_name", "birth_month"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    found = {(min(row["unique_id_l"], row["unique_id_r"]), max(row["unique_id_l"], row["unique_id_r"]))
             for row in predictions.as_record_list()}
    return found, time.perf_counter() - start
