"""The province's DHIS2 table as an Excel workbook: a template filled with what treem has
(indicators, breakdowns, units) for the statistics office to add the UIDs, and its import,
all rows or none, every bad row named. An import replaces the province's table."""

import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.dhis2 import selectors
from treem.dhis2.models import UID, ComboMap, ElementMap, Mapping, OrgUnitMap, Role
from treem.geo.models import Unit
from treem.lib.spreadsheet import safe_cell
from treem.ui import xlsx
from treem.ui.xlsx import FileRejected, check_xlsx

# The sheets, in this order (found by position, so a translated template imports too).
GENERAL, INDICATORS, BREAKDOWNS, UNITS = range(4)
ROLES = (Role.VALUE, Role.NUMERATOR, Role.DENOMINATOR)
MAX_ROWS = 20_000
# The table is a few thousand short rows: far under the child list's limit once unpacked.
MAX_UNCOMPRESSED = 32 * 1024 * 1024
# The columns read from any sheet (openpyxl pads every row to the widest one otherwise, and a
# sheet claiming a million columns would be a million values a row).
MAX_COLUMNS = 7  # the widest sheet ("Chỉ tiêu"): set, indicator, name, three elements, breakdown
UNREADABLE = gettext_lazy("Không đọc được tệp: hãy dùng tệp Excel (.xlsx) theo mẫu.")


def template(province: Unit) -> bytes:
    """The workbook to fill in, with the UIDs already mapped (the table of the province it
    took over, for a province of today without its own)."""
    mapping = selectors.mapping_of(province)
    elements = {(e.indicator_id, e.role, e.dimension): e.uid
                for e in (mapping.elements.all() if mapping else [])}
    combos = dict(mapping.combos.values_list("breakdown", "uid")) if mapping else {}
    org_units = dict(mapping.org_units.values_list("unit_id", "uid")) if mapping else {}
    versions = selectors.versions_of(province)
    book = Workbook()
    general = book.active
    general.title = _("Chung")[:31]
    general.append([_("Mục"), _("UID")])
    general.append(["dataSet", mapping.data_set if mapping else ""])
    general.append(["attributeOptionCombo", mapping.attribute_option_combo if mapping else ""])
    sheet = book.create_sheet(_("Chỉ tiêu")[:31])
    sheet.append([_("Mã bộ chỉ tiêu"), _("Mã chỉ tiêu"), _("Tên chỉ tiêu"),
                  _("Phần tử dữ liệu: giá trị"), _("Phần tử dữ liệu: tử số"),
                  _("Phần tử dữ liệu: mẫu số"),
                  _("Phân tổ của phần tử (trống: số tổng, categoryOptionCombo mặc định)")])
    # A row for the totals, and one for each breakdown: each is a data element of its own
    # (its category combo), since DHIS2 adds an element's combos up into its total.
    for version in versions:
        indicator = version.indicator
        for dimension in ["", *version.disaggregations]:
            sheet.append([indicator.indicator_set.code, indicator.code, safe_cell(version.name)]
                         + [elements.get((indicator.pk, role, dimension), "") for role in ROLES]
                         + [dimension])
    sheet = book.create_sheet(_("Phân tổ")[:31])
    sheet.append([_("Mã phân tổ"), _("Tên"), _("categoryOptionCombo (UID)")])
    for key, label in selectors.breakdown_keys(versions):
        sheet.append([key, safe_cell(str(label)), combos.get(key, "")])
    sheet = book.create_sheet(_("Đơn vị")[:31])
    sheet.append([_("Mã đơn vị"), _("Tên"), _("orgUnit (UID)")])
    for unit in selectors.units_of(province):
        sheet.append([unit.code, safe_cell(unit.name), org_units.get(unit.pk, "")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class _Reader:
    """Reads the sheets, collecting every problem with its sheet and row."""

    def __init__(self, province: Unit) -> None:
        self.province = province
        self.errors: list[str] = []
        self.uids: dict[str, str] = {}  # element UID → where it was first seen

    def error(self, sheet: str, row: int, message: str) -> None:
        self.errors.append(_("Trang “%(sheet)s”, dòng %(row)s: %(message)s")
                           % {"sheet": sheet, "row": row, "message": message})

    def uid(self, sheet: str, row: int, raw: Any) -> str:
        value = _text(raw)
        if value and not UID.match(value):
            self.error(sheet, row, _("“%(uid)s” không phải UID của DHIS2 (11 ký tự chữ và số, "
                                     "bắt đầu bằng chữ).") % {"uid": value})
            return ""
        return value

    def rows(self, sheet: Any) -> Any:
        rows = xlsx.whole_rows(sheet, min_row=2, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS)
        for number, values in enumerate(_readable(rows, self.errors, sheet.title), start=2):
            if number > MAX_ROWS + 1:
                self.errors.append(_("Trang “%(sheet)s” quá %(n)s dòng.")
                                   % {"sheet": sheet.title, "n": MAX_ROWS})
                return
            if values and any(v not in (None, "") for v in values):
                yield number, list(values) + [None] * 7


def _readable(rows: Any, errors: list[str], title: str) -> Any:
    """The rows openpyxl reads, until a cell it cannot read (a reference past Excel's last
    column, a broken part): then one error, and no more rows."""
    try:
        yield from rows
    except Exception:  # noqa: BLE001 - any unreadable sheet is the same answer to the user
        errors.append(_("Trang “%(sheet)s”: không đọc được, hãy dùng tệp Excel (.xlsx) theo "
                        "mẫu.") % {"sheet": title})


def read(province: Unit, content: bytes) -> tuple[dict[str, Any], list[str]]:
    """The table the workbook holds, or the list of what is wrong with it."""
    try:
        check_xlsx(content, limit=MAX_UNCOMPRESSED)
    except FileRejected as error:
        return {}, [error.message if error.unsafe else str(UNREADABLE)]
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheets = book.worksheets
    except Exception:  # noqa: BLE001 - any unreadable file is the same answer to the user
        return {}, [str(UNREADABLE)]
    if len(sheets) < 4:
        return {}, [_("Tệp phải có 4 trang như tệp mẫu: Chung, Chỉ tiêu, Phân tổ, Đơn vị.")]
    reader = _Reader(province)
    table: dict[str, Any] = {"data_set": "", "attribute_option_combo": "", "elements": [],
                             "combos": [], "org_units": []}
    general = sheets[GENERAL]
    for number, values in reader.rows(general):
        key = _text(values[0])
        if key in ("dataSet", "attributeOptionCombo"):
            field = "data_set" if key == "dataSet" else "attribute_option_combo"
            table[field] = reader.uid(general.title, number, values[1])
    _read_elements(reader, sheets[INDICATORS], table)
    _read_combos(reader, sheets[BREAKDOWNS], table)
    _read_units(reader, sheets[UNITS], table)
    if table["elements"] and "" not in {key for key, _uid in table["combos"]}:
        reader.errors.append(_("Trang “%(sheet)s”: hãy ghi UID categoryOptionCombo mặc định "
                               "(dòng tổng) của DHIS2.") % {"sheet": sheets[BREAKDOWNS].title})
    return table, reader.errors


def _read_elements(reader: _Reader, sheet: Any, table: dict[str, Any]) -> None:
    versions = {(v.indicator.indicator_set.code, v.indicator.code): v
                for v in selectors.versions_of(reader.province)}
    seen: set[Any] = set()
    for number, values in reader.rows(sheet):
        version = versions.get((_text(values[0]), _text(values[1])))
        if version is None:
            reader.error(sheet.title, number, _("không có chỉ tiêu “%(set)s / %(code)s” trong "
                                                "các bộ chỉ tiêu của tỉnh.")
                         % {"set": _text(values[0]), "code": _text(values[1])})
            continue
        indicator, dimension = version.indicator, _text(values[6])
        if dimension and dimension not in version.disaggregations:
            reader.error(sheet.title, number, _("chỉ tiêu %(code)s không phân tổ theo "
                                                "“%(dimension)s”.")
                         % {"code": indicator.code, "dimension": dimension})
            continue
        if (indicator.pk, dimension) in seen:
            reader.error(sheet.title, number, _("chỉ tiêu này (và phân tổ này) đã có ở dòng "
                                                "trên."))
            continue
        seen.add((indicator.pk, dimension))
        for role, raw in zip(ROLES, values[3:6], strict=True):
            uid = reader.uid(sheet.title, number, raw)
            if not uid:
                continue
            if uid in reader.uids:
                reader.error(sheet.title, number, _("phần tử dữ liệu %(uid)s đã dùng cho "
                                                    "%(other)s.")
                             % {"uid": uid, "other": reader.uids[uid]})
                continue
            reader.uids[uid] = (f"{indicator.code} ({Role(role).label}"
                                f"{', ' + dimension if dimension else ''})")
            table["elements"].append((indicator, role, dimension, uid))


def _read_combos(reader: _Reader, sheet: Any, table: dict[str, Any]) -> None:
    known = {key for key, _label in selectors.breakdown_keys(
        selectors.versions_of(reader.province))}
    seen: set[str] = set()
    # Two breakdowns on one combo would put two values on the same DHIS2 cell, the second
    # overwriting the first on import: lost without a word, so refused here.
    seen_uids: dict[str, str] = {}
    for number, values in reader.rows(sheet):
        key = _text(values[0])
        uid = reader.uid(sheet.title, number, values[2])
        if key not in known:
            reader.error(sheet.title, number, _("không có phân tổ “%(key)s”.") % {"key": key})
        elif key in seen:
            reader.error(sheet.title, number, _("phân tổ này đã có ở dòng trên."))
        elif uid in seen_uids:
            reader.error(sheet.title, number, _("categoryOptionCombo %(uid)s đã dùng cho phân tổ "
                                                "“%(other)s”.")
                         % {"uid": uid, "other": seen_uids[uid] or "default"})
        elif uid:
            seen.add(key)
            seen_uids[uid] = key
            table["combos"].append((key, uid))


def _read_units(reader: _Reader, sheet: Any, table: dict[str, Any]) -> None:
    units = {unit.code: unit for unit in selectors.units_of(reader.province)}
    seen_units: set[int] = set()
    seen_uids: dict[str, str] = {}
    for number, values in reader.rows(sheet):
        unit = units.get(_text(values[0]))
        uid = reader.uid(sheet.title, number, values[2])
        if unit is None:
            reader.error(sheet.title, number, _("không có đơn vị mã “%(code)s” trong tỉnh.")
                         % {"code": _text(values[0])})
        elif unit.pk in seen_units:
            reader.error(sheet.title, number, _("đơn vị này đã có ở dòng trên."))
        elif uid in seen_uids:
            reader.error(sheet.title, number, _("orgUnit %(uid)s đã dùng cho %(other)s.")
                         % {"uid": uid, "other": seen_uids[uid]})
        elif uid:
            seen_units.add(unit.pk)
            seen_uids[uid] = unit.name
            table["org_units"].append((unit, uid))


@transaction.atomic
def import_workbook(*, actor: User, province: Unit, content: bytes) -> tuple[Mapping | None,
                                                                          list[str]]:
    """Replace the province's table with the workbook's: (the table, []) or (None, every
    problem) with nothing written."""
    if not actor.in_scope(province.path, capability=Capability.MANAGE_CATALOGUE):
        raise PermissionDenied(_("Chỉ quản trị viên của tỉnh được sửa bảng ánh xạ DHIS2."))
    table, errors = read(province, content)
    if errors:
        return None, errors
    mapping, _created = Mapping.objects.select_for_update().get_or_create(
        province=province, defaults={"province_path": province.path})
    mapping.data_set, mapping.updated_by = table["data_set"], actor
    mapping.attribute_option_combo = table["attribute_option_combo"]
    mapping.save(update_fields=["data_set", "attribute_option_combo", "updated_by",
                                "updated_at"])
    mapping.elements.all().delete()
    mapping.combos.all().delete()
    mapping.org_units.all().delete()
    ElementMap.objects.bulk_create(ElementMap(mapping=mapping, indicator=indicator, role=role,
                                              dimension=dimension, uid=uid)
                                   for indicator, role, dimension, uid in table["elements"])
    ComboMap.objects.bulk_create(ComboMap(mapping=mapping, breakdown=key, uid=uid)
                                 for key, uid in table["combos"])
    OrgUnitMap.objects.bulk_create(OrgUnitMap(mapping=mapping, unit=unit, uid=uid)
                                   for unit, uid in table["org_units"])
    event_record(actor=actor, action=Action.UPDATE, obj=mapping, unit=province,
                 fields=["dhis2_mapping", f"elements={len(table['elements'])}",
                         f"combos={len(table['combos'])}", f"org_units={len(table['org_units'])}"])
    return mapping, []
