"""Editing a plan or a task once made: at the version read (a stale edit of a field someone
else saved is a conflict with both values, nothing written), with the rules of a new one,
from the pages and over the API, and out of reach of other communes and read-only roles."""

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from treem.audit.models import Action, AuditEvent
from treem.edits.conflicts import EditConflict
from treem.plans import exceptions as exc
from treem.plans import services
from treem.plans.models import Agency, Plan, ProgressStatus, Task, TaskProgress, TimeFrame
from treem.plans.tests.factories import make_agency, make_plan, make_task
from treem.testing import Personas, Tree, login

JSON = "application/json"


@pytest.fixture
def police(tree: Tree) -> Agency:
    return make_agency(tree.commune_a, "Công an Phường Thục Phán", short_name="CA")


@pytest.fixture
def health(tree: Tree) -> Agency:
    return make_agency(tree.commune_a, "Trạm Y tế Phường Thục Phán", short_name="TYT")


@pytest.fixture
def school(tree: Tree) -> Agency:
    return make_agency(tree.commune_a, "Trường Tiểu học Thục Phán")


@pytest.fixture
def plan(tree: Tree) -> Plan:
    return make_plan(tree.commune_a, "Kế hoạch bảo vệ trẻ em 2026–2027", start_year=2026,
                     end_year=2027, number="12/KH-UBND")


@pytest.fixture
def task(plan: Plan, police: Agency, health: Agency) -> Task:
    return make_task(plan, police, "II.1", "Tuyên truyền phòng, chống xâm hại trẻ em.",
                     cooperating=[health], time_frame=TimeFrame.YEAR, year=2026)


def rows() -> tuple[Any, ...]:
    """What an edit could change, read again from the database."""
    return (tuple(Plan.objects.values_list("title", "start_year", "end_year", "version")),
            tuple(Task.objects.values_list("section", "text", "year", "version", "lead_id")),
            tuple(Task.cooperating.through.objects.values_list("task_id", "agency_id")),
            AuditEvent.objects.filter(action=Action.UPDATE).count())


class PlanUpdateTests:
    def test_it_changes_a_plans_texts_and_years_and_raises_its_version(
            self, plan: Plan, personas: Personas) -> None:
        saved = services.plan_update(actor=personas.officer, plan=plan, base_version=1,
                                     title="  Kế hoạch   sửa  ", end_year=2028)
        plan.refresh_from_db()
        assert (plan.title, plan.end_year, plan.version, saved.version) == (
            "Kế hoạch sửa", 2028, 2, 2)
        event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(plan.public_id))
        assert sorted(event.changed_fields) == ["end_year", "title"]

    def test_a_stale_edit_of_a_field_saved_meanwhile_is_a_conflict_and_writes_nothing(
            self, plan: Plan, personas: Personas) -> None:
        services.plan_update(actor=personas.chairman, plan=plan, base_version=1,
                             title="Bản của chủ tịch")
        before = rows()
        stale = Plan.objects.get(pk=plan.pk)
        with pytest.raises(EditConflict) as raised:
            services.plan_update(actor=personas.officer, plan=stale, base_version=1,
                                 base={"title": "Kế hoạch bảo vệ trẻ em 2026–2027",
                                       "number": "12/KH-UBND"},
                                 title="Bản của cán bộ", number="13/KH-UBND")
        assert raised.value.fields == ["title"]
        assert "Bản của cán bộ" in raised.value.message
        assert "Bản của chủ tịch" in raised.value.message
        assert rows() == before

    def test_a_stale_edit_of_other_fields_merges(self, plan: Plan, personas: Personas) -> None:
        services.plan_update(actor=personas.chairman, plan=plan, base_version=1,
                             title="Bản của chủ tịch")
        stale = Plan.objects.get(pk=plan.pk)
        services.plan_update(actor=personas.officer, plan=stale, base_version=1,
                             base={"number": "12/KH-UBND"}, number="13/KH-UBND")
        plan.refresh_from_db()
        assert (plan.title, plan.number, plan.version) == ("Bản của chủ tịch", "13/KH-UBND", 3)

    @pytest.mark.parametrize(("changes", "field", "message"), [
        ({"start_year": 2028}, "end_year", exc.YEARS_ORDER),
        ({"title": " "}, "title", exc.TITLE_REQUIRED),
        ({"start_year": 1999}, "start_year", exc.YEARS_RANGE),
    ])
    def test_the_rules_of_a_new_plan_hold(self, plan: Plan, personas: Personas,
                                          changes: dict[str, Any], field: str,
                                          message: Any) -> None:
        before = rows()
        with pytest.raises(ValidationError) as raised:
            services.plan_update(actor=personas.officer, plan=plan, base_version=1, **changes)
        assert raised.value.message_dict[field] == [str(message)]
        assert rows() == before

    def test_its_years_cannot_shrink_to_leave_out_a_tasks_year(
            self, plan: Plan, task: Task, police: Agency, personas: Personas) -> None:
        make_task(plan, police, "II.2", "Tập huấn", time_frame=TimeFrame.DATES,
                  end_date=datetime.date(2027, 6, 30))
        before = rows()
        with pytest.raises(ValidationError) as raised:
            services.plan_update(actor=personas.officer, plan=plan, base_version=1,
                                 start_year=2027)
        assert "II.1" in raised.value.message_dict["start_year"][0]
        with pytest.raises(ValidationError) as raised:
            services.plan_update(actor=personas.officer, plan=plan, base_version=1,
                                 end_year=2026)
        assert "II.2" in raised.value.message_dict["end_year"][0]
        assert rows() == before

    def test_its_years_cannot_leave_out_a_progress_report(
            self, plan: Plan, police: Agency, personas: Personas) -> None:
        yearly = make_task(plan, police, "II.3", "Rà soát", time_frame=TimeFrame.YEARLY)
        TaskProgress.objects.create(task=yearly, agency=police, period="2027Q1",
                                    status=ProgressStatus.NOT_STARTED, reported_by=personas.officer)
        with pytest.raises(ValidationError) as raised:
            services.plan_update(actor=personas.officer, plan=plan, base_version=1,
                                 end_year=2026)
        assert "2027" in raised.value.message_dict["end_year"][0]
        assert Plan.objects.get().end_year == 2027

    def test_it_implements_a_higher_plan_never_itself_or_a_siblings(
            self, plan: Plan, personas: Personas, tree: Tree) -> None:
        province = make_plan(tree.province, start_year=2026, end_year=2030)
        sibling = make_plan(tree.commune_b)
        for wrong, message in ((plan, exc.IMPLEMENTS_ITSELF), (sibling, exc.IMPLEMENTS_NOT_HIGHER)):
            with pytest.raises(ValidationError) as raised:
                services.plan_update(actor=personas.officer, plan=plan, base_version=1,
                                     implements=wrong)
            assert raised.value.message_dict["implements"] == [str(message)]
        services.plan_update(actor=personas.officer, plan=plan, base_version=1,
                             implements=province)
        assert Plan.objects.get(pk=plan.pk).implements == province

    def test_an_officer_of_another_commune_or_an_auditor_may_not(
            self, plan: Plan, personas: Personas) -> None:
        before = rows()
        for actor in (personas.outsider, personas.auditor):
            with pytest.raises(PermissionDenied):
                services.plan_update(actor=actor, plan=plan, base_version=1, title="X")
        assert rows() == before


class TaskUpdateTests:
    def test_it_changes_a_tasks_partners_and_time(self, task: Task, school: Agency,
                                                  health: Agency, personas: Personas) -> None:
        services.task_update(actor=personas.officer, task=task, base_version=1,
                             cooperating=[school, health], time_frame=TimeFrame.QUARTER,
                             quarter=3, year=2027, report_due_text="trước 15/12")
        task.refresh_from_db()
        assert (task.quarter, task.year, task.version, task.report_due_text) == (
            3, 2027, 2, "trước 15/12")
        assert set(task.cooperating.all()) == {school, health}
        event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(task.public_id))
        assert sorted(event.changed_fields) == ["cooperating", "quarter", "report_due_text",
                                                "time_frame", "year"]

    def test_nothing_changed_writes_nothing(self, task: Task, health: Agency,
                                            personas: Personas) -> None:
        before = rows()
        services.task_update(actor=personas.officer, task=task, base_version=1,
                             cooperating=[health], year=2026)
        assert rows() == before

    @pytest.mark.parametrize(("changes", "field", "text"), [
        ({"year": 2030}, "year", "Năm 2030 nằm ngoài thời gian của kế hoạch (2026–2027)."),
        ({"section": "II.9"}, "section", "Kế hoạch đã có nhiệm vụ ở mục “II.9”."),
        ({"lead": None}, "lead", str(exc.LEAD_REQUIRED)),
        ({"time_frame": TimeFrame.QUARTER}, "quarter", str(exc.TIME_FRAME_QUARTER)),
    ])
    def test_the_rules_of_a_new_task_hold(self, task: Task, police: Agency, personas: Personas,
                                          changes: dict[str, Any], field: str,
                                          text: str) -> None:
        make_task(task.plan, police, "II.9", "Việc khác")
        before = rows()
        with pytest.raises(ValidationError) as raised:
            services.task_update(actor=personas.officer, task=task, base_version=1, **changes)
        assert raised.value.message_dict[field] == [text]
        assert rows() == before

    def test_a_lead_of_another_commune_is_refused(self, task: Task, tree: Tree,
                                                  personas: Personas) -> None:
        theirs = make_agency(tree.commune_b, "Công an Xã Hòa An")
        with pytest.raises(ValidationError) as raised:
            services.task_update(actor=personas.officer, task=task, base_version=1,
                                 lead=theirs)
        assert raised.value.message_dict["lead"] == [str(exc.LEAD_NOT_OF_PLAN)]
        assert Task.objects.get().lead.name == "Công an Phường Thục Phán"

    def test_a_stale_edit_of_the_partners_is_a_conflict_naming_them(
            self, task: Task, health: Agency, school: Agency, personas: Personas) -> None:
        services.task_update(actor=personas.chairman, task=task, base_version=1,
                             cooperating=[school])
        before = rows()
        stale = Task.objects.get(pk=task.pk)
        with pytest.raises(EditConflict) as raised:
            services.task_update(actor=personas.officer, task=stale, base_version=1,
                                 base={"cooperating": [health], "text": task.text},
                                 cooperating=[], text="Nội dung mới")
        assert raised.value.fields == ["cooperating"]
        assert "Trường Tiểu học Thục Phán" in raised.value.message
        assert rows() == before

    def test_an_officer_of_another_commune_may_not(self, task: Task, personas: Personas) -> None:
        with pytest.raises(PermissionDenied):
            services.task_update(actor=personas.outsider, task=task, base_version=1, text="X")
        assert Task.objects.get().version == 1


class EditPageTests:
    def test_the_officer_edits_the_plan_from_its_page(self, client: Client, plan: Plan,
                                                      personas: Personas) -> None:
        login(client, personas.officer)
        detail = client.get(reverse("plans:plan_detail", args=[plan.public_id])).content.decode()
        url = reverse("plans:plan_edit", args=[plan.public_id])
        assert url in detail
        form = client.get(url).context["form"]
        data = {**{name: form[name].value() or "" for name in form.fields},
                **{f"initial-{name}": form[name].value() or "" for name in form.fields
                   if name not in ("version", "conflicts")}}
        answer = client.post(url, {**data, "title": "Kế hoạch đã sửa", "end_year": "2028"})
        assert answer.status_code == 302
        plan.refresh_from_db()
        assert (plan.title, plan.end_year, plan.version) == ("Kế hoạch đã sửa", 2028, 2)

    def test_a_stale_form_shows_both_values_and_writes_nothing(
            self, client: Client, plan: Plan, personas: Personas) -> None:
        login(client, personas.officer)
        url = reverse("plans:plan_edit", args=[plan.public_id])
        form = client.get(url).context["form"]
        data = {**{name: form[name].value() or "" for name in form.fields},
                **{f"initial-{name}": form[name].value() or "" for name in form.fields
                   if name not in ("version", "conflicts")}}
        services.plan_update(actor=personas.chairman, plan=plan, base_version=1,
                             title="Bản của chủ tịch")
        page = client.post(url, {**data, "title": "Bản của cán bộ"})
        text = page.content.decode()
        assert page.status_code == 200
        assert "Bản của cán bộ" in text and "Bản của chủ tịch" in text
        assert "chairman_a" in text  # who saved the other value
        assert Plan.objects.get().title == "Bản của chủ tịch"

    def test_the_officer_edits_a_task(self, client: Client, task: Task, school: Agency,
                                      personas: Personas) -> None:
        login(client, personas.officer)
        url = reverse("plans:task_edit", args=[task.public_id])
        assert url in client.get(reverse("plans:task_detail", args=[task.public_id])
                                 ).content.decode()
        form = client.get(url).context["form"]

        def posted(name: str) -> Any:
            value = form[name].value()
            return [str(v) for v in value] if isinstance(value, list) else (
                "" if value is None else value)

        data = {**{name: posted(name) for name in form.fields},
                **{f"initial-{name}": posted(name) for name in form.fields
                   if name not in ("version", "conflicts")}}
        refused = client.post(url, {**data, "year": "2031"})
        assert "nằm ngoài thời gian của kế hoạch" in refused.content.decode()
        answer = client.post(url, {**data, "cooperating": [str(school.public_id)],
                                   "text": "Nội dung đã sửa"})
        assert answer.status_code == 302 and f"#task-{task.public_id}" in answer["Location"]
        task.refresh_from_db()
        assert (task.text, list(task.cooperating.all()), task.version) == (
            "Nội dung đã sửa", [school], 2)

    def test_outsiders_get_404_and_read_only_users_403(
            self, client: Client, plan: Plan, task: Task, personas: Personas,
            tree: Tree) -> None:
        urls = [reverse("plans:plan_edit", args=[plan.public_id]),
                reverse("plans:task_edit", args=[task.public_id])]
        for persona, status in ((personas.outsider, 404), (personas.auditor, 403),
                                (personas.sector_focal, 403)):
            login(client, persona)
            for url in urls:
                assert client.get(url).status_code == status, (persona, url)
                assert client.post(url, {"title": "X", "text": "X"}).status_code == status
        # The commune reads its province's plan but does not keep it.
        province = make_plan(tree.province)
        login(client, personas.officer)
        assert client.get(reverse("plans:plan_edit", args=[province.public_id])
                          ).status_code == 403
        # An officer of the other province does not see the plan at all.
        login(client, personas.province_officer)
        theirs = make_plan(tree.commune_c)
        assert client.get(reverse("plans:plan_edit", args=[theirs.public_id])
                          ).status_code == 404
        assert Plan.objects.get(pk=plan.pk).version == 1


class ApiTests:
    def test_a_plan_is_made_and_edited_at_its_version(self, client: Client, personas: Personas,
                                                      plan: Plan) -> None:
        login(client, personas.officer)
        made = client.post("/api/v1/local-plans", {
            "unit": "01273", "title": "Kế hoạch năm 2027", "start_year": 2027,
            "end_year": 2027, "implements": None}, content_type=JSON)
        assert made.status_code == 201 and made["ETag"] == '"1"'
        assert made.json()["version"] == 1
        url = f"/api/v1/local-plans/{plan.public_id}"
        read = client.get(url)
        assert read["ETag"] == '"1"' and read.json()["version"] == 1
        body = json.dumps({"title": "Kế hoạch đã sửa"})
        assert client.patch(url, body, content_type=JSON).status_code == 428
        saved = client.patch(url, body, content_type=JSON, HTTP_IF_MATCH='"1"')
        assert saved.status_code == 200 and saved["ETag"] == '"2"'
        stale = client.patch(url, json.dumps({"title": "Bản cũ"}), content_type=JSON,
                             HTTP_IF_MATCH='"1"')
        assert stale.status_code == 412 and stale["ETag"] == '"2"'
        (conflict,) = stale.json()["conflicts"]
        assert (conflict["field"], conflict["mine"], conflict["theirs"]) == (
            "title", "Bản cũ", "Kế hoạch đã sửa")
        assert Plan.objects.get(pk=plan.pk).title == "Kế hoạch đã sửa"
        null = client.patch(url, json.dumps({"start_year": None}), content_type=JSON,
                            HTTP_IF_MATCH='"2"')
        assert null.status_code == 422 and null.json()["errors"][0]["loc"] == [
            "body", "start_year"]

    def test_a_task_is_given_and_edited_at_its_version(
            self, client: Client, personas: Personas, plan: Plan, police: Agency,
            health: Agency, school: Agency) -> None:
        login(client, personas.officer)
        made = client.post(f"/api/v1/local-plans/{plan.public_id}/tasks", {
            "section": "III.1", "text": "Tập huấn kỹ năng", "lead": str(police.public_id),
            "cooperating": [str(health.public_id)], "time_frame": "quarter", "year": 2027,
            "quarter": 2}, content_type=JSON)
        assert made.status_code == 201, made.content
        task = Task.objects.get(section="III.1")
        assert (task.quarter, list(task.cooperating.all())) == (2, [health])
        url = f"/api/v1/plan-tasks/{task.public_id}"
        assert client.get(url)["ETag"] == '"1"'
        saved = client.patch(url, json.dumps({"cooperating": [str(school.public_id)],
                                              "time_text": None}),
                             content_type=JSON, HTTP_IF_MATCH='"1"')
        assert saved.status_code == 200 and saved.json()["cooperating"] == [
            str(school.public_id)]
        stale = client.patch(url, json.dumps({"cooperating": []}), content_type=JSON,
                             HTTP_IF_MATCH='"1"')
        assert stale.status_code == 412
        assert stale.json()["conflicts"][0]["theirs"] == [str(school.public_id)]
        outside = client.patch(url, json.dumps({"year": 2030}), content_type=JSON,
                               HTTP_IF_MATCH='"2"')
        assert outside.status_code == 422 and outside.json()["errors"][0]["loc"] == [
            "body", "year"]
        assert list(Task.objects.get(pk=task.pk).cooperating.all()) == [school]

    def test_bad_input_is_refused_and_writes_nothing(
            self, client: Client, personas: Personas, plan: Plan, task: Task,
            tree: Tree) -> None:
        login(client, personas.officer)
        theirs = make_agency(tree.commune_b, "Công an Xã Hòa An")
        before = rows()
        tasks = f"/api/v1/local-plans/{plan.public_id}/tasks"
        unknown = client.post(tasks, {"section": "III.2", "text": "Việc",
                                      "lead": str(theirs.public_id)}, content_type=JSON)
        assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == [
            "body", "lead"]
        twice = client.post(tasks, {"section": "II.1", "text": "Việc",
                                    "lead": str(task.lead.public_id)}, content_type=JSON)
        assert twice.status_code == 422 and "II.1" in twice.json()["detail"]
        years = client.post("/api/v1/local-plans", {
            "unit": "01273", "title": "X", "start_year": 2028, "end_year": 2027},
            content_type=JSON)
        assert years.status_code == 422
        assert rows() == before
        assert Plan.objects.count() == 1

    def test_outsiders_get_404_and_read_only_users_403(
            self, client: Client, personas: Personas, plan: Plan, task: Task) -> None:
        calls = [("patch", f"/api/v1/local-plans/{plan.public_id}", {"title": "X"}),
                 ("post", f"/api/v1/local-plans/{plan.public_id}/tasks",
                  {"section": "Z", "text": "X", "lead": str(task.lead.public_id)}),
                 ("patch", f"/api/v1/plan-tasks/{task.public_id}", {"text": "X"})]
        for persona, status in ((personas.outsider, 404), (personas.auditor, 403)):
            login(client, persona)
            for method, url, body in calls:
                answer = getattr(client, method)(url, json.dumps(body), content_type=JSON,
                                                 HTTP_IF_MATCH='"1"')
                assert answer.status_code == status, (persona, url, answer.content)
        login(client, personas.outsider)
        assert client.post("/api/v1/local-plans", {
            "unit": "01273", "title": "X", "start_year": 2026, "end_year": 2026},
            content_type=JSON).status_code == 404
        assert (Plan.objects.get().version, Task.objects.get().version, Task.objects.count()
                ) == (1, 1, 1)
