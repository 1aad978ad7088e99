"""The activities' messages to users, in Vietnamese (translated through Django)."""

from django.utils.translation import gettext_lazy as _

TYPE_REQUIRED = _("Hãy chọn loại hoạt động.")
TYPE_RETIRED = _("Loại hoạt động này không còn dùng.")
TITLE_REQUIRED = _("Hãy ghi tên hoạt động.")
DATES_ORDER = _("Ngày kết thúc không được trước ngày bắt đầu.")
DATES_TOO_LONG = _("Một hoạt động kéo dài không quá 366 ngày.")
HELD_IN_FUTURE = _("Hoạt động chưa diễn ra thì chưa thể ghi là đã tổ chức.")
DATE_OUTSIDE_PLAN = _("Ngày %(day)s nằm ngoài thời gian của kế hoạch (%(start)s–%(end)s).")
UNIT_OUT_OF_SCOPE = _("Địa bàn này ngoài phạm vi của bạn.")
UNIT_NOT_CURRENT = _("Đơn vị đã giải thể: hãy chọn đơn vị hiện hành.")
UNIT_OUTSIDE_PLAN = _("Địa bàn này không thuộc phạm vi của kế hoạch có nhiệm vụ đã chọn.")
ORGANISER_NOT_HERE = _("Cơ quan tổ chức phải là cơ quan của địa bàn hoặc cấp trên.")
COUNT_INVALID = _("Số người phải là số nguyên từ 0 đến 1.000.000.")
GIRLS_OVER_CHILDREN = _("Số trẻ em gái (%(girls)s) không được lớn hơn số trẻ em tham gia "
                        "(%(children)s).")
WOMEN_OVER_ADULTS = _("Số người lớn là nữ (%(women)s) không được lớn hơn số người lớn tham gia "
                      "(%(adults)s).")
PART_OVER_CHILDREN = _("Số này (%(n)s) không được lớn hơn số trẻ em tham gia (%(children)s).")
AGES_NOT_SUM = _("Tổng số trẻ em theo nhóm tuổi (%(ages)s) phải bằng số trẻ em tham gia "
                 "(%(children)s), hoặc để trống cả ba nhóm tuổi.")
CONSULTATION_UNDER_7 = _("Chỉ lấy ý kiến trẻ em từ đủ 7 tuổi (Thông tư 36/2018/TT-BLĐTBXH): "
                         "số trẻ em dưới 7 tuổi phải là 0.")
CONSULTATION_AGES = _("Hãy ghi số trẻ em được lấy ý kiến theo nhóm tuổi 7–10 và 11–15 "
                      "(tổng bằng số trẻ em tham gia).")
CONSULTATION_SUBJECT = _("Hãy ghi văn bản, chính sách được lấy ý kiến.")
STEP_ORDER = _("Các bước phải theo thứ tự: chuẩn bị → lấy ý kiến → tổng hợp, giải trình → "
               "phản hồi cho trẻ em.")
STEP_IN_FUTURE = _("Ngày này chưa đến.")
FORUM_LEVEL_REQUIRED = _("Hãy chọn cấp của diễn đàn.")
FORUM_REPORTED_EARLY = _("Ngày gửi báo cáo không được trước ngày diễn đàn kết thúc.")
NOT_A_FORUM = _("Chỉ diễn đàn trẻ em có báo cáo kết quả gửi cấp tỉnh.")
MONEY_INVALID = _("Số tiền phải là số nguyên đồng, từ 0 đến 10.000 tỷ.")
CHOICE_UNKNOWN = _("Giá trị này không có trong danh sách.")
TOO_LONG = _("Dài quá %(n)s ký tự.")
NOT_A_TRAINING = _("Chỉ hoạt động tập huấn có danh sách học viên.")
ATTENDEE_REQUIRED = _("Hãy chọn một người dùng hoặc ghi họ tên người tham gia.")
ATTENDEE_ALREADY = _("Người này đã có trong danh sách học viên.")
ATTENDEE_NOT_IN_AREA = _("Người dùng này không giữ vai trò nào trong địa bàn của hoạt động "
                         "hoặc ngoài phạm vi của bạn.")
ATTENDEES_TOO_MANY = _("Một lớp tập huấn có tối đa %(n)s học viên.")
NO_RECOMMENDATIONS = _("Chỉ diễn đàn trẻ em và hoạt động lấy ý kiến trẻ em có kiến nghị, ý kiến.")
RECOMMENDATION_TEXT_REQUIRED = _("Hãy ghi nội dung kiến nghị.")
RECOMMENDATION_AGENCY_REQUIRED = _("Kiến nghị của diễn đàn phải giao cho một cơ quan trả lời.")
AGENCY_NOT_HERE = _("Cơ quan trả lời phải là cơ quan của địa bàn hoặc cấp trên.")
ANSWER_REQUIRED = _("Hãy ghi nội dung trả lời.")
NOT_THE_AGENCY = _("Bạn không phải đầu mối của cơ quan được giao trả lời kiến nghị này.")
ADOPTION_ONLY_CONSULTATION = _("Chỉ ý kiến trong hoạt động lấy ý kiến trẻ em mới ghi việc "
                               "tiếp thu.")
RECOMMENDATIONS_TOO_MANY = _("Một hoạt động có tối đa %(n)s kiến nghị, ý kiến.")
NAMED_REASON_REQUIRED = _("Hãy ghi lý do cần nêu tên trẻ em này (ít nhất %(n)s ký tự): hoạt "
                          "động chỉ đếm số trẻ em, trừ khi có lý do.")
NAMED_CHILD_NOT_YOURS = _("Không nêu tên được trẻ em này: chỉ nêu tên trẻ em đang sống trong "
                          "địa bàn của hoạt động, trong sổ theo dõi bạn được xem.")
NAMED_ALREADY = _("Trẻ em này đã được nêu tên trong hoạt động.")
NAMED_TOO_MANY = _("Một hoạt động nêu tên tối đa %(n)s trẻ em.")
NAMED_OVER_CHILDREN = _("Hoạt động đã tổ chức có %(children)s trẻ em tham gia: không nêu tên "
                        "được %(named)s em. Hãy sửa số trẻ em tham gia trước.")
CHILDREN_BELOW_NAMED = _("Hoạt động đã nêu tên %(named)s trẻ em: số trẻ em tham gia "
                         "(%(children)s) không được ít hơn.")
NAMED_NOT_A_CHILD = _("Em này chưa sinh hoặc đã đủ 16 tuổi vào ngày bắt đầu hoạt động.")
NAMED_UNDER_7 = _("Chỉ lấy ý kiến trẻ em từ đủ 7 tuổi (Thông tư 36/2018/TT-BLĐTBXH): em này "
                  "chưa đủ 7 tuổi vào ngày bắt đầu hoạt động.")
