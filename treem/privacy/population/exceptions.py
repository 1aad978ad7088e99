"""The population-database exchange's refusals, in Vietnamese (formatted where they name a
value of the file)."""

from django.utils.translation import gettext_lazy as _

NOT_A_COMMUNE = _("Chỉ xuất được danh sách của một xã, phường.")
COMMUNE_DISSOLVED = _("%(commune)s đã thôi hoạt động từ %(day)s (sắp xếp đơn vị hành chính): "
                      "hãy xuất danh sách của xã, phường hiện nay mà trẻ em đang cư trú.")
BATCH_OF_DISSOLVED = _("Đợt kiểm tra này là của %(commune)s, đơn vị đã thôi hoạt động từ "
                       "%(day)s: không nhập kết quả vào đợt này được. Hãy xuất danh sách mới "
                       "của xã, phường hiện nay rồi gửi Công an đối chiếu lại.")
NOTHING_TO_CHECK = _("Không có trẻ em nào cần đối chiếu: mọi trẻ trong sổ của xã đều đã có số "
                     "định danh khớp với giới tính và năm sinh.")
MODE_UNKNOWN = _("Hãy chọn cách nhập: tất cả (chỉ khi không có lỗi) hay chỉ các dòng hợp lệ.")
FILE_REQUIRED = _("Hãy chọn tệp kết quả (.xlsx) Công an xã gửi lại để tải lên.")
NO_HEADER = _("Không thấy dòng tiêu đề của danh sách (cột “%(column)s”). Hãy dùng đúng tệp đã "
              "xuất từ hệ thống, giữ nguyên các cột, rồi tải lên.")
NO_ROWS = _("Tệp không có dòng nào có mã tham chiếu.")
TOO_MANY_ROWS = _("Tệp có hơn %(n)s dòng: một đợt kiểm tra không lớn như vậy. Hãy dùng đúng "
                  "tệp đã xuất từ hệ thống.")

# Per row.
UNKNOWN_REFERENCE = _("Mã tham chiếu “%(value)s” không thuộc đợt kiểm tra này: hãy giữ nguyên "
                      "cột mã tham chiếu như trong tệp đã xuất.")
REFERENCE_TWICE = _("Mã tham chiếu này đã có ở dòng %(row)s của tệp.")
CHILD_MOVED = _("Trẻ này không còn cư trú ở %(commune)s (đã chuyển đi hoặc được gộp vào hồ sơ "
                "khác): kết quả không được áp dụng.")
RESULT_MISSING = _("Chưa ghi kết quả đối chiếu (Đúng, Đã điều chỉnh hoặc Không tìm thấy).")
RESULT_UNKNOWN = _("Kết quả “%(value)s” không hiểu được: hãy ghi Đúng, Đã điều chỉnh hoặc "
                   "Không tìm thấy.")
CORRECTED_EMPTY = _("Kết quả là “Đã điều chỉnh” nhưng không có giá trị nào ở các cột điều "
                    "chỉnh.")
BAD_DATE = _("Ngày sinh “%(value)s” không đúng dạng ngày/tháng/năm (ví dụ 05/09/2016).")
BAD_SEX = _("Giới tính “%(value)s” không hiểu được: hãy ghi Nam hoặc Nữ.")
BAD_PERSONAL_ID = _("Số định danh “%(value)s” không đúng: số định danh cá nhân gồm đúng 12 chữ "
                    "số.")
PERSONAL_ID_MISMATCH = _("Số định danh %(value)s không khớp giới tính và năm sinh của trẻ "
                         "(chữ số thứ 4 cho biết thế kỷ và giới tính, chữ số 5–6 là năm sinh): "
                         "hãy kiểm tra lại số, giới tính hoặc ngày sinh.")
PERSONAL_ID_TAKEN = _("Số định danh %(value)s đã được ghi cho một trẻ khác trong sổ theo dõi: "
                      "hãy kiểm tra xem có phải hai hồ sơ của cùng một trẻ không.")
PERSONAL_ID_TWICE = _("Số định danh %(value)s đã có ở dòng %(row)s của tệp.")
NAME_TOO_LONG = _("Họ và tên quá dài.")
NO_ID_TO_VERIFY = _("Kết quả là “Đúng” nhưng trẻ chưa có số định danh: hãy ghi số định danh cá "
                    "nhân ở cột số định danh đúng.")
VERIFIED_BUT_MISMATCH = _("Kết quả là “Đúng” nhưng số định danh đang ghi không khớp giới tính "
                          "hoặc năm sinh của trẻ: hãy ghi giá trị đúng ở các cột điều chỉnh.")

# The online lookup.
PURPOSE_REQUIRED = _("Hãy ghi rõ mục đích tra cứu (ít nhất 10 ký tự).")
NO_PERSONAL_ID = _("Trẻ chưa có số định danh cá nhân (hoặc số không đúng 12 chữ số): không tra "
                   "cứu được. Hãy gửi trẻ vào danh sách đối chiếu với Công an xã.")
RATE_LIMITED = _("Bạn đã tra cứu %(n)s lần trong một giờ qua, mức tối đa cho phép. Hãy thử lại "
                 "sau.")
UNAVAILABLE = _("Không kết nối được dịch vụ tra cứu Cơ sở dữ liệu quốc gia về dân cư (đã thử "
                "%(n)s lần). Hãy thử lại sau hoặc đối chiếu bằng danh sách gửi Công an xã.")
