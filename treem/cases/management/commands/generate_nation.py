import datetime
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.cases.synthetic import PER_THOUSAND, YEARS
from treem.cases.synthetic.nation import (
    NATION_PROVINCES,
    ProvinceResult,
    generate_nation,
    nation_provinces,
)
from treem.registry.synthetic import REFERENCE_DATE, CataloguesMissing


class Command(BaseCommand):
    help = ("Fill the registers and case files of several provinces at once with synthetic "
            "children and cases, a province per worker process (demo and benchmark data; the "
            "same seed and arguments give the same rows whatever --jobs is).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=int, default=5,
                            help=f"The first N provinces of {', '.join(NATION_PROVINCES[:5])}, "
                                 "… (default 5).")
        parser.add_argument("--province", action="append", default=[],
                            help="A province code instead (repeat for several, in order).")
        parser.add_argument("--children", type=int, required=True,
                            help="Children of each province.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                            help="Provinces generated at a time (default: the cores; always "
                                 "1 on SQLite).")
        parser.add_argument("--per-thousand", type=float, default=PER_THOUSAND,
                            help=f"Cases a year per 1,000 children (default {PER_THOUSAND}).")
        parser.add_argument("--years", type=float, default=YEARS,
                            help=f"Years of cases up to the reference date (default {YEARS}).")
        parser.add_argument("--reference-date", type=datetime.date.fromisoformat,
                            default=REFERENCE_DATE,
                            help=f"Day on which ages are counted (default {REFERENCE_DATE}).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            codes = options["province"] or nation_provinces(options["provinces"])
            result = generate_nation(
                province_codes=codes, children=options["children"], seed=options["seed"],
                jobs=options["jobs"], per_thousand=options["per_thousand"],
                years=options["years"], reference_date=options["reference_date"],
                on_province=self._province_done)
        except (CataloguesMissing, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"prepared (ids, staff) in {result.prepare_seconds:.1f} s; "
                          f"sequences and statistics in {result.finish_seconds:.1f} s")
        self.stdout.write(self.style.SUCCESS(
            f"{len(result.provinces)} provinces, {result.children:,} children, "
            f"{result.rows:,} rows in {result.seconds:.1f} s with {result.jobs} job(s) "
            f"({result.rows / result.seconds:,.0f} rows/s)."))

    def _province_done(self, result: ProvinceResult) -> None:
        self.stdout.write(
            f"{result.code} {result.name}: {result.children:,} children, "
            f"register {result.register_rows:,} rows in {result.register_seconds:.1f} s "
            f"({result.register_rows / result.register_seconds:,.0f} rows/s), "
            f"{result.cases:,} cases {result.case_rows:,} rows in {result.cases_seconds:.1f} s; "
            f"{result.rows / result.seconds:,.0f} rows/s (CPU {result.cpu_seconds:.1f} s)")
        self.stdout.flush()
