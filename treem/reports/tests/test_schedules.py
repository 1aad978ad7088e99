"""Report schedules as data: their due dates are ASCII "MM-DD" days that exist (a digit of
another script or 31 June is refused when the file is loaded, and nothing is written)."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from treem.reports import services
from treem.reports.loading import load_schedules
from treem.reports.models import Schedule

pytestmark = pytest.mark.django_db


def _file(tmp_path, due: dict) -> Path:
    path = tmp_path / "schedules.json"
    path.write_text(json.dumps({"schedules": [
        {"code": "thu", "name": "Lịch thử", "period_kind": "half", "due": due}]}),
        encoding="utf-8")
    return path


class DueDateTests:
    @pytest.mark.parametrize("day", ["٠٥-١٥", "０５-１５", "5-15", "05/15", "06-31", "13-01",
                                     "05-15\n"])
    def test_a_due_date_that_is_not_an_ascii_day_is_refused(self, tmp_path, day) -> None:
        with pytest.raises(ValidationError) as error:
            load_schedules(_file(tmp_path, {"commune": {"S1": day}}))
        assert "hạn gửi" in " ".join(error.value.messages)
        assert not Schedule.objects.exists()

    def test_a_good_due_date_loads_and_is_read_as_its_day(self, tmp_path, tree) -> None:
        from treem.indicators import periods

        (schedule,) = load_schedules(_file(tmp_path, {"commune": {"S1": "05-15"}}))
        assert services.due_on(schedule, tree.commune_a, periods.parse("2026S1")).isoformat() \
            == "2026-05-15"

    def test_a_stored_due_date_of_another_script_is_not_read_as_a_day(self, tree) -> None:
        from treem.indicators import periods

        schedule = Schedule.objects.create(code="x", name="x", period_kind="half",
                                           due={"commune": {"S1": "٠٥-١٥"}})
        with pytest.raises(ValidationError):
            services.due_on(schedule, tree.commune_a, periods.parse("2026S1"))


class AfterMergerTests:
    """A plan's schedule of a district dissolved on 30 June 2025 goes on with the wards its
    communes became (and the province holding them); the units of today find the reports their
    predecessors sent for the periods before."""

    @pytest.fixture
    def plan(self, tree):
        from treem.geo.tests.merger import make_merger

        merger = make_merger(tree)
        schedule = Schedule.objects.create(
            code="binh-long", name="Báo cáo Chương trình hành động vì trẻ em Bình Long",
            period_kind="half", owner=merger.binh_long, owner_path=merger.binh_long.path,
            due={"commune": {"S1": "06-05", "S2": "12-05"},
                 "district": {"S1": "06-15", "S2": "12-15"}},
            first_year=2022, last_year=2030)
        return merger, schedule

    def test_the_districts_schedule_applies_to_its_wards_not_to_others(self, plan) -> None:
        merger, schedule = plan
        for unit in (merger.phuong_an_loc, merger.phuong_binh_long, merger.dong_nai):
            assert Schedule.objects.applying_to(unit).filter(pk=schedule.pk).exists()
            assert schedule.applies_to(unit)
        for unit in (merger.phuong_tran_bien, merger.xa_bac_son):
            assert not Schedule.objects.applying_to(unit).filter(pk=schedule.pk).exists()
        assert Schedule.objects.applying_to(merger.old_communes["Xã Thanh Phú"]).filter(
            pk=schedule.pk).exists()  # before the merger, as it always did

    def test_a_ward_opens_its_report_and_is_reminded_of_it(self, plan) -> None:
        import datetime

        from treem.accounts.roles import Role
        from treem.reports import selectors
        from treem.testing import make_user

        merger, schedule = plan
        officer = make_user("an_loc", role=Role.COMMUNE_OFFICER, unit=merger.phuong_an_loc)
        report = services.report_open(actor=officer, schedule=schedule,
                                      unit=merger.phuong_an_loc, period="2026S2")
        assert report.due_on == datetime.date(2026, 12, 5)
        due = selectors.reports_due(user=officer, today=datetime.date(2026, 6, 1))
        assert [(d.schedule, d.unit, d.period.code) for d in due] == [
            (schedule, merger.phuong_an_loc, "2026S1")]
        outside = make_user("tran_bien", role=Role.COMMUNE_OFFICER,
                            unit=merger.phuong_tran_bien)
        assert selectors.reports_due(user=outside, today=datetime.date(2026, 6, 1)) == []
        with pytest.raises(ValidationError):
            services.report_open(actor=outside, schedule=schedule,
                                 unit=merger.phuong_tran_bien, period="2026S2")

    def test_the_province_expects_reports_from_the_districts_area_only(self, plan) -> None:
        from treem.indicators import periods
        from treem.reports import selectors

        merger, schedule = plan
        expected = selectors.expected_units(merger.dong_nai, periods.parse("2026S1"), schedule)
        assert expected == [merger.phuong_an_loc, merger.phuong_binh_long]
        # Before the merger the town itself reported to the province under its plan.
        before = selectors.expected_units(merger.dong_nai, periods.parse("2024S2"), schedule)
        assert before == [merger.binh_long]

    def test_a_province_of_today_finds_its_predecessors_reports_of_before(
            self, plan, personas) -> None:
        import datetime

        from django.utils import timezone

        from treem.indicators import periods
        from treem.reports import selectors
        from treem.reports.models import Report, Status

        merger, _schedule = plan
        national = Schedule.objects.create(
            code="6-thang", name="Báo cáo 6 tháng", period_kind="half",
            due={"district": {"S1": "05-25", "S2": "11-20"}})
        sent = Report.objects.create(
            schedule=national, unit=merger.binh_long, unit_path=merger.binh_long.path,
            period="2024S1", due_on=datetime.date(2024, 5, 25), status=Status.APPROVED,
            first_submitted_at=timezone.make_aware(datetime.datetime(2024, 5, 20, 9)),
            created_by=personas.admin)
        expected = selectors.expected_units(merger.dong_nai, periods.parse("2024S1"), national)
        assert {u.name for u in expected} == {"Thị xã Bình Long", "Huyện Hớn Quản",
                                             "Thành phố Biên Hòa"}
        found = selectors.completeness(schedule=national, unit=merger.dong_nai, period="2024S1")
        assert found.received == {merger.binh_long.pk: sent}
        assert found.on_time == {merger.binh_long.pk}
        # After the merger the province's own communes report: no district is expected.
        assert selectors.expected_units(merger.dong_nai, periods.parse("2026S1"),
                                        national) == []
