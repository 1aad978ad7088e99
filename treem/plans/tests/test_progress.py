"""Agencies' focal points report the progress of their tasks: who may, what is refused, two
reports of one period at once, due dates and overdue tasks."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from treem.accounts.models import User
from treem.accounts.roles import Role, Sector
from treem.edits.conflicts import EditConflict
from treem.plans import deadlines, progress_services, selectors, services
from treem.plans import exceptions as exc
from treem.plans.models import Agency, ProgressStatus, Task, TaskProgress, TimeFrame
from treem.plans.tests.factories import make_agency, make_plan, make_task
from treem.testing import Personas, Tree, login, make_user

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def police(tree: Tree, personas: Personas) -> Agency:
    agency = make_agency(tree.province, "Công an tỉnh")
    services.focal_point_add(actor=personas.province_officer, agency=agency,
                             user=personas.sector_focal)
    return agency


@pytest.fixture
def task(tree: Tree, police: Agency) -> Task:
    plan = make_plan(tree.province, start_year=2025, end_year=2027)
    health = make_agency(tree.province, "Sở Y tế")
    return make_task(plan, police, "IV.3", "Điều tra các vụ xâm hại trẻ em.",
                     cooperating=[health], time_frame=TimeFrame.YEARLY, time_text="hằng năm")


def report(actor: User, task: Task, agency: Agency, period: str = "2026S1", **values: Any
           ) -> TaskProgress:
    fields: dict[str, Any] = {"status": ProgressStatus.IN_PROGRESS, "percent_done": 40,
                              "done_text": "Đã điều tra 3 vụ."} | values
    return progress_services.progress_report(actor=actor, task=task, agency=agency, period=period,
                                             **fields)


class ReportTests:
    def test_the_focal_point_reports_for_its_agency(self, task: Task, police: Agency,
                                                    personas: Personas) -> None:
        made = report(personas.sector_focal, task, police)
        assert (made.status, made.percent_done, made.version) == ("in_progress", 40, 1)
        again = progress_services.progress_report(actor=personas.sector_focal, task=task,
                                                  agency=police, period="2026S1", base_version=1,
                                                  percent_done=60)
        assert (again.percent_done, again.version, again.done_text) == (60, 2,
                                                                        "Đã điều tra 3 vụ.")

    def test_another_agencys_focal_point_or_officer_of_a_commune_may_not(
            self, task: Task, police: Agency, personas: Personas, tree: Tree) -> None:
        other = make_user("health", role=Role.SECTOR_FOCAL, unit=tree.province,
                          sector=Sector.HEALTH)
        with pytest.raises(PermissionDenied):
            report(other, task, police)
        with pytest.raises(PermissionDenied):
            report(personas.officer, task, police)
        assert not TaskProgress.objects.exists()

    def test_only_the_tasks_own_agencies_report(self, task: Task, personas: Personas,
                                                tree: Tree) -> None:
        stranger = make_agency(tree.province, "Sở Tư pháp")
        with pytest.raises(ValidationError) as error:
            report(personas.province_officer, task, stranger)
        assert error.value.message_dict["agency"] == [str(exc.NOT_OF_TASK)]
        # The plan's office types in what a co-operating agency sent on paper.
        health = task.cooperating.get()
        assert report(personas.province_officer, task, health).agency == health

    @pytest.mark.parametrize(("period", "values", "field", "message"), [
        ("2024", {}, "period", exc.PERIOD_OUTSIDE_PLAN % {"period": "Năm 2024", "start": 2025,
                                                          "end": 2027}),
        ("2027Q1", {}, "period", exc.PERIOD_NOT_STARTED % {"period": "Quý 1 năm 2027"}),
        ("2026S1", {"percent_done": 101}, "percent_done", exc.PERCENT_RANGE),
        ("2026S1", {"status": "done", "percent_done": 90}, "percent_done", exc.DONE_NOT_100),
        ("2026S1", {"status": "not_started", "percent_done": 10}, "percent_done",
         exc.NOT_STARTED_NOT_0),
        ("2026S1", {"done_text": "  "}, "done_text", exc.DONE_TEXT_REQUIRED),
        ("2026S1", {"status": "finished"}, "status", exc.CHOICE_UNKNOWN),
    ])
    def test_bad_input_is_refused_and_nothing_is_written(
            self, task: Task, police: Agency, personas: Personas, period: str,
            values: dict, field: str, message: object) -> None:
        with pytest.raises(ValidationError) as error:
            report(personas.sector_focal, task, police, period, **values)
        assert error.value.message_dict[field] == [str(message)]
        assert not TaskProgress.objects.exists()

    def test_a_stale_edit_of_a_changed_field_is_refused_with_both_values(
            self, task: Task, police: Agency, personas: Personas) -> None:
        report(personas.sector_focal, task, police)
        progress_services.progress_report(actor=personas.province_officer, task=task, agency=police,
                                          period="2026S1", base_version=1, percent_done=70,
                                          base={"percent_done": 40})
        with pytest.raises(EditConflict):
            progress_services.progress_report(actor=personas.sector_focal, task=task, agency=police,
                                              period="2026S1", base_version=1, percent_done=50,
                                              base={"percent_done": 40})
        # A field nobody changed since merges.
        merged = progress_services.progress_report(actor=personas.sector_focal, task=task,
                                                   agency=police, period="2026S1", base_version=1,
                                                   difficulties="Thiếu kinh phí",
                                                   base={"difficulties": ""})
        assert (merged.percent_done, merged.difficulties) == (70, "Thiếu kinh phí")


class DueTests:
    def test_due_dates_follow_the_time_frame(self, tree: Tree, police: Agency) -> None:
        plan = make_plan(tree.province, start_year=2025, end_year=2027)
        quarter = make_task(plan, police, "1", "Quý IV", time_frame=TimeFrame.QUARTER,
                            year=2026, quarter=4)
        dates = make_task(plan, police, "2", "Hạn", time_frame=TimeFrame.DATES,
                          end_date=datetime.date(2026, 6, 15))
        period = make_task(plan, police, "3", "Cả giai đoạn", time_frame=TimeFrame.PLAN_PERIOD)
        none = make_task(plan, police, "4", "Không ghi")
        assert deadlines.due_on(quarter, year=2026) == datetime.date(2026, 12, 31)
        assert deadlines.due_on(quarter, year=2025) is None
        assert deadlines.next_due(dates, today=TODAY) == datetime.date(2026, 6, 15)
        assert deadlines.next_due(period, today=TODAY) == datetime.date(2027, 12, 31)
        assert deadlines.next_due(none, today=TODAY) is None

    def test_a_task_is_overdue_until_its_lead_reports_it_done(
            self, tree: Tree, police: Agency, personas: Personas, task: Task) -> None:
        plan = task.plan
        dated = make_task(plan, police, "5", "Trước 15/6", time_frame=TimeFrame.DATES,
                          end_date=datetime.date(2026, 6, 15))
        states = {s.task.section: s for s in selectors.task_states([task, dated], today=TODAY)}
        # The yearly task missed 2025's due date; the dated one its day.
        assert states["IV.3"].overdue and states["5"].overdue
        report(personas.sector_focal, task, police, "2025", status="done", percent_done=100)
        report(personas.sector_focal, dated, police, "2026S1", status="done", percent_done=100)
        # A co-operating agency's "done" is not the lead's.
        states = {s.task.section: s for s in selectors.task_states([task, dated], today=TODAY)}
        assert not states["IV.3"].overdue and not states["5"].overdue
        assert states["IV.3"].due_on == datetime.date(2026, 12, 31)
        later = {s.task.section: s for s in selectors.task_states(
            [task], today=datetime.date(2027, 1, 2))}
        assert later["IV.3"].overdue  # 2026 was not reported done


class FocalPointTests:
    def test_only_a_sector_focal_point_or_plan_officer_of_the_unit_becomes_one(
            self, tree: Tree, personas: Personas, police: Agency) -> None:
        with pytest.raises(ValidationError) as error:
            services.focal_point_add(actor=personas.province_officer, agency=police,
                                     user=personas.collaborator)
        assert error.value.message_dict["user"] == [str(exc.FOCAL_NOT_IN_SCOPE)]
        with pytest.raises(ValidationError):
            services.focal_point_add(actor=personas.province_officer, agency=police,
                                     user=personas.sector_focal)  # already
        with pytest.raises(PermissionDenied):
            services.focal_point_add(actor=personas.officer, agency=police,
                                     user=personas.sector_focal)


class PageTests:
    def test_the_focal_point_sees_its_tasks_and_reports_from_the_task_page(
            self, client: Client, personas: Personas, task: Task, police: Agency) -> None:
        login(client, personas.sector_focal)
        mine = client.get(reverse("plans:my_tasks")).content.decode()
        assert "Điều tra các vụ xâm hại trẻ em." in mine and "quá hạn" in mine
        url = reverse("plans:task_detail", args=[task.public_id])
        page = client.get(url, {"agency": str(police.public_id), "period": "2026"})
        assert "Báo cáo mới của Công an tỉnh." in page.content.decode()
        answer = client.post(f"{url}?agency={police.public_id}&period=2026",
                             {"status": "in_progress", "percent_done": "150",
                              "done_text": "Đã điều tra"})
        assert "Tỷ lệ hoàn thành từ 0 đến 100%." in answer.content.decode()
        assert not TaskProgress.objects.exists()
        answer = client.post(f"{url}?agency={police.public_id}&period=2026",
                             {"status": "in_progress", "percent_done": "30",
                              "done_text": "Đã điều tra 2 vụ"})
        assert answer.status_code == 302
        saved = TaskProgress.objects.get()
        assert (saved.period, saved.percent_done, saved.reported_by) == (
            "2026", 30, personas.sector_focal)
        # Read back as an edit at its version.
        edit = client.get(url, {"agency": str(police.public_id), "period": "2026"})
        assert "Sửa báo cáo của Công an tỉnh" in edit.content.decode()

    def test_who_may_read_the_plan_but_not_report_gets_no_form_and_403_on_post(
            self, client: Client, personas: Personas, task: Task) -> None:
        login(client, personas.officer)
        url = reverse("plans:task_detail", args=[task.public_id])
        page = client.get(url).content.decode()
        assert "Điều tra các vụ xâm hại trẻ em." in page and "Lưu báo cáo tiến độ" not in page
        assert client.post(url, {"status": "done", "percent_done": "100",
                                 "done_text": "x"}).status_code == 403
        assert client.get(reverse("plans:my_tasks")).status_code == 403

    def test_a_task_of_another_communes_plan_is_not_found(
            self, client: Client, personas: Personas, tree: Tree) -> None:
        theirs = make_task(make_plan(tree.commune_b), make_agency(tree.commune_b, "Công an xã"))
        login(client, personas.officer)
        assert client.get(reverse("plans:task_detail", args=[theirs.public_id])
                          ).status_code == 404


class ExcelTests:
    def test_the_task_table_has_each_task_with_its_leads_latest_report(
            self, client: Client, personas: Personas, task: Task, police: Agency,
            tree: Tree) -> None:
        import io

        from openpyxl import load_workbook

        from treem.audit.models import AuditEvent

        report(personas.sector_focal, task, police, "2026S1", done_text="=HYPERLINK(\"x\")")
        make_task(task.plan, police, "IV.4", "Không ghi thời gian")
        login(client, personas.officer)  # a commune reads the province's plan it carries out
        answer = client.get(reverse("plans:plan_excel", args=[task.plan.public_id]))
        assert answer.status_code == 200
        sheet = load_workbook(io.BytesIO(answer.content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
        first, second = rows
        assert first[:3] == ["IV.3", "Điều tra các vụ xâm hại trẻ em.", "Công an tỉnh"]
        assert first[3] == "Sở Y tế" and first[6] == 40 and first[9] == "2026S1"
        assert "quá hạn" in first[5]  # 2025 was never reported done
        assert first[7].startswith("'=")  # a formula typed in a report stays text
        assert second[:2] == ["IV.4", "Không ghi thời gian"] and second[5] == "Chưa báo cáo"
        assert AuditEvent.objects.filter(action="export", object_type="plans.plan").exists()
        theirs = make_plan(tree.commune_b)
        assert client.get(reverse("plans:plan_excel", args=[theirs.public_id])
                          ).status_code == 404


class TimeLabelTests:
    def test_a_tasks_time_is_said_as_the_plan_wrote_it_else_from_its_frame(
            self, tree: Tree, police: Agency) -> None:
        plan = make_plan(tree.province, start_year=2025, end_year=2027)
        cases: list[tuple[dict[str, Any], str]] = [
            ({"time_frame": TimeFrame.QUARTER, "year": 2026, "quarter": 4}, "Quý IV/2026"),
            ({"time_frame": TimeFrame.MONTH, "year": 2026, "month": 6}, "Tháng 6/2026"),
            ({"time_frame": TimeFrame.YEAR, "year": 2025}, "Năm 2025"),
            ({"time_frame": TimeFrame.DATES, "end_date": datetime.date(2026, 12, 10)},
             "Trước ngày 10/12/2026"),
            ({"time_frame": TimeFrame.YEARLY, "time_text": "thường xuyên"}, "thường xuyên"),
            ({}, "Không ghi thời gian"),
        ]
        for number, (fields, label) in enumerate(cases):
            assert make_task(plan, police, str(number), "Việc", **fields).time_label == label


class ApiTests:
    def url(self, task: Task, agency: Agency, period: str = "2026S1") -> str:
        return f"/api/v1/plan-tasks/{task.public_id}/progress/{agency.public_id}/{period}"

    def test_a_focal_point_reports_over_the_api_with_its_version(
            self, client: Client, personas: Personas, task: Task, police: Agency) -> None:
        login(client, personas.sector_focal)
        body = {"status": "in_progress", "percent_done": 40, "done_text": "Đã điều tra 3 vụ."}
        assert client.put(self.url(task, police), body,
                          content_type="application/json").status_code == 428
        made = client.put(self.url(task, police), body, content_type="application/json",
                          HTTP_IF_MATCH='"0"')
        assert made.status_code == 200 and made["ETag"] == '"1"'
        # The province's office changes the percentage meanwhile; the stale write is refused.
        progress_services.progress_report(actor=personas.province_officer, task=task, agency=police,
                                          period="2026S1", base_version=1, percent_done=70)
        stale = client.put(self.url(task, police), body | {"percent_done": 50},
                           content_type="application/json", HTTP_IF_MATCH='"1"')
        assert stale.status_code == 412
        assert [c["field"] for c in stale.json()["conflicts"]] == ["percent_done"]
        assert TaskProgress.objects.get().percent_done == 70
        detail = client.get(f"/api/v1/plan-tasks/{task.public_id}").json()
        (only,) = detail["reports"]
        assert (only["percent_done"], only["version"], detail["overdue"]) == (70, 2, True)

    def test_bad_input_and_strangers_are_refused(
            self, client: Client, personas: Personas, task: Task, police: Agency,
            tree: Tree) -> None:
        login(client, personas.sector_focal)
        bad = client.put(self.url(task, police), {"status": "done", "percent_done": 90,
                                                  "done_text": "x"},
                         content_type="application/json", HTTP_IF_MATCH='"0"')
        assert bad.status_code == 422 and "100%" in bad.json()["detail"]
        over = client.put(self.url(task, police), {"status": "done", "percent_done": 101},
                          content_type="application/json", HTTP_IF_MATCH='"0"')
        assert over.status_code == 422
        stranger = make_agency(tree.province, "Sở Tư pháp")
        assert client.put(self.url(task, stranger), {"status": "not_started",
                                                     "percent_done": 0},
                          content_type="application/json",
                          HTTP_IF_MATCH='"0"').status_code == 404
        login(client, personas.officer)  # reads the plan, reports for no agency
        assert client.put(self.url(task, police), {"status": "not_started", "percent_done": 0},
                          content_type="application/json",
                          HTTP_IF_MATCH='"0"').status_code == 403
        assert not TaskProgress.objects.exists()


class RaceTests:
    def test_two_first_reports_of_a_period_saved_at_once_give_one_report_and_a_choice(
            self, client: Client, personas: Personas, task: Task, police: Agency,
            monkeypatch: pytest.MonkeyPatch) -> None:
        # The province's office saves the police's first report of 2026S1 while the focal
        # point types its own: the page read no report, the service finds one.
        report(personas.province_officer, task, police, "2026S1", percent_done=70,
               done_text="Bản của văn phòng")
        real = selectors.progress_of
        calls = {"n": 0}

        def unseen(**kwargs: Any) -> Any:
            calls["n"] += 1
            return None if calls["n"] == 1 else real(**kwargs)

        monkeypatch.setattr(selectors, "progress_of", unseen)
        login(client, personas.sector_focal)
        url = reverse("plans:task_detail", args=[task.public_id])
        page = client.post(f"{url}?agency={police.public_id}&period=2026S1",
                           {"status": "in_progress", "percent_done": "50",
                            "done_text": "Bản của đầu mối"}).content.decode()
        # Nothing overwritten, one report, and the form asks which value to keep.
        (saved,) = TaskProgress.objects.all()
        assert (saved.percent_done, saved.done_text) == (70, "Bản của văn phòng")
        assert "Bản của đầu mối" in page and "Bản của văn phòng" in page
        assert "Giữ giá trị nào?" in page
