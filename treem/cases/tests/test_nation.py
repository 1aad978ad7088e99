"""Several provinces generated at once: the same rows for the same seed and arguments, whatever
the number of worker processes, each province in its own block of ids, the sequences past
them after the run."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import DateTimeField, Model

from treem.cases.models import Case
from treem.cases.synthetic import nation
from treem.geo.models import Level, Unit
from treem.registry.catalogues import load_catalogues
from treem.registry.models import Child, Household
from treem.registry.tests.test_synthetic import make_province
from treem.testing import at_once_marker

pytestmark = pytest.mark.django_db

# Three provinces of different regions (mountain, Mekong, delta), four communes each.
PROVINCES = (("04", "Tỉnh Cao Bằng"), ("91", "Tỉnh An Giang"), ("01", "Thành phố Hà Nội"))
CODES = tuple(code for code, _name in PROVINCES)
CHILDREN, SEED, PER_THOUSAND = 600, 17, 20.0


def make_nation() -> list[Unit]:
    load_catalogues()
    return [make_province(code, name) for code, name in PROVINCES]


def run(jobs: int) -> nation.NationResult:
    return nation.generate_nation(province_codes=CODES, children=CHILDREN, seed=SEED,
                                  jobs=jobs, per_thousand=PER_THOUSAND)


def _rows(model: type[Model]) -> list[tuple]:
    # Every column but the moments of writing (auto_now: the clock, not the seed).
    columns = [field.attname for field in model._meta.concrete_fields
               if not (isinstance(field, DateTimeField)
                       and (field.auto_now or field.auto_now_add))]
    rows = model._default_manager.all()
    if model is Unit:
        rows = rows.filter(level=Level.VILLAGE)
    return list(rows.order_by("id").values_list(*columns))


def digest() -> dict[str, tuple[int, str]]:
    """Per table: how many rows, and a hash of all of them in id order."""
    found = {}
    for model in nation.MODELS:
        rows = _rows(model)
        found[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return found


def wipe() -> None:
    """Every row the run wrote (the staff accounts stay: the next run finds them)."""
    for model in reversed(nation.MODELS):
        rows = model._default_manager.all()
        if model is Unit:
            rows = rows.filter(level=Level.VILLAGE)
        rows.delete()


class DeterminismTests:
    def test_the_same_seed_and_arguments_give_the_same_rows(self) -> None:
        make_nation()
        result = run(jobs=1)
        first = digest()
        wipe()
        run(jobs=1)
        assert digest() == first
        assert [r.code for r in result.provinces] == list(CODES)
        assert result.children == 3 * CHILDREN == Child.objects.count()
        assert first["cases.Case"][0] == sum(r.cases for r in result.provinces) > 0

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
    def test_sqlite_takes_one_province_at_a_time(self) -> None:
        make_nation()
        assert run(jobs=2).jobs == 1

    def test_another_seed_gives_other_rows(self) -> None:
        make_nation()
        run(jobs=1)
        first = digest()
        wipe()
        nation.generate_nation(province_codes=CODES, children=CHILDREN, seed=SEED + 1, jobs=1,
                               per_thousand=PER_THOUSAND)
        assert digest()["registry.Child"] != first["registry.Child"]


class IdBlockTests:
    def test_each_province_has_its_own_block_of_ids(self) -> None:
        provinces = make_nation()
        start = (Household.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        run(jobs=1)
        stride = nation.stride_for(CHILDREN)
        for index, province in enumerate(provinces):
            ids = list(Child.objects.filter(province_code=province.code)
                       .values_list("household_id", flat=True))
            assert ids and all(start + index * stride <= pk < start + (index + 1) * stride
                               for pk in ids if pk is not None)
            cases = Case.objects.filter(province_code=province.code).values_list("id", flat=True)
            assert len({pk // stride for pk in cases}) == 1

    def test_the_sequences_continue_after_every_block(self) -> None:
        make_nation()
        run(jobs=1)
        highest = Household.objects.order_by("-id").values_list("id", flat=True)[0]
        commune = Unit.objects.filter(level=Level.COMMUNE).order_by("pk")[0]
        household = Household.objects.create(commune=commune, unit_path=commune.path,
                                             province_code=commune.province_code)
        assert household.pk > highest

    def test_a_province_that_outgrows_its_block_stops_the_run(
        self, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        make_nation()
        monkeypatch.setattr(nation, "UNIT_STRIDE", 3)  # fewer ids than a province's villages
        with pytest.raises(nation.BlockOverflow):
            run(jobs=1)

    @at_once_marker()
    def test_more_than_one_job_is_refused_inside_a_transaction(self) -> None:
        make_nation()  # inside the test's transaction, which forked workers could not see
        with pytest.raises(ValueError, match="commit"):
            run(jobs=2)

    def test_it_refuses_an_unknown_province(self) -> None:
        make_nation()
        with pytest.raises(ValueError, match="99"):
            nation.generate_nation(province_codes=("04", "99"), children=10, seed=1)


class CommandTests:
    def test_it_prints_each_province_and_the_total(self) -> None:
        make_nation()
        out = StringIO()
        call_command("generate_nation", "--province", "04", "--province", "91",
                     "--children", "300", "--jobs", "1", stdout=out)
        text = out.getvalue()
        assert "04 Tỉnh Cao Bằng: 300 children" in text
        assert "91 Tỉnh An Giang: 300 children" in text
        assert "2 provinces, 600 children" in text and "rows/s" in text

    def test_the_default_order_starts_with_cao_bang(self) -> None:
        assert nation.nation_provinces(5) == ("04", "01", "66", "91", "38")
        assert len(set(nation.NATION_PROVINCES)) == len(nation.NATION_PROVINCES) == 34


@at_once_marker()
# serialized_rollback: a plain flush would take the catalogues the migrations loaded from
# every later test (as test_concurrency.py says).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class ParallelTests:
    def test_provinces_written_in_parallel_equal_provinces_written_one_by_one(
        self, committed: None,
    ) -> None:
        make_nation()
        one_by_one = run(jobs=1)
        first = digest()
        wipe()
        parallel = run(jobs=2)
        assert (one_by_one.jobs, parallel.jobs) == (1, 2)
        assert digest() == first
