import runpy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections, router, transaction

from treem import settings as settings_module
from treem.audit.models import Action, AuditEvent
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.lib import routing
from treem.lib.routing import replica_reads
from treem.testing import Tree, replica_alias


@pytest.fixture
def replica() -> Iterator[Any]:
    """A configured replica whose connection opens without touching a database."""
    with replica_alias() as alias:
        alias.ensure_connection = lambda: None
        yield alias


def _settings(monkeypatch: pytest.MonkeyPatch, **environ: str) -> dict[str, Any]:
    """The settings module as it reads `environ` (run apart: Django's settings stay as they are)."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings_module.__file__)))


class ReplicaSettingTests:
    def test_without_the_setting_there_is_no_replica_but_the_router(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("TREEM_REPLICA_DATABASE_URL", raising=False)
        found = _settings(monkeypatch, TREEM_REPLICA_DATABASE_URL="")
        assert list(found["DATABASES"]) == ["default"]
        assert found["DATABASE_ROUTERS"] == ["treem.lib.routing.ReplicaRouter"]

    def test_the_replica_is_read_as_the_primary_is_and_mirrors_it_in_tests(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        found = _settings(monkeypatch, DATABASE_URL="postgres://treem:a@db1:5432/treem",
                          TREEM_REPLICA_DATABASE_URL="postgres://treem:b@db2:5433/treem",
                          DATABASE_CONN_MAX_AGE="30")
        primary, replica = found["DATABASES"]["default"], found["DATABASES"]["replica"]
        assert (replica["HOST"], replica["PORT"], replica["PASSWORD"]) == ("db2", 5433, "b")
        assert replica["CONN_MAX_AGE"] == primary["CONN_MAX_AGE"] == 30
        assert replica["CONN_HEALTH_CHECKS"] is primary["CONN_HEALTH_CHECKS"] is True
        assert replica["TEST"] == {"MIRROR": "default"}
        assert "TREEM_REPLICA_DATABASE_URL" not in found  # its password stays out of settings


class ReplicaReadsTests:
    def test_it_marks_the_block_only(self) -> None:
        assert not routing._marked.get()
        with replica_reads():
            assert routing._marked.get()
            with replica_reads():
                assert routing._marked.get()
            assert routing._marked.get()
        assert not routing._marked.get()

    def test_it_decorates_a_function(self) -> None:
        @replica_reads()
        def marked() -> bool:
            return routing._marked.get()

        assert marked() and marked()
        assert not routing._marked.get()

    def test_a_thread_started_inside_the_block_is_not_marked(self) -> None:
        import threading

        seen: list[bool] = []
        with replica_reads():
            thread = threading.Thread(target=lambda: seen.append(routing._marked.get()))
            thread.start()
            thread.join()
        assert seen == [False]

    def test_the_mark_goes_when_the_block_raises(self) -> None:
        with pytest.raises(ValueError), replica_reads():
            raise ValueError
        assert not routing._marked.get()


class ReplicaRouterTests:
    def test_without_a_replica_every_read_goes_to_the_primary(self) -> None:
        assert not routing.replica_configured()
        with replica_reads():
            assert router.db_for_read(Unit) == "default"

    def test_a_marked_read_outside_a_transaction_goes_to_the_replica(self, replica: Any) -> None:
        assert router.db_for_read(Unit) == "default"
        with replica_reads():
            assert router.db_for_read(Unit) == "replica"
            assert Unit.objects.all().db == "replica"
        assert router.db_for_read(Unit) == "default"

    def test_a_marked_read_inside_a_transaction_stays_on_the_primary(
            self, monkeypatch: pytest.MonkeyPatch, replica: Any) -> None:
        # What transaction.atomic() sets; the database-backed test below opens a real one.
        monkeypatch.setattr(connections["default"], "in_atomic_block", True)
        with replica_reads():
            assert router.db_for_read(Unit) == "default"

    @pytest.mark.django_db
    def test_a_read_in_a_real_transaction_stays_on_the_primary(self, replica: Any) -> None:
        with transaction.atomic(), replica_reads():
            assert router.db_for_read(Unit) == "default"

    def test_writes_go_to_the_primary(self, replica: Any) -> None:
        read_there = Unit(name="x")
        read_there._state.db = "replica"
        with replica_reads():
            assert router.db_for_write(Unit) == "default"
            assert router.db_for_write(Unit, instance=read_there) == "default"

    def test_only_the_primary_is_migrated(self, replica: Any) -> None:
        assert router.allow_migrate("default", "geo", model_name="unit")
        assert not router.allow_migrate("replica", "geo", model_name="unit")

    def test_rows_of_the_primary_and_the_replica_may_point_at_each_other(self) -> None:
        here, there = Unit(), Unit()
        here._state.db, there._state.db = "default", "replica"
        assert router.allow_relation(here, there)
        there._state.db = "other"
        # Unknown databases: Django's own rule (same database only) decides.
        assert not router.allow_relation(here, there)


class ReplicaDownTests:
    def test_a_replica_that_refuses_is_rested_and_its_reads_go_to_the_primary(self) -> None:
        attempts = []

        def refuse() -> None:
            attempts.append(1)
            raise OperationalError("connection refused")

        with replica_alias() as alias, replica_reads():
            alias.ensure_connection = refuse
            assert router.db_for_read(Unit) == "default"
            assert router.db_for_read(Unit) == "default"
            assert len(attempts) == 1  # not asked again while it rests
            assert routing._down_until > time.monotonic() + routing.RETRY_AFTER - 1
            routing._down_until = time.monotonic() - 1  # it has rested (replica_alias resets it)
            alias.ensure_connection = lambda: None
            assert router.db_for_read(Unit) == "replica"


@pytest.mark.django_db
class ReadThereWriteHereTests:
    def test_a_row_read_from_the_replica_is_saved_and_audited_on_the_primary(
            self, tree: Tree, replica: Any) -> None:
        unit = Unit.objects.get(pk=tree.commune_a.pk)
        unit._state.db = "replica"  # as a read under replica_reads() leaves it
        with replica_reads():
            unit.name = "Phường Thục Phán mới"
            unit.save(update_fields=["name"])
            event = event_record(actor=None, action=Action.EXPORT, unit=unit,
                                 fields=["children"])
        assert unit._state.db == event._state.db == "default"
        assert Unit.objects.get(pk=unit.pk).name == "Phường Thục Phán mới"
        assert AuditEvent.objects.filter(pk=event.pk, unit=unit).exists()
