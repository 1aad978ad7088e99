from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Kept word for word (the English catalogue has it); the sign-in page links to the unlock
# link page next to it.
LOGIN_FAILED = _(
    "Đăng nhập không thành công. Kiểm tra tên đăng nhập và mật khẩu. "
    "Sau nhiều lần sai liên tiếp, tài khoản bị tạm khóa trong ít phút."
)
# The same answer whether the account exists, has an e-mail address or not.
UNLOCK_REQUESTED = _(
    "Nếu tài khoản này tồn tại và có địa chỉ thư điện tử, một liên kết mở khóa vừa được gửi "
    "đến đó. Liên kết chỉ dùng được một lần, trong %(minutes)d phút."
)
UNLOCK_LINK_INVALID = _(
    "Liên kết mở khóa không hợp lệ hoặc đã hết hạn. Hãy yêu cầu một liên kết mới, "
    "hoặc liên hệ quản trị hệ thống."
)
UNLOCK_DONE = _("Đã mở khóa đăng nhập. Hãy đăng nhập lại.")
UNLOCK_MAIL_SUBJECT = _("[treem] Mở khóa đăng nhập")
UNLOCK_MAIL_BODY = _(
    "Chào %(name)s,\n\n"
    "Có người đã yêu cầu mở khóa đăng nhập cho tài khoản của bạn trên treem. "
    "Để mở khóa, hãy mở liên kết sau trong %(minutes)d phút (chỉ dùng được một lần):\n\n"
    "%(url)s\n\n"
    "Nếu bạn không yêu cầu, hãy bỏ qua thư này và báo cho quản trị hệ thống: "
    "có thể ai đó đang thử mật khẩu của bạn."
)
OTP_INVALID = _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới trên ứng dụng.")
OTP_NOT_SET_UP = _("Tài khoản chưa kích hoạt xác thực hai lớp.")
UNIT_OUT_OF_SCOPE = _("Đơn vị này nằm ngoài phạm vi quản lý của bạn.")
UNIT_NOT_CURRENT = _("Chỉ được phân quyền trên đơn vị hành chính hiện hành.")
ROLE_LEVEL_MISMATCH = _("Vai trò “%(role)s” không được giao ở cấp “%(level)s”.")
ROLE_UNKNOWN = _("Vai trò không hợp lệ.")
SECTOR_UNKNOWN = _("Ngành không hợp lệ.")
SECTOR_REQUIRED = _("Đầu mối ngành phải chọn ngành.")
SECTOR_NOT_ALLOWED = _("Chỉ đầu mối ngành mới chọn ngành.")
USERNAME_TAKEN = _("Tên đăng nhập này đã được dùng.")
ASSIGNMENT_EXISTS = _("Người dùng đã có vai trò này ở đơn vị này.")
ASSIGNMENT_ALREADY_REVOKED = _("Vai trò này đã được thu hồi.")
LAST_ASSIGNMENT = _("Không thể thu hồi vai trò cuối cùng; hãy khóa tài khoản thay vào đó.")
TOKEN_DAYS_RANGE = _("Thời hạn khóa API phải từ 1 đến %(max)d ngày.")
TOKEN_ALREADY_REVOKED = _("Khóa API này đã bị thu hồi.")
CANNOT_CHANGE_SELF = _(
    "Bạn không thể tự khóa tài khoản, tự giao hay thu hồi quyền của chính mình."
)


class LoginFailed(ValidationError):
    def __init__(self) -> None:
        super().__init__(LOGIN_FAILED, code="login_failed")


class OtpInvalid(ValidationError):
    def __init__(self) -> None:
        super().__init__(OTP_INVALID, code="otp_invalid")
