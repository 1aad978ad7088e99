"""Activities (hoạt động) of plans: what happened, where, for how much and for whom.

An activity stands under a task of a plan or on its own. Its type is data (`ActivityType`:
communication, training, children's forum, consultation of children…); a type's `kind` says
which extra parts its page has — attendees for a training, recommendations and the 15-day
report for a forum (Thông tư 29/2019/TT-BLĐTBXH), the four steps and the children's opinions for
a consultation (Thông tư 36/2018/TT-BLĐTBXH).

Participants are counts by default: the people who came, adults and children, girls, ethnic
minorities, children in special circumstances, and children by age (0–6, 7–10, 11–15: seven is
the age from which a child is consulted and consents, Thông tư 36/2018 and Luật 91/2025 Điều
24). A child is named only by exception (`NamedChild`: a forum's delegate, a child handed a
gift), with the reason, by whoever keeps that child on the register, and read only by who may
read that child there. Staff and outside adults who attended a training are named (`Attendee`), so that "every
commune officer trained on the child database" is computed, not typed.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField
from treem.ui.stored_files import StoredFile


class ActivityKind(models.TextChoices):
    """What an activity type's page holds beyond the common parts (code, not data: each kind
    has its own records)."""

    PLAIN = "plain", pgettext_lazy("an activity", "Hoạt động")
    TRAINING = "training", _("Tập huấn (có danh sách học viên)")
    FORUM = "forum", _("Diễn đàn trẻ em")
    CONSULTATION = "consultation", _("Lấy ý kiến trẻ em")


class ActivityType(models.Model):
    """A type of activity, kept as data: a province can add "Ngày hội gia đình" without a
    release."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại hoạt động"), max_length=200)
    kind = models.CharField(_("dạng"), max_length=12, choices=ActivityKind.choices,
                            default=ActivityKind.PLAIN)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """What a training was about, kept as data ("Hệ thống cơ sở dữ liệu trẻ em"): the computed
    indicators count the staff trained on a topic."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("chủ đề"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Đã hủy")


class ForumLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE = "province", _("Cấp tỉnh")


class ActivityQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


# The participant counts, each ≥ 0; their sums are checked in `services` and by constraints.
PARTICIPANT_FIELDS = ("adults", "adult_women", "children", "girls", "children_0_6",
                      "children_7_10", "children_11_15", "children_minority",
                      "children_special")


class Activity(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("loại hoạt động"))
    task = models.ForeignKey("plans.Task", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="activities", verbose_name=_("thuộc nhiệm vụ"))
    # Where it took place: a commune's activity is the commune's; a province's forum the
    # province's.
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("địa bàn"))
    unit_path = PathField(max_length=64)
    title = models.CharField(_("tên hoạt động"), max_length=300)
    # The title without accents, lower case (`treem.lib.text.fold`): searched in the database.
    title_folded = models.CharField(max_length=300, blank=True, editable=False)
    status = models.CharField(_("tình trạng"), max_length=10, choices=ActivityStatus.choices,
                              default=ActivityStatus.HELD)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    place_text = models.CharField(_("địa điểm cụ thể"), max_length=200, blank=True)
    organiser = models.ForeignKey("plans.Agency", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("cơ quan tổ chức"))
    organiser_text = models.CharField(_("đơn vị tổ chức khác"), max_length=200, blank=True)
    description = models.TextField(_("nội dung, kết quả"), blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+",
                                    verbose_name=_("chủ đề"))

    adults = models.PositiveIntegerField(_("người lớn"), default=0)
    adult_women = models.PositiveIntegerField(_("trong đó nữ"), default=0)
    children = models.PositiveIntegerField(_("trẻ em"), default=0)
    girls = models.PositiveIntegerField(_("trong đó trẻ em gái"), default=0)
    children_0_6 = models.PositiveIntegerField(_("trẻ em dưới 7 tuổi"), default=0)
    children_7_10 = models.PositiveIntegerField(_("trẻ em 7–10 tuổi"), default=0)
    children_11_15 = models.PositiveIntegerField(_("trẻ em 11–15 tuổi"), default=0)
    children_minority = models.PositiveIntegerField(_("trẻ em dân tộc thiểu số"), default=0)
    children_special = models.PositiveIntegerField(_("trẻ em có hoàn cảnh đặc biệt"),
                                                   default=0)

    # Forums: the level, and the report the commune sends to the province within 15 days of
    # the forum's end (Thông tư 29/2019/TT-BLĐTBXH Điều 14 k4, as re-assigned in 2025).
    forum_level = models.CharField(_("cấp diễn đàn"), max_length=10, blank=True,
                                   choices=ForumLevel.choices)
    report_due_on = models.DateField(_("hạn báo cáo kết quả"), null=True, blank=True)
    reported_on = models.DateField(_("ngày gửi báo cáo kết quả"), null=True, blank=True)
    # Consultations: what the children were consulted on, and the four steps' dates and words
    # (Thông tư 36/2018/TT-BLĐTBXH: prepare, consult, compile and explain, give feedback).
    subject = models.CharField(_("văn bản, chính sách được lấy ý kiến"), max_length=500,
                               blank=True)
    prepared_on = models.DateField(_("chuẩn bị xong ngày"), null=True, blank=True)
    compiled_on = models.DateField(_("tổng hợp, giải trình ngày"), null=True, blank=True)
    explanation = models.TextField(_("ý kiến được tiếp thu và giải trình"), blank=True)
    feedback_on = models.DateField(_("thông tin phản hồi cho trẻ em ngày"), null=True,
                                   blank=True)
    feedback = models.TextField(_("nội dung phản hồi cho trẻ em"), blank=True)

    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["unit_path", "start_date"], name="plans_activity_scope"),
                   models.Index(fields=["task", "start_date"], name="plans_activity_task")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")),
                                   name="plans_activity_dates_in_order"),
            models.CheckConstraint(condition=Q(girls__lte=F("children"))
                                   & Q(adult_women__lte=F("adults"))
                                   & Q(children_minority__lte=F("children"))
                                   & Q(children_special__lte=F("children")),
                                   name="plans_activity_parts_within_totals"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def participants(self) -> int:
        return self.adults + self.children

    @property
    def ages_known(self) -> int:
        return self.children_0_6 + self.children_7_10 + self.children_11_15

    def forum_report_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (self.report_due_on is not None and self.reported_on is None
                and self.status == ActivityStatus.HELD and today > self.report_due_on)


class FundingSource(models.TextChoices):
    STATE = "state", _("Ngân sách nhà nước")
    MOBILISED = "mobilised", _("Vận động, xã hội hóa")
    FUND = "fund", _("Quỹ Bảo trợ trẻ em")


class ActivityBudget(models.Model):
    """Money planned and spent on an activity from one source, in whole đồng."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budget")
    source = models.CharField(_("nguồn"), max_length=10, choices=FundingSource.choices)
    planned = models.BigIntegerField(_("dự kiến (đồng)"), default=0)
    spent = models.BigIntegerField(_("đã chi (đồng)"), default=0)

    class Meta:
        ordering = ["activity", "source"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "source"],
                                    name="plans_budget_one_a_source"),
            models.CheckConstraint(condition=Q(planned__gte=0) & Q(spent__gte=0),
                                   name="plans_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.source}"


class Attendee(models.Model):
    """A person trained: a user of treem (a commune officer), or someone named from outside
    (a teacher, a village head) with their agency and unit. Adults only."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    position_text = models.CharField(_("chức vụ"), max_length=120, blank=True)
    agency = models.ForeignKey("plans.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("cơ quan"))
    unit = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("đơn vị"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], condition=Q(user__isnull=False),
                                    name="plans_attendee_user_once"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""),
                                   name="plans_attendee_user_or_name"),
        ]
        indexes = [models.Index(fields=["user", "activity"], name="plans_attendee_user")]

    def __str__(self) -> str:
        return self.name or str(self.user)


class NamedChild(models.Model):
    """A child named in an activity: a link to the register, never a copy of the child's
    name, so that who may not read the child in the register cannot read it here either."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE,
                                 related_name="named_children")
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="+",
                              db_constraint=False)
    reason = models.CharField(_("lý do nêu tên"), max_length=500)
    # The consent naming rests on (Luật 91/2025/QH15 Điều 24 khoản 2); once withdrawn the name
    # is shown nowhere. Empty only on rows named before consents were recorded.
    consent = models.ForeignKey("registry.ChildConsent", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "child"], name="plans_named_child_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="plans_named_child_reason"),
        ]
        indexes = [models.Index(fields=["child"], name="plans_named_child_child")]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.child_id}"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Chưa trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    DONE = "done", _("Đã giải quyết xong")


class Adoption(models.TextChoices):
    """What became of a child's opinion in a consultation (Thông tư 36/2018: tiếp thu,
    giải trình)."""

    TAKEN_UP = "taken_up", _("Được tiếp thu")
    PARTLY = "partly", _("Tiếp thu một phần")
    NOT_TAKEN_UP = "not_taken_up", _("Không tiếp thu (có giải trình)")


class RecommendationQuerySet(ScopedQuerySet):
    scope_path = "activity__unit_path"


class Recommendation(models.Model):
    """A recommendation (kiến nghị) of a children's forum, assigned to an agency that answers
    and follows it up; or an opinion of the children in a consultation, with what was made
    of it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE,
                                 related_name="recommendations")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("nội dung kiến nghị, ý kiến"))
    agency = models.ForeignKey("plans.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="recommendations",
                               verbose_name=_("cơ quan trả lời"))
    answer_due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=10,
                              choices=RecommendationStatus.choices,
                              default=RecommendationStatus.OPEN)
    answer = models.TextField(_("trả lời"), blank=True)
    follow_up = models.TextField(_("kết quả theo dõi, thực hiện"), blank=True)
    adoption = models.CharField(_("tiếp thu"), max_length=12, blank=True,
                                choices=Adoption.choices)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "position", "id"]
        indexes = [models.Index(fields=["agency", "status"], name="plans_recommendation_agency")]

    def __str__(self) -> str:
        return self.text[:60]


def _file_path(instance: "ActivityFile", filename: str) -> str:
    from treem.ui.uploads import random_path

    return random_path("plans/activities", instance.content_type)


class FileKind(models.TextChoices):
    PHOTO = "photo", _("Ảnh")
    ATTENDANCE = "attendance", _("Danh sách điểm danh")
    MINUTES = "minutes", _("Biên bản, báo cáo")
    OTHER = "other", _("Khác")


class ActivityFile(StoredFile):
    """Evidence of an activity: photos, the attendance sheet, minutes, a forum's report.
    Checked and stripped as progress evidence is (`treem.plans.evidence`)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại tệp"), max_length=12, choices=FileKind.choices,
                            default=FileKind.PHOTO)
    file = models.FileField(upload_to=_file_path, max_length=200)

    class Meta:
        ordering = ["activity", "uploaded_at"]
