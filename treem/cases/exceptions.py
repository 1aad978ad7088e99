from django.utils.translation import gettext_lazy as _

RECEIVED_IN_FUTURE = _("Thời điểm tiếp nhận không được sau thời điểm hiện tại.")
FORMS_REQUIRED = _("Hãy chọn ít nhất một hình thức xâm hại.")
DESCRIPTION_REQUIRED = _("Hãy ghi nội dung vụ việc.")
ANONYMOUS_WITH_IDENTITY = _("Người báo tin không cho biết danh tính: không ghi họ tên, điện thoại.")
COMMUNE_NOT_CURRENT = _("Hãy chọn xã, phường hiện hành nơi xảy ra vụ việc.")
OUT_OF_SCOPE = _("Bạn không được tiếp nhận, xử lý vụ việc của địa bàn này.")
ALREADY_A_CASE = _("Thông báo này đã được mở thành hồ sơ trường hợp.")
CHILD_OF_ANOTHER_COMMUNE = _("Trẻ không ở xã, phường nơi xảy ra vụ việc: hãy chọn trẻ trong sổ của xã.")
STEP_NOT_ALLOWED = _("Không thể chuyển hồ sơ từ bước “%(current)s” bằng thao tác này.")
NOT_A_WORKER = _("Bạn không phụ trách hồ sơ này.")
CLOSE_REASON_REQUIRED = _("Hãy chọn lý do kết thúc hồ sơ.")
