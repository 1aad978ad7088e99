"""Periodic reports that go up the unit tree: a unit's report for a period is drafted, submitted
to the level above, returned with comments or approved. Submitting freezes the indicator values
in the report's own rows, so later edits of the register never change a submitted or approved
report; a correction of an approved report is a new version with its reason."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet, Unit
from treem.geo.paths import PathField, ancestor_paths, any_subtree_q


def owner_paths(unit: "Unit") -> set[str]:
    """The paths a schedule's owner may have for its plan to apply to `unit`: the unit and
    those above it, and the units dissolved in 2025 whose area it lies in or holds (a
    district's plan goes on with the communes it became, `treem.geo.lineage`)."""
    from treem.geo.lineage import former_paths

    return set(ancestor_paths(unit.path)) | set(former_paths(unit))


class ScheduleQuerySet(models.QuerySet):
    def applying_to(self, unit: "Unit") -> "ScheduleQuerySet":
        """The national schedules, and those of the plans of the unit, of a unit above, or of
        a unit dissolved in 2025 whose territory it took over (in part)."""
        return self.filter(Q(owner_path="") | Q(owner_path__in=owner_paths(unit)))

    def for_paths(self, paths: list[str]) -> "ScheduleQuerySet":
        """The schedules applying to some unit under `paths` (a user's scope)."""
        if not paths:
            return self.none()
        above = {ancestor for path in paths for ancestor in ancestor_paths(path)}
        return self.filter(Q(owner_path="") | Q(owner_path__in=above)
                           | any_subtree_q(paths, field="owner_path"))


class Schedule(models.Model):
    """When each level reports for a plan's periods: data, not code. `due` maps a level to the
    month and day each period is due, e.g. {"commune": {"S1": "05-15", "Y": "11-10"},
    "province": {"S1": "05-30", "Y": "11-30"}} (S1/S2 a half year, Y the year). A plan's own
    schedule (`owner`) applies to the units under the plan's unit; a national one to all."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    period_kind = models.CharField(_("kỳ"), max_length=10,
                                   choices=[("half", _("6 tháng")), ("year", _("Năm"))])
    due = models.JSONField(default=dict)
    # The days a period's report counts: the calendar period, or the cut-off of Nghị định
    # 09/2019 Điều 12 (15th of the month before to the 14th of the last month); see
    # treem.indicators.periods.window.
    window = models.CharField(_("thời gian chốt số liệu"), max_length=10, default="calendar",
                              choices=[("calendar", _("Theo kỳ dương lịch")),
                                       ("nd09", _("Từ ngày 15 tháng trước kỳ đến ngày 14 "
                                                  "tháng cuối kỳ (NĐ 09/2019, Điều 12)"))])
    indicator_sets = models.ManyToManyField("indicators.IndicatorSet", blank=True,
                                            related_name="+")
    source = models.TextField(_("căn cứ"), blank=True)
    owner = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("đơn vị ban hành kế hoạch"))
    owner_path = PathField(max_length=64, blank=True, db_index=True)  # "" for national ones
    # The years a plan's schedule runs (a 2019–2025 programme reports on 2019 to 2025).
    first_year = models.PositiveSmallIntegerField(_("từ năm"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def runs_in(self, year: int) -> bool:
        return ((self.first_year is None or year >= self.first_year)
                and (self.last_year is None or year <= self.last_year))

    def levels(self) -> set[str]:
        """The levels the schedule names a due date for: the units that report under it."""
        return {level for level, dates in self.due.items() if dates}

    def applies_to(self, unit: "Unit", paths: set[str] | None = None) -> bool:
        """Whether the schedule applies to `unit` (`paths`: its `owner_paths`, if known)."""
        return not self.owner_path or self.owner_path in (
            paths if paths is not None else owner_paths(unit))


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


class ReportQuerySet(ScopedQuerySet):
    scope_path = "unit_path"

    def current(self) -> "ReportQuerySet":
        return self.filter(is_latest=True)


class Report(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=64, db_index=True)
    period = models.CharField(_("kỳ"), max_length=8)
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    due_on = models.DateField(_("hạn gửi"))
    results = models.TextField(_("kết quả đạt được"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    # Raised by each change of the three texts above (`services.report_write`): a stale form
    # cannot silently undo another officer's paragraph (`treem.edits.conflicts`).
    narrative_version = models.PositiveIntegerField(default=1)
    correction_reason = models.TextField(_("lý do sửa đổi"), blank=True)
    # Frozen with the values on submission: the days counted (up to the day it was sent when
    # that came before the window's end), and the period's case tables (counts, no names).
    data_from = models.DateField(_("số liệu từ ngày"), null=True, blank=True)
    data_until = models.DateField(_("số liệu đến ngày"), null=True, blank=True)
    case_tables = models.JSONField(default=list, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections")  # the version this one corrects
    is_latest = models.BooleanField(default=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)  # timeliness counts it
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "unit_path", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "unit", "period", "version"],
                                    name="reports_one_version"),
            models.UniqueConstraint(fields=["schedule", "unit", "period"],
                                    condition=Q(is_latest=True),
                                    name="reports_one_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule.code} {self.unit_id} {self.period} v{self.version}"


class ReportValue(models.Model):
    """A value frozen into a report when it was submitted: what the report says, for ever."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator_version = models.ForeignKey("indicators.IndicatorVersion",
                                          on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    breakdown = models.CharField(max_length=120, blank=True)
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["indicator_version", "unit", "breakdown"]
        constraints = [models.UniqueConstraint(
            fields=["report", "indicator_version", "unit", "breakdown"],
            name="reports_one_value")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.indicator_version_id} {self.unit_id} {self.breakdown}"


class ReportEvent(models.Model):
    """The report's history: each move, by whom, with the comment of a return."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    to_status = models.CharField(max_length=10, choices=Status.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.to_status}"
