"""Protection cases: notifications, the case process of Nghị định 56/2017, and the calendar its
deadlines are counted on."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts.roles import Sector
from treem.cases import choices
from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField, any_subtree_q


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday week of the public administration: a public
    holiday (or a day off moved next to one), or a Saturday worked to make up for one.

    Data, not code: the Government announces the days off each year (Tết moves with the lunar
    calendar, days are swapped around holidays), and an administrator enters them here."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày nghỉ lễ, Tết")
        WORKING = "working", _("Ngày làm việc bù")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("tên"), max_length=120)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class NotificationQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class Notification(models.Model):
    """A report received (thông báo, tố giác), what the receipt form records: how and when it
    came, who reported (confidential: only the intake record's owners read it), the child as
    described, what happened, where. Routed to the commune where it happened."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=12, choices=choices.Channel.choices)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    # Where it happened: the commune that handles it, and the scope of the record.
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("xã, phường nơi xảy ra"))
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)

    reporter_anonymous = models.BooleanField(_("người báo tin không cho biết danh tính"),
                                             default=False)
    reporter_name = models.CharField(_("họ tên người báo tin"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("điện thoại người báo tin"), max_length=20, blank=True)
    reporter_relation = models.CharField(_("quan hệ với trẻ"), max_length=100, blank=True)

    # Named (not "+"): a merge of duplicate records finds and moves every reverse relation.
    child = models.ForeignKey("registry.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="notifications", db_constraint=False)
    child_description = models.CharField(_("thông tin về trẻ"), max_length=300, blank=True)
    # The rest of the receipt form (Mẫu số 01, section A.2), as far as the reporter knows.
    child_condition = models.TextField(_("tình trạng hiện tại của trẻ"), blank=True)
    likely_consequences = models.TextField(
        _("phỏng đoán hậu quả nếu trẻ không được hỗ trợ, can thiệp"), blank=True)
    # Mẫu 01 asks for each parent's name, age and occupation, and who cares for the child now.
    father = models.CharField(_("họ và tên cha, tuổi, nghề nghiệp"), max_length=200, blank=True)
    mother = models.CharField(_("họ và tên mẹ, tuổi, nghề nghiệp"), max_length=200, blank=True)
    carer = models.CharField(_("người đang chăm sóc trẻ"), max_length=200, blank=True)
    family_situation = models.TextField(_("hoàn cảnh gia đình"), blank=True)
    actions_before = models.TextField(_("hỗ trợ, can thiệp đã thực hiện trước khi báo tin"),
                                      blank=True)
    reporter_address = models.CharField(_("địa chỉ người báo tin"), max_length=300, blank=True)
    forms = models.JSONField(_("hình thức xâm hại"), default=list)  # AbuseForm values
    place = models.CharField(_("nơi xảy ra"), max_length=14, choices=choices.Place.choices)
    happened_on = models.DateField(_("ngày xảy ra"), null=True, blank=True)
    description = models.TextField(_("nội dung vụ việc"))
    urgent = models.BooleanField(_("trẻ đang gặp nguy hiểm"), default=False)
    crime_suspected = models.BooleanField(_("có dấu hiệu tội phạm"), default=False)
    police_notified_at = models.DateTimeField(_("đã báo công an lúc"), null=True, blank=True)

    case = models.ForeignKey("Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="notifications", db_constraint=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()
    audit_reads = True

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reporter_anonymous=True)
                                   | (Q(reporter_name="") & Q(reporter_phone="")
                                      & Q(reporter_address="")),
                                   name="cases_anonymous_has_no_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%d/%m/%Y %H:%M}"

    def form_labels(self) -> list[str]:
        return [str(choices.AbuseForm(form).label) for form in self.forms
                if form in choices.AbuseForm.values]

    @property
    def child_name(self) -> str:
        """Who the child is: the register's name once a case is open, else as described."""
        return self.case.child.full_name if self.case_id else self.child_description  # type: ignore[union-attr]

    @property
    def masks_name(self) -> bool:
        """Lists show only the first letter of the child of a sexual-abuse report, as the case
        list does."""
        if self.case_id:
            return self.case.sexual_abuse  # type: ignore[union-attr]
        return choices.AbuseForm.SEXUAL_ABUSE in self.forms

    @property
    def emergency(self) -> "CaseDeadline | None":
        """The 12-hour limit running from this notification's receipt, if it is urgent
        (prefetched by `selectors.with_emergency_clock`, or read here)."""
        if hasattr(self, "emergency_deadlines"):
            rows = self.emergency_deadlines
        else:
            rows = list(self.deadlines.filter(step=CaseDeadline.Step.EMERGENCY))
        return rows[0] if rows else None


class CaseQuerySet(ScopedQuerySet):
    scope_path = "unit_path"
    province_fields = ("province_code",)

    def open(self) -> "CaseQuerySet":
        return self.exclude(status=choices.Status.CLOSED)


class Case(models.Model):
    """One child's protection case in the commune, from the notification to its closure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The case's number in its commune's book of the year it was received ("12/2026"), given
    # when it is opened (`services.case_open`): what tells two masked cases apart in a list
    # and what an officer reads over the phone. Empty only for rows made outside the service.
    number = models.PositiveIntegerField(_("số hồ sơ"), null=True, blank=True, editable=False)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="cases",
                              db_constraint=False)
    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=64, db_index=True)
    province_code = models.CharField(max_length=2)
    status = models.CharField(_("bước"), max_length=20, choices=choices.Status.choices,
                              default=choices.Status.RECEIVED)
    # Deadlines count from the first notification's receipt.
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    urgent = models.BooleanField(_("trẻ đang gặp nguy hiểm"), default=False)
    # Names are masked in lists of sexual-abuse cases.
    sexual_abuse = models.BooleanField(default=False)
    perpetrator = models.CharField(_("người gây hại"), max_length=14, blank=True,
                                   choices=choices.Perpetrator.choices)
    close_reason = models.CharField(_("lý do kết thúc"), max_length=14, blank=True,
                                    choices=choices.CloseReason.choices)
    closed_at = models.DateTimeField(null=True, blank=True)
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                     verbose_name=_("người phụ trách"))
    # The version of the facts verification corrects (forms of abuse, place, day,
    # perpetrator: `services.case_facts`), raised by each change of them: a stale correction
    # cannot silently undo another (`treem.edits.conflicts`). Steps, workers and the rest have
    # their own operations, which never conflict with a correction of the facts.
    facts_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    objects = CaseQuerySet.as_manager()
    # Partitioned by this column on PostgreSQL (`treem.partitions`, docs/scale.md).
    partitioned_by = "province_code"
    audit_reads = True

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["province_code", "status"], name="cases_case_prov_status")]
        constraints = [
            models.UniqueConstraint(fields=["commune", "number_year", "number"],
                                    name="cases_one_number_per_commune_year"),
            models.CheckConstraint(condition=Q(status=choices.Status.CLOSED, closed_at__isnull=False)
                                   | (~Q(status=choices.Status.CLOSED) & Q(closed_at__isnull=True)),
                                   name="cases_closed_has_a_date"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.status}"

    @property
    def number_label(self) -> str:
        """"12/2026"; a row without a number (made outside the service) shows the start of its
        public id, which is unique too."""
        if self.number is None:
            return self.public_id.hex[:8].upper()
        return f"{self.number}/{self.number_year}"

    # Read by the case list on the rows of `selectors.case_page_rows` (annotated, prefetched).
    @property
    def abuse_labels(self) -> list[str]:
        return [str(choices.AbuseForm(a.form).label) for a in self.abuses.all()]

    @property
    def next_due_step_label(self) -> str:
        step = getattr(self, "next_due_step", None)
        return str(CaseDeadline.Step(step).label) if step else ""


class CaseAbuse(models.Model):
    """A form of abuse in a case, with where and when: the rows indicators count."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="abuses",
                             db_constraint=False)
    form = models.CharField(_("hình thức"), max_length=14, choices=choices.AbuseForm.choices)
    place = models.CharField(_("nơi xảy ra"), max_length=14, choices=choices.Place.choices)
    happened_on = models.DateField(_("ngày xảy ra"), null=True, blank=True)
    confirmed = models.BooleanField(_("đã xác minh"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "form"],
                                               name="cases_one_row_per_form")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.form}"


class CaseEvent(models.Model):
    """A step of the case: its history, never changed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events",
                             db_constraint=False)
    from_status = models.CharField(max_length=20, choices=choices.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=choices.Status.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_status}→{self.to_status}"


# A limit is running while it is neither met nor cancelled; only a running limit past its due
# moment is overdue. The one definition: `CaseDeadlineQuerySet` filters by it, and
# `CaseDeadline.state_at` reads a row by the same conditions.
RUNNING = Q(met_at__isnull=True, cancelled_at__isnull=True)


class CaseDeadlineQuerySet(models.QuerySet["CaseDeadline"]):
    def running(self) -> "CaseDeadlineQuerySet":
        return self.filter(RUNNING)

    def overdue(self, now: datetime.datetime) -> "CaseDeadlineQuerySet":
        """Running limits past their due moment: the only ones marked "quá hạn"."""
        return self.filter(RUNNING, due_at__lt=now)

    def done_late(self) -> "CaseDeadlineQuerySet":
        """Met after their due moment: counted for timeliness, never shown as overdue."""
        return self.filter(met_at__gt=F("due_at"))

    def under(self, paths: list[str]) -> "CaseDeadlineQuerySet":
        """Limits of the cases under `paths`, and of the notifications under them that no case
        was opened for yet (a case is where its child lives, a notification where it happened)."""
        return self.filter(any_subtree_q(paths, field="case__unit_path")
                           | (Q(case__isnull=True)
                              & any_subtree_q(paths, field="notification__unit_path")))


class CaseDeadline(models.Model):
    """A time limit of the process: started by a move of the case, or — the 12 hours of an
    emergency, which run from the receipt of the information (Nghị định 56/2017 Điều 26 khoản
    3) — by the notification itself, before any case; the case opened for it then carries the
    same row. Met when the step is done, cancelled when the case ends without it."""

    class Step(models.TextChoices):
        EMERGENCY = "emergency", _("Can thiệp khẩn cấp")
        PLAN = "plan", _("Xây dựng kế hoạch hỗ trợ, can thiệp")
        APPROVAL = "approval", _("Phê duyệt kế hoạch")
        SEPARATION_END = "separation_end", _("Hết thời hạn tạm thời cách ly")

    class State(models.TextChoices):
        RUNNING = "running", _("đang chạy")
        OVERDUE = "overdue", _("quá hạn")
        DONE = "done", _("đúng hạn")
        DONE_LATE = "done_late", _("xong trễ hạn")
        CANCELLED = "cancelled", _("không còn áp dụng")
        MISSED = "missed", _("không thực hiện trong hạn, hồ sơ đã kết thúc")

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="deadlines", db_constraint=False)
    notification = models.ForeignKey(Notification, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField(max_length=16, choices=Step.choices)
    # When the limit started counting: a limit in working days is counted again from here
    # when the calendar changes.
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # Every overdue query (the case list's filter, the home pages' counts) is a range
            # of this partial index: running limits only, a small part of the table.
            models.Index(fields=["due_at"], condition=RUNNING, name="cases_deadline_running"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], condition=RUNNING,
                                    name="cases_one_running_deadline_per_step"),
            models.UniqueConstraint(fields=["notification", "step"], condition=RUNNING,
                                    name="cases_one_running_notification_deadline"),
            models.CheckConstraint(condition=Q(case__isnull=False)
                                   | Q(notification__isnull=False),
                                   name="cases_deadline_of_something"),
            models.CheckConstraint(condition=Q(met_at__isnull=True)
                                   | Q(cancelled_at__isnull=True),
                                   name="cases_deadline_met_or_cancelled"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id or self.notification_id} {self.step} {self.due_at:%d/%m/%Y %H:%M}"

    def is_overdue_at(self, now: datetime.datetime) -> bool:
        return self.met_at is None and self.cancelled_at is None and self.due_at < now

    def state_at(self, now: datetime.datetime) -> str:
        if self.met_at is not None:
            return self.State.DONE_LATE if self.met_at > self.due_at else self.State.DONE
        if self.cancelled_at is not None:
            return self.State.MISSED if self.cancelled_at > self.due_at else self.State.CANCELLED
        return self.State.OVERDUE if self.is_overdue_at(now) else self.State.RUNNING

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def state_label(self) -> str:
        return str(self.State(self.state).label)


class Protection(models.Model):
    """An emergency measure taken for a child in danger, or a temporary separation from the
    carer decided by the chairman of the commune (Mẫu 07), with its end and extensions."""

    class Kind(models.TextChoices):
        MEASURE = "measure", _("Biện pháp can thiệp khẩn cấp")
        SEPARATION = "separation", _("Tạm thời cách ly trẻ khỏi môi trường nguy hiểm")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="protections",
                             db_constraint=False)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    taken_at = models.DateTimeField(_("thời điểm thực hiện"))
    description = models.TextField(_("nội dung"))
    # A separation: where the child is cared for, until when, and its end.
    care_place = models.CharField(_("nơi chăm sóc tạm thời"), max_length=300, blank=True)
    # Whom the child is separated from, and who cares for it meanwhile (Điều 32 khoản 2:
    # a safe place and an alternative-care measure): the core of the decision's text.
    separated_from = models.CharField(_("cách ly khỏi"), max_length=300, blank=True)
    alternative_carer = models.CharField(_("người, cơ sở chăm sóc thay thế"), max_length=300,
                                         blank=True)
    until = models.DateTimeField(_("đến"), null=True, blank=True)
    authority_request = models.CharField(_("yêu cầu của cơ quan có thẩm quyền"), max_length=300,
                                         blank=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="measure") | Q(until__isnull=False),
                                   name="cases_separation_has_an_end"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.taken_at:%d/%m/%Y %H:%M}"


class Referral(models.Model):
    """A service the case asks of another body: the receiving organisation, by when, whether it
    accepted, and the result. The sector's focal point of the area answers it, and sees the case
    it was sent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals",
                             db_constraint=False)
    service = models.CharField(_("dịch vụ"), max_length=18, choices=choices.Service.choices)
    sector = models.CharField(_("ngành tiếp nhận"), max_length=16,
                              choices=Sector.choices)
    organisation = models.CharField(_("cơ quan, tổ chức tiếp nhận"), max_length=200)
    due_on = models.DateField(_("hạn"))
    note = models.TextField(_("nội dung đề nghị"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10,
                              choices=choices.ReferralStatus.choices,
                              default=choices.ReferralStatus.SENT)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    result = models.TextField(_("kết quả"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sector", "status"], name="cases_referral_sector")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.service} {self.status}"


class Assessment(models.Model):
    """One of the assessments of the process (Mẫu 02, 03, 06): items answered in words or rated
    high / medium / low, and its conclusion."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Đánh giá ban đầu (Mẫu số 02)")
        DETAILED = "detailed", _("Đánh giá nguy cơ cụ thể (Mẫu số 03)")
        REVIEW = "review", _("Rà soát, đánh giá (Mẫu số 06)")

    class Conclusion(models.TextChoices):
        IN_DANGER = "in_danger", _("Trẻ đang gặp nguy hiểm, cần can thiệp khẩn cấp")
        AT_RISK = "at_risk", _("Trẻ còn nguy cơ hoặc chưa ổn định")
        SAFE = "safe", _("Trẻ không còn nguy cơ, thể chất, tâm lý, nhận thức, tình cảm ổn định")
        NONE = "", _("—")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments",
                             db_constraint=False)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    done_on = models.DateField(_("ngày thực hiện"))
    answers = models.JSONField(default=dict)   # item key → text
    ratings = models.JSONField(default=dict)   # item key → high / medium / low
    conclusion = models.CharField(_("kết luận"), max_length=10, blank=True,
                                  choices=Conclusion.choices)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.done_on}"


class Plan(models.Model):
    """The support and intervention plan (Mẫu số 04) and its approval (Mẫu số 05)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans",
                             db_constraint=False)
    goal = models.TextField(_("mục tiêu"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(null=True, blank=True)
    # The version of the goal and the items, raised by each save that changes them: a stale
    # page or API client cannot silently replace another worker's plan (`treem.edits.conflicts`).
    # A case's drafts continue its plans' versions, so a page read from an earlier draft never
    # names the version of the current one.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} plan {self.created_at:%d/%m/%Y}"


class PlanItem(models.Model):
    """A service or task of the plan (Điều 28 khoản 3 a–d): when, who, which provider, cost."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    task = models.CharField(_("dịch vụ, công việc"), max_length=300)
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("dự kiến kết thúc"))
    responsible = models.CharField(_("cơ quan, tổ chức, cá nhân thực hiện"), max_length=200)
    provider = models.CharField(_("cơ sở cung cấp dịch vụ"), max_length=200, blank=True)
    cost = models.DecimalField(_("dự toán kinh phí (đồng)"), max_digits=14, decimal_places=0,
                               default=0)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="cases_plan_item_dates"),
                       models.CheckConstraint(condition=Q(cost__gte=0),
                                              name="cases_plan_item_cost")]

    def __str__(self) -> str:
        return self.task


class CaseShare(models.Model):
    """A case shown to a level above (a province or district office) by the commune: its
    officers then see the case itself, not only counts. Withdrawn, never deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shares",
                             db_constraint=False)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("chia sẻ với"))
    unit_path = PathField(max_length=64)
    reason = models.CharField(_("lý do"), max_length=300)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shared_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.unit_id}"
