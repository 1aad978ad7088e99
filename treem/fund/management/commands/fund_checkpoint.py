import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.fund.balances import checkpoint_check, checkpoint_write
from treem.fund.models import Fund


class Command(BaseCommand):
    help = ("Rewrite each fund's balance checkpoint (the sums of its postings so far), so that "
            "balances read only the postings since; nightly. With --check, first sum every "
            "fund's postings again and fail on any checkpoint that differs.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true",
                            help="verify the checkpoints before rewriting them")

    def handle(self, *args: object, **options: object) -> None:
        differing = []
        for fund in Fund.objects.order_by("id"):
            if options["check"] and (keys := checkpoint_check(fund)):
                differing.append(f"{fund.pk}: {len(keys)}")
            started = time.perf_counter()
            written = checkpoint_write(fund)
            self.stdout.write(f"fund {fund.pk}: {written.postings} postings up to "
                              f"{written.upto} in {written.buckets} sums, "
                              f"{time.perf_counter() - started:.1f} s")
        if differing:
            raise CommandError("checkpoints that differed from their postings (rewritten): "
                               + ", ".join(differing))
