"""Two officers opening the same report at once: one report, and the other is told so."""

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from treem import testing
from treem.audit import triggers
from treem.reports import exceptions as exc
from treem.reports import services
from treem.reports.models import Report, Schedule


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writing transactions at once need PostgreSQL (the test SQLite "
                           "database is in memory, shared by the threads' connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class ConcurrentOpenTests:
    @pytest.fixture(autouse=True)
    def _emptied_after(self) -> Iterator[None]:
        """The audit trail's append-only triggers go before pytest-django's flush."""
        yield
        triggers.remove(connection)

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
        # Both reach the write before either commits, unless the first holds a lock the
        # second waits on (then the first's wait times out and it goes on alone).
        both_writing = threading.Barrier(2, timeout=3)
        real_due_on = services.due_on

        def due_when_both_write(*args: Any) -> Any:
            with contextlib.suppress(threading.BrokenBarrierError):
                both_writing.wait()
            return real_due_on(*args)

        monkeypatch.setattr(services, "due_on", due_when_both_write)
        results: dict[str, Any] = {}

        def open_report(name: str, actor: Any) -> None:
            try:
                services.report_open(actor=actor, schedule=schedule, unit=tree.commune_a,
                                     period="2026S1")
                results[name] = "opened"
            except ValidationError as error:
                results[name] = error.messages
            except Exception as error:  # noqa: BLE001 - what the officer would get: a 500
                results[name] = type(error).__name__
            finally:
                connections.close_all()

        threads = [threading.Thread(target=open_report, args=("first", personas.officer)),
                   threading.Thread(target=open_report, args=("second", colleague))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)

        assert sorted(map(str, results.values())) == sorted(
            ["opened", str([str(exc.ALREADY_OPEN)])])
        assert Report.objects.filter(unit=tree.commune_a, period="2026S1").count() == 1
