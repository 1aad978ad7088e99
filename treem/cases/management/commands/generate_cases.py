import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.cases.synthetic import PER_THOUSAND, YEARS, generate_cases
from treem.geo.models import Level
from treem.geo.selectors import current_unit_by_code
from treem.registry.synthetic import REFERENCE_DATE


class Command(BaseCommand):
    help = ("Fill the case files of one province with synthetic protection cases about the "
            "children on its register (demo and benchmark data; the same seed gives the same "
            "data). Run generate_children first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True,
                            help="Code of a current province, e.g. 04 (Cao Bằng).")
        parser.add_argument("--per-thousand", type=float, default=PER_THOUSAND,
                            help=f"Cases a year per 1,000 children (default {PER_THOUSAND}).")
        parser.add_argument("--years", type=float, default=YEARS,
                            help=f"Years of reports up to the reference date (default {YEARS}).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reference-date", type=datetime.date.fromisoformat,
                            default=REFERENCE_DATE,
                            help=f"Last day of the period, the cases' 'today' (default "
                                 f"{REFERENCE_DATE}).")

    def handle(self, *args: Any, **options: Any) -> None:
        province = current_unit_by_code(Level.PROVINCE, options["province"])
        if province is None:
            raise CommandError(f"No current province with code {options['province']!r}.")
        started = time.perf_counter()
        try:
            result = generate_cases(province=province, seed=options["seed"],
                                    per_thousand=options["per_thousand"],
                                    years=options["years"],
                                    reference_date=options["reference_date"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{province.name}: {result.cases:,} cases about "
                          f"{result.children:,} children on the register")
        for label, value in (
            ("notifications", result.notifications),
            ("not confirmed", result.not_confirmed),
            *((f"at step {status}", count) for status, count in result.by_status.items()),
            ("forms of abuse", result.abuses),
            ("events", result.events),
            ("time limits", result.deadlines),
            ("time limits overdue", result.overdue),
            ("protections", result.protections),
            ("referrals", result.referrals),
            ("assessments", result.assessments),
            ("plans", result.plans),
            ("special circumstances added", result.circumstances),
            ("staff accounts created", result.staff_created),
        ):
            self.stdout.write(f"  {label}: {value:,}")
        rate = result.rows / elapsed if elapsed else 0
        self.stdout.write(self.style.SUCCESS(
            f"Done in {elapsed:.1f} s ({result.rows:,} rows, {rate:,.0f} rows per second)."))
