"""The plan's implementation report for a period: assembled from the agencies' reports and the
indicators, attached (frozen) to the unit's periodic report of the period, and who may do what."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.indicators.models import Indicator, IndicatorSet, IndicatorVersion, Target
from treem.indicators.tests.factories import make_figure
from treem.plans import implementation
from treem.plans.implementation_services import implementation_attach, implementation_detach
from treem.plans.models import Agency, Evidence, ImplementationReport, Plan, TaskProgress
from treem.plans.progress_services import progress_report
from treem.plans.tests.factories import make_agency, make_plan, make_task
from treem.reports.models import Report, Schedule
from treem.testing import Personas, Tree, login, make_user, messages_of, refused

TODAY = datetime.date(2026, 7, 10)
JSON = "application/json"


@dataclass
class World:
    plan: Plan
    police: Agency
    health: Agency
    schedule: Schedule


def make_report(schedule: Schedule, unit: Any, by: Any, *, period: str = "2026S1",
                status: str = "draft") -> Report:
    return Report.objects.create(schedule=schedule, unit=unit, unit_path=unit.path, period=period,
                                 status=status, due_on=datetime.date(2026, 5, 15), created_by=by)


def make_indicator_set(unit: Any) -> IndicatorSet:
    """A plan's own set: one indicator entered by the sectors, its target for the commune."""
    indicators = IndicatorSet.objects.create(code="ke-hoach-thuc-phan", owner=unit,
                                             owner_path=unit.path,
                                             name="Chỉ tiêu kế hoạch Thục Phán")
    indicator = Indicator.objects.create(indicator_set=indicators, code="KH1")
    IndicatorVersion.objects.create(indicator=indicator, number=1, unit_kind="count",
                                    name="Số buổi truyền thông về phòng, chống xâm hại",
                                    source="entered", period_kind="half")
    Target.objects.create(indicator=indicator, unit=unit, year=2026, value=10,
                          direction="at_least")
    return indicators


@pytest.fixture
def world(tree: Tree, personas: Personas) -> World:
    indicators = make_indicator_set(tree.commune_a)
    plan = make_plan(tree.commune_a, "Kế hoạch bảo vệ trẻ em phường Thục Phán năm 2026",
                     number="15/KH-UBND", indicator_set=indicators)
    police = make_agency(tree.commune_a, "Công an phường")
    health = make_agency(tree.commune_a, "Trạm Y tế phường")
    first = make_task(plan, police, "I.1", "Tuyên truyền phòng, chống xâm hại trẻ em.",
                      heading="I. Truyền thông", cooperating=[health], time_frame="yearly")
    make_task(plan, health, "I.2", "Tập huấn sơ cứu cho giáo viên mầm non.",
              heading="I. Truyền thông", time_frame="quarter", year=2026, quarter=1)
    third = make_task(plan, police, "II.1", "Rà soát trẻ em có nguy cơ bị xâm hại.",
                      heading="II. Hỗ trợ", time_frame="year", year=2026)
    reported = TaskProgress.objects.create(
        task=first, agency=police, period="2026S1", status="in_progress", percent_done=40,
        done_text="Tổ chức 12 buổi truyền thông ở 6 tổ dân phố.",
        difficulties="Thiếu tài liệu.", reported_by=personas.officer)
    Evidence.objects.create(progress=reported, file="plans/evidence/x.pdf", name="bb.pdf",
                            content_type="application/pdf", size=10,
                            uploaded_by=personas.officer)
    TaskProgress.objects.create(task=third, agency=police, period="2026S1", status="done",
                                percent_done=100, done_text="Đã rà soát 340 trẻ em.",
                                reported_by=personas.officer)
    # Another period's report is not this period's.
    TaskProgress.objects.create(task=first, agency=health, period="2026Q1", status="done",
                                percent_done=100, done_text="Đã phối hợp.",
                                reported_by=personas.officer)
    version = IndicatorVersion.objects.get(indicator__indicator_set=indicators)
    make_figure(version=version, unit=tree.commune_a, period="2026S1", numerator=12,
                by=personas.officer)
    schedule = Schedule.objects.create(code="test-6m", name="Báo cáo 6 tháng", period_kind="half",
                                       due={"commune": {"S1": "05-15", "S2": "11-10"}})
    return World(plan, police, health, schedule)


def attachments() -> tuple[int, int]:
    return ImplementationReport.objects.count(), AuditEvent.objects.count()


class AssemblyTests:
    def test_it_groups_the_tasks_under_their_headings_with_every_agencys_progress(
            self, world: World, personas: Personas) -> None:
        shown = implementation.assemble(user=personas.officer, plan=world.plan, period="2026S1",
                                        today=TODAY)
        assert [g.heading for g in shown.groups] == ["I. Truyền thông", "II. Hỗ trợ"]
        assert [[t.section for t in g.tasks] for g in shown.groups] == [["I.1", "I.2"], ["II.1"]]
        first = shown.groups[0].tasks[0]
        police, health = first.agencies
        assert (police.name, police.role, police.status, police.percent_done) == (
            "Công an phường", "lead", "in_progress", 40)
        assert police.done_text == "Tổ chức 12 buổi truyền thông ở 6 tổ dân phố."
        assert police.difficulties == "Thiếu tài liệu."
        assert police.evidence == 1
        # The health station reported for the first quarter, not for the half year.
        assert (health.role, health.status, health.status_label) == (
            "cooperating", "no_report", "Chưa báo cáo")
        assert health.percent_done is None

    def test_a_task_due_in_a_past_quarter_without_its_leads_done_is_overdue(
            self, world: World, personas: Personas) -> None:
        shown = implementation.assemble(user=personas.officer, plan=world.plan, period="2026S1",
                                        today=TODAY)
        overdue = {t.section: t.overdue for g in shown.groups for t in g.tasks}
        assert overdue == {"I.1": False, "I.2": True, "II.1": False}
        assert shown.groups[0].tasks[1].due_on == datetime.date(2026, 3, 31)

    def test_it_counts_the_tasks_by_their_leads_report(self, world: World,
                                                       personas: Personas) -> None:
        counts = implementation.assemble(user=personas.officer, plan=world.plan,
                                         period="2026S1", today=TODAY).counts
        assert counts == implementation.Counts(tasks=3, done=1, in_progress=1, not_started=0,
                                               not_done=0, no_report=1, overdue=1, reports=2,
                                               expected=4)

    def test_it_gives_each_target_of_the_plans_set_with_the_periods_value(
            self, world: World, personas: Personas) -> None:
        shown = implementation.assemble(user=personas.officer, plan=world.plan, period="2026S1",
                                        today=TODAY)
        assert shown.indicator_set == "Chỉ tiêu kế hoạch Thục Phán"
        assert shown.values_unit == "Phường Thục Phán"
        [line] = shown.targets
        assert (line.code, line.value, line.status) == ("KH1", "12", "on_track")
        assert line.target == "Đạt ít nhất 10 (2026)"
        assert line.status_label == "Đạt"

    def test_a_period_without_a_value_says_so(self, world: World, personas: Personas) -> None:
        [line] = implementation.assemble(user=personas.officer, plan=world.plan,
                                         period="2026Q3", today=datetime.date(2026, 12, 1)
                                         ).targets
        assert (line.value, line.status) == ("—", "no_value")

    @pytest.mark.parametrize(("code", "message"), [
        ("2025S2", "Kỳ 6 tháng cuối năm 2025 nằm ngoài thời gian của kế hoạch (2026–2026)."),
        ("2026S3", "Kỳ “2026S3” không hợp lệ: ví dụ 2026, 2026S1, 2026Q2, 202604."),
        ("2026Q4", "Kỳ Quý 4 năm 2026 chưa bắt đầu: chưa báo cáo được."),
    ])
    def test_a_period_outside_the_plan_or_not_begun_is_refused_in_vietnamese(
            self, world: World, personas: Personas, code: str, message: str) -> None:
        with pytest.raises(ValidationError) as raised:
            implementation.assemble(user=personas.officer, plan=world.plan, period=code,
                                    today=TODAY)
        assert messages_of(raised.value, "period") == [message]

    def test_the_frozen_content_reads_back_as_assembled(self, world: World,
                                                         personas: Personas) -> None:
        shown = implementation.assemble(user=personas.officer, plan=world.plan, period="2026S1",
                                        today=TODAY)
        assert implementation.Implementation.from_content(shown.content()) == shown


class AttachTests:
    def test_it_attaches_the_report_frozen_to_the_units_draft_report_of_the_period(
            self, world: World, personas: Personas, tree: Tree) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer)
        item = implementation_attach(actor=personas.officer, plan=world.plan, period="2026S1",
                                     report=report)
        assert (item.plan, item.report, item.period, item.attached_by) == (
            world.plan, report, "2026S1", personas.officer)
        shown = implementation.Implementation.from_content(item.content)
        assert shown.counts.tasks == 3
        assert shown.groups[0].tasks[0].agencies[0].percent_done == 40
        event = AuditEvent.objects.get(object_id=str(item.public_id))
        assert (event.action, event.actor_username) == (Action.CREATE, "officer_a")

    def test_a_returned_report_takes_it_too(self, world: World, personas: Personas,
                                            tree: Tree) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer, status="returned")
        implementation_attach(actor=personas.officer, plan=world.plan, period="2026S1",
                              report=report)
        assert list(ImplementationReport.objects.filter(report=report)
                    .values_list("period", flat=True)) == ["2026S1"]

    def test_it_refuses_a_report_of_another_commune(self, world: World, personas: Personas,
                                                     tree: Tree) -> None:
        report = make_report(world.schedule, tree.commune_b, personas.outsider)
        error = refused(implementation_attach, snapshot=attachments,
                        actor=personas.province_officer, plan=world.plan, period="2026S1",
                        report=report)
        assert messages_of(error, "report") == [
            "Báo cáo định kỳ này là của Xã Hòa An, không phải của đơn vị ban hành kế hoạch "
            "(hoặc đơn vị đã tiếp nhận địa bàn của đơn vị đó)."]

    def test_it_refuses_a_report_of_another_province(self, world: World, personas: Personas,
                                                      tree: Tree) -> None:
        other = make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
        report = make_report(world.schedule, tree.commune_c, other)
        error = refused(implementation_attach, snapshot=attachments,
                        actor=personas.officer, plan=world.plan, period="2026S1", report=report)
        assert "Phường Hoàn Kiếm" in messages_of(error, "report")[0]

    def test_it_refuses_a_report_of_another_period(self, world: World, personas: Personas,
                                                    tree: Tree) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer, period="2026S2")
        error = refused(implementation_attach, snapshot=attachments, actor=personas.officer,
                        plan=world.plan, period="2026S1", report=report)
        assert messages_of(error, "report") == [
            "Báo cáo định kỳ này là của kỳ 2026S2, không phải kỳ 2026S1."]

    @pytest.mark.parametrize("status", ["submitted", "approved"])
    def test_it_refuses_a_report_already_sent(self, world: World, personas: Personas,
                                              tree: Tree, status: str) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer, status=status)
        error = refused(implementation_attach, snapshot=attachments, actor=personas.officer,
                        plan=world.plan, period="2026S1", report=report)
        assert messages_of(error, "report") == [
            "Báo cáo định kỳ đã gửi hoặc đã được duyệt: không đính kèm hay gỡ được nữa."]

    def test_it_refuses_a_period_outside_the_plan(self, world: World, personas: Personas,
                                                   tree: Tree) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer, period="2025S1")
        error = refused(implementation_attach, snapshot=attachments, actor=personas.officer,
                        plan=world.plan, period="2025S1", report=report)
        assert "nằm ngoài thời gian của kế hoạch" in messages_of(error, "period")[0]

    def test_it_refuses_to_attach_twice_to_one_report(self, world: World, personas: Personas,
                                                      tree: Tree) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer)
        implementation_attach(actor=personas.officer, plan=world.plan, period="2026S1",
                              report=report)
        error = refused(implementation_attach, snapshot=attachments, actor=personas.officer,
                        plan=world.plan, period="2026S1", report=report)
        assert messages_of(error, "report") == [
            "Báo cáo kết quả thực hiện kế hoạch này đã được đính kèm vào báo cáo định kỳ đó."]

    def test_an_officer_of_another_commune_may_not_attach(self, world: World,
                                                          personas: Personas,
                                                          tree: Tree) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer)
        error = refused(implementation_attach, snapshot=attachments, actor=personas.outsider,
                        plan=world.plan, period="2026S1", report=report)
        assert str(error) == "Đơn vị này ngoài phạm vi của bạn."

    def test_the_attached_content_stays_as_it_was_after_later_progress_edits(
            self, world: World, personas: Personas, tree: Tree, client: Client) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer)
        item = implementation_attach(actor=personas.officer, plan=world.plan, period="2026S1",
                                     report=report)
        frozen = dict(item.content)
        task = world.plan.tasks.get(section="I.1")
        progress = TaskProgress.objects.get(task=task, agency=world.police, period="2026S1")
        progress_report(actor=personas.officer, task=task, agency=world.police, period="2026S1",
                        base_version=progress.version, percent_done=80,
                        done_text="Tổ chức 20 buổi truyền thông.")
        item.refresh_from_db()
        assert item.content == frozen
        login(client, personas.officer)
        page = client.get(reverse("plans:implementation_frozen", args=[item.public_id]))
        assert "Tổ chức 12 buổi truyền thông ở 6 tổ dân phố." in page.content.decode()
        assert "Tổ chức 20 buổi truyền thông." not in page.content.decode()
        live = client.get(reverse("plans:plan_implementation", args=[world.plan.public_id]),
                          {"period": "2026S1"})
        assert "Tổ chức 20 buổi truyền thông." in live.content.decode()

    def test_it_detaches_while_the_report_is_a_draft_and_not_once_sent(
            self, world: World, personas: Personas, tree: Tree) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer)
        item = implementation_attach(actor=personas.officer, plan=world.plan, period="2026S1",
                                     report=report)
        implementation_detach(actor=personas.officer, item=item)
        assert not ImplementationReport.objects.exists()
        assert AuditEvent.objects.filter(object_id=str(item.public_id),
                                         action=Action.DELETE).exists()
        item = implementation_attach(actor=personas.officer, plan=world.plan, period="2026S1",
                                     report=report)
        Report.objects.filter(pk=report.pk).update(status="submitted")
        error = refused(implementation_detach, snapshot=attachments, actor=personas.officer,
                        item=item)
        assert messages_of(error, "report") == [
            "Báo cáo định kỳ đã gửi hoặc đã được duyệt: không đính kèm hay gỡ được nữa."]

    def test_a_plan_of_a_district_dissolved_in_2025_goes_to_its_successors_report(
            self, world: World, personas: Personas, tree: Tree) -> None:
        plan = make_plan(tree.old_district, "Kế hoạch của thành phố Cao Bằng 2024–2026",
                         start_year=2024, end_year=2026)
        make_task(plan, make_agency(tree.old_district, "Phòng LĐTBXH thành phố"), "1",
                  time_frame="yearly")
        # Commune A took over the area of the district's commune Sông Hiến; commune B did not.
        ours = make_report(world.schedule, tree.commune_a, personas.officer, period="2025S2")
        other = make_report(world.schedule, tree.commune_b, personas.outsider, period="2025S2")
        refused(implementation_attach, snapshot=attachments, actor=personas.province_officer,
                plan=plan, period="2025S2", report=other)
        item = implementation_attach(actor=personas.province_officer, plan=plan,
                                     period="2025S2", report=ours)
        assert item.report == ours
        assert implementation.Implementation.from_content(item.content).counts.no_report == 1


class PageTests:
    def test_the_page_shows_the_report_and_offers_the_units_editable_reports(
            self, world: World, personas: Personas, tree: Tree, client: Client) -> None:
        draft = make_report(world.schedule, tree.commune_a, personas.officer)
        make_report(Schedule.objects.create(code="nam", name="Báo cáo năm", period_kind="year"),
                    tree.commune_a, personas.officer, period="2026", status="draft")
        login(client, personas.officer)
        page = client.get(reverse("plans:plan_implementation", args=[world.plan.public_id]),
                          {"period": "2026S1"}).content.decode()
        assert "Tuyên truyền phòng, chống xâm hại trẻ em." in page
        assert "Chưa báo cáo" in page and "quá hạn" in page
        assert "Đính kèm vào báo cáo kỳ 6 tháng đầu năm 2026" in page
        assert f'value="{draft.public_id}"' in page
        assert "Báo cáo năm" not in page  # another period's report
        assert reverse("plans:plan_implementation_pdf", args=[world.plan.public_id]) in page

    def test_a_period_outside_the_plan_is_said_on_the_page(
            self, world: World, personas: Personas, client: Client) -> None:
        login(client, personas.officer)
        response = client.get(reverse("plans:plan_implementation", args=[world.plan.public_id]),
                              {"period": "2030"})
        assert response.status_code == 400
        assert "nằm ngoài thời gian của kế hoạch" in response.content.decode()

    def test_attaching_from_the_page_shows_it_on_the_periodic_reports_page(
            self, world: World, personas: Personas, tree: Tree, client: Client) -> None:
        report = make_report(world.schedule, tree.commune_a, personas.officer)
        login(client, personas.officer)
        response = client.post(reverse("plans:implementation_attach",
                                       args=[world.plan.public_id]),
                               {"period": "2026S1", "report": str(report.public_id)})
        assert response.status_code == 302
        item = ImplementationReport.objects.get()
        page = client.get(reverse("reports:report_detail", args=[report.public_id]))
        assert reverse("plans:implementation_frozen", args=[item.public_id]) in (
            page.content.decode())
        assert "Báo cáo kết quả thực hiện kế hoạch đính kèm" in page.content.decode()

    def test_the_pdf_is_the_report_in_print(self, world: World, personas: Personas,
                                            client: Client) -> None:
        login(client, personas.officer)
        response = client.get(reverse("plans:plan_implementation_pdf",
                                      args=[world.plan.public_id]), {"period": "2026S1"})
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert AuditEvent.objects.filter(action=Action.EXPORT,
                                         object_id=str(world.plan.public_id)).exists()


class ScopeTests:
    @pytest.fixture
    def attached(self, world: World, personas: Personas, tree: Tree) -> ImplementationReport:
        report = make_report(world.schedule, tree.commune_a, personas.officer)
        return implementation_attach(actor=personas.officer, plan=world.plan, period="2026S1",
                                     report=report)

    def urls(self, world: World, item: ImplementationReport) -> list[str]:
        plan = world.plan.public_id
        return [reverse("plans:plan_implementation", args=[plan]) + "?period=2026S1",
                reverse("plans:plan_implementation_pdf", args=[plan]) + "?period=2026S1",
                reverse("plans:implementation_frozen", args=[item.public_id]),
                f"/api/v1/local-plans/{plan}/implementation?period=2026S1"]

    def test_an_officer_of_another_commune_gets_404(
            self, world: World, personas: Personas, attached: ImplementationReport,
            client: Client, tree: Tree) -> None:
        login(client, personas.outsider)
        for url in self.urls(world, attached):
            assert client.get(url).status_code == 404, url
        with_report = make_report(world.schedule, tree.commune_b, personas.outsider,
                                  period="2026S1")
        before = attachments()
        assert client.post(reverse("plans:implementation_attach", args=[world.plan.public_id]),
                           {"period": "2026S1", "report": str(with_report.public_id)}
                           ).status_code == 404
        assert client.post(reverse("plans:implementation_detach", args=[attached.public_id])
                           ).status_code == 404
        assert attachments() == before

    def test_an_officer_of_another_province_gets_404(
            self, world: World, attached: ImplementationReport, client: Client,
            tree: Tree) -> None:
        login(client, make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c))
        for url in self.urls(world, attached):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("plans:implementation_detach", args=[attached.public_id])
                           ).status_code == 404
        assert ImplementationReport.objects.filter(pk=attached.pk).exists()

    def test_the_auditor_reads_but_may_not_attach_or_detach(
            self, world: World, personas: Personas, attached: ImplementationReport,
            client: Client, tree: Tree) -> None:
        login(client, personas.auditor)
        for url in self.urls(world, attached):
            assert client.get(url).status_code == 200, url
        report = make_report(Schedule.objects.create(code="khac", name="Báo cáo khác",
                                                     period_kind="half"),
                             tree.commune_a, personas.officer)
        before = attachments()
        assert client.post(reverse("plans:implementation_attach", args=[world.plan.public_id]),
                           {"period": "2026S1", "report": str(report.public_id)}
                           ).status_code == 403
        assert client.post(reverse("plans:implementation_detach", args=[attached.public_id])
                           ).status_code == 403
        assert attachments() == before


class ApiTests:
    def test_it_gives_the_report_as_json(self, world: World, personas: Personas,
                                         client: Client) -> None:
        login(client, personas.officer)
        body = client.get(f"/api/v1/local-plans/{world.plan.public_id}/implementation",
                          {"period": "2026S1"}).json()
        assert body["period"] == "2026S1"
        assert body["counts"]["tasks"] == 3
        assert body["groups"][0]["tasks"][0]["agencies"][1]["status"] == "no_report"
        assert body["targets"][0]["value"] == "12"

    @pytest.mark.parametrize("period", ["2030", "2026S3"])
    def test_a_bad_period_is_422_at_the_query(self, world: World, personas: Personas,
                                              client: Client, period: str) -> None:
        login(client, personas.officer)
        response = client.get(f"/api/v1/local-plans/{world.plan.public_id}/implementation",
                              {"period": period})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "period"]
