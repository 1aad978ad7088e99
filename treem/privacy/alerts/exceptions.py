"""The messages of alerts and breaches, in Vietnamese (translated through Django)."""

from django.utils.translation import gettext_lazy as _

OUT_OF_SCOPE = _("Đơn vị này ngoài phạm vi của bạn.")
NOTE_REQUIRED = _("Hãy ghi chú lý do (tối đa 2.000 ký tự).")
TRANSITION_REFUSED = _("Cảnh báo đang “%(status)s”: không chuyển sang “%(target)s” được.")
TITLE_REQUIRED = _("Hãy tóm tắt sự việc (tối đa 200 ký tự).")
DESCRIPTION_REQUIRED = _("Hãy mô tả diễn biến sự việc.")
FOUND_REQUIRED = _("Hãy ghi thời điểm phát hiện.")
IN_FUTURE = _("Thời điểm này chưa tới.")
FOUND_BEFORE_HAPPENED = _("Thời điểm phát hiện không được trước thời điểm xảy ra.")
NOTIFIED_BEFORE_FOUND = _("Thời điểm thông báo không được trước thời điểm phát hiện.")
COUNT_INVALID = _("Số người bị ảnh hưởng phải là số nguyên từ 0 đến 100.000.000.")
CATEGORY_UNKNOWN = _("Loại dữ liệu này không có trong danh sách.")
TEXT_TOO_LONG = _("Dài tối đa %(limit)s ký tự.")
