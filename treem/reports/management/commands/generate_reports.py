"""`manage.py generate_reports`: the half-year report of every commune of generated provinces,
sent and approved (`treem.reports.synthetic`); run after `generate_nation`."""

import os
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.cases.synthetic.nation import NATION_PROVINCES, nation_provinces
from treem.indicators.periods import PeriodError, parse
from treem.reports.synthetic import send_nation_reports


class Command(BaseCommand):
    help = ("Send and approve the half-year report of every commune of the provinces "
            "generate_nation filled (demo and benchmark data; after load_indicators).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=int, default=5,
                            help=f"The first N provinces of {', '.join(NATION_PROVINCES[:5])}, "
                                 "… (default 5).")
        parser.add_argument("--province", action="append", default=[],
                            help="A province code instead (repeat for several).")
        parser.add_argument("--period", default="2026S1", help="A half-year (default 2026S1).")
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                            help="Provinces at a time (default: the cores; 1 on SQLite).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse(options["period"])
        except PeriodError as error:
            raise CommandError(str(error)) from error
        if period.kind != "half":
            raise CommandError(f"{options['period']}: not a half-year (2026S1, 2026S2)")
        try:
            codes = tuple(options["province"]) or nation_provinces(options["provinces"])
            results = send_nation_reports(province_codes=codes, period=period.code,
                                          jobs=options["jobs"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        except ObjectDoesNotExist as error:
            raise CommandError(f"{error} (run load_units, generate_nation and "
                               "load_indicators first)") from error
        for result in results:
            self.stdout.write(f"{result.code}: {result.sent:,} reports sent and approved in "
                              f"{result.seconds:.1f} s")
