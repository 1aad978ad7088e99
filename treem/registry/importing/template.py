"""The downloadable Excel template for one commune: headers, drop-down lists, a guide.

Every closed list is a drop-down fed from a hidden sheet ("Danh mục"), the commune's villages
and the 54 ethnic groups included, so that an officer picks values instead of typing them.
The personal-id and phone columns are text cells: typed into number cells, the leading zeros
of "001…" and "09…" would be lost (the reader restores them, but better not lose them).
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from treem.geo.models import Level, Unit
from treem.lib.spreadsheet import safe_cell
from treem.registry.importing import reading
from treem.registry.importing.columns import COLUMNS, NO, YES, labels
from treem.registry.models import Ethnicity

DATA_SHEET = "Danh sách trẻ em"
LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
FILENAME = "mau-nhap-danh-sach-tre-em.xlsx"

GUIDE = [
    "Hướng dẫn điền danh sách trẻ em",
    "",
    "1. Mỗi trẻ một dòng ở trang “Danh sách trẻ em”, từ dòng 2. Không đổi tên, không xóa "
    "dòng tiêu đề; có thể bỏ các cột không bắt buộc.",
    "2. Cột bắt buộc: Họ và tên, Giới tính, Ngày sinh, Dân tộc.",
    "3. Ngày sinh ghi dạng ngày/tháng/năm (05/09/2015) hoặc chọn định dạng ngày của Excel. "
    "Nếu chỉ biết năm sinh: ghi năm (2015) và chọn Có ở cột “Chỉ biết năm sinh?”.",
    "4. Các cột có danh sách thả xuống: chọn trong danh sách, không gõ khác đi.",
    "5. Số định danh cá nhân gồm 12 chữ số; để trống nếu trẻ chưa có.",
    "6. Người chăm sóc: nếu ghi họ tên thì chọn cả quan hệ với trẻ.",
    "7. Tải lên lại cùng một tệp (đã sửa) không tạo trẻ trùng: trẻ đã có trong sổ (cùng số "
    "định danh, hoặc cùng họ tên, ngày sinh, giới tính) được cập nhật. Ô để trống không xóa "
    "thông tin đã có trong sổ.",
    "8. Tệp .xlsx, không quá {mb} MB và {rows} dòng; không nhận tệp có mật khẩu hay macro.",
    "",
    "Ví dụ: Nguyễn Thị Lan | Nữ | 05/09/2015 | | Tày | | Có | (thôn) | Thường trú | Sống với "
    "cha và mẹ | Tiểu học | Đang đi học | | | Có | Nguyễn Văn Hùng | Cha | 0912345678",
]


def import_template(*, commune: Unit) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    guide = book.create_sheet(GUIDE_SHEET)

    villages = [v.name for v in Unit.objects.filter(parent=commune, level=Level.VILLAGE,
                                                    valid_to__isnull=True).order_by("name_folded")]
    entries = {
        "ethnicity": [e.name for e in Ethnicity.objects.order_by("code")],
        "village": villages,
    }
    for column in COLUMNS:
        if column.options is not None:
            entries[column.key] = [label for _value, label in labels(column.options)]
        elif column.kind == "bool":
            entries[column.key] = [YES, NO]

    last_row = reading.max_rows() + 1
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    ranges: dict[tuple[str, ...], str] = {}
    list_column = 0
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header + (" *" if column.required
                                                                         else ""))
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if column.kind in ("personal_id", "phone"):
            dimension.number_format = "@"
        elif column.kind == "date":
            dimension.number_format = "DD/MM/YYYY"
        values = entries.get(column.key)
        validation = None
        if values:
            key = tuple(values)
            if key not in ranges:
                list_column += 1
                list_letter = get_column_letter(list_column)
                lists.cell(row=1, column=list_column, value=column.label)
                for row, value in enumerate(values, start=2):
                    lists.cell(row=row, column=list_column, value=safe_cell(value))
                ranges[key] = (f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:"
                               f"${list_letter}${len(values) + 1}")
            validation = DataValidation(
                type="list", formula1=ranges[key], allow_blank=True, showErrorMessage=True,
                errorTitle=column.label, error="Hãy chọn một giá trị trong danh sách.")
        elif column.note:
            validation = DataValidation(allow_blank=True)
        if validation is not None:
            if column.note:
                validation.showInputMessage = True
                validation.promptTitle = column.label[:32]
                validation.prompt = column.note[:255]
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "B2"

    limit = reading.max_bytes() / (1024 * 1024)
    for row, line in enumerate(GUIDE, start=1):
        text = line.format(mb=f"{limit:g}", rows=f"{reading.max_rows():,}".replace(",", "."))
        guide.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True)
    guide["A1"].font = header_font
    guide.column_dimensions["A"].width = 120

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

