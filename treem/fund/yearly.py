"""The yearly fund report (báo cáo năm của Quỹ): what the fund mobilised and spent in a year,
the children and households helped by kind and by commune, the balances, the donors named —
the public account's figures (`treem.fund.public`, with its suppression of small counts: the
report goes up to the province and beyond) — with, for the fund's readers, the balance of each
earmark at the year's end and how much of the year's needs list was met.

`assemble` gives it as JSON-ready data (`content`), which the page, the PDF and the Excel file
render, and which is what a yearly periodic report would freeze when the report is attached
to it (as a plan's implementation report is, `treem.plans.implementation`): what a report
said, it says for ever. Figures as they stand corrected (a gift reversed since counts
nowhere); the earmarks' balances likewise, so that they add up to the year's closing
balance."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.fund import public
from treem.fund import public_sums as sums
from treem.fund.indicators import needs_met
from treem.fund.models import Account, Fund, JournalKind, Posting, Restriction

CONTENT_VERSION = 1  # of the frozen JSON's shape
HELD = (Account.AVAILABLE, Account.ALLOCATED)


@dataclass(frozen=True)
class Earmark:
    label: str
    available: int
    allocated: int

    @property
    def held(self) -> int:
        return self.available + self.allocated


def earmarks(fund: Fund, end: datetime.date) -> list[Earmark]:
    """Each earmark's money held at `end` (not allocated yet; allocated, not delivered), its
    postings summed in one grouped query, gifts reversed since and their reversals left out.
    (A child's earmark is labelled by a reference, never the child's name.)"""
    reversed_ids = sums.reversed_journals(fund)
    rows = (Posting.objects.filter(fund=fund, account__in=HELD, journal__day__lte=end)
            .exclude(journal__kind=JournalKind.REVERSAL)
            .exclude(journal_id__in=reversed_ids)
            .values("restriction_id", "account").annotate(total=Sum("amount")).order_by())
    held: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(HELD, 0))
    for row in rows:
        held[row["restriction_id"]][row["account"]] = int(row["total"])
    labels = {r.pk: str(r) for r in Restriction.objects.filter(pk__in=held)}
    found = [Earmark(labels[pk], held[pk][Account.AVAILABLE], held[pk][Account.ALLOCATED])
             for pk in held]
    return sorted((e for e in found if e.available or e.allocated),
                  key=lambda e: (-e.held, e.label))


@dataclass(frozen=True)
class YearlyReport:
    fund_id: str
    figures: public.PublicFigures
    earmarks: list[Earmark]
    needs_listed: int
    needs_met: int
    assembled_at: datetime.datetime

    def content(self) -> dict[str, Any]:
        """As JSON: the figures as published, and the readers' own parts (small counts of
        needs suppressed alike; no share of a list under 5)."""
        listed, met = self.needs_listed, self.needs_met
        return {
            "version": CONTENT_VERSION, "fund_id": self.fund_id,
            "assembled_at": self.assembled_at.isoformat(),
            "assembled_label": f"{timezone.localtime(self.assembled_at):%d/%m/%Y %H:%M}",
            "figures": self.figures.as_json(),
            "earmarks": [{"label": e.label, "available": e.available,
                          "allocated": e.allocated, "held": e.held} for e in self.earmarks],
            "needs": {"listed": public.shown(listed), "met": public.shown(met),
                      "percent": met * 100 // listed if listed >= public.SMALL else None},
            "title": _("Báo cáo năm %(year)s của %(fund)s") % {
                "year": self.figures.year, "fund": self.figures.fund},
        }


def assemble(*, fund: Fund, year: int, today: datetime.date | None = None) -> YearlyReport:
    """The yearly report of `fund` (one the user reads: `selectors.get_fund_for_user`) for
    `year`, as it stands `today`."""
    today = today or timezone.localdate()
    figures = public.public_figures(fund=fund, year=year, today=today)
    listed, met = needs_met(fund=fund, year=year, until=figures.as_of)
    return YearlyReport(fund_id=str(fund.public_id), figures=figures,
                        earmarks=earmarks(fund, datetime.date(year, 12, 31)),
                        needs_listed=listed, needs_met=met, assembled_at=timezone.now())
