"""The indicator catalogue as data: sets of indicators (the statistical set of Thông tư
13/2021, each local plan's own targets), their versioned definitions, targets per unit and year,
and the figures sectors enter. A report keeps the version it was built with, so a later change
of a definition never changes a past report.
"""

import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.accounts.roles import Sector
from treem.geo.models import Level, ScopedQuerySet, Unit, Viewer, readable_paths
from treem.geo.paths import PathField, ancestor_paths, any_subtree_q


class UnitKind(models.TextChoices):
    COUNT = "count", _("Số lượng")
    PERCENT = "percent", _("Tỷ lệ %")
    PER_100 = "per_100", _("Trên 100 (tỷ số)")
    PER_1000 = "per_1000", _("Phần nghìn (‰)")
    PER_1000_BIRTHS = "per_1000_births", _("Trên 1.000 trẻ đẻ sống")
    PER_100K_CHILDREN = "per_100k_children", _("Trên 100.000 trẻ em")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Tính từ sổ theo dõi và hồ sơ trường hợp")
    ENTERED = "entered", _("Ngành nhập số liệu tổng hợp")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Năm")
    HALF = "half", _("6 tháng")
    QUARTER = "quarter", _("Quý")
    MONTH = "month", _("Tháng")


class Direction(models.TextChoices):
    """How a value is compared with its target (`treem.indicators.comparisons`): the plans'
    "dưới" and "trên" are strict, "không quá" and "ít nhất" are not."""

    AT_LEAST = "at_least", _("Đạt ít nhất")
    AT_MOST = "at_most", _("Không vượt quá")
    BELOW = "below", _("Dưới")
    ABOVE = "above", _("Trên")


def default_entry_levels() -> list[str]:
    return [Level.COMMUNE.value]


def applies_to_q(unit: "Unit", *, field: str = "owner_path") -> Q:
    """The sets that apply to `unit`: the national ones, those of the plans of the unit and of
    the units above it, and of the units dissolved in 2025 whose area it lies in or holds (a
    district's plan goes on with the communes it became) — never a sibling's or another
    province's plan."""
    from treem.geo.lineage import former_paths

    return Q(**{field: ""}) | Q(**{f"{field}__in": set(ancestor_paths(unit.path))
                                   | set(former_paths(unit))})


def applies_to(owner_path: str, unit: "Unit") -> bool:
    """`applies_to_q` for one set: no query for a national set or a plan of a unit above."""
    if owner_path in ("", *ancestor_paths(unit.path)):
        return True
    from treem.geo.lineage import former_paths

    return owner_path in former_paths(unit)


class IndicatorSetQuerySet(ScopedQuerySet):
    scope_path = "owner_path"

    def visible_to(self, user: Viewer | object, *, capability: str | None = None) -> Self:
        """National sets (no owner), the sets of the user's units and those of the units above
        (a commune works to its district's and province's plans)."""
        paths = readable_paths(user, capability)
        if not paths:
            return self.none()
        above = {ancestor for path in paths for ancestor in ancestor_paths(path)}
        return self.filter(Q(owner_path="") | Q(owner_path__in=above)
                           | any_subtree_q(paths, field="owner_path"))


class IndicatorSet(models.Model):
    """A catalogue: the national statistical set, or a plan's targets (a province's, a
    district's, a commune's), which the owner's administrators keep."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    source = models.TextField(_("văn bản, nguồn"), blank=True)
    owner = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("đơn vị quản lý"))
    owner_path = PathField(max_length=64, blank=True, db_index=True)  # "" for national sets
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IndicatorSetQuerySet.as_manager()

    class Meta:
        ordering = ["owner_path", "code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT,
                                      related_name="indicators")
    code = models.CharField(_("mã chỉ tiêu"), max_length=20)
    group = models.CharField(_("nhóm"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator_set", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"],
                                               name="indicators_code_per_set")]

    def __str__(self) -> str:
        return self.code


class IndicatorVersion(models.Model):
    """One definition of an indicator, never changed once saved: an edit is a new version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(_("tên chỉ tiêu"), max_length=400)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=400, blank=True)
    unit_kind = models.CharField(_("đơn vị tính"), max_length=20, choices=UnitKind.choices)
    source = models.CharField(_("nguồn số liệu"), max_length=10, choices=Source.choices)
    agency = models.CharField(_("cơ quan chịu trách nhiệm"), max_length=16, blank=True,
                              choices=Sector.choices)
    period_kind = models.CharField(_("kỳ"), max_length=10, choices=PeriodKind.choices,
                                   default=PeriodKind.HALF)
    direction = models.CharField(_("chiều đánh giá"), max_length=10, choices=Direction.choices,
                                 default=Direction.AT_LEAST)
    numerator = models.TextField(_("tử số"), blank=True)
    denominator = models.TextField(_("mẫu số"), blank=True)
    # A computed indicator's definition as data (see treem.indicators.spec): which children,
    # cases, births or deaths it counts, compiled to one SQL query per family of indicators.
    spec = models.JSONField(default=dict, blank=True)
    disaggregations = models.JSONField(default=list, blank=True)  # e.g. ["sex", "age_group"]
    # The levels whose own figures a sector enters (an entered indicator): ["commune"] for
    # what happens in communes; ["province"] for what the province does itself (its staff
    # trained). A unit's value is its own figure plus those of the units below it.
    entry_levels = models.JSONField(default=default_entry_levels, blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    reference = models.TextField(_("căn cứ"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "-number"]
        constraints = [models.UniqueConstraint(fields=["indicator", "number"],
                                               name="indicators_one_number_per_version")]

    def __str__(self) -> str:
        return f"{self.indicator.code} v{self.number}"


class TargetQuerySet(ScopedQuerySet):
    scope_path = "unit__path"


class Target(models.Model):
    """A unit's value to reach (or its baseline) for an indicator in a year."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Giá trị gốc")
        TARGET = "target", _("Mục tiêu")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TARGET)
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=3)
    direction = models.CharField(_("chiều đánh giá"), max_length=10, choices=Direction.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "unit", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "year", "kind"],
                                               name="indicators_one_target")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.year} {self.kind}"


class FigureQuerySet(ScopedQuerySet):
    scope_path = "unit_path"
    province_fields = ("province_code",)

    def current(self) -> "FigureQuerySet":
        return self.filter(superseded_at__isnull=True)


class SectorFigure(models.Model):
    """An aggregate a sector enters for a unit and period (health: vaccination, education:
    drop-out…). A correction supersedes the row, which stays as history."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(IndicatorVersion, on_delete=models.PROTECT,
                                related_name="figures")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2, blank=True, default="")  # the unit's
    period = models.CharField(_("kỳ"), max_length=8)
    breakdown = models.CharField(max_length=120, blank=True)  # "" total, "sex=f", …
    numerator = models.DecimalField(_("tử số"), max_digits=14, decimal_places=3)
    denominator = models.DecimalField(_("mẫu số"), max_digits=14, decimal_places=3, null=True,
                                      blank=True)
    comment = models.TextField(_("giải trình"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = FigureQuerySet.as_manager()
    # Partitioned by this column on PostgreSQL (`treem.partitions`, docs/scale.md).
    partitioned_by = "province_code"

    class Meta:
        ordering = ["version", "unit", "period", "breakdown", "-entered_at"]
        constraints = [models.UniqueConstraint(
            fields=["version", "unit", "period", "breakdown"],
            condition=Q(superseded_at__isnull=True), name="indicators_one_current_figure")]

    def __str__(self) -> str:
        return f"{self.version_id} {self.unit_id} {self.period} {self.breakdown}"
