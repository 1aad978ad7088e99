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
