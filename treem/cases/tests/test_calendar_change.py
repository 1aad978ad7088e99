"""A change of the calendar moves the due moments of the steps still open that count working
days, in one statement per start day, audited; done, cancelled and clock-hour limits stay."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.cases import calendar_services, services
from treem.cases.models import CalendarDay, Case, CaseDeadline
from treem.cases.tests.test_services import _notify, documents_for
from treem.cases.workdays import LOCAL, end_of
from treem.registry.tests.factories import make_child
from treem.testing import make_user

pytestmark = pytest.mark.django_db
Step = CaseDeadline.Step
BRIDGE = datetime.date(2027, 1, 4)  # a Monday an administrator makes a day off


def moment(month: int, number: int, hour: int, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, number, hour, tzinfo=LOCAL)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.datetime], None]:
    def set_to(at: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: at)
    return set_to


@pytest.fixture
def national(tree):
    return make_user("quantri", role=Role.SYSTEM_ADMIN, unit=tree.nation)


def planning_case(tree, personas, clock, started: datetime.datetime, name: str) -> Case:
    """An urgent case received an hour before `started`, in planning from `started`."""
    clock(started - datetime.timedelta(hours=1))
    child = make_child(commune=tree.commune_a, full_name=name)
    notification = _notify(personas.intake, tree.commune_a, urgent=True,
                           received_at=started - datetime.timedelta(hours=1))
    case = services.case_open(actor=personas.officer, notification=notification, child=child)
    clock(started)
    for move in ("verify", "confirm", "plan"):
        documents_for(case, move)
        services.case_move(actor=personas.officer, case=case, move=move)
    return case


class CalendarChangeTests:
    def test_open_working_day_limits_follow_a_day_added_and_removed(
            self, tree, personas, national, clock) -> None:
        started = moment(12, 29, 10)  # Tuesday: 30, 31/12, (1/1 off), 4/1, 5/1, 6/1
        case = planning_case(tree, personas, clock, started, "Lý Văn Páo")
        plan = case.deadlines.get(step=Step.PLAN)
        emergency = case.deadlines.get(step=Step.EMERGENCY)
        assert plan.due_at == end_of(datetime.date(2027, 1, 6))
        # A plan already submitted keeps its date: done is done.
        other = planning_case(tree, personas, clock, started, "Lò Thị Dung")
        documents_for(other, "submit_plan")
        services.case_move(actor=personas.officer, case=other, move="submit_plan")
        done = other.deadlines.get(step=Step.PLAN)
        approval = other.deadlines.get(step=Step.APPROVAL)  # 30/12, 31/12 (1/1 off)
        assert approval.due_at == end_of(datetime.date(2026, 12, 31))

        clock(moment(12, 30, 8))
        calendar_services.calendar_day_add(actor=national, day=BRIDGE, kind="holiday",
                                           name="Ngày nghỉ hoán đổi", source="Thông báo thử")
        plan.refresh_from_db()
        done.refresh_from_db()
        emergency.refresh_from_db()
        assert plan.due_at == end_of(datetime.date(2027, 1, 7))
        assert done.due_at == end_of(datetime.date(2027, 1, 6))
        assert emergency.due_at == started + datetime.timedelta(hours=11)  # clock hours
        moved = [e for e in AuditEvent.objects.filter(actor=national)
                 if "due_at" in e.changed_fields]
        assert len(moved) == 1 and "1" in moved[0].reason  # how many limits were moved

        row = CalendarDay.objects.get(day=BRIDGE)
        calendar_services.calendar_day_remove(actor=national, row=row, reason="Nhập nhầm")
        plan.refresh_from_db()
        assert plan.due_at == end_of(datetime.date(2027, 1, 6))

    def test_a_day_far_from_every_open_limit_moves_nothing(self, tree, personas, national,
                                                           clock) -> None:
        case = planning_case(tree, personas, clock, moment(12, 29, 10), "Lý Văn Páo")
        before = list(CaseDeadline.objects.order_by("id").values_list("due_at", flat=True))
        calendar_services.calendar_day_add(actor=national, day=datetime.date(2027, 3, 1),
                                           kind="holiday", name="Nghỉ thử")
        assert list(CaseDeadline.objects.order_by("id").values_list(
            "due_at", flat=True)) == before
        assert case.deadlines.get(step=Step.PLAN).due_at == end_of(datetime.date(2027, 1, 6))
