"""A real streaming replica: a second PostgreSQL cluster on this machine, made from the test
database's cluster with pg_basebackup, and the pages that read there (docs/replica.md).

PostgreSQL only. It needs the role of DATABASE_URL to have REPLICATION, pg_hba.conf to let it
make a replication connection from 127.0.0.1 (Debian's does), and the server's binaries
(`/usr/lib/postgresql/<major>/bin`). A missing one fails the test with what to do: CI's
PostgreSQL stage (.ci/run) provides them all, and this test must not go quietly missing there.
"""

import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.replica.standby import COPIED, Standby, StandbyError, wait_for
from treem import testing
from treem.audit import triggers
from treem.audit.models import Action, AuditEvent
from treem.indicators.catalogue import DATA, load_set
from treem.registry.models import Child
from treem.registry.tests.factories import make_child, make_circumstance
from treem.testing import Personas, Tree, login

pytestmark = testing.postgresql_marker(
    "a streaming replica is a PostgreSQL cluster (on SQLite there is no replica to test)")

REASON = "Báo cáo quý III gửi UBND tỉnh"
REPLAYED_WITHIN = 15.0  # seconds; on a quiet machine it takes well under one


def _precondition(ok: bool, message: str) -> None:
    if not ok:
        pytest.fail(f"The streaming replica's test cannot run: {message}", pytrace=False)


def _checked_primary() -> tuple[Path, dict[str, str]]:
    """The server's binaries and the settings the standby copies; fails with what to do."""
    user = connection.settings_dict["USER"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolreplication FROM pg_roles WHERE rolname = current_user")
        _precondition(cursor.fetchone()[0],
                      f"the role {user!r} needs REPLICATION (ALTER ROLE {user} REPLICATION; "
                      ".ci/run does it)")
        cursor.execute("SELECT current_setting('wal_level'), "
                       "current_setting('max_wal_senders')::int, "
                       "current_setting('server_version_num')::int / 10000")
        wal_level, senders, major = cursor.fetchone()
        _precondition(wal_level in ("replica", "logical") and senders > 0,
                      f"the primary needs wal_level = replica and max_wal_senders > 0 (it has "
                      f"{wal_level} and {senders})")
        cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)",
                       [list(COPIED)])
        settings = dict(cursor.fetchall())
    bin_dir = Path(f"/usr/lib/postgresql/{major}/bin")
    _precondition((bin_dir / "pg_basebackup").exists() and (bin_dir / "pg_ctl").exists(),
                  f"{bin_dir}/pg_basebackup and pg_ctl are missing (install postgresql-{major})")
    return bin_dir, settings


@pytest.fixture(scope="module")
def standby(django_db_setup: None, django_db_blocker: Any) -> Iterator[Standby]:
    """A standby of the cluster holding the test database, configured as the "replica" alias
    (before the test's class is set up: a test may only use an alias it names); stopped and
    removed at the end, whatever happened."""
    with django_db_blocker.unblock():
        bin_dir, settings = _checked_primary()
        primary = dict(connection.settings_dict)
    server = Standby(bin_dir=bin_dir, primary=primary, settings=settings)
    try:
        try:
            server.start()
        except StandbyError as error:
            pytest.fail(f"The streaming replica did not start: {error}", pytrace=False)
        with testing.replica_alias(server.settings_dict()):
            yield server
    finally:
        server.stop()


def _in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return bool(cursor.fetchone()[0])


@pytest.fixture
def replica(standby: Standby) -> Iterator[Any]:
    """The standby, once it accepts reads. After the test its connection closes (an open
    query on a standby holds back the replay of the flush) and the audit trail's
    append-only triggers go before pytest-django's flush."""
    try:
        wait_for(lambda: _in_recovery("replica"), seconds=REPLAYED_WITHIN,
                 what="the standby in recovery")
        yield connections["replica"]
    finally:
        connections["replica"].close()
        triggers.remove(connection)


def _replayed(child: Child) -> None:
    wait_for(lambda: Child.objects.using("replica").filter(pk=child.pk).exists(),
             seconds=REPLAYED_WITHIN, what="a child written on the primary, on the standby")


def _selects(queries: CaptureQueriesContext, table: str) -> list[str]:
    # DECLARE …: a queryset's .iterator() reads through a server-side cursor.
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].split(" ", 1)[0] in ("SELECT", "DECLARE") and f'"{table}"' in q["sql"]]


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].split(" ", 1)[0] in ("INSERT", "UPDATE", "DELETE")]


# One test, so that a run split across processes (pytest -n) still builds one standby.
@pytest.mark.django_db(transaction=True, serialized_rollback=True,
                       databases=["default", "replica"])
def test_dashboards_and_exports_read_on_the_standby_and_write_on_the_primary(
        client: Client, tree: Tree, personas: Personas, replica: Any) -> None:
    # A transactional test before this one, in this worker, emptied what migrations load.
    testing.load_migration_data()
    load_set(json.loads((DATA / "tt13-2021-tre-em.json").read_text(encoding="utf-8")))
    children = [make_child(commune=tree.commune_a, full_name=f"Trẻ {n}",
                           birth_date=datetime.date(2015 + n, 1, 1)) for n in range(3)]
    make_circumstance(child=children[0], code="a", start_date=datetime.date(2020, 1, 1))
    _replayed(children[-1])
    login(client, personas.officer)
    assert _in_recovery("replica") and not _in_recovery("default")

    # An export: the list read on the standby, its audit event written on the primary.
    with CaptureQueriesContext(connections["replica"]) as there, \
            CaptureQueriesContext(connection) as here:
        response = client.post("/children/export/", {"reason": REASON})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert sorted(row[0] for row in book.active.iter_rows(min_row=2, values_only=True)) == [
        "Trẻ 0", "Trẻ 1", "Trẻ 2"]
    assert _selects(there, "registry_child"), "the list was read on the standby"
    assert not _selects(here, "registry_child")
    assert not _writes(there)
    assert any('"audit_auditevent"' in sql for sql in _writes(here))
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.actor, event.reason) == (personas.officer, REASON)

    # A dashboard: computed on the standby; the session and the user read on the primary.
    with CaptureQueriesContext(connections["replica"]) as there, \
            CaptureQueriesContext(connection) as here:
        page = client.get("/indicators/", {"period": "2026S1"}).content.decode()
    assert "(1/3)" in page  # one child of three in special circumstances
    assert _selects(there, "registry_child")
    assert not _selects(here, "registry_child")
    assert _selects(here, "django_session") and not _selects(there, "django_session")
