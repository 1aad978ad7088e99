"""The dataValueSets documents checked against DHIS2's own rules, as its import applies them
(dhis2-core 2.40, DefaultDataValueSetService and DataValueSetImportValidator; docs/dhis2.md):

- a top-level orgUnit, period or attributeOptionCombo replaces every value's own;
- a value without a categoryOptionCombo or attributeOptionCombo takes the default combo;
- one value per (dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo):
  a second value for a cell overwrites the first;
- every combo of a data element is added into its total;
- identifiers are UIDs (^[a-zA-Z][a-zA-Z0-9]{10}$) unless the document declares another id
  scheme; with CODE, codes are unique per type of object;
- periods are ISO codes of a period type, digits 0–9 only (PeriodTypeEnum.ofIsoPeriod).

`dhis2_import` below is that import, written from those rules and nothing of treem's; the
tests run treem's documents through it. The units are of both structures: a province and
communes of today, and the province, district and commune dissolved on 30 June 2025 whose
codes today's units still carry ("04" is Cao Bằng before and after)."""

import datetime
import json
import re
from typing import Any

import pytest
from django.test import Client

from treem.accounts.roles import Role
from treem.accounts.services import token_create
from treem.audit.models import Action, AuditEvent
from treem.dhis2 import exporting
from treem.dhis2.models import ComboMap, ElementMap, Mapping, OrgUnitMap
from treem.geo.codes import codes_of
from treem.geo.models import REORGANISATION_DATE, Level, SuccessionKind, Unit, UnitSuccession
from treem.indicators.catalogue import DATA, load_set
from treem.registry.tests.factories import make_child, make_circumstance, relocate
from treem.testing import make_unit, make_user

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/indicator-values/dhis2"
UID = re.compile(r"^[a-zA-Z][a-zA-Z0-9]{10}$")
DEFAULT = "(default)"
SET = {"set": {"code": "thu", "name": "Bộ thử"}, "indicators": [
    {"code": "T1", "name": "Số trẻ em", "unit_kind": "count", "source": "computed",
     "spec": {"numerator": {"population": "children"}}, "disaggregations": ["sex"]},
    {"code": "T2", "name": "Tỷ lệ trẻ em có hoàn cảnh đặc biệt", "unit_kind": "percent",
     "source": "computed", "disaggregations": ["sex"],
     "spec": {"numerator": {"population": "children", "where": {"circumstance": ["*"]}},
              "denominator": {"population": "children"}}},
]}


def iso_period_type(code: str) -> str | None:
    """DHIS2's PeriodTypeEnum.ofIsoPeriod for the types treem sends, with their ranges."""
    digits = set("0123456789")
    if len(code) < 4 or not set(code[:4]) <= digits:
        return None
    if len(code) == 4:
        return "Yearly"
    if len(code) == 6 and code[5] in digits:
        if code[4] in digits and 1 <= int(code[4:]) <= 12:
            return "Monthly"
        if code[4] == "Q" and code[5] in "1234":
            return "Quarterly"
        if code[4] == "S" and code[5] in "12":
            return "SixMonthly"
    return None


def dhis2_import(document: dict[str, Any]) -> dict[tuple[str, ...], str]:
    """The cells DHIS2 keeps after importing `document` (see the module docstring)."""
    outer = {name: document.get(name) for name in ("orgUnit", "period", "attributeOptionCombo")}
    kept: dict[tuple[str, ...], str] = {}
    for value in document["dataValues"]:
        cell = (value["dataElement"], outer["period"] or value["period"],
                outer["orgUnit"] or value["orgUnit"],
                value.get("categoryOptionCombo") or DEFAULT,
                outer["attributeOptionCombo"] or value.get("attributeOptionCombo") or DEFAULT)
        kept[cell] = value["value"]
    return kept


def check_rules(document: dict[str, Any], *, default_combo: str = DEFAULT) -> None:
    """Every rule of the module docstring, on one document."""
    values = document["dataValues"]
    assert values, "an empty document proves nothing"
    kept = dhis2_import(document)
    assert len(kept) == len(values), f"{len(values)} values kept in {len(kept)} cells"
    for value in values:
        assert iso_period_type(value["period"]), value["period"]
        assert value["value"] != ""
    schemes = {name: (document.get(name) or document.get("idScheme") or "UID").upper()
               for name in ("dataElementIdScheme", "orgUnitIdScheme",
                            "categoryOptionComboIdScheme")}
    fields = {"dataElementIdScheme": ["dataElement"], "orgUnitIdScheme": ["orgUnit"],
              "categoryOptionComboIdScheme": ["categoryOptionCombo", "attributeOptionCombo"]}
    for scheme, names in fields.items():
        if schemes[scheme] == "UID":
            for value in values:
                for name in names:
                    if value.get(name):
                        assert UID.match(value[name]), (name, value[name])
    # Totals (the default combo) and breakdowns never on one data element.
    kinds: dict[str, set[bool]] = {}
    for element, _pe, _ou, combo, _aoc in kept:
        kinds.setdefault(element, set()).add(combo in (DEFAULT, default_combo))
    assert all(len(k) == 1 for k in kinds.values()), kinds


def _api(user) -> Client:
    _token, raw = token_create(user=user, name="t", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def register(tree):
    """Cao Bằng today (two communes of the tree and four more) and before July 2025 (the old
    province, district and commune of the tree, and an old commune whose code is a current
    commune's); children in each, some in special circumstances, some who moved at the
    merger."""
    load_set(SET)
    more = [make_unit(parent=tree.province, level=Level.COMMUNE, code=f"0130{n}",
                      name=f"Xã Mới {n}") for n in range(4)]
    # A dissolved commune sharing its code with today's commune A (3,350 codes are shared).
    twin = make_unit(parent=tree.old_district, level=Level.COMMUNE, code=tree.commune_a.code,
                     name="Phường Hợp Giang", current=False)
    UnitSuccession.objects.create(predecessor=twin, successor=tree.commune_a,
                                  kind=SuccessionKind.WHOLE, effective_on=REORGANISATION_DATE)
    communes = [tree.commune_a, tree.commune_b, *more]
    for n, commune in enumerate(communes):
        for k in range(n + 2):
            child = make_child(commune=commune, full_name=f"Trẻ {n}-{k}", sex="fm"[k % 2],
                               birth_date=datetime.date(2013 + k % 5, 1 + n, 1))
            if k == 0:
                make_circumstance(child=child, code="a", start_date=datetime.date(2020, 1, 1))
    for old in (tree.old_commune, twin):
        for k in range(3):
            child = make_child(commune=old, full_name=f"Trẻ cũ {old.pk}-{k}", sex="fm"[k % 2],
                               birth_date=datetime.date(2014, 5, 1 + k))
            relocate(child, commune=tree.commune_a, on=REORGANISATION_DATE)
    return communes, twin


def _table(tree, personas, communes) -> Mapping:
    mapping = Mapping.objects.create(province=tree.province, province_path=tree.province.path,
                                     data_set="dataSet0001", attribute_option_combo="aocTreem001")
    from treem.indicators.models import Indicator

    t1, t2 = Indicator.objects.get(code="T1"), Indicator.objects.get(code="T2")
    for indicator, role, dimension, uid in (
            (t1, "value", "", "deT1Total01"), (t1, "value", "sex", "deT1BySex01"),
            (t2, "value", "", "deT2Total01"), (t2, "numerator", "", "deT2Numer01"),
            (t2, "denominator", "", "deT2Denom01"), (t2, "numerator", "sex", "deT2NumSex1"),
            (t2, "denominator", "sex", "deT2DenSex1")):
        ElementMap.objects.create(mapping=mapping, indicator=indicator, role=role,
                                  dimension=dimension, uid=uid)
    for key, uid in (("", "HllvX50cXC0"), ("sex=m", "cocMale0001"), ("sex=f", "cocFemale01"),
                     ("sex=", "cocUnknown1")):
        ComboMap.objects.create(mapping=mapping, breakdown=key, uid=uid)
    for n, unit in enumerate([tree.province, *communes]):
        OrgUnitMap.objects.create(mapping=mapping, unit=unit, uid=f"ouUnit{n:05d}")
    return mapping


class MappedDocumentTests:
    def test_every_value_of_every_commune_keeps_its_own_cell(self, tree, personas,
                                                             register) -> None:
        communes, _twin = register
        _table(tree, personas, communes)
        response = _api(personas.province_officer).get(
            EXPORT, {"period": "2026S1", "scheme": "mapped"})
        assert response.status_code == 200, response.content
        document = response.json()
        check_rules(document, default_combo="HllvX50cXC0")
        values = document["dataValues"]
        assert len({v["orgUnit"] for v in values}) == 1 + len(communes)
        # What the document of before made of it: the province's orgUnit on top took every
        # value into its own cells.
        before = dict(document, orgUnit="ouUnit00000", period="2026S1")
        assert len(dhis2_import(before)) < len(values) / 3

    def test_the_page_download_follows_the_same_rules(self, tree, personas, register) -> None:
        from django.urls import reverse

        from treem.testing import login

        communes, _twin = register
        _table(tree, personas, communes)
        response = login(Client(), personas.admin).get(
            reverse("dhis2:export", args=[tree.province.public_id]), {"period": "2026S1"})
        assert response.status_code == 200
        check_rules(json.loads(response.content), default_combo="HllvX50cXC0")

    def test_a_document_with_two_values_on_one_cell_is_never_made(self) -> None:
        rows = [{"dataElement": "deT1Total01", "period": "2026S1", "orgUnit": "ouUnit00001",
                 "value": "1"}] * 2
        with pytest.raises(exporting.Collision):
            exporting.cells(rows)
        mixed = [{"dataElement": "deT1Total01", "period": "2026S1", "orgUnit": "ouUnit00001",
                  "value": "3"},
                 {"dataElement": "deT1Total01", "period": "2026S1", "orgUnit": "ouUnit00001",
                  "categoryOptionCombo": "cocFemale01", "value": "1"}]
        with pytest.raises(exporting.Collision):
            exporting.cells(mixed)


class TreemDocumentTests:
    def test_the_code_scheme_is_declared_and_each_unit_has_a_code_of_its_own(
            self, tree, register) -> None:
        national = make_user("national", role=Role.AREA_OFFICER, unit=tree.nation)
        # 2025: the old communes' children on 30 June, today's on 31 December: both trees.
        first = _api(national).get(EXPORT, {"period": "2025S1"}).json()
        second = _api(national).get(EXPORT, {"period": "2025S2"}).json()
        for document in (first, second):
            assert {document[name] for name in ("idScheme", "dataElementIdScheme",
                                                "orgUnitIdScheme",
                                                "categoryOptionComboIdScheme")} == {"CODE"}
            check_rules(document)
        sent = {v["orgUnit"] for d in (first, second) for v in d["dataValues"]}
        assert {"04@2025-06-30", "040@2025-06-30", "01270@2025-06-30",
                f"{tree.commune_a.code}@2025-06-30", "04", tree.commune_a.code} <= sent
        # No code names two units, though "04" and commune A's code have two each.
        codes = codes_of(Unit.objects.values_list("pk", flat=True))
        assert len(set(codes.values())) == len(codes) and sent <= set(codes.values())
        assert Unit.objects.filter(code="04").count() == 2
        assert Unit.objects.filter(code=tree.commune_a.code).count() == 2

    def test_totals_go_to_the_default_combo_and_breakdowns_to_their_own_element(
            self, tree, personas, register) -> None:
        document = _api(personas.province_officer).get(EXPORT, {"period": "2026S1"}).json()
        check_rules(document)
        totals = [v for v in document["dataValues"] if v["dataElement"] == "thu.T1"]
        by_sex = [v for v in document["dataValues"] if v["dataElement"] == "thu.T1.sex"]
        assert totals and by_sex
        assert all("categoryOptionCombo" not in v for v in totals)  # DHIS2's default
        assert {v["categoryOptionCombo"] for v in by_sex} <= {"sex=f", "sex=m", "sex="}
        province = {v["orgUnit"]: v["value"] for v in totals}["04"]
        assert sum(int(v["value"]) for v in by_sex if v["orgUnit"] == "04") == int(province)


class PeriodTests:
    @pytest.mark.parametrize("period", ["٢٠٢٦S1", "２０２６S1", "2026S١", "२०२६"])
    def test_a_period_of_other_digits_is_refused_and_nothing_is_exported(
            self, tree, personas, register, period) -> None:
        before = AuditEvent.objects.filter(action=Action.EXPORT).count()
        response = _api(personas.province_officer).get(EXPORT, {"period": period})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "period"]
        assert AuditEvent.objects.filter(action=Action.EXPORT).count() == before

    @pytest.mark.parametrize("period", ["2026", "2026S1", "2026Q2", "202603", "2025S1"])
    def test_every_period_sent_is_one_dhis2_reads(self, tree, personas, register,
                                                  period) -> None:
        document = _api(personas.province_officer).get(EXPORT, {"period": period}).json()
        assert {iso_period_type(v["period"]) for v in document["dataValues"]} <= {
            "Yearly", "SixMonthly", "Quarterly", "Monthly"}
        assert {v["period"] for v in document["dataValues"]} <= {period}


class AfterMergerTests:
    """A province of today keeps working with the DHIS2 table of the province it took over
    (data elements and combos are the same DHIS2's; the org units of today still need their
    UIDs), works to the plans of the districts it took over, and exports a period before July
    2025 on today's units."""

    @pytest.fixture
    def merger(self, tree):
        from treem.geo.tests.merger import make_merger

        merger = make_merger(tree)
        data = json.loads((DATA / "binh-long-2022-2030.json").read_text(encoding="utf-8"))
        load_set(data)
        return merger

    def _old_table(self, merger) -> Mapping:
        from treem.indicators.models import Indicator

        mapping = Mapping.objects.create(province=merger.binh_phuoc,
                                         province_path=merger.binh_phuoc.path)
        ct08a = Indicator.objects.get(code="CT08a")
        for role, uid in (("numerator", "deCT08aNum1"), ("denominator", "deCT08aDen1")):
            ElementMap.objects.create(mapping=mapping, indicator=ct08a, role=role, uid=uid)
        ComboMap.objects.create(mapping=mapping, breakdown="", uid="HllvX50cXC0")
        for n, unit in enumerate([merger.binh_phuoc, merger.binh_long,
                                  *merger.old_communes.values()]):
            OrgUnitMap.objects.create(mapping=mapping, unit=unit, uid=f"ouBinhPh{n:03d}")
        return mapping

    def test_the_province_uses_the_table_of_the_province_it_took_over(self, merger) -> None:
        from treem.dhis2 import importing, selectors

        old = self._old_table(merger)
        assert selectors.mapping_of(merger.dong_nai) == old
        coverage = selectors.coverage(merger.dong_nai)
        assert coverage.mapping == old
        assert "Phường Bình Long" in coverage.unmapped_units  # today's units: no UID yet
        codes = {v.indicator.code for v in selectors.versions_of(merger.dong_nai)}
        assert {"CT08a", "CT11b"} <= codes  # Bình Long's plan, now Đồng Nai's
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(importing.template(merger.dong_nai)))
        rows = {(row[1], row[6] or ""): row[3:6]
                for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
        assert rows[("CT08a", "")] == (None, "deCT08aNum1", "deCT08aDen1")
        assert rows[("CT08a", "sex")] == (None, None, None)
        # Two provinces that both had a table: neither is taken for the other's.
        Mapping.objects.create(province=merger.old_dong_nai,
                               province_path=merger.old_dong_nai.path)
        assert selectors.mapping_of(merger.dong_nai) is None

    def test_a_period_before_july_2025_exports_on_the_old_units_or_on_todays(
            self, merger, tree) -> None:
        from treem.dhis2 import exporting
        from treem.indicators import periods
        from treem.indicators.catalogue import current_versions
        from treem.indicators.values import indicator_values

        self._old_table(merger)
        for k, name in enumerate(("Phường Phú Thịnh", "Xã Thanh Lương")):
            child = make_child(commune=merger.old_communes[name], full_name=f"Trẻ {k}",
                               birth_date=datetime.date(2015, 1, 1))
            make_circumstance(child=child, code="a", start_date=datetime.date(2020, 1, 1))
            relocate(child, commune=merger.phuong_an_loc, on=REORGANISATION_DATE)
        versions = {v.pk: v for v in current_versions().filter(indicator__code="CT08a")}
        period = periods.parse("2025S1")
        # On the old structure, with the old province's table.
        old = exporting.mapped_document(
            versions, indicator_values(versions.values(), period, merger.binh_phuoc), period,
            merger.binh_phuoc, partial=False)
        check_rules(old.body, default_combo="HllvX50cXC0")
        assert {v["orgUnit"] for v in old.body["dataValues"]} == {
            "ouBinhPh000", "ouBinhPh001", "ouBinhPh004", "ouBinhPh006"}
        # On today's map: Phường An Lộc took both communes; its UID is still to be mapped.
        today = exporting.treem_document(
            versions, indicator_values(versions.values(), period, merger.dong_nai), period)
        check_rules(today.body)
        assert {(v["orgUnit"], v["value"]) for v in today.body["dataValues"]} == {
            ("75", "100"), ("25333", "100")}
        with pytest.raises(exporting.Unmapped) as refused:
            exporting.mapped_document(
                versions, indicator_values(versions.values(), period, merger.dong_nai),
                period, merger.dong_nai, partial=False)
        assert "Phường An Lộc" in str(refused.value)
