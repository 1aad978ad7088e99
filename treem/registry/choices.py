"""Closed lists of the child register. Catalogues that provinces edit live in models instead."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "m", _("Nam")
    FEMALE = "f", _("Nữ")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Ngày, tháng, năm")
    MONTH = "month", _("Chỉ biết tháng, năm")
    YEAR = "year", _("Chỉ biết năm")


class ResidenceType(models.TextChoices):
    PERMANENT = "permanent", _("Thường trú")
    TEMPORARY = "temporary", _("Tạm trú")


class LivingArrangement(models.TextChoices):
    BOTH_PARENTS = "both_parents", _("Sống với cha và mẹ")
    ONE_PARENT = "one_parent", _("Sống với cha hoặc mẹ")
    RELATIVES = "relatives", _("Sống với người thân thích")
    ALTERNATIVE_CARE = "alternative_care", _("Chăm sóc thay thế (không phải người thân)")
    INSTITUTION = "institution", _("Sống trong cơ sở trợ giúp xã hội, cơ sở bảo vệ trẻ em")
    ALONE = "alone", _("Không có người chăm sóc")


class SchoolLevel(models.TextChoices):
    NONE = "none", _("Chưa đi học")
    PRESCHOOL = "preschool", _("Mầm non")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Giáo dục nghề nghiệp")


class SchoolStatus(models.TextChoices):
    NOT_APPLICABLE = "na", _("Chưa đến tuổi đi học")
    IN_SCHOOL = "in_school", _("Đang đi học")
    DROPPED_OUT = "dropped_out", _("Bỏ học")
    NEVER = "never", _("Chưa từng đi học")


class DisabilityType(models.TextChoices):
    # Luật Người khuyết tật 2010, Điều 3 khoản 1 (the six types).
    MOBILITY = "mobility", _("Khuyết tật vận động")
    HEARING_SPEECH = "hearing_speech", _("Khuyết tật nghe, nói")
    VISION = "vision", _("Khuyết tật nhìn")
    MENTAL = "mental", _("Khuyết tật thần kinh, tâm thần")
    INTELLECTUAL = "intellectual", _("Khuyết tật trí tuệ")
    OTHER = "other", _("Khuyết tật khác")


class DisabilityDegree(models.TextChoices):
    # Luật Người khuyết tật 2010, Điều 3 khoản 2.
    SPECIAL_SEVERE = "special_severe", _("Đặc biệt nặng")
    SEVERE = "severe", _("Nặng")
    MILD = "mild", _("Nhẹ")


class VaccinationStatus(models.TextChoices):
    FULL = "full", _("Tiêm chủng đầy đủ")
    PARTIAL = "partial", _("Chưa đầy đủ")
    NONE = "none", _("Chưa tiêm")
    UNKNOWN = "unknown", _("Không rõ")


class NutritionStatus(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    UNDERWEIGHT = "underweight", _("Suy dinh dưỡng thể nhẹ cân")
    STUNTED = "stunted", _("Suy dinh dưỡng thể thấp còi")
    WASTED = "wasted", _("Suy dinh dưỡng thể gầy còm")
    OVERWEIGHT = "overweight", _("Thừa cân, béo phì")
    UNKNOWN = "unknown", _("Không rõ")


class DeathCause(models.TextChoices):
    DROWNING = "drowning", _("Đuối nước")
    TRAFFIC = "traffic", _("Tai nạn giao thông")
    OTHER_INJURY = "other_injury", _("Tai nạn, thương tích khác")
    ILLNESS = "illness", _("Bệnh tật")
    VIOLENCE = "violence", _("Bạo lực, xâm hại")
    OTHER = "other", _("Khác")


class PovertyStatus(models.TextChoices):
    NONE = "none", _("Không")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    POOR = "poor", _("Hộ nghèo")


class Relation(models.TextChoices):
    FATHER = "father", _("Cha")
    MOTHER = "mother", _("Mẹ")
    STEP_PARENT = "step_parent", _("Cha dượng, mẹ kế")
    GRANDPARENT = "grandparent", _("Ông, bà")
    SIBLING = "sibling", _("Anh, chị")
    RELATIVE = "relative", _("Người thân thích khác")
    GUARDIAN = "guardian", _("Người giám hộ")
    FOSTER = "foster", _("Người nhận chăm sóc thay thế")
    OTHER = "other", _("Khác")


class RiskFlag(models.TextChoices):
    VIOLENCE = "violence", _("Nguy cơ bị bạo lực")
    EXPLOITATION = "exploitation", _("Nguy cơ bị bóc lột")
    ABANDONMENT = "abandonment", _("Nguy cơ bị bỏ rơi")
    CHILD_LABOUR = "child_labour", _("Nguy cơ lao động trẻ em")
    CHILD_MARRIAGE = "child_marriage", _("Nguy cơ tảo hôn")
    DROPPING_OUT = "dropping_out", _("Nguy cơ bỏ học")
    DROWNING = "drowning", _("Nguy cơ đuối nước, tai nạn")
    OTHER = "other", _("Nguy cơ khác")


class SupportKind(models.TextChoices):
    SOCIAL_ALLOWANCE = "social_allowance", _("Trợ cấp xã hội")
    HEALTH = "health", _("Hỗ trợ y tế")
    EDUCATION = "education", _("Hỗ trợ giáo dục")
    COUNSELLING = "counselling", _("Tư vấn, trị liệu tâm lý")
    LEGAL = "legal", _("Trợ giúp pháp lý")
    IN_KIND = "in_kind", _("Hiện vật, tiền mặt")
    OTHER = "other", _("Khác")


class StatusField(models.TextChoices):
    """The status fields of a child whose past values are kept (`ChildStatusPast`)."""

    BIRTH_REGISTERED = "birth_registered", _("đã đăng ký khai sinh")
    LIVING_ARRANGEMENT = "living_arrangement", _("hoàn cảnh sống")
    SCHOOL_STATUS = "school_status", _("tình trạng đi học")
    DISABILITY_TYPE = "disability_type", _("dạng khuyết tật")
    HEALTH_INSURANCE = "health_insurance", _("có thẻ bảo hiểm y tế")
    VACCINATION_STATUS = "vaccination_status", _("tiêm chủng")
    NUTRITION_STATUS = "nutrition_status", _("dinh dưỡng")


class HistorySource(models.TextChoices):
    MANUAL = "manual", _("Nhập tay")
    IMPORT = "import", _("Nhập từ Excel")
    CASE = "case", _("Từ hồ sơ vụ việc")
    MERGE = "merge", _("Từ gộp hồ sơ trùng")
    # Answers of the commune police checked against the national population database (Đề án
    # 06), applied by treem.privacy.population.
    POPDB = "popdb", _("Từ Cơ sở dữ liệu quốc gia về dân cư")
