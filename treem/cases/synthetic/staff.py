"""The people who handle synthetic cases: in each commune its child-protection officer (who
opens and moves the case, the services' "worker") and its chairman (who approves plans and
decides separations), the province's intake operator of the 111 hotline and the sector focal
points who answer referrals.

The accounts that already hold these roles are used, so that a demo officer finds the cases of
their commune; where none does, a synthetic account is created with an unusable password (it
cannot sign in) and a made-up name, and given the role. Usernames say what they are.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role, Sector
from treem.geo.models import Unit
from treem.geo.paths import SEGMENT_WIDTH
from treem.registry.synthetic import names
from treem.registry.synthetic import profiles as p


@dataclass
class Staff:
    officer: dict[int, int] = field(default_factory=dict)    # commune id → user id
    chairman: dict[int, int] = field(default_factory=dict)   # commune id → user id
    intake: int = 0
    focal: dict[str, int] = field(default_factory=dict)      # sector → user id
    created: int = 0


def staff_for(*, province: Unit, communes: list[Unit], rng: random.Random) -> Staff:
    """The staff of `communes` and of the province, creating the accounts that are missing."""
    staff = Staff()
    commune_ids = [unit.pk for unit in communes]
    held = (RoleAssignment.objects.active()
            .filter(user__is_active=True)
            .filter(Q(role__in=[Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER],
                      unit_id__in=commune_ids)
                    | Q(role__in=[Role.INTAKE_OPERATOR, Role.SECTOR_FOCAL],
                        unit__path__in=_above(province)))
            .order_by("user_id").values_list("role", "unit_id", "sector", "user_id"))
    for role, unit_id, sector, user_id in held:
        if role == Role.COMMUNE_OFFICER:
            staff.officer.setdefault(unit_id, user_id)
        elif role == Role.COMMUNE_LEADER:
            staff.chairman.setdefault(unit_id, user_id)
        elif role == Role.INTAKE_OPERATOR:
            staff.intake = staff.intake or user_id
        elif sector:
            staff.focal.setdefault(sector, user_id)

    wanted: list[tuple[str, str, Unit, str]] = []  # username, role, unit, sector
    for unit in communes:
        if unit.pk not in staff.officer:
            wanted.append((f"synthetic-officer-{unit.code}", Role.COMMUNE_OFFICER, unit, ""))
        if unit.pk not in staff.chairman:
            wanted.append((f"synthetic-chairman-{unit.code}", Role.COMMUNE_LEADER, unit, ""))
    if not staff.intake:
        wanted.append((f"synthetic-intake-{province.code}", Role.INTAKE_OPERATOR, province, ""))
    for sector in Sector.values:
        if sector not in staff.focal:
            wanted.append((f"synthetic-{sector}-{province.code}", Role.SECTOR_FOCAL, province,
                           sector))
    if wanted:
        _create(wanted, staff, rng, region=p.profile_for(province.code).region)
    return staff


def _above(province: Unit) -> list[str]:
    """Paths of the province and the units above it (the nation)."""
    step = SEGMENT_WIDTH + 1
    return [province.path[:end] for end in range(step, len(province.path) + 1, step)]


def _create(wanted: list[tuple[str, str, Unit, str]], staff: Staff, rng: random.Random,
            *, region: str) -> None:
    usernames = [username for username, *_ in wanted]
    existing = {user.username: user for user in User.objects.filter(username__in=usernames)}
    style = names.style_for(p.KINH, region=region)
    # One unusable password for all: none of these accounts signs in.
    password = make_password(None)
    new = []
    for username, *_ in wanted:
        sex = names.FEMALE if rng.random() < 0.6 else names.MALE
        full_name = style.name(rng, sex=sex, generation=names.PARENT, family=style.family(rng))
        if username not in existing:
            new.append(User(username=username, full_name=full_name, password=password))
    User.objects.bulk_create(new)
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    assignments = []
    for username, role, unit, sector in wanted:
        user = users[username]
        if user.username not in existing:
            assignments.append(RoleAssignment(user=user, role=role, unit=unit, sector=sector))
        if role == Role.COMMUNE_OFFICER:
            staff.officer[unit.pk] = user.pk
        elif role == Role.COMMUNE_LEADER:
            staff.chairman[unit.pk] = user.pk
        elif role == Role.INTAKE_OPERATOR:
            staff.intake = user.pk
        else:
            staff.focal[sector] = user.pk
    RoleAssignment.objects.bulk_create(assignments)
    staff.created = len(new)
