"""Reading the review queue and the merge log, each limited to the user's scope."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.geo.models import Level, Unit
from treem.registry.models import Child, ChildMerge, DuplicatePair, DuplicateSearch

STATUSES = {s.value for s in DuplicatePair.Status}


def pair_list(*, user: User, status: str = DuplicatePair.Status.OPEN) -> QuerySet[DuplicatePair]:
    """Pairs of the user's scope, most likely first. Open pairs whose records were merged
    since (in another pair) are not shown."""
    pairs = DuplicatePair.objects.visible_to(user, capability=Capability.MERGE_CHILDREN)
    if status == DuplicatePair.Status.OPEN or status not in STATUSES:
        pairs = pairs.waiting()
    else:
        pairs = pairs.filter(status=status)
    return pairs.select_related("child_a__commune", "child_a__village", "child_b__commune",
                                "child_b__village").order_by("-score", "id")


def get_pair_for_user(*, user: User, pair_id: Any) -> DuplicatePair:
    pair = (DuplicatePair.objects.visible_to(user, capability=Capability.MERGE_CHILDREN)
            .select_related("child_a__commune", "child_a__village", "child_a__ethnicity",
                            "child_a__household", "child_b__commune", "child_b__village",
                            "child_b__ethnicity", "child_b__household", "decided_by")
            .filter(public_id=pair_id).first())
    if pair is None:
        raise Http404
    return pair


@dataclass(frozen=True)
class FieldRow:
    label: str
    first: str
    second: str

    @property
    def differs(self) -> bool:
        return self.first != self.second


SIDE_BY_SIDE = ("full_name", "sex", "birth_date", "birth_date_precision", "ethnicity",
                "personal_id", "birth_registered", "commune", "village", "household",
                "living_arrangement", "school_level", "school_status", "disability_type",
                "health_insurance", "death_date")


def _display(child: Any, name: str) -> str:
    field = type(child)._meta.get_field(name)
    value = getattr(child, name)
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return str(getattr(child, f"get_{name}_display")())
    if isinstance(value, bool):
        from django.utils.translation import gettext as _

        return _("Có") if value else _("Không")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _label(name: str) -> str:
    from django.utils.translation import gettext as _

    if name == "household":  # the field has no label of its own
        return _("Hộ gia đình")
    return str(Child._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def side_by_side(pair: DuplicatePair) -> list[FieldRow]:
    rows = [FieldRow(_label(n), _display(pair.child_a, n), _display(pair.child_b, n))
            for n in SIDE_BY_SIDE]
    carers = [", ".join(f"{c.full_name} ({c.get_relation_display()})"
                        for c in child.caregivers.all()) or "—"
              for child in (pair.child_a, pair.child_b)]
    from django.utils.translation import gettext as _

    rows.append(FieldRow(_("Người chăm sóc"), carers[0], carers[1]))
    return rows


def provinces_to_search(*, user: User) -> list[Unit]:
    """The provinces whose duplicates the user may search: those its scope lies in."""
    codes = {path_province for path_province in
             Unit.objects.visible_to(user, capability=Capability.MERGE_CHILDREN)
             .order_by().values_list("province_code", flat=True).distinct() if path_province}
    return list(Unit.objects.current().filter(level=Level.PROVINCE, code__in=codes))


def last_searches(*, user: User) -> QuerySet[DuplicateSearch]:
    codes = [p.code for p in provinces_to_search(user=user)]
    return DuplicateSearch.objects.filter(province__code__in=codes).order_by("-started_at")


def merge_list(*, user: User, reference: str = "") -> QuerySet[ChildMerge]:
    """The merge log of the administrator's scope; a reference ("G-1A2B3C4D") narrows it."""
    merges = ChildMerge.objects.within_paths(
        user.scope_paths(capability=Capability.UNMERGE_CHILDREN))
    reference = reference.strip().upper().removeprefix("G-").lower()
    if reference:
        merges = merges.filter(public_id__startswith=reference[:8])
    return merges.select_related("merged_by", "undone_by").order_by("-merged_at", "-id")


def get_merge_for_user(*, user: User, merge_id: Any) -> ChildMerge:
    merge = merge_list(user=user).filter(public_id=merge_id).first()
    if merge is None:
        raise Http404
    return merge


def merges_of_child(*, child: Any) -> QuerySet[ChildMerge]:
    """Merges into or out of this record, for its page."""
    from django.db.models import Q

    return ChildMerge.objects.filter(Q(kept=child) | Q(merged=child)).order_by("-merged_at")
