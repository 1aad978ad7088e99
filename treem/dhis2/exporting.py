"""Indicator values as a DHIS2 dataValueSets document: with treem's own identifiers (data
element "<set>.<code>", org unit the unit's code, category option combo the breakdown), or
translated through the province's table. Nothing is dropped silently: what the table does not
map is refused with its list, or left out on request and counted."""

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from treem.dhis2 import selectors
from treem.dhis2.models import Mapping, Role
from treem.geo.models import Unit
from treem.indicators import breakdowns
from treem.indicators.compute import Values
from treem.indicators.models import IndicatorVersion
from treem.indicators.periods import Period
from treem.indicators.spec import SCALES

SHOWN_UNMAPPED = 20


class Unmapped(Exception):
    """Values the province's table cannot name (the first ones, and how many)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(_("Bảng ánh xạ DHIS2 của tỉnh chưa đủ: %(n)s giá trị không có mã "
                           "DHIS2 (%(first)s). Hãy bổ sung bảng ánh xạ, hoặc xuất phần đã ánh xạ "
                           "(partial=true).")
                         % {"n": len(missing), "first": "; ".join(missing[:SHOWN_UNMAPPED])})
        self.missing = missing


class NoMapping(Exception):
    pass


@dataclass
class Document:
    body: dict[str, Any]
    unmapped: list[str] = field(default_factory=list)


def number(value: float | int | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def treem_document(versions: dict[int, IndicatorVersion], values: Values, period: Period,
                   unit: Unit, codes: dict[int, str]) -> Document:
    """treem's own identifiers: what a DHIS2 instance configured with treem's codes (the
    CODE id scheme) imports."""
    rows = []
    for (version_pk, unit_pk, breakdown), cell in sorted(
            values.items(), key=lambda item: (item[0][0], codes.get(item[0][1], ""), item[0][2])):
        version = versions[version_pk]
        value = cell.value(SCALES[version.unit_kind])
        if value is None:
            continue
        rows.append({"dataElement": f"{version.indicator.indicator_set.code}."
                                    f"{version.indicator.code}",
                     "period": period.code, "orgUnit": codes.get(unit_pk, ""),
                     "categoryOptionCombo": breakdown or "default", "value": number(value)})
    return Document({"completeDate": timezone.localdate().isoformat(), "period": period.code,
                     "orgUnit": unit.code, "dataValues": rows})


def mapped_document(versions: dict[int, IndicatorVersion], values: Values, period: Period,
                    unit: Unit, *, partial: bool) -> Document:
    """The province's UIDs for every value: the value, numerator and denominator each go to
    the data element the table names for them. Unmapped when something is missing, unless
    `partial` (then left out and listed)."""
    province = selectors.province_of(unit)
    if province is None:
        raise NoMapping(_("Mỗi tỉnh có bảng ánh xạ DHIS2 riêng: hãy chọn một tỉnh hoặc một đơn "
                          "vị trong tỉnh (unit=…)."))
    mapping = Mapping.objects.filter(province=province).first()
    if mapping is None:
        raise NoMapping(_("Tỉnh chưa có bảng ánh xạ DHIS2: người quản trị của tỉnh nhập bảng ở "
                          "trang DHIS2."))
    elements: dict[int, dict[str, str]] = {}
    for indicator_id, role, uid in mapping.elements.values_list("indicator_id", "role", "uid"):
        elements.setdefault(indicator_id, {})[role] = uid
    combos = dict(mapping.combos.values_list("breakdown", "uid"))
    org_units = dict(mapping.org_units.values_list("unit_id", "uid"))
    names = dict(Unit.objects.filter(pk__in={key[1] for key in values})
                 .values_list("pk", "name"))
    rows, missing = [], []
    for (version_pk, unit_pk, breakdown), cell in sorted(values.items()):
        version = versions[version_pk]
        mapped = elements.get(version.indicator_id)
        where = (f"{version.indicator.code} · {names.get(unit_pk, unit_pk)} · "
                 f"{breakdown or breakdowns.label_of(breakdown)}")
        lacking = [label for label, ok in ((_("phần tử dữ liệu"), mapped),
                                           (_("orgUnit"), unit_pk in org_units),
                                           (_("categoryOptionCombo"), breakdown in combos))
                   if not ok]
        if lacking:
            missing.append(f"{where}: {_('thiếu')} {', '.join(map(str, lacking))}")
            continue
        figures: dict[str, float | int | None] = {
            Role.VALUE: cell.value(SCALES[version.unit_kind]),
            Role.NUMERATOR: cell.numerator, Role.DENOMINATOR: cell.denominator}
        for role, uid in (mapped or {}).items():
            if figures[role] is None:
                continue  # nothing to divide by: no value, not zero
            rows.append({"dataElement": uid, "period": period.code,
                         "orgUnit": org_units[unit_pk], "categoryOptionCombo": combos[breakdown],
                         "value": number(figures[role])})
    if missing and not partial:
        raise Unmapped(missing)
    body: dict[str, Any] = {"completeDate": timezone.localdate().isoformat(),
                            "period": period.code, "dataValues": rows}
    if mapping.data_set:
        body["dataSet"] = mapping.data_set
    if mapping.attribute_option_combo:
        body["attributeOptionCombo"] = mapping.attribute_option_combo
    if unit.pk in org_units:
        body["orgUnit"] = org_units[unit.pk]
    return Document(body, missing)
