"""The requests' messages to users, in Vietnamese (translated through Django)."""

from django.utils.translation import gettext_lazy as _

OUT_OF_SCOPE = _("Hồ sơ của trẻ này ngoài phạm vi của bạn.")
CHOICE_UNKNOWN = _("Giá trị này không có trong danh sách.")
REQUIRED = _("Không được để trống.")
DAY_IN_FUTURE = _("Ngày này chưa đến.")
BEFORE_BIRTH = _("Ngày này trước ngày sinh của trẻ.")
CORRECTION_DETAILS = _("Hãy ghi dữ liệu nào sai và cần sửa thế nào.")
CHILD_TOO_YOUNG = _("Trẻ dưới 7 tuổi không tự yêu cầu được: người đại diện theo pháp luật (cha, "
                    "mẹ, người giám hộ) yêu cầu thay trẻ.")
IDENTITY_NOTE = _("Hãy ghi cán bộ biết người yêu cầu thế nào.")
CHILD_MERGED = _("Hồ sơ này đã được gộp vào hồ sơ khác: hãy ghi yêu cầu trên hồ sơ được giữ.")
ALREADY_ANSWERED = _("Yêu cầu đã được trả lời: không sửa được nữa.")
NOT_A_CORRECTION = _("Chỉ yêu cầu chỉnh sửa mới sửa dữ liệu của trẻ.")
REFUSED_NO_CORRECTION = _("Yêu cầu đã bị từ chối: không sửa dữ liệu theo yêu cầu này.")
SAME_VALUE = _("Giá trị mới giống giá trị đang lưu.")
GROUND_REQUIRED = _("Hãy chọn căn cứ từ chối.")
REASON_REQUIRED = _("Hãy ghi lý do người yêu cầu sẽ được đọc.")
GROUND_ONLY_ON_REFUSAL = _("Căn cứ từ chối chỉ ghi khi từ chối.")
GRANTED_WITHOUT_CORRECTION = _("Chưa sửa dữ liệu nào theo yêu cầu: hãy sửa trước khi đồng ý.")
ANSWER_BEFORE_REQUEST = _("Ngày trả lời trước ngày nhận yêu cầu.")
DECIDE_FIRST = _("Hãy quyết định trước khi ghi việc trả lời.")
EXPORT_FIRST = _("Hãy xuất bản dữ liệu của trẻ để gửi người yêu cầu trước khi ghi việc trả "
                 "lời.")
NOT_AN_ACCESS = _("Chỉ yêu cầu được biết, được xem dữ liệu mới xuất bản dữ liệu của trẻ.")
REFUSED_NO_EXPORT = _("Yêu cầu đã bị từ chối: không xuất dữ liệu.")
ALREADY_REPLIED = _("Đã ghi phản hồi lần đầu cho yêu cầu này.")
ALREADY_EXTENDED = _("Thời hạn chỉ được gia hạn một lần (Nghị định 356/2025/NĐ-CP Điều 5).")
EXTEND_BEFORE_DECISION = _("Chỉ gia hạn khi yêu cầu chưa được quyết định.")
DAY_FORMAT = _("Ngày viết YYYY-MM-DD.")
NOT_THIS_KIND = _("Việc này không áp dụng cho loại yêu cầu này.")
GRANT_FIRST = _("Chỉ thực hiện khi yêu cầu đã được đồng ý (toàn bộ hoặc một phần) và chưa trả "
                "lời.")
NOT_RESTRICTED = _("Yêu cầu này không có hạn chế xử lý nào đang áp dụng.")
ALREADY_CARRIED_OUT = _("Yêu cầu này đã được thực hiện trên sổ theo dõi.")
CARRY_OUT_FIRST = _("Hãy thực hiện yêu cầu đã đồng ý trên sổ theo dõi (hạn chế xử lý, xóa dữ "
                    "liệu, rút lại sự đồng ý) trước khi ghi việc trả lời.")
CONSENTS_REQUIRED = _("Chọn sự đồng ý mà người yêu cầu rút lại.")
CONSENT_UNKNOWN = _("Sự đồng ý này không phải của trẻ hoặc đã được rút lại.")
WITHDRAWN_BY_REQUEST = _("Rút lại theo yêu cầu của chủ thể dữ liệu %(ref)s.")
