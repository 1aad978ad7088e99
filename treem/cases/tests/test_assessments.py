"""Assessments (Mẫu 02, 03, 06) and the plan (Mẫu 04, 05), and the moves that rest on them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from treem.cases import assessments, services
from treem.cases.models import Assessment, CaseDeadline, Plan
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def case(tree, personas):
    child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
    received = timezone.now() - datetime.timedelta(days=1)
    case = services.case_open(actor=personas.officer, child=child,
                              notification=_notify(personas.intake, tree.commune_a,
                                                   received_at=received))
    services.case_move(actor=personas.officer, case=case, move="verify")
    return case


def _initial(personas, case, **extra):
    values = {"kind": "initial", "done_on": TODAY(),
              "answers": {"findings": "Gặp trẻ và hàng xóm"},
              "ratings": {"harm": "medium", "risk": "high"}, "conclusion": "at_risk"}
    return services.assessment_record(actor=personas.officer, case=case, **{**values, **extra})


DETAILED = {key.key: "Đã ghi" for key in assessments.ITEMS["detailed"]}


class AssessmentTests:
    def test_verification_rests_on_the_initial_assessment(self, case, personas) -> None:
        with pytest.raises(ValidationError):
            services.case_move(actor=personas.officer, case=case, move="confirm")
        _initial(personas, case)
        services.case_move(actor=personas.officer, case=case, move="confirm")

    @pytest.mark.parametrize("change", [
        {"ratings": {"harm": "medium"}},                       # an item not rated
        {"ratings": {"harm": "medium", "risk": "very"}},       # not a level
        {"conclusion": ""},
        {"done_on": TODAY() + datetime.timedelta(days=1)},
        {"done_on": TODAY() - datetime.timedelta(days=30)},    # before the report
        {"kind": "review"},                                    # not at this step
    ])
    def test_bad_input_records_nothing(self, case, personas, change) -> None:
        with pytest.raises(ValidationError):
            _initial(personas, case, **change)
        assert not Assessment.objects.exists()

    def test_a_child_found_in_danger_gets_the_12_hours_from_receipt(self, case,
                                                                    personas) -> None:
        assert not case.deadlines.exists()
        _initial(personas, case, conclusion="in_danger")
        case.refresh_from_db()
        emergency = case.deadlines.get(step=CaseDeadline.Step.EMERGENCY)
        assert case.urgent and emergency.due_at == case.received_at + datetime.timedelta(hours=12)

    def test_only_a_worker_records_one(self, case, personas) -> None:
        with pytest.raises(PermissionDenied):
            services.assessment_record(actor=personas.chairman, case=case, kind="initial",
                                       done_on=TODAY(), answers={},
                                       ratings={"harm": "low", "risk": "low"},
                                       conclusion="safe")

    def test_the_detailed_assessment_asks_the_eight_matters(self, case, personas) -> None:
        _initial(personas, case)
        services.case_move(actor=personas.officer, case=case, move="confirm")
        with pytest.raises(ValidationError):
            services.case_move(actor=personas.officer, case=case, move="plan")
        missing = {**DETAILED, "community": " "}
        with pytest.raises(ValidationError):
            services.assessment_record(actor=personas.officer, case=case, kind="detailed",
                                       done_on=TODAY(), answers=missing, ratings={})
        services.assessment_record(actor=personas.officer, case=case, kind="detailed",
                                   done_on=TODAY(), answers={**DETAILED, "carer_views": ""},
                                   ratings={})
        services.case_move(actor=personas.officer, case=case, move="plan")


def _to_planning(case, personas) -> None:
    _initial(personas, case)
    services.case_move(actor=personas.officer, case=case, move="confirm")
    services.assessment_record(actor=personas.officer, case=case, kind="detailed",
                               done_on=TODAY(), answers=DETAILED, ratings={})
    services.case_move(actor=personas.officer, case=case, move="plan")


ITEM = {"task": "Tư vấn tâm lý cho trẻ", "responsible": "Công chức văn hóa - xã hội",
        "provider": "Trung tâm công tác xã hội tỉnh", "starts_on": TODAY(),
        "ends_on": TODAY() + datetime.timedelta(days=30), "cost": Decimal(500000)}


class PlanTests:
    def test_the_plan_is_written_submitted_returned_and_approved(self, case, personas) -> None:
        _to_planning(case, personas)
        with pytest.raises(ValidationError):
            services.case_move(actor=personas.officer, case=case, move="submit_plan")
        with pytest.raises(ValidationError):
            services.plan_save(actor=personas.officer, case=case, goal="An toàn",
                               items=[{**ITEM, "ends_on": TODAY() - datetime.timedelta(days=1)}])
        plan = services.plan_save(actor=personas.officer, case=case, goal="Trẻ được an toàn",
                                  items=[ITEM])
        services.plan_save(actor=personas.officer, case=case, goal="Trẻ được an toàn",
                           items=[ITEM, {**ITEM, "task": "Hỗ trợ học tập", "cost": 0}])
        assert Plan.objects.count() == 1 and plan.items.count() == 2
        services.case_move(actor=personas.officer, case=case, move="submit_plan")
        services.case_move(actor=personas.chairman, case=case, move="return_plan")
        plans = list(case.plans.order_by("id"))
        assert plans[0].returned_at is not None and plans[1].items.count() == 2  # a draft copy
        services.case_move(actor=personas.officer, case=case, move="submit_plan")
        services.case_move(actor=personas.chairman, case=case, move="approve_plan")
        approved = case.plans.get(approved_at__isnull=False)
        assert approved == plans[1] and approved.approved_by == personas.chairman

    def test_the_review_decides_between_closing_and_a_new_plan(self, case, personas) -> None:
        _to_planning(case, personas)
        services.plan_save(actor=personas.officer, case=case, goal="An toàn", items=[ITEM])
        services.case_move(actor=personas.officer, case=case, move="submit_plan")
        services.case_move(actor=personas.chairman, case=case, move="approve_plan")
        services.case_move(actor=personas.officer, case=case, move="review")
        ratings = {"harm": "high", "access": "medium", "obstacles": "medium",
                   "resilience": "low"}
        services.assessment_record(actor=personas.officer, case=case, kind="review",
                                   done_on=TODAY(), answers={"notes": ""}, ratings=ratings,
                                   conclusion="at_risk")
        with pytest.raises(ValidationError):
            services.case_move(actor=personas.chairman, case=case, move="close")
        services.case_move(actor=personas.chairman, case=case, move="new_plan")
        assert assessments.totals(ratings) == {"high": 1, "medium": 2, "low": 1}
