"""Roles of DESIGN.md and the levels of unit at which each may be assigned."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Level


class Role(models.TextChoices):
    """Named as the legal texts name them: Nghị định 56/2017/NĐ-CP Điều 26–28 (the commune's
    "người làm công tác bảo vệ trẻ em cấp xã" assesses and builds the plan, "trình Chủ tịch Ủy
    ban nhân dân cấp xã phê duyệt"); Điều 25 names the hotline. No text after the July 2025
    reorganisation renaming the commune's officer was found (treem/cases/data/legal_basis.md)."""

    VILLAGE_COLLABORATOR = "village_collaborator", _("Cộng tác viên thôn, bản")
    COMMUNE_OFFICER = "commune_officer", _("Người làm công tác bảo vệ trẻ em cấp xã")
    COMMUNE_LEADER = "commune_leader", _("Chủ tịch Ủy ban nhân dân cấp xã")
    AREA_OFFICER = "area_officer", _("Cán bộ cấp tỉnh, huyện")
    SECTOR_FOCAL = "sector_focal", _("Đầu mối ngành")
    INTAKE_OPERATOR = "intake_operator", _(
        "Tiếp nhận thông tin (Tổng đài điện thoại quốc gia bảo vệ trẻ em 111)")
    FUND_MANAGER = "fund_manager", _("Quản lý Quỹ bảo trợ trẻ em")
    # Approves the fund's allocations above the fund's threshold: not the manager who made them.
    FUND_APPROVER = "fund_approver", _("Lãnh đạo phê duyệt chi Quỹ bảo trợ trẻ em")
    AUDITOR = "auditor", _("Thanh tra, kiểm tra")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


class Sector(models.TextChoices):
    POLICE = "police", _("Công an")
    HEALTH = "health", _("Y tế")
    EDUCATION = "education", _("Giáo dục")
    JUSTICE = "justice", _("Tư pháp")
    CULTURE = "culture", _("Văn hóa")
    SOCIAL = "social", _("Lao động, xã hội")


# Where each role may be held. District assignments remain possible for records of the
# structure before July 2025; new assignments are made on current units only (see services).
ALLOWED_LEVELS: dict[str, frozenset[str]] = {
    Role.VILLAGE_COLLABORATOR: frozenset({Level.VILLAGE}),
    Role.COMMUNE_OFFICER: frozenset({Level.COMMUNE}),
    Role.COMMUNE_LEADER: frozenset({Level.COMMUNE}),
    Role.AREA_OFFICER: frozenset({Level.PROVINCE, Level.DISTRICT, Level.NATION}),
    Role.SECTOR_FOCAL: frozenset({Level.NATION, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE}),
    Role.INTAKE_OPERATOR: frozenset({Level.NATION, Level.PROVINCE}),
    Role.FUND_MANAGER: frozenset({Level.NATION, Level.PROVINCE, Level.COMMUNE}),
    Role.FUND_APPROVER: frozenset({Level.NATION, Level.PROVINCE}),
    Role.AUDITOR: frozenset({Level.NATION, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE}),
    Role.SYSTEM_ADMIN: frozenset({Level.NATION, Level.PROVINCE}),
}
