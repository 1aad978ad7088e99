"""Receipts imported from a bank statement: every credit recorded once (a second import of the
same file adds nothing and says so row by row); "all" writes nothing when a row is wrong,
"valid" writes the others; wrong cells are named by row and column in Vietnamese; debits and
totals are passed over; a file that is no .xlsx, too large or too long is refused; only the
fund's manager imports. Two imports of the same file at once (PostgreSQL): each transfer once."""

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from openpyxl import Workbook

from treem import testing
from treem.accounts.roles import Role
from treem.fund import exceptions as exc
from treem.fund import importing, services
from treem.fund import statement_reading as reading
from treem.fund.importing import RowNote, statement_import
from treem.fund.models import Channel, Donor, DonorKind, Fund, Receipt, Restriction
from treem.fund.tests import test_ledger
from treem.fund.tests.test_ledger import DAY, rows
from treem.testing import (
    Personas,
    Tree,
    make_user,
    refused,
    sheet_rewritten,
    writes_nothing,
)
from treem.ui import xlsx

# The ledger's fixtures: the province's fund, its manager, an earmark for commune B.
fund, manager, mountain = test_ledger.fund, test_ledger.manager, test_ledger.mountain

HEADER = ("STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư",
          "Tên người chuyển", "Nội dung", "Mã số thuế")
FIRST = 6  # the first row under the header (the bank's preamble takes four, the header one)
TAM = "NGUYEN VAN TAM"
SONG_HIEN = "CONG TY TNHH SONG HIEN"


def line(reference: Any, credit: Any, name: Any = TAM, *, day: Any = DAY, debit: Any = None,
         tax_code: Any = None) -> tuple[Any, ...]:
    return (1, day, reference, debit, credit, None, name, f"{name} ung ho Quy BTTE", tax_code)


def statement(*lines: tuple[Any, ...], header: tuple[str, ...] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"])
    sheet.append(["Sao kê tài khoản", "0011001234567", "Quỹ Bảo trợ trẻ em tỉnh Cao Bằng"])
    sheet.append(["Từ ngày", "01/06/2026", "Đến ngày", "30/06/2026"])
    sheet.append([])
    sheet.append(list(header))
    for values in lines:
        sheet.append(list(values))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = (line("FT26152001", 1_500_000),  # a number; the name unaccented, in capitals
        # The tax code typed as a number, its leading zero lost as Excel loses it.
        line("FT26152002", "2.000.000", SONG_HIEN, tax_code=101234567, day="02/06/2026"),
        line("FT26152003", "500.000 đ", "nguyễn  văn tâm",
             day=datetime.datetime(2026, 6, 3, 10, 15)))


def written() -> tuple[int, ...]:
    return (*rows(), Donor.objects.count())


def note(row: int, column: str, message: Any, /, **values: Any) -> RowNote:
    return RowNote(row, column, str(message % values) if values else str(message))


@pytest.fixture
def donors(fund: Fund, manager: Any) -> dict[str, Donor]:
    return {"tam": services.donor_create(actor=manager, fund=fund, kind=DonorKind.INDIVIDUAL,
                                         name="Nguyễn Văn Tâm"),
            "song_hien": services.donor_create(actor=manager, fund=fund,
                                               kind=DonorKind.BUSINESS,
                                               name="Công ty TNHH Sông Hiến",
                                               tax_code="0101234567")}


@pytest.mark.django_db
class StatementImportTests:
    def test_it_records_each_credit_with_its_donor_journal_and_audit(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        before = rows()
        report = statement_import(actor=manager, fund=fund, file=statement(*GOOD), mode="all")

        assert report.written and report.errors == [] and report.already_recorded == []
        assert [imported.row for imported in report.imported] == [FIRST, FIRST + 1, FIRST + 2]
        assert [(r.bank_reference, r.amount, r.received_on, r.donor, r.channel)
                for r in Receipt.objects.order_by("id")] == [
            ("FT26152001", 1_500_000, DAY, donors["tam"], Channel.BANK),
            ("FT26152002", 2_000_000, datetime.date(2026, 6, 2), donors["song_hien"],
             Channel.BANK),
            ("FT26152003", 500_000, datetime.date(2026, 6, 3), donors["tam"], Channel.BANK)]
        assert services.balance(fund, services.unrestricted(fund)) == 4_000_000
        journals, postings, receipts, events = (a - b for a, b in zip(rows(), before,
                                                                      strict=True))
        assert (journals, postings, receipts, events) == (3, 6, 3, 3)

    def test_written_at_once_as_the_services_write_one_row_donors_made_once(
            self, fund: Fund, manager: Any) -> None:
        from treem.audit.models import AuditEvent
        from treem.fund.models import Journal

        by_hand_donor = services.donor_create(actor=manager, fund=fund, kind=DonorKind.INDIVIDUAL,
                                              name="Lê Văn Ba")
        by_hand = services.receipt_record(actor=manager, fund=fund, donor=by_hand_donor,
                                          amount=700_000, received_on=DAY, channel=Channel.BANK,
                                          bank_reference="FT26150000")
        report = statement_import(actor=manager, fund=fund, create_donors=True, mode="all",
                                  file=statement(line("FT26152101", 100_000, "NGUYEN THI NAM"),
                                                 line("FT26152102", 200_000, "Nguyễn Thị Nam"),
                                                 line("FT26152103", 300_000, SONG_HIEN,
                                                      tax_code="0101234567")))
        assert [d.name for d in report.donors_created] == ["NGUYEN THI NAM", SONG_HIEN]
        assert Donor.objects.filter(fund=fund).count() == 3

        def shape(receipt: Receipt) -> tuple[Any, ...]:
            journal = Journal.objects.get(pk=receipt.journal_id)
            event = AuditEvent.objects.get(object_id=str(journal.public_id))
            return (journal.kind, journal.created_by_id, journal.reason,
                    sorted(journal.postings.values_list("account", "amount", "restriction_id",
                                                        "campaign_id", "lot_id", "quantity")),
                    event.action, event.changed_fields, event.actor_id, event.unit_id,
                    event.roles, receipt.channel)

        imported = Receipt.objects.get(bank_reference="FT26152101")
        expected = shape(by_hand)
        assert shape(imported)[:3] == expected[:3]
        assert shape(imported)[4:] == expected[4:]
        assert sorted(a for a, *_rest in shape(imported)[3]) == ["available", "donations"]
        for donor in report.donors_created:
            event = AuditEvent.objects.get(object_id=str(donor.public_id))
            assert event.changed_fields == ["kind", "name", "named_publicly", "phone",
                                            "tax_code"]

    def test_the_same_file_twice_adds_nothing_the_second_time_and_says_so(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        data = statement(*GOOD)
        statement_import(actor=manager, fund=fund, file=data, mode="all")
        with writes_nothing(written):
            again = statement_import(actor=manager, fund=fund, file=data, mode="all")
        assert again.written and again.imported == [] and again.errors == []
        assert again.already_recorded == [
            note(FIRST + index, "Số tham chiếu", importing.ALREADY_RECORDED,
                 reference=f"FT2615200{index + 1}") for index in range(3)]

    def test_a_reference_recorded_with_another_amount_is_an_error(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        services.receipt_record(actor=manager, fund=fund, donor=donors["tam"], amount=150_000,
                                received_on=DAY, channel=Channel.BANK,
                                bank_reference="FT26152001")
        report = statement_import(actor=manager, fund=fund, file=statement(GOOD[0]),
                                  mode="valid")
        assert report.errors == [note(FIRST, "Số tiền ghi có", importing.RECORDED_OTHERWISE,
                                      reference="FT26152001", amount="150.000")]

    def test_all_or_nothing_writes_nothing_when_one_row_is_wrong(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        data = statement(GOOD[0], line("FT26152009", "một triệu"), GOOD[1])
        with writes_nothing(written):
            report = statement_import(actor=manager, fund=fund, file=data, mode="all")
        assert not report.written and report.imported == []
        assert report.valid_rows == [FIRST, FIRST + 2]
        assert report.errors == [note(FIRST + 1, "Số tiền ghi có", reading.NOT_WHOLE_DONG,
                                      value="một triệu")]

    def test_valid_only_writes_the_good_rows_and_a_refused_row_leaves_no_donor(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        tomorrow = datetime.date.today() + datetime.timedelta(days=2)
        data = statement(GOOD[0], line("FT26152009", 0),
                         line("FT26152010", 300_000, "TRAN THI HOA", day=tomorrow), GOOD[1])
        report = statement_import(actor=manager, fund=fund, file=data, mode="valid",
                                  create_donors=True)
        assert report.written
        assert [imported.row for imported in report.imported] == [FIRST, FIRST + 3]
        assert report.errors == [
            note(FIRST + 1, "Số tiền ghi có", exc.AMOUNT_INVALID),
            note(FIRST + 2, "Ngày giao dịch", exc.DAY_IN_FUTURE)]
        assert set(Receipt.objects.values_list("bank_reference", flat=True)) == {
            "FT26152001", "FT26152002"}
        assert not Donor.objects.filter(name_folded="tran thi hoa").exists()

    @pytest.mark.parametrize(("amount", "message"), [
        (-5, exc.AMOUNT_INVALID), (0, exc.AMOUNT_INVALID), ("-1.500.000", exc.AMOUNT_INVALID),
        (10**13, exc.AMOUNT_INVALID), (1.5, reading.NOT_WHOLE_DONG),
        ("1.5", reading.NOT_WHOLE_DONG), ("1,50", reading.NOT_WHOLE_DONG),
        ("abc", reading.NOT_WHOLE_DONG), (True, reading.NOT_WHOLE_DONG),
    ])
    def test_an_amount_that_is_not_whole_positive_dong_is_an_error(
            self, fund: Fund, manager: Any, donors: dict[str, Donor],
            amount: Any, message: Any) -> None:
        with writes_nothing(written):
            report = statement_import(actor=manager, fund=fund, mode="valid",
                                      file=statement(line("FT1", amount)))
        assert report.errors == [note(FIRST, "Số tiền ghi có", message, value=amount)
                                 if message is reading.NOT_WHOLE_DONG
                                 else note(FIRST, "Số tiền ghi có", message)]

    @pytest.mark.parametrize("written_as", [
        "1.500.000", "1,500,000", "1 500 000", "+1.500.000 VNĐ", "1.500.000,00",
        "1,500,000.00", "1500000", 1_500_000.0])
    def test_an_amount_is_read_as_banks_write_it(self, written_as: Any) -> None:
        assert reading.amount_of(written_as) == 1_500_000

    def test_a_missing_or_repeated_reference_is_an_error_of_its_row(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        data = statement(line(None, 100_000), line("FT7", 200_000), line("FT7", 300_000))
        report = statement_import(actor=manager, fund=fund, file=data, mode="valid")
        assert report.errors == [
            note(FIRST, "Số tham chiếu", reading.CELL_REQUIRED),
            note(FIRST + 2, "Số tham chiếu", importing.REFERENCE_TWICE, reference="FT7",
                 row=FIRST + 1)]
        assert list(Receipt.objects.values_list("bank_reference", "amount")) == [
            ("FT7", 200_000)]

    def test_debits_totals_and_blank_lines_are_passed_over_not_errors(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        data = statement(
            (None, None, None, None, None, 9_000_000, None, "Số dư đầu kỳ", None),
            GOOD[0],
            line("FT26152101", None, "CHI TRA PHI NGAN HANG", debit=11_000),
            line("FT26152102", 0, "RUT TIEN MAT", debit="5.000.000"),
            line("FT26152103", "0,00", "PHI SMS", debit="11.000,00"),
            (None, None, None, None, None, None, None, "Kế toán trưởng", None),
            ("Tổng cộng", None, None, 5_022_000, 1_500_000, None, None, None, None))
        report = statement_import(actor=manager, fund=fund, file=data, mode="all")
        assert report.written and report.errors == []
        assert [imported.row for imported in report.imported] == [FIRST + 1]
        assert report.passed_over == [
            note(FIRST, "", reading.NOT_A_TRANSACTION),
            *(note(FIRST + n, "", reading.DEBIT_ROW) for n in (2, 3, 4)),
            note(FIRST + 5, "", reading.NOT_A_TRANSACTION),
            note(FIRST + 6, "", reading.SUMMARY_ROW)]

    def test_a_donor_not_found_is_an_error_unless_donors_are_created(
            self, fund: Fund, manager: Any) -> None:
        data = statement(line("FT1", 100_000, "LO VAN PAO"),
                         line("FT2", 200_000, "CONG TY ABC", tax_code=1234567890),
                         line("FT3", 300_000, "Lò Văn Pao"))
        with writes_nothing(written):
            report = statement_import(actor=manager, fund=fund, file=data, mode="all")
        assert report.errors == [
            note(FIRST, "Tên người chuyển", importing.NO_DONOR_NAMED, name="LO VAN PAO"),
            note(FIRST + 1, "Mã số thuế", importing.NO_DONOR_WITH_TAX_CODE,
                 tax_code="1234567890"),
            note(FIRST + 2, "Tên người chuyển", importing.NO_DONOR_NAMED, name="Lò Văn Pao")]

        report = statement_import(actor=manager, fund=fund, file=data, mode="all",
                                  create_donors=True)
        assert report.errors == [] and len(report.imported) == 3
        assert [(d.name, d.kind, d.tax_code, d.named_publicly)
                for d in Donor.objects.order_by("id")] == [
            ("LO VAN PAO", DonorKind.INDIVIDUAL, "", False),
            ("CONG TY ABC", DonorKind.BUSINESS, "1234567890", False)]
        assert report.donors_created == list(Donor.objects.order_by("id"))
        assert report.imported[2].receipt.donor == report.imported[0].receipt.donor

    def test_two_donors_of_the_same_name_are_not_guessed_between(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        services.donor_create(actor=manager, fund=fund, kind=DonorKind.INDIVIDUAL,
                              name="Nguyễn Văn Tâm")
        report = statement_import(actor=manager, fund=fund, file=statement(GOOD[0]),
                                  mode="valid", create_donors=True)
        assert report.errors == [note(FIRST, "Tên người chuyển", importing.DONOR_AMBIGUOUS,
                                      n=2, name=TAM)]

    def test_the_most_telling_of_two_alike_columns_is_read_and_a_description_names_the_sender(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        header = ("Ngày hiệu lực", "Ngày GD", "Mã GD", "Số tiền", "Có", "Diễn giải")
        data = statement(("05/06/2026", "01/06/2026 08:30:00", "FT9", 0, "1,000,000",
                          "Nguyễn Văn Tâm"),
                         ("05/06/2026", "01/06/2026", "FT10", 0, "2,000,000", "UNG HO QUY"),
                         header=header)
        report = statement_import(actor=manager, fund=fund, file=data, mode="valid")
        assert [(imported.receipt.donor, imported.receipt.amount, imported.receipt.received_on)
                for imported in report.imported] == [(donors["tam"], 1_000_000, DAY)]
        assert report.errors == [note(FIRST + 1, "Diễn giải", importing.NO_DONOR_NAMED,
                                      name="UNG HO QUY")]

    def test_money_goes_to_the_restriction_asked_for(
            self, fund: Fund, manager: Any, donors: dict[str, Donor],
            mountain: Restriction) -> None:
        statement_import(actor=manager, fund=fund, file=statement(*GOOD), mode="all",
                         restriction=mountain)
        assert services.balance(fund, mountain) == 4_000_000

    @pytest.mark.parametrize(("header", "message", "values"), [
        (("Ngày giao dịch", "Số tham chiếu", "Tên người chuyển", "Số dư"),
         reading.MISSING_COLUMNS, {"names": "“Số tiền ghi có”"}),
        (("Ngày", "Ghi có", "Ghi  Có", "Mã GD"), reading.COLUMN_TWICE, {"name": "Ghi Có"}),
        (("A", "B", "C"), reading.NO_HEADER, {"n": reading.HEADER_SEARCH_ROWS}),
    ])
    def test_a_sheet_without_the_statements_columns_is_refused(
            self, fund: Fund, manager: Any, header: tuple[str, ...],
            message: Any, values: dict[str, Any]) -> None:
        error = refused(statement_import, snapshot=written, actor=manager, fund=fund,
                        file=statement(line("FT1", 1_000), header=header), mode="all")
        assert error.message_dict == {"file": [str(message % values)]}


def _zip(names: tuple[str, ...]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.django_db
class StatementFileTests:
    @pytest.mark.parametrize(("content", "message"), [
        (b"Ngay giao dich;So tien;Ma giao dich\n01/06/2026;1000000;FT1\n", reading.NOT_XLSX),
        (b"%PDF-1.7 sao ke", reading.NOT_XLSX),
        (b"<html><body><table><tr><td>Ngay giao dich</td></tr></table></body></html>",
         reading.MARKUP),
        (reading.OLE_MAGIC + "Workbook".encode("utf-16-le"), xlsx.old_xls()),
        (_zip(("[Content_Types].xml", "word/document.xml")), reading.NOT_XLSX),
        (b"", xlsx.empty_file()),
    ])
    def test_a_file_that_is_no_xlsx_is_refused_by_its_content(
            self, fund: Fund, manager: Any, content: bytes, message: Any) -> None:
        upload = SimpleUploadedFile("sao-ke.xlsx", content)
        error = refused(statement_import, snapshot=written, actor=manager, fund=fund,
                        file=upload, mode="all")
        assert error.message_dict == {"file": [str(message)]}

    def test_a_statement_is_read_whatever_its_name(self, fund: Fund, manager: Any,
                                                   donors: dict[str, Donor]) -> None:
        upload = SimpleUploadedFile("sao ke thang 6.txt", statement(*GOOD))
        assert len(statement_import(actor=manager, fund=fund, file=upload,
                                    mode="all").imported) == 3

    def test_a_file_over_5_mb_is_refused_before_it_is_read(
            self, fund: Fund, manager: Any) -> None:
        upload = SimpleUploadedFile("sao-ke.xlsx", b"PK\x03\x04" + b"0" * reading.MAX_BYTES)
        error = refused(statement_import, snapshot=written, actor=manager, fund=fund,
                        file=upload, mode="all")
        assert error.message_dict == {"file": [str(reading.TOO_LARGE % {
            "size": filesizeformat(reading.MAX_BYTES)})]}
        assert upload.tell() == 0

    def test_a_sheet_is_read_whole_whatever_size_it_declares(
            self, fund: Fund, manager: Any, donors: dict[str, Donor]) -> None:
        # Some exports declare "A1": read-only openpyxl would stop there, at the preamble.
        data = sheet_rewritten(statement(*GOOD), rb'<dimension ref="[^"]*"', b'<dimension ref="A1"')
        assert len(statement_import(actor=manager, fund=fund, file=data,
                                    mode="all").imported) == 3

    def test_a_sheet_naming_a_row_past_excels_last_is_refused(
            self, fund: Fund, manager: Any) -> None:
        # openpyxl gives every empty row before it: minutes for a file of a few kilobytes.
        data = sheet_rewritten(statement(GOOD[0], line("FT2", 1_000)), rb'(r="[A-Z]*)7"',
                         rb'\g<1>9999999"')
        error = refused(statement_import, snapshot=written, actor=manager, fund=fund,
                        file=data, mode="all")
        assert error.message_dict == {"file": [xlsx.corrupt()]}

    def test_more_than_5000_rows_are_refused(self, fund: Fund, manager: Any) -> None:
        lines = [line(f"FT{number}", 1_000) for number in range(reading.MAX_ROWS)]
        assert len(reading.read_statement(statement(*lines)).rows) == reading.MAX_ROWS
        error = refused(statement_import, snapshot=written, actor=manager, fund=fund,
                        file=statement(*lines, line("FT-1", 1_000)), mode="all")
        assert error.message_dict == {"file": [str(reading.TOO_MANY_ROWS % {"n": "5.000"})]}


@pytest.mark.django_db
class StatementScopeTests:
    def test_only_the_funds_manager_imports_checked_before_the_file_is_read(
            self, tree: Tree, personas: Personas, fund: Fund) -> None:
        other = make_user("quy_hn", role=Role.FUND_MANAGER, unit=tree.other_province)
        for actor in (other, personas.province_officer, personas.auditor, personas.officer):
            for data in (statement(*GOOD), b"not a statement"):
                error = refused(statement_import, snapshot=written, actor=actor, fund=fund,
                                file=data, mode="all")
                assert isinstance(error, PermissionDenied)

    def test_an_unknown_mode_or_another_funds_restriction_is_refused(
            self, tree: Tree, fund: Fund, manager: Any) -> None:
        other = services.fund_open(actor=None, unit=tree.other_province, name="Quỹ Hà Nội")
        error = refused(statement_import, snapshot=written, actor=manager, fund=fund,
                        file=statement(*GOOD), mode="some")
        assert error.message_dict == {"mode": [str(importing.MODE_UNKNOWN)]}
        error = refused(statement_import, snapshot=written, actor=manager, fund=fund,
                        file=statement(*GOOD), mode="all",
                        restriction=services.unrestricted(other))
        assert isinstance(error, ValidationError)
        assert error.message_dict == {"restriction": [str(exc.RESTRICTION_OF_ANOTHER_FUND)]}


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentImportTests:
    def test_two_imports_of_the_same_file_at_once_receive_each_transfer_once(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        tree = testing.make_tree()
        province_fund = services.fund_open(actor=None, unit=tree.province, name="Quỹ tỉnh")
        first = make_user("quy", role=Role.FUND_MANAGER, unit=tree.province)
        second = make_user("quy2", role=Role.FUND_MANAGER, unit=tree.province)
        data = statement(*GOOD)

        def importing_as(actor: Any) -> Any:
            def run() -> tuple[int, int, int]:
                report = statement_import(actor=actor, fund=Fund.objects.get(pk=province_fund.pk),
                                          file=data, mode="all", create_donors=True)
                return len(report.imported), len(report.already_recorded), len(report.errors)
            return run

        results = testing.at_once({"first": importing_as(first),
                                   "second": importing_as(second)},
                                  meet=(importing, "_lock_fund"), monkeypatch=monkeypatch)

        assert sorted(results.values()) == [(0, 3, 0), (3, 0, 0)]
        assert sorted(Receipt.objects.values_list("bank_reference", flat=True)) == [
            "FT26152001", "FT26152002", "FT26152003"]
        assert Donor.objects.count() == 2  # the second found the first's donors
