"""The people a synthetic fund's rows name: the fund's manager and approver, the province's
officer who decides needs, and each commune's officer who proposes them.

The accounts that already hold these roles are used (a demo's `demo.quy` keeps its fund);
where none does, a synthetic account is created with an unusable password (it cannot sign in)
and given the role. Commune officers are named as the case generator names its own
("synthetic-officer-<commune code>"), so that both generators share them."""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role
from treem.geo.models import Unit
from treem.registry.synthetic import names
from treem.registry.synthetic import profiles as p


@dataclass
class FundStaff:
    manager: User
    approver: User
    province_officer: User
    officer: dict[int, int] = field(default_factory=dict)  # commune id → user id
    created: int = 0


def fund_staff(*, province: Unit, communes: list[Unit], rng: random.Random) -> FundStaff:
    held: dict[tuple[str, int], int] = {}
    for role, unit_id, user_id in (
            RoleAssignment.objects.active().filter(user__is_active=True)
            .filter(role__in=[Role.FUND_MANAGER, Role.FUND_APPROVER, Role.AREA_OFFICER,
                              Role.COMMUNE_OFFICER],
                    unit_id__in=[province.pk, *(unit.pk for unit in communes)])
            .order_by("user_id").values_list("role", "unit_id", "user_id")):
        held.setdefault((role, unit_id), user_id)
    wanted = [(role, province, f"synthetic-{slug}-{province.code}")
              for role, slug in ((Role.FUND_MANAGER, "fund-manager"),
                                 (Role.FUND_APPROVER, "fund-approver"),
                                 (Role.AREA_OFFICER, "province"))
              if (role, province.pk) not in held]
    wanted += [(Role.COMMUNE_OFFICER, unit, f"synthetic-officer-{unit.code}")
               for unit in communes if (Role.COMMUNE_OFFICER, unit.pk) not in held]
    created = _create(wanted, held, rng, region=p.profile_for(province.code).region)
    users = User.objects.in_bulk([held[role, province.pk] for role in (
        Role.FUND_MANAGER, Role.FUND_APPROVER, Role.AREA_OFFICER)])
    return FundStaff(manager=users[held[Role.FUND_MANAGER, province.pk]],
                     approver=users[held[Role.FUND_APPROVER, province.pk]],
                     province_officer=users[held[Role.AREA_OFFICER, province.pk]],
                     officer={unit.pk: held[Role.COMMUNE_OFFICER, unit.pk] for unit in communes},
                     created=created)


def _create(wanted: Sequence[tuple[str, Unit, str]], held: dict[tuple[str, int], int],
            rng: random.Random, *, region: str) -> int:
    if not wanted:
        return 0
    usernames = [username for *_rest, username in wanted]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    style = names.style_for(p.KINH, region=region)
    password = make_password(None)  # one unusable password: none of these accounts signs in
    new = []
    for username in usernames:
        sex = names.FEMALE if rng.random() < 0.6 else names.MALE
        full_name = style.name(rng, sex=sex, generation=names.PARENT, family=style.family(rng))
        if username not in existing:
            new.append(User(username=username, full_name=full_name, password=password))
    User.objects.bulk_create(new)
    users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    assignments = [RoleAssignment(user_id=users[username], role=role, unit=unit)
                   for role, unit, username in wanted
                   if not RoleAssignment.objects.filter(user_id=users[username], role=role,
                                                        unit=unit).exists()]
    RoleAssignment.objects.bulk_create(assignments)
    for role, unit, username in wanted:
        held[role, unit.pk] = users[username]
    return len(new)
