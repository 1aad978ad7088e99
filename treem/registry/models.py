"""The child register: children, households, caregivers and their effective-dated history.

Nothing about a child's situation is overwritten. Special circumstances, risk flags, support
received and residence are rows with a start and an end date, so that the register can be read
as it stood on any past day (a report for a closed period is rebuilt exactly). Age and "is a
child" are computed at a reference date, never stored.

Every large table carries `province_code`, the distribution key when the database is sharded by
province, and children carry `unit_path`, the path of their village (or commune), so that the
scope of any user, from a village collaborator to the nation, is one index range.
"""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet, Viewer, readable_paths
from treem.geo.paths import PathField, any_subtree_q
from treem.registry import choices

CHILD_AGE_LIMIT = 16  # Luật Trẻ em 2016, Điều 1: "Trẻ em là người dưới 16 tuổi".


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class Ethnicity(models.Model):
    """The 54 ethnic groups with the codes of the General Statistics Office."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=64)
    name_folded = models.CharField(max_length=64)
    aliases = models.TextField(blank=True, help_text="Other names and spellings, folded, "
                               "comma-separated: for search only.")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CircumstanceGroup(models.Model):
    """A group of Luật Trẻ em Điều 10 khoản 1 (a–o) or a sub-group of Nghị định 56/2017."""

    code = models.CharField(max_length=8, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="subgroups")
    # The decree's sub-group texts run to several hundred characters.
    name = models.TextField()
    name_en = models.TextField(blank=True)
    article = models.CharField(max_length=120, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def group(self) -> "CircumstanceGroup":
        """The Điều 10 group this (sub-)group counts under."""
        return self.parent or self


class HouseholdQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class Household(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)
    head_name = models.CharField(_("chủ hộ"), max_length=150)
    head_name_folded = models.CharField(max_length=150, db_index=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    poverty_status = models.CharField(_("hộ nghèo, cận nghèo"), max_length=10,
                                      choices=choices.PovertyStatus.choices,
                                      default=choices.PovertyStatus.NONE)
    # Raised by one by every write of the row (`treem.edits.conflicts`): an edit says the version
    # it was read at, and a stale one cannot silently undo what was saved since.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()
    audit_reads = True

    class Meta:
        ordering = ["head_name_folded"]

    def __str__(self) -> str:
        return self.head_name


class ChildQuerySet(ScopedQuerySet):
    scope_path = "unit_path"
    province_fields = ("province_code",)
    # A lower bound on the number of rows and the filter it was measured with (see
    # `at_least`); kept through clones, trusted only while the filter is the same.
    _at_least: tuple[int, Any, bool] | None = None
    # The query for the ids of a page, with the filter and order it stands for (`paged_by`).
    _paged_by: tuple[Any, Any, Any] | None = None

    def _clone(self) -> "ChildQuerySet":
        clone = super()._clone()  # type: ignore[misc]
        clone._at_least = self._at_least
        clone._paged_by = self._paged_by
        return clone

    def at_least(self, rows: int, *, exactly: bool = False) -> "ChildQuerySet":
        """The same queryset, knowing that it has at least `rows` rows (exactly that many
        with `exactly`), as an earlier query found: `treem.ui.pagination.count_capped`
        then need not count."""
        known = self._chain()  # type: ignore[attr-defined]
        known._at_least = (rows, known.query.where, exactly)
        return known

    def rows_at_least(self) -> int:
        """The lower bound given to `at_least`, or 0 once the filter has changed or a slice
        was taken."""
        if self._at_least is None or self.query.is_sliced:
            return 0
        rows, where, _exactly = self._at_least
        return rows if self.query.where == where else 0

    def rows_exactly(self) -> int | None:
        """The number of rows given to `at_least(…, exactly=True)`, or None when unknown."""
        if self._at_least is None or not self._at_least[2] or self.query.is_sliced:
            return None
        rows, where, _exactly = self._at_least
        return rows if self.query.where == where else None

    def paged_by(self, ids: "models.QuerySet[Child]") -> "ChildQuerySet":
        """The same rows in the same order, whose slices (pages) are read in two steps: the
        ids of the slice from `ids`, a query for the same rows in the same order that reads
        an index only, then the rows of those ids. Kept through clones while the filter and
        the order are the same; any other change reads the rows as usual.

        Taking a slice reads its ids at once (with their province codes), so that the
        query of the rows names the partitions they are in: asked for the rows of a
        subquery's ids, PostgreSQL planned a lookup in every province's partition, 8 ms of
        a 30 ms search for a common name."""
        paged = self._chain()  # type: ignore[attr-defined]
        paged._paged_by = (ids, paged.query.where, paged.query.order_by)
        return paged

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice) and self._paged_by is not None and self._pages_as_built(k):
            ids, _where, order = self._paged_by
            found = list(ids.values_list("pk", "province_code")[k])
            page = type(self)(self.model, using=self._db).filter(  # type: ignore[attr-defined]
                pk__in=[pk for pk, _code in found],
                province_code__in=sorted({code for _pk, code in found})).order_by(*order)
            page.query.select_related = self.query.select_related
            page.query.deferred_loading = self.query.deferred_loading
            return page
        return super().__getitem__(k)

    def _pages_as_built(self, k: slice) -> bool:
        ids, where, order = self._paged_by  # type: ignore[misc]
        return (k.step is None and (k.start or 0) >= 0 and k.stop is not None and k.stop >= 0
                and not self.query.is_sliced and self.query.where == where
                and self.query.order_by == order and not self.query.annotation_select
                and self._fields is None  # type: ignore[attr-defined]
                and self._iterable_class is models.query.ModelIterable)  # type: ignore[attr-defined]

    def visible_to(self, user: Viewer | object, *,
                   capability: str | None = None) -> "ChildQuerySet":
        """Children in the user's scope, less those whose processing is restricted to roles
        the user does not hold over them (`ChildRestriction`)."""
        return super().visible_to(user, capability=capability).filter(restriction_allows(user))

    def on_record(self) -> "ChildQuerySet":
        """Children not merged into another record (duplicates stay for history)."""
        return self.filter(merged_into__isnull=True)

    def children_on(self, day: datetime.date) -> "ChildQuerySet":
        """Under 16 and alive on `day` (born on or before it)."""
        return self.filter(
            birth_date__gt=years_before(day, CHILD_AGE_LIMIT), birth_date__lte=day
        ).filter(Q(death_date__isnull=True) | Q(death_date__gt=day))

    def age_between(self, day: datetime.date, youngest: int, oldest: int) -> "ChildQuerySet":
        """Aged `youngest` to `oldest` years (inclusive) on `day`."""
        return self.filter(birth_date__gt=years_before(day, oldest + 1),
                           birth_date__lte=years_before(day, youngest))


class Child(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    name_folded = models.CharField(max_length=150)
    # Every prefix of every word of `name_folded` (`treem.lib.text.word_prefixes`): the keys
    # of the name search, GIN-indexed on PostgreSQL (migration 0005). Written with
    # `name_folded`, wherever that is written.
    name_prefixes = models.TextField(blank=True, default="", editable=False)
    sex = models.CharField(_("giới tính"), max_length=1, choices=choices.Sex.choices)
    birth_date = models.DateField(_("ngày sinh"))
    birth_date_precision = models.CharField(
        _("độ chính xác của ngày sinh"), max_length=5, choices=choices.DatePrecision.choices,
        default=choices.DatePrecision.DAY,
    )
    ethnicity = models.ForeignKey(Ethnicity, on_delete=models.PROTECT, verbose_name=_("dân tộc"))
    nationality = models.CharField(_("quốc tịch"), max_length=2, default="VN")
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, null=True,
                                   blank=True, unique=True)
    birth_registered = models.BooleanField(_("đã đăng ký khai sinh"), default=False)

    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("xã, phường cư trú"))
    village = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("thôn, tổ dân phố"))
    residence_type = models.CharField(_("loại cư trú"), max_length=10,
                                      choices=choices.ResidenceType.choices,
                                      default=choices.ResidenceType.PERMANENT)
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="children", verbose_name=_("hộ gia đình"))

    living_arrangement = models.CharField(_("hoàn cảnh sống"), max_length=20,
                                          choices=choices.LivingArrangement.choices,
                                          default=choices.LivingArrangement.BOTH_PARENTS)
    school_level = models.CharField(_("cấp học"), max_length=16,
                                    choices=choices.SchoolLevel.choices,
                                    default=choices.SchoolLevel.NONE)
    school_status = models.CharField(_("tình trạng đi học"), max_length=12,
                                     choices=choices.SchoolStatus.choices,
                                     default=choices.SchoolStatus.NOT_APPLICABLE)
    disability_type = models.CharField(_("dạng khuyết tật"), max_length=16, blank=True,
                                       choices=choices.DisabilityType.choices)
    disability_degree = models.CharField(_("mức độ khuyết tật"), max_length=16, blank=True,
                                         choices=choices.DisabilityDegree.choices)
    health_insurance = models.BooleanField(_("có thẻ bảo hiểm y tế"), default=False)
    vaccination_status = models.CharField(_("tiêm chủng"), max_length=8, blank=True,
                                          choices=choices.VaccinationStatus.choices)
    nutrition_status = models.CharField(_("dinh dưỡng"), max_length=12, blank=True,
                                        choices=choices.NutritionStatus.choices)
    death_date = models.DateField(_("ngày mất"), null=True, blank=True)
    death_cause = models.CharField(_("nguyên nhân mất"), max_length=14, blank=True,
                                   choices=choices.DeathCause.choices)

    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_children", db_constraint=False)
    # Where a row came from (a file's row key), so that importing the same file again updates
    # the record instead of adding a second one.
    source_key = models.CharField(max_length=64, blank=True, db_index=True)
    # Raised by one by every write of the row (`treem.edits.conflicts`): an edit says the version
    # it was read at, and a stale one cannot silently undo what was saved since.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = ChildQuerySet.as_manager()
    audit_reads = True
    # Partitioned by this column on PostgreSQL (`treem.partitions`, docs/scale.md).
    partitioned_by = "province_code"

    class Meta:
        ordering = ["name_folded", "id"]
        indexes = [
            models.Index(fields=["province_code", "birth_date"], name="registry_child_prov_dob"),
            models.Index(fields=["unit_path", "name_folded"], name="registry_child_scope_name"),
            # The list in name order, and a search with many matches walking it: with the
            # scope, its province (partitions) and the merge in the index, PostgreSQL reads the
            # index only (an index-only scan), not a row of the table for every name it passes.
            models.Index(fields=["name_folded", "id"],
                         include=["unit_path", "merged_into_id", "province_code"],
                         name="registry_child_name_walk"),
            # A period's births over several provinces (the nation's indicators), which the
            # index led by the province cannot serve: 133,000 births among 5 million children
            # were found by reading them all, 0.5 s of the query's 1.8 s.
            models.Index(fields=["birth_date"], name="registry_child_birth"),
            # Deaths by cause in a period (the reports' injury deaths): a few hundred rows of a
            # province's million, found without reading the others.
            models.Index(fields=["death_date"], name="registry_child_death",
                         condition=Q(death_date__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(death_date__isnull=True) | Q(death_date__gte=models.F("birth_date")),
                name="registry_child_death_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def is_child_on(self, day: datetime.date) -> bool:
        alive = self.death_date is None or self.death_date > day
        return alive and self.birth_date <= day and self.age_on(day) < CHILD_AGE_LIMIT


class Caregiver(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="caregivers",
                              db_constraint=False)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    name_folded = models.CharField(max_length=150)
    relation = models.CharField(_("quan hệ"), max_length=12, choices=choices.Relation.choices)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("người chăm sóc chính"), default=False)
    version = models.PositiveIntegerField(default=1)  # as `Child.version`

    class Meta:
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.full_name


class HistoryQuerySet(ScopedQuerySet):
    scope_path = "child__unit_path"
    # The row's province is its child's (`treem.registry.history_province`).
    province_fields: tuple[str, ...] = ("province_code", "child__province_code")

    def on(self, day: datetime.date) -> "HistoryQuerySet":
        """Rows in effect on `day`."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day))


class EffectiveDated(models.Model):
    """A fact about a child true from `start_date` to `end_date` (inclusive; open if null)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT)
    province_code = models.CharField(max_length=2)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    source = models.CharField(max_length=8, choices=choices.HistorySource.choices,
                              default=choices.HistorySource.MANUAL)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = HistoryQuerySet.as_manager()
    # Partitioned by this column on PostgreSQL (`treem.partitions`, docs/scale.md).
    partitioned_by = "province_code"

    class Meta:
        abstract = True
        ordering = ["start_date", "id"]

    def is_current_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class ChildCircumstance(EffectiveDated):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="circumstances",
                              db_constraint=False)
    group = models.ForeignKey(CircumstanceGroup, on_delete=models.PROTECT,
                              verbose_name=_("nhóm hoàn cảnh đặc biệt"))

    class Meta(EffectiveDated.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")),
                                   name="registry_circumstance_dates"),
        ]
        indexes = [models.Index(fields=["province_code", "group", "start_date"],
                                name="registry_circ_prov_group")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.start_date}–{self.end_date or ''}"


class ChildRisk(EffectiveDated):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="risks",
                              db_constraint=False)
    flag = models.CharField(_("nguy cơ"), max_length=16, choices=choices.RiskFlag.choices)

    class Meta(EffectiveDated.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")),
                                   name="registry_risk_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.flag} {self.start_date}–{self.end_date or ''}"


class ChildSupport(EffectiveDated):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="supports",
                              db_constraint=False)
    kind = models.CharField(_("hình thức hỗ trợ"), max_length=16,
                            choices=choices.SupportKind.choices)
    provider = models.CharField(_("đơn vị hỗ trợ"), max_length=150, blank=True)

    class Meta(EffectiveDated.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")),
                                   name="registry_support_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start_date}–{self.end_date or ''}"


class ResidenceQuerySet(HistoryQuerySet):
    scope_path = "unit_path"
    province_fields = ("province_code",)  # its own commune's, not the child's


class ChildResidence(EffectiveDated):
    """Where the child lived. The commune of a closed period keeps seeing the child's record
    as it was until the move; the new commune sees it from the move on."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="residences",
                              db_constraint=False)
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    unit_path = PathField(max_length=64, db_index=True)
    residence_type = models.CharField(max_length=10, choices=choices.ResidenceType.choices,
                                      default=choices.ResidenceType.PERMANENT)
    # The child's province today, kept by `treem.registry.history_province`: a province's
    # indicators join its residences to the children of its own partition, and to the few
    # children who moved to another province apart (`treem.indicators.compute`).
    child_province_code = models.CharField(max_length=2)

    objects = ResidenceQuerySet.as_manager()  # type: ignore[misc]

    class Meta(EffectiveDated.Meta):
        indexes = [models.Index(fields=["province_code"], name="registry_residence_movers",
                                condition=~Q(child_province_code=models.F("province_code")))]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")),
                                   name="registry_residence_dates"),
            models.UniqueConstraint(fields=["child"], condition=Q(end_date__isnull=True),
                                    name="registry_one_open_residence"),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.start_date}–{self.end_date or ''}"


class StatusPastQuerySet(ScopedQuerySet):
    scope_path = "child__unit_path"
    # The row's province is its child's (`treem.registry.history_province`).
    province_fields: tuple[str, ...] = ("province_code", "child__province_code")

    def on(self, day: datetime.date) -> "StatusPastQuerySet":
        """Values held on `day` (a span with no start reaches back to the record's start)."""
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day),
                           end_date__gte=day)


class ChildStatusPast(models.Model):
    """A value one of the child's status fields (`choices.StatusField`) *had*, over a closed
    span: the current value stays on `Child`, and when it changes the old one is closed here
    (`treem.registry.statuses`). A day no row covers had the current value.

    `value` is the field's stored text ("1"/"0" for the yes/no fields, "" for "not known");
    `start_date` null means since the record began (or earlier: not known)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="statuses_past",
                              db_constraint=False)
    province_code = models.CharField(max_length=2)
    field = models.CharField(max_length=20, choices=choices.StatusField.choices)
    value = models.CharField(max_length=20, blank=True)
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"))
    source = models.CharField(max_length=8, choices=choices.HistorySource.choices,
                              default=choices.HistorySource.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = StatusPastQuerySet.as_manager()
    # Partitioned by this column on PostgreSQL (`treem.partitions`, docs/scale.md).
    partitioned_by = "province_code"

    class Meta:
        ordering = ["child", "field", "end_date"]
        indexes = [models.Index(fields=["child", "field", "end_date"],
                                name="registry_status_past")]
        constraints = [
            models.CheckConstraint(condition=Q(start_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")),
                                   name="registry_status_past_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.field}={self.value} {self.start_date or ''}–{self.end_date}"


# --- Excel import --------------------------------------------------------------------------------

class ImportJobQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class ImportJob(models.Model):
    """One uploaded Excel list of children, from upload through checking to commit.

    The file's bytes live in the row itself (no file storage to secure and clean up) and are
    cleared once checked; the checked rows wait in `staged` until the user commits them and are
    cleared then. The original file name is never kept: officers name files after the children.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Đã tải lên")
        VALIDATING = "validating", _("Đang kiểm tra")
        VALIDATED = "validated", _("Đã kiểm tra")
        COMMITTING = "committing", _("Đang nhập vào sổ")
        DONE = "done", _("Đã nhập xong")
        FAILED = "failed", _("Không đọc được tệp")
        CANCELLED = "cancelled", _("Đã hủy")

    class Mode(models.TextChoices):
        ALL = "all", _("Nhập tất cả (chỉ khi không có lỗi)")
        VALID_ONLY = "valid_only", _("Chỉ nhập các dòng hợp lệ")

    # Statuses in which a background task is working on the job.
    RUNNING = (Status.UPLOADED, Status.VALIDATING, Status.COMMITTING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    # The commune's path, or the uploader's village for a village collaborator.
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)
    extension = models.CharField(max_length=8, default="xlsx")
    size = models.PositiveIntegerField(default=0)
    content = models.BinaryField(blank=True, default=b"")
    staged = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    mode = models.CharField(max_length=12, choices=Mode.choices, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "C", "label": "Ngày sinh", "message": "…"}, …], the first
    # ERRORS_KEPT of `error_count`.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # Who is working on the job: "host:pid:process start:run token" of the process whose
    # thread (or command) runs it, set when the work starts. A job whose process is gone, or
    # that has not moved for LEASE (`updated_at` is its heartbeat), was interrupted; the run
    # token fences a stale worker off a job that was retried.
    worker = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    ERRORS_KEPT = 1000

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.public_id} {self.status}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def is_interrupted(self) -> bool:
        """Running, but its worker is gone (a killed server): it can be retried or cancelled.
        Nothing it did is in the register: a commit writes in one transaction."""
        from treem.registry.importing import runner  # the process table is the runner's

        return self.is_running and not runner.is_working(self.worker, self.updated_at)


class ImportStagedChild(models.Model):
    """A new child of an import job, ready to be written: one row a child, with its open
    residence, its caregiver and its audit event. Staged at validation (COPY on PostgreSQL,
    executemany on SQLite) and switched into the register at commit by set-based INSERT ...
    SELECT in the same transaction that marks the job done, so that a commit is all or
    nothing even when the server dies under it. No foreign keys but the job: the register's
    own constraints are checked when the rows are switched in."""

    # Found by the unique (job, seq) index: no index of its own.
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+",
                            db_index=False)
    seq = models.PositiveIntegerField()  # 1..n in the job: the child's id on SQLite is base+seq
    child_id = models.BigIntegerField(null=True)  # reserved from the sequence on PostgreSQL
    public_id = models.UUIDField()
    full_name = models.CharField(max_length=150)
    name_folded = models.CharField(max_length=150)
    name_prefixes = models.TextField(blank=True)
    sex = models.CharField(max_length=1)
    birth_date = models.DateField()
    birth_date_precision = models.CharField(max_length=5)
    ethnicity_id = models.BigIntegerField()
    # NULL as in the register (unique there: many children have none).
    personal_id = models.CharField(max_length=12, null=True)  # noqa: DJ001
    birth_registered = models.BooleanField()
    village_id = models.BigIntegerField(null=True)
    unit_path = models.CharField(max_length=64)
    residence_type = models.CharField(max_length=10)
    living_arrangement = models.CharField(max_length=20)
    school_level = models.CharField(max_length=16)
    school_status = models.CharField(max_length=12)
    disability_type = models.CharField(max_length=16, blank=True)
    disability_degree = models.CharField(max_length=16, blank=True)
    health_insurance = models.BooleanField()
    source_key = models.CharField(max_length=64)
    residence_public_id = models.UUIDField()
    caregiver_public_id = models.UUIDField(null=True)
    caregiver_name = models.CharField(max_length=150, blank=True)
    caregiver_folded = models.CharField(max_length=150, blank=True)
    caregiver_relation = models.CharField(max_length=12, blank=True)
    caregiver_phone = models.CharField(max_length=20, blank=True)
    event_public_id = models.UUIDField()
    event_unit_id = models.BigIntegerField()
    event_unit_path = models.CharField(max_length=64)
    event_object_id = models.CharField(max_length=64)
    event_fields = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "seq"],
                                               name="registry_import_staged_seq")]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.seq}"


# --- Deduplication -------------------------------------------------------------------------------


class DuplicatePairQuerySet(models.QuerySet):
    def visible_to(self, user: Viewer | object, *,
                   capability: str | None = None) -> "DuplicatePairQuerySet":
        """Pairs whose two children are both in the user's scope: a commune sees the pairs
        within the commune, the province every pair of the province."""
        paths = readable_paths(user, capability)
        return self.filter(any_subtree_q(paths, field="child_a__unit_path"),
                           any_subtree_q(paths, field="child_b__unit_path"))

    def waiting(self) -> "DuplicatePairQuerySet":
        """Open pairs whose two records are both still on the register."""
        return self.filter(status=DuplicatePair.Status.OPEN, child_a__merged_into__isnull=True,
                           child_b__merged_into__isnull=True)


class DuplicatePair(models.Model):
    """Two records of one province that may be the same child, waiting for a person to decide.

    `child_a` has the lower id. A pair decided "not the same child" is kept so that the next
    search does not propose it again."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ xem xét")
        MERGED = "merged", _("Đã gộp")
        DISTINCT = "distinct", _("Không trùng")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child_a = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+",
                                db_constraint=False)
    child_b = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+",
                                db_constraint=False)
    province_code = models.CharField(max_length=2)
    score = models.FloatField()  # log2 of the odds that the two records are one child
    # What agreed and what did not, by comparison: {"name": "exact", "birth_date": "swapped"…}
    evidence = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    objects = DuplicatePairQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["child_a", "child_b"], name="registry_pair_unique"),
            models.CheckConstraint(condition=Q(child_a__lt=models.F("child_b")),
                                   name="registry_pair_ordered"),
        ]
        indexes = [models.Index(fields=["province_code", "status", "-score"],
                                name="registry_pair_queue")]

    def __str__(self) -> str:
        return f"{self.child_a_id}~{self.child_b_id} {self.score:.1f}"

    @property
    def likelihood(self) -> int:
        """The chance, in percent, that the two records are one child (from the log-odds)."""
        return round(100 / (1 + 2 ** -max(-60.0, min(60.0, self.score))))


class DuplicateSearchQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class DuplicateSearch(models.Model):
    """One run of the search for duplicates over a province: when, by whom, what it found."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Đang tìm")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không thành công")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=64)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    candidates = models.PositiveBigIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    objects = DuplicateSearchQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.province_id} {self.started_at:%Y-%m-%d %H:%M}"


class ChildMergeQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class ChildMerge(models.Model):
    """A merge of a duplicate record into the record kept, with what it changed so that an
    administrator can undo it exactly: the rows moved from one record to the other (by model
    and id) and the fields of the kept record it filled in."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kept = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_kept",
                             db_constraint=False)
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_merged",
                               db_constraint=False)
    pair = models.ForeignKey(DuplicatePair, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="merges")
    # Where the merge belongs: the kept record's place at the time (for administrators' scope).
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)
    moved = models.JSONField(default=dict)    # {"registry.caregiver": [ids], …}
    filled = models.JSONField(default=dict)   # {"personal_id": [kept's before, merged's before]}
    reason = models.CharField(_("lý do"), max_length=300)
    merged_at = models.DateTimeField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    undo_reason = models.CharField(_("lý do hủy gộp"), max_length=300, blank=True)

    objects = ChildMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            # A record is merged once at a time; an undone merge may be followed by another.
            models.UniqueConstraint(fields=["merged"], condition=Q(undone_at__isnull=True),
                                    name="registry_one_live_merge"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id}→{self.kept_id}"

    @property
    def reference(self) -> str:
        """A short reference an officer can read over the phone to an administrator."""
        return f"G-{str(self.public_id)[:8].upper()}"


class ChildRestrictionQuerySet(models.QuerySet):
    def active(self) -> "ChildRestrictionQuerySet":
        return self.filter(lifted_at__isnull=True)


class ChildRestriction(models.Model):
    """The processing of a child's record restricted (Luật 91/2025/QH15, the data subject's
    right to restrict; docs/privacy.md): the record is read only by users holding one of
    `roles` over the child's place, until the restriction is lifted. Set and lifted by whoever
    handles the data subject's requests, with a reason, audited; a lifted one stays as history.

    `roles` is written ",commune_officer,auditor," so that one `contains` finds a role on
    SQLite and PostgreSQL alike."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="restrictions",
                              db_constraint=False)
    roles = models.CharField(_("vai trò được xem"), max_length=400)
    reason = models.CharField(_("lý do hạn chế"), max_length=1000)
    # What it was set for, e.g. "privacy-request:<id>" (the register cannot name the privacy
    # app's records, being below it).
    basis = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    lift_reason = models.CharField(_("lý do bỏ hạn chế"), max_length=1000, blank=True)

    objects = ChildRestrictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("hạn chế xử lý hồ sơ trẻ em")
        verbose_name_plural = _("hạn chế xử lý hồ sơ trẻ em")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(lifted_at__isnull=True),
                                    name="registry_one_active_restriction"),
            models.CheckConstraint(condition=Q(roles__startswith=",") & Q(roles__endswith=","),
                                   name="registry_restriction_roles_delimited"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.roles}"

    @property
    def role_list(self) -> list[str]:
        return [role for role in self.roles.split(",") if role]


def restriction_allows(user: Viewer | object, child: str = "") -> models.Expression:
    """Children (reached through `child`, e.g. "child__") not hidden from `user` by a
    restriction: none active, or one naming a role the user holds over the child's place
    (its units and those they took over)."""
    allowed = Q()
    roles = user.active_roles() if getattr(user, "is_authenticated", False) else set()  # type: ignore[union-attr]
    for role in sorted(roles):
        paths = user.read_paths_of_role(role)  # type: ignore[union-attr]
        if paths:
            allowed |= Q(roles__contains=f",{role},") & any_subtree_q(
                paths, field="child_place")
    # The child's place is read from the outer row: joining the restriction to its child
    # would read every province's partition of the register.
    hiding = ChildRestriction.objects.active().filter(child=OuterRef(f"{child}pk")).annotate(
        child_place=models.ExpressionWrapper(OuterRef(f"{child}unit_path"),
                                             output_field=PathField()))
    if allowed:
        hiding = hiding.exclude(allowed)
    return ~Exists(hiding)


# Consents live in their own subpackage (treem/registry/consent/); the app's models are all
# importable from here. Imported last: that module names the child by its label.
from treem.registry.consent.models import ChildConsent as ChildConsent  # noqa: E402
from treem.registry.consent.models import ConsentForm as ConsentForm  # noqa: E402
from treem.registry.consent.models import ConsentPurpose as ConsentPurpose  # noqa: E402
from treem.registry.consent.models import ConsentRelation as ConsentRelation  # noqa: E402
