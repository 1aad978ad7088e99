"""Two officers opening the same report at once: one report, and the other is told so."""

from typing import Any

import pytest
from django.db import connection

from treem import testing
from treem.reports import exceptions as exc
from treem.reports import services
from treem.reports.models import Report, Schedule


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
class ConcurrentOpenTests:
    def test_two_opens_of_one_report_at_once_make_one_and_tell_the_other(
        self, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        tree = testing.make_tree()
        personas = testing.make_personas(tree)
        colleague = testing.make_user("officer_a2", role=personas.officer.active_roles().pop(),
                                      unit=tree.commune_a)
        schedule = Schedule.objects.create(code="test", name="Báo cáo 6 tháng",
                                           period_kind="half",
                                           due={"commune": {"S1": "05-15", "S2": "12-15"}})
        def open_report(actor: Any) -> Any:
            return services.report_open(actor=actor, schedule=schedule, unit=tree.commune_a,
                                        period="2026S1") and "opened"

        results = testing.at_once({"first": lambda: open_report(personas.officer),
                                   "second": lambda: open_report(colleague)},
                                  meet=(services, "due_on"), monkeypatch=monkeypatch)

        assert sorted(map(str, results.values())) == sorted(
            ["opened", str([str(exc.ALREADY_OPEN)])])
        assert Report.objects.filter(unit=tree.commune_a, period="2026S1").count() == 1
