"""The columns of the Excel list of children: one per field the register takes.

Headers and list entries are always Vietnamese, whatever the interface language: the file is a
format exchanged between offices, and a header must not change because an officer's screen is
set to English. Headers are matched by their folded form without punctuation or parentheses,
so "NGAY SINH", "Ngày sinh (dd/mm/yyyy)" and "ngày sinh" are one column.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import TextChoices
from django.utils import translation

from treem.lib.text import fold
from treem.registry import choices

YES, NO = "Có", "Không"


@dataclass(frozen=True)
class Column:
    key: str            # name of the value in a parsed row
    header: str         # header written in the template
    label: str          # short name in error messages
    required: bool = False
    kind: str = "text"  # text, date, bool, choice, ethnicity, village, personal_id, phone
    options: type[TextChoices] | None = None
    width: int = 16
    aliases: tuple[str, ...] = ()
    note: str = ""      # input message shown by Excel when the cell is selected

    @property
    def max_length(self) -> int:
        """The longest cell the column takes, in characters: checked on the raw cell before
        anything else is done with it, so that a cell of a megabyte is one error, fast."""
        return MAX_LENGTHS[self.kind]


# By kind: names as the register's forms and models (150), the other kinds with room for an
# officer's spaces and spellings, far under what would cost time to fold or compare.
MAX_LENGTHS = {"text": 150, "date": 40, "bool": 20, "choice": 100, "ethnicity": 60,
               "village": 150, "personal_id": 30, "phone": 30}


COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên", "Họ và tên", required=True, width=28,
           aliases=("ho ten", "ho va ten tre", "ten tre")),
    Column("sex", "Giới tính", "Giới tính", required=True, kind="choice",
           options=choices.Sex, width=10),
    Column("birth_date", "Ngày sinh (dd/mm/yyyy)", "Ngày sinh", required=True, kind="date",
           width=14, note="Ví dụ 05/09/2015. Nếu chỉ biết năm sinh: ghi năm (2015) và chọn "
                          "Có ở cột bên cạnh."),
    Column("year_only", "Chỉ biết năm sinh?", "Chỉ biết năm sinh", kind="bool", width=10),
    Column("ethnicity", "Dân tộc", "Dân tộc", required=True, kind="ethnicity", width=14),
    Column("personal_id", "Số định danh cá nhân", "Số định danh cá nhân", kind="personal_id",
           width=16, aliases=("so dinh danh", "ma dinh danh", "so dinh danh ca nhan cua tre"),
           note="12 chữ số; để trống nếu trẻ chưa có."),
    Column("birth_registered", "Đã khai sinh", "Đã khai sinh", kind="bool", width=10,
           aliases=("da dang ky khai sinh",)),
    Column("village", "Thôn/tổ dân phố", "Thôn, tổ dân phố", kind="village", width=20,
           aliases=("thon", "thon ban", "thon ban to dan pho")),
    Column("residence_type", "Loại cư trú", "Loại cư trú", kind="choice",
           options=choices.ResidenceType, width=12),
    Column("living_arrangement", "Hoàn cảnh sống", "Hoàn cảnh sống", kind="choice",
           options=choices.LivingArrangement, width=26),
    Column("school_level", "Cấp học", "Cấp học", kind="choice", options=choices.SchoolLevel,
           width=16),
    Column("school_status", "Tình trạng đi học", "Tình trạng đi học", kind="choice",
           options=choices.SchoolStatus, width=18),
    Column("disability_type", "Dạng khuyết tật", "Dạng khuyết tật", kind="choice",
           options=choices.DisabilityType, width=22),
    Column("disability_degree", "Mức độ khuyết tật", "Mức độ khuyết tật", kind="choice",
           options=choices.DisabilityDegree, width=14),
    Column("health_insurance", "BHYT", "BHYT", kind="bool", width=8,
           aliases=("bao hiem y te", "co the bhyt", "the bhyt")),
    Column("caregiver_name", "Họ tên người chăm sóc", "Họ tên người chăm sóc", width=26,
           aliases=("nguoi cham soc", "ho va ten nguoi cham soc")),
    Column("caregiver_relation", "Quan hệ", "Quan hệ", kind="choice", options=choices.Relation,
           width=16, aliases=("quan he voi tre",)),
    Column("caregiver_phone", "Điện thoại", "Điện thoại", kind="phone", width=14,
           aliases=("so dien thoai", "dien thoai nguoi cham soc")),
)
BY_KEY = {column.key: column for column in COLUMNS}

_PARENTHESES = re.compile(r"\(.*?\)")
_PUNCTUATION = re.compile(r"[^a-z0-9]+")


def header_key(text: Any) -> str:
    """The form in which headers are compared: folded, no parentheses, no punctuation."""
    folded = fold(_PARENTHESES.sub(" ", str(text or "")))
    return _PUNCTUATION.sub(" ", folded).strip()


HEADERS: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.label, *_column.aliases):
        HEADERS.setdefault(header_key(_name), _column.key)


def labels(options: type[TextChoices]) -> list[tuple[str, str]]:
    """(value, Vietnamese label) of a closed list, whatever language is active."""
    with translation.override("vi"):
        return [(value, str(label)) for value, label in options.choices]
