"""The retention pages' and services' refusals, in Vietnamese (translated through gettext)."""

from django.utils.translation import gettext_lazy as _

REASON_REQUIRED = _("Hãy ghi lý do (ít nhất 10 ký tự).")
YEARS_RANGE = _("Số năm lưu giữ phải từ 0 đến 100.")
EVENT_NOT_FOR_KIND = _("Loại hồ sơ này không tính thời hạn từ mốc đã chọn.")
NO_SUCH_RULE = _("Không có quy tắc lưu trữ cho loại hồ sơ này.")
NOT_DUE = _("Hồ sơ này không còn chờ xem xét (đã được xử lý hoặc đang tạm giữ).")
HELD = _("Hồ sơ đang bị tạm giữ theo yêu cầu pháp lý: không thể ẩn danh hay xóa.")
OPEN_CASE = _("Trẻ em còn hồ sơ vụ việc chưa kết thúc: chưa thể ẩn danh.")
BAD_DECISION = _("Hãy chọn ẩn danh, xóa dữ liệu cá nhân hoặc tạm giữ.")
NOT_YOURS = _("Hồ sơ này nằm ngoài phạm vi của bạn.")
HOLD_NEEDS_RECORD = _("Hãy chọn đúng một hồ sơ (trẻ em hoặc vụ việc) để tạm giữ.")
ALREADY_LIFTED = _("Lệnh tạm giữ này đã được chấm dứt.")
