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

from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Unit
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


def children_export(*, actor: Any, children: QuerySet[Child], reason: str,
                    unit: Unit | None) -> bytes:
    """An .xlsx of `children` (already limited to the actor's scope by the selector)."""
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": REASON_REQUIRED})
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Danh sách trẻ em"))
    sheet.append([str(label) for _, label in COLUMNS])
    names = [name for name, _ in COLUMNS]
    count = 0
    for row in children.values_list(*names).iterator(chunk_size=2000):
        sheet.append([_cell(name, value) for name, value in zip(names, row, strict=True)])
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    event_record(actor=actor, action=Action.EXPORT, unit=unit, reason=reason,
                 fields=[*names, f"rows={count}"])
    return buffer.getvalue()


def export_filename() -> str:
    # No name, place or filter in the file name: it ends up in download folders and logs.
    return f"tre-em-{timezone.localdate():%Y%m%d}.xlsx"
