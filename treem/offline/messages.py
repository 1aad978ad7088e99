"""Offline work's messages to users, in Vietnamese (translated through Django)."""

from django.utils.translation import gettext_lazy as _

NOT_A_COLLABORATOR = _("Chỉ cộng tác viên thôn, bản dùng ứng dụng làm việc không có mạng.")
DEVICE_UNKNOWN = _("Máy này chưa được đăng ký: hãy mở lại ứng dụng khi có mạng.")
DEVICE_OF_ANOTHER = _("Mã máy này đã được đăng ký cho người khác.")
WIPE = _("Máy này phải xóa dữ liệu của treem: máy đã bị báo mất, hoặc tài khoản đã bị khóa "
         "hoặc không còn vai trò cộng tác viên.")
REFERENCE_UNKNOWN = _("Không tìm thấy hồ sơ này trong thôn, bản của bạn.")
REFERENCE_WAITING = _("Thao tác này dựa trên một thao tác trước chưa được cập nhật (đang chờ "
                      "quyết định hoặc cần sửa): nó được giữ lại, không mất.")
VILLAGE_NOT_YOURS = _("Thôn, bản này không thuộc phạm vi của bạn.")
CHILD_GONE = _("Hồ sơ trẻ đã không còn trong thôn, bản của bạn (đã chuyển đi hoặc đã xóa thông "
               "tin): thay đổi được giữ lại chờ cán bộ xã quyết định.")
CONFLICT = _("Thông tin này đã được người khác sửa sau khi máy tải về: hãy chọn giữ giá trị "
             "nào.")
FIELD_NOT_EDITABLE = _("Trường này không sửa được trên máy.")
NOTHING_WAITING = _("Thao tác này không còn chờ quyết định.")
CHOICE_REQUIRED = _("Hãy chọn giữ giá trị nào cho từng trường.")
REASON_REQUIRED = _("Hãy ghi lý do bỏ qua.")
NOT_YOURS_TO_DECIDE = _("Bạn không được quyết định thao tác này.")
REQUIRED = _("Không được để trống.")
DAY_INVALID = _("Ngày không hợp lệ.")
CHOICE_UNKNOWN = _("Giá trị này không có trong danh sách.")
DUPLICATE_CHILD = _("Có thể trẻ đã có trong sổ: %(names)s. Nếu đúng là trẻ khác, hãy gửi lại và "
                    "xác nhận là trẻ mới.")
REPORTER_RELATION = _("Cộng tác viên thôn, bản")
TOO_LONG = _("Tối đa %(n)s ký tự.")
DUPLICATE_IN_COMMUNE = _("Có thể trẻ đã có trong sổ của xã (tên gần giống, cùng giới tính, năm sinh "
                         "gần nhau): cán bộ xã sẽ xem và quyết định ghi là trẻ mới hay không.")
PAYLOAD_TOO_LARGE = _("Nội dung của một thao tác quá lớn.")
PAYLOAD_NOT_JSON = _("Nội dung của thao tác có số không hợp lệ (NaN hoặc vô cực).")
