"""Plans (kế hoạch) of People's Committees, the agencies that carry them out, and their tasks.

A plan is a numbered document of a unit ("256/KH-UBND", Hải Phòng, 14/10/2019) with a legal
basis, years, and tasks, each led by one agency with others co-operating, in a time frame. Its
targets are the indicator targets treem already holds (`indicators.IndicatorSet`, linked, not
copied). A plan stays on the unit that issued it, even one dissolved in July 2025: the units
that took its area find it (`selectors.plans_for`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField
from treem.ui.stored_files import StoredFile


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("Cơ quan chuyên môn (Sở, Phòng, Ban, Công an…)")
    MASS_ORGANISATION = "mass_organisation", _("Mặt trận, tổ chức chính trị - xã hội")
    LOWER_UNITS = "lower_units", _("Ủy ban nhân dân cấp dưới")
    OTHER = "other", _("Cơ quan, đơn vị khác")


class AgencyQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class Agency(models.Model):
    """A body of a unit that plans assign work to: a department, a mass organisation, the
    People's Committees of the units below taken together."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị hành chính"))
    unit_path = PathField(max_length=64)
    name = models.CharField(_("tên cơ quan"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["unit_path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"],
                                               name="plans_agency_unique_name")]
        indexes = [models.Index(fields=["unit_path", "name"], name="plans_agency_scope")]

    def __str__(self) -> str:
        return self.short_name or self.name


class FocalPoint(models.Model):
    """A user who reports for an agency (a sector focal point, or an officer of the agency)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="focal_points")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "user"],
                                               condition=Q(revoked_at__isnull=True),
                                               name="plans_focal_point_unique_active")]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_FORCE = "in_force", _("Đang thực hiện")
    ENDED = "ended", _("Đã kết thúc")
    REPLACED = "replaced", _("Đã được thay thế")


class PlanQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class Plan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The code of a plan loaded from a file (`loading`), so that loading again changes nothing.
    code = models.SlugField(max_length=60, unique=True, null=True, blank=True)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị ban hành"))
    unit_path = PathField(max_length=64)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=200)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    status = models.CharField(_("tình trạng"), max_length=12, choices=PlanStatus.choices,
                              default=PlanStatus.IN_FORCE)
    # The higher unit's plan this one carries out (a district's under its province's).
    implements = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="implemented_by",
                                   verbose_name=_("thực hiện kế hoạch"))
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaces", verbose_name=_("được thay thế bởi"))
    # Its targets: the indicator targets of this set at the plan's unit.
    indicator_set = models.ForeignKey("indicators.IndicatorSet", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("bộ chỉ tiêu"))
    # Raised by each edit (`treem.edits.conflicts`): a stale form cannot undo another's change.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "unit_path", "title"]
        indexes = [models.Index(fields=["unit_path", "start_year"], name="plans_plan_scope")]
        constraints = [models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")),
                                              name="plans_plan_years_in_order")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class PlanReference(models.Model):
    """A document a plan's legal basis cites: a law, a decision, another plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    # The plan in treem the reference is, when it is one.
    linked_plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return " ".join(part for part in (self.number, self.title) if part)


class TimeFrame(models.TextChoices):
    YEARLY = "yearly", _("Hằng năm")
    YEAR = "year", _("Trong năm")
    QUARTER = "quarter", _("Trong quý")
    MONTH = "month", _("Trong tháng")
    DATES = "dates", _("Theo ngày")
    PLAN_PERIOD = "plan_period", _("Cả giai đoạn của kế hoạch")
    UNSPECIFIED = "unspecified", _("Không ghi thời gian")


class TaskQuerySet(ScopedQuerySet):
    scope_path = "plan__unit_path"


class Task(models.Model):
    """A duty a plan assigns (nhiệm vụ): led by one agency, with others co-operating."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(default=0)
    section = models.CharField(_("mục"), max_length=30)
    heading = models.TextField(_("tiêu đề"), blank=True)
    text = models.TextField(_("nội dung nhiệm vụ"))
    lead = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_tasks",
                             verbose_name=_("cơ quan chủ trì"))
    cooperating = models.ManyToManyField(Agency, blank=True, related_name="cooperating_tasks",
                                         verbose_name=_("cơ quan phối hợp"))
    time_frame = models.CharField(_("thời gian"), max_length=12, choices=TimeFrame.choices,
                                  default=TimeFrame.UNSPECIFIED)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày, hạn"), null=True, blank=True)
    time_text = models.CharField(_("thời gian (như văn bản ghi)"), max_length=200, blank=True)
    report_to = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("báo cáo về"))
    report_due_text = models.CharField(_("hạn báo cáo (như văn bản ghi)"), max_length=200,
                                       blank=True)
    expected_output = models.TextField(_("sản phẩm dự kiến"), blank=True)
    indicators = models.ManyToManyField("indicators.Indicator", blank=True, related_name="+",
                                        verbose_name=_("chỉ tiêu liên quan"))
    version = models.PositiveIntegerField(default=1)  # as the plan's
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "section"], name="plans_task_unique_section"),
            models.CheckConstraint(condition=Q(quarter__isnull=True) | Q(quarter__range=(1, 4)),
                                   name="plans_task_quarter_1_4"),
            models.CheckConstraint(condition=Q(month__isnull=True) | Q(month__range=(1, 12)),
                                   name="plans_task_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.text[:60]}"

    @property
    def time_label(self) -> str:
        """When the task is due, as the plan wrote it, else said from its time frame."""
        if self.time_text:
            return self.time_text
        day = "%d/%m/%Y"
        if self.time_frame == TimeFrame.YEAR and self.year:
            return gettext("Năm %(year)s") % {"year": self.year}
        if self.time_frame == TimeFrame.QUARTER and self.year and self.quarter:
            return gettext("Quý %(quarter)s/%(year)s") % {
                "quarter": ("I", "II", "III", "IV")[self.quarter - 1], "year": self.year}
        if self.time_frame == TimeFrame.MONTH and self.year and self.month:
            return gettext("Tháng %(month)s/%(year)s") % {"month": self.month, "year": self.year}
        if self.time_frame == TimeFrame.DATES and self.end_date:
            if self.start_date:
                return f"{self.start_date.strftime(day)}–{self.end_date.strftime(day)}"
            return gettext("Trước ngày %(day)s") % {"day": self.end_date.strftime(day)}
        return str(self.get_time_frame_display())


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    NOT_DONE = "not_done", _("Không thực hiện được")


class ProgressQuerySet(ScopedQuerySet):
    scope_path = "task__plan__unit_path"


class TaskProgress(models.Model):
    """What an agency reports of a task for a reporting period (a year "2026", a half "2026S1",
    a quarter "2026Q3", a month "202609"): one report an agency, task and period, edited as a
    versioned record (`treem.edits.conflicts`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cơ quan báo cáo"))
    period = models.CharField(_("kỳ báo cáo"), max_length=7)
    status = models.CharField(_("tình trạng"), max_length=12, choices=ProgressStatus.choices)
    percent_done = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành (%)"), default=0)
    done_text = models.TextField(_("kết quả thực hiện"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    version = models.PositiveIntegerField(default=1)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField(_("ngày báo cáo"), auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        ordering = ["task", "agency", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency", "period"],
                                    name="plans_progress_one_per_period"),
            models.CheckConstraint(condition=Q(percent_done__lte=100),
                                   name="plans_progress_percent_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.task.section} {self.period}: {self.get_status_display()}"


class TaskReminder(models.Model):
    """An e-mail reminder sent to a focal point about a task due (or overdue) on a day: sent
    once a due date, whatever the number of runs of `send_task_reminders`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "task", "due_on"],
                                               name="plans_reminder_once_a_due_date")]

    def __str__(self) -> str:
        return f"{self.user} — {self.task} ({self.due_on})"


def _evidence_path(instance: "Evidence", filename: str) -> str:
    from treem.ui.uploads import random_path

    return random_path("plans/evidence", instance.content_type)


class Evidence(StoredFile):
    """A file showing what an agency reported (a photo, an attendance sheet, minutes as PDF)."""

    progress = models.ForeignKey(TaskProgress, on_delete=models.CASCADE,
                                 related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)

    class Meta:
        ordering = ["progress", "uploaded_at"]


class ImplementationReportQuerySet(ScopedQuerySet):
    scope_path = "plan__unit_path"


class ImplementationReport(models.Model):
    """A plan's implementation report for a period (`treem.plans.implementation`) attached to
    the unit's periodic report of that period (`reports.Report`): the report workflow stays the
    reports app's. The content is frozen when attached, so the report says for ever what it
    said, whatever agencies report afterwards."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT,
                             related_name="implementation_reports")
    period = models.CharField(_("kỳ báo cáo"), max_length=7)
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT,
                               related_name="plan_implementation_reports",
                               verbose_name=_("báo cáo định kỳ"))
    content = models.JSONField(default=dict)
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    attached_at = models.DateTimeField(auto_now_add=True)

    objects = ImplementationReportQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-period", "-attached_at"]
        constraints = [models.UniqueConstraint(fields=["plan", "report"],
                                               name="plans_implementation_once_a_report")]

    def __str__(self) -> str:
        return f"{self.plan} {self.period} → {self.report_id}"


def _attachment_path(instance: "PlanAttachment", filename: str) -> str:
    from treem.ui.uploads import random_path

    return random_path("plans/documents", instance.content_type)


class PlanAttachment(StoredFile):
    """A document of a plan: the signed plan as issued (a PDF, or the scanned pages), its
    annexes. Checked and stored as progress evidence is (`treem.plans.evidence`)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("tên tài liệu"), max_length=200)
    file = models.FileField(upload_to=_attachment_path, max_length=200)

    class Meta:
        ordering = ["plan", "uploaded_at"]

    def __str__(self) -> str:
        return self.title

# The activities' models live in their own module; imported here so that Django finds them.
from treem.plans.activities.models import (  # noqa: E402, F401
    Activity,
    ActivityBudget,
    ActivityFile,
    ActivityType,
    Attendee,
    Recommendation,
    Topic,
)
from treem.plans.child_friendly.models import (  # noqa: E402, F401
    Assessment,
    AssessmentEvent,
    CommuneClassing,
    CriteriaVersion,
    Criterion,
    Item,
    ItemScore,
)
