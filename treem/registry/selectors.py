"""Reads of the child register, limited to the user's scope (and capability) in one place."""

import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from treem.accounts.models import User
from treem.accounts.permissions import (
    RESTRICTED_CIRCUMSTANCE_GROUPS,
    Capability,
    restricted_circumstance_readers,
)
from treem.geo.models import Level, Unit
from treem.geo.paths import any_subtree_q, subtree_q
from treem.lib.text import PREFIX_MAX, fold, search_words
from treem.registry import statuses
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildQuerySet,
    ChildResidence,
    ChildRestriction,
    ChildRisk,
    ChildStatusPast,
    ChildSupport,
    Household,
    years_before,
)

AGE_GROUPS = {  # label → (youngest, oldest), the groups of TT 13/2021 tables
    "0-2": (0, 2), "3-5": (3, 5), "6-10": (6, 10), "11-14": (11, 14), "15": (15, 15),
    "16-17": (16, 17),
}
# What a reader who may not see a child's cases is told of a group that reveals abuse.
RESTRICTED_CIRCUMSTANCE = gettext_lazy("Có hoàn cảnh đặc biệt được bảo mật")
SORTS = {"name": ("name_folded", "id"), "-name": ("-name_folded", "-id"),
         "birth": ("birth_date", "id"), "-birth": ("-birth_date", "-id")}


@dataclass(frozen=True)
class ChildFilters:
    q: str = ""
    village_id: Any = None
    age_group: str = ""
    sex: str = ""
    ethnicity_id: Any = None
    circumstance: str = ""      # a group code ("l") or "any"
    support: str = ""           # a support kind or "any"
    school_status: str = ""
    on: datetime.date | None = None
    sort: str = "name"


def _restricted() -> Q:
    """Circumstance rows of a group (or sub-group) that reveals abuse."""
    return (Q(group__code__in=RESTRICTED_CIRCUMSTANCE_GROUPS)
            | Q(group__parent__code__in=RESTRICTED_CIRCUMSTANCE_GROUPS))


def circumstances_seen_by(user: User) -> Q:
    """The circumstance rows `user` may read in full (treem.accounts.permissions): every group
    but those revealing abuse, which only who may see the child's cases, or who recorded the
    row, reads."""
    return (~_restricted() | restricted_circumstance_readers(user, child="child__")
            | Q(created_by_id=getattr(user, "pk", None)))


def child_list(*, user: User, filters: ChildFilters | None = None) -> QuerySet[Child]:
    """Children living in the user's scope on record, filtered and sorted."""
    f = filters or ChildFilters()
    day = f.on or timezone.localdate()
    children = Child.objects.visible_to(user, capability=Capability.VIEW_CHILDREN).on_record()
    children = children.select_related("commune", "village", "ethnicity")
    if f.village_id:
        children = children.filter(village__public_id=f.village_id)
    if f.age_group in AGE_GROUPS:
        youngest, oldest = AGE_GROUPS[f.age_group]
        children = children.filter(birth_date__gt=years_before(day, oldest + 1),
                                   birth_date__lte=years_before(day, youngest))
    if f.sex:
        children = children.filter(sex=f.sex)
    if f.ethnicity_id:
        children = children.filter(ethnicity_id=f.ethnicity_id)
    if f.circumstance:
        rows = ChildCircumstance.objects.on(day).filter(child_id=OuterRef("pk"))
        if f.circumstance != "any":
            # Only rows the user may read: a filter by a group revealing abuse must not tell
            # who is in it ("any" tells no more than the record's restricted notice).
            rows = rows.filter(Q(group__code=f.circumstance) | Q(group__parent__code=f.circumstance)
                               ).filter(circumstances_seen_by(user))
        children = children.filter(Exists(rows))
    if f.support:
        supports = ChildSupport.objects.on(day).filter(child_id=OuterRef("pk"))
        if f.support != "any":
            supports = supports.filter(kind=f.support)
        children = children.filter(Exists(supports))
    if f.school_status:
        children = children.filter(school_status=f.school_status)
    order = SORTS.get(f.sort, SORTS["name"])
    folded = fold(f.q)
    if not folded:
        return children.order_by(*order)
    unfiltered, children = children, _name_search(children, folded)
    if order[0].lstrip("-") != "name_folded":
        return children.order_by(*order)
    matches = _matches(children)
    if matches >= DENSE_MATCHES:
        # Many matches ("van an", 14,000 in a province): walking the name index in order
        # finds a page's fifty within a few thousand rows, sooner than all the matches can be
        # sorted. The count of the page is known too: asked again, PostgreSQL may read the
        # table from its start for it ("thi van" is estimated at 80,000 and gathered in a
        # few communes), 100 ms for what the probe already said.
        children = children.at_least(matches).order_by(*order)
        walk = _name_walk(unfiltered, folded)
        if walk is None:
            return children
        # On PostgreSQL the walk reads the ids of a page from the index alone (the name, the
        # scope and the merge are in it, the words are checked on the name), then the rows of
        # those fifty: it no longer reads a row of the table for every name it passes
        # (20,000 rows for "van an", a tenth of the table's pages when not cached). A walk
        # cut short when the matches gather late in the order ("trung hoang", mostly names
        # of the Hoàng family: 80 ms walked, 32 ms sorted) was tried and lost more than it
        # won: names and given names go together by ethnicity, so the first 25,000 names
        # of a province may hold none of 20,000 "van tri".
        return children.paged_by(walk.order_by(*order))
    children = children.at_least(matches, exactly=True)
    # Few matches: sorting by an expression keeps PostgreSQL from walking the name index in
    # order and filtering a province row by row (seconds for a rare name, "thi hung": its
    # estimate multiplies the frequencies of words that rarely go together): the word index
    # finds the matches first, and only they are sorted.
    expression = Concat(F("name_folded"), Value(""))
    first = expression.desc() if order[0].startswith("-") else expression.asc()
    children = children.order_by(first, order[1])
    # The page's ids first, then their rows: joined before the sort, the villages of a few
    # hundred matches were read by hashing every unit of the country (13 of 17 ms).
    return children.paged_by(children.select_related(None))


def special_circumstances_on(*, user: User, unit: Unit, day: datetime.date
                             ) -> tuple[QuerySet[Child], dict[int, str]]:
    """The children in special circumstances on `day` who lived under `unit` that day (a
    report's list, as of its last day), among those the user may export; and the codes of
    their circumstance groups that day, by child id."""
    in_unit = ChildResidence.objects.on(day).filter(
        subtree_q(unit.path, field="unit_path"), child_id=OuterRef("pk"))
    circumstances = ChildCircumstance.objects.on(day).filter(child_id=OuterRef("pk"))
    children = (Child.objects.visible_to(user, capability=Capability.EXPORT_CHILDREN)
                .on_record().children_on(day).filter(Exists(in_unit), Exists(circumstances))
                .select_related("commune", "village", "ethnicity").order_by("name_folded", "pk"))
    groups: dict[int, list[str]] = {}
    rows = ChildCircumstance.objects.on(day).filter(child__in=children.values("pk"))
    seen = circumstances_seen_by(user)
    for child_id, code in (rows.filter(seen).order_by("group__code")
                           .values_list("child_id", "group__code")):
        groups.setdefault(child_id, []).append(code)
    hidden = set(rows.exclude(seen).values_list("child_id", flat=True).distinct())
    return children, {pk: "; ".join(part for part in (", ".join(groups.get(pk, [])),
                                                       str(RESTRICTED_CIRCUMSTANCE)
                                                       if pk in hidden else "") if part)
                      for pk in groups.keys() | hidden}


# At least this many matches in the scope and the walk of the name index in order beats sorting
# the matches (measured on 1,000,000 children, docs/benchmarks-registry.md). More than the
# lists' count cap (`treem.ui.pagination.COUNT_CAP`), so that the probe counts them too.
DENSE_MATCHES = 2_000


def _matches(children: QuerySet[Child]) -> int:
    """How many children the search matches, counted up to `DENSE_MATCHES`: a probe of the
    word index asked before choosing how to sort, which is also the count of the list (the
    lists count to a thousand). Both ways give the same rows in the same order; only the
    time differs."""
    return children.order_by().values("pk")[:DENSE_MATCHES].count()


class _NameKeys(Func):
    """`Child.name_prefixes` as an array: the expression of its GIN index (migration 0005),
    written the same so that PostgreSQL uses that index."""

    function = "string_to_array"

    def __init__(self) -> None:
        super().__init__(F("name_prefixes"), Value(" "),
                         output_field=ArrayField(models.TextField()))


def _name_search(children: ChildQuerySet, folded: str) -> ChildQuerySet:
    """Children with a word starting with each searched word, in any order: "van an",
    "nguyen van a" and "an nguyen" all find "Nguyễn Văn An".

    A fragment inside a word ("uyen") finds nothing: officers type names from their start,
    and an index of word prefixes answers in milliseconds where a trigram search over a
    province sorted thousands of candidates. A search with no letter or digit at all
    ("-") keeps the plain substring comparison."""
    words = search_words(folded)
    if not words:
        return children.filter(name_folded__contains=folded)
    keys = list(dict.fromkeys(word[:PREFIX_MAX] for word in words))
    # A word longer than the longest key: its key finds the names starting the same, the
    # name itself tells whether the whole word starts one of its words.
    for word in words:
        if len(word) > PREFIX_MAX:
            children = children.filter(name_folded__regex=rf"(^|[^a-z0-9]){word}")
    if connection.vendor == "postgresql":
        return children.alias(name_keys=_NameKeys()).filter(name_keys__contains=keys)
    # SQLite scans the table either way: each key, space-delimited, is a substring.
    padded = Concat(Value(" "), F("name_prefixes"), Value(" "), output_field=models.TextField())
    children = children.alias(name_keys=padded)
    for key in keys:
        children = children.filter(name_keys__contains=f" {key} ")
    return children


def _name_walk(children: ChildQuerySet, folded: str) -> ChildQuerySet | None:
    """The same matches as `_name_search`, found by reading the name itself rather than its
    keys, so that PostgreSQL can check them in the name index alone while walking it in
    order; None on other databases (SQLite reads the table anyway). Each searched word must
    start a word of the name: a LIKE on the name rules most names out cheaply, the regular
    expression then asks for the start of a word (PostgreSQL's and Python's alike)."""
    words = search_words(folded)
    if connection.vendor != "postgresql" or not words:
        return None
    for word in rarest_first(words, _word_frequencies()):
        # One condition per word, which PostgreSQL cannot estimate (it takes half the rows):
        # the walk is chosen only when there are many matches, and the estimate of a LIKE
        # and a regular expression about the same word, multiplied as if independent,
        # made it sort the whole table instead ("van phu": 1.3 s).
        children = children.filter(Case(
            When(name_folded__contains=word,
                 then=ExpressionWrapper(Q(name_folded__regex=rf"(^|[^a-z0-9]){word}"),
                                        output_field=models.BooleanField())),
            default=Value(False), output_field=models.BooleanField()))
    return children


_FREQUENCIES: dict[str, Any] = {"at": -1e9, "words": {}}
FREQUENCIES_KEPT = 600  # seconds: statistics change only when PostgreSQL analyses the table


def rarest_first(words: list[str], frequencies: dict[str, float]) -> list[str]:
    """The searched words, the rarest first (a word not among the common keys is rarer than
    all of them): PostgreSQL checks a row's conditions in the order written, and a common
    word first ("thi", half the names) doubled the time of a walk ("thi chu")."""
    return sorted(words, key=lambda word: frequencies.get(word[:PREFIX_MAX], 0.0))


def _word_frequencies() -> dict[str, float]:
    """The share of names with a word starting with each common key, as PostgreSQL's
    statistics of the word index know it (its most common elements; a key not among them is
    rarer than all of them). Kept for a few minutes per process."""
    now = time.monotonic()
    if now - _FREQUENCIES["at"] < FREQUENCIES_KEPT:
        return _FREQUENCIES["words"]
    with connection.cursor() as cursor:
        cursor.execute(_INDEX_STATISTICS)
        rows = cursor.fetchall()
    # A register partitioned by province has the statistics of each partition's index: a
    # word's share of the whole is their mean weighted by the partitions' sizes.
    weighted: dict[str, float] = {}
    total = sum(max(size, 0.0) for _words, _freqs, size in rows)
    for words, freqs, size in rows:
        for word, share in zip(words or [], freqs or [], strict=False):
            weighted[word] = weighted.get(word, 0.0) + share * max(size, 0.0)
    words = {word: share / total for word, share in weighted.items()} if total else {}
    _FREQUENCIES.update(at=now, words=words)
    return words


# The word index's statistics: its own on a plain table, its partitions' on a partitioned
# one, each with its table's number of rows.
_INDEX_STATISTICS = """
SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, t.reltuples::float
FROM pg_stats s
JOIN pg_class i ON i.relname = s.tablename AND i.relkind = 'i'
JOIN pg_index x ON x.indexrelid = i.oid
JOIN pg_class t ON t.oid = x.indrelid
WHERE i.oid = to_regclass('registry_child_name_prefixes')
   OR i.oid IN (SELECT inhrelid FROM pg_inherits
                WHERE inhparent = to_regclass('registry_child_name_prefixes'))
"""


@dataclass(frozen=True)
class ChildView:
    """A child as one user may see it. `until` is set when the user sees the record only
    through a commune the child has left: what happened after the move is not theirs."""

    child: Child
    until: datetime.date | None
    can_edit: bool


def get_child_for_user(*, user: User, child_id: Any, for_write: bool = False) -> ChildView:
    """404 when the child is missing or outside the user's scope (now and in the past);
    403 when `for_write` and the user may see but not change it."""
    child = (Child.objects.select_related("commune", "village", "ethnicity", "household",
                                          "merged_into")
             .annotate(restricted=Exists(ChildRestriction.objects.active()
                                         .filter(child=OuterRef("pk"))))
             .filter(public_id=child_id).first())
    if child is None or (getattr(child, "restricted", False)
                         and not restricted_readable(user=user, child=child)):
        raise Http404
    current = user.in_scope(child.unit_path, capability=Capability.VIEW_CHILDREN)
    until = None
    if not current:
        paths = user.scope_paths(capability=Capability.VIEW_CHILDREN)
        past = (ChildResidence.objects.filter(child=child, end_date__isnull=False)
                .filter(any_subtree_q(paths, field="unit_path"))
                .order_by("-end_date").values_list("end_date", flat=True).first())
        if past is None:
            raise Http404
        until = past
    can_edit = (until is None and child.merged_into_id is None
                and user.in_scope(child.unit_path, capability=Capability.MANAGE_CHILDREN))
    if for_write and not can_edit:
        raise PermissionDenied
    return ChildView(child=child, until=until, can_edit=can_edit)


def restricted_readable(*, user: User, child: Child) -> bool:
    """False when the child's processing is restricted to roles `user` does not hold over it
    (one query, only when the child has an active restriction)."""
    restriction = active_restriction(child=child)
    if restriction is None:
        return True
    return any(user.in_role_scope(child.unit_path, role) for role in restriction.role_list)


def active_restriction(*, child: Child) -> ChildRestriction | None:
    return ChildRestriction.objects.active().filter(child=child).first()


@dataclass(frozen=True)
class TimelineEntry:
    day: datetime.date | None  # None only for the "restricted" notice, which has no date
    kind: str          # "circumstance", "risk", "support", "residence", "status", "birth",
                       # "death", "restricted"
    label: str
    end: datetime.date | None
    row: Any


def child_timeline(*, view: ChildView, user: User) -> list[TimelineEntry]:
    """Everything that happened to the child, oldest first, cut at `view.until`. Groups that
    reveal abuse the user may not read are left out, and one undated notice, first, says that
    such a circumstance exists."""
    child, until = view.child, view.until

    def upto(rows: QuerySet) -> QuerySet:
        return rows.filter(start_date__lte=until) if until else rows

    def end_of(row: Any) -> datetime.date | None:
        # A row ended after the move was ended by the new commune: still open as of `until`.
        return row.end_date if until is None or (row.end_date or until) <= until else None

    entries = [TimelineEntry(child.birth_date, "birth", "", None, None)]
    circumstances = upto(child.circumstances.select_related("group"))
    for row in circumstances.filter(circumstances_seen_by(user)):
        entries.append(TimelineEntry(row.start_date, "circumstance", str(row.group),
                                     end_of(row), row))
    for row in upto(child.risks.all()):
        entries.append(TimelineEntry(row.start_date, "risk", row.get_flag_display(),
                                     end_of(row), row))
    for row in upto(child.supports.all()):
        entries.append(TimelineEntry(row.start_date, "support", row.get_kind_display(),
                                     end_of(row), row))
    for row in upto(child.residences.select_related("commune", "village")):
        place = row.village.name if row.village else row.commune.name
        entries.append(TimelineEntry(row.start_date, "residence", place, end_of(row), row))
    for row in child.statuses_past.all():
        # Shown on the day of the change, with the value it replaced: nothing of what the
        # child's record says after `until` is shown to the commune the child left.
        changed = row.end_date + datetime.timedelta(days=1)
        if until is None or changed <= until:
            entries.append(TimelineEntry(changed, "status", _status_label(row), None, None))
    if child.death_date and (until is None or child.death_date <= until):
        entries.append(TimelineEntry(child.death_date, "death", child.get_death_cause_display(),
                                     None, None))
    ordered = sorted(entries, key=lambda e: (e.day, e.kind))
    if circumstances.exclude(circumstances_seen_by(user)).exists():
        ordered.insert(0, TimelineEntry(None, "restricted", str(RESTRICTED_CIRCUMSTANCE),
                                        None, None))
    return ordered


def _status_label(row: ChildStatusPast) -> str:
    field = Child._meta.get_field(row.field)
    if row.field in statuses.YES_NO:
        value = gettext("Có") if row.value == "1" else gettext("Không")
    else:
        value = str(dict(field.choices or ()).get(row.value, row.value or "—"))  # type: ignore[union-attr]
    return gettext("%(field)s (trước đó: %(value)s)") % {
        "field": field.verbose_name, "value": value}  # type: ignore[union-attr]


def current_circumstances(*, user: User, child: Child,
                          on: datetime.date | None = None) -> QuerySet:
    """The child's groups on the day that `user` may read in full."""
    return ChildCircumstance.objects.on(on or timezone.localdate()).filter(
        child=child).filter(circumstances_seen_by(user)).select_related("group")


def has_hidden_circumstance(*, user: User, child: Child, on: datetime.date | None = None) -> bool:
    """Whether the child is in a group on the day that reveals abuse and `user` may not read."""
    return ChildCircumstance.objects.on(on or timezone.localdate()).filter(
        child=child).exclude(circumstances_seen_by(user)).exists()


def caregivers_of(*, child: Child) -> QuerySet[Caregiver]:
    return child.caregivers.all()


def communes_to_register(*, user: User) -> list[Unit]:
    """Current communes where the user may record children (its own, or its village's)."""
    units = Unit.objects.visible_to(user, capability=Capability.MANAGE_CHILDREN).current()
    communes = {u.pk: u for u in units.filter(level=Level.COMMUNE)}
    for village in units.filter(level=Level.VILLAGE).select_related("parent"):
        communes.setdefault(village.parent_id, village.parent)  # type: ignore[arg-type]
    return sorted(communes.values(), key=lambda u: u.name_folded)


def get_register_commune_for_user(*, user: User, code: str) -> Unit:
    """The current commune of `code` where the user records children; 404 when there is none
    or it is not the user's, alike (the API names communes by code)."""
    commune = next((c for c in communes_to_register(user=user) if c.code == code), None)
    if commune is None:
        raise Http404
    return commune


def get_register_child_for_user(*, user: User, child_id: Any) -> Child:
    """A child on the register the user keeps (to open a case on it, say); 404 when missing,
    merged away or not the user's to keep, alike."""
    child = (Child.objects.visible_to(user, capability=Capability.MANAGE_CHILDREN).on_record()
             .filter(public_id=child_id).first())
    if child is None:
        raise Http404
    return child


def children_to_name(*, user: User, q: str, within: str, limit: int = 20) -> list[Child]:
    """Children on the register the user reads, living now in the area of the path
    `within`, whose name matches `q` as in the register's search: those an officer may name
    in a record of another app (a child in an activity). No words, no children."""
    folded = fold(q)
    if not search_words(folded):
        return []
    children = (Child.objects.visible_to(user, capability=Capability.VIEW_CHILDREN)
                .on_record().filter(any_subtree_q([within], field="unit_path")))
    return list(_name_search(children, folded).select_related("commune", "village")
                .order_by("name_folded", "pk")[:limit])


def household_list(*, user: User, q: str = "") -> QuerySet[Household]:
    households = Household.objects.visible_to(user, capability=Capability.VIEW_CHILDREN)
    folded = fold(q)
    if folded:
        households = households.filter(head_name_folded__contains=folded)
    return households.select_related("commune", "village").order_by("head_name_folded", "id")


def household_search(*, user: User, q: str, commune: Unit | None = None,
                     capability: str = Capability.MANAGE_CHILDREN) -> QuerySet[Household]:
    """The households of the user's scope (of `commune`, if given) that match `q`: every
    word in the head's name or the village's, accents or not, or `q` in the address as
    written, or its digits in the phone. For the pickers of the forms: at most a screen
    of them is read."""
    words = fold(q).split()
    if not words:
        return Household.objects.none()
    households = Household.objects.visible_to(user, capability=capability)
    if commune is not None:
        households = households.filter(commune=commune)
    by_head, by_village = Q(), Q()
    for word in words:
        by_head &= Q(head_name_folded__contains=word)
        by_village &= Q(village__name_folded__contains=word)
    found = by_head | by_village | Q(address__icontains=q.strip())
    digits = "".join(ch for ch in q if ch.isdigit())
    if len(digits) >= 4:
        found |= Q(phone__contains=digits)
    return (households.filter(found).select_related("commune", "village")
            .order_by("head_name_folded", "id"))


def get_household_for_user(*, user: User, household_id: Any,
                           for_write: bool = False) -> Household:
    """404 when missing or outside the user's scope; 403 when `for_write` and the user may
    see but not change it."""
    household = (Household.objects.visible_to(user, capability=Capability.VIEW_CHILDREN)
                 .select_related("commune", "village").filter(public_id=household_id).first())
    if household is None:
        raise Http404
    if for_write and not user.in_scope(household.unit_path,
                                  capability=Capability.MANAGE_CHILDREN):
        raise PermissionDenied
    return household


def get_caregiver_for_user(*, user: User, caregiver_id: Any, for_write: bool = False
                           ) -> Caregiver:
    """A child's caregiver, seen (and changed) as the child is (`get_child_for_user`)."""
    caregiver = Caregiver.objects.filter(public_id=caregiver_id).first()
    if caregiver is None:
        raise Http404
    view = get_child_for_user(user=user, child_id=caregiver.child.public_id, for_write=for_write)
    caregiver.child = view.child
    return caregiver


def household_book(*, user: User, household: Household,
                   on: datetime.date | None = None) -> list[Child]:
    """The children of a household with what the tracking book shows of each (groups revealing
    abuse only to who may read them; `hidden_circumstance` says one is left out)."""
    day = on or timezone.localdate()
    seen = circumstances_seen_by(user)
    hidden = ChildCircumstance.objects.on(day).filter(child_id=OuterRef("pk")).exclude(seen)
    return list(
        household.children.on_record().annotate(hidden_circumstance=Exists(hidden))
        .order_by("birth_date").prefetch_related(
            Prefetch("circumstances", queryset=ChildCircumstance.objects.on(day).filter(seen)
                     .select_related("group").order_by("group__code"),
                     to_attr="current_circumstances"),
            Prefetch("supports", queryset=ChildSupport.objects.on(day), to_attr="current_supports"),
            Prefetch("risks", queryset=ChildRisk.objects.on(day), to_attr="current_risks"),
            "caregivers",
        ).select_related("ethnicity", "village")
    )


DUPLICATE_SCORE = 85  # rapidfuzz token-sort ratio of folded names, out of 100
# Family and middle names repeat across thousands of children ("nguyen van"); the given name,
# the last word, must agree on its own too.
GIVEN_NAME_SCORE = 80


def _given_names_agree(first: list[str], second: list[str]) -> bool:
    """Each name's given name (its last word; names are sometimes written in another order)
    is close to one word of the other: same first letter, similar spelling."""
    from rapidfuzz import fuzz

    def close(word: str, words: list[str]) -> bool:
        return any(w[:1] == word[:1] and fuzz.ratio(word, w) >= GIVEN_NAME_SCORE for w in words)

    return bool(first and second) and close(first[-1], second) and close(second[-1], first)


def possible_duplicates(*, user: User, full_name: str, birth_date: datetime.date, sex: str,
                        province_code: str, personal_id: str | None = None,
                        exclude_pk: int | None = None, limit: int = 5,
                        among: ChildQuerySet | None = None) -> list[Child]:
    """Children already on record who may be this one: same personal id, or same sex, a birth
    date within a year and a similar unaccented name, anywhere in the province.

    Only those the user may see are returned; the others still block nothing, and the
    province's deduplication queue finds them later. `among` looks in those children instead
    (a check made for the user, whose results it is not shown).
    """
    from rapidfuzz import fuzz

    visible = (among if among is not None else
               Child.objects.visible_to(user, capability=Capability.VIEW_CHILDREN)).on_record()
    if exclude_pk is not None:
        visible = visible.exclude(pk=exclude_pk)
    found: dict[int, Child] = {}
    if personal_id:
        for child in visible.filter(personal_id=personal_id):
            found[child.pk] = child
    folded = fold(full_name)
    candidates = visible.filter(
        province_code=province_code, sex=sex,
        birth_date__gte=birth_date - datetime.timedelta(days=366),
        birth_date__lte=birth_date + datetime.timedelta(days=366),
    ).select_related("commune", "village")[:500]
    words = folded.split()
    for child in candidates:
        if (fuzz.token_sort_ratio(folded, child.name_folded) >= DUPLICATE_SCORE
                and _given_names_agree(words, child.name_folded.split())):
            found.setdefault(child.pk, child)
    return list(found.values())[:limit]
