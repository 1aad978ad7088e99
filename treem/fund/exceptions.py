"""The fund's messages to users, in Vietnamese (translated through Django)."""

from django.utils.translation import gettext_lazy as _

OUT_OF_SCOPE = _("Quỹ này ngoài phạm vi của bạn.")
AMOUNT_INVALID = _("Số tiền phải là số nguyên đồng, lớn hơn 0 và không quá 1.000 tỷ.")
RECEIPT_NUMBER_REQUIRED = _("Tiền mặt phải có số biên lai.")
BANK_REFERENCE_REQUIRED = _("Chuyển khoản phải có mã giao dịch ngân hàng.")
BANK_REFERENCE_TAKEN = _("Giao dịch ngân hàng %(reference)s đã được ghi nhận: không ghi lần "
                         "thứ hai.")
DONOR_OF_ANOTHER_FUND = _("Nhà tài trợ này không thuộc quỹ.")
RESTRICTION_OF_ANOTHER_FUND = _("Nội dung chỉ định này không thuộc quỹ.")
OVER_BALANCE = _("Số dư của “%(restriction)s” còn %(balance)s đồng: không chi được %(amount)s "
                 "đồng.")
REASON_REQUIRED = _("Hãy ghi lý do.")
ALREADY_REVERSED = _("Bút toán này đã được đảo.")
REVERSAL_NOT_REVERSIBLE = _("Không đảo một bút toán đảo: hãy ghi lại nghiệp vụ đúng.")
REVERSAL_OVER_BALANCE = _("Không đảo được: số tiền này đã được sử dụng, số dư của "
                          "“%(restriction)s” sẽ âm.")
DAY_IN_FUTURE = _("Ngày này chưa đến.")
CHOICE_UNKNOWN = _("Giá trị này không có trong danh sách.")
DONOR_NAME_REQUIRED = _("Hãy ghi tên nhà tài trợ (tối đa 200 ký tự).")
TAX_CODE_INVALID = _("Mã số thuế gồm 10 chữ số (chi nhánh: thêm “-” và 3 chữ số).")
PHONE_INVALID = _("Số điện thoại không hợp lệ.")
TAX_CODE_TAKEN = _("Mã số thuế này đã có trong danh sách nhà tài trợ: %(name)s.")
DONOR_SIMILAR = _("Có thể trùng với nhà tài trợ đã có (cùng số điện thoại, tên gần giống): "
                  "%(names)s. Nếu đúng là người khác, hãy xác nhận rồi lưu lại.")
UNIT_DISSOLVED = _("Đơn vị đã giải thể: quỹ thuộc đơn vị hiện hành kế thừa.")
REVERSAL_KIND = _("Chỉ đảo được bút toán tiếp nhận hoặc hoàn trả: một phân bổ thì hủy, một "
                  "lần trao đã diễn ra thì không đảo.")
CAMPAIGN_OF_ANOTHER_FUND = _("Đợt vận động này không thuộc quỹ.")
PLEDGE_OF_ANOTHER_DONOR = _("Cam kết này không phải của nhà tài trợ này.")
PLEDGE_CLOSED = _("Cam kết này đã nhận đủ hoặc đã hủy.")
NAME_REQUIRED = _("Hãy ghi tên (tối đa 200 ký tự).")
CAMPAIGN_DATES = _("Ngày kết thúc phải sau ngày bắt đầu.")
AREA_EMPTY = _("Hãy chọn ít nhất một xã, phường.")
AREA_UNIT_INVALID = _("Chỉ chọn được xã, phường hiện hành của tỉnh có quỹ.")
AREA_NAME_TAKEN = _("Đã có địa bàn cùng tên.")
PROGRAMME_REQUIRED = _("Hãy ghi tên chương trình.")
CHILD_NOT_IN_FUND = _("Trẻ em này không có trong sổ theo dõi của tỉnh có quỹ.")
RESTRICTION_TARGET_REQUIRED = _("Hãy chọn nội dung chỉ định: chương trình, địa bàn, loại nhu "
                                "cầu hoặc trẻ em.")
PLEDGE_EMPTY = _("Cam kết phải có số tiền hoặc hiện vật.")
TEXT_TOO_LONG = _("Tối đa %(n)s ký tự.")
DUE_BEFORE_PLEDGE = _("Hạn trao không thể trước ngày cam kết.")
GOODS_DESCRIPTION_REQUIRED = _("Hãy mô tả hiện vật (tối đa 300 ký tự).")
QUANTITY_INVALID = _("Số lượng phải là số nguyên lớn hơn 0.")
MEASURE_REQUIRED = _("Hãy ghi đơn vị tính (hộp, bộ, chiếc…).")
VALUATION_REQUIRED = _("Hãy ghi cách định giá (theo hóa đơn, giá thị trường, hội đồng định "
                       "giá…).")
POINTS_INVALID = _("Điểm ưu tiên là số nguyên từ 0 đến 1.000.")
GROUP_ONLY_FOR_CIRCUMSTANCE = _("Chỉ tiêu chí hoàn cảnh đặc biệt mới chọn nhóm hoàn cảnh.")
TOO_MANY_RULES = _("Mỗi quỹ có tối đa %(n)s tiêu chí ưu tiên.")
CHILD_NOT_FOUND = _("Không tìm thấy trẻ em này trong sổ theo dõi bạn được xem.")
NOT_A_CHILD = _("Người này không còn là trẻ em (đã đủ 16 tuổi hoặc đã mất).")
HOUSEHOLD_NOT_FOUND = _("Không tìm thấy hộ gia đình này trong địa bàn bạn được xem.")
COMMUNE_NOT_FOUND = _("Không tìm thấy xã, phường hiện hành này.")
FACILITY_REQUIRED = _("Hãy ghi tên cơ sở (tối đa 200 ký tự).")
NEED_OUT_OF_SCOPE = _("Nhu cầu này ngoài phạm vi của bạn.")
COMMUNE_DISSOLVED = _("Xã, phường này đã giải thể từ 2025: hãy đề xuất theo xã, phường hiện "
                      "hành.")
NO_FUND = _("Tỉnh của xã, phường này chưa có Quỹ bảo trợ trẻ em trên hệ thống.")
DESCRIPTION_REQUIRED = _("Hãy mô tả nhu cầu (tối đa 500 ký tự).")
YEAR_INVALID = _("Năm của nhu cầu là %(this)s hoặc %(next)s.")
KIND_NOT_FOR_BENEFICIARY = _("Loại nhu cầu này không dành cho đối tượng đã chọn.")
NEED_ALREADY_LISTED = _("Nhu cầu này đã có trong danh sách (%(ref)s): không đề xuất lần hai.")
NEED_ALREADY_DECIDED = _("Nhu cầu này đã được xử lý.")
NEED_HAS_ALLOCATIONS = _("Nhu cầu đã được phân bổ hỗ trợ: hãy hủy phân bổ trước.")
REASON_TOO_SHORT = _("Hãy ghi lý do (ít nhất %(n)s ký tự).")
NEED_NOT_APPROVED = _("Nhu cầu này chưa được tỉnh duyệt (hoặc đã hủy): chưa phân bổ được.")
RESTRICTION_DOES_NOT_FIT = _("Tiền, hàng chỉ định “%(restriction)s” không dùng được cho nhu cầu "
                             "này: nhà tài trợ đã chỉ định mục đích khác.")
OVER_QUANTITY = _("Lô hiện vật này còn %(left)s %(measure)s.")
OVER_NEED = _("Vượt kinh phí dự kiến của nhu cầu (%(need)s đồng; đã phân bổ %(given)s đồng).")
DOUBLE_BENEFICIARY = _("Đối tượng này đã nhận hỗ trợ cùng loại trong cùng kỳ: %(found)s. Nếu "
                       "vẫn hỗ trợ, hãy ghi lý do (ít nhất 10 ký tự).")
OWN_ALLOCATION = _("Không tự phê duyệt phân bổ do chính mình lập.")
ALLOCATION_NOT_AWAITING = _("Phân bổ này không chờ phê duyệt.")
ALLOCATION_NOT_CANCELLABLE = _("Chỉ hủy được phân bổ chưa trao.")
DELIVERY_CANCELLED = _("Phân bổ này đã bị hủy: không ghi nhận trao hỗ trợ.")
DELIVERY_NOT_APPROVED = _("Phân bổ này đang chờ lãnh đạo phê duyệt: chưa trao được.")
ALREADY_DELIVERED = _("Hỗ trợ này đã được ghi nhận trao.")
DELIVERY_BEFORE_ALLOCATION = _("Ngày trao không thể trước ngày phân bổ.")
PROOF_REQUIRED = _("Hãy kèm biên nhận có chữ ký hoặc ảnh trao hỗ trợ.")
TOO_MANY_PROOFS = _("Tối đa %(n)s tệp minh chứng.")
NEED_NOT_FOR_A_CHILD = _("Chỉ nhu cầu của một trẻ em mới nhận được tài trợ chỉ định cho trẻ.")

# --- area edit and money return
AREA_EARMARKED = _("Địa bàn này là nội dung chỉ định của tiền, hàng tài trợ (%(earmarks)s): đổi "
                   "xã, phường là đổi những nơi số tiền, hàng đó được chi. Hãy xác nhận rồi lưu "
                   "lại.")
