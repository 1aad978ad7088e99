"""The unit tree: loading the national data, search, subtree ranges, scope resolution."""

import random
import time
from collections.abc import Callable

from benchmarks.common import database_url, fresh_database, report, timed


def main() -> int:
    url = database_url("units")
    fresh_database(url)
    from django.db import connection

    from treem.accounts.models import RoleAssignment, User
    from treem.accounts.roles import Role
    from treem.geo import selectors
    from treem.geo.loading import load_official_units
    from treem.geo.models import Level, Unit

    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    start = time.perf_counter()
    result = load_official_units()
    print(f"{'load national units (both structures + mapping)':<48} "
          f"{(time.perf_counter() - start):.2f} s  {result.counts}")

    nation = Unit.objects.get(level=Level.NATION)
    province = Unit.objects.current().get(level=Level.PROVINCE, code="79")
    national = User.objects.create(username="bench.national", full_name="Bench")
    RoleAssignment.objects.create(user=national, role=Role.INTAKE_OPERATOR, unit=nation)
    provincial = User.objects.create(username="bench.province", full_name="Bench")
    RoleAssignment.objects.create(user=provincial, role=Role.AREA_OFFICER, unit=province)

    rng = random.Random(7)  # noqa: S311 - a reproducible sample, not a secret
    names = list(Unit.objects.current().filter(level=Level.COMMUNE)
                 .values_list("name_folded", flat=True))
    queries = [rng.choice(names).split(" ", 1)[-1] for _ in range(200)]

    def search(user: User) -> Callable[[], object]:
        def run() -> object:
            user.forget_scope()
            return list(selectors.unit_search(user=user, q=queries[rng.randrange(200)])[:50])
        return run

    report("unit search, nation-wide scope (first page)", timed(search(national), 200))
    report("unit search, one province's scope", timed(search(provincial), 200))

    def subtree() -> object:
        return Unit.objects.within(province).count()

    report("all units under a province (path range)", timed(subtree, 200))

    def resolve_scope() -> object:
        provincial.forget_scope()
        return provincial.scope_paths()

    report("scope of a province officer (with old units)", timed(resolve_scope, 200))
    return 0
