"""The file a commune sends to its police: one row per child to check, then the columns the
police fill in with their answer (the same file comes back). Every cell is neutralised against
formula injection (`treem.lib.spreadsheet.safe_cell`); the file's name carries no personal data.

The columns are named by key; the answer file is read by its headers (`importing`), so a
police officer who moves a column does no harm, and one who renames a header is told which.
"""

import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from treem.lib.spreadsheet import safe_cell
from treem.privacy.models import PopulationCheck, PopulationCheckRow
from treem.privacy.models.population import Issue, Result
from treem.registry import choices
from treem.registry.models import Caregiver, Child

# (key, header). The first eight are the register's, the last six the police's answer.
SENT = [
    ("reference", gettext_lazy("Mã tham chiếu (không sửa)")),
    ("full_name", gettext_lazy("Họ và tên")),
    ("birth_date", gettext_lazy("Ngày sinh")),
    ("sex", gettext_lazy("Giới tính")),
    ("personal_id", gettext_lazy("Số định danh cá nhân")),
    ("caregivers", gettext_lazy("Cha, mẹ, người chăm sóc")),
    ("village", gettext_lazy("Thôn, tổ dân phố")),
    ("issue", gettext_lazy("Cần kiểm tra")),
]
ANSWER = [
    ("result", gettext_lazy("Kết quả (Đúng / Đã điều chỉnh / Không tìm thấy)")),
    ("new_full_name", gettext_lazy("Họ và tên đúng")),
    ("new_birth_date", gettext_lazy("Ngày sinh đúng")),
    ("new_sex", gettext_lazy("Giới tính đúng")),
    ("new_personal_id", gettext_lazy("Số định danh cá nhân đúng")),
    ("note", gettext_lazy("Ghi chú của Công an")),
]
COLUMNS = SENT + ANSWER
TEXT_COLUMNS = {"personal_id", "new_personal_id", "new_birth_date"}
SEX_LABELS = dict(choices.Sex.choices)
ISSUE_LABELS = dict(Issue.choices)


def _caregivers(children: Iterable[int]) -> dict[int, str]:
    """Child id → its caregivers' names with their relation ("Cha: …; Mẹ: …")."""
    relations = dict(choices.Relation.choices)
    names: dict[int, list[str]] = {}
    for child_id, name, relation in (Caregiver.objects.filter(child_id__in=list(children))
                                     .order_by("child_id", "-is_primary", "id")
                                     .values_list("child_id", "full_name", "relation")):
        names.setdefault(child_id, []).append(f"{relations.get(relation, relation)}: {name}")
    return {child_id: "; ".join(parts) for child_id, parts in names.items()}


def _text_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    # Stored as text: Excel would otherwise read a typed personal id as a number and drop its
    # leading zeros (province codes 001–096).
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    cell.number_format = "@"
    return cell


def write_check(check: PopulationCheck, rows: list[PopulationCheckRow]) -> bytes:
    """The .xlsx of the batch: a header row, a row per child, and a sheet of instructions."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Danh sách đối chiếu"))
    bold = Font(bold=True)
    header = []
    for _key, label in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    children = {row.child_id: row.child for row in rows}
    caregivers = _caregivers(children)
    for row in rows:
        child: Child = row.child
        values = {
            "reference": str(child.public_id),
            "full_name": child.full_name,
            "birth_date": child.birth_date.strftime("%d/%m/%Y"),
            "sex": str(SEX_LABELS.get(child.sex, child.sex)),
            "personal_id": child.personal_id or "",
            "caregivers": caregivers.get(child.pk, ""),
            "village": child.village.name if child.village else "",
            "issue": str(ISSUE_LABELS.get(row.issue, row.issue)),
        }
        cells: list[Any] = []
        for key, _label in COLUMNS:
            value = values.get(key, "")
            cells.append(_text_cell(sheet, value) if key in TEXT_COLUMNS else safe_cell(value))
        sheet.append(cells)
    guide = book.create_sheet(title=_("Hướng dẫn"))
    for line in instructions(check):
        guide.append([safe_cell(line)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def instructions(check: PopulationCheck) -> list[str]:
    results = ", ".join(f"“{label}”" for _value, label in Result.choices)
    return [
        _("Danh sách trẻ em cần đối chiếu với Cơ sở dữ liệu quốc gia về dân cư"),
        _("%(commune)s — xuất ngày %(day)s, %(n)s trẻ.") % {
            "commune": check.commune.name,
            "day": timezone.localtime(check.created_at).strftime("%d/%m/%Y"),
            "n": check.row_count},
        _("Không sửa cột “Mã tham chiếu” và các cột của sổ theo dõi."),
        _("Cột “Kết quả”: ghi một trong %(results)s.") % {"results": results},
        _("“Đúng”: thông tin khớp với CSDL dân cư; nếu trẻ chưa có số định danh, ghi số ở cột "
          "“Số định danh cá nhân đúng”."),
        _("“Đã điều chỉnh”: ghi giá trị đúng ở các cột “… đúng”, chỉ ở những cột cần sửa."),
        _("“Không tìm thấy”: trẻ chưa có trong CSDL dân cư; ghi lý do ở cột ghi chú nếu có."),
        _("Ngày sinh ghi theo dạng ngày/tháng/năm (ví dụ 05/09/2016); giới tính ghi Nam hoặc Nữ."),
        _("Tệp chứa dữ liệu cá nhân của trẻ em: chỉ chuyển cho Công an xã, không gửi qua mạng xã "
          "hội, xóa bản sao khi đã xong (Luật Bảo vệ dữ liệu cá nhân 2025)."),
    ]


def export_filename(check: PopulationCheck) -> str:
    # No name or place: the file ends up in download folders and mail attachments.
    return f"doi-chieu-dan-cu-{timezone.localtime(check.created_at):%Y%m%d-%H%M}.xlsx"
