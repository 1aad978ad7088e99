"""The report's way up: drafted by the commune, submitted (values frozen), returned with a
comment, corrected, approved by the province, consolidated from approved reports only; who has
reported and on time; corrections as new versions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.accounts.roles import Role
from treem.cases.tests.test_services import LOCAL
from treem.cases.tests.test_statistics import _case
from treem.indicators.catalogue import load_set
from treem.indicators.models import IndicatorVersion
from treem.registry.tests.factories import make_child, make_circumstance
from treem.reports import selectors, services
from treem.reports.models import Report, ReportValue, Schedule, Status
from treem.reports.rendering import case_tables
from treem.testing import make_user

pytestmark = pytest.mark.django_db

SET = {"set": {"code": "test-set", "name": "Bộ thử"}, "indicators": [
    {"code": "C1", "name": "Số trẻ em", "unit_kind": "count", "source": "computed",
     "spec": {"numerator": {"population": "children"}}},
    {"code": "C2", "name": "Tỷ lệ trẻ em có hoàn cảnh đặc biệt", "unit_kind": "percent",
     "source": "computed",
     "spec": {"numerator": {"population": "children", "where": {"circumstance": ["*"]}},
              "denominator": {"population": "children"}}},
]}


@pytest.fixture
def schedule(tree):
    indicator_set = load_set(SET)
    schedule = Schedule.objects.create(
        code="test", name="Báo cáo 6 tháng", period_kind="half",
        due={"commune": {"S1": "05-15", "S2": "12-15"}, "province": {"S1": "05-30",
                                                                     "S2": "12-30"}})
    schedule.indicator_sets.add(indicator_set)
    a1 = make_child(commune=tree.commune_a, full_name="Trẻ A1")
    make_child(commune=tree.commune_a, full_name="Trẻ A2")
    make_circumstance(child=a1, code="a", start_date=datetime.date(2020, 1, 1))
    make_child(commune=tree.commune_b, full_name="Trẻ B1")
    return schedule


def _value(report: Report, code: str, unit) -> tuple[int, int | None]:
    row = ReportValue.objects.get(report=report, indicator_version__indicator__code=code,
                                  unit=unit, breakdown="")
    return row.numerator, row.denominator


def _submitted(actor, schedule, unit, period="2026S1") -> Report:
    report = services.report_open(actor=actor, schedule=schedule, unit=unit, period=period)
    services.report_write(actor=actor, report=report, results="Đã rà soát toàn bộ trẻ em",
                          difficulties="", proposals="")
    return services.report_submit(actor=actor, report=report)


class ReportFlowTests:
    def test_submitted_values_are_frozen_and_a_return_lets_the_commune_correct(
            self, tree, personas, schedule) -> None:
        report = _submitted(personas.officer, schedule, tree.commune_a)
        assert report.status == Status.SUBMITTED and report.due_on == datetime.date(2026, 5, 15)
        assert _value(report, "C1", tree.commune_a) == (2, None)
        assert _value(report, "C2", tree.commune_a) == (1, 2)
        make_child(commune=tree.commune_a, full_name="Trẻ A3")  # the register changes…
        assert _value(report, "C1", tree.commune_a) == (2, None)  # …the report does not
        with pytest.raises(ValidationError):
            services.report_return(actor=personas.province_officer, report=report, comment=" ")
        services.report_return(actor=personas.province_officer, report=report,
                               comment="Thiếu số liệu trẻ mới chuyển đến")
        resubmitted = services.report_submit(actor=personas.officer, report=report)
        assert _value(resubmitted, "C1", tree.commune_a) == (3, None)
        approved = services.report_approve(actor=personas.province_officer, report=report)
        assert approved.status == Status.APPROVED
        assert [e.to_status for e in approved.events.all()] == [
            "draft", "submitted", "returned", "submitted", "approved"]
        assert approved.events.get(to_status="returned").comment == \
            "Thiếu số liệu trẻ mới chuyển đến"

    def test_the_province_consolidates_approved_reports_in_order(self, tree, personas,
                                                                schedule) -> None:
        a = _submitted(personas.officer, schedule, tree.commune_a)
        services.report_approve(actor=personas.province_officer, report=a)
        b = _submitted(personas.outsider, schedule, tree.commune_b)
        province = services.report_open(actor=personas.province_officer, schedule=schedule,
                                        unit=tree.province, period="2026S1")
        services.report_write(actor=personas.province_officer, report=province,
                              results="Tổng hợp các xã", difficulties="", proposals="")
        with pytest.raises(ValidationError):  # B waits for a decision: decide it first
            services.report_submit(actor=personas.province_officer, report=province)
        services.report_approve(actor=personas.province_officer, report=b)
        services.report_submit(actor=personas.province_officer, report=province)
        assert _value(province, "C1", tree.province) == (3, None)
        assert _value(province, "C2", tree.province) == (1, 3)  # sums, not the mean of rates
        assert _value(province, "C1", tree.commune_b) == (1, None)  # the annex rows
        nation = make_user("nation", role=Role.AREA_OFFICER, unit=tree.nation)
        with pytest.raises(PermissionDenied):  # a unit does not approve its own report
            services.report_approve(actor=personas.province_officer, report=province)
        assert services.report_approve(actor=nation, report=province).status == "approved"

    def test_a_correction_is_a_new_version_and_the_approved_figures_stay_above(
            self, tree, personas, schedule) -> None:
        a = _submitted(personas.officer, schedule, tree.commune_a)
        services.report_approve(actor=personas.province_officer, report=a)
        with pytest.raises(ValidationError):
            services.report_correct(actor=personas.officer, report=a, reason="")
        draft = services.report_correct(actor=personas.officer, report=a,
                                        reason="Sai số trẻ mồ côi")
        assert (draft.version, draft.status, draft.corrects) == (2, Status.DRAFT, a)
        a.refresh_from_db()
        assert a.status == Status.APPROVED and not a.is_latest
        province = services.report_open(actor=personas.province_officer, schedule=schedule,
                                        unit=tree.province, period="2026S1")
        services.report_write(actor=personas.province_officer, report=province,
                              results="Tổng hợp", difficulties="", proposals="")
        services.report_submit(actor=personas.province_officer, report=province)
        assert _value(province, "C1", tree.province) == (2, None)  # v1 of A, B missing


class ReportRulesTests:
    def test_only_the_units_own_officers_write_and_only_the_level_above_decides(
            self, tree, personas, schedule) -> None:
        with pytest.raises(PermissionDenied):
            services.report_open(actor=personas.outsider, schedule=schedule,
                                 unit=tree.commune_a, period="2026S1")
        with pytest.raises(PermissionDenied):  # the province writes its own, not A's
            services.report_open(actor=personas.province_officer, schedule=schedule,
                                 unit=tree.commune_a, period="2026S1")
        report = _submitted(personas.chairman, schedule, tree.commune_a)
        for who in (personas.officer, personas.chairman, personas.outsider):
            with pytest.raises(PermissionDenied):
                services.report_approve(actor=who, report=report)

    @pytest.mark.parametrize(("period", "field"), [
        ("2026", "period"), ("2027S1", "period"), ("2026S3", "period")])
    def test_a_bad_period_is_refused(self, tree, personas, schedule, period, field) -> None:
        with pytest.raises(ValidationError) as raised:
            services.report_open(actor=personas.officer, schedule=schedule,
                                 unit=tree.commune_a, period=period)
        assert field in raised.value.message_dict
        assert not Report.objects.exists()

    def test_one_report_per_unit_and_period_and_no_empty_submission(self, tree, personas,
                                                                    schedule) -> None:
        report = services.report_open(actor=personas.officer, schedule=schedule,
                                      unit=tree.commune_a, period="2026S1")
        with pytest.raises(ValidationError):
            services.report_open(actor=personas.officer, schedule=schedule,
                                 unit=tree.commune_a, period="2026S1")
        with pytest.raises(ValidationError):
            services.report_submit(actor=personas.officer, report=report)  # no results yet
        assert not ReportValue.objects.exists()
        assert not IndicatorVersion.objects.filter(number=2).exists()


class CompletenessTests:
    def test_completeness_counts_received_and_timeliness_counts_on_time_of_expected(
            self, tree, personas, schedule) -> None:
        late = _submitted(personas.officer, schedule, tree.commune_a)  # due 15/5: late
        found = selectors.completeness(schedule=schedule, unit=tree.province, period="2026S1")
        assert [u.name for u in found.expected] == ["Phường Thục Phán", "Xã Hòa An"]
        assert (found.completeness, found.timeliness) == (50.0, 0.0)
        _submitted(personas.outsider, schedule, tree.commune_b)
        found = selectors.completeness(schedule=schedule, unit=tree.province, period="2026S1")
        assert (found.completeness, found.timeliness) == (100.0, 0.0)
        assert late.pk == found.received[tree.commune_a.pk].pk

    def test_the_first_submission_counts_for_timeliness_even_if_returned(
            self, tree, personas, schedule) -> None:
        report = _submitted(personas.officer, schedule, tree.commune_a, period="2026S2")
        services.report_return(actor=personas.province_officer, report=report, comment="Sửa")
        found = selectors.completeness(schedule=schedule, unit=tree.province, period="2026S2")
        # A: received by 15/12 although sent back; B: nothing. 1 of 2 expected, on time.
        assert (found.completeness, found.timeliness) == (50.0, 50.0)
        assert found.late(datetime.date(2026, 12, 16), {tree.commune_a.pk: report.due_on,
                                                       tree.commune_b.pk: report.due_on}) == \
            [tree.commune_b]


class ReminderTests:
    def test_a_unit_is_reminded_until_it_sends_its_report(self, tree, personas,
                                                          schedule) -> None:
        today = datetime.date(2026, 12, 12)  # S2 due 15/12 for the commune: 3 days left
        due = selectors.reports_due(user=personas.officer, today=today)
        assert [(d.unit, d.period.code, d.due_on) for d in due] == [
            (tree.commune_a, "2026S2", datetime.date(2026, 12, 15))]
        assert selectors.reports_due(user=personas.officer,
                                     today=datetime.date(2026, 12, 1)) == []  # not yet
        _submitted(personas.officer, schedule, tree.commune_a, period="2026S2")
        assert selectors.reports_due(user=personas.officer, today=today) == []
        # The province is reminded of its own consolidated report, not of its communes'.
        assert [d.unit for d in selectors.reports_due(
            user=personas.province_officer, today=datetime.date(2026, 12, 28))] == \
            [tree.province]


BIRTHS = {"set": {"code": "sinh", "name": "Bộ thử sinh"}, "indicators": [
    {"code": "B1", "name": "Số trẻ em sinh ra", "unit_kind": "count", "source": "computed",
     "spec": {"numerator": {"population": "births"}}}]}


@pytest.fixture
def nd09(tree):
    """A six-month report counted over the cut-off of Nghị định 09/2019 Điều 12, and births
    on either side of the window's edges."""
    schedule = Schedule.objects.create(
        code="nd09", name="Báo cáo hành chính 6 tháng", period_kind="half", window="nd09",
        due={"commune": {"S1": "06-20", "S2": "12-20"}})
    schedule.indicator_sets.add(load_set(BIRTHS))
    for day in ("2025-12-14", "2025-12-15", "2026-05-10", "2026-06-14", "2026-06-15"):
        make_child(commune=tree.commune_a, full_name=f"Trẻ sinh {day}",
                   birth_date=datetime.date.fromisoformat(day))
    return schedule


def _on(monkeypatch, day: str) -> None:
    monkeypatch.setattr(services.timezone, "localdate", lambda: datetime.date.fromisoformat(day))


class DataWindowTests:
    def test_a_report_sent_after_its_cut_off_counts_15_december_to_14_june(
            self, tree, personas, nd09, monkeypatch) -> None:
        _on(monkeypatch, "2026-06-18")
        report = _submitted(personas.officer, nd09, tree.commune_a)
        assert (report.data_from, report.data_until) == (datetime.date(2025, 12, 15),
                                                         datetime.date(2026, 6, 14))
        assert _value(report, "B1", tree.commune_a) == (3, None)  # 15/12, 10/5, 14/6

    def test_a_report_sent_before_its_cut_off_counts_to_the_day_it_is_sent(
            self, tree, personas, nd09, monkeypatch) -> None:
        _on(monkeypatch, "2026-05-12")
        report = _submitted(personas.officer, nd09, tree.commune_a)
        assert report.data_until == datetime.date(2026, 5, 12)
        assert _value(report, "B1", tree.commune_a) == (2, None)  # 15/12, 10/5

    def test_the_case_tables_are_frozen_with_the_values(self, tree, personas, nd09,
                                                        monkeypatch) -> None:
        _on(monkeypatch, "2026-06-18")
        _case(personas, tree.commune_a, personas.officer, name="Lý Văn Páo", sex="m",
              received=datetime.datetime(2026, 1, 5, 9, tzinfo=LOCAL))
        report = _submitted(personas.officer, nd09, tree.commune_a)
        before = case_tables(report)
        _case(personas, tree.commune_a, personas.officer, name="Lý Thị Mai",  # entered late
              received=datetime.datetime(2026, 2, 5, 9, tzinfo=LOCAL))
        report.refresh_from_db()
        assert case_tables(report) == before
        assert dict(before)["Theo giới tính"] == [("Nam", 1)]
        assert report.case_tables[0][0] == "form"  # kept by key: titles follow the language


@pytest.fixture
def province_plan(tree):
    """A plan of the province (Cao Bằng) that only the province reports on, 2019–2026."""
    return Schedule.objects.create(
        code="ke-hoach-tinh", name="Báo cáo kế hoạch của tỉnh", period_kind="year",
        owner=tree.province, owner_path=tree.province.path, first_year=2019, last_year=2026,
        due={"province": {"Y": "12-10"}, "commune": {"Y": "11-10"}})


class PlanScheduleTests:
    def test_a_plans_schedule_applies_under_its_unit_only(self, tree, personas,
                                                          province_plan) -> None:
        other = make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
        with pytest.raises(ValidationError) as refused:
            services.report_open(actor=other, schedule=province_plan, unit=tree.commune_c,
                                 period="2026")
        assert refused.value.message_dict["schedule"] == [
            "Lịch báo cáo này thuộc kế hoạch của đơn vị khác: không áp dụng cho đơn vị này."]
        report = services.report_open(actor=personas.officer, schedule=province_plan,
                                      unit=tree.commune_a, period="2026")
        assert report.due_on == datetime.date(2026, 11, 10)
        assert list(Schedule.objects.applying_to(tree.commune_c)) == []
        assert list(Schedule.objects.applying_to(tree.commune_a)) == [province_plan]

    def test_the_reminders_name_a_plans_schedule_to_its_units_and_years_only(
            self, tree, personas, province_plan) -> None:
        other = make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
        day = datetime.date(2026, 11, 5)
        assert [(d.schedule, d.unit) for d in selectors.reports_due(
            user=personas.officer, today=day)] == [(province_plan, tree.commune_a)]
        assert selectors.reports_due(user=other, today=day) == []
        province_plan.last_year = 2025
        province_plan.save()
        assert selectors.reports_due(user=personas.officer, today=day) == []
        with pytest.raises(ValidationError) as refused:
            services.report_open(actor=personas.officer, schedule=province_plan,
                                 unit=tree.commune_a, period="2026")
        assert refused.value.message_dict["period"] == [
            "Kế hoạch của lịch báo cáo này không có kỳ báo cáo năm 2026."]

    def test_units_of_a_level_without_a_due_date_are_not_expected(self, tree, personas,
                                                                  province_plan) -> None:
        assert [u.name for u in selectors.completeness(
            schedule=province_plan, unit=tree.province, period="2026").expected] == [
            "Phường Thục Phán", "Xã Hòa An"]
        province_plan.due = {"province": {"Y": "12-10"}}
        province_plan.save()
        assert selectors.completeness(schedule=province_plan, unit=tree.province,
                                      period="2026").expected == []
