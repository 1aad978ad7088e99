"""The four rules of unusual access over crafted audit events: each fires above its threshold
and stays quiet under it, a second run creates nothing, each alert falls in its province."""

import datetime
import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.geo.models import Unit
from treem.privacy.alerts import selectors
from treem.privacy.alerts.detection import detect
from treem.privacy.models import AccessAlert, AlertStatus, Rule
from treem.testing import Personas, Tree, make_user

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 11, 10)
CHILD = "registry.child"


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=HANOI)


def events(count: int, *, actor: User | None, action: str, unit: Unit,
           moment: datetime.datetime, object_type: str = CHILD, ip: str | None = None,
           username: str = "") -> None:
    """`count` events a minute apart from `moment`."""
    AuditEvent.objects.bulk_create([AuditEvent(
        at=moment + datetime.timedelta(minutes=i), actor=actor,
        actor_username=actor.username if actor else username, unit=unit, unit_path=unit.path,
        action=action, object_type=object_type, object_id=f"obj-{i}", ip=ip)
        for i in range(count)])


def reads(count: int, user: User, unit: Unit, day: datetime.date = DAY, hour: int = 9) -> None:
    events(count, actor=user, action=Action.VIEW, unit=unit, moment=at(day, hour))


@pytest.fixture(autouse=True)
def thresholds(settings: Any) -> None:
    settings.TREEM_ALERT_READS_FLOOR = 10
    settings.TREEM_ALERT_READS_FACTOR = 3
    settings.TREEM_ALERT_READS_DAYS = 28
    settings.TREEM_ALERT_NIGHT_START_HOUR = 22
    settings.TREEM_ALERT_NIGHT_END_HOUR = 6
    settings.TREEM_ALERT_FAILED_SIGN_INS = 20
    settings.TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS = 1


@pytest.fixture
def people(personas: Personas) -> Personas:
    # The roles were held long before the days the events are put on.
    RoleAssignment.objects.update(created_at=datetime.datetime(2025, 1, 1, tzinfo=HANOI))
    return personas


def alerts(rule: str) -> list[AccessAlert]:
    return list(AccessAlert.objects.filter(rule=rule).order_by("id"))


class HeavyReadingTests:
    def test_it_flags_a_day_far_above_the_users_median(self, tree: Tree,
                                                       people: Personas) -> None:
        for back in range(1, 11):
            reads(5, people.officer, tree.commune_a, DAY - datetime.timedelta(days=back))
        reads(16, people.officer, tree.commune_a)
        detect(day=DAY)
        [alert] = alerts(Rule.HEAVY_READING)
        assert (alert.user, alert.count, alert.baseline) == (people.officer, 16, Decimal("5.0"))
        assert alert.unit == tree.commune_a and alert.province_path == tree.province.path
        assert alert.status == AlertStatus.OPEN

    def test_it_stays_quiet_up_to_the_factor(self, tree: Tree, people: Personas) -> None:
        for back in range(1, 11):
            reads(5, people.officer, tree.commune_a, DAY - datetime.timedelta(days=back))
        reads(15, people.officer, tree.commune_a)
        detect(day=DAY)
        assert alerts(Rule.HEAVY_READING) == []

    def test_the_floor_decides_for_a_user_with_no_history(self, tree: Tree,
                                                         people: Personas) -> None:
        reads(9, people.officer, tree.commune_a)
        reads(10, people.chairman, tree.commune_a)
        detect(day=DAY)
        [alert] = alerts(Rule.HEAVY_READING)
        assert alert.user == people.chairman and alert.baseline == 0

    def test_reads_of_other_kinds_and_other_days_do_not_count(self, tree: Tree,
                                                             people: Personas) -> None:
        events(30, actor=people.officer, action=Action.VIEW, unit=tree.commune_a,
               moment=at(DAY, 9), object_type="plans.plan")
        events(30, actor=people.officer, action=Action.UPDATE, unit=tree.commune_a,
               moment=at(DAY, 9))
        reads(30, people.officer, tree.commune_a, DAY + datetime.timedelta(days=1))
        # 16:59 UTC the day before is 23:59 in Hà Nội: the day before, locally.
        events(30, actor=people.officer, action=Action.VIEW, unit=tree.commune_a,
               moment=at(DAY, 0) - datetime.timedelta(minutes=40))
        detect(day=DAY)
        assert alerts(Rule.HEAVY_READING) == []

    def test_case_files_count_as_child_records(self, tree: Tree, people: Personas) -> None:
        events(6, actor=people.officer, action=Action.VIEW, unit=tree.commune_a,
               moment=at(DAY, 9), object_type="cases.case")
        events(6, actor=people.officer, action=Action.VIEW, unit=tree.commune_a,
               moment=at(DAY, 10), object_type="cases.notification")
        detect(day=DAY)
        assert [a.count for a in alerts(Rule.HEAVY_READING)] == [12]


class OutsideAreaTests:
    def test_a_collaborator_reading_a_child_of_another_commune_is_flagged(
            self, tree: Tree, people: Personas) -> None:
        reads(2, people.collaborator, tree.commune_b)
        reads(3, people.collaborator, tree.village_a)
        detect(day=DAY)
        [alert] = alerts(Rule.OUTSIDE_AREA)
        assert (alert.user, alert.count, alert.unit) == (people.collaborator, 2, tree.commune_b)

    def test_reads_inside_the_area_and_on_its_dissolved_predecessor_are_not(
            self, tree: Tree, people: Personas) -> None:
        reads(3, people.officer, tree.village_a)
        reads(3, people.officer, tree.old_commune)  # became part of commune A
        reads(3, people.province_officer, tree.commune_b)
        reads(3, people.province_officer, tree.old_district)  # of the old province
        detect(day=DAY)
        assert alerts(Rule.OUTSIDE_AREA) == []

    def test_an_area_officer_reading_outside_its_subtree_is_flagged_in_that_province(
            self, tree: Tree, people: Personas) -> None:
        reads(4, people.province_officer, tree.commune_c)
        detect(day=DAY)
        [alert] = alerts(Rule.OUTSIDE_AREA)
        assert alert.province_path == tree.other_province.path
        hanoi_auditor = make_user("auditor_hn", role=Role.AUDITOR, unit=tree.other_province)
        assert list(selectors.alert_list(user=hanoi_auditor)) == [alert]
        assert list(selectors.alert_list(user=people.auditor)) == []

    def test_a_read_before_the_role_was_given_or_after_it_was_revoked_is_flagged(
            self, tree: Tree, people: Personas) -> None:
        assignment = RoleAssignment.objects.get(user=people.outsider)
        assignment.revoked_at = at(DAY, 8)
        assignment.save(update_fields=["revoked_at"])
        RoleAssignment.objects.create(user=people.outsider, role=Role.COMMUNE_OFFICER,
                                      unit=tree.commune_a)  # given today, after DAY
        RoleAssignment.objects.filter(user=people.outsider, revoked_at__isnull=True).update(
            created_at=at(DAY, 12))
        reads(1, people.outsider, tree.commune_a, hour=7)   # held commune B only: outside
        reads(1, people.outsider, tree.commune_b, hour=7)   # inside
        reads(1, people.outsider, tree.commune_a, hour=13)  # commune A's by then
        detect(day=DAY)
        [alert] = alerts(Rule.OUTSIDE_AREA)
        assert alert.count == 1 and alert.unit == tree.commune_a

    def test_roles_without_an_area_of_their_own_are_not_watched(self, tree: Tree,
                                                               people: Personas) -> None:
        reads(2, people.auditor, tree.commune_c)
        reads(2, people.intake, tree.commune_c)
        detect(day=DAY)
        assert alerts(Rule.OUTSIDE_AREA) == []


class NightExportTests:
    def test_exports_between_the_night_hours_are_flagged(self, tree: Tree,
                                                         people: Personas) -> None:
        for hour, minute in ((23, 30), (5, 59), (6, 0), (14, 0), (21, 59), (22, 0)):
            events(1, actor=people.officer, action=Action.EXPORT, unit=tree.commune_a,
                   moment=at(DAY, hour, minute), object_type="")
        detect(day=DAY)
        [alert] = alerts(Rule.NIGHT_EXPORT)
        assert alert.count == 3
        assert alert.first_at == at(DAY, 5, 59) and alert.last_at == at(DAY, 23, 30)

    def test_the_hours_are_settings(self, tree: Tree, people: Personas, settings: Any) -> None:
        settings.TREEM_ALERT_NIGHT_START_HOUR, settings.TREEM_ALERT_NIGHT_END_HOUR = 0, 5
        events(1, actor=people.officer, action=Action.EXPORT, unit=tree.commune_a,
               moment=at(DAY, 23, 30), object_type="")
        detect(day=DAY)
        assert alerts(Rule.NIGHT_EXPORT) == []

    def test_an_export_on_a_dissolved_unit_is_seen_by_the_successor_provinces_auditor(
            self, tree: Tree, people: Personas) -> None:
        events(2, actor=people.officer, action=Action.EXPORT, unit=tree.old_commune,
               moment=at(DAY, 1), object_type="")
        detect(day=DAY)
        [alert] = alerts(Rule.NIGHT_EXPORT)
        assert alert.province_path == tree.old_province.path
        assert list(selectors.alert_list(user=people.auditor)) == [alert]
        assert [e.unit for e in selectors.alert_events(user=people.auditor, alert=alert)] == [
            tree.old_commune, tree.old_commune]
        hanoi_auditor = make_user("auditor_hn", role=Role.AUDITOR, unit=tree.other_province)
        assert list(selectors.alert_list(user=hanoi_auditor)) == []


class FailedSignInTests:
    def failures(self, count: int, unit: Unit, *, hour: int = 10, ip: str = "203.0.113.7",
                 spread: int = 1) -> None:
        AuditEvent.objects.bulk_create([AuditEvent(
            at=at(DAY, hour) + datetime.timedelta(minutes=i * spread), actor=None,
            actor_username=f"user{i}", unit=unit, unit_path=unit.path,
            action=Action.LOGIN_FAILED, ip=ip) for i in range(count)])

    def test_many_failures_from_one_address_within_the_window_are_flagged(
            self, tree: Tree, people: Personas) -> None:
        self.failures(14, tree.commune_a)
        self.failures(6, tree.commune_b, hour=10)
        self.failures(25, tree.commune_a, ip="198.51.100.1", spread=10)  # over four hours
        detect(day=DAY)
        [alert] = alerts(Rule.FAILED_SIGN_INS)
        assert (alert.ip, alert.count, alert.user) == ("203.0.113.7", 20, None)
        assert alert.unit == tree.province

    def test_under_the_threshold_nothing_is_flagged(self, tree: Tree, people: Personas) -> None:
        self.failures(19, tree.commune_a)
        detect(day=DAY)
        assert alerts(Rule.FAILED_SIGN_INS) == []

    def test_the_window_is_a_setting(self, tree: Tree, people: Personas,
                                     settings: Any) -> None:
        settings.TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS = 6
        self.failures(25, tree.commune_a, ip="198.51.100.1", spread=10)
        detect(day=DAY)
        assert [a.count for a in alerts(Rule.FAILED_SIGN_INS)] == [25]

    def test_a_burst_over_midnight_is_one_burst(self, tree: Tree, people: Personas,
                                                settings: Any) -> None:
        """12 failures from 23:10 the evening before and 12 from 00:10: under the threshold
        on each day alone, one burst of 24 within two hours; flagged on the day it ends."""
        settings.TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS = 2
        before = DAY - datetime.timedelta(days=1)
        AuditEvent.objects.bulk_create([AuditEvent(
            at=at(day, hour) + datetime.timedelta(minutes=10 + i), actor=None,
            unit=tree.commune_a, unit_path=tree.commune_a.path, action=Action.LOGIN_FAILED,
            ip="192.0.2.9") for day, hour in ((before, 23), (DAY, 0)) for i in range(12)])
        detect(day=before)
        assert alerts(Rule.FAILED_SIGN_INS) == []
        detect(day=DAY)
        [alert] = alerts(Rule.FAILED_SIGN_INS)
        assert (alert.day, alert.count) == (DAY, 24)
        assert selectors.alert_events(user=people.auditor, alert=alert).count() == 24

    def test_an_address_trying_two_provinces_makes_an_alert_in_each(
            self, tree: Tree, people: Personas) -> None:
        self.failures(12, tree.commune_a)
        self.failures(12, tree.commune_c, hour=10)
        detect(day=DAY)
        assert sorted((a.province_path, a.count) for a in alerts(Rule.FAILED_SIGN_INS)) == sorted(
            [(tree.province.path, 12), (tree.other_province.path, 12)])


class IdempotenceTests:
    def world(self, tree: Tree, people: Personas) -> None:
        reads(12, people.officer, tree.commune_a)
        reads(2, people.collaborator, tree.commune_b)
        events(1, actor=people.officer, action=Action.EXPORT, unit=tree.commune_a,
               moment=at(DAY, 23), object_type="")
        FailedSignInTests().failures(20, tree.commune_a)

    def test_running_twice_creates_nothing_twice(self, tree: Tree, people: Personas) -> None:
        self.world(tree, people)
        first = detect(day=DAY)
        rows = list(AccessAlert.objects.order_by("id").values())
        second = detect(day=DAY)
        assert first.created == 4 and second.created == 0
        assert list(AccessAlert.objects.order_by("id").values()) == rows

    def test_a_later_run_updates_the_count_and_keeps_the_decision(
            self, tree: Tree, people: Personas) -> None:
        self.world(tree, people)
        detect(day=DAY)
        alert = AccessAlert.objects.get(rule=Rule.HEAVY_READING)
        AccessAlert.objects.filter(pk=alert.pk).update(status=AlertStatus.ACKNOWLEDGED,
                                                       note="Đợt rà soát")
        reads(5, people.officer, tree.commune_a, hour=15)
        assert detect(day=DAY).created == 0
        alert.refresh_from_db()
        assert (alert.count, alert.status, alert.note) == (17, AlertStatus.ACKNOWLEDGED,
                                                           "Đợt rà soát")

    def test_the_queries_do_not_grow_with_the_events(self, tree: Tree, people: Personas,
                                                     django_assert_max_num_queries: Any) -> None:
        self.world(tree, people)
        reads(200, people.officer, tree.commune_a, hour=11)
        with django_assert_max_num_queries(20):
            detect(day=DAY)

    def test_the_command_runs_the_days_asked(self, tree: Tree, people: Personas) -> None:
        self.world(tree, people)
        out = io.StringIO()
        call_command("privacy_alerts", "--day", DAY.isoformat(), stdout=out)
        call_command("privacy_alerts", "--day", DAY.isoformat(), stdout=out)
        assert "2026-11-10: 4 new alerts" in out.getvalue()
        assert "2026-11-10: 0 new alerts" in out.getvalue()
        assert AccessAlert.objects.count() == 4
