"""The yearly fund report (`treem.fund.yearly`) as .xlsx: one sheet per table, the figures as
numbers the accountant can add up, small counts as "< 5" like everywhere. Formula-safe cells
(a donor's name is typed by an officer)."""

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from treem.lib.spreadsheet import safe_cell

WITHHELD = "—"


def _sheet(book: Workbook, title: str, headers: list[str], rows: Iterable[list[Any]],
           *, heading: str) -> Worksheet:
    sheet = book.create_sheet(title[:31])
    sheet.append([safe_cell(heading)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    sheet.column_dimensions["A"].width = 48
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 20
    return sheet


def _summary(book: Workbook, report: dict[str, Any], heading: str) -> None:
    f, b, needs = report["figures"], report["figures"]["balance"], report["needs"]
    rows = [
        [_("Số dư đầu năm (đồng)"), b["opening"]],
        [_("Tiếp nhận trong năm: tiền (đồng)"), f["mobilised"]["money"]],
        [_("Tiếp nhận trong năm: hiện vật, theo giá trị (đồng)"), f["mobilised"]["goods"]],
        [_("Đã trao hỗ trợ (đồng)"), b["spent"]],
        [_("Hoàn trả nhà tài trợ (đồng)"), b["returned"]],
        [_("Số dư đến %(day)s (đồng)") % {"day": f["as_of_label"]}, b["closing"]],
        [_("Số trẻ em được hỗ trợ"), f["children"]],
        [_("Số hộ gia đình được hỗ trợ"), f["households"]],
        [_("Nhu cầu trong danh sách đã duyệt"), needs["listed"]],
        [_("Nhu cầu đã được đáp ứng đủ"), needs["met"]],
        [_("Tỷ lệ nhu cầu được đáp ứng (%)"),
         needs["percent"] if needs["percent"] is not None else WITHHELD],
    ]
    sheet = _sheet(book, _("Tổng hợp"), [_("Chỉ tiêu"), _("Giá trị")], rows, heading=heading)
    sheet.append([])
    sheet.append([safe_cell(f["small_counts"])])


def workbook(report: dict[str, Any]) -> bytes:
    """The report's `content()` as an .xlsx file."""
    f = report["figures"]
    heading = report["title"]
    book = Workbook()
    book.remove(book.active)
    _summary(book, report, heading)
    money, goods, total = _("Tiền (đồng)"), _("Hiện vật, giá trị (đồng)"), _("Cộng (đồng)")
    _sheet(book, _("Tiếp nhận theo quý"), [_("Quý"), money, goods, total],
           ([q["label"], q["money"], q["goods"], q["total"]]
            for q in [*f["by_quarter"], f["mobilised"]]), heading=heading)
    _sheet(book, _("Đợt vận động"),
           [_("Đợt vận động"), _("Thời gian"), _("Mục tiêu (đồng)"),
            _("Đã huy động cả đợt (đồng)"), _("Đạt (%)")],
           ([c["name"], c["dates"], c["goal"], c["total"], c["percent"]]
            for c in f["campaigns"]), heading=heading)
    people = [_("Số tiền (đồng)"), _("Số trẻ em"), _("Số hộ")]
    _sheet(book, _("Theo hình thức hỗ trợ"), [_("Hình thức hỗ trợ"), *people],
           ([k["label"], k["amount"], k["children"], k["households"]] for k in f["by_kind"]),
           heading=heading)
    communes = [*f["by_commune"], *([f["grouped"]] if f["grouped"] else [])]
    _sheet(book, _("Theo xã, phường"), [_("Xã, phường"), *people],
           ([c["label"], WITHHELD if c["amount"] is None else c["amount"], c["children"],
             c["households"]] for c in communes), heading=heading)
    donors = [*f["honoured"], *([f["anonymous"]] if f["anonymous"]["total"] else [])]
    _sheet(book, _("Nhà tài trợ"), [_("Nhà tài trợ"), _("Loại"), money, goods, total],
           ([d["name"], d["kind"], d["money"], d["goods"], d["total"]] for d in donors),
           heading=heading)
    _sheet(book, _("Số dư theo chỉ định"),
           [_("Nội dung chỉ định"), _("Chưa phân bổ (đồng)"), _("Đã phân bổ, chưa trao (đồng)"),
            _("Cộng (đồng)")],
           ([e["label"], e["available"], e["allocated"], e["held"]]
            for e in report["earmarks"]), heading=heading)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
