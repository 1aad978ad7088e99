"""`manage.py find_duplicates [--province 04 …]`: search provinces for likely duplicates.

Meant for a nightly timer: officers find the review queue filled in the morning. Without
--province every province with children on record is searched, one after the other.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from treem.geo.models import Level, Unit
from treem.registry.dedup.search import duplicates_find
from treem.registry.models import Child


class Command(BaseCommand):
    help = "Search provinces for likely duplicate children and refill their review queues."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--province", action="append", default=[],
                            help="province code (repeatable); default: every province")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = options["province"] or sorted(
            Child.objects.order_by().values_list("province_code", flat=True).distinct())
        provinces = {p.code: p for p in Unit.objects.current().filter(level=Level.PROVINCE,
                                                                        code__in=codes)}
        unknown = sorted(set(codes) - set(provinces))
        if unknown:
            raise CommandError(f"no current province with code {', '.join(unknown)}")
        for code in codes:
            search = duplicates_find(province=provinces[code])
            self.stdout.write(f"{provinces[code].name}: {search.records:,} records, "
                              f"{search.candidates:,} candidate pairs, {search.pairs:,} likely "
                              f"duplicates, {search.seconds:.1f} s")
