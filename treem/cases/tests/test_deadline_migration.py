"""Migration 0012 reads the limits written before it as the services now write them.

The data step is run on rows shaped as before 0011 (no start, no notification, a limit "met"
by the closure, limits running on closed cases), with the current models: the schema steps run
whenever a test database is made."""

import datetime
import importlib

import pytest
from django.apps import apps

from treem.cases import services
from treem.cases.models import Case, CaseDeadline, CaseEvent
from treem.cases.tests.test_services import _notify
from treem.cases.workdays import LOCAL
from treem.registry.tests.factories import make_child

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("treem.cases.migrations.0012_deadline_clock_data")
T = datetime.datetime(2026, 3, 2, 9, tzinfo=LOCAL)


def at(hours: float) -> datetime.datetime:
    return T + datetime.timedelta(hours=hours)


def make_case(tree, personas, name: str, *, urgent: bool = True) -> Case:
    child = make_child(commune=tree.commune_a, full_name=name)
    notification = _notify(personas.intake, tree.commune_a, urgent=urgent, received_at=T)
    return services.case_open(actor=personas.officer, notification=notification, child=child)


def event(case: Case, source: str, target: str, hours: float, by) -> None:
    CaseEvent.objects.create(case=case, from_status=source, to_status=target, at=at(hours),
                             by=by)


def test_legacy_limits_are_read_as_running_met_or_cancelled(tree, personas) -> None:
    officer = personas.officer
    untrue = make_case(tree, personas, "Lý Văn Páo")       # closed: report not confirmed
    safe = make_case(tree, personas, "Lò Thị Dung")        # closed safe, emergency never met
    planning = make_case(tree, personas, "Vàng A Sử", urgent=False)
    Case.objects.filter(pk=untrue.pk).update(status="closed", close_reason="not_confirmed",
                                              closed_at=at(5))
    event(untrue, "verifying", "closed", 5, officer)
    Case.objects.filter(pk=safe.pk).update(status="closed", close_reason="safe",
                                            closed_at=at(400))
    event(safe, "reviewing", "closed", 400, officer)
    event(planning, "assessing", "planning", 30, officer)
    event(planning, "planning", "awaiting_approval", 40, officer)
    event(planning, "awaiting_approval", "planning", 50, officer)  # returned: no new limit
    waiting = _notify(personas.intake, tree.commune_b, urgent=True, received_at=at(1))
    ids = {"untrue": untrue.pk, "safe": safe.pk, "planning": planning.pk}

    CaseDeadline.objects.all().delete()  # as they stood before 0011:
    CaseDeadline.objects.bulk_create([
        # "Met" by the closure of a report found untrue: really ended unmet.
        CaseDeadline(case_id=ids["untrue"], step="emergency", due_at=at(12), met_at=at(5)),
        # Still "running" on a closed case.
        CaseDeadline(case_id=ids["safe"], step="emergency", due_at=at(12)),
        CaseDeadline(case_id=ids["planning"], step="plan", due_at=at(200)),
    ])
    MIGRATION.forwards(apps, None)

    rows = {(row.case_id, row.step): row for row in CaseDeadline.objects.all()}
    ended = rows[ids["untrue"], "emergency"]
    assert (ended.met_at, ended.cancelled_at, ended.started_at) == (None, at(5), T)
    assert ended.notification_id == untrue.notifications.get().pk
    missed = rows[ids["safe"], "emergency"]
    assert missed.cancelled_at == at(400) and missed.state == "missed"
    plan = rows[ids["planning"], "plan"]
    assert plan.started_at == at(30) and plan.state == "overdue"
    own = rows[None, "emergency"]
    assert own.notification_id == waiting.pk and own.due_at == at(13)
    assert own.started_at == at(1) and own.state == "overdue"
    assert not CaseDeadline.objects.overdue(at(100)).filter(case__status="closed").exists()
