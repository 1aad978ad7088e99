"""Reads of the unit tree, always limited to what the user may see."""

from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404

from treem.geo.models import LEVEL_DEPTH, Level, Unit, UnitSuccession, Viewer
from treem.geo.paths import ancestor_paths
from treem.lib.text import fold


def unit_search(*, user: Viewer, q: str = "", level: str = "", include_former: bool = False,
                parent: Unit | None = None) -> QuerySet[Unit]:
    """Units in scope whose unaccented name contains `q` (or whose code is `q`)."""
    units = Unit.objects.visible_to(user).select_related("parent")
    if not include_former:
        units = units.current()
    if parent is not None:
        units = units.within(parent).exclude(pk=parent.pk)
    if level:
        units = units.filter(level=level)
    folded = fold(q)
    if folded:
        units = units.filter(Q(name_folded__contains=folded) | Q(code=q.strip()))
    return units.order_by("path")


def commune_search(*, user: Viewer, q: str, capability: str | None = None) -> QuerySet[Unit]:
    """The current communes of the user's scope (through `capability`) whose name holds every
    word of `q`, accents or not ("thuc phan" finds "Phường Thục Phán"), or whose code is `q`;
    names starting with the first word first. With their province, to tell apart the
    communes of one name (there are dozens of "Xã Tân Lập")."""
    words = fold(q).split()
    if not words:
        return Unit.objects.none()
    communes = (Unit.objects.visible_to(user, capability=capability).current()
                .filter(level=Level.COMMUNE).select_related("parent"))
    by_name = Q()
    for word in words:
        by_name &= Q(name_folded__contains=word)
    communes = communes.filter(by_name | Q(code=q.strip()))
    # "Phường Thục Phán" starts with its kind: the name proper follows the first space.
    starts = Q(name_folded__startswith=words[0]) | Q(name_folded__contains=f" {words[0]}")
    return communes.annotate(
        rank=Case(When(starts, then=Value(0)), default=Value(1))).order_by("rank", "name_folded",
                                                                           "code")


def unit_children(*, user: Viewer, unit: Unit) -> QuerySet[Unit]:
    return (
        Unit.objects.visible_to(user).filter(parent=unit)
        .annotate(child_count=Count("children"))
        .order_by("name_folded")
    )


def unit_roots(*, user: Viewer) -> QuerySet[Unit]:
    """The units of the user's active assignments: where browsing starts."""
    unit_ids = user.assigned_unit_ids()
    return (
        Unit.objects.filter(pk__in=unit_ids)
        .annotate(child_count=Count("children"))
        .order_by("path")
    )


def get_unit_for_user(*, user: Viewer, unit_id: Any, capability: str | None = None) -> Unit:
    """404 when the unit does not exist or lies outside the user's scope, alike.

    With `capability`, the scope is that of the roles granting it: a unit the user may see but
    not act on through that capability is not found either.
    """
    unit = (Unit.objects.visible_to(user, capability=capability).select_related("parent")
            .filter(public_id=unit_id).first())
    if unit is None:
        raise Http404
    return unit


def unit_breadcrumbs(*, user: Viewer, unit: Unit) -> list[Unit]:
    """The unit's ancestors that the user may see, root first."""
    paths = ancestor_paths(unit.path)[:-1]
    return list(Unit.objects.visible_to(user).filter(path__in=paths).order_by("path"))


def unit_predecessors(*, user: Viewer, unit: Unit) -> QuerySet[UnitSuccession]:
    return (
        UnitSuccession.objects.filter(successor=unit)
        .filter(predecessor__in=Unit.objects.visible_to(user))
        .select_related("predecessor__parent").order_by("predecessor__path")
    )


def unit_successors(*, user: Viewer, unit: Unit) -> QuerySet[UnitSuccession]:
    return (
        UnitSuccession.objects.filter(predecessor=unit)
        .filter(successor__in=Unit.objects.visible_to(user))
        .select_related("successor__parent").order_by("successor__path")
    )


def level_counts(*, user: Viewer) -> dict[str, int]:
    rows = Unit.objects.visible_to(user).current().values("level").annotate(n=Count("id"))
    counts = {row["level"]: row["n"] for row in rows}
    return {level: counts.get(level, 0) for level in Level.values}


def current_unit_by_code(level: str, code: str) -> Unit | None:
    """The current unit of `level` with the official `code` (codes repeat across periods)."""
    return Unit.objects.current().filter(level=level, code=code).first() if code else None


PICKER_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
PICKER_MAX = 800  # a province's units of both structures (a few hundred); a nation's are not


def units_to_pick(*, user: Viewer, capability: str | None = None) -> tuple[list[Unit], list[Unit]]:
    """The units a page's unit picker offers: (units of today, units dissolved on 30 June
    2025), each in the user's scope for `capability`, a province before its communes and
    these by name. No villages (no figures are kept for them alone); a scope too large to
    list (the nation's 13,000 units) offers its provinces only: the page drills down."""
    units = Unit.objects.visible_to(user, capability=capability).filter(level__in=PICKER_LEVELS)
    if units.count() > PICKER_MAX:
        units = units.filter(level=Level.PROVINCE)
    ordered = sorted(units.only("public_id", "level", "name", "name_folded", "path",
                                "province_code", "valid_from", "valid_to"),
                     key=lambda u: (u.province_code, u.valid_to is not None,
                                    LEVEL_DEPTH[u.level], u.name_folded))
    return ([u for u in ordered if u.valid_to is None],
            [u for u in ordered if u.valid_to is not None])
