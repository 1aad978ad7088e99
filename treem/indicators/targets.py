"""Targets per unit, indicator and year: set one at a time or imported from an Excel sheet,
checked row by row; a sheet with any bad row writes nothing and says which rows are wrong."""

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo import codes
from treem.geo.models import Unit
from treem.indicators import comparisons
from treem.indicators.models import Direction, Indicator, Target, UnitKind
from treem.ui import xlsx
from treem.ui.xlsx import FileRejected, check_xlsx

COLUMNS = (gettext_lazy("Mã bộ chỉ tiêu"), gettext_lazy("Mã chỉ tiêu"),
           gettext_lazy("Mã đơn vị"), gettext_lazy("Năm"), gettext_lazy("Loại"),
           gettext_lazy("Giá trị"), gettext_lazy("Chiều đánh giá"))
KINDS = {"mục tiêu": Target.Kind.TARGET, "giá trị gốc": Target.Kind.BASELINE}
MAX_ROWS = 5_000
# ASCII digits only: int() and Decimal() also read "٢٠٣٠" and "٤٫٥".
_YEAR = re.compile(r"^[0-9]{4}\Z")
_DECIMAL = re.compile(r"^-?[0-9]+(?:[.,][0-9]+)?\Z")
UNREAD_DIRECTION = gettext_lazy("không đọc được chiều đánh giá “%(text)s”: hãy ghi Dưới, Trên, "
                                "Không quá, Tối đa, Ít nhất hoặc Tối thiểu.")
NO_DIRECTION = gettext_lazy("hãy ghi chiều đánh giá (Dưới, Trên, Không quá, Ít nhất…).")
CONFLICTING = gettext_lazy("chiều đánh giá “%(direction)s” khác với giá trị “%(value)s”.")
MAX_UNCOMPRESSED = 32 * 1024 * 1024
MAX_COLUMNS = 7
UNREADABLE = gettext_lazy("Không đọc được tệp: hãy dùng tệp Excel (.xlsx) theo mẫu.")


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    unit: Unit
    year: int
    kind: str
    value: Decimal
    direction: str


def check(*, actor: User, indicator: Indicator, unit: Unit, year: Any, kind: str, value: Any,
          direction: str, sets: Any) -> Row:
    """One target, checked: the indicator of a set the actor works to, a unit of its scope,
    a year, a number (a percentage at most 100)."""
    if not sets.filter(pk=indicator.indicator_set_id).exists():
        raise ValidationError({"indicator": _("Chỉ tiêu không thuộc bộ chỉ tiêu của địa bàn.")})
    if not actor.in_scope(unit.path, capability=Capability.MANAGE_TARGETS):
        raise PermissionDenied(_("Bạn không đặt mục tiêu cho đơn vị này."))
    year = _year(year)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm phải từ 2000 đến 2100.")})
    number = _decimal(value)
    if number is None:
        raise ValidationError({"value": _("Giá trị phải là một số.")})
    version = indicator.versions.order_by("-number").first()
    if number < 0 or (version and version.unit_kind == UnitKind.PERCENT and number > 100):
        raise ValidationError({"value": _("Giá trị không âm; tỷ lệ % không quá 100.")})
    if kind not in Target.Kind.values or direction not in Direction.values:
        raise ValidationError({"kind": _("Hãy chọn loại (mục tiêu, giá trị gốc) và chiều đánh "
                                         "giá.")})
    return Row(indicator, unit, year, kind, number, direction)


def _year(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value or "").strip()
    return int(text) if _YEAR.match(text) else 0


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    text = str(value).strip() if isinstance(value, (int, float, Decimal)) else None
    if text is None:
        text = str(value or "").strip()
        if not _DECIMAL.match(text):
            return None
    try:
        return Decimal(text.replace(",", ".")).quantize(Decimal("0.001"))
    except (InvalidOperation, ValueError):
        return None


def read_goal(value: Any, direction: Any) -> tuple[Any, str]:
    """(value, direction) of a sheet's two cells: the direction in words ("Dưới", "Trên",
    "Không quá"…) or in the value ("dưới 4,5%"); ValidationError when they cannot be read
    or disagree."""
    text = str(direction or "").strip()
    said = comparisons.direction_of(text) if text else None
    if text and said is None:
        raise ValidationError({"direction": UNREAD_DIRECTION % {"text": text}})
    if isinstance(value, str) and comparisons.direction_of(value) is not None:
        in_value, number = comparisons.parse_goal(value)
        if number is None:
            raise ValidationError({"value": _("Giá trị phải là một số.")})
        if said is not None and said != in_value:
            raise ValidationError({"direction": CONFLICTING % {"direction": text,
                                                               "value": value}})
        said, value = in_value, number
    if said is None:
        raise ValidationError({"direction": NO_DIRECTION})
    return value, said


TARGET_EXISTS = gettext_lazy(
    "Chưa lưu: %(unit)s đã có %(kind)s năm %(year)s của chỉ tiêu %(code)s là «%(theirs)s»%(by)s, "
    "khác với «%(mine)s» bạn nhập. Nếu muốn thay, hãy bấm Lưu mục tiêu lần nữa.")
SET_BY = gettext_lazy(" (do %(by)s đặt)")
Key = tuple[int, int, int, str]
Goal = tuple[Decimal, str]


def key_of(row: Row) -> Key:
    return (row.indicator.pk, row.unit.pk, row.year, row.kind)


def goal_text(value: Decimal, direction: str) -> str:
    return f"{Direction(direction).label} {value.normalize():f}".replace(".", ",")


def replaced(text: str) -> Goal | None:
    """The target a page showed and the officer agreed to replace ("3.500|at_most"), or None."""
    number, _sep, direction = (text or "").partition("|")
    value = _decimal(number)
    return (value, direction) if value is not None and direction in Direction.values else None


class TargetExists(ValidationError):
    """A target of the same indicator, unit, year and kind is already set to another value
    than the officer knew: nothing was written. `replaces` is what the page carries to
    replace it when the officer saves again."""

    def __init__(self, target: Target, row: Row) -> None:
        self.replaces = f"{target.value}|{target.direction}"
        by = target.created_by
        super().__init__(TARGET_EXISTS % {
            "unit": row.unit.name, "kind": Target.Kind(row.kind).label.lower(),
            "year": row.year, "code": row.indicator.code,
            "theirs": goal_text(target.value, target.direction),
            "mine": goal_text(row.value, row.direction),
            "by": SET_BY % {"by": by.full_name or by.username} if by else ""})


@transaction.atomic
def targets_save(*, actor: User, rows: list[Row],
                 known: dict[Key, Goal | None] | None = None) -> int:
    """Set targets (a target of the same indicator, unit, year and kind is replaced).

    `known`, for targets set on the page, is what the officer knew of each: None (none), or
    the goal the page showed and the officer agreed to replace. A target found set to another
    goal (set meanwhile, or never shown) is refused (`TargetExists`, nothing written), so
    that one officer's target is never silently replaced by another's. A sheet (`known`
    None) replaces deliberately: it is the plan's list of targets, which its uploader
    vouches for."""
    if known is not None:
        # Saves for a unit wait for each other: the target read is the one replaced.
        list(Unit.objects.select_for_update().filter(pk__in={row.unit.pk for row in rows})
             .values_list("pk", flat=True))
        for row in rows:
            current = Target.objects.select_related("created_by").filter(
                indicator=row.indicator, unit=row.unit, year=row.year, kind=row.kind).first()
            if current is None:
                continue
            saved = (current.value, current.direction)
            if saved != (row.value, row.direction) and saved != known.get(key_of(row)):
                raise TargetExists(current, row)
    for row in rows:
        Target.objects.update_or_create(
            indicator=row.indicator, unit=row.unit, year=row.year, kind=row.kind,
            defaults={"value": row.value, "direction": row.direction, "created_by": actor})
    for unit in {row.unit for row in rows}:
        event_record(actor=actor, action=Action.UPDATE, unit=unit, fields=["targets"],
                     reason=f"{sum(1 for r in rows if r.unit == unit)}")
    return len(rows)


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Mục tiêu")[:31]
    sheet.append([str(c) for c in COLUMNS])
    sheet.append(["binh-long-2022-2030", "CT08a", "690", 2030, "Mục tiêu", 3.5, "Dưới"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_sheet(*, actor: User, content: bytes, sets: Any) -> tuple[int, list[str]]:
    """(targets written, errors by row): all rows or none."""
    try:
        check_xlsx(content, limit=MAX_UNCOMPRESSED)
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        # Read at once (5,000 short rows at most): a cell openpyxl cannot read (a reference
        # past Excel's last column) is then the same answer as an unreadable file.
        sheet_rows = list(xlsx.whole_rows(sheet, min_row=2, max_row=MAX_ROWS + 2,
                                          max_col=MAX_COLUMNS))
    except FileRejected as error:
        return 0, [error.message if error.unsafe else str(UNREADABLE)]
    except Exception:  # noqa: BLE001 - any unreadable file is the same answer to the user
        return 0, [str(UNREADABLE)]
    errors: list[str] = []
    rows: list[Row] = []
    indicators = {(i.indicator_set.code, i.code): i for i in Indicator.objects.filter(
        indicator_set__in=sets).select_related("indicator_set")}
    units: dict[str, Unit | None] = {}
    for number, values in enumerate(sheet_rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(_("Tệp quá %(n)s dòng.") % {"n": MAX_ROWS})
            break
        if not values or all(v in (None, "") for v in values):
            continue
        set_code, code, unit_code, year, kind, value, direction = (list(values) + [None] * 7)[:7]
        indicator = indicators.get((str(set_code or "").strip(), str(code or "").strip()))
        unit_key = str(unit_code or "").strip()
        if unit_key not in units:
            # Today's unit of the code, not a dissolved one that had it (see geo.codes).
            units[unit_key] = codes.find(
                Unit.objects.visible_to(actor, capability=Capability.MANAGE_TARGETS), unit_key)
        unit = units[unit_key]
        if indicator is None or unit is None:
            errors.append(_("Dòng %(row)s: không có chỉ tiêu hoặc đơn vị này trong địa bàn của "
                            "bạn.") % {"row": number})
            continue
        try:
            value, said = read_goal(value, direction)
            rows.append(check(actor=actor, indicator=indicator, unit=unit, year=year,
                              kind=KINDS.get(str(kind or "").strip().lower(), ""), value=value,
                              direction=said, sets=sets))
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(getattr(error, "messages", [str(error)]))
            errors.append(_("Dòng %(row)s: %(error)s") % {"row": number, "error": text})
    if errors:
        return 0, errors
    if not rows:
        return 0, [_("Tệp không có dòng mục tiêu nào.")]
    return targets_save(actor=actor, rows=rows), []
