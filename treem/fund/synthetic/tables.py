"""What a synthetic fund looks like: the mix of needs and their amounts, of donors and their
gifts, the goods a province's fund receives, the state supports recorded on children, and the
words officers write, as weighted tables.

The shares and amounts are plausible orders of magnitude for a provincial Quỹ Bảo trợ trẻ em
(many small transfers from individuals during the campaigns, fewer and larger ones from
businesses, a few large gifts from international organisations; needs of a few hundred
thousand đồng for a health check or a gift to tens of millions for an operation), not official
figures. Every name and text is invented.
"""

from dataclasses import dataclass

from treem.fund.models import Beneficiary, CampaignKind, DonorKind
from treem.registry.choices import SupportKind
from treem.registry.synthetic.picker import Picker


@dataclass(frozen=True)
class Amount:
    """A lognormal amount in đồng: its median, spread, rounding step and bounds."""

    median: int
    sigma: float
    step: int
    low: int
    high: int


# --- Needs ---------------------------------------------------------------------------------

# The kind of a child's or household's need (codes of migration 0003).
CHILD_KIND = Picker([("school", 22), ("gift", 16), ("scholarship", 14), ("health_check", 12),
                     ("meals", 12), ("other", 8), ("treatment", 6), ("counselling", 6),
                     ("legal_aid", 3)])
# Who a need is for; a commune's or a facility's need is of a kind not for a child.
BENEFICIARY = Picker([(str(Beneficiary.CHILD), 93), (str(Beneficiary.HOUSEHOLD), 5),
                      (str(Beneficiary.COMMUNE), 1), (str(Beneficiary.FACILITY), 1)])
NEED_AMOUNT = {
    "health_check": Amount(400_000, 0.5, 50_000, 150_000, 2_000_000),
    "treatment": Amount(8_000_000, 0.9, 500_000, 1_000_000, 120_000_000),
    "meals": Amount(1_800_000, 0.5, 100_000, 400_000, 8_000_000),
    "school": Amount(600_000, 0.5, 50_000, 200_000, 3_000_000),
    "scholarship": Amount(2_000_000, 0.5, 500_000, 500_000, 10_000_000),
    "legal_aid": Amount(2_000_000, 0.5, 100_000, 500_000, 10_000_000),
    "counselling": Amount(1_500_000, 0.5, 100_000, 300_000, 6_000_000),
    "gift": Amount(400_000, 0.4, 50_000, 100_000, 1_500_000),
    "other": Amount(1_500_000, 0.7, 100_000, 200_000, 15_000_000),
    "playground": Amount(50_000_000, 0.6, 1_000_000, 10_000_000, 400_000_000),
}
DESCRIPTION = {
    "health_check": ["Khám sức khỏe tổng quát, xét nghiệm máu", "Khám mắt, cắt kính cận",
                     "Khám răng, chữa sâu răng", "Khám dinh dưỡng cho trẻ suy dinh dưỡng"],
    "treatment": ["Phẫu thuật tim bẩm sinh: phần bảo hiểm y tế không chi trả",
                  "Điều trị bệnh bạch cầu tại bệnh viện tuyến trung ương",
                  "Phẫu thuật hở hàm ếch", "Điều trị bỏng, phục hồi chức năng",
                  "Chi phí đi lại, ăn ở khi điều trị dài ngày"],
    "meals": ["Tiền ăn bán trú học kỳ I", "Tiền ăn bán trú học kỳ II",
              "Sữa và bữa ăn bổ sung cho trẻ suy dinh dưỡng"],
    "school": ["Đồ dùng học tập cho năm học mới", "Sách giáo khoa và đồng phục",
               "Xe đạp đi học", "Chi phí đi học của học sinh ở xa"],
    "scholarship": ["Học bổng cho học sinh nghèo vượt khó", "Học bổng cho trẻ mồ côi",
                    "Học bổng cho học sinh dân tộc thiểu số học giỏi"],
    "legal_aid": ["Trợ giúp pháp lý làm giấy khai sinh", "Trợ giúp pháp lý xác định cha cho con",
                  "Trợ giúp pháp lý trong vụ án có trẻ em là bị hại"],
    "counselling": ["Tư vấn tâm lý sau biến cố gia đình", "Trị liệu tâm lý cho trẻ bị xâm hại",
                    "Tư vấn cho trẻ có nguy cơ bỏ học"],
    "gift": ["Quà Tết Nguyên đán", "Quà Tết Trung thu", "Quà nhân ngày Quốc tế Thiếu nhi 1/6"],
    "other": ["Sửa nhà ở cho hộ có trẻ em mồ côi", "Chăn ấm, áo ấm mùa đông",
              "Hỗ trợ đột xuất sau thiên tai"],
    "playground": ["Thiết bị cho điểm vui chơi trẻ em của xã", "Sân chơi, đồ chơi ngoài trời",
                   "Tủ sách, đồ chơi cho nhà văn hóa thôn"],
}
FACILITY = ["Trường Tiểu học", "Trường Mầm non", "Trường Phổ thông dân tộc bán trú",
            "Nhà văn hóa thôn", "Điểm trường"]
PROGRAMME = "Học bổng Nâng bước em tới trường"
REJECTED = ["Trẻ đã được hỗ trợ từ chương trình khác trong năm",
            "Hồ sơ chưa đủ xác nhận của Ủy ban nhân dân xã",
            "Kinh phí đề xuất chưa phù hợp, đề nghị xã rà soát lại",
            "Không thuộc đối tượng ưu tiên của Quỹ năm nay"]
CANCELLED = ["Trẻ đã chuyển đi nơi khác cùng gia đình", "Gia đình đã tự lo được chi phí",
             "Nhu cầu đã được một tổ chức khác đáp ứng"]
OVERRIDE = ["Hỗ trợ của nhà nước chưa đủ chi phí, lãnh đạo đồng ý hỗ trợ thêm",
            "Hai khoản hỗ trợ cho hai việc khác nhau trong cùng năm",
            "Trẻ có hoàn cảnh đặc biệt khó khăn, cần hỗ trợ thêm"]
# A need paid from two earmarks: the second allocation meets the first in the check.
SAME_NEED = "Phần còn lại của cùng nhu cầu, chi từ nguồn khác"
RELEASED = ["Gia đình chuyển đi trước khi trao", "Phân bổ nhầm nguồn, phân bổ lại",
            "Nhà tài trợ trao trực tiếp cho gia đình"]
REFUSED = ["Vượt định mức hỗ trợ một lần của Quỹ", "Đề nghị tách thành nhiều đợt"]
# The months needs are proposed in: before the school year, before Tết and Mid-Autumn.
PROPOSAL_MONTH = [3, 3, 4, 4, 5, 4, 3, 8, 6, 4, 5, 3]
# The outcome of a proposed need once the province looked at it.
OUTCOME = Picker([("approved", 64), ("rejected", 12), ("cancelled", 5), ("proposed", 19)])

# --- State supports recorded on children (the register's ChildSupport) ----------------------

PROVIDERS = {
    str(SupportKind.EDUCATION): ["Nhà nước: hỗ trợ chi phí học tập (NĐ 81/2021/NĐ-CP)",
                                 "Miễn, giảm học phí", "Hội Khuyến học xã"],
    str(SupportKind.HEALTH): ["Bảo hiểm y tế cho trẻ em dưới 6 tuổi",
                              "Hỗ trợ chi phí khám chữa bệnh của tỉnh"],
    str(SupportKind.IN_KIND): ["Hỗ trợ gạo của tỉnh", "Quà của Ủy ban Mặt trận Tổ quốc xã"],
    str(SupportKind.SOCIAL_ALLOWANCE): ["Trợ cấp xã hội hằng tháng (NĐ 20/2021/NĐ-CP)"],
    str(SupportKind.COUNSELLING): ["Trung tâm Công tác xã hội tỉnh"],
    str(SupportKind.LEGAL): ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"],
    str(SupportKind.OTHER): ["Hội Liên hiệp Phụ nữ xã"],
}
SUPPORT_KIND = Picker([(str(SupportKind.EDUCATION), 35), (str(SupportKind.HEALTH), 25),
                       (str(SupportKind.IN_KIND), 20), (str(SupportKind.SOCIAL_ALLOWANCE), 12),
                       (str(SupportKind.COUNSELLING), 4), (str(SupportKind.LEGAL), 2),
                       (str(SupportKind.OTHER), 2)])

# --- Donors and what they give --------------------------------------------------------------

# Receipts by the kind of donor who made them (most are small transfers from individuals).
RECEIPT_DONOR = Picker([("anonymous", 45), (str(DonorKind.INDIVIDUAL), 52),
                        (str(DonorKind.BUSINESS), 1.6), (str(DonorKind.ORGANISATION), 1.3),
                        (str(DonorKind.INTERNATIONAL), 0.1)])
DONOR_KIND = Picker([(str(DonorKind.INDIVIDUAL), 55), (str(DonorKind.BUSINESS), 30),
                     (str(DonorKind.ORGANISATION), 10), (str(DonorKind.INTERNATIONAL), 5)])
GIFT = {
    "anonymous": Amount(50_000, 0.8, 10_000, 10_000, 5_000_000),
    str(DonorKind.INDIVIDUAL): Amount(100_000, 1.0, 10_000, 20_000, 50_000_000),
    str(DonorKind.BUSINESS): Amount(3_000_000, 1.0, 100_000, 500_000, 2_000_000_000),
    str(DonorKind.ORGANISATION): Amount(2_000_000, 0.9, 100_000, 300_000, 500_000_000),
    str(DonorKind.INTERNATIONAL): Amount(50_000_000, 0.9, 1_000_000, 10_000_000,
                                         5_000_000_000),
}
BANK_SHARE = {"anonymous": 1.0, str(DonorKind.INDIVIDUAL): 0.85, str(DonorKind.BUSINESS): 0.95,
              str(DonorKind.ORGANISATION): 0.7, str(DonorKind.INTERNATIONAL): 1.0}
NAMED_SHARE = {str(DonorKind.INDIVIDUAL): 0.2, str(DonorKind.BUSINESS): 0.7,
               str(DonorKind.ORGANISATION): 0.8, str(DonorKind.INTERNATIONAL): 0.9}
ANONYMOUS = "Nhà hảo tâm không để lại tên (chuyển khoản)"
COMPANY_FORM = Picker([("Công ty TNHH", 50), ("Công ty Cổ phần", 35), ("Công ty TNHH MTV", 10),
                       ("Doanh nghiệp tư nhân", 5)])
COMPANY_TRADE = ["Thương mại", "Xây dựng", "Vận tải", "Dược phẩm", "Xi măng", "Khoáng sản",
                 "Du lịch", "Nông sản", "Điện lực", "Viễn thông", "Thực phẩm", "Vật liệu",
                 "Đầu tư", "Dịch vụ", "Cơ khí", "Lâm sản", "Thủy điện", "In", "Bảo hiểm"]
COMPANY_NAME = ["Non Nước", "Bản Giốc", "Pác Bó", "Phia Oắc", "Hưng Thịnh", "Phú An",
                "Thành Đạt", "Việt Bắc", "Minh Khai", "Tân Phát", "Đông Khê", "Hồng Hà",
                "An Bình", "Kim Đồng", "Thăng Long", "Trường Sơn", "Hoàng Gia", "Sông Hiến",
                "Bằng Giang", "Quang Trung", "Nam Phong", "Hợp Nhất", "Thái Bình", "Hòa Phát"]
ORGANISATION = ["Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Hội Chữ thập đỏ", "Hội Cựu chiến binh",
                "Liên đoàn Lao động", "Hội Khuyến học", "Hội Nông dân", "Ngân hàng chính sách xã hội",
                "Trường Trung học phổ thông", "Ban Chỉ huy Quân sự"]
INTERNATIONAL = (["Highland", "Mekong", "Bright Future", "Hope", "Sunrise", "Mountain",
                  "Little Steps", "Blue Sky", "Open Hands", "Harmony"],
                 ["Children", "Kids", "Families", "Youth", "Education"],
                 ["Trust", "Foundation", "Alliance", "Fund", "Network", "Initiative"])
# Campaigns of a year: (kind, name, first day (month, day), last day (month, day), goal).
CAMPAIGNS = [
    (str(CampaignKind.TET), "Tết Nguyên đán", (1, 2), (2, 10), 1_500_000_000),
    (str(CampaignKind.MONTH_OF_ACTION), "Tháng hành động vì trẻ em", (6, 1), (6, 30),
     3_000_000_000),
    (str(CampaignKind.MID_AUTUMN), "Tết Trung thu", (8, 15), (9, 30), 1_000_000_000),
]
# How much more often a gift comes on a day of a campaign than on any other day.
CAMPAIGN_BOOST = 6.0
IN_CAMPAIGN = 0.85  # share of the gifts of those days that name the campaign

# --- Goods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goods:
    description: str
    measure: str
    unit_value: tuple[int, int]  # đồng a unit, low and high
    quantity: tuple[int, int]
    kind: str  # the kind of need it answers
    per_need: tuple[int, int]  # units given to one need


GOODS = Picker([
    (Goods("Bộ đồ dùng học tập (cặp sách, vở, bút)", "bộ", (250_000, 400_000), (20, 200),
           "school", (1, 1)), 25),
    (Goods("Sách giáo khoa", "bộ", (150_000, 300_000), (20, 150), "school", (1, 1)), 10),
    (Goods("Xe đạp", "chiếc", (1_500_000, 2_500_000), (3, 20), "school", (1, 1)), 5),
    (Goods("Gạo tẻ", "kg", (15_000, 20_000), (100, 2_000), "meals", (10, 30)), 15),
    (Goods("Sữa hộp 180 ml", "thùng", (350_000, 450_000), (10, 100), "meals", (1, 3)), 10),
    (Goods("Quà Trung thu (bánh, đèn ông sao)", "suất", (100_000, 200_000), (50, 500),
           "gift", (1, 1)), 15),
    (Goods("Quà Tết (bánh chưng, áo ấm)", "suất", (200_000, 500_000), (50, 300), "gift",
           (1, 1)), 12),
    (Goods("Chăn bông, áo ấm", "bộ", (250_000, 450_000), (20, 150), "other", (1, 2)), 8),
])
VALUATION = ["Theo hóa đơn mua hàng nhà tài trợ gửi kèm",
             "Theo giá thị trường tại thời điểm nhận",
             "Theo biên bản định giá của hội đồng tiếp nhận"]
RETURNED = ["Nhà tài trợ đề nghị hoàn trả: trẻ được chỉ định đã chuyển đi nơi khác",
            "Không sử dụng được đúng mục đích chỉ định, nhà tài trợ đề nghị nhận lại"]
REVERSED = ["Ghi nhầm số tiền, ghi lại", "Ngân hàng hoàn lệnh chuyển tiền",
            "Trùng giao dịch với sao kê đã ghi"]
