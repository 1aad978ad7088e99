"""The queries of the hot pages that read more than one province's partition.

A province-sharded database (Citus, docs/scale.md) answers a query within one province on one
node; a query that reaches several provinces goes to all of them. This test walks the pages a
commune and a province use every day, asks PostgreSQL for the plan of every query they run on
a partitioned table, and lists those that read the partitions of more than one province. The
list is the one in docs/scale.md: a new query that crosses provinces fails here until it is
made to prune or is added there with its reason.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases import services as case_services
from treem.cases.choices import AbuseForm, Channel, Place
from treem.partitions.tables import BY_MONTH_AND_PROVINCE, BY_PROVINCE
from treem.registry.tests.factories import make_child
from treem.testing import login, postgresql_marker

pytestmark = [
    pytest.mark.django_db,
    postgresql_marker("partitions are PostgreSQL's; SQLite keeps plain tables"),
]

# (persona, page) → the partitioned tables its queries read in more than one province, and why
# that is accepted (docs/scale.md, "Queries across provinces").
BY_ID = ("lookups by id or public id, one index probe per partition: the page's record and "
         "the records it names, which may lie in another province (a child who moved away, a "
         "case of a child from elsewhere)")
CHILD_ROWS = ("a child's own rows by its id (its history, residences, cases), one index probe "
              "per partition; a child who moved keeps residences and cases in the provinces "
              "it lived in")
SHARED = ("the cases shared with the province by a commune of any province (Nghị định "
          "56/2017, Điều 25): a province officer's list reads every partition of cases")
KNOWN = {
    ("officer", "home"): (["cases_case", "registry_child"], BY_ID),
    ("officer", "child page"): ([
        "cases_case", "registry_child", "registry_childcircumstance", "registry_childresidence",
        "registry_childrisk", "registry_childstatuspast", "registry_childsupport"], CHILD_ROWS),
    ("officer", "case list"): (["registry_child"], BY_ID),
    ("officer", "case page"): (["cases_case", "registry_child"], BY_ID),
    ("province_officer", "home"): (["cases_case", "registry_child"], BY_ID),
    ("province_officer", "child page"): ([
        "cases_case", "registry_child", "registry_childcircumstance", "registry_childresidence",
        "registry_childrisk", "registry_childstatuspast", "registry_childsupport"], CHILD_ROWS),
    ("province_officer", "case list"): (["cases_case"], SHARED),
    ("auditor", "child page"): ([
        "registry_child", "registry_childcircumstance", "registry_childresidence",
        "registry_childrisk", "registry_childstatuspast", "registry_childsupport"], CHILD_ROWS),
}


def _tables() -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in (*BY_PROVINCE,
                                                                *BY_MONTH_AND_PROVINCE)]


def _groups_read(plan: str, table: str) -> set[str]:
    month = r"_y\d{4}m\d{2}" if table == "audit_auditevent" else ""
    return set(re.findall(rf"\b{table}{month}_p(\d+|default|nation)(?![0-9a-z])", plan))


def _crossing(queries: list[dict]) -> set[str]:
    tables = _tables()
    crossing = set()
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            named = [table for table in tables if re.search(rf"\b{table}\b", sql)]
            if not named:
                continue
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            crossing |= {table for table in named if len(_groups_read(plan, table)) > 1}
    return crossing


@pytest.fixture
def world(tree, personas):
    child = make_child(commune=tree.commune_a, full_name="Lý Văn Páo")
    make_child(commune=tree.commune_c, full_name="Trần Thị Hà")
    notification = case_services.notification_record(
        actor=personas.intake, commune=tree.commune_a, channel=Channel.HOTLINE,
        received_at=datetime.datetime(2026, 3, 6, 9, 0, tzinfo=datetime.UTC),
        place=Place.FAMILY, description="Trẻ bị đánh.", forms=[AbuseForm.VIOLENCE],
        reporter_name="Người báo tin", reporter_phone="0912345678", child_description="Bé trai")
    case = case_services.case_open(actor=personas.officer, notification=notification,
                                   child=child)
    event_record(actor=personas.officer, action=Action.UPDATE, obj=child, unit=tree.commune_a)
    return child, case


def _pages(child, case) -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("child list", reverse("registry:child_list")),
        ("child search", reverse("registry:child_list") + "?q=ly+pao"),
        ("child page", reverse("registry:child_detail", args=[child.public_id])),
        ("case list", reverse("cases:case_list")),
        ("case page", reverse("cases:case_detail", args=[case.public_id])),
        ("indicators", reverse("indicators:dashboard")),
        ("audit trail", reverse("audit:event_list")),
        ("reports", reverse("reports:report_list")),
    ]


def test_the_hot_pages_of_a_commune_and_a_province_stay_in_their_province(
        client, personas, world) -> None:
    child, case = world
    found = {}
    for who in ("officer", "province_officer", "auditor"):
        login(client, getattr(personas, who))
        for page, url in _pages(child, case):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                continue  # a page this role does not open
            crossing = _crossing(captured.captured_queries)
            if crossing:
                found[(who, page)] = sorted(crossing)
        client.logout()
    assert found == {key: sorted(tables) for key, (tables, _why) in KNOWN.items()}, found
