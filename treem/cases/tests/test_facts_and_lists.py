"""What verification found (forms, place, day, perpetrator) and the lists built on it: the case
list's filters, its Excel export (audited, masked for sexual abuse), the API's filters."""

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from treem.audit.models import Action, AuditEvent
from treem.cases import selectors, services, statistics
from treem.cases.models import Case, CaseAbuse, CaseDeadline
from treem.cases.tests.test_services import _notify, documents_for
from treem.registry.models import ChildCircumstance
from treem.registry.tests.factories import make_child
from treem.testing import login

pytestmark = pytest.mark.django_db
FACTS: dict[str, Any] = {"forms": ["sexual_abuse"], "place": "community",
         "happened_on": datetime.date(2026, 2, 27), "perpetrator": "acquaintance"}


def _open(personas, commune, name: str, officer=None, **report) -> Case:
    child = make_child(commune=commune, full_name=name)
    return services.case_open(actor=officer or personas.officer, child=child,
                              notification=_notify(personas.intake, commune, **report))


@pytest.fixture
def case(tree, personas) -> Case:
    return _open(personas, tree.commune_a, "Triệu Văn Sơn")


class FactsServiceTests:
    def test_verification_corrects_the_report_and_names_the_perpetrator(self, case,
                                                                         personas) -> None:
        services.case_facts(actor=personas.officer, case=case, **FACTS)
        case.refresh_from_db()
        assert case.perpetrator == "acquaintance" and case.sexual_abuse
        assert list(case.abuses.values_list("form", "place", "happened_on", "confirmed")) == [
            ("sexual_abuse", "community", datetime.date(2026, 2, 27), False)]
        event = AuditEvent.objects.filter(changed_fields=["abuses", "perpetrator"]).get()
        assert event.actor == personas.officer

    def test_a_form_found_after_confirmation_reaches_the_register(self, case,
                                                                  personas) -> None:
        services.case_move(actor=personas.officer, case=case, move="verify")
        documents_for(case, "confirm")
        services.case_move(actor=personas.officer, case=case, move="confirm")
        assert not ChildCircumstance.objects.filter(child=case.child, group__code="l").exists()
        services.case_facts(actor=personas.officer, case=case,
                            **{**FACTS, "forms": ["violence", "sexual_abuse"]})
        assert set(case.abuses.values_list("form", "confirmed")) == {
            ("violence", True), ("sexual_abuse", True)}
        circumstance = ChildCircumstance.objects.get(child=case.child, group__code="l")
        assert circumstance.start_date == datetime.date(2026, 2, 27)

    @pytest.mark.parametrize(("change", "field"), [
        ({"forms": []}, "forms"), ({"forms": ["beating"]}, "forms"),
        ({"place": "moon"}, "place"), ({"perpetrator": "alien"}, "perpetrator"),
        ({"happened_on": datetime.date(2026, 12, 1)}, "happened_on"),
    ])
    def test_bad_facts_are_refused_and_change_nothing(self, case, personas, change,
                                                      field) -> None:
        with pytest.raises(ValidationError) as raised:
            services.case_facts(actor=personas.officer, case=case, **{**FACTS, **change})
        assert field in raised.value.message_dict
        case.refresh_from_db()
        assert case.perpetrator == "" and not case.sexual_abuse
        assert list(case.abuses.values_list("form", flat=True)) == ["violence"]

    def test_only_a_worker_records_them_and_not_on_a_closed_case(self, case, personas) -> None:
        with pytest.raises(PermissionDenied):
            services.case_facts(actor=personas.chairman, case=case, **FACTS)
        services.case_move(actor=personas.officer, case=case, move="hand_over",
                           close_reason="moved")
        with pytest.raises(ValidationError):
            services.case_facts(actor=personas.officer, case=case, **FACTS)

    def test_the_perpetrator_table_counts_what_was_recorded(self, case, personas,
                                                            tree) -> None:
        second = _open(personas, tree.commune_a, "Triệu Thị Hoa")
        services.case_facts(actor=personas.officer, case=case, **FACTS)
        services.case_facts(actor=personas.officer, case=second,
                            **{**FACTS, "forms": ["violence"], "perpetrator": "parent"})
        rows = statistics.case_counts(paths=[tree.commune_a.path], by="perpetrator",
                                      start=datetime.date(2026, 1, 1),
                                      end=datetime.date(2026, 12, 31))
        assert sorted(rows) == [("Cha, mẹ", 1), ("Người quen", 1)]


class CaseFilterTests:
    def test_each_filter_narrows_and_none_widens(self, case, personas, tree) -> None:
        other = _open(personas, tree.commune_a, "Ma Văn Lìn", place="school")
        services.case_facts(actor=personas.officer, case=other,
                            **{**FACTS, "forms": ["neglect"], "place": "school",
                               "perpetrator": "teacher"})
        services.case_move(actor=personas.officer, case=other, move="verify")
        _open(personas, tree.commune_b, "Hà Văn Khoa", officer=personas.outsider)
        mine = selectors.case_list(user=personas.officer)
        now = timezone.now()

        def found(**where) -> set[str]:
            cases = selectors.filter_cases(mine, selectors.CaseFilter(**where), now=now)
            return {c.child.full_name for c in cases}

        both = {"Triệu Văn Sơn", "Ma Văn Lìn"}
        assert found() == both  # commune B's case never, whatever the filter
        assert found(status="verifying") == {"Ma Văn Lìn"}
        assert found(form="violence") == {"Triệu Văn Sơn"}
        assert found(place="school") == {"Ma Văn Lìn"}
        assert found(perpetrator="teacher") == {"Ma Văn Lìn"}
        assert found(start=datetime.date(2026, 3, 6), end=datetime.date(2026, 3, 6)) == both
        assert found(start=datetime.date(2026, 3, 7)) == set()
        CaseDeadline.objects.create(case=case, step="emergency",
                                    due_at=now - datetime.timedelta(hours=1))
        CaseDeadline.objects.create(case=other, step="emergency",
                                    due_at=now + datetime.timedelta(days=1))
        CaseDeadline.objects.create(case=other, step="plan", met_at=now,
                                    due_at=now - datetime.timedelta(days=1))  # met late
        assert found(overdue=True) == {"Triệu Văn Sơn"}

    def test_the_list_page_filters_and_keeps_the_filter_across_pages(self, case, personas,
                                                                     tree) -> None:
        for n in range(51):
            _open(personas, tree.commune_a, f"Nông Văn Số{n}")
        client = login(Client(), personas.officer)
        page = client.get(reverse("cases:case_list"), {"form": "violence"}).content.decode()
        assert "form=violence&amp;page=2" in page
        empty = client.get(reverse("cases:case_list"), {"status": "closed"}).content.decode()
        assert "Không có hồ sơ nào khớp bộ lọc." in empty
        bad = client.get(reverse("cases:case_list"), {"start": "2026-05-01",
                                                      "end": "2026-04-01"}).content.decode()
        assert "Ngày kết thúc không được trước ngày bắt đầu." in bad


class CaseExportTests:
    def test_the_export_is_the_filtered_list_masked_and_audited(self, case, personas,
                                                               tree) -> None:
        abused = _open(personas, tree.commune_a, "Hoàng Thị Mai")
        services.case_facts(actor=personas.officer, case=abused, **FACTS)
        _open(personas, tree.commune_b, "Hà Văn Khoa", officer=personas.outsider)
        response = login(Client(), personas.officer).post(
            reverse("cases:case_export"), {"reason": "Rà soát cuối năm"})
        assert response["Cache-Control"] == "no-store"
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        names = sorted(row[1] for row in rows[1:])
        assert names == ["H***", "Triệu Văn Sơn"]  # masked, and nothing of commune B
        masked = next(row for row in rows[1:] if row[1] == "H***")
        assert masked[7] == "Xâm hại tình dục" and masked[9] == "Người quen"
        event = AuditEvent.objects.get(action=Action.EXPORT)
        assert event.reason == "Rà soát cuối năm" and event.actor == personas.officer
        assert "rows:2" in event.changed_fields

    def test_a_name_that_looks_like_a_formula_stays_text(self, personas, tree) -> None:
        _open(personas, tree.commune_a, "=1+1 Nguyễn")
        response = login(Client(), personas.officer).post(
            reverse("cases:case_export"), {"reason": "Kiểm tra"})
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[1][1] == "'=1+1 Nguyễn"

    def test_without_a_reason_nothing_is_exported(self, case, personas) -> None:
        response = login(Client(), personas.officer).post(reverse("cases:case_export"),
                                                          {"reason": " "}, follow=True)
        assert "Hãy ghi lý do xuất danh sách." in response.content.decode()
        assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()

    def test_the_filter_applies_to_the_export(self, case, personas, tree) -> None:
        _open(personas, tree.commune_a, "Ma Văn Lìn", forms=["neglect"])
        response = login(Client(), personas.officer).post(
            reverse("cases:case_export"), {"reason": "Bỏ mặc", "form": "neglect"})
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert [row[1] for row in rows[1:]] == ["Ma Văn Lìn"]


class FactsApiTests:
    def test_patch_records_the_facts_and_the_list_filters_on_them(self, case,
                                                                  personas) -> None:
        client = login(Client(), personas.officer)
        body = {**FACTS, "happened_on": "2026-02-27"}
        patched = client.patch(f"/api/v1/cases/{case.public_id}", body,
                               content_type="application/json", headers={"If-Match": '"1"'})
        assert patched.status_code == 200 and patched.json()["perpetrator"] == "acquaintance"
        listed = client.get("/api/v1/cases", {"perpetrator": "acquaintance"}).json()
        assert [c["id"] for c in listed["items"]] == [str(case.public_id)]
        assert client.get("/api/v1/cases", {"perpetrator": "parent"}).json()["items"] == []
        bad = client.patch(f"/api/v1/cases/{case.public_id}", {**body, "place": "moon"},
                           content_type="application/json", headers={"If-Match": '"2"'})
        assert bad.status_code == 422
        assert CaseAbuse.objects.get(case=case).place == "community"


class StatisticsApiTests:
    def test_counts_of_the_scope_only_and_a_bad_period_refused(self, case, personas,
                                                               tree) -> None:
        _open(personas, tree.commune_b, "Hà Thị Khuyên", officer=personas.outsider)
        client = login(Client(), personas.officer)
        found = client.get("/api/v1/case-statistics",
                           {"start": "2026-01-01", "end": "2026-12-31"}).json()
        assert found["form"] == [["Bạo lực", 1]]  # commune B's case is not counted
        assert found["injury_deaths"] == []
        province = login(Client(), personas.province_officer).get(
            "/api/v1/case-statistics", {"start": "2026-01-01", "end": "2026-12-31"}).json()
        assert province["form"] == [["Bạo lực", 2]]
        assert client.get("/api/v1/case-statistics",
                          {"start": "2026-12-31", "end": "2026-01-01"}).status_code == 422
