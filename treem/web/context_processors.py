from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from treem.accounts.models import User
from treem.accounts.permissions import Capability, has_capability, requires_two_factor
from treem.cases.alerts import waiting_count

# (label, url name, capability or None for every signed-in user)
NAVIGATION = [
    (_("Trang chủ"), "web:home", None),
    (_("Trẻ em"), "registry:child_list", Capability.VIEW_CHILDREN),
    (_("Hộ gia đình"), "registry:household_list", Capability.VIEW_CHILDREN),
    (_("Hồ sơ trùng"), "registry:duplicate_list", Capability.MERGE_CHILDREN),
    (_("Làm việc không có mạng"), "offline:app", Capability.RAISE_CONCERNS),
    (_("Dữ liệu từ máy cộng tác viên"), "offline:review_list", Capability.MANAGE_VILLAGES),
    (_("Đối chiếu dân cư"), "privacy:population_home", Capability.CHECK_POPULATION_DATA),
    (_("Thông báo, tố giác"), "cases:notification_list", Capability.RECEIVE_NOTIFICATIONS),
    (_("Hồ sơ trường hợp"), "cases:case_list", Capability.VIEW_CASES),
    (_("Số liệu vụ việc"), "cases:statistics", Capability.VIEW_CASE_STATISTICS),
    (_("Chỉ tiêu"), "indicators:dashboard", Capability.VIEW_INDICATORS),
    (_("Mục tiêu"), "indicators:target_list", Capability.MANAGE_TARGETS),
    (_("Bộ chỉ tiêu"), "indicators:catalogue", Capability.MANAGE_CATALOGUE),
    (_("Ánh xạ DHIS2"), "dhis2:home", Capability.MANAGE_CATALOGUE),
    (_("Báo cáo định kỳ"), "reports:report_list", Capability.WRITE_REPORTS),
    (_("Kế hoạch"), "plans:plan_list", Capability.VIEW_PLANS),
    (pgettext_lazy("activities", "Hoạt động"), "plans:activity_list", Capability.VIEW_PLANS),
    (_("Xã phù hợp với trẻ em"), "plans:assessment_list", Capability.VIEW_PLANS),
    (_("Nhiệm vụ của cơ quan"), "plans:my_tasks", Capability.REPORT_TASK_PROGRESS),
    (_("Quỹ bảo trợ trẻ em"), "fund:home", Capability.VIEW_FUND),
    (_("Nhu cầu hỗ trợ"), "fund:need_list", Capability.VIEW_NEEDS),
    (_("Yêu cầu về dữ liệu cá nhân"), "privacy:request_list", Capability.VIEW_DATA_REQUESTS),
    (_("Hồ sơ hết hạn lưu trữ"), "privacy:retention_due_list", Capability.REVIEW_RETENTION),
    (_("Quy tắc lưu trữ"), "privacy:retention_rule_list", Capability.MANAGE_RETENTION),
    (_("Trích xuất dữ liệu"), "privacy:extract_list", Capability.REQUEST_EXTRACTS),
    (_("Số liệu ngành"), "indicators:entry", Capability.ENTER_SECTOR_FIGURES),
    (_("Ngày nghỉ lễ"), "cases:calendar", Capability.MANAGE_CALENDAR),
    (_("Nhật ký gộp hồ sơ"), "registry:merge_list", Capability.UNMERGE_CHILDREN),
    (_("Đơn vị hành chính"), "geo:unit_browse", Capability.VIEW_UNITS),
    (_("Người dùng"), "accounts:user_list", Capability.MANAGE_USERS),
    (_("Nhật ký"), "audit:event_list", Capability.VIEW_AUDIT),
    (_("Sổ xử lý dữ liệu cá nhân"), "privacy:register", Capability.VIEW_PROCESSING_REGISTER),
    (_("Cảnh báo truy cập"), "privacy:alert_list", Capability.VIEW_ACCESS_ALERTS),
    (_("Vi phạm dữ liệu cá nhân"), "privacy:breach_list", Capability.RECORD_BREACHES),
    (_("Tài khoản"), "accounts:profile", None),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # Between password and code a staff user reaches only the second-factor pages; a user whose
    # roles need no second factor (village collaborators) is fully signed in after the password.
    if requires_two_factor(user) and not user.is_verified():  # type: ignore[union-attr]
        return {"nav_items": []}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name),
         "count": _waiting(user) if name == "cases:notification_list" else 0}
        for label, name, capability in NAVIGATION
        if capability is None or has_capability(user, capability)
    ]
    return {"nav_items": items, "nav_alerts": sum(item["count"] for item in items)}


def _waiting(user: User) -> int:
    """New reports waiting for the commune, shown beside the menu item at once."""
    if not has_capability(user, Capability.MANAGE_CASES):
        return 0
    return waiting_count(user)
