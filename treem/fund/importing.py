"""Receipts imported from a bank statement (Excel): each credit of the statement checked as
`services.receipt_record` checks one typed by hand, then every good row written at once with the
same journal, postings and audit (`statement_writing`).

- A bank reference is received once per fund: a row whose reference the fund already holds is
  reported as already recorded, not an error, so that a statement imported twice (or two
  overlapping periods) adds nothing the second time.
- Mode "all": any error and nothing is written, every error listed by row and column. Mode
  "valid": the valid rows are written and the wrong ones listed.
- The donor of a row is found by tax code, else by name (accents and case aside). A donor not
  found is an error, unless `create_donors`: then one is created (not named publicly).
- One import of a fund at a time: the fund's row is locked before the references it holds are
  read, so two imports of the same file at once cannot both record a transfer (the second
  waits, then finds every reference recorded) nor deadlock on each other's references.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.fund import exceptions as exc
from treem.fund import services
from treem.fund.models import Donor, DonorKind, Fund, Receipt, Restriction
from treem.fund.statement_reading import COLUMNS, Statement, StatementRow, read_statement
from treem.fund.statement_writing import Planned, receipts_write
from treem.lib.text import fold
from treem.ui.xlsx import FileRejected

CHUNK = 500  # values a query's IN holds: far under every database's limit

MODE_UNKNOWN = _("Hãy chọn cách nhập: tất cả hoặc không dòng nào, hay chỉ các dòng hợp lệ.")
ALREADY_RECORDED = _("Giao dịch %(reference)s đã được ghi nhận trước đây: bỏ qua, không ghi "
                     "lần thứ hai.")
RECORDED_OTHERWISE = _("Giao dịch %(reference)s đã được ghi nhận với số tiền %(amount)s đồng, "
                       "khác với sao kê: hãy kiểm tra lại khoản đã ghi.")
REFERENCE_TWICE = _("Mã giao dịch %(reference)s đã có ở dòng %(row)s của tệp.")
NO_DONOR_NAMED = _("Chưa có nhà tài trợ “%(name)s” trong quỹ: hãy thêm nhà tài trợ rồi nhập "
                   "lại.")
NO_DONOR_WITH_TAX_CODE = _("Chưa có nhà tài trợ có mã số thuế %(tax_code)s trong quỹ: hãy thêm "
                           "nhà tài trợ rồi nhập lại.")
DONOR_AMBIGUOUS = _("Quỹ có %(n)s nhà tài trợ cùng tên “%(name)s”: hãy ghi khoản này bằng tay, "
                    "chọn đúng nhà tài trợ.")

# A service's field → the statement's column that holds it ("" for the whole row).
FIELD_COLUMNS = {"amount": "credit", "received_on": "day", "bank_reference": "reference",
                 "tax_code": "tax_code"}


class Mode(models.TextChoices):
    ALL = "all", _("Tất cả hoặc không dòng nào")
    VALID = "valid", _("Chỉ các dòng hợp lệ")


@dataclass(frozen=True)
class RowNote:
    row: int      # the row's number as the spreadsheet shows it
    column: str   # the column's header as the file writes it; "" for the whole row
    message: str


@dataclass(frozen=True)
class ImportedRow:
    row: int
    receipt: Receipt


@dataclass
class StatementReport:
    """What an import did, row by row. `written` is False when mode "all" met an error: then
    nothing was written, and `imported` and `donors_created` are empty."""

    mode: str
    written: bool = True
    imported: list[ImportedRow] = field(default_factory=list)
    already_recorded: list[RowNote] = field(default_factory=list)
    passed_over: list[RowNote] = field(default_factory=list)  # debits, totals: no receipts
    errors: list[RowNote] = field(default_factory=list)
    donors_created: list[Donor] = field(default_factory=list)
    valid_rows: list[int] = field(default_factory=list)  # written, or would have been


def statement_import(*, actor: User, fund: Fund, file: bytes | IO[bytes] | File, mode: str,
                     restriction: Restriction | None = None, create_donors: bool = False
                     ) -> StatementReport:
    """The credits of the bank statement `file` received into `fund` (under `restriction`, none:
    unrestricted). PermissionDenied unless `actor` manages the fund; ValidationError for a bad
    mode or restriction, or a file that cannot be read as a statement (under "file")."""
    services.require_manager(actor, fund)
    if mode not in Mode.values:
        raise ValidationError({"mode": MODE_UNKNOWN})
    if restriction is not None and restriction.fund_id != fund.pk:
        raise ValidationError({"restriction": exc.RESTRICTION_OF_ANOTHER_FUND})
    try:
        statement = read_statement(file)
    except FileRejected as error:
        raise ValidationError({"file": error.message}) from error
    report = StatementReport(mode=mode)
    with transaction.atomic():
        fund = _lock_fund(fund)
        # The unrestricted earmark found once, not by each receipt.
        _Import(actor=actor, fund=fund, statement=statement,
                restriction=restriction or services.unrestricted(fund),
                create_donors=create_donors, report=report).run()
        if mode == Mode.ALL and report.errors:
            transaction.set_rollback(True)
            report.written = False
            report.imported.clear()
            report.donors_created.clear()
    return report


def _lock_fund(fund: Fund) -> Fund:
    return services.lock(fund)  # the lock every spending of the fund takes


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


class _Import:
    """One run over a statement's rows, in the transaction holding the fund's lock."""

    def __init__(self, *, actor: User, fund: Fund, statement: Statement,
                 restriction: Restriction, create_donors: bool,
                 report: StatementReport) -> None:
        self.actor, self.fund, self.statement = actor, fund, statement
        self.restriction, self.create_donors, self.report = restriction, create_donors, report
        self.today = timezone.localdate()
        rows = [row for row in statement.rows if not row.note]
        self.recorded: dict[str, int] = {}  # reference → amount, of the fund's receipts
        for chunk in _chunks(row.reference for row in rows if row.reference):
            self.recorded.update(Receipt.objects.filter(fund=fund, bank_reference__in=chunk)
                                 .values_list("bank_reference", "amount"))
        self.by_tax_code: dict[str, Donor] = {}
        for chunk in _chunks(row.tax_code for row in rows if row.tax_code):
            self.by_tax_code.update((donor.tax_code, donor) for donor in
                                    Donor.objects.filter(fund=fund, tax_code__in=chunk))
        self.by_name: dict[str, list[Donor]] = {}
        for chunk in _chunks(fold(row.name) for row in rows if row.name):
            for donor in Donor.objects.filter(fund=fund, name_folded__in=chunk).order_by("id"):
                self.by_name.setdefault(donor.name_folded, []).append(donor)

    def header(self, key: str) -> str:
        if not key:
            return ""
        return self.statement.headers.get(key) or COLUMNS[key][0]

    def run(self) -> None:
        """Every row checked first, then the good ones written at once (none in mode "all"
        when a row is wrong: the caller rolls back anyway)."""
        seen: dict[str, int] = {}
        planned: list[Planned] = []
        for row in self.statement.rows:
            if row.note:
                self.report.passed_over.append(RowNote(row.number, "", row.note))
                continue
            problems = dict(row.errors)
            if row.reference:
                if row.reference in seen:
                    problems["reference"] = str(REFERENCE_TWICE % {
                        "reference": row.reference, "row": seen[row.reference]})
                else:
                    seen[row.reference] = row.number
            if not problems and row.reference in self.recorded:
                amount = self.recorded[row.reference]
                if amount == row.amount:
                    self.note_recorded(row)
                    continue
                problems["credit"] = str(RECORDED_OTHERWISE % {
                    "reference": row.reference, "amount": f"{amount:,}".replace(",", ".")})
            donor = None
            if not problems:
                donor, problems = self.donor(row)
            if not problems:
                problems = self.checked(row)
            if not problems:
                planned.append(self.plan(row, donor))
            else:
                self.report.errors.extend(RowNote(row.number, self.header(key), message)
                                          for key, message in problems.items())
        self.report.valid_rows.extend(plan.number for plan in planned)
        if planned and not (self.report.mode == Mode.ALL and self.report.errors):
            receipts, created = receipts_write(actor=self.actor, fund=self.fund,
                                               restriction=self.restriction, planned=planned)
            self.report.donors_created.extend(created)
            self.report.imported.extend(ImportedRow(plan.number, receipt)
                                        for plan, receipt in zip(planned, receipts, strict=True))

    def note_recorded(self, row: StatementRow) -> None:
        self.report.already_recorded.append(RowNote(
            row.number, self.header("reference"),
            str(ALREADY_RECORDED % {"reference": row.reference})))

    def donor(self, row: StatementRow) -> tuple[Donor | None, dict[str, str]]:
        """The row's donor; None when one is to be created; else the problem."""
        if row.tax_code:
            donor = self.by_tax_code.get(row.tax_code)
            if donor is None and not self.create_donors:
                return None, {"tax_code": str(NO_DONOR_WITH_TAX_CODE % {
                    "tax_code": row.tax_code})}
            return donor, {}
        found = self.by_name.get(fold(row.name), [])
        if len(found) > 1:
            return None, {row.name_column: str(DONOR_AMBIGUOUS % {"n": len(found),
                                                                  "name": row.name})}
        if not found and not self.create_donors:
            return None, {row.name_column: str(NO_DONOR_NAMED % {"name": row.name})}
        return (found[0] if found else None), {}

    def checked(self, row: StatementRow) -> dict[str, str]:
        """What `receipt_record` (and `donor_create`, for a donor to create) would refuse of
        the row, by column key: nothing is written before every row is checked."""
        assert row.day is not None and row.amount is not None
        problems: dict[str, str] = {}
        try:
            services.checked_amount(row.amount)
        except ValidationError as error:
            problems.update(_problems(error, row))
        if row.day > self.today:
            problems["day"] = str(exc.DAY_IN_FUTURE)
        if not row.reference:
            problems["reference"] = str(exc.BANK_REFERENCE_REQUIRED)
        return problems

    def plan(self, row: StatementRow, donor: Donor | None) -> Planned:
        """The row to write, with its donor: a new one made once for all its rows (known only
        once its row passed, so that a refused row leaves no donor)."""
        assert row.day is not None and row.amount is not None
        if donor is None:
            name = " ".join(row.name.split())
            donor = Donor(fund=self.fund, name=name, name_folded=fold(name),
                          tax_code=row.tax_code, created_by=self.actor, named_publicly=False,
                          kind=DonorKind.BUSINESS if row.tax_code else DonorKind.INDIVIDUAL)
            if donor.tax_code:
                self.by_tax_code[donor.tax_code] = donor
            else:
                self.by_name.setdefault(donor.name_folded, []).append(donor)
        return Planned(row.number, row.day, row.amount, row.reference, donor)


def _problems(error: ValidationError, row: StatementRow) -> dict[str, str]:
    """A service's refusal, by the statement's column key ("" for the whole row)."""
    if not hasattr(error, "error_dict"):
        return {"": " ".join(error.messages)}
    problems: dict[str, str] = {}
    for name, messages in error.message_dict.items():
        key = row.name_column if name == "name" else FIELD_COLUMNS.get(name, "")
        problems[key] = " ".join(filter(None, (problems.get(key, ""), *map(str, messages))))
    return problems
