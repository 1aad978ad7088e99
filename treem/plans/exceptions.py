"""The plans' messages to users, in Vietnamese (translated through Django)."""

from django.utils.translation import gettext_lazy as _

LEAD_REQUIRED = _("Hãy chọn cơ quan chủ trì nhiệm vụ.")
LEAD_NOT_OF_PLAN = _("Cơ quan chủ trì phải là cơ quan của đơn vị ban hành kế hoạch hoặc đơn vị "
                     "trực thuộc.")
COOPERATING_IS_LEAD = _("Cơ quan chủ trì không đồng thời là cơ quan phối hợp.")
TEXT_REQUIRED = _("Hãy ghi nội dung nhiệm vụ.")
SECTION_REQUIRED = _("Hãy ghi mục của nhiệm vụ (ví dụ III.2).")
SECTION_TAKEN = _("Kế hoạch đã có nhiệm vụ ở mục “%(section)s”.")
YEARS_ORDER = _("Năm kết thúc không được trước năm bắt đầu.")
YEARS_RANGE = _("Năm phải trong khoảng 2000–2100.")
TITLE_REQUIRED = _("Hãy ghi tên kế hoạch.")
ISSUED_OUTSIDE = _("Ngày ban hành phải trước khi kế hoạch kết thúc (năm %(year)s).")
YEAR_OUTSIDE_PLAN = _("Năm %(year)s nằm ngoài thời gian của kế hoạch (%(start)s–%(end)s).")
DATE_OUTSIDE_PLAN = _("Ngày %(day)s nằm ngoài thời gian của kế hoạch (%(start)s–%(end)s).")
DATES_ORDER = _("Ngày bắt đầu phải trước ngày kết thúc.")
TIME_FRAME_YEAR = _("Hãy ghi năm của nhiệm vụ.")
TIME_FRAME_QUARTER = _("Hãy chọn quý (1–4) và năm của nhiệm vụ.")
TIME_FRAME_MONTH = _("Hãy chọn tháng (1–12) và năm của nhiệm vụ.")
TIME_FRAME_DATES = _("Hãy ghi ít nhất hạn hoàn thành của nhiệm vụ.")
AGENCY_NAME_REQUIRED = _("Hãy ghi tên cơ quan.")
AGENCY_NAME_TAKEN = _("Đơn vị đã có cơ quan tên “%(name)s”.")
UNIT_OUT_OF_SCOPE = _("Đơn vị này ngoài phạm vi của bạn.")
UNIT_NOT_CURRENT = _("Đơn vị đã giải thể: hãy chọn đơn vị hiện hành.")
IMPLEMENTS_NOT_HIGHER = _("Kế hoạch được thực hiện phải của cấp trên của đơn vị ban hành.")
TOO_LONG = _("Dài quá %(n)s ký tự.")
CHOICE_UNKNOWN = _("Giá trị này không có trong danh sách.")
NOT_OF_TASK = _("Cơ quan này không chủ trì, không phối hợp nhiệm vụ này.")
NOT_YOUR_AGENCY = _("Bạn không phải đầu mối báo cáo của cơ quan này.")
PERIOD_OUTSIDE_PLAN = _("Kỳ %(period)s nằm ngoài thời gian của kế hoạch (%(start)s–%(end)s).")
PERIOD_NOT_STARTED = _("Kỳ %(period)s chưa bắt đầu: chưa báo cáo được.")
PERCENT_RANGE = _("Tỷ lệ hoàn thành từ 0 đến 100%.")
DONE_NOT_100 = _("Đã hoàn thành thì tỷ lệ hoàn thành là 100%.")
NOT_STARTED_NOT_0 = _("Chưa triển khai thì tỷ lệ hoàn thành là 0%.")
DONE_TEXT_REQUIRED = _("Hãy ghi kết quả đã thực hiện.")
FOCAL_NOT_IN_SCOPE = _("Người này không giữ vai trò đầu mối ngành (hoặc quản lý kế hoạch) ở đơn vị "
                       "của cơ quan.")
FOCAL_ALREADY = _("Người này đã là đầu mối của cơ quan.")
REPLACEMENT_REQUIRED = _("Hãy chọn kế hoạch thay thế.")
REPLACEMENT_NOT_OURS = _("Kế hoạch thay thế phải của cùng đơn vị hoặc cấp trên.")
IMPLEMENTS_ITSELF = _("Kế hoạch không thực hiện chính nó.")
YEARS_EXCLUDE_TASKS = _("Các nhiệm vụ ở mục %(sections)s có thời gian ngoài các năm "
                        "%(start)s–%(end)s: hãy sửa các nhiệm vụ đó trước.")
YEARS_EXCLUDE_REPORTS = _("Đã có báo cáo tiến độ kỳ %(period)s, ngoài các năm %(start)s–%(end)s.")
# The implementation report attached to the periodic report (`plans.implementation`).
REPORT_OTHER_UNIT = _("Báo cáo định kỳ này là của %(unit)s, không phải của đơn vị ban hành kế "
                      "hoạch (hoặc đơn vị đã tiếp nhận địa bàn của đơn vị đó).")
REPORT_OTHER_PERIOD = _("Báo cáo định kỳ này là của kỳ %(report)s, không phải kỳ %(period)s.")
REPORT_NOT_EDITABLE = _("Báo cáo định kỳ đã gửi hoặc đã được duyệt: không đính kèm hay gỡ "
                        "được nữa.")
REPORT_ALREADY_ATTACHED = _("Báo cáo kết quả thực hiện kế hoạch này đã được đính kèm vào báo "
                            "cáo định kỳ đó.")
REPORT_NOT_YOURS = _("Báo cáo định kỳ này ngoài phạm vi của bạn.")
ATTACHMENTS_TOO_MANY = _("Một kế hoạch có tối đa %(n)s tài liệu đính kèm.")
