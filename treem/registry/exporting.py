"""Excel export of a list of children: neutralised cells, audited with the reason given."""

import datetime
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.lib.routing import replica_reads
from treem.lib.spreadsheet import safe_cell
from treem.registry import choices
from treem.registry.models import Child

REASON_MIN_LENGTH = 10
REASON_REQUIRED = gettext_lazy("Hãy ghi rõ lý do xuất danh sách (ít nhất 10 ký tự).")

COLUMNS = [
    ("full_name", gettext_lazy("Họ và tên")),
    ("birth_date", gettext_lazy("Ngày sinh")),
    ("sex", gettext_lazy("Giới tính")),
    ("ethnicity__name", gettext_lazy("Dân tộc")),
    ("personal_id", gettext_lazy("Số định danh cá nhân")),
    ("birth_registered", gettext_lazy("Đã khai sinh")),
    ("village__name", gettext_lazy("Thôn, tổ dân phố")),
    ("commune__name", gettext_lazy("Xã, phường")),
    ("residence_type", gettext_lazy("Loại cư trú")),
    ("living_arrangement", gettext_lazy("Hoàn cảnh sống")),
    ("school_status", gettext_lazy("Đi học")),
    ("disability_type", gettext_lazy("Khuyết tật")),
    ("health_insurance", gettext_lazy("BHYT")),
]
_LABELS = {
    "sex": dict(choices.Sex.choices), "residence_type": dict(choices.ResidenceType.choices),
    "living_arrangement": dict(choices.LivingArrangement.choices),
    "school_status": dict(choices.SchoolStatus.choices),
    "disability_type": dict(choices.DisabilityType.choices),
}


def _cell(name: str, value: Any) -> Any:
    if name in _LABELS:
        return str(_LABELS[name].get(value, value or ""))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return safe_cell(value)


def checked_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": REASON_REQUIRED})
    return reason


def write_children(sheet: Any, children: QuerySet[Child],
                   extra: tuple[Any, dict[int, str]] | None = None) -> int:
    """The list's columns and one row per child (formula-safe), streamed; `extra` adds a last
    column: (its title, its text by child id). Returns the number of rows."""
    names = [name for name, _ in COLUMNS]
    sheet.append([str(label) for _, label in COLUMNS] + ([str(extra[0])] if extra else []))
    count = 0
    for pk, *row in children.values_list("pk", *names).iterator(chunk_size=2000):
        cells = [_cell(name, value) for name, value in zip(names, row, strict=True)]
        sheet.append(cells + ([safe_cell(extra[1].get(pk, ""))] if extra else []))
        count += 1
    return count


def record_export(*, actor: User, unit: Unit | None, reason: str, rows: int) -> None:
    """The audit of a list of children leaving treem: who, why, which columns, how many."""
    event_record(actor=actor, action=Action.EXPORT, unit=unit, reason=reason,
                 fields=[*(name for name, _ in COLUMNS), f"rows={rows}"])


@replica_reads()
def children_export(*, actor: User, children: QuerySet[Child], reason: str,
                    unit: Unit | None) -> bytes:
    """An .xlsx of `children` (already limited to the actor's scope by the selector)."""
    reason = checked_reason(reason)
    book = Workbook(write_only=True)
    count = write_children(book.create_sheet(title=_("Danh sách trẻ em")), children)
    buffer = io.BytesIO()
    book.save(buffer)
    record_export(actor=actor, unit=unit, reason=reason, rows=count)
    return buffer.getvalue()


def export_filename() -> str:
    # No name, place or filter in the file name: it ends up in download folders and logs.
    return f"tre-em-{timezone.localdate():%Y%m%d}.xlsx"
