"""The Excel template of a plan's tasks (read back by `task_import`): a note row, the headers,
drop-down lists of the time frames and of the agencies of the plan's unit (from a hidden sheet),
whole-number checks of the year (within the plan's), quarter and month, and a guide."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from treem.lib.spreadsheet import safe_cell
from treem.plans import selectors
from treem.plans.models import Plan, TimeFrame
from treem.plans.task_import import COLUMNS, MAX_BYTES, MAX_ROWS, header

HEADER_ROW = 2
AGENCY_COLUMNS = ("lead", "report_to")


def filename(plan: Plan) -> str:
    return f"mau-nhiem-vu-{str(plan.public_id)[:8]}.xlsx"


def _guide(plan: Plan) -> list[str]:
    return [
        _("Hướng dẫn điền nhiệm vụ của kế hoạch"),
        "",
        _("1. Mỗi nhiệm vụ một dòng ở trang đầu, từ dòng %(row)s. Không đổi, không xóa dòng "
          "tiêu đề; có thể bỏ các cột không bắt buộc.") % {"row": HEADER_ROW + 1},
        _("2. Cột bắt buộc (có dấu *): Mục, Nội dung nhiệm vụ, Cơ quan chủ trì."),
        _("3. Cơ quan chủ trì và cơ quan nhận báo cáo: chọn trong danh sách thả xuống (các cơ "
          "quan của %(unit)s). Cơ quan phối hợp: ghi tên hoặc tên viết tắt, cách nhau bằng dấu "
          "chấm phẩy (;). Cơ quan chưa có trong danh sách: thêm ở trang Cơ quan trước.")
        % {"unit": plan.unit.name},
        _("4. Thời gian: chọn loại; với “Trong năm”, “Trong quý”, “Trong tháng” ghi năm (và quý "
          "1–4 hoặc tháng 1–12); với “Theo ngày” ghi ít nhất hạn hoàn thành (ngày/tháng/năm). "
          "Năm và ngày phải trong thời gian của kế hoạch (%(start)s–%(end)s).")
        % {"start": plan.start_year, "end": plan.end_year},
        _("5. Mục không được trùng nhau, cũng không trùng mục của nhiệm vụ đã có trong kế "
          "hoạch."),
        _("6. Tệp có bất kỳ dòng nào sai thì không nhiệm vụ nào được ghi: trang tải lên liệt "
          "kê mọi lỗi theo dòng và cột để sửa rồi tải lên lại."),
        _("7. Tệp .xlsx, không quá %(mb)s MB và %(rows)s dòng nhiệm vụ; không nhận tệp có mật "
          "khẩu hay macro.") % {"mb": MAX_BYTES // (1024 * 1024),
                                "rows": f"{MAX_ROWS:,}".replace(",", ".")},
    ]


def task_template(*, plan: Plan) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Nhiệm vụ")[:31]
    lists = book.create_sheet(_("Danh mục")[:31])
    lists.sheet_state = "hidden"
    guide = book.create_sheet(_("Hướng dẫn")[:31])

    time_frames = [str(label) for _value, label in TimeFrame.choices]
    agencies = [agency.name for agency in selectors.agencies_of_plan(plan=plan)]
    ranges = {}
    for index, (title, values) in enumerate(((_("Loại thời gian"), time_frames),
                                             (_("Cơ quan"), agencies)), start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=title)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=safe_cell(value))
        if values:
            ranges[index] = (f"{quote_sheetname(lists.title)}!${letter}$2:"
                             f"${letter}${len(values) + 1}")

    note = _("Nhiệm vụ của kế hoạch %(plan)s. Điền từ dòng %(row)s; cột có dấu * là bắt buộc. "
             "Xem trang “Hướng dẫn”.") % {"plan": f"{plan.number} {plan.title}".strip(),
                                           "row": HEADER_ROW + 1}
    sheet.cell(row=1, column=1, value=safe_cell(note)).font = Font(bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet.cell(row=1, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 32

    first, last = HEADER_ROW + 1, HEADER_ROW + MAX_ROWS
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=HEADER_ROW, column=index,
                          value=header(column) + (" *" if column.required else ""))
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("start_date", "end_date"):
            sheet.column_dimensions[letter].number_format = "DD/MM/YYYY"
        elif column.key == "section":
            sheet.column_dimensions[letter].number_format = "@"  # "3.1" stays text
        validation = _validation(column.key, plan, ranges)
        if validation is None and column.note:
            validation = DataValidation(allow_blank=True)
        if validation is not None:
            if column.note:
                validation.showInputMessage = True
                validation.promptTitle = header(column)[:32]
                validation.prompt = _(column.note)[:255]
            validation.add(f"{letter}{first}:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.freeze_panes = f"B{first}"

    for row, line in enumerate(_guide(plan), start=1):
        guide.cell(row=row, column=1, value=safe_cell(line)).alignment = Alignment(
            wrap_text=True)
    guide["A1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 120

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _validation(key: str, plan: Plan, ranges: dict[int, str]) -> DataValidation | None:
    """The drop-down or number check of a column, if it has one."""
    choose = _("Hãy chọn một giá trị trong danh sách.")
    if key == "time_frame" and 1 in ranges:
        return DataValidation(type="list", formula1=ranges[1], allow_blank=True,
                              showErrorMessage=True, error=choose)
    if key in AGENCY_COLUMNS and 2 in ranges:
        return DataValidation(type="list", formula1=ranges[2], allow_blank=True,
                              showErrorMessage=True, error=choose)
    bounds = {"year": (plan.start_year, plan.end_year), "quarter": (1, 4), "month": (1, 12)}
    if key in bounds:
        low, high = bounds[key]
        return DataValidation(type="whole", operator="between", formula1=str(low),
                              formula2=str(high), allow_blank=True, showErrorMessage=True,
                              error=_("Hãy ghi một số từ %(low)s đến %(high)s.")
                              % {"low": low, "high": high})
    return None
