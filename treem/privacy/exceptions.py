"""The privacy app's messages to users, in Vietnamese (translated through Django)."""

from django.utils.translation import gettext_lazy as _

REASON_REQUIRED = _("Hãy ghi lý do.")
TEXT_REQUIRED = _("Không được để trống.")
CAPABILITY_UNKNOWN = _("Quyền “%(name)s” không có trong phần mềm.")
CAPABILITIES_REQUIRED = _("Hãy chọn ít nhất một quyền được xem loại hồ sơ này.")
PROVINCE_OUT_OF_SCOPE = _("Tỉnh, thành phố này ngoài phạm vi của bạn.")
