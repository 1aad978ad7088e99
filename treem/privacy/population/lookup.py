"""The online lookup in the national population database: an adapter interface, a FAKE service,
and the one service that calls it (scope, rate limit, audit, retries).

No real endpoint, credential or certificate is in this repository, nor will be: a province that
is granted access by the Ministry of Public Security (Bộ Công an, C06) writes its own adapter
class outside the repository, implementing `PopulationLookup`, and names it in the setting
`TREEM_POPULATION_LOOKUP` (a dotted path). Its contract is docs/population-database.md.

The default, `FakePopulationLookup`, is a FAKE: it answers from the register itself and from
fixed rules (below), so that the tests and the demo run without any outside service. Its
answers are not the population database's and must never be taken for them.
"""

import datetime
import hashlib
import importlib
import time
from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action, AuditEvent
from treem.audit.services import read_record
from treem.lib import personal_id as pid
from treem.lib.text import normalize
from treem.privacy.models import PersonalIdVerification
from treem.privacy.models.population import VerificationSource
from treem.privacy.population import exceptions as exc
from treem.privacy.population.services import verification_record
from treem.registry import choices
from treem.registry import exceptions as registry_exc
from treem.registry.models import Child

DEFAULT_ADAPTER = "treem.privacy.population.lookup.FakePopulationLookup"
DEFAULT_TIMEOUT = 5.0      # seconds, for one request (connect + answer)
DEFAULT_RETRIES = 2        # further attempts after a timeout or an unavailable service
DEFAULT_BACKOFF = 0.5      # seconds before the first retry, doubled each time
DEFAULT_PER_HOUR = 30      # lookups per user in any hour
AUDIT_PREFIX = "popdb_lookup: "   # the audit reason, followed by the purpose given
PURPOSE_MIN_LENGTH = 10


@dataclass(frozen=True)
class PersonAnswer:
    """What the population database says of a person (the fields treem compares)."""

    full_name: str
    birth_date: datetime.date
    sex: str                      # "m" or "f", as `registry.choices.Sex`
    permanent_residence: str      # nơi thường trú, as one line of text


class LookupUnavailable(Exception):
    """The service did not answer in time, or answered that it cannot now (HTTP 429/5xx): the
    caller may retry. Any other failure is a bug of the adapter and is not retried."""


@runtime_checkable
class PopulationLookup(Protocol):
    """The adapter contract. Built once a lookup with `timeout` (seconds): each request must
    give up after it and raise `LookupUnavailable`. `lookup` returns the person, or None when
    the database holds no one with that id; it never logs the id or the answer."""

    def __init__(self, *, timeout: float) -> None: ...

    def lookup(self, personal_id: str) -> PersonAnswer | None: ...


class FakePopulationLookup:
    """A FAKE population database, for tests and the demo. Never a real answer.

    - an id ending in "000" is not found (None);
    - an id ending in "999" times out (`LookupUnavailable`), every time;
    - an id in `answers` (set by a test) gives that answer;
    - an id held by a child of the register gives the register's own values (the fake agrees
      with the register), with "(giả lập)" in the residence;
    - any other valid id gives a made-up person whose sex and year agree with the id.
    """

    answers: ClassVar[dict[str, PersonAnswer | None]] = {}
    calls: ClassVar[int] = 0  # counted for the tests of retries

    def __init__(self, *, timeout: float) -> None:
        self.timeout = timeout

    def lookup(self, personal_id: str) -> PersonAnswer | None:
        type(self).calls += 1
        if personal_id.endswith("999"):
            raise LookupUnavailable("fake timeout")
        if personal_id in self.answers:
            return self.answers[personal_id]
        if personal_id.endswith("000"):
            return None
        try:
            parsed = pid.parse(personal_id)
        except pid.InvalidPersonalId:
            return None
        child = (Child.objects.filter(personal_id=personal_id).select_related("commune")
                 .first())
        if child is not None:
            return PersonAnswer(full_name=child.full_name, birth_date=child.birth_date,
                                sex=child.sex, permanent_residence=(
                                    f"{child.commune.name} (giả lập)"))
        digest = hashlib.sha256(personal_id.encode()).digest()
        given = ("An", "Bình", "Chi", "Dũng", "Hà", "Khánh", "Lan", "Minh")[digest[0] % 8]
        family = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Nông", "Lò", "Hà")[digest[1] % 8]
        middle = "Thị" if parsed.female else "Văn"
        born = datetime.date(parsed.birth_year, 1 + digest[2] % 12, 1 + digest[3] % 28)
        return PersonAnswer(full_name=f"{family} {middle} {given}", birth_date=born,
                            sex=choices.Sex.FEMALE if parsed.female else choices.Sex.MALE,
                            permanent_residence="Địa chỉ giả lập")


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def adapter() -> PopulationLookup:
    """The adapter `TREEM_POPULATION_LOOKUP` names, built with the timeout setting."""
    module, _dot, name = adapter_path().rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    return cls(timeout=_setting("TREEM_POPULATION_LOOKUP_TIMEOUT", DEFAULT_TIMEOUT))  # type: ignore[no-any-return]


def adapter_path() -> str:
    return getattr(settings, "TREEM_POPULATION_LOOKUP", "") or DEFAULT_ADAPTER


def is_fake() -> bool:
    """Whether the installation uses the fake service (the pages say so on every answer)."""
    return adapter_path() == DEFAULT_ADAPTER


def per_hour() -> int:
    return int(_setting("TREEM_POPULATION_LOOKUP_PER_HOUR", DEFAULT_PER_HOUR))


def lookups_in_last_hour(user: User, *, now: datetime.datetime | None = None) -> int:
    """The user's lookups in the hour before `now`, counted in the audit trail that records
    each one (so the limit and the trail cannot disagree)."""
    since = (now or timezone.now()) - datetime.timedelta(hours=1)
    return AuditEvent.objects.filter(actor=user, action=Action.VIEW, at__gte=since,
                                     reason__startswith=AUDIT_PREFIX).count()


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    register: str
    database: str


@dataclass(frozen=True)
class LookupResult:
    child: Child
    answer: PersonAnswer | None       # None: not found
    differences: list[Difference]
    verification: PersonalIdVerification | None  # recorded when everything agrees

    @property
    def found(self) -> bool:
        return self.answer is not None


def _differences(child: Child, answer: PersonAnswer) -> list[Difference]:
    sexes = dict(choices.Sex.choices)
    found = []
    if normalize(answer.full_name) != child.full_name:
        found.append(Difference("full_name", str(_("Họ và tên")), child.full_name,
                                answer.full_name))
    if answer.birth_date != child.birth_date:
        found.append(Difference("birth_date", str(_("Ngày sinh")),
                                child.birth_date.strftime("%d/%m/%Y"),
                                answer.birth_date.strftime("%d/%m/%Y")))
    if answer.sex != child.sex:
        found.append(Difference("sex", str(_("Giới tính")), str(sexes.get(child.sex, child.sex)),
                                str(sexes.get(answer.sex, answer.sex))))
    return found


def population_lookup(*, actor: User, child: Child, purpose: str) -> LookupResult:
    """Ask the population database about the child's personal id, for `purpose`.

    The caller has found the child with `get_child_for_user(for_write=True)`; the service
    checks again the capability and the scope, refuses past the per-user hourly limit, records
    the lookup as a read of the child with its purpose (before the call: a lookup that times
    out was still made), then calls the adapter, retrying a `LookupUnavailable` with a growing
    pause. When the answer agrees with the register, the id is recorded as verified."""
    if not actor.in_scope(child.unit_path, capability=Capability.CHECK_POPULATION_DATA) or \
            not actor.in_scope(child.unit_path, capability=Capability.MANAGE_CHILDREN):
        raise PermissionDenied(registry_exc.UNIT_OUT_OF_SCOPE)
    purpose = " ".join(purpose.split())
    if len(purpose) < PURPOSE_MIN_LENGTH:
        raise ValidationError({"purpose": exc.PURPOSE_REQUIRED})
    number = child.personal_id or ""
    try:
        pid.parse(number)
    except pid.InvalidPersonalId:
        raise ValidationError(exc.NO_PERSONAL_ID) from None
    limit = per_hour()
    with transaction.atomic():
        # One lookup of a user at a time is counted: two pages sent at once cannot both pass
        # the last free place.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        if lookups_in_last_hour(actor) >= limit:
            raise ValidationError(str(exc.RATE_LIMITED) % {"n": limit})
        read_record(actor=actor, obj=child, unit=child.village or child.commune,
                    reason=f"{AUDIT_PREFIX}{purpose}")
    answer = _call(number)
    differences = _differences(child, answer) if answer is not None else []
    verification = None
    if answer is not None and not differences:
        verification = verification_record(actor=actor, child=child,
                                           source=VerificationSource.LOOKUP)
    return LookupResult(child=child, answer=answer, differences=differences,
                        verification=verification)


def _call(number: str) -> PersonAnswer | None:
    retries = int(_setting("TREEM_POPULATION_LOOKUP_RETRIES", DEFAULT_RETRIES))
    pause = _setting("TREEM_POPULATION_LOOKUP_BACKOFF", DEFAULT_BACKOFF)
    service = adapter()
    for attempt in range(retries + 1):
        try:
            return service.lookup(number)
        except LookupUnavailable:
            if attempt == retries:
                break
            if pause:
                time.sleep(pause * 2 ** attempt)
    raise ValidationError(str(exc.UNAVAILABLE) % {"n": retries + 1})
