"""The audit trail partitioned by month then province on PostgreSQL: where events land, what a
province's auditor reads, the months made ahead, and the archival of old months, which keeps
every event and keeps it append-only."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from treem.audit import triggers
from treem.audit.models import Action, AuditEvent
from treem.audit.services import event_record
from treem.lib import partitioning
from treem.partitions import services
from treem.testing import postgresql_marker

pytestmark = [
    pytest.mark.django_db,
    postgresql_marker("partitions are PostgreSQL's; SQLite keeps plain tables"),
]

TABLE = "audit_auditevent"


def _where(event: AuditEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s",
                       [event.pk])
        return cursor.fetchone()[0]


def _month(moment: datetime.datetime) -> str:
    return f"y{moment.year}m{moment.month:02d}"


def test_an_event_lands_in_its_month_and_province(tree, personas) -> None:
    now = timezone.now().astimezone(datetime.UTC)
    event = event_record(actor=personas.officer, action=Action.UPDATE, unit=tree.commune_a)
    assert event.province_code == "04"
    assert _where(event) == f"{TABLE}_{_month(now)}_p04"
    nation = event_record(actor=personas.intake, action=Action.LOGIN)
    assert _where(nation) == f"{TABLE}_{_month(now)}_pnation"
    old = event_record(actor=personas.officer, action=Action.VIEW, unit=tree.old_commune)
    assert _where(old) == f"{TABLE}_{_month(now)}_p04"  # a dissolved unit: its successor's


def test_an_event_of_a_month_not_made_waits_in_the_default_partition(tree) -> None:
    event = AuditEvent.objects.create(action=Action.VIEW, unit=tree.commune_a,
                                      unit_path=tree.commune_a.path,
                                      at=datetime.datetime(2019, 5, 1, tzinfo=datetime.UTC))
    assert _where(event) == f"{TABLE}_pdefault"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_province_auditor_reads_only_its_provinces_partitions(tree, personas) -> None:
    now = timezone.now()
    query = AuditEvent.objects.visible_to(personas.auditor).filter(
        at__gte=now - datetime.timedelta(days=1), at__lte=now)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    read = set(re.findall(rf"\b{TABLE}_y\d{{4}}m\d{{2}}_p(?:\d+|default|nation)(?![0-9a-z])",
                          plan))
    assert read, plan
    assert all(name.endswith("_p04") for name in read), read
    assert len(read) <= 2  # this month, and the last when a day ago was in it


def test_every_partition_is_append_only(tree) -> None:
    event = event_record(actor=None, action=Action.VIEW, unit=tree.commune_a)
    leaf = _where(event)
    with connection.cursor() as cursor:  # the event's own key checks, due at commit
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in (f"UPDATE {leaf} SET reason = 'x'", f"DELETE FROM {leaf}",
                      f"TRUNCATE {leaf}", f"TRUNCATE {TABLE}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_months_ahead_are_made_and_reported(tree) -> None:
    out = io.StringIO()
    call_command("partitions", "--ahead", "5", stdout=out)
    this = timezone.now().astimezone(datetime.UTC).date().replace(day=1)
    fifth = services.months_from(this, this + datetime.timedelta(days=31 * 5))[-1]
    with connection.cursor() as cursor:
        names = {name for name, _bound in partitioning.partitions(cursor, TABLE)}
    assert f"{TABLE}_y{fifth.year}m{fifth.month:02d}" in names
    assert f"{TABLE}: " in out.getvalue()
    assert "registry_child: 35 partitions" in out.getvalue()


def test_an_archived_month_leaves_the_trail_and_stays_append_only(tree) -> None:
    january = datetime.date(2026, 1, 1)
    made, left = partitioning.add_months(connection, TABLE, "at", [january], "province_code",
                                         services.trail_groups())
    assert (made, left) == ([f"{TABLE}_y2026m01"], [])
    triggers.install(connection)
    event = AuditEvent.objects.create(action=Action.VIEW, unit=tree.commune_a,
                                      unit_path=tree.commune_a.path,
                                      at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC))
    assert _where(event) == f"{TABLE}_y2026m01_p04"
    recent = event_record(actor=None, action=Action.VIEW, unit=tree.commune_a)
    with connection.cursor() as cursor:  # the events' own key checks, due at commit
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    detached = services.archive_months(connection, datetime.date(2026, 2, 1))
    assert f"{TABLE}_y2026m01" in detached
    assert not AuditEvent.objects.filter(pk=event.pk).exists()   # out of every query
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}_y2026m01")
        assert cursor.fetchone()[0] == 1                           # kept, in its own table
    for statement in (f"UPDATE {TABLE}_y2026m01 SET reason = 'x'",
                      f"DELETE FROM {TABLE}_y2026m01_p04", f"TRUNCATE {TABLE}_y2026m01"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement)
