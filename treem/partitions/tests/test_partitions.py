"""The large tables partitioned by province on PostgreSQL: the schema the migrations leave,
the constraints the triggers keep, and the queries that read one province's partition only."""

import contextlib
import datetime
import re

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from treem.cases import services as case_services
from treem.cases.choices import AbuseForm, Channel, Place
from treem.cases.models import Case
from treem.geo.models import Level
from treem.geo.partition_keys import province_groups
from treem.lib import partitioning
from treem.lib.tests.test_partitioning import _sql
from treem.partitions.tables import BY_PROVINCE
from treem.registry import services as registry_services
from treem.registry.models import Child, ChildCircumstance, ChildResidence, ChildRisk
from treem.registry.tests.factories import group, make_child
from treem.testing import load_migration_data, make_unit, postgresql_marker

pytestmark = pytest.mark.django_db
postgres_only = postgresql_marker("partitions are PostgreSQL's; SQLite keeps plain tables")


def _partitioned_models() -> list:
    return [apps.get_model(label) for label in BY_PROVINCE]


def test_every_reference_to_a_partitioned_table_is_left_to_the_triggers() -> None:
    """PostgreSQL refuses a foreign key to a partitioned table: a new one must be declared with
    db_constraint=False (its check is then installed by `treem.partitions.references`)."""
    partitioned = set(_partitioned_models())
    declared = [f"{model._meta.label}.{field.name}" for model in apps.get_models()
                for field in model._meta.local_concrete_fields
                if field.is_relation and field.related_model in partitioned
                and getattr(field, "db_constraint", False)]
    assert declared == []


def test_a_partition_holds_a_current_province_and_the_provinces_merged_into_it() -> None:
    groups = province_groups()
    assert len(groups) == 34
    assert groups["08"] == ("08", "02")          # Tuyên Quang took Hà Giang
    assert groups["04"] == ("04",)               # Cao Bằng stayed whole
    codes = [code for codes in groups.values() for code in codes]
    assert len(codes) == len(set(codes)) == 63   # every province before July 2025, once


@postgres_only
def test_the_large_tables_are_partitioned_by_province() -> None:
    with connection.cursor() as cursor:
        for model in _partitioned_models():
            table = model._meta.db_table
            assert partitioning.is_partitioned(cursor, table), table
            bounds = dict(partitioning.partitions(cursor, table))
            assert len(bounds) == 35, table                        # 34 provinces + default
            assert bounds[f"{table}_p08"] == "FOR VALUES IN ('08', '02')"
            assert bounds[f"{table}_pdefault"] == "DEFAULT"


@pytest.fixture
def hanoi_commune(tree):
    return tree.commune_c  # Phường Hoàn Kiếm, in the other province (01)


def _partition_of(model, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {model._meta.db_table}"  # noqa: S608
                       " WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@postgres_only
def test_rows_land_in_their_province_partition_and_a_dissolved_unit_in_its_successor(tree) -> None:
    child = make_child(commune=tree.commune_a)
    old = make_child(commune=tree.old_commune, full_name="Hoàng Thị Mai")
    assert _partition_of(Child, child.pk) == "registry_child_p04"
    assert _partition_of(Child, old.pk) == "registry_child_p04"
    hà_giang = make_unit(parent=tree.nation, level=Level.PROVINCE, code="02", name="Tỉnh Hà Giang",
                         current=False)
    commune = make_unit(parent=hà_giang, level=Level.COMMUNE, code="00688", name="Xã Lũng Cú",
                        current=False)
    merged_away = make_child(commune=commune, full_name="Vàng Mí Sính")
    assert _partition_of(Child, merged_away.pk) == "registry_child_p08"


def _explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _partitions_read(plan: str, table: str) -> set[str]:
    """The partitions of `table` a plan reads (by themselves or through their indexes: a
    scan names its relation after "on"; an index's name may hold a truncated partition's)."""
    keys = re.findall(rf"\bon {table}_p(\d+|default)(?![0-9a-z_])", plan)
    return {f"{table}_p{key}" for key in keys}


@postgres_only
def test_a_scoped_query_reads_only_its_province_partition(tree, personas) -> None:
    make_child(commune=tree.commune_a)
    for model in _partitioned_models():
        table = model._meta.db_table
        plan = _explain(model.objects.visible_to(personas.officer))
        assert _partitions_read(plan, table) == {f"{table}_p04"}, (table, plan)
        plan = _explain(model.objects.visible_to(personas.province_officer))
        assert _partitions_read(plan, table) == {f"{table}_p04"}, (table, plan)


@postgres_only
def test_a_province_walks_its_names_in_the_index_alone(tree, personas) -> None:
    """A search with many matches walks the name index in order (`registry.selectors`): the
    province's code, which pruning adds to the filter, is in the index too, so the walk
    reads no row of the table for the names it passes (it read 294,000 of a province's
    million without it: 0.8 s)."""
    from treem.accounts.capabilities import Capability
    from treem.registry import selectors

    make_child(commune=tree.commune_a, full_name="Nguyễn Văn An")
    children = Child.objects.visible_to(personas.province_officer,
                                        capability=Capability.VIEW_CHILDREN).on_record()
    walk = selectors._name_walk(children, "van an")
    assert walk is not None
    page = walk.order_by("name_folded", "id").values_list("id", flat=True)[:50]
    with connection.cursor() as cursor:
        # A few rows: reading and sorting them is cheaper here, not in a province's million.
        for method in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        plan = _explain(page)
    scans = re.findall(r"(Index Only Scan|Index Scan|Seq Scan|Bitmap Heap Scan)(?: using \S+)?"
                       r" on (registry_child_p\w+)", plan)
    assert scans == [("Index Only Scan", "registry_child_p04")], plan


@postgres_only
def test_a_page_of_a_name_search_reads_its_rows_in_their_partition(tree, personas) -> None:
    """The rows of a page are read by id in the partitions of those ids (`paged_by`), not
    looked up in every province's: their planning alone was 8 ms of a 30 ms search."""
    from treem.registry import selectors

    make_child(commune=tree.commune_a, full_name="Nguyễn Văn An")
    make_child(commune=tree.commune_a, full_name="Bế Văn An")
    found = selectors.child_list(user=personas.province_officer,
                                 filters=selectors.ChildFilters(q="van an"))
    page = found[0:50]
    assert sorted(child.full_name for child in page) == ["Bế Văn An", "Nguyễn Văn An"]
    assert _partitions_read(_explain(page), "registry_child") == {"registry_child_p04"}


@postgres_only
def test_the_nation_reads_every_partition(tree, personas) -> None:
    """The 111 operator's scope is the nation: no province bound is added."""
    plan = _explain(Child.objects.visible_to(personas.intake))
    assert len(_partitions_read(plan, "registry_child")) == 35


@postgres_only
def test_an_officer_of_a_dissolved_units_successor_reads_one_partition(tree) -> None:
    """The officer of commune A also reads the commune it took over in July 2025 (under the
    dissolved province): both carry code 04, one partition."""
    from treem.accounts.roles import Role
    from treem.testing import make_user

    officer = make_user("successor", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
    old = make_child(commune=tree.old_commune, full_name="Hoàng Thị Mai")
    assert Child.objects.visible_to(officer).filter(pk=old.pk).exists()
    plan = _explain(Child.objects.visible_to(officer))
    assert _partitions_read(plan, "registry_child") == {"registry_child_p04"}


@postgres_only
def test_a_reference_to_a_missing_row_is_refused() -> None:
    with pytest.raises(IntegrityError, match="is not present"), transaction.atomic():
        ChildRisk.objects.create(child_id=987654321, flag="x", province_code="04",
                                 start_date=datetime.date(2026, 1, 1))


@postgres_only
def test_a_row_still_named_cannot_be_deleted(tree) -> None:
    child = make_child(commune=tree.commune_a)
    with pytest.raises(IntegrityError, match="still referenced"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_child WHERE id = %s", [child.pk])
    assert Child.objects.filter(pk=child.pk).exists()


@postgres_only
def test_a_personal_id_is_unique_across_provinces(tree, hanoi_commune) -> None:
    make_child(commune=tree.commune_a, personal_id="004215001234")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_child(commune=hanoi_commune, personal_id="004215001234", full_name="Trần Văn Bình")
    freed = Child.objects.get(personal_id="004215001234")
    freed.personal_id = None
    freed.save(update_fields=["personal_id"])
    make_child(commune=hanoi_commune, personal_id="004215001234", full_name="Trần Văn Bình")


@postgres_only
def test_a_move_to_another_province_takes_the_childs_history_along(tree, personas,
                                                                    hanoi_commune) -> None:
    child = make_child(commune=tree.commune_a, resident_since=datetime.date(2020, 1, 1))
    ChildCircumstance.objects.create(child=child, group=group("a1"), province_code="04",
                                     start_date=datetime.date(2024, 1, 1))
    registry_services.child_move(actor=personas.officer, child=child, commune=hanoi_commune,
                                 moved_on=datetime.date(2026, 1, 1))
    assert _partition_of(Child, child.pk) == "registry_child_p01"
    circumstance = ChildCircumstance.objects.get(child=child)
    assert circumstance.province_code == "01"
    assert _partition_of(ChildCircumstance, circumstance.pk) == "registry_childcircumstance_p01"
    # Each residence stays with its own commune's province.
    assert sorted(ChildResidence.objects.filter(child=child)
                  .values_list("province_code", flat=True)) == ["01", "04"]


@postgres_only
def test_a_case_lives_in_its_communes_partition(tree, personas) -> None:
    child = make_child(commune=tree.commune_a)
    notification = case_services.notification_record(
        actor=personas.intake, commune=tree.commune_a, channel=Channel.HOTLINE,
        received_at=datetime.datetime(2026, 3, 6, 9, 0, tzinfo=datetime.UTC),
        place=Place.FAMILY, description="Trẻ bị đánh.", forms=[AbuseForm.VIOLENCE],
        reporter_name="Người báo tin", reporter_phone="0912345678", child_description="Bé trai")
    case = case_services.case_open(actor=personas.officer, notification=notification, child=child)
    assert _partition_of(Case, case.pk) == "cases_case_p04"
    assert Case.objects.visible_to(personas.officer).filter(pk=case.pk).exists()


@postgres_only
def test_the_indicators_of_a_province_read_its_partitions_only(tree) -> None:
    from treem.indicators.compute import Part, _base
    from treem.indicators.periods import parse

    period = parse("2026S1")
    for population, table in (("children", "registry_childresidence"),
                              ("births", "registry_childresidence"),
                              ("abused_children", "cases_case")):
        rows, _counted = _base(population, period, tree.province.path, Part())
        plan = _explain(rows)
        assert _partitions_read(plan, table) == {f"{table}_p04"}, (population, plan)


def test_the_partitioned_models_say_so() -> None:
    """What `treem.lib.postgresql` reads (GROUP BY) and what the migrations partition agree."""
    from treem.partitions.tables import BY_MONTH_AND_PROVINCE

    saying = {model._meta.label for model in apps.get_models()
              if getattr(model, "partitioned_by", None)}
    assert saying == {*BY_PROVINCE, *BY_MONTH_AND_PROVINCE}


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed")
def test_one_personal_id_written_in_two_provinces_at_once_is_kept_once(tree) -> None:
    """Two transactions, each registering a child of its province with the same number: the
    second waits on the first's key in the side table, then fails; one child holds it."""
    import threading

    from django.db import connections

    load_migration_data()  # a transactional test before this one emptied the catalogues
    both_inserted = threading.Barrier(2, timeout=5)
    results: dict[str, str] = {}

    def register(label: str, commune) -> None:
        try:
            with transaction.atomic():
                make_child(commune=commune, personal_id="004215009999", full_name=label)
                # The other one may wait on this one's key: then go on alone and commit.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_inserted.wait()
            results[label] = "saved"
        except IntegrityError:
            results[label] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=("Lò Văn A", tree.commune_a)),
               threading.Thread(target=register, args=("Trần Văn B", tree.commune_c))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results.values()) == ["refused", "saved"], results
    assert Child.objects.filter(personal_id="004215009999").count() == 1


@postgres_only
def test_a_province_written_alongside_others_analyses_its_own_partition_only(tree) -> None:
    """ANALYZE by one province's generator leaves the others' partitions as their own last
    ANALYZE counted them: it would count another transaction's rows not yet committed as
    none (`registry.synthetic.writer.analyze`)."""
    from treem.registry.synthetic.writer import analyze

    def counted() -> dict[str, float]:
        return dict(_sql("SELECT relname, reltuples FROM pg_class WHERE relname IN"
                              " ('registry_child_p04', 'registry_child_p01')"))

    for n in range(3):
        make_child(commune=tree.commune_a, full_name=f"Nông Văn {n}")
    for n in range(2):
        make_child(commune=tree.commune_c, full_name=f"Trần Thị {n}")
    analyze([Child])
    assert counted() == {"registry_child_p04": 3, "registry_child_p01": 2}
    for n in range(2):
        make_child(commune=tree.commune_a, full_name=f"Nông Thị {n}")
        make_child(commune=tree.commune_c, full_name=f"Trần Văn {n}")
    analyze([Child], province_code="04")
    assert counted() == {"registry_child_p04": 5, "registry_child_p01": 2}
    with connection.cursor() as cursor:
        assert partitioning.partition_holding(cursor, "registry_child", "province_code",
                                              "01") == "registry_child_p01"
        assert partitioning.partition_holding(cursor, "registry_child", "province_code",
                                              "77") is None


@postgres_only
def test_a_provinces_indicators_read_its_own_childrens_partitions(tree) -> None:
    """Every computed indicator of a province: the children who live in it today are read
    from its partitions alone, history included (at 5 million children this was 3.7 s for
    Cao Bằng against 2.1 s); those who moved away, through the index of movers."""
    from django.test.utils import CaptureQueriesContext

    from treem.indicators.catalogue import current_versions, load_file, national_files
    from treem.indicators.compute import compute
    from treem.indicators.periods import parse
    from treem.indicators.values import spec_of

    for path in national_files():
        load_file(path)
    make_child(commune=tree.commune_a)
    specs = {v.pk: spec_of(v) for v in current_versions() if v.source == "computed"}
    with CaptureQueriesContext(connection) as queries:
        compute(specs, parse("2026S1"), tree.province.path)
    history = ("registry_child", "registry_childcircumstance", "registry_childrisk",
               "registry_childsupport", "registry_childstatuspast")
    stayed = moved = 0
    for query in queries.captured_queries:
        if "registry_childresidence" not in query["sql"]:
            continue
        # The two parts are the branches of one UNION ALL (one snapshot): each is read alone.
        branches = query["sql"].split("\nUNION ALL\n")
        assert len(branches) == 2, query["sql"]
        for branch in branches:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")  # few rows here, millions there
                cursor.execute(f"EXPLAIN {branch}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert _partitions_read(plan, "registry_childresidence") == {
                "registry_childresidence_p04"}, plan
            if '"child_province_code" = ("registry_childresidence"."province_code")' in branch:
                moved += 1
                assert ("registry_residence_movers" in plan
                        or "childresidence_p04_province" in plan), plan
                continue
            stayed += 1
            for table in history:
                assert _partitions_read(plan, table) <= {f"{table}_p04"}, (table, plan)
    assert stayed == moved >= 2  # the children, the births, the deaths: each in two parts


@postgres_only
def test_every_partition_of_children_has_the_index_of_birth_dates() -> None:
    """Over every province the index led by the province cannot serve a period's births: the
    index of birth dates does (registry 0021), on each partition, the default included. (At
    5 million children the nation's births took 1.3 s with it, 1.8 s without; on a test
    table of a few rows the planner's choice among indexes is a coin toss, so the schema is
    checked, not a plan.)"""
    partitions = {name for (name,) in _sql(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'registry_child'::regclass")}
    indexed = {table for table, definition in _sql(
        "SELECT tablename, indexdef FROM pg_indexes WHERE tablename LIKE %s", ["registry_child_p%"])
        if definition.endswith("USING btree (birth_date)")}
    assert "registry_child_pdefault" in partitions and len(partitions) > 30
    assert indexed == partitions
