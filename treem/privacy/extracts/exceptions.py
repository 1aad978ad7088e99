"""The extracts' refusals, in Vietnamese (translated through gettext)."""

from django.utils.translation import gettext_lazy as _

PURPOSE_REQUIRED = _("Hãy ghi rõ mục đích sử dụng (ít nhất 20 ký tự).")
REASON_REQUIRED = _("Hãy ghi lý do không duyệt (ít nhất 10 ký tự).")
BAD_FIELDS = _("Có trường dữ liệu không được phép trích xuất.")
BAD_FORMAT = _("Định dạng tệp không hợp lệ.")
NOT_YOURS = _("Đơn vị này nằm ngoài phạm vi của bạn.")
FOUR_EYES = _("Người đề nghị không được tự duyệt đề nghị của mình.")
NOT_REQUESTED = _("Đề nghị này đã được quyết định.")
NOT_APPROVED = _("Đề nghị chưa được duyệt: chưa xuất được dữ liệu.")
ONLY_REQUESTER = _("Chỉ người đề nghị được tải dữ liệu đã duyệt.")
