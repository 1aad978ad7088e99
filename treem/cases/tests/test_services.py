"""Intake, opening a case, and every move of the process: allowed, refused, and its deadlines."""

import datetime
from itertools import product

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from treem.audit.models import AuditEvent
from treem.cases import services
from treem.cases.choices import AbuseForm, Channel, CloseReason, Place, Status
from treem.cases.models import (
    Assessment,
    Case,
    CaseAbuse,
    CaseDeadline,
    CaseEvent,
    Notification,
    Plan,
    PlanItem,
)
from treem.cases.workdays import LOCAL, WorkCalendar
from treem.cases.workflow import MOVES, moves_from
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree, make_user

pytestmark = pytest.mark.django_db

RECEIVED = datetime.datetime(2026, 3, 6, 16, 0, tzinfo=LOCAL)  # a Friday afternoon


def _notify(actor, commune, **overrides):
    values = {"channel": Channel.HOTLINE, "received_at": RECEIVED, "place": Place.FAMILY,
              "description": "Hàng xóm thấy trẻ bị đánh nhiều lần.",
              "forms": [AbuseForm.VIOLENCE], "reporter_name": "Người báo tin",
              "reporter_phone": "0912345678", "child_description": "Bé trai khoảng 8 tuổi"}
    return services.notification_record(actor=actor, commune=commune, **{**values, **overrides})


def documents_for(case: Case, move: str) -> None:
    """Put on file what `move` rests on (an assessment, a plan), as the officer would have."""
    today = timezone.localdate()
    kind = {"confirm": "initial", "not_confirmed": "initial", "plan": "detailed",
            "close": "review", "new_plan": "review"}.get(move)
    if kind:
        conclusion = {"close": "safe", "new_plan": "at_risk"}.get(move, "at_risk")
        Assessment.objects.create(case=case, kind=kind, done_on=today, conclusion=conclusion,
                                  done_by=case.created_by)
    if move == "submit_plan" and not case.plans.filter(submitted_at__isnull=True).exists():
        plan = Plan.objects.create(case=case, goal="Bảo đảm an toàn", created_by=case.created_by)
        PlanItem.objects.create(plan=plan, task="Tư vấn tâm lý", starts_on=today,
                                ends_on=today, responsible="Trạm y tế")


def _counts() -> tuple[int, ...]:
    return (Notification.objects.count(), Case.objects.count(), CaseEvent.objects.count(),
            AuditEvent.objects.count())


@pytest.fixture
def child(tree: Tree):
    return make_child(commune=tree.commune_a, full_name="Lý Văn Páo")


@pytest.fixture
def case(tree: Tree, personas: Personas, child) -> Case:
    notification = _notify(personas.intake, tree.commune_a, urgent=True)
    return services.case_open(actor=personas.officer, notification=notification, child=child)


class NotificationTests:
    def test_the_hotline_records_a_report_for_any_commune(self, tree, personas) -> None:
        notification = _notify(personas.intake, tree.commune_a)
        assert notification.unit_path == tree.commune_a.path
        assert notification.forms == [AbuseForm.VIOLENCE]
        assert AuditEvent.objects.filter(object_id=str(notification.public_id)).exists()

    def test_a_commune_records_only_its_own_reports(self, tree, personas) -> None:
        _notify(personas.officer, tree.commune_a, channel=Channel.VISIT)
        before = _counts()
        with pytest.raises(PermissionDenied):
            _notify(personas.officer, tree.commune_b)
        with pytest.raises(PermissionDenied):
            _notify(personas.province_officer, tree.commune_a)
        assert _counts() == before

    @pytest.mark.parametrize(("overrides", "field"), [
        ({"received_at": timezone.now() + datetime.timedelta(hours=1)}, "received_at"),
        ({"forms": []}, "forms"),
        ({"forms": ["beating"]}, "forms"),
        ({"description": "  "}, "description"),
        ({"reporter_anonymous": True}, "reporter_anonymous"),
    ])
    def test_bad_input_is_refused_and_writes_nothing(self, tree, personas, overrides,
                                                     field) -> None:
        before = _counts()
        with pytest.raises(ValidationError) as error:
            _notify(personas.intake, tree.commune_a, **overrides)
        assert field in error.value.message_dict
        assert _counts() == before

    def test_an_anonymous_report_keeps_no_identity(self, tree, personas) -> None:
        notification = _notify(personas.intake, tree.commune_a, reporter_anonymous=True,
                               reporter_name="", reporter_phone="")
        assert (notification.reporter_name, notification.reporter_phone) == ("", "")


class OpeningTests:
    def test_opening_links_the_child_sets_the_deadlines_and_the_first_worker(
            self, case, personas) -> None:
        assert case.status == Status.RECEIVED and list(case.workers.all()) == [personas.officer]
        assert list(CaseAbuse.objects.filter(case=case).values_list("form", flat=True)) == [
            AbuseForm.VIOLENCE]
        # A child in danger: 12 hours on the clock from receipt, nights and weekends included.
        due = {d.step: d.due_at for d in CaseDeadline.objects.filter(case=case)}
        assert due == {CaseDeadline.Step.EMERGENCY: RECEIVED + datetime.timedelta(hours=12)}
        assert case.notifications.get().child == case.child

    def test_no_emergency_deadline_when_the_child_is_not_in_danger(self, tree, personas,
                                                                   child) -> None:
        case = services.case_open(actor=personas.officer, child=child,
                                  notification=_notify(personas.intake, tree.commune_a))
        assert not case.deadlines.exists()

    def test_sexual_abuse_marks_the_case_extra_sensitive(self, tree, personas, child) -> None:
        notification = _notify(personas.intake, tree.commune_a,
                               forms=[AbuseForm.SEXUAL_ABUSE, AbuseForm.VIOLENCE])
        case = services.case_open(actor=personas.officer, notification=notification,
                                  child=child)
        assert case.sexual_abuse and case.abuses.count() == 2

    def test_only_the_commune_where_it_happened_opens_it_once(self, tree, personas,
                                                              child) -> None:
        notification = _notify(personas.intake, tree.commune_a)
        for user in (personas.outsider, personas.intake, personas.chairman):
            with pytest.raises(PermissionDenied):
                services.case_open(actor=user, notification=notification, child=child)
        other = make_child(commune=tree.commune_b, full_name="Vi Thị Nga")
        with pytest.raises(ValidationError):
            services.case_open(actor=personas.officer, notification=notification, child=other)
        services.case_open(actor=personas.officer, notification=notification, child=child)
        with pytest.raises(ValidationError):
            services.case_open(actor=personas.officer, notification=notification, child=child)
        assert Case.objects.count() == 1


# Every (move, status) pair: allowed exactly when the workflow lists the status as a source.
PAIRS = list(product(MOVES, [s.value for s in Status]))


def _put(case: Case, status: str) -> Case:
    closed = status == Status.CLOSED
    Case.objects.filter(pk=case.pk).update(
        status=status, closed_at=timezone.now() if closed else None,
        close_reason=CloseReason.SAFE if closed else "")
    case.refresh_from_db()
    return case


class MoveTests:
    @pytest.mark.parametrize(("move", "status"), PAIRS, ids=[f"{m}-from-{s}" for m, s in PAIRS])
    def test_each_move_is_allowed_only_from_its_steps(self, case, personas, move,
                                                      status) -> None:
        _put(case, status)
        step = MOVES[move]
        actor = (personas.chairman if move in ("approve_plan", "return_plan", "new_plan", "close")
                 else personas.officer)
        reason = sorted(step.close_reasons)[0] if step.close_reasons else ""
        if status in step.sources:
            documents_for(case, move)
            moved = services.case_move(actor=actor, case=case, move=move, close_reason=reason)
            assert moved.status == step.target
            assert moved.events.values_list("to_status", flat=True).last() == step.target
            assert (moved.closed_at is not None) is (step.target == Status.CLOSED)
        else:
            events = CaseEvent.objects.count()
            with pytest.raises(ValidationError):
                services.case_move(actor=actor, case=case, move=move, close_reason=reason)
            case.refresh_from_db()
            assert case.status == status and CaseEvent.objects.count() == events

    def test_the_whole_process_and_its_deadlines(self, case, personas) -> None:
        officer, chairman = personas.officer, personas.chairman
        for move, actor in (("verify", officer), ("confirm", officer), ("plan", officer),
                            ("submit_plan", officer), ("return_plan", chairman),
                            ("submit_plan", officer), ("approve_plan", chairman),
                            ("review", officer), ("new_plan", chairman),
                            ("submit_plan", officer), ("approve_plan", chairman),
                            ("review", officer), ("close", chairman)):
            documents_for(case, move)
            services.case_move(actor=actor, case=case, move=move)
        case.refresh_from_db()
        assert (case.status, case.close_reason) == (Status.CLOSED, CloseReason.SAFE)
        assert case.abuses.get().confirmed
        # A plan limit for each plan (the first, the one after the review), an approval limit
        # for each submission; all met. The emergency limit is met by emergency measures only.
        steps = list(case.deadlines.exclude(step=CaseDeadline.Step.EMERGENCY)
                     .values_list("step", flat=True).order_by("id"))
        assert steps == ["plan", "approval", "approval", "plan", "approval"]
        assert not case.deadlines.filter(met_at__isnull=True).exclude(
            step=CaseDeadline.Step.EMERGENCY).exists()
        assert case.deadlines.get(step=CaseDeadline.Step.EMERGENCY).met_at is None
        assert [e.to_status for e in case.events.all()][:3] == [
            Status.RECEIVED, Status.VERIFYING, Status.ASSESSING]
        services.case_move(actor=officer, case=case, move="reopen")
        case.refresh_from_db()
        assert case.status == Status.VERIFYING and case.closed_at is None

    def test_a_report_verification_does_not_confirm_is_closed_as_such(self, case,
                                                                      personas) -> None:
        services.case_move(actor=personas.officer, case=case, move="verify")
        documents_for(case, "not_confirmed")
        services.case_move(actor=personas.officer, case=case, move="not_confirmed")
        case.refresh_from_db()
        assert case.close_reason == CloseReason.NOT_CONFIRMED
        # Its limits ended with it, not done (cancelled, never overdue).
        assert not case.deadlines.running().exists()
        assert not case.deadlines.filter(met_at__isnull=False).exists()
        assert not case.abuses.get().confirmed

    def test_planning_has_five_working_days_and_approval_two(self, case, personas) -> None:
        for move in ("verify", "confirm", "plan"):
            documents_for(case, move)
            services.case_move(actor=personas.officer, case=case, move=move)
        started = case.events.get(to_status=Status.PLANNING).at
        calendar = WorkCalendar.from_database()
        plan = case.deadlines.get(step=CaseDeadline.Step.PLAN)
        assert plan.due_at == calendar.add_working_days(started, 5) and plan.met_at is None
        documents_for(case, "submit_plan")
        services.case_move(actor=personas.officer, case=case, move="submit_plan")
        submitted = case.events.get(to_status=Status.AWAITING_APPROVAL).at
        approval = case.deadlines.get(step=CaseDeadline.Step.APPROVAL)
        assert approval.due_at == calendar.add_working_days(submitted, 2)
        services.case_move(actor=personas.chairman, case=case, move="approve_plan")
        approval.refresh_from_db()
        assert approval.met_at is not None

    def test_a_confirmed_sexual_abuse_puts_the_child_in_its_group_from_that_day(
            self, tree, personas, child) -> None:
        happened = datetime.date(2026, 2, 20)
        notification = _notify(personas.intake, tree.commune_a, happened_on=happened,
                               forms=[AbuseForm.SEXUAL_ABUSE, AbuseForm.VIOLENCE])
        case = services.case_open(actor=personas.officer, notification=notification,
                                  child=child)
        services.case_move(actor=personas.officer, case=case, move="verify")
        assert not child.circumstances.exists()  # nothing before verification confirms it
        documents_for(case, "confirm")
        services.case_move(actor=personas.officer, case=case, move="confirm")
        rows = list(child.circumstances.select_related("group"))
        assert [(r.group.code, r.start_date, r.source) for r in rows] == [
            ("l", happened, "case")]
        # A second confirmed case of the same form adds nothing: the child is in the group.
        again = services.case_open(actor=personas.officer, child=child,
                                   notification=_notify(personas.intake, tree.commune_a,
                                                        forms=[AbuseForm.SEXUAL_ABUSE]))
        services.case_move(actor=personas.officer, case=again, move="verify")
        documents_for(again, "confirm")
        services.case_move(actor=personas.officer, case=again, move="confirm")
        assert child.circumstances.count() == 1

    def test_handing_over_needs_one_of_its_reasons(self, case, personas) -> None:
        with pytest.raises(ValidationError):
            services.case_move(actor=personas.officer, case=case, move="hand_over")
        with pytest.raises(ValidationError):
            services.case_move(actor=personas.officer, case=case, move="hand_over",
                               close_reason=CloseReason.SAFE)
        services.case_move(actor=personas.officer, case=case, move="hand_over",
                           close_reason=CloseReason.MOVED)

    def test_only_its_workers_move_a_case_and_only_the_chairman_approves(
            self, case, tree, personas) -> None:
        colleague = make_user("officer_a2", role="commune_officer", unit=tree.commune_a)
        with pytest.raises(PermissionDenied):
            services.case_move(actor=colleague, case=case, move="verify")
        with pytest.raises(PermissionDenied):
            services.case_move(actor=personas.outsider, case=case, move="verify")
        for move in ("verify", "confirm", "plan", "submit_plan"):
            documents_for(case, move)
            services.case_move(actor=personas.officer, case=case, move=move)
        with pytest.raises(PermissionDenied):
            services.case_move(actor=personas.officer, case=case, move="approve_plan")
        services.case_move(actor=personas.chairman, case=case, move="approve_plan")

    def test_moves_are_listed_in_the_order_of_the_process(self) -> None:
        assert moves_from(Status.VERIFYING) == ["confirm", "not_confirmed", "hand_over"]
        assert moves_from(Status.CLOSED) == ["reopen"]
