"""Reads of the population-database exchange, limited to the user's scope in one place: the
communes a user checks, the children of a commune to check, its batches and what is left."""

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.geo.models import Level, Unit
from treem.lib import personal_id as pid
from treem.privacy.models import PersonalIdVerification, PopulationCheck, PopulationCheckRow
from treem.privacy.models.population import Issue, RowState
from treem.registry import choices
from treem.registry.models import Child, years_before

CAPABILITY = Capability.CHECK_POPULATION_DATA
REGISTER_AGE_LIMIT = 18  # as the register: minors 16–17 stay on record


def communes_to_check(*, user: User) -> list[Unit]:
    """The current communes in the user's scope (with the capability): a batch is made for a
    commune of today only; a dissolved one's children are on its successor's register."""
    return list(Unit.objects.current().filter(level=Level.COMMUNE)
                .visible_to(user, capability=CAPABILITY).order_by("name_folded"))


def get_commune_for_user(*, user: User, commune_id: Any) -> Unit:
    """A commune (current or dissolved) in the user's scope; 404 otherwise. The service
    refuses a dissolved one with its message."""
    commune = (Unit.objects.filter(level=Level.COMMUNE, public_id=commune_id)
               .visible_to(user, capability=CAPABILITY).first())
    if commune is None:
        raise Http404
    return commune


def issue_of(personal_id: str | None, *, sex: str, birth_date: datetime.date) -> str | None:
    """Why a child's personal id needs the police's check (the register's own rule: 12 digits
    agreeing with sex and year of birth), or None."""
    if not personal_id:
        return Issue.MISSING
    try:
        parsed = pid.parse(personal_id)
    except pid.InvalidPersonalId:
        return Issue.FORMAT
    if (parsed.birth_year != birth_date.year
            or parsed.female != (sex == choices.Sex.FEMALE)):
        return Issue.MISMATCH
    return None


def _commune_children(commune: Unit) -> QuerySet[Child]:
    """Children on the commune's register today: not merged, alive, under 18."""
    today = timezone.localdate()
    return (Child.objects.on_record().filter(commune=commune, death_date__isnull=True)
            .filter(birth_date__gt=years_before(today, REGISTER_AGE_LIMIT)))


def children_to_check(*, commune: Unit, include_unverified: bool = False
                      ) -> list[tuple[int, str]]:
    """(child id, issue) of the commune's children to send to the police, in name order. A
    commune holds at most some ten thousand children: the id rule is checked in Python."""
    children = _commune_children(commune)
    verified: set[tuple[int, str]] = set()
    if include_unverified:
        verified = set(PersonalIdVerification.objects.filter(child__in=children)
                       .values_list("child_id", "personal_id"))
    found = []
    for pk, number, sex, birth_date in children.order_by("name_folded", "id").values_list(
            "pk", "personal_id", "sex", "birth_date").iterator(chunk_size=2000):
        issue = issue_of(number, sex=sex, birth_date=birth_date)
        if issue is None and include_unverified and (pk, number) not in verified:
            issue = Issue.UNVERIFIED
        if issue is not None:
            found.append((pk, issue))
    return found


@dataclass(frozen=True)
class CommuneSummary:
    commune: Unit
    on_record: int
    by_issue: dict[str, int]      # issue → children (unverified ids counted too)
    verified: int                 # children whose current id was confirmed

    @property
    def to_check(self) -> int:
        return sum(n for issue, n in self.by_issue.items() if issue != Issue.UNVERIFIED)

    def issues(self) -> list[tuple[str, str, int]]:
        return [(value, str(label), self.by_issue.get(value, 0))
                for value, label in Issue.choices]


def commune_summary(*, commune: Unit) -> CommuneSummary:
    children = _commune_children(commune)
    on_record = children.count()
    counts = Counter(issue for _pk, issue in
                     children_to_check(commune=commune, include_unverified=True))
    verified = (PersonalIdVerification.objects.filter(child__in=children)
                .filter(personal_id=F("child__personal_id")).values("child").distinct().count())
    return CommuneSummary(commune=commune, on_record=on_record, by_issue=dict(counts),
                          verified=verified)


def children_page(*, commune: Unit, page: Any, size: int = 50) -> tuple[Page, list[tuple[Child,
                                                                                    str]]]:
    """A page of the children to check (all issues, unverified ids too), with their issue: the
    ids are paged, then only the page's children are read."""
    found = children_to_check(commune=commune, include_unverified=True)
    shown = Paginator(found, size).get_page(page)
    issues = dict(shown.object_list)
    children = {child.pk: child for child in
                Child.objects.filter(pk__in=issues).select_related("village")}
    return shown, [(children[pk], issue) for pk, issue in shown.object_list]


def check_list(*, user: User, commune: Unit | None = None) -> QuerySet[PopulationCheck]:
    """The user's batches, newest first, with their rows counted by state."""
    checks = PopulationCheck.objects.visible_to(user, capability=CAPABILITY)
    if commune is not None:
        checks = checks.filter(commune=commune)
    return checks.select_related("commune", "created_by").annotate(
        left=Count("rows", filter=~Q(rows__state=RowState.SETTLED)),
        settled=Count("rows", filter=Q(rows__state=RowState.SETTLED)))


def get_check_for_user(*, user: User, check_id: Any) -> PopulationCheck:
    """A batch of the user's scope; 404 when it is missing or outside it."""
    check = (PopulationCheck.objects.visible_to(user, capability=CAPABILITY)
             .select_related("commune", "created_by").filter(public_id=check_id).first())
    if check is None:
        raise Http404
    return check


def check_rows(*, check: PopulationCheck, left_only: bool = False
               ) -> QuerySet[PopulationCheckRow]:
    """The batch's rows (children of a batch the user may read), `left_only`: those whose
    check is not done (no answer yet, not found, or refused)."""
    rows = check.rows.select_related("child", "child__village")
    if left_only:
        rows = rows.exclude(state=RowState.SETTLED)
    return rows.order_by("child__name_folded", "id")


def state_counts(*, check: PopulationCheck) -> dict[str, int]:
    counts = dict(check.rows.values_list("state").annotate(n=Count("id")).order_by())
    return {value: counts.get(value, 0) for value in RowState.values}


def verification_of(*, child: Child) -> PersonalIdVerification | None:
    """The confirmation of the child's current personal id, if any."""
    if not child.personal_id:
        return None
    return (PersonalIdVerification.objects.filter(child=child, personal_id=child.personal_id)
            .first())
