"""A province's DHIS2 table: its template filled in and imported (all rows or none, every bad
row named, a new import replaces the old), and the values exported with its UIDs (value,
numerator and denominator each to their element; nothing unmapped dropped silently)."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from treem.accounts.roles import Role
from treem.accounts.services import token_create
from treem.audit.models import Action, AuditEvent
from treem.dhis2 import importing
from treem.dhis2.models import ComboMap, ElementMap, Mapping, OrgUnitMap, validate_uid
from treem.indicators.catalogue import load_set
from treem.registry.tests.factories import make_child, make_circumstance
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db

SET = {"set": {"code": "thu", "name": "Bộ thử"}, "indicators": [
    {"code": "T1", "name": "Số trẻ em", "unit_kind": "count", "source": "computed",
     "spec": {"numerator": {"population": "children"}}, "disaggregations": ["sex"]},
    {"code": "T2", "name": "Tỷ lệ trẻ em có hoàn cảnh đặc biệt", "unit_kind": "percent",
     "source": "computed",
     "spec": {"numerator": {"population": "children", "where": {"circumstance": ["*"]}},
              "denominator": {"population": "children"}}},
]}
# Indicator rows by "<code>" (its totals) or "<code>.<dimension>" (one breakdown: an element
# of its own), then the breakdowns' combos ("" the default).
UIDS = {"T1": ("deT1Value01", "", ""), "T1.sex": ("deT1BySex01", "", ""),
        "T2": ("deT2Value01", "deT2Numer01", "deT2Denom01"),
        "": "HllvX50cXC0", "sex=m": "cocMale0001", "sex=f": "cocFemale01"}


@pytest.fixture
def catalogue(tree):
    load_set(SET)
    orphan = make_child(commune=tree.commune_a, full_name="Trẻ A1")
    make_circumstance(child=orphan, code="a", start_date=datetime.date(2020, 1, 1))
    make_child(commune=tree.commune_a, full_name="Trẻ A2", sex="f")
    make_child(commune=tree.commune_b, full_name="Trẻ B1")


def _filled(tree, *, units=None, change=None, base: bytes | None = None) -> bytes:
    """The province's template (or `base`, a downloaded one) with the UIDs of UIDS (and of
    `units`) typed in."""
    book = load_workbook(io.BytesIO(base or importing.template(tree.province)))
    general, indicators, breakdowns, unit_sheet = book.worksheets
    general["B2"] = "dataSet0001"
    for row in indicators.iter_rows(min_row=2):
        key = row[1].value + (f".{row[6].value}" if row[6].value else "")
        if key in UIDS:
            for cell, uid in zip(row[3:6], UIDS[key], strict=True):
                cell.value = uid or None
    for row in breakdowns.iter_rows(min_row=2):
        key = row[0].value or ""
        if key in UIDS:
            row[2].value = UIDS[key]
    codes = units if units is not None else {tree.province.code: "ouProvince1",
                                             tree.commune_a.code: "ouCommuneA1",
                                             tree.commune_b.code: "ouCommuneB1"}
    for row in unit_sheet.iter_rows(min_row=2):
        row[2].value = codes.get(row[0].value)
    if change:
        change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _combo(book, key: str, uid: str | None) -> None:
    """Type `uid` as the category option combo of breakdown `key`."""
    for row in book.worksheets[2].iter_rows(min_row=2):
        if (row[0].value or "") == key:
            row[2].value = uid


def _import(tree, personas, content: bytes):
    return importing.import_workbook(actor=personas.admin, province=tree.province,
                                     content=content)


class ImportTests:
    def test_the_filled_template_becomes_the_provinces_table(self, tree, personas,
                                                             catalogue) -> None:
        mapping, errors = _import(tree, personas, _filled(tree))
        assert errors == [] and mapping is not None
        assert mapping.data_set == "dataSet0001"
        assert set(ElementMap.objects.values_list("indicator__code", "role", "dimension",
                                                  "uid")) == {
            ("T1", "value", "", "deT1Value01"), ("T1", "value", "sex", "deT1BySex01"),
            ("T2", "value", "", "deT2Value01"), ("T2", "numerator", "", "deT2Numer01"),
            ("T2", "denominator", "", "deT2Denom01")}
        assert dict(ComboMap.objects.values_list("breakdown", "uid")) == {
            "": "HllvX50cXC0", "sex=m": "cocMale0001", "sex=f": "cocFemale01"}
        assert OrgUnitMap.objects.count() == 3
        event = AuditEvent.objects.get(action=Action.UPDATE, object_type="dhis2.mapping")
        assert event.actor == personas.admin and "elements=5" in event.changed_fields

    def test_the_template_shows_what_is_mapped_so_a_round_trip_changes_nothing(
            self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree))
        before = list(ElementMap.objects.values_list("indicator__code", "role", "uid"))
        mapping, errors = _import(tree, personas, importing.template(tree.province))
        assert errors == []
        assert list(ElementMap.objects.values_list("indicator__code", "role", "uid")) == before
        assert mapping is not None and mapping.data_set == "dataSet0001"

    def test_a_new_import_replaces_the_table(self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree))
        _import(tree, personas, _filled(tree, units={tree.commune_a.code: "ouCommuneA2"}))
        assert list(OrgUnitMap.objects.values_list("unit__code", "uid")) == [
            (tree.commune_a.code, "ouCommuneA2")]
        assert Mapping.objects.count() == 1

    @pytest.mark.parametrize(("change", "message"), [
        (lambda b: b.worksheets[1].append(["thu", "ZZ9"]),
         "Trang “Chỉ tiêu”, dòng 5: không có chỉ tiêu “thu / ZZ9”"),
        (lambda b: b.worksheets[1].cell(2, 4, "12bad"),
         "Trang “Chỉ tiêu”, dòng 2: “12bad” không phải UID của DHIS2"),
        (lambda b: b.worksheets[1].cell(3, 4, "deT1Value01"),
         "Trang “Chỉ tiêu”, dòng 3: phần tử dữ liệu deT1Value01 đã dùng cho T1"),
        (lambda b: setattr(b.worksheets[2].cell(2, 3), "value", None),
         "hãy ghi UID categoryOptionCombo mặc định"),
        (lambda b: b.worksheets[3].append(["00070", "Phường Hoàn Kiếm", "ouHanoi0001"]),
         "không có đơn vị mã “00070” trong tỉnh"),
        (lambda b: b.worksheets[3].cell(3, 3, "ouProvince1"),
         "orgUnit ouProvince1 đã dùng cho Tỉnh Cao Bằng"),
    ])
    def test_a_bad_row_is_named_and_nothing_is_written(self, tree, personas, catalogue, change,
                                                       message) -> None:
        _import(tree, personas, _filled(tree))
        before = list(ElementMap.objects.values_list("uid", flat=True))
        mapping, errors = _import(tree, personas, _filled(tree, change=change))
        assert mapping is None and any(message in e for e in errors), errors
        assert list(ElementMap.objects.values_list("uid", flat=True)) == before

    @pytest.mark.parametrize(("change", "message"), [
        (lambda b: b.worksheets[1].append(["thu", "T1", "", "deT1Other01"]),
         "Trang “Chỉ tiêu”, dòng 5: chỉ tiêu này (và phân tổ này) đã có ở dòng trên."),
        (lambda b: b.worksheets[1].append(["thu", "T2", "", "deT2BySex01", None, None, "sex"]),
         "Trang “Chỉ tiêu”, dòng 5: chỉ tiêu T2 không phân tổ theo “sex”."),
        (lambda b: b.worksheets[2].append(["sex=f", "Nữ", "cocFemale02"]),
         "Trang “Phân tổ”, dòng 5: phân tổ này đã có ở dòng trên."),
        (lambda b: b.worksheets[2].append(["sex=x", "?", "cocUnknown1"]),
         "Trang “Phân tổ”, dòng 5: không có phân tổ “sex=x”."),
        (lambda b: b.worksheets[3].append(["01273", "Phường Thục Phán", "ouCommuneA9"]),
         "Trang “Đơn vị”, dòng 5: đơn vị này đã có ở dòng trên."),
        (lambda b: b.worksheets[0].cell(2, 2, "dataSet"),
         "Trang “Chung”, dòng 2: “dataSet” không phải UID của DHIS2"),
        (lambda b: b.worksheets[0].cell(3, 2, "aoc-0000001"),
         "Trang “Chung”, dòng 3: “aoc-0000001” không phải UID của DHIS2"),
        (lambda b: b.worksheets[2].cell(3, 3, "cocMale00012"),
         "Trang “Phân tổ”, dòng 3: “cocMale00012” không phải UID của DHIS2"),
        (lambda b: _combo(b, "sex=m", "HllvX50cXC0"),
         "categoryOptionCombo HllvX50cXC0 đã dùng cho phân tổ “default”."),
    ])
    def test_a_duplicate_an_unknown_breakdown_or_a_bad_uid_is_named(
            self, tree, personas, catalogue, change, message) -> None:
        mapping, errors = _import(tree, personas, _filled(tree, change=change))
        assert mapping is None and any(message in e for e in errors), errors
        assert not Mapping.objects.exists() and not ElementMap.objects.exists()

    def test_every_bad_row_is_named_at_once(self, tree, personas, catalogue) -> None:
        def spoil(book) -> None:
            book.worksheets[1].cell(2, 4, "12bad")
            book.worksheets[1].append(["thu", "ZZ9"])
            book.worksheets[3].append(["00070", "Phường Hoàn Kiếm", "ouHanoi0001"])
        mapping, errors = _import(tree, personas, _filled(tree, change=spoil))
        assert mapping is None and len(errors) == 3, errors
        assert [e.split(":")[0] for e in errors] == [
            "Trang “Chỉ tiêu”, dòng 2", "Trang “Chỉ tiêu”, dòng 5", "Trang “Đơn vị”, dòng 5"]
        assert not OrgUnitMap.objects.exists()

    def test_the_model_refuses_a_uid_that_is_not_dhis2s(self) -> None:
        with pytest.raises(ValidationError) as error:
            validate_uid("1bcdefghijk")
        assert error.value.messages == [
            "Mã UID của DHIS2 gồm 11 ký tự chữ và số, bắt đầu bằng chữ (ví dụ fbfJHSPpUQD)."]
        validate_uid("fbfJHSPpUQD")

    def test_a_file_that_is_not_a_workbook_is_refused(self, tree, personas, catalogue) -> None:
        mapping, errors = _import(tree, personas, b"not an xlsx")
        assert mapping is None and errors == [
            "Không đọc được tệp: hãy dùng tệp Excel (.xlsx) theo mẫu."]
        assert not Mapping.objects.exists()

    def test_only_the_provinces_administrators_import(self, tree, personas,
                                                      catalogue) -> None:
        with pytest.raises(PermissionDenied):
            importing.import_workbook(actor=personas.province_officer, province=tree.province,
                                      content=_filled(tree))
        assert not Mapping.objects.exists()


def _api(user) -> Client:
    _token, raw = token_create(user=user, name="t", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


EXPORT = "/api/v1/indicator-values/dhis2"


class MappedExportTests:
    def test_values_numerators_and_denominators_go_to_their_elements(
            self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree))
        response = _api(personas.province_officer).get(
            EXPORT, {"period": "2026S1", "scheme": "mapped"})
        assert response.status_code == 200, response.content
        document = response.json()
        assert document["dataSet"] == "dataSet0001"
        # Every value names its own org unit and period: none at the top, which DHIS2 would
        # put on every value.
        assert not {"orgUnit", "period", "completeDate", "attributeOptionCombo"} & set(document)
        assert document["idScheme"] == document["orgUnitIdScheme"] == "UID"
        assert response["X-Treem-Unmapped-Count"] == "0"
        found = {(v["dataElement"], v["orgUnit"], v["categoryOptionCombo"]): v["value"]
                 for v in document["dataValues"]}
        assert len(found) == len(document["dataValues"])
        assert found[("deT1Value01", "ouProvince1", "HllvX50cXC0")] == "3"
        assert found[("deT1BySex01", "ouCommuneA1", "cocFemale01")] == "1"
        assert found[("deT1BySex01", "ouCommuneA1", "cocMale0001")] == "1"
        assert ("deT1Value01", "ouCommuneA1", "cocFemale01") not in found
        assert ("deT1BySex01", "ouCommuneA1", "HllvX50cXC0") not in found
        assert found[("deT2Numer01", "ouCommuneA1", "HllvX50cXC0")] == "1"
        assert found[("deT2Denom01", "ouCommuneA1", "HllvX50cXC0")] == "2"
        assert found[("deT2Value01", "ouCommuneA1", "HllvX50cXC0")] == "50"
        assert all(v["period"] == "2026S1" for v in document["dataValues"])

    def test_what_is_unmapped_is_refused_with_its_list_or_left_out_and_counted(
            self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree, units={tree.province.code: "ouProvince1",
                                                     tree.commune_a.code: "ouCommuneA1"}))
        client = _api(personas.province_officer)
        refused = client.get(EXPORT, {"period": "2026S1", "scheme": "mapped"})
        assert refused.status_code == 422
        assert "Xã Hòa An" in refused.json()["detail"]
        assert "thiếu orgUnit" in refused.json()["detail"]
        partial = client.get(EXPORT, {"period": "2026S1", "scheme": "mapped",
                                      "partial": "true"})
        assert partial.status_code == 200
        assert int(partial["X-Treem-Unmapped-Count"]) > 0
        assert not any(v["orgUnit"] == "" for v in partial.json()["dataValues"])

    def test_a_breakdown_whose_combo_is_missing_is_unmapped_not_dropped(
            self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree, change=lambda b: _combo(b, "sex=m", None)))
        refused = _api(personas.province_officer).get(EXPORT, {"period": "2026S1",
                                                               "scheme": "mapped"})
        assert refused.status_code == 422
        assert "T1 · Phường Thục Phán · Nam: thiếu categoryOptionCombo" in \
            refused.json()["detail"]

    def test_an_indicator_sent_by_its_breakdown_only_leaves_the_total_to_dhis2(
            self, tree, personas, catalogue) -> None:
        def by_sex_only(book) -> None:
            for row in book.worksheets[1].iter_rows(min_row=2):
                if row[1].value == "T1" and not row[6].value:
                    row[3].value = None
        _import(tree, personas, _filled(tree, change=by_sex_only))
        document = _api(personas.province_officer).get(
            EXPORT, {"period": "2026S1", "scheme": "mapped"}).json()
        t1 = [v for v in document["dataValues"] if v["dataElement"].startswith("deT1")]
        assert {v["dataElement"] for v in t1} == {"deT1BySex01"}
        # DHIS2 adds the element's combos up: the province's total is still 3.
        assert sum(int(v["value"]) for v in t1 if v["orgUnit"] == "ouProvince1") == 3

    def test_the_attribute_option_combo_and_a_communes_own_values(
            self, tree, personas, catalogue) -> None:
        def aoc(book) -> None:
            book.worksheets[0]["B3"] = "aocTreem001"
        _import(tree, personas, _filled(tree, change=aoc))
        document = _api(personas.province_officer).get(EXPORT, {
            "period": "2026S1", "scheme": "mapped", "unit": tree.commune_a.public_id}).json()
        assert "attributeOptionCombo" not in document and "orgUnit" not in document
        assert {v["attributeOptionCombo"] for v in document["dataValues"]} == {"aocTreem001"}
        assert {v["orgUnit"] for v in document["dataValues"]} == {"ouCommuneA1"}
        # A count has no denominator: only its value element, never an empty one.
        assert all(v["value"] != "" for v in document["dataValues"])

    def test_a_unit_of_another_province_is_not_found(self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree))
        response = _api(personas.province_officer).get(EXPORT, {
            "period": "2026S1", "scheme": "mapped", "unit": tree.commune_c.public_id})
        assert response.status_code == 404

    def test_the_nation_is_asked_for_a_province(self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree))
        national = make_user("national", role=Role.AREA_OFFICER, unit=tree.nation)
        response = _api(national).get(EXPORT, {"period": "2026S1", "scheme": "mapped"})
        assert response.status_code == 422
        assert "hãy chọn một tỉnh" in response.json()["detail"]
        response = _api(national).get(EXPORT, {"period": "2026S1", "scheme": "mapped",
                                               "unit": tree.province.public_id})
        assert response.status_code == 200
        assert {v["orgUnit"] for v in response.json()["dataValues"]} == {
            "ouProvince1", "ouCommuneA1", "ouCommuneB1"}

    def test_a_province_without_a_table_is_told_so(self, tree, personas, catalogue) -> None:
        response = _api(personas.province_officer).get(
            EXPORT, {"period": "2026S1", "scheme": "mapped"})
        assert response.status_code == 422
        assert "Tỉnh chưa có bảng ánh xạ DHIS2" in response.json()["detail"]

    def test_the_treem_scheme_names_its_codes_and_the_export_is_audited(
            self, tree, personas, catalogue) -> None:
        document = _api(personas.province_officer).get(EXPORT, {"period": "2026S1"}).json()
        assert document["idScheme"] == document["dataElementIdScheme"] == "CODE"
        assert document["orgUnitIdScheme"] == document["categoryOptionComboIdScheme"] == "CODE"
        assert {"dataElement": "thu.T1", "period": "2026S1", "orgUnit": tree.commune_a.code,
                "value": "2"} in document["dataValues"]
        assert {"dataElement": "thu.T1.sex", "period": "2026S1", "orgUnit": tree.commune_a.code,
                "categoryOptionCombo": "sex=f", "value": "1"} in document["dataValues"]
        event = AuditEvent.objects.filter(action=Action.EXPORT).latest("pk")
        assert "treem" in event.changed_fields


class PageTests:
    def test_the_page_shows_what_is_unmapped_and_takes_the_workbook(self, tree, personas,
                                                                    catalogue) -> None:
        client = login(Client(), personas.admin)
        url = reverse("dhis2:mapping", args=[tree.province.public_id])
        page = client.get(url).content.decode()
        assert "Tỉnh chưa có bảng ánh xạ" in page and "T1, T2" in page
        response = client.post(url, {"file": SimpleUploadedFile("bang.xlsx", _filled(tree))})
        assert response.status_code == 302
        page = client.get(url).content.decode()
        assert "Đã nhập bảng ánh xạ DHIS2 của Tỉnh Cao Bằng." in page
        assert "Chỉ tiêu có mã" in page

    def test_a_bad_workbook_lists_its_rows_on_the_page(self, tree, personas,
                                                       catalogue) -> None:
        bad = _filled(tree, change=lambda b: b.worksheets[1].cell(2, 4, "12bad"))
        page = login(Client(), personas.admin).post(
            reverse("dhis2:mapping", args=[tree.province.public_id]),
            {"file": SimpleUploadedFile("bang.xlsx", bad)}).content.decode()
        assert "“12bad” không phải UID của DHIS2" in page
        assert not Mapping.objects.exists()

    def test_the_administrator_downloads_the_mapped_values(self, tree, personas,
                                                           catalogue) -> None:
        _import(tree, personas, _filled(tree))
        response = login(Client(), personas.admin).get(
            reverse("dhis2:export", args=[tree.province.public_id]), {"period": "2026S1"})
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="dhis2-{tree.province.code}-2026S1.json"')
        document = json.loads(response.content)
        assert {"dataElement": "deT1Value01", "period": "2026S1", "orgUnit": "ouCommuneB1",
                "categoryOptionCombo": "HllvX50cXC0", "value": "1"} in document["dataValues"]
        assert "orgUnit" not in document

    def test_another_provinces_table_is_not_found(self, tree, personas, catalogue) -> None:
        client = login(Client(), personas.admin)
        for name in ("dhis2:mapping", "dhis2:template", "dhis2:export"):
            assert client.get(reverse(name, args=[tree.other_province.public_id])
                              ).status_code == 404
        assert _api(personas.admin).get(
            f"/api/v1/dhis2/mappings/{tree.other_province.public_id}").status_code == 404

    def test_the_api_reads_the_table(self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree))
        body = _api(personas.admin).get(
            f"/api/v1/dhis2/mappings/{tree.province.public_id}").json()
        assert body["data_set"] == "dataSet0001"
        assert {"set": "thu", "indicator": "T2", "role": "numerator", "dimension": "",
                "uid": "deT2Numer01"} in body["elements"]
        assert {"set": "thu", "indicator": "T1", "role": "value", "dimension": "sex",
                "uid": "deT1BySex01"} in body["elements"]
        assert {"breakdown": "", "uid": "HllvX50cXC0"} in body["combos"]

    def test_the_downloaded_template_filled_in_and_uploaded_becomes_the_table(
            self, tree, personas, catalogue) -> None:
        client = login(Client(), personas.admin)
        downloaded = client.get(reverse("dhis2:template", args=[tree.province.public_id]))
        assert downloaded.status_code == 200
        assert downloaded["Content-Disposition"] == (
            f'attachment; filename="dhis2-{tree.province.code}.xlsx"')
        sheets = load_workbook(io.BytesIO(downloaded.content)).worksheets
        assert [(row[1], row[6]) for row in sheets[1].iter_rows(min_row=2, values_only=True)
                ] == [("T1", None), ("T1", "sex"), ("T2", None)]
        assert [row[0] for row in sheets[3].iter_rows(min_row=2, values_only=True)] == [
            tree.province.code, tree.commune_a.code, tree.commune_b.code]
        response = client.post(
            reverse("dhis2:mapping", args=[tree.province.public_id]),
            {"file": SimpleUploadedFile("bang.xlsx", _filled(tree, base=downloaded.content))})
        assert response.status_code == 302
        assert ElementMap.objects.count() == 5 and OrgUnitMap.objects.count() == 3

    def test_the_page_export_leaves_out_what_is_unmapped_only_when_asked(
            self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree, units={tree.province.code: "ouProvince1"}))
        client = login(Client(), personas.admin)
        url = reverse("dhis2:export", args=[tree.province.public_id])
        refused = client.get(url, {"period": "2026S1"}, follow=True).content.decode()
        assert "Bảng ánh xạ DHIS2 của tỉnh chưa đủ" in refused
        partial = client.get(url, {"period": "2026S1", "partial": "on"})
        assert partial.status_code == 200 and int(partial["X-Treem-Unmapped-Count"]) > 0
        assert {v["orgUnit"] for v in json.loads(partial.content)["dataValues"]} == {
            "ouProvince1"}

    def test_a_commune_officer_is_forbidden_and_an_anonymous_visitor_refused(
            self, tree, personas, catalogue) -> None:
        officer = login(Client(), personas.officer)
        url = reverse("dhis2:mapping", args=[tree.province.public_id])
        assert officer.get(url).status_code == 403
        assert officer.post(url, {"file": SimpleUploadedFile("bang.xlsx", _filled(tree))}
                            ).status_code == 403
        assert _api(personas.officer).get("/api/v1/dhis2/mapping").status_code == 403
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "login" in anonymous["Location"]
        assert Client().get("/api/v1/dhis2/mapping").status_code == 401
        assert not Mapping.objects.exists()

    def test_another_provinces_administrator_neither_reads_nor_replaces_the_table(
            self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree))
        hanoi = make_user("admin_hn", role=Role.SYSTEM_ADMIN, unit=tree.other_province)
        client = login(Client(), hanoi)
        url = reverse("dhis2:mapping", args=[tree.province.public_id])
        assert client.get(url).status_code == 404
        upload = SimpleUploadedFile("bang.xlsx", _filled(tree, units={}))
        assert client.post(url, {"file": upload}).status_code == 404
        assert _api(hanoi).get("/api/v1/dhis2/mapping", {
            "province": tree.province.public_id}).status_code == 404
        assert _api(hanoi).get("/api/v1/dhis2/mapping").json()["province"] == "01"
        with pytest.raises(PermissionDenied):
            importing.import_workbook(actor=hanoi, province=tree.province,
                                      content=_filled(tree, units={}))
        assert OrgUnitMap.objects.count() == 3

    def test_the_api_reads_the_callers_own_table(self, tree, personas, catalogue) -> None:
        _import(tree, personas, _filled(tree))
        body = _api(personas.admin).get("/api/v1/dhis2/mapping").json()
        assert body["province"] == tree.province.code
        assert {"unit": tree.commune_a.code, "uid": "ouCommuneA1"} in body["org_units"]
