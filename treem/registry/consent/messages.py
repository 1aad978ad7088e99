"""Consent's messages to users, in Vietnamese (translated through Django)."""

from django.utils.translation import gettext_lazy as _

OUT_OF_SCOPE = _("Hồ sơ của trẻ này ngoài phạm vi của bạn.")
CHOICE_UNKNOWN = _("Giá trị này không có trong danh sách.")
REQUIRED = _("Không được để trống.")
TOO_LONG = _("Tối đa %(n)s ký tự.")
DAY_IN_FUTURE = _("Ngày này chưa đến.")
BEFORE_BIRTH = _("Ngày này trước ngày sinh của trẻ.")
FORM_REQUIRED = _("Hãy đính kèm bản đồng ý có chữ ký (PDF, JPEG hoặc PNG).")
CHILD_MUST_AGREE = _("Trẻ đã đủ 7 tuổi vào ngày đồng ý: cần có sự đồng ý của chính trẻ cùng "
                     "người đại diện theo pháp luật (Luật 91/2025/QH15 Điều 24 khoản 2).")
CHILD_MERGED = _("Hồ sơ này đã được gộp vào hồ sơ khác: hãy ghi trên hồ sơ được giữ.")
ALREADY_WITHDRAWN = _("Sự đồng ý này đã được rút lại.")
WITHDRAWN_BEFORE_GIVEN = _("Ngày rút lại trước ngày đồng ý.")

# Why no consent may be relied upon, for the officer who wanted to rely on one.
NONE_RECORDED = _("Chưa có sự đồng ý bằng văn bản cho mục đích «%(purpose)s» (Luật 91/2025/QH15 "
                  "Điều 24): hãy ghi sự đồng ý, kèm bản có chữ ký, trên trang của trẻ trước.")
ALL_WITHDRAWN = _("Sự đồng ý cho mục đích «%(purpose)s» đã được rút lại ngày %(day)s: việc xử lý "
                  "phải dừng; chỉ làm tiếp khi có sự đồng ý mới.")
CHILD_NOW_SEVEN = _("Trẻ đã đủ 7 tuổi: cần có sự đồng ý của chính trẻ cùng người đại diện theo "
                    "pháp luật (Luật 91/2025/QH15 Điều 24 khoản 2). Sự đồng ý cho mục đích "
                    "«%(purpose)s» đang có được ghi khi trẻ chưa đủ 7 tuổi: hãy ghi một sự "
                    "đồng ý mới.")
GIVEN_LATER = _("Sự đồng ý cho mục đích «%(purpose)s» được ghi từ ngày %(day)s, sau ngày "
                "%(on)s.")
