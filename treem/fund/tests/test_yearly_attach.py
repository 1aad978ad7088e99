"""The yearly fund report attached to the province's yearly periodic report: frozen as the
yearly page shows it, only by the fund's manager, only to the yearly report of the fund's own
province (never one dissolved in 2025) for that year while it may still change, once a
report; its pages, and the report's page showing the frozen figures to who reads the report."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.fund import services, yearly_attach
from treem.fund.models import Channel, Fund, YearlyFundReport
from treem.fund.tests.conftest import YEAR, give
from treem.fund.yearly_attach import yearly_attach as attach
from treem.fund.yearly_attach import yearly_detach as detach
from treem.reports.models import Report, Schedule
from treem.testing import Personas, Tree, login, make_user, messages_of, out_of_scope, refused

pytestmark = pytest.mark.django_db

NOT_EDITABLE = "Báo cáo định kỳ đã gửi hoặc đã được duyệt: không đính kèm hay gỡ được nữa."


@pytest.fixture
def yearly_schedule() -> Schedule:
    return Schedule.objects.create(code="test-nam", name="Báo cáo công tác trẻ em năm",
                                   period_kind="year",
                                   due={"commune": {"Y": "11-10"}, "province": {"Y": "11-30"}})


@pytest.fixture
def funded(fund: Fund, manager: Any) -> Fund:
    give(manager, fund, 5_000_000)
    return fund


def make_report(schedule: Schedule, unit: Any, by: Any, *, period: str = str(YEAR),
                status: str = "draft", **fields: Any) -> Report:
    return Report.objects.create(schedule=schedule, unit=unit, unit_path=unit.path,
                                 period=period, status=status,
                                 due_on=datetime.date(int(period[:4]), 11, 30), created_by=by,
                                 **fields)


def snapshot() -> tuple[int, int]:
    return YearlyFundReport.objects.count(), AuditEvent.objects.count()


def mobilised(item: YearlyFundReport) -> int:
    return int(item.content["figures"]["mobilised"]["money"])


class AttachTests:
    def test_it_freezes_the_years_figures_into_the_provinces_yearly_report(
            self, funded: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer)
        item = attach(actor=manager, fund=funded, year=YEAR, report=report)
        assert (item.fund, item.year, item.report, item.attached_by) == (
            funded, YEAR, report, manager)
        assert mobilised(item) == 5_000_000
        assert item.content["figures"]["year"] == YEAR
        assert item.content["earmarks"] == [{"label": "Không chỉ định", "available": 5_000_000,
                                             "allocated": 0, "held": 5_000_000}]
        assert item.content["needs"] == {"listed": 0, "met": 0, "percent": None}
        event = AuditEvent.objects.get(object_id=str(item.public_id))
        assert (event.action, event.actor_username, event.unit) == (
            Action.CREATE, "quy", tree.province)

    def test_a_returned_report_takes_it_too(self, funded: Fund, manager: Any, tree: Tree,
                                            personas: Personas,
                                            yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer,
                             status="returned")
        assert attach(actor=manager, fund=funded, year=YEAR, report=report).report == report

    def test_the_frozen_figures_stay_when_a_receipt_comes_later(
            self, funded: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer)
        item = attach(actor=manager, fund=funded, year=YEAR, report=report)
        frozen = dict(item.content)
        give(manager, funded, 7_000_000)
        item.refresh_from_db()
        assert item.content == frozen and mobilised(item) == 5_000_000

    @pytest.mark.parametrize("status", ["submitted", "approved"])
    def test_it_refuses_a_report_already_sent(self, funded: Fund, manager: Any, tree: Tree,
                                              personas: Personas, yearly_schedule: Schedule,
                                              status: str) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer,
                             status=status)
        error = refused(attach, snapshot=snapshot, actor=manager, fund=funded, year=YEAR,
                        report=report)
        assert messages_of(error, "report") == [NOT_EDITABLE]

    def test_it_refuses_a_version_since_corrected(self, funded: Fund, manager: Any,
                                                  tree: Tree, personas: Personas,
                                                  yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer,
                             is_latest=False)
        error = refused(attach, snapshot=snapshot, actor=manager, fund=funded, year=YEAR,
                        report=report)
        assert messages_of(error, "report") == [NOT_EDITABLE]

    def test_it_refuses_a_report_of_a_commune_of_the_province(
            self, funded: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.commune_a, personas.officer)
        error = refused(attach, snapshot=snapshot, actor=manager, fund=funded, year=YEAR,
                        report=report)
        assert messages_of(error, "report") == [
            "Báo cáo định kỳ này là của Phường Thục Phán, không phải của Tỉnh Cao Bằng, nơi "
            "có quỹ."]

    def test_it_refuses_a_report_of_another_province(self, funded: Fund, manager: Any,
                                                      tree: Tree,
                                                      yearly_schedule: Schedule) -> None:
        other = make_user("province_c", role=Role.AREA_OFFICER, unit=tree.other_province)
        report = make_report(yearly_schedule, tree.other_province, other)
        error = refused(attach, snapshot=snapshot, actor=manager, fund=funded, year=YEAR,
                        report=report)
        assert "Thành phố Hà Nội" in messages_of(error, "report")[0]

    @pytest.mark.parametrize("period", [str(YEAR - 1), f"{YEAR}S2"])
    def test_it_refuses_a_report_of_another_year_or_of_a_half_year(
            self, funded: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule, period: str) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer,
                             period=period)
        error = refused(attach, snapshot=snapshot, actor=manager, fund=funded, year=YEAR,
                        report=report)
        assert messages_of(error, "report") == [
            f"Báo cáo định kỳ này là của kỳ {period}, không phải báo cáo năm {YEAR}."]

    def test_it_refuses_a_year_without_figures(self, funded: Fund, manager: Any, tree: Tree,
                                               personas: Personas,
                                               yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer,
                             period="2099")
        error = refused(attach, snapshot=snapshot, actor=manager, fund=funded, year=2099,
                        report=report)
        assert messages_of(error, "year") == ["Quỹ chưa có số liệu của năm 2099."]

    def test_only_the_funds_manager_attaches(self, funded: Fund, tree: Tree,
                                             personas: Personas,
                                             yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer)
        approver = make_user("lanhdao_quy", role=Role.FUND_APPROVER, unit=tree.province)
        other = make_user("quy_ha_noi", role=Role.FUND_MANAGER, unit=tree.other_province)
        for actor in (personas.province_officer, approver, other):
            error = refused(attach, snapshot=snapshot, actor=actor, fund=funded, year=YEAR,
                            report=report)
            assert out_of_scope(error) == "Quỹ này ngoài phạm vi của bạn."

    def test_a_report_carries_it_once_and_takes_it_again_once_taken_off(
            self, funded: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer)
        first = attach(actor=manager, fund=funded, year=YEAR, report=report)
        error = refused(attach, snapshot=snapshot, actor=manager, fund=funded, year=YEAR,
                        report=report)
        assert "đã có báo cáo năm của quỹ đính kèm" in messages_of(error, "report")[0]
        give(manager, funded, 7_000_000)
        detach(actor=manager, item=first)
        assert AuditEvent.objects.filter(object_id=str(first.public_id),
                                         action=Action.DELETE).exists()
        again = attach(actor=manager, fund=funded, year=YEAR, report=report)
        assert mobilised(again) == 12_000_000

    def test_it_is_not_taken_off_a_report_once_sent(self, funded: Fund, manager: Any,
                                                     tree: Tree, personas: Personas,
                                                     yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer)
        item = attach(actor=manager, fund=funded, year=YEAR, report=report)
        Report.objects.filter(pk=report.pk).update(status="submitted")
        error = refused(detach, snapshot=snapshot, actor=manager, item=item)
        assert messages_of(error, "report") == [NOT_EDITABLE]
        error = refused(detach, snapshot=snapshot, actor=personas.province_officer, item=item)
        assert out_of_scope(error) == "Quỹ này ngoài phạm vi của bạn."


class CandidateTests:
    def test_the_provinces_yearly_reports_of_the_year_that_may_change_are_offered(
            self, funded: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule) -> None:
        draft = make_report(yearly_schedule, tree.province, personas.province_officer)
        half = Schedule.objects.create(code="test-6m", name="Báo cáo 6 tháng",
                                       period_kind="half",
                                       due={"province": {"S1": "05-30", "S2": "11-30"}})
        make_report(half, tree.province, personas.province_officer, period=f"{YEAR}S2")
        make_report(yearly_schedule, tree.province, personas.province_officer,
                    period=str(YEAR - 1))
        make_report(yearly_schedule, tree.commune_a, personas.officer)
        other_schedule = Schedule.objects.create(code="test-nam-2", name="Báo cáo năm khác",
                                                 period_kind="year",
                                                 due={"province": {"Y": "12-10"}})
        sent = make_report(other_schedule, tree.province, personas.province_officer,
                           status="submitted")
        assert yearly_attach.candidate_reports(fund=funded, year=YEAR) == [draft]
        Report.objects.filter(pk=sent.pk).update(status="returned")
        attach(actor=manager, fund=funded, year=YEAR, report=draft)
        assert yearly_attach.candidate_reports(fund=funded, year=YEAR) == [sent]

    def test_a_report_of_a_province_dissolved_in_2025_is_never_offered(
            self, fund: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule) -> None:
        donor = services.donor_create(actor=manager, fund=fund, kind="business",
                                      name="Công ty Non Nước")
        services.receipt_record(actor=manager, fund=fund, donor=donor, amount=3_000_000,
                                received_on=datetime.date(2025, 3, 1), channel=Channel.CASH,
                                receipt_number="BL-2025")
        # Tỉnh Cao Bằng before July 2025 opened its 2025 report; today's province its own.
        former = make_report(yearly_schedule, tree.old_province, personas.province_officer,
                             period="2025")
        today = make_report(yearly_schedule, tree.province, personas.province_officer,
                            period="2025")
        assert yearly_attach.candidate_reports(fund=fund, year=2025) == [today]
        error = refused(attach, snapshot=snapshot, actor=manager, fund=fund, year=2025,
                        report=former)
        assert messages_of(error, "report") == [
            "Báo cáo định kỳ này là của Tỉnh Cao Bằng, đơn vị đã giải thể năm 2025: báo cáo "
            "năm của quỹ chỉ đính kèm vào báo cáo của tỉnh hiện hành."]
        assert mobilised(attach(actor=manager, fund=fund, year=2025, report=today)) == 3_000_000


def page(fund: Fund, year: int = YEAR) -> str:
    return reverse("fund:yearly", args=[fund.public_id, year])


def attach_url(fund: Fund, year: int = YEAR) -> str:
    return reverse("fund:yearly_attach", args=[fund.public_id, year])


class PageTests:
    def test_the_manager_attaches_from_the_yearly_page(
            self, funded: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer)
        client = login(Client(), manager)
        text = client.get(page(funded)).content.decode()
        assert attach_url(funded) in text and str(report.public_id) in text
        response = client.post(attach_url(funded), {"report": str(report.public_id)},
                               follow=True)
        item = YearlyFundReport.objects.get(report=report)
        text = response.content.decode()
        assert "Đã đính kèm báo cáo năm 2026 của quỹ vào Báo cáo công tác trẻ em năm" in text
        assert reverse("fund:yearly_frozen", args=[item.public_id]) in text

    def test_a_refusal_is_said_and_changes_nothing(self, funded: Fund, manager: Any,
                                                   tree: Tree, personas: Personas,
                                                   yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer,
                             status="submitted")
        response = login(Client(), manager).post(attach_url(funded),
                                                 {"report": str(report.public_id)}, follow=True)
        assert NOT_EDITABLE in response.content.decode()
        assert not YearlyFundReport.objects.exists()

    def test_readers_see_no_form_and_may_not_post(self, funded: Fund, tree: Tree,
                                                  personas: Personas,
                                                  yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer)
        client = login(Client(), personas.province_officer)
        assert attach_url(funded) not in client.get(page(funded)).content.decode()
        assert client.post(attach_url(funded),
                           {"report": str(report.public_id)}).status_code == 403
        assert login(Client(), personas.officer).post(
            attach_url(funded), {"report": str(report.public_id)}).status_code == 403
        assert not YearlyFundReport.objects.exists()

    def test_another_provinces_fund_or_report_is_not_found(
            self, funded: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule) -> None:
        other = make_user("province_c", role=Role.AREA_OFFICER, unit=tree.other_province)
        theirs = make_report(yearly_schedule, tree.other_province, other)
        ours = make_report(yearly_schedule, tree.province, personas.province_officer)
        client = login(Client(), manager)
        assert client.post(attach_url(funded), {"report": str(theirs.public_id)}
                           ).status_code == 404
        assert client.post(attach_url(funded), {"report": "not-an-id"}).status_code == 404
        assert client.post(attach_url(funded, 2099),
                           {"report": str(ours.public_id)}).status_code == 404
        manager_c = make_user("quy_ha_noi", role=Role.FUND_MANAGER, unit=tree.other_province)
        assert login(Client(), manager_c).post(
            attach_url(funded), {"report": str(ours.public_id)}).status_code == 404
        assert client.get(attach_url(funded)).status_code == 405
        assert not YearlyFundReport.objects.exists()

    def test_the_frozen_page_and_taking_it_off(self, funded: Fund, manager: Any, tree: Tree,
                                               personas: Personas,
                                               yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer)
        item = attach(actor=manager, fund=funded, year=YEAR, report=report)
        give(manager, funded, 7_000_000)
        frozen = reverse("fund:yearly_frozen", args=[item.public_id])
        detach_url = reverse("fund:yearly_detach", args=[item.public_id])
        text = login(Client(), personas.auditor).get(frozen).content.decode()
        assert "5.000.000" in text and "12.000.000" not in text and detach_url not in text
        assert login(Client(), personas.officer).get(frozen).status_code == 403
        manager_c = make_user("quy_ha_noi", role=Role.FUND_MANAGER, unit=tree.other_province)
        assert login(Client(), manager_c).get(frozen).status_code == 404
        assert login(Client(), manager_c).post(detach_url).status_code == 404
        assert login(Client(), personas.auditor).post(detach_url).status_code == 403
        client = login(Client(), manager)
        assert detach_url in client.get(frozen).content.decode()
        response = client.post(detach_url)
        assert response.status_code == 302 and response["Location"] == page(funded)
        assert not YearlyFundReport.objects.exists()


class ReportPageTests:
    def test_the_reports_page_shows_the_frozen_figures_to_its_readers(
            self, funded: Fund, manager: Any, tree: Tree, personas: Personas,
            yearly_schedule: Schedule) -> None:
        report = make_report(yearly_schedule, tree.province, personas.province_officer)
        item = attach(actor=manager, fund=funded, year=YEAR, report=report)
        give(manager, funded, 7_000_000)
        response = login(Client(), personas.province_officer).get(
            reverse("reports:report_detail", args=[report.public_id]))
        text = response.content.decode()
        assert response.status_code == 200
        assert "Báo cáo năm 2026 của Quỹ bảo trợ trẻ em đính kèm" in text
        assert "5.000.000" in text and "12.000.000" not in text
        assert reverse("fund:yearly_frozen", args=[item.public_id]) in text
