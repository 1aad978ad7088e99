"""A worker killed with SIGKILL while it writes the fund, on either database: a statement
import leaves no receipt, journal, posting or donor of its file, and the file imports again
whole; a checkpoint being rewritten leaves last night's whole, every balance still right."""

from pathlib import Path
from typing import Any

import pytest
from django.db.models import Sum

from treem.fund import balances, selectors, services
from treem.fund.importing import statement_import
from treem.fund.models import Donor, Fund, Journal, Posting, Receipt
from treem.fund.tests.test_importing import line, statement
from treem.fund.tests.test_ledger import DAY
from treem.registry.tests.test_import_crash import SharedDatabase


def killed_at(shared: SharedDatabase, marker: Path, *args: str) -> None:
    """Run the fund's worker with `args`, killed once it has made its inserts (MARKER)."""
    shared.killed_once(marker, "treem.fund.tests.fund_worker", str(marker), *args)


def every_journal_balanced() -> bool:
    return not (Posting.objects.values("journal").annotate(total=Sum("amount"))
                .exclude(total=0).exists())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class KilledWorkerTests:
    def test_an_import_killed_mid_write_leaves_nothing_and_imports_again(
            self, tmp_path: Path, fund: Fund, manager: Any) -> None:
        path = tmp_path / "sao ke.xlsx"
        path.write_bytes(statement(*(line(f"FT2615{n:04d}", 100_000 + n, f"NGUOI GUI {n}")
                                     for n in range(1, 121))))
        before = (Receipt.objects.count(), Journal.objects.count(), Donor.objects.count())

        # Its donors, journals and postings written, and its receipts' insert.
        killed_at(SharedDatabase(tmp_path), tmp_path / "inserting", "1", "fund_receipt",
                  "statement", str(fund.public_id), manager.username, str(path))

        assert (Receipt.objects.count(), Journal.objects.count(),
                Donor.objects.count()) == before
        assert every_journal_balanced()
        report = statement_import(actor=manager, fund=fund, file=path.read_bytes(), mode="all",
                                  create_donors=True)
        assert (len(report.imported), len(report.errors)) == (120, 0)
        assert Receipt.objects.filter(fund=fund).count() == 120

    def test_a_checkpoint_killed_mid_rewrite_leaves_the_last_one_whole(
            self, tmp_path: Path, fund: Fund, manager: Any) -> None:
        for n in range(1, 31):
            donor = services.donor_create(actor=manager, fund=fund, kind="individual",
                                          name=f"Người góp {n}")
            services.receipt_record(actor=manager, fund=fund, donor=donor, amount=n * 10_000,
                                    received_on=DAY, channel="cash", receipt_number=f"BL-{n}")
        last_night = balances.checkpoint_write(fund)
        services.receipt_record(actor=manager, fund=fund, donor=donor, amount=5_000_000,
                                received_on=DAY, channel="cash", receipt_number="BL-SAU")
        expected = selectors.balances(fund=fund)

        killed_at(SharedDatabase(tmp_path), tmp_path / "summing", "1", "fund_checkpointsum",
                  "checkpoint", str(fund.public_id))

        assert balances.checkpoint_upto(fund) == last_night.upto
        assert balances.checkpoint_check(fund) == []
        assert selectors.balances(fund=fund) == expected
        assert balances.checkpoint_write(fund).upto > last_night.upto
        assert selectors.balances(fund=fund) == expected
