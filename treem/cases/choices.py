"""Closed lists of the case process. Forms of abuse: Luật Trẻ em 2016 Điều 4 khoản 5."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    HOTLINE = "hotline_111", _("Tổng đài 111")
    PHONE = "phone", _("Điện thoại đến xã")
    VISIT = "visit", _("Đến trực tiếp UBND xã")
    POLICE = "police", _("Công an chuyển đến")
    SCHOOL = "school", _("Nhà trường báo tin")
    HEALTH = "health", _("Cơ sở y tế báo tin")
    ONLINE = "online", _("Trực tuyến")
    COLLABORATOR = "collaborator", _("Cộng tác viên thôn, bản báo tin")
    OTHER = "other", _("Khác")


class AbuseForm(models.TextChoices):
    VIOLENCE = "violence", _("Bạo lực")
    EXPLOITATION = "exploitation", _("Bóc lột")
    SEXUAL_ABUSE = "sexual_abuse", _("Xâm hại tình dục")
    TRAFFICKING = "trafficking", _("Mua bán")
    ABANDONMENT = "abandonment", _("Bỏ rơi")
    NEGLECT = "neglect", _("Bỏ mặc")
    OTHER = "other", _("Hình thức gây tổn hại khác")


class Place(models.TextChoices):
    """Where it happened (môi trường xâm hại), a breakdown of indicator 0101 of TT 13/2021."""

    FAMILY = "family", _("Gia đình")
    SCHOOL = "school", _("Trường học")
    COMMUNITY = "community", _("Cộng đồng")
    ONLINE = "online", _("Môi trường mạng")
    CARE_FACILITY = "care_facility", _("Cơ sở trợ giúp xã hội, nuôi dưỡng")
    OTHER = "other", _("Khác")


class Perpetrator(models.TextChoices):
    PARENT = "parent", _("Cha, mẹ")
    STEP_PARENT = "step_parent", _("Cha dượng, mẹ kế")
    RELATIVE = "relative", _("Người thân khác")
    CAREGIVER = "caregiver", _("Người chăm sóc")
    TEACHER = "teacher", _("Giáo viên, nhân viên trường")
    ACQUAINTANCE = "acquaintance", _("Người quen")
    STRANGER = "stranger", _("Người lạ")
    CHILD = "child", _("Trẻ em khác")
    UNKNOWN = "unknown", _("Chưa rõ")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    VERIFYING = "verifying", _("Xác minh, đánh giá ban đầu")
    ASSESSING = "assessing", _("Đánh giá nguy cơ, nhu cầu")
    PLANNING = "planning", _("Xây dựng kế hoạch hỗ trợ, can thiệp")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ phê duyệt kế hoạch")
    IN_PROGRESS = "in_progress", _("Thực hiện kế hoạch")
    REVIEWING = "reviewing", _("Rà soát, đánh giá")
    CLOSED = "closed", _("Đã kết thúc")


class CloseReason(models.TextChoices):
    SAFE = "safe", _("Trẻ đã an toàn, không còn nguy cơ")
    NOT_CONFIRMED = "not_confirmed", _("Xác minh không có vụ việc")
    MOVED = "moved", _("Trẻ chuyển đi nơi khác, đã chuyển hồ sơ")
    TRANSFERRED = "transferred", _("Chuyển cơ quan khác giải quyết")
    OTHER = "other", _("Lý do khác")


class Service(models.TextChoices):
    HEALTH = "health", _("Y tế")
    COUNSELLING = "counselling", _("Tư vấn, trị liệu tâm lý")
    LEGAL_AID = "legal_aid", _("Trợ giúp pháp lý")
    POLICE = "police", _("Công an")
    EDUCATION = "education", _("Giáo dục")
    SOCIAL_ASSISTANCE = "social_assistance", _("Trợ giúp xã hội")
    SHELTER = "shelter", _("Nơi tạm trú an toàn")
    OTHER = "other", _("Khác")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Đã chuyển gửi")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    DECLINED = "declined", _("Từ chối")
    DONE = "done", _("Đã có kết quả")
