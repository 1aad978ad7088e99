"""The impact-assessment dossier (hồ sơ đánh giá tác động xử lý dữ liệu cá nhân) of a
province, generated from the register: what is processed, why, on which basis, who sees it,
how long it is kept, where it goes, how it is protected and what could go wrong. Its parts
follow the contents the law asks of such a dossier (docs/privacy-law.md, where the article
and the decree's form are recorded)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Unit
from treem.privacy.processing import selectors

# What the software itself does to protect the data (the dossier's "biện pháp bảo vệ"). Each
# line is true of the code and tested; a province adds its own organisational measures.
MEASURES: list[Promise] = [
    _("Mỗi truy vấn được giới hạn theo địa bàn của người dùng ở một chỗ (lớp chọn dữ liệu); "
      "người ngoài địa bàn nhận “không tìm thấy”, không biết hồ sơ có tồn tại."),
    _("Hồ sơ vụ việc chỉ người cần biết được xem; các nhóm hoàn cảnh cho biết trẻ bị xâm hại chỉ "
      "hiện với người được xem vụ việc của trẻ."),
    _("Mỗi lần xem, in, xuất hồ sơ nhạy cảm được ghi vào nhật ký không sửa, không xóa được "
      "(chặn cả ở cơ sở dữ liệu); nhật ký chỉ ghi tên trường, không ghi giá trị."),
    _("Mật khẩu băm bằng Argon2; khóa đăng nhập sau nhiều lần sai; xác thực hai lớp cho cán "
      "bộ; chống giả mạo yêu cầu (CSRF); phiên làm việc hết hạn."),
    _("Không có dữ liệu cá nhân trong địa chỉ trang (chỉ mã ngẫu nhiên) và trong nhật ký "
      "vận hành; tệp tải về không được trình duyệt lưu lại."),
    _("Trang công khai, báo cáo gửi cấp trên, dữ liệu gửi DHIS2 chỉ có số liệu tổng hợp; ô dưới "
      "5 trẻ ghi “< 5”."),
    _("Trích xuất cho nghiên cứu được bí danh hóa (không tên, không số định danh, ngày sinh chỉ "
      "còn tháng), có người yêu cầu, mục đích và người duyệt."),
    _("Thời hạn lưu trữ theo từng loại hồ sơ; hết hạn thì cán bộ xem xét rồi ẩn danh hoặc xóa "
      "trường cá nhân, số liệu thống kê đã chốt không đổi; lệnh giữ hồ sơ dừng việc đó."),
    _("Truy cập bất thường (xem quá nhiều hồ sơ, xem ngoài địa bàn, xuất dữ liệu ban đêm, đăng "
      "nhập sai nhiều lần) được báo cho thanh tra; sự cố được ghi và theo dõi thời hạn thông "
      "báo."),
    _("Yêu cầu của chủ thể dữ liệu được ghi nhận với thời hạn luật định; danh sách quá hạn "
      "hiện cho người phụ trách."),
]

RISKS: list[tuple[Promise, Promise]] = [
    (_("Lộ danh tính trẻ bị xâm hại, làm trẻ bị kỳ thị hoặc bị người gây hại tìm đến."),
     _("Cần biết mới được xem; nhật ký xem; cảnh báo truy cập bất thường; trang công khai "
       "không có danh tính.")),
    (_("Người báo tin bị lộ danh tính."),
     _("Danh tính người báo tin không bao giờ có trong bản trích xuất cho chủ thể dữ liệu, "
       "báo cáo hay trang công khai.")),
    (_("Tài khoản cán bộ bị chiếm đoạt."),
     _("Xác thực hai lớp, khóa đăng nhập, đăng xuất mọi thiết bị, cảnh báo đăng nhập sai.")),
    (_("Dữ liệu sai (tên, ngày sinh, số định danh) dẫn đến hỗ trợ sai người."),
     _("Đối chiếu với Cơ sở dữ liệu quốc gia về dân cư qua Công an xã; sửa qua lịch sử, không "
       "ghi đè.")),
    (_("Giữ dữ liệu lâu hơn cần thiết."),
     _("Quy tắc lưu trữ theo loại hồ sơ, việc rà soát hằng ngày, ẩn danh khi hết hạn.")),
]


@dataclass(frozen=True)
class Dossier:
    province: Unit
    controller: str
    address: str
    officer: str
    officer_contact: str
    activities: list[selectors.Activity]
    subjects: int
    made_on: datetime.date
    measures: list[Promise]
    risks: list[tuple[Promise, Promise]]

    @property
    def sensitive(self) -> list[selectors.Activity]:
        return [a for a in self.activities if a.record.sensitive_data]


def assemble(*, province: Unit, controller: str, address: str, officer: str,
             officer_contact: str) -> Dossier:
    return Dossier(province=province, controller=controller, address=address, officer=officer,
                   officer_contact=officer_contact,
                   activities=selectors.activities(province=province),
                   subjects=selectors.subjects_in(province), made_on=timezone.localdate(),
                   measures=MEASURES, risks=RISKS)
