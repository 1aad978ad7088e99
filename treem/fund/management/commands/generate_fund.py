import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.fund.synthetic import YEARS, generate_fund
from treem.geo.models import Level
from treem.geo.selectors import current_unit_by_code
from treem.registry.synthetic import REFERENCE_DATE


class Command(BaseCommand):
    help = ("Fill the child-protection fund of one province with synthetic donors, gifts, "
            "needs of the children on its register, allocations and deliveries (benchmark and "
            "demo data; the same seed gives the same data). Run generate_children first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True,
                            help="Code of a current province, e.g. 04 (Cao Bằng).")
        parser.add_argument("--needs", type=int, default=50_000)
        parser.add_argument("--donors", type=int, default=2_000)
        parser.add_argument("--postings", type=int, default=1_000_000,
                            help="About how many ledger postings (default 1,000,000).")
        parser.add_argument("--supports", type=int, default=20_000,
                            help="Supports added on the register (default 20,000).")
        parser.add_argument("--years", type=int, default=YEARS)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reference-date", type=datetime.date.fromisoformat,
                            default=REFERENCE_DATE,
                            help=f"Last day of the period (default {REFERENCE_DATE}).")

    def handle(self, *args: Any, **options: Any) -> None:
        province = current_unit_by_code(Level.PROVINCE, options["province"])
        if province is None:
            raise CommandError(f"No current province with code {options['province']!r}.")
        started = time.perf_counter()
        try:
            result = generate_fund(province=province, seed=options["seed"],
                                   needs_count=options["needs"], donors=options["donors"],
                                   postings=options["postings"], supports=options["supports"],
                                   years=options["years"],
                                   reference_date=options["reference_date"],
                                   progress=lambda line: self.stdout.write(f"  {line}"))
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{province.name}: {sum(result.needs.values()):,} needs "
                          f"({', '.join(f'{k} {v:,}' for k, v in result.needs.items())}), "
                          f"{result.donors:,} donors, {result.supports:,} supports added")
        for label, value in sorted({**result.counts,
                                    **{f"journals {k}": v for k, v in
                                       result.journals.items()}}.items()):
            self.stdout.write(f"  {label}: {value:,}")
        rate = result.postings / elapsed if elapsed else 0
        self.stdout.write(self.style.SUCCESS(
            f"Done in {elapsed:.1f} s ({result.postings:,} postings, {rate:,.0f} a second)."))
