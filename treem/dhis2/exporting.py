"""Indicator values as a DHIS2 dataValueSets document: with treem's own codes (the CODE id
scheme), or translated through the province's table (UIDs). Nothing is dropped silently: what
the table does not map is refused with its list, or left out on request and counted.

What DHIS2 does with the document decides its shape (docs/dhis2.md cites the sources):

- Every value carries its own `orgUnit`, `period` (and `attributeOptionCombo`); the document
  has none at the top. DHIS2's import gives a top-level orgUnit, period or attribute option
  combo precedence over each value's (DefaultDataValueSetService.createDataValueContext):
  one top-level orgUnit would put the values of every commune in the province's cells, the
  last one overwriting the others. Without a top-level orgUnit DHIS2 cannot register the data
  set as complete, so neither is `completeDate` sent (it would be an import conflict).
- The id schemes are declared in the document, which takes precedence over the request's
  parameters: CODE for treem's codes, UID for the table's.
- A data element takes totals or the values of one breakdown, never both in one document:
  DHIS2 stores both and adds every category option combo of an element into its total.
  Totals go on the default category option combo.
- Each (dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo) cell has one
  value: checked before the document leaves (`cells`).
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from treem.dhis2 import selectors
from treem.dhis2.models import Mapping, Role
from treem.geo.codes import codes_of
from treem.geo.models import Unit
from treem.indicators import breakdowns
from treem.indicators.compute import Values
from treem.indicators.models import IndicatorVersion
from treem.indicators.periods import Period
from treem.indicators.spec import SCALES
from treem.indicators.values import indicator_values
from treem.lib.routing import replica_reads

SHOWN_UNMAPPED = 20
DEFAULT = "default"  # how the cells below name DHIS2's default category (option) combo


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


class Collision(RuntimeError):
    """Two values of one document on one DHIS2 cell, or an element given totals beside its
    breakdowns: a fault of treem, never sent."""


@dataclass
class Document:
    body: dict[str, Any]
    unmapped: list[str] = field(default_factory=list)


def number(value: float | int | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def dimension_of(breakdown: str) -> str:
    """"sex" of "sex=f", "" of a total."""
    return breakdown.split("=", 1)[0] if breakdown else ""


def cells(rows: list[dict[str, Any]], *, default: str = DEFAULT) -> None:
    """Collision unless every value has a cell of its own and no data element takes both
    totals (`default`, the default combo's identifier; none named is the default too) and
    breakdowns."""
    seen: set[tuple[str, ...]] = set()
    combos: dict[str, set[bool]] = {}
    for row in rows:
        combo = row.get("categoryOptionCombo") or default
        key = (row["dataElement"], row["period"], row["orgUnit"], combo,
               row.get("attributeOptionCombo") or DEFAULT)
        if key in seen:
            raise Collision(f"two values for the DHIS2 cell {key}")
        seen.add(key)
        combos.setdefault(row["dataElement"], set()).add(combo == default)
    mixed = sorted(element for element, kinds in combos.items() if len(kinds) > 1)
    if mixed:
        raise Collision(f"totals beside breakdowns for the data elements {mixed}")


@replica_reads()
def treem_document(versions: dict[int, IndicatorVersion], values: Values,
                   period: Period) -> Document:
    """treem's own codes, for a DHIS2 instance configured with them (the CODE id scheme): a
    total goes to the data element "<set>.<code>" on the default category option combo (none
    named: DHIS2 takes its default), a breakdown to "<set>.<code>.<dimension>" on the combo
    "<dimension>=<group>"; the org unit is the unit's code, with the last day it existed for
    a unit dissolved in 2025 (`treem.geo.codes`), so that no two units share a code."""
    unit_codes = codes_of(key[1] for key in values)
    rows = []
    for (version_pk, unit_pk, breakdown), cell in sorted(
            values.items(), key=lambda item: (item[0][0], unit_codes[item[0][1]], item[0][2])):
        version = versions[version_pk]
        value = cell.value(SCALES[version.unit_kind])
        if value is None:
            continue
        element = f"{version.indicator.indicator_set.code}.{version.indicator.code}"
        row = {"dataElement": element, "period": period.code, "orgUnit": unit_codes[unit_pk],
               "value": number(value)}
        if breakdown:
            row["dataElement"] = f"{element}.{dimension_of(breakdown)}"
            row["categoryOptionCombo"] = breakdown
        rows.append(row)
    cells(rows)
    return Document({"idScheme": "CODE", "dataElementIdScheme": "CODE",
                     "orgUnitIdScheme": "CODE", "categoryOptionComboIdScheme": "CODE",
                     "dataValues": rows})


def mapping_for(unit: Unit) -> Mapping:
    """The table of the unit's province; NoMapping with what to do when there is none."""
    province = selectors.province_of(unit)
    if province is None:
        raise NoMapping(_("Mỗi tỉnh có bảng ánh xạ DHIS2 riêng: hãy chọn một tỉnh hoặc một đơn "
                          "vị trong tỉnh (unit=…)."))
    mapping = selectors.mapping_of(province)
    if mapping is None:
        raise NoMapping(_("Tỉnh chưa có bảng ánh xạ DHIS2: người quản trị của tỉnh nhập bảng ở "
                          "trang DHIS2."))
    return mapping


@replica_reads()
def mapped_document(versions: dict[int, IndicatorVersion], values: Values, period: Period,
                    unit: Unit, *, partial: bool) -> Document:
    """The province's UIDs for every value: the value, numerator and denominator of a total
    each go to the data elements the table names for the totals, those of a breakdown to the
    elements it names for that breakdown (none: the province does not take that breakdown).
    Unmapped when something is missing, unless `partial` (then left out and listed)."""
    mapping = mapping_for(unit)
    elements: dict[tuple[int, str], dict[str, str]] = {}
    for indicator_id, role, dimension, uid in mapping.elements.values_list(
            "indicator_id", "role", "dimension", "uid"):
        elements.setdefault((indicator_id, dimension), {})[role] = uid
    mapped_indicators = {indicator_id for indicator_id, _dimension in elements}
    combos = dict(mapping.combos.values_list("breakdown", "uid"))
    org_units = dict(mapping.org_units.values_list("unit_id", "uid"))
    names = dict(Unit.objects.filter(pk__in={key[1] for key in values})
                 .values_list("pk", "name"))
    aoc = mapping.attribute_option_combo
    rows, missing = [], []
    for (version_pk, unit_pk, breakdown), cell in sorted(values.items()):
        version = versions[version_pk]
        mapped = elements.get((version.indicator_id, dimension_of(breakdown)))
        if mapped is None and version.indicator_id in mapped_indicators:
            # The table sends this indicator by another breakdown (DHIS2 adds that
            # breakdown's combos into the total) or by its totals only: by design, not lost.
            continue
        where = (f"{version.indicator.code} · {names.get(unit_pk, unit_pk)} · "
                 f"{breakdowns.label_of(breakdown)}")
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
            row = {"dataElement": uid, "period": period.code, "orgUnit": org_units[unit_pk],
                   "categoryOptionCombo": combos[breakdown], "value": number(figures[role])}
            if aoc:
                row["attributeOptionCombo"] = aoc
            rows.append(row)
    if missing and not partial:
        raise Unmapped(missing)
    cells(rows, default=combos.get("", DEFAULT))
    body: dict[str, Any] = {"idScheme": "UID", "dataElementIdScheme": "UID",
                            "orgUnitIdScheme": "UID", "categoryOptionComboIdScheme": "UID"}
    if mapping.data_set:
        body["dataSet"] = mapping.data_set
    body["dataValues"] = rows
    return Document(body, missing)


@replica_reads()
def province_document(province: Unit, period: Period, *, partial: bool) -> Document:
    """The values of the province's indicators for `period` as `mapped_document` sends them:
    computed here, so that the replica (when there is one) serves the whole computation."""
    versions = selectors.versions_of(province)
    return mapped_document({v.pk: v for v in versions}, indicator_values(versions, period, province),
                           period, province, partial=partial)
