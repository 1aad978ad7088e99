"""What treem processes, as the installation ships it: the defaults of the register of
processing activities (`privacy_defaults` loads them; administrators then edit them).

The articles are those of docs/privacy-law.md; the capabilities are the names of
treem.accounts.capabilities, so the roles the register shows are the roles the code lets in."""

STATE = ("Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 Điều 19 khoản 1 điểm c (phục vụ hoạt động "
         "của cơ quan nhà nước, quản lý nhà nước theo quy định của pháp luật)")
CHILDREN_LAW = "Luật Trẻ em 102/2016/QH13; Nghị định 56/2017/NĐ-CP"
REGISTER = ["view_children", "manage_children", "export_children", "merge_children"]
CASES = ["receive_notifications", "view_cases", "manage_cases", "approve_case_plans",
         "handle_referrals", "see_shared_cases"]

ACTIVITIES: list[dict[str, object]] = [
    {
        "record_kind": "child",
        "purposes": "Theo dõi, quản lý trẻ em trên địa bàn, trẻ em có hoàn cảnh đặc biệt, trẻ em "
                    "có nguy cơ; lập danh sách hỗ trợ; tính các chỉ tiêu của kế hoạch và báo cáo "
                    "định kỳ.",
        "basis": "state_duty",
        "basis_articles": f"{STATE}; {CHILDREN_LAW} (trách nhiệm của Ủy ban nhân dân cấp xã "
                          "trong quản lý, theo dõi trẻ em có hoàn cảnh đặc biệt).",
        "basic_data": "Họ tên, ngày sinh, giới tính, quốc tịch, số định danh cá nhân, nơi cư trú "
                      "(xã, thôn), hộ gia đình, tình trạng đăng ký khai sinh, đi học, bảo hiểm y "
                      "tế, tiêm chủng.",
        "sensitive_data": "Dân tộc; tình trạng sức khỏe, khuyết tật, dinh dưỡng; nhóm hoàn cảnh "
                          "đặc biệt (có nhóm cho biết trẻ bị xâm hại, bạo lực, bóc lột, mua bán); "
                          "nguy cơ.",
        "capabilities": REGISTER,
        "retention": "Trong thời gian là trẻ em (dưới 16 tuổi) và theo quy tắc lưu trữ của "
                     "loại hồ sơ “trẻ em”; hết hạn thì ẩn danh, giữ số liệu thống kê.",
        "transfers": "Chỉ tiêu tổng hợp gửi DHIS2 của tỉnh (không có danh tính); báo cáo định kỳ "
                     "lên cấp trên (số liệu); danh sách kiểm tra số định danh gửi Công an xã "
                     "(Đề án 06).",
    },
    {
        "record_kind": "household",
        "purposes": "Biết trẻ em sống trong hộ nào, hộ nghèo, cận nghèo, để hỗ trợ và báo cáo.",
        "basis": "state_duty",
        "basis_articles": f"{STATE}; {CHILDREN_LAW}.",
        "basic_data": "Họ tên chủ hộ, địa chỉ, số điện thoại, tình trạng nghèo, cận nghèo.",
        "sensitive_data": "",
        "capabilities": REGISTER,
        "retention": "Như hồ sơ trẻ em của hộ.",
        "transfers": "Không.",
    },
    {
        "record_kind": "caregiver",
        "purposes": "Liên hệ người chăm sóc trẻ, đánh giá môi trường sống.",
        "basis": "state_duty",
        "basis_articles": f"{STATE}; {CHILDREN_LAW}.",
        "basic_data": "Họ tên, quan hệ với trẻ, năm sinh, số điện thoại.",
        "sensitive_data": "",
        "capabilities": REGISTER,
        "retention": "Như hồ sơ trẻ em.",
        "transfers": "Không.",
    },
    {
        "record_kind": "notification",
        "purposes": "Tiếp nhận thông báo, tố giác hành vi xâm hại trẻ em (kể cả Tổng đài 111), "
                    "chuyển xã xử lý trong thời hạn luật định.",
        "basis": "vital",
        "basis_articles": "Luật 91/2025/QH15 Điều 19 khoản 1 điểm a (bảo vệ tính mạng, sức khỏe "
                          f"trong tình huống khẩn cấp) và điểm c; {CHILDREN_LAW} (Điều 25–27 của "
                          "Nghị định 56/2017).",
        "basic_data": "Họ tên, nơi ở của trẻ; thông tin liên lạc của người báo tin (được giữ bí "
                      "mật).",
        "sensitive_data": "Hành vi xâm hại, tình trạng sức khỏe, người bị nghi gây hại.",
        "capabilities": ["receive_notifications", "view_cases", "manage_cases"],
        "retention": "Theo quy tắc lưu trữ của loại hồ sơ “thông báo”.",
        "transfers": "Chuyển Ủy ban nhân dân cấp xã nơi trẻ cư trú; cơ quan công an khi có dấu "
                     "hiệu tội phạm.",
    },
    {
        "record_kind": "case",
        "purposes": "Quản lý trường hợp trẻ em cần bảo vệ: đánh giá, lập và thực hiện kế hoạch "
                    "hỗ trợ, can thiệp, chuyển gửi, theo dõi và đóng hồ sơ.",
        "basis": "state_duty",
        "basis_articles": f"{STATE}; điểm a khi khẩn cấp; {CHILDREN_LAW} (Điều 25–32 của Nghị "
                          "định 56/2017).",
        "basic_data": "Họ tên, ngày sinh, nơi ở của trẻ và người chăm sóc; người làm việc với hồ "
                      "sơ.",
        "sensitive_data": "Hành vi xâm hại và hậu quả, sức khỏe, tâm lý, người bị nghi gây hại, "
                          "dịch vụ hỗ trợ; ảnh, tài liệu làm chứng cứ.",
        "capabilities": CASES,
        "retention": "Theo quy tắc lưu trữ của loại hồ sơ “vụ việc”, tính từ khi trẻ đủ 18 tuổi "
                     "hoặc khi đóng hồ sơ.",
        "transfers": "Chuyển gửi các ngành (y tế, công an, giáo dục, tư pháp) theo kế hoạch hỗ "
                     "trợ; chỉ số liệu thống kê lên cấp trên.",
    },
    {
        "record_kind": "assessment",
        "purposes": "Đánh giá nguy cơ và nhu cầu của trẻ, kế hoạch hỗ trợ, can thiệp.",
        "basis": "state_duty",
        "basis_articles": f"{STATE}; {CHILDREN_LAW} (Điều 26–28 của Nghị định 56/2017).",
        "basic_data": "Như hồ sơ vụ việc.",
        "sensitive_data": "Mức độ tổn hại, sức khỏe, tâm lý, hoàn cảnh gia đình.",
        "capabilities": CASES,
        "retention": "Như hồ sơ vụ việc.",
        "transfers": "Như hồ sơ vụ việc.",
    },
    {
        "record_kind": "fund_beneficiary",
        "purposes": "Lập danh sách nhu cầu hỗ trợ, phân bổ và trao hỗ trợ của Quỹ bảo trợ trẻ em, "
                    "tránh trùng lặp đối tượng hưởng lợi.",
        "basis": "state_duty",
        "basis_articles": f"{STATE}; Nghị định 93/2019/NĐ-CP (quỹ xã hội, quỹ từ thiện). Câu "
                          "chuyện, hình ảnh của trẻ dùng để vận động: sự đồng ý của người đại "
                          "diện và của trẻ từ đủ 7 tuổi (Luật 91/2025/QH15 Điều 24).",
        "basic_data": "Họ tên, xã, nhu cầu, khoản hỗ trợ, biên nhận.",
        "sensitive_data": "Hoàn cảnh đặc biệt, sức khỏe (nhu cầu điều trị).",
        "capabilities": ["view_needs", "propose_needs", "approve_needs", "approve_allocations",
                         "record_deliveries"],
        "retention": "Theo thời hạn lưu chứng từ kế toán của Quỹ; trang công khai không có danh "
                     "tính.",
        "transfers": "Trang công khai của Quỹ: chỉ số liệu, ô dưới 5 ghi “< 5”.",
    },
    {
        "record_kind": "forum_participant",
        "purposes": "Ghi nhận trẻ em tham gia diễn đàn, tập huấn, hoạt động của kế hoạch.",
        "basis": "consent",
        "basis_articles": "Luật 91/2025/QH15 Điều 24 (nêu tên, hình ảnh của trẻ từ đủ 7 tuổi: "
                          "đồng ý của trẻ và người đại diện theo pháp luật); Thông tư "
                          "29/2019/TT-BLĐTBXH (diễn đàn trẻ em).",
        "basic_data": "Họ tên, tuổi, xã, hoạt động tham gia; hình ảnh nếu có đồng ý.",
        "sensitive_data": "",
        "capabilities": ["manage_plans"],
        "retention": "Đến khi hoạt động được báo cáo xong, hoặc khi rút lại sự đồng ý.",
        "transfers": "Báo cáo hoạt động (số lượt tham gia, không tên).",
    },
    {
        "record_kind": "donor",
        "purposes": "Quản lý nhà tài trợ, khoản tài trợ, vinh danh khi nhà tài trợ đồng ý.",
        "basis": "agreement",
        "basis_articles": "Luật 91/2025/QH15 Điều 19 khoản 1 điểm d (thực hiện thỏa thuận); "
                          "Nghị định 93/2019/NĐ-CP (công khai tài chính của quỹ).",
        "basic_data": "Tên, mã số thuế, người liên hệ, điện thoại, địa chỉ, khoản tài trợ.",
        "sensitive_data": "",
        "capabilities": ["view_fund", "manage_fund"],
        "retention": "Theo thời hạn lưu chứng từ kế toán của Quỹ.",
        "transfers": "Bảng vinh danh công khai (chỉ nhà tài trợ đồng ý).",
    },
    {
        "record_kind": "user_account",
        "purposes": "Đăng nhập, phân quyền theo vai trò và địa bàn, bảo mật tài khoản.",
        "basis": "state_duty",
        "basis_articles": f"{STATE}.",
        "basic_data": "Họ tên, tên đăng nhập, đơn vị, vai trò, địa chỉ thư điện tử.",
        "sensitive_data": "",
        "capabilities": ["manage_users"],
        "retention": "Khi còn làm việc; tài khoản được khóa, không xóa, để nhật ký còn đọc được.",
        "transfers": "Không.",
    },
    {
        "record_kind": "audit_trail",
        "purposes": "Biết ai đã xem, sửa hồ sơ nào, khi nào, từ đâu; trả lời chủ thể dữ liệu; "
                    "phát hiện truy cập bất thường.",
        "basis": "law",
        "basis_articles": "Luật 91/2025/QH15 (nghĩa vụ bảo đảm an toàn, ghi nhận việc xử lý dữ "
                          "liệu cá nhân; docs/privacy-law.md).",
        "basic_data": "Tài khoản, vai trò, đơn vị, thời điểm, địa chỉ IP, hồ sơ được xem (mã).",
        "sensitive_data": "",
        "capabilities": ["view_audit", "view_access_alerts"],
        "retention": "Không sửa, không xóa; lưu trữ theo tháng, chuyển kho lưu trữ khi hết hạn "
                     "sử dụng thường xuyên.",
        "transfers": "Không.",
    },
    {
        "record_kind": "data_request",
        "purposes": "Tiếp nhận, giải quyết yêu cầu của chủ thể dữ liệu (biết, xem, sửa, xóa, hạn "
                    "chế, phản đối, rút lại sự đồng ý) đúng thời hạn.",
        "basis": "law",
        "basis_articles": "Luật 91/2025/QH15 (quyền của chủ thể dữ liệu; docs/privacy-law.md).",
        "basic_data": "Họ tên, quan hệ với trẻ, cách liên hệ của người yêu cầu; giấy tờ đã kiểm "
                      "tra (loại giấy, không lưu số).",
        "sensitive_data": "",
        "capabilities": ["view_data_requests", "handle_data_requests"],
        "retention": "Theo quy tắc lưu trữ của loại hồ sơ “yêu cầu của chủ thể dữ liệu”.",
        "transfers": "Không.",
    },
]
