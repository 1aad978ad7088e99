"""The `plan_in_time` filter of confirmed abuse cases (criterion 6.2 of the child-friendly
commune): an approved plan, and neither the planning limit (5 working days) nor the approval
limit (2) of Nghị định 56/2017 Điều 28 met late, missed, or overdue when the period ends. Each
case is built by hand with the limits it had, in commune A in 2025."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from treem.cases import services as case_services
from treem.cases.models import CaseAbuse, CaseDeadline
from treem.cases.models import Plan as CasePlan
from treem.cases.tests.test_services import _notify
from treem.indicators import periods
from treem.indicators.compute import Cell, compute
from treem.indicators.spec import SpecError, parse
from treem.registry.tests.factories import make_child
from treem.testing import Personas, Tree

pytestmark = pytest.mark.django_db

YEAR = 2025
STEP = CaseDeadline.Step


def at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, tzinfo=timezone.get_current_timezone())


def case_with(personas: Personas, tree: Tree, n: int, *, approved: datetime.datetime | None,
              limits: list[tuple[str, datetime.datetime, dict[str, Any]]]) -> None:
    child = make_child(commune=tree.commune_a, birth_date=datetime.date(YEAR - 10, 1, 1 + n))
    case = case_services.case_open(actor=personas.officer, child=child, notification=_notify(
        personas.intake, tree.commune_a, forms=["sexual_abuse"], received_at=at(3, 1 + n)))
    CaseAbuse.objects.filter(case=case).update(confirmed=True)
    if approved is not None:
        CasePlan.objects.create(case=case, goal="Hỗ trợ", created_by=personas.officer,
                                approved_at=approved)
    for step, due_at, state in limits:
        CaseDeadline.objects.create(case=case, step=step, due_at=due_at, **state)


SPEC = {"numerator": {"population": "abused_children", "where": {"plan_in_time": True}},
        "denominator": {"population": "abused_children"}}


def test_only_plans_made_and_approved_within_the_limits_count(
        tree: Tree, personas: Personas) -> None:
    Limits = list[tuple[str, datetime.datetime, dict[str, Any]]]
    cases: list[tuple[datetime.datetime | None, Limits]] = [
        # In time: both limits met before (or at) their due moment.
        (at(3, 10), [(STEP.PLAN, at(3, 8), {"met_at": at(3, 8)}),
                     (STEP.APPROVAL, at(3, 12), {"met_at": at(3, 10)})]),
        # Approved, the planning limit met a day late.
        (at(3, 12), [(STEP.PLAN, at(3, 8), {"met_at": at(3, 9)}),
                     (STEP.APPROVAL, at(3, 14), {"met_at": at(3, 12)})]),
        # Approved in time, but a second plan after a review is overdue at the year's end.
        (at(3, 12), [(STEP.PLAN, at(12, 1), {})]),
        # A second plan is running and due only next year: still in time.
        (at(4, 1), [(STEP.PLAN, datetime.datetime(YEAR + 1, 1, 5, 9,
                                                  tzinfo=timezone.get_current_timezone()),
                     {})]),
        # The approval limit ran out, then the case ended (missed).
        (at(5, 1), [(STEP.APPROVAL, at(4, 20), {"cancelled_at": at(4, 25)})]),
        # No plan approved at all, the limit cancelled in time: not in time either.
        (None, [(STEP.PLAN, at(6, 10), {"cancelled_at": at(6, 2)})]),
        # Approved only next year.
        (datetime.datetime(YEAR + 1, 1, 3, tzinfo=timezone.get_current_timezone()), []),
    ]
    for n, (approved, limits) in enumerate(cases):
        case_with(personas, tree, n, approved=approved, limits=limits)
    spec = parse(SPEC, unit_kind="percent")
    values = compute({"x": spec}, periods.parse(str(YEAR)), tree.province.path)
    assert values[("x", tree.commune_a.pk, "")] == Cell(2, 7)


def test_the_filter_takes_a_yes_or_no_only() -> None:
    with pytest.raises(SpecError):
        parse({"numerator": {"population": "abused_children",
                             "where": {"plan_in_time": ["soon"]}}}, unit_kind="count")
