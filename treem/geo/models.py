"""Administrative units of Viet Nam as one tree across the July 2025 reorganisation.

Units of both structures live in one table. Units of the structure before 1 July 2025
(63 provinces, districts, ~10,000 communes) carry valid_to = 2025-06-30; those of the current
structure (34 provinces, 3,321 communes, no district level) carry valid_from = 2025-07-01.
Records made before the merger stay attached to the unit of their time; `UnitSuccession` maps
each old commune to the new commune(s) that took its territory, so trends can be followed.
"""

import datetime
import uuid
from typing import Any, Protocol, Self

from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from treem.geo.paths import SEGMENT_WIDTH, PathField, any_subtree_q, subtree_q

REORGANISATION_DATE = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REORGANISATION = datetime.date(2025, 6, 30)


class Level(models.TextChoices):
    NATION = "nation", _("Quốc gia")
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Quận, huyện")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    VILLAGE = "village", _("Thôn, bản, tổ dân phố")


LEVEL_DEPTH = {
    Level.NATION: 0,
    Level.PROVINCE: 1,
    Level.DISTRICT: 2,
    Level.COMMUNE: 3,
    Level.VILLAGE: 4,
}


class Viewer(Protocol):
    """Who reads: a user who knows the unit paths it may read (`accounts.User`). The scope is a
    method of the user so that the unit tree, below accounts, never imports them."""

    @property
    def is_authenticated(self) -> bool: ...

    def scope_paths(self, *, capability: str | None = None) -> list[str]: ...

    def assigned_unit_ids(self) -> set[int]: ...


def readable_paths(viewer: Viewer | object, capability: str | None = None) -> list[str]:
    """The paths `viewer` may read; none for an anonymous visitor."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return viewer.scope_paths(capability=capability)  # type: ignore[union-attr]


_STEP = SEGMENT_WIDTH + 1
# Province unit id → its code. Units are never renumbered and a province never changes its
# code, so the cache is never stale.
_code_of_province: dict[int, str] = {}


def province_codes(paths: list[str]) -> list[str] | None:
    """The province codes (`province_code`) of the rows under `paths`, or None when a path is
    the nation's: every province, no bound. A scope's paths are ranges of ids, not of codes,
    so PostgreSQL cannot skip a province's partition from them alone."""
    ids: set[int] = set()
    for path in paths:
        if len(path) < 2 * _STEP:
            return None
        ids.add(int(path[_STEP:2 * _STEP - 1]))
    missing = ids - _code_of_province.keys()
    if missing:
        _code_of_province.update(
            Unit.objects.filter(pk__in=missing).values_list("pk", "province_code"))
    return sorted({_code_of_province[pk] for pk in ids if pk in _code_of_province})


class ScopedQuerySet(models.QuerySet):
    """Base of every queryset whose rows belong to a unit.

    Subclasses name in `scope_path` the lookup that reaches the owning unit's path
    ("unit__path", "child__unit__path", ...). `visible_to(user)` is the one place where a
    user's geographic scope turns into SQL; selectors call it and never filter by unit themselves.
    """

    scope_path = "unit__path"
    # On a table partitioned by province (PostgreSQL), the lookups of the row's province code
    # (and of the partitioned rows it is joined to for its scope): the scope's codes are added
    # to the filter so that only their partitions are read.
    province_fields: tuple[str, ...] = ()

    def within(self, unit: "Unit") -> Self:
        return self.filter(subtree_q(unit.path, field=self.scope_path)).in_provinces_of([unit.path])

    def within_paths(self, paths: list[str]) -> Self:
        return self.filter(any_subtree_q(paths, field=self.scope_path)).in_provinces_of(paths)

    def in_provinces_of(self, paths: list[str]) -> Self:
        """Only rows of the provinces of `paths` (PostgreSQL: only their partitions are read),
        for a query that bounds its scope itself."""
        if not self.province_fields or not paths or connections[self.db].vendor != "postgresql":
            return self
        codes = province_codes(paths)
        if codes is None:
            return self
        return self.filter(**{f"{field}__in": codes for field in self.province_fields})

    def visible_to(self, user: Viewer | object, *, capability: str | None = None) -> Self:
        return self.within_paths(readable_paths(user, capability))


class UnitQuerySet(ScopedQuerySet):
    scope_path = "path"

    def current(self) -> Self:
        return self.filter(valid_to__isnull=True)

    def valid_on(self, day: datetime.date) -> Self:
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class Unit(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    level = models.CharField(max_length=10, choices=Level.choices)
    # Official code of the General Statistics Office (2 digits for a province, 3 for a district,
    # 5 for a commune). A commune code of the current structure may repeat a code of the old
    # structure, so codes are unique per level and period, not globally. Villages get
    # "<commune code>-<nnn>" since they have no national code.
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, help_text="Tỉnh, Thành phố, Huyện, Xã, Phường, Thôn…")
    name_folded = models.CharField(max_length=200, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = PathField(max_length=64, unique=True)
    # Code of the province the unit lies in (its own code for a province), the distribution key
    # of every large table when the database is sharded by province.
    province_code = models.CharField(max_length=2, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_to"], name="geo_unit_code_unique_per_period"
            ),
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=models.Q(valid_to__isnull=True),
                name="geo_unit_current_code_unique",
            ),
            # Two villages of one commune never share a name, however it is accented or cased.
            models.UniqueConstraint(
                fields=["parent", "name_folded"],
                condition=models.Q(level="village"),
                name="geo_village_name_unique_in_commune",
            ),
        ]
        indexes = [
            models.Index(fields=["level", "valid_to"], name="geo_unit_level_valid_idx"),
            models.Index(fields=["parent", "name_folded"], name="geo_unit_parent_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if self.level == Level.PROVINCE:  # known now: no query when a scope names it
            _code_of_province[self.pk] = self.province_code

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def depth(self) -> int:
        return len(self.path) // 9 - 1

    def contains(self, other: "Unit") -> bool:
        """Whether `other` is this unit or lies under it."""
        return other.path.startswith(self.path)


class SuccessionKind(models.TextChoices):
    WHOLE = "whole", _("Nhập toàn bộ")
    PART = "part", _("Một phần (đơn vị cũ bị chia)")


class UnitSuccession(models.Model):
    """One old unit's territory going (wholly or in part) to a new unit on `effective_on`."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessions")
    kind = models.CharField(max_length=8, choices=SuccessionKind.choices)
    # For an old commune divided between several new ones: the new commune that records of the
    # old one map to when nothing finer (an address) is known.
    is_default = models.BooleanField(default=True)
    effective_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="geo_succession_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"


class Dataset(models.Model):
    """Which packaged data set the official units were loaded from, so a reload is a no-op."""

    name = models.CharField(max_length=64, unique=True)
    version = models.CharField(max_length=32)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
