import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.geo.models import Level
from treem.geo.selectors import current_unit_by_code
from treem.registry.synthetic import REFERENCE_DATE, CataloguesMissing, generate


class Command(BaseCommand):
    help = ("Fill the child register of one province with synthetic children (demo and "
            "benchmark data; the same seed gives the same data).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True,
                            help="Code of a current province, e.g. 04 (Cao Bằng).")
        parser.add_argument("--children", type=int, required=True, help="How many children.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--communes", type=int, default=None,
                            help="Only the first N communes (by code) get children.")
        parser.add_argument("--reference-date", type=datetime.date.fromisoformat,
                            default=REFERENCE_DATE,
                            help=f"Day on which ages are counted (default {REFERENCE_DATE}).")

    def handle(self, *args: Any, **options: Any) -> None:
        province = current_unit_by_code(Level.PROVINCE, options["province"])
        if province is None:
            raise CommandError(f"No current province with code {options['province']!r}.")
        started = time.perf_counter()
        try:
            result = generate(province=province, children=options["children"],
                              seed=options["seed"], communes=options["communes"],
                              reference_date=options["reference_date"])
        except (CataloguesMissing, ValueError) as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{province.name}: {result.children:,} children in "
                          f"{result.communes} communes")
        for label, value in (
            ("villages created", result.villages_created),
            ("households", result.households),
            ("caregivers", result.caregivers),
            ("residences", result.residences),
            ("moves between communes", result.moves),
            ("special-circumstance rows", result.circumstances),
            ("children in special circumstances", result.children_in_special_circumstances),
            ("risk flags", result.risks),
            ("supports", result.supports),
            ("past statuses", result.statuses_past),
            ("deaths", result.deaths),
        ):
            self.stdout.write(f"  {label}: {value:,}")
        rate = result.children / elapsed if elapsed else 0
        self.stdout.write(self.style.SUCCESS(
            f"Done in {elapsed:.1f} s ({rate:,.0f} children per second)."))
