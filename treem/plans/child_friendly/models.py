"""The child-friendly commune (xã, phường phù hợp với trẻ em; Quyết định 06/QĐ-TTg ngày
03/01/2019): its criteria as versioned data, each commune's class for the threshold, and the
yearly self-assessment with its scores, its flow and its verdict.

A decision replacing QĐ 06 is a new `CriteriaVersion` loaded from a file
(`loading.load_version`), never a release: the criteria, their items, the points, how an item
is scored (bands of a percentage or a count), the thresholds by class of commune and whether
each item's points were verified against the published text, and where.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.geo.models import ScopedQuerySet
from treem.geo.paths import PathField


class CommuneClass(models.TextChoices):
    """The class a commune's total is judged against (QĐ 06: phường of a centrally-run
    city 900; mountain, island, especially difficult commune 800; the others 850)."""

    URBAN_WARD = "urban_ward", _("Phường thuộc thành phố trực thuộc trung ương")
    DIFFICULT = "difficult", _("Xã miền núi, hải đảo, đặc biệt khó khăn")
    OTHER = "other", _("Xã, phường còn lại")


class CriteriaVersion(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    title = models.CharField(_("tên văn bản"), max_length=500)
    legal_basis = models.TextField(_("căn cứ"))
    effective_from = models.DateField(_("hiệu lực từ"))
    # Whether every item's points are known: an incomplete version gives no verdict.
    complete = models.BooleanField(_("đủ thang điểm"), default=False)
    completeness_note = models.TextField(blank=True)
    total_points = models.PositiveIntegerField(_("tổng điểm tối đa"))
    thresholds = models.JSONField(default=dict)     # {class: points needed}
    recognition_rule = models.TextField(_("điều kiện công nhận"))
    criterion_met_rule = models.TextField(_("tiêu chí đạt khi"), blank=True)
    source = models.JSONField(default=dict)          # the file as loaded
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.code


class Criterion(models.Model):
    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE,
                                related_name="criteria")
    number = models.PositiveSmallIntegerField(_("tiêu chí"))
    title = models.CharField(_("tên tiêu chí"), max_length=300)
    max_points = models.PositiveSmallIntegerField(_("điểm tối đa"), null=True, blank=True)
    # The points below which the criterion is not met, when the text sets any.
    min_points_to_meet = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"],
                                               name="cfc_criterion_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Item(models.Model):
    """A scored item of a criterion: its maximum, how it is scored, and where treem's own
    data fills it (`prefill`: a key of `prefill.SPECS`)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("mục"), max_length=10)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("nội dung"))
    max_points = models.PositiveSmallIntegerField(_("điểm tối đa"), null=True, blank=True)
    scoring = models.TextField(_("cách chấm"), blank=True)
    # [{"at_least_percent": 95, "points": 50}, …] (or at_least_count, at_most_percent).
    bands = models.JSONField(null=True, blank=True)
    prefill = models.CharField(_("lấy từ dữ liệu"), max_length=40, blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    verified_source = models.TextField(_("nguồn đối chiếu"), blank=True)

    class Meta:
        ordering = ["criterion", "position"]
        constraints = [models.UniqueConstraint(fields=["criterion", "code"],
                                               name="cfc_item_unique_code")]

    def __str__(self) -> str:
        return self.code


class ClassQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class CommuneClassing(models.Model):
    """A commune's class from a day (a commune classed as especially difficult until a
    decision takes it off the list): the class on 31 December of a year judges that year."""

    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=64)
    commune_class = models.CharField(_("loại xã"), max_length=12,
                                     choices=CommuneClass.choices)
    valid_from = models.DateField(_("từ ngày"))
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassQuerySet.as_manager()

    class Meta:
        ordering = ["unit_path", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["unit", "valid_from"],
                                               name="cfc_class_one_a_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.commune_class} {self.valid_from}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã gửi, chờ thẩm định")
    RETURNED = "returned", _("Bị trả lại")
    RECOGNISED = "recognised", _("Được công nhận")
    NOT_RECOGNISED = "not_recognised", _("Không được công nhận")


# The flow: the commune scores and submits; the level that recognises returns it with
# reasons, or decides (recognised with a decision's number and date, or not).
ALLOWED: dict[str, tuple[str, ...]] = {
    AssessmentStatus.DRAFT: (AssessmentStatus.SUBMITTED,),
    AssessmentStatus.SUBMITTED: (AssessmentStatus.RETURNED, AssessmentStatus.RECOGNISED,
                                 AssessmentStatus.NOT_RECOGNISED),
    AssessmentStatus.RETURNED: (AssessmentStatus.SUBMITTED,),
    AssessmentStatus.RECOGNISED: (),
    AssessmentStatus.NOT_RECOGNISED: (),
}


class AssessmentQuerySet(ScopedQuerySet):
    scope_path = "unit_path"


class Assessment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("xã, phường"))
    unit_path = PathField(max_length=64)
    year = models.PositiveSmallIntegerField(_("năm"))
    version = models.ForeignKey(CriteriaVersion, on_delete=models.PROTECT, related_name="+")
    commune_class = models.CharField(_("loại xã"), max_length=12,
                                     choices=CommuneClass.choices)
    status = models.CharField(_("tình trạng"), max_length=16,
                              choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    scored_by_text = models.CharField(_("người chấm, thành phần"), max_length=500, blank=True)
    meeting_on = models.DateField(_("ngày họp đánh giá"), null=True, blank=True)
    minutes = models.TextField(_("biên bản họp"), blank=True)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=60,
                                       blank=True)
    decision_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại, không công nhận"), blank=True)
    # The score as submitted or decided (the verdict's figures, frozen then).
    total = models.PositiveIntegerField(null=True, blank=True)
    verdict = models.JSONField(default=dict, blank=True)
    edit_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit_path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"],
                                               name="cfc_assessment_one_a_year")]
        indexes = [models.Index(fields=["unit_path", "year"], name="cfc_assessment_scope")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class ItemScore(models.Model):
    """An item's score in an assessment: the points given (None: not scored yet), the figure
    treem's data gave with its source, and the evidence of a score given by hand."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("điểm"), null=True, blank=True)
    # From the data (`prefill`): numerator, denominator (None for a count) and the points
    # the item's bands give them; the officer may score otherwise, with a reason.
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    suggested = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    evidence = models.TextField(_("minh chứng, ghi chú"), blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "item"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"],
                                               name="cfc_score_one_an_item")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.item_id}: {self.points}"


class AssessmentEvent(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="events")
    to_status = models.CharField(max_length=16, choices=AssessmentStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment_id} → {self.to_status}"
