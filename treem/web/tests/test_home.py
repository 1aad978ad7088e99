"""Each role's home page lists the work waiting for it, most urgent first, and says so plainly
when there is none; never another commune's work; a limit met or cancelled is never overdue;
units dissolved in July 2025 count for the units of today that hold them."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases import selectors, services
from treem.cases.choices import Status
from treem.cases.models import Case, CaseDeadline
from treem.cases.tests.test_services import _notify, documents_for
from treem.indicators.catalogue import load_set
from treem.indicators.dashboard import default_period
from treem.indicators.models import Direction, Indicator, Target
from treem.indicators.tests.factories import load_entered, make_figure
from treem.registry.models import DuplicatePair, ImportJob
from treem.registry.tests.factories import make_child
from treem.reports import services as report_services
from treem.reports.selectors import reporting_period
from treem.reports.tests.test_services import schedule  # noqa: F401 - a fixture
from treem.testing import login, make_user
from treem.web.home import LIMIT

pytestmark = pytest.mark.django_db
Step = CaseDeadline.Step
NOW = timezone.now


def home(user) -> str:
    response = login(Client(), user).get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, anchor: str) -> str:
    """The text of one part of the home page (`<section … id="home-…">`)."""
    found = re.search(rf'<section class="card" id="{anchor}">(.*?)</section>', page, re.S)
    assert found, f"no section {anchor}"
    return found[1]


def open_case(personas, commune, name: str, *, urgent: bool = False,
              hours_ago: float = 1) -> Case:
    """A case the officer of commune A opened on a notification the hotline recorded."""
    child = make_child(commune=commune, full_name=name)
    notification = _notify(personas.intake, commune, urgent=urgent,
                           received_at=NOW() - datetime.timedelta(hours=hours_ago))
    return services.case_open(actor=personas.officer, notification=notification, child=child)


@pytest.fixture
def people(tree, personas):
    personas.chairman_b = make_user("chairman_b", role="commune_leader", unit=tree.commune_b)
    return personas


def take(case: Case, *moves: str, officer, chairman) -> None:
    for move in moves:
        documents_for(case, move)
        actor = chairman if move in ("approve_plan", "return_plan", "close", "new_plan") \
            else officer
        services.case_move(actor=actor, case=case, move=move)


class CommuneOfficerHomeTests:
    def test_a_home_without_work_says_so_plainly(self, people) -> None:
        page = home(people.officer)
        assert "Không có thông báo mới." in section(page, "home-notifications")
        assert "Không có bước nào quá hạn." in section(page, "home-overdue")
        assert "Không có hồ sơ nào đang xử lý." in section(page, "home-cases")
        assert "Không có danh sách nào chờ nhập." in section(page, "home-imports")
        assert "Không có hồ sơ trùng chờ xem xét." in section(page, "home-duplicates")

    def test_urgent_notifications_come_first_with_the_time_left_on_their_12_hours(
            self, tree, people) -> None:
        quiet = _notify(people.intake, tree.commune_a, received_at=NOW()
                        - datetime.timedelta(hours=30), child_description="Bé gái tên Mai")
        fresh = _notify(people.intake, tree.commune_a, urgent=True,
                        received_at=NOW() - datetime.timedelta(hours=2),
                        child_description="Bé trai tên Páo")
        late = _notify(people.intake, tree.commune_a, urgent=True,
                       received_at=NOW() - datetime.timedelta(hours=13, minutes=5),
                       child_description="Bé trai tên Dũng")
        part = section(home(people.officer), "home-notifications")
        # The one past its 12 hours first, then the least time left, then the others.
        assert part.index("Dũng") < part.index("Páo") < part.index("Mai")
        assert re.search(r'class="danger">quá hạn 1 giờ 0[45] phút', part)
        assert re.search(r"còn (9 giờ 5[89]|10 giờ 00) phút", part)
        for notification in (quiet, fresh, late):
            assert reverse("cases:notification_detail", args=[notification.public_id]) in part
        assert '<span class="badge">3</span>' in part

    def test_cases_come_by_their_next_deadline_and_overdue_steps_are_listed(
            self, tree, people) -> None:
        later = open_case(people, tree.commune_a, "Hoàng Văn Sơn")
        take(later, "verify", "confirm", "plan", officer=people.officer,
             chairman=people.chairman)  # 5 working days to build the plan
        late = open_case(people, tree.commune_a, "Lý Thị Hoa", urgent=True, hours_ago=13)
        page = home(people.officer)
        cases = section(page, "home-cases")
        assert cases.index("Lý Thị Hoa") < cases.index("Hoàng Văn Sơn")
        overdue = section(page, "home-overdue")
        assert "Lý Thị Hoa" in overdue and "Hoàng Văn Sơn" not in overdue
        assert reverse("cases:case_detail", args=[late.public_id]) in overdue

    def test_duplicates_and_checked_imports_wait_on_the_home(self, tree, people) -> None:
        one = make_child(commune=tree.commune_a, full_name="Nông Thị Lan")
        two = make_child(commune=tree.commune_a, full_name="Nông Thi Lan")
        pair = DuplicatePair.objects.create(child_a=one, child_b=two, province_code="04",
                                            score=8.0, found_at=NOW())
        job = ImportJob.objects.create(created_by=people.officer, commune=tree.commune_a,
                                       unit_path=tree.commune_a.path, province_code="04",
                                       status=ImportJob.Status.VALIDATED, valid_rows=40,
                                       error_rows=2, validated_at=NOW())
        ImportJob.objects.create(created_by=people.officer, commune=tree.commune_a,
                                 unit_path=tree.commune_a.path, province_code="04",
                                 status=ImportJob.Status.DONE, committed_at=NOW())
        page = home(people.officer)
        assert reverse("registry:duplicate_detail", args=[pair.public_id]) in section(
            page, "home-duplicates")
        imports = section(page, "home-imports")
        assert reverse("registry:import_detail", args=[job.public_id]) in imports
        assert "40 dòng hợp lệ, 2 dòng lỗi" in imports
        assert imports.count("<li>") == 1  # the committed one waits for nothing
        outsider = home(people.outsider)
        assert str(pair.public_id) not in outsider and str(job.public_id) not in outsider

    def test_the_home_reads_as_many_queries_for_one_item_as_for_many(self, tree,
                                                                     people) -> None:
        def queries() -> int:
            client = login(Client(), people.officer)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("web:home")).status_code == 200
            return len(captured)

        # Fewer rows than a list shows (LIMIT), so that no list needs its COUNT either time.
        open_case(people, tree.commune_a, "Trẻ 0", urgent=True, hours_ago=13)
        _notify(people.intake, tree.commune_a, urgent=True, received_at=NOW())
        one = queries()
        for n in range(1, LIMIT - 1):
            open_case(people, tree.commune_a, f"Trẻ {n}", urgent=True, hours_ago=13)
            _notify(people.intake, tree.commune_a, urgent=True, received_at=NOW())
        assert queries() == one


class FinishedStepsTests:
    """Every overdue count and list of the home pages reads running limits only: a limit met
    (late or not) or cancelled with its case is never overdue and is no next deadline."""

    def test_met_and_cancelled_limits_are_overdue_nowhere(self, tree, people) -> None:
        now = NOW()
        past = now - datetime.timedelta(hours=3)
        running = open_case(people, tree.commune_a, "Đang chạy")
        finished = open_case(people, tree.commune_a, "Đã xong")
        CaseDeadline.objects.all().delete()
        overdue = CaseDeadline.objects.create(case=running, step=Step.PLAN, due_at=past,
                                              started_at=past)
        for case in (running, finished):
            CaseDeadline.objects.create(case=case, step=Step.EMERGENCY, due_at=past,
                                        started_at=past, met_at=now)  # done late
            CaseDeadline.objects.create(case=case, step=Step.APPROVAL, due_at=past,
                                        started_at=past, cancelled_at=now)
        CaseDeadline.objects.create(case=finished, step=Step.SEPARATION_END, due_at=past,
                                    started_at=past, met_at=past)
        officer, chairman = people.officer, people.chairman
        assert list(selectors.overdue_steps(user=officer, now=now)) == [overdue]
        next_due = {c.pk: c.next_due  # type: ignore[attr-defined]  # an annotation
                    for c in selectors.cases_by_next_deadline(user=officer)}
        assert next_due == {running.pk: past, finished.pk: None}
        assert list(selectors.emergencies_for_decision(user=chairman)) == []
        assert [(row["commune"], row["overdue"]) for row in selectors.overdue_counts(
            user=people.province_officer, now=now)] == [("Phường Thục Phán", 1)]
        page = home(officer)
        assert '<span class="badge">1</span>' in section(page, "home-overdue")
        assert "Đã xong" not in section(page, "home-overdue")
        province = section(home(people.province_officer), "home-overdue-by-commune")
        assert "<td>Phường Thục Phán</td><td>1</td>" in province

    def test_a_met_emergency_leaves_the_notification_without_a_clock(self, tree,
                                                                     people) -> None:
        notification = _notify(people.intake, tree.commune_a, urgent=True,
                               received_at=NOW() - datetime.timedelta(hours=13))
        CaseDeadline.objects.filter(notification=notification).update(met_at=NOW())
        found = selectors.notifications_waiting(user=people.officer).get()
        assert found.emergency_due is None  # type: ignore[attr-defined]  # an annotation
        assert "quá hạn" not in section(home(people.officer), "home-notifications")


class ChairmanHomeTests:
    def test_plans_and_emergencies_wait_for_the_chairman(self, tree, people) -> None:
        plan = open_case(people, tree.commune_a, "Triệu Văn Minh")
        take(plan, "verify", "confirm", "plan", "submit_plan", officer=people.officer,
             chairman=people.chairman)
        danger = open_case(people, tree.commune_a, "Đàm Thị Thu", urgent=True, hours_ago=3)
        page = home(people.chairman)
        approvals = section(page, "home-approvals")
        assert reverse("cases:case_detail", args=[plan.public_id]) in approvals
        assert "Chờ phê duyệt kế hoạch" in approvals
        emergencies = section(page, "home-emergencies")
        assert reverse("cases:case_detail", args=[danger.public_id]) in emergencies
        assert re.search(r"còn 8 giờ 5[89] phút|còn 9 giờ 00 phút", emergencies)
        other = home(people.chairman_b)
        assert "Không có kế hoạch nào chờ phê duyệt." in section(other, "home-approvals")
        assert "Không có quyết định khẩn cấp nào đang chờ." in section(other,
                                                                        "home-emergencies")
        assert str(plan.public_id) not in other and str(danger.public_id) not in other

    def test_an_approved_plan_leaves_the_list(self, tree, people) -> None:
        case = open_case(people, tree.commune_a, "Triệu Văn Minh")
        take(case, "verify", "confirm", "plan", "submit_plan", "approve_plan",
             officer=people.officer, chairman=people.chairman)
        assert "Không có kế hoạch nào chờ phê duyệt." in section(home(people.chairman),
                                                                 "home-approvals")

    def test_a_plan_of_a_commune_dissolved_in_2025_waits_for_the_chairman_of_today(
            self, tree, people) -> None:
        child = make_child(commune=tree.old_commune, full_name="Hoàng Văn Nam")
        case = Case.objects.create(
            child=child, commune=tree.old_commune, unit_path=tree.old_commune.path,
            province_code="04", status=Status.AWAITING_APPROVAL,
            received_at=datetime.datetime(2025, 6, 20, 9, tzinfo=datetime.UTC),
            created_by=people.officer)
        assert reverse("cases:case_detail", args=[case.public_id]) in section(
            home(people.chairman), "home-approvals")
        assert str(case.public_id) not in home(people.chairman_b)


class IntakeHomeTests:
    def test_the_operator_sees_whether_the_commune_received_its_notifications(
            self, tree, people) -> None:
        notification = _notify(people.intake, tree.commune_a, urgent=True,
                               received_at=NOW() - datetime.timedelta(minutes=20))
        newcomer = make_user("intake2", role="intake_operator", unit=tree.nation)
        assert "Bạn chưa tiếp nhận thông báo nào." in section(home(newcomer), "home-recorded")
        assert "xã chưa xem" in section(home(people.intake), "home-recorded")
        login(Client(), people.officer).get(
            reverse("cases:notification_detail", args=[notification.public_id]))
        assert "xã đã xem lúc" in section(home(people.intake), "home-recorded")
        services.case_open(actor=people.officer, notification=notification,
                           child=make_child(commune=tree.commune_a, full_name="Lò Văn Tú"))
        recorded = section(home(people.intake), "home-recorded")
        assert "xã đã mở hồ sơ" in recorded and "Lò Văn Tú" not in recorded


class SectorHomeTests:
    def test_the_focal_point_sees_the_figures_of_its_sector_not_yet_entered(
            self, tree, people) -> None:
        versions = load_entered()
        period = default_period("half")
        page = section(home(people.sector_focal), "home-figures-due")
        # CA1 in both communes of today, CA2 in them and the province; never health's YT1,
        # never another province's commune, never a commune dissolved in 2025.
        assert page.count("CA1 —") == 2 and page.count("CA2 —") == 3
        assert "YT1" not in page and "Hoàn Kiếm" not in page and "Sông Hiến" not in page
        make_figure(version=versions["CA1"], unit=tree.commune_a, period=period.code,
                    numerator=2, by=people.sector_focal)
        page = section(home(people.sector_focal), "home-figures-due")
        assert page.count("CA1 —") == 1 and "<td>Xã Hòa An</td>" in page
        assert f"period={period.code}" in page

    def test_the_figures_due_take_as_many_queries_for_many_indicators_as_for_two(
            self, people) -> None:
        from treem.indicators.selectors import figures_due

        load_entered()

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                figures_due(user=people.sector_focal)
            return len(captured)

        queries()  # the user's scope is read once, and kept on it
        two = queries()
        load_set({"set": {"code": "them", "name": "Thêm"}, "indicators": [
            {"code": f"CA{n}", "name": f"Chỉ tiêu công an {n}", "unit_kind": "count",
             "source": "entered", "agency": "police", "period_kind": "half"}
            for n in range(3, 8)]})
        assert figures_due(user=people.sector_focal).total > 7
        assert queries() == two

    def test_nothing_to_enter_says_so(self, people) -> None:
        assert "Không có số liệu nào cần nhập." in section(home(people.sector_focal),
                                                           "home-figures-due")


class ProvinceHomeTests:
    def test_reports_to_approve_completeness_and_key_indicators(
            self, tree, people, schedule) -> None:  # noqa: F811
        period = reporting_period(schedule, timezone.localdate())
        report = report_services.report_open(actor=people.officer, schedule=schedule,
                                             unit=tree.commune_a, period=period.code)
        report_services.report_write(actor=people.officer, report=report, results="Đã rà soát",
                                     difficulties="", proposals="")
        report_services.report_submit(actor=people.officer, report=report)
        c1 = schedule.indicator_sets.get().indicators.get(code="C1")
        Target.objects.create(indicator=c1, unit=tree.province, year=timezone.localdate().year,
                              value=2, direction=Direction.AT_LEAST)
        page = home(people.province_officer)
        assert reverse("reports:report_detail", args=[report.public_id]) in section(
            page, "home-reviews")
        board = section(page, "home-completeness")
        assert "1/2" in board and "50%" in board
        key = section(page, "home-key-indicators")
        assert "Tỉnh Cao Bằng" in key and "C1 — Số trẻ em" in key
        hanoi = make_user("province_hn", role="area_officer", unit=tree.other_province)
        other = home(hanoi)
        assert "Không có báo cáo nào chờ duyệt." in section(other, "home-reviews")
        assert str(report.public_id) not in other

    def test_a_province_without_work_says_so(self, people) -> None:
        page = home(people.province_officer)
        assert "Không có báo cáo nào chờ duyệt." in section(page, "home-reviews")
        assert "Không có hồ sơ nào quá hạn." in section(page, "home-overdue-by-commune")
        assert "Chưa có chỉ tiêu nào được giao mục tiêu" in section(page,
                                                                    "home-key-indicators")

    def test_a_target_of_the_dissolved_province_is_judged_on_the_province_of_today(
            self, tree, people) -> None:
        load_set({"set": {"code": "kh", "name": "Kế hoạch thử"}, "indicators": [
            {"code": "K1", "name": "Số trẻ em", "unit_kind": "count", "source": "computed",
             "spec": {"numerator": {"population": "children"}}}]})
        make_child(commune=tree.commune_a, full_name="Trẻ em 1")
        indicator = Indicator.objects.get(code="K1")
        Target.objects.create(indicator=indicator, unit=tree.old_province, year=2025, value=5,
                              direction=Direction.AT_LEAST)
        key = section(home(people.province_officer), "home-key-indicators")
        assert "K1 — Số trẻ em" in key


class AuditorHomeTests:
    def test_recent_exports_and_reads_of_the_auditors_area(self, tree, people) -> None:
        case = open_case(people, tree.commune_a, "Nguyễn Văn Bình")
        event_record(actor=people.officer, action=Action.EXPORT, unit=tree.commune_a,
                     fields=["rows=12"])
        event_record(actor=people.officer, action=Action.VIEW, obj=case, unit=tree.commune_a)
        event_record(actor=people.outsider, action=Action.EXPORT, unit=tree.commune_c)
        page = home(people.auditor)
        exports = section(page, "home-exports")
        assert "officer_a" in exports and "Phường Hoàn Kiếm" not in exports
        reads = section(page, "home-reads")
        assert "officer_a" in reads and str(case.public_id) in reads
        hanoi = make_user("auditor_hn", role="auditor", unit=tree.other_province)
        other = home(hanoi)
        assert "Chưa có lượt xem hồ sơ nhạy cảm nào." in section(other, "home-reads")
        assert "officer_a" not in section(other, "home-exports")


class PrivacyHomeTests:
    def test_open_access_alerts_wait_for_the_provinces_auditor_only(self, tree,
                                                                   people) -> None:
        from treem.privacy.tests.alerts_world import make_alert

        assert 'id="home-alerts"' not in home(people.auditor)  # nothing: no section
        make_alert(user=people.officer, unit=tree.commune_a)
        hanoi_officer = make_user("officer_hn", role="commune_officer", unit=tree.commune_c)
        make_alert(user=hanoi_officer, unit=tree.commune_c)
        alerts = section(home(people.auditor), "home-alerts")
        assert "officer_a" in alerts and "officer_hn" not in alerts
        hanoi = make_user("auditor_hn2", role="auditor", unit=tree.other_province)
        assert "officer_a" not in section(home(hanoi), "home-alerts")
        assert 'id="home-alerts"' not in home(people.officer)

    def test_a_request_past_its_legal_deadline_waits_for_who_answers_it(self, tree,
                                                                      people) -> None:
        from treem.privacy.models import SubjectRequest
        from treem.privacy.tests.world import receive

        child = make_child(commune=tree.commune_a, full_name="Lò Văn Quá Hạn")
        request = receive(people, child)
        assert 'id="home-overdue-requests"' not in home(people.officer)
        SubjectRequest.objects.filter(pk=request.pk).update(
            due_on=timezone.localdate() - datetime.timedelta(days=1))
        overdue = section(home(people.officer), "home-overdue-requests")
        assert str(request.public_id) in overdue and "Lò Văn Quá Hạn" not in overdue
        assert 'id="home-overdue-requests"' not in home(people.outsider)


class ScopeTests:
    def test_an_officer_of_commune_b_never_sees_commune_a_on_its_home(self, tree,
                                                                      people) -> None:
        case = open_case(people, tree.commune_a, "Hà Thị Ngọc", urgent=True, hours_ago=13)
        notification = _notify(people.intake, tree.commune_a, urgent=True,
                               child_description="Bé gái tên Xuân")
        page = home(people.outsider)
        for secret in ("Hà Thị Ngọc", "Xuân", str(case.public_id),
                       str(notification.public_id), "Phường Thục Phán"):
            assert secret not in page.split("Vai trò và đơn vị của bạn")[0], secret
