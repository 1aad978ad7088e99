"""Village names, addresses, telephone numbers and support providers that look like the place.

A village takes its name from the people who founded it: Tày and Nùng "Nà Pồng", "Khuổi Khon",
Thái "Bản Huổi Hin", Mông "Sín Chải", Ê Đê "Buôn Ea Tam", Gia Rai and Ba Na "Làng Plei Ơi",
Khmer "Ấp Tà Ân", Kinh "Thôn Tân Lập", "Ấp Rạch Gốc" or simply "Thôn 3"; residential groups of a
ward are numbered ("Tổ dân phố 3", "Khu phố 5", "Khóm 2").
"""

import random

from treem.registry.synthetic import profiles as p
from treem.registry.synthetic.picker import Picker, table

# Village-naming cultures, by ethnic group (GSO code); anything else names the Kinh way.
_CULTURE = {
    "02": "tay_nung", "07": "tay_nung", "15": "tay_nung", "18": "tay_nung", "25": "tay_nung",
    "46": "tay_nung", "49": "tay_nung", "11": "tay_nung",
    "03": "thai", "29": "thai", "33": "thai", "34": "thai", "37": "thai", "39": "thai",
    "42": "thai", "53": "thai",
    "08": "mong", "09": "mong", "35": "mong", "41": "mong", "43": "mong", "40": "mong",
    "51": "mong", "47": "mong", "38": "mong", "50": "mong", "48": "mong", "45": "mong",
    "06": "muong", "24": "muong",
    "12": "ede", "20": "ede",
    "10": "jarai", "13": "jarai", "14": "jarai", "27": "jarai", "52": "jarai", "54": "jarai",
    "19": "jarai", "30": "jarai",
    "16": "koho", "28": "koho", "36": "koho", "22": "koho", "32": "koho",
    "05": "khmer",
    "23": "central", "31": "central", "26": "central", "44": "central", "21": "central",
    "17": "central",
}

_SYLLABLES: dict[str, tuple[Picker[str], Picker[str]]] = {
    "tay_nung": (
        table("Nà 5, Khuổi 3, Pác 2, Lũng 3, Phja 1, Cốc 2, Nặm 1, Pò 1, Bó 2, Khau 2, "
              "Slam 1, Tổng 1, Kéo 1, Roỏng 1, Thôm 1, Còn 1, Pá 1, Co 1, Lạn 1"),
        table("Pồng, Khon, Mò, Rẫy, Giàng, Luông, Pàn, Mạ, Ngườm, Vài, Sliến, Cáy, Thin, Lèng, "
              "Đon, Tao, Coóc, Kéo, Phai, Lẹng, Rì, Xả, Giới, Bó, Rụa, Lạn, Pjạo, Slác, Mần, Nưa, "
              "Lỏng, Khoang, Hoi, Chang, Mu, Mỏ, Cháo, Nhùng, Hẩu, Piên"),
    ),
    "thai": (
        table("Nà 4, Huổi 3, Pá 2, Co 2, Hua 2, Phiêng 2, Nậm 3, Púng 1, Tà 1, Noong 2, Mường 1, "
              "Pom 1, Hát 1, Bó 1, Ten 1, Lả 1, Chiềng 1, Tông 1, Pán 1"),
        table("Cang, Lay, Hin, Sản, Mòn, Puôi, Sàng, Lót, Chè, Ban, Pát, Lanh, Đông, Tọ, Sẳng, Cọ, "
              "Khoang, Lứa, Liềng, Hụn, Mòng, Cạn, Xôm, Củm, Nọi, Ún, Pe, Ít, Lằn, Luông, Hồng, "
              "Bon, Phạ, Ngoa, Muông, Pàn, Xa, Na"),
    ),
    "mong": (
        table("Sín, Tả, Séo, Mào, Hồ, Pả, Lũng, Sủng, Phìn, Cán, Ngài, Khó, Háng, Sà, Mã, Ma, Lao, "
              "Chù, Xín, Hầu, Pù, Xà, Sảng, Thào"),
        table("Chải, Phìn, Lủng, Ván, Thàng, Hồ, Pả, Sán, Chư, Thầu, Súng, Cấu, Tủng, Vi, Mò, "
              "Lùng, Chá, Cha, Sử, Pao, Sà, Chóng, Phàng, Tò, Chù, Tính, Dình, Pến"),
    ),
    "muong": (
        table("Mớ, Bưa, Khả, Trụ, Vó, Đồng, Mường, Khụ, Rộc, Sào, Thung, Bái, Lục, Chiềng, Mỏ, "
              "Đống, Ải, Lạc"),
        table("Đá, Lác, Khà, Nẻ, Bờ, Chanh, Cả, Mít, Phang, Bái, Rềnh, Vó, Mòn, Khoang, Vàng, "
              "Cang, Trám, Thàng, Sống, Mu, Tre, Ong"),
    ),
    "ede": (
        table("Ea 4, Ko 2, Cuôr 1, Kmrơng 1, Tơng 1, Ako 1, Drai 1, Krông 1, Hra 1, Đắk 1, Kô 1, "
              "Kram 1, Dhăm 1"),
        table("Sier, Tam, Kmát, Dhông, Knia, Jú, Prông, Đinh, Pốk, Bông, Yông, Kao, Tlá, Sup, Ktur, "
              "Bhốk, Drăng, Ral, Jung, Knốp, Bar, Hđing, Ngao, Dưk, Tuôr, Mnang, Pal"),
    ),
    "jarai": (
        table("Plei 5, Kon 4, Đê 2, Tơ 1, Ia 2, Bôn 1, Dơk 1, Đăk 2"),
        table("Kép, Ring, Ơi, Bông, Klor, Tum, Jơ Dră, Pông, Rngol, Ktu, Chư, Krông, Jrăng, Me, "
              "Tơ, Bơ, Krái, Kôp, Tuk, Hneng, Mơ Nai, Bri, Rơ Wai, Kơ Tu, Dôr, Sơ Lăm, Kuk, "
              "Pơ Lang, Mơng"),
    ),
    "koho": (
        table("Đạ 3, Liêng 2, Bon 2, Đơn 1, Đa 1, Păng 1, Kon 1, Phi 1, Đăng 1, Tà 1, Ma 1"),
        table("Sar, Trang, Tế, Rơm, Lá, Dơng, Nhim, Ròn, Tiêng, Sòn, Hoai, Lây, Lạch, Đơng, Rhàng, "
              "Dươn, Kao, Tro, Pin, Tông"),
    ),
    "khmer": (
        table("Ô 3, Tà 3, Phnôm 1, Trà 2, Ba 1, Kos 1, Tầm 1, Sà 1, Prey 1, Ka 1, Bưng 1, Sa 1, "
              "Ta 1, Sây 1, Chông 1, Pô 1, Ca 1, Tha 1"),
        table("Lâm, Ruộng, Ân, Sư, Rinh, Tưng, Coi, Vóc, Xiêm, Chơn, Cấp, Mẹt, Bon, Kha, Đét, Tớp, "
              "Rum, Thum, Tộc, Chray, Chố, Kiên, Kông, Xoài, Mun, Đôn, Ray, Vừng, Chác, Thi, Cần, "
              "Rằng, Som"),
    ),
    "central": (
        table("A 3, Tà 3, Ra 2, Ka 1, Pa 2, A Rô 1, Xà 1, Ha 1, Cu 1"),
        table("Lưới, Lang, Ró, Vao, Rua, Xai, Cha, Lê, Nhi, Bung, Roàng, Lương, Ngo, Tiêng, Rôn, "
              "Dê, Ring, Lua, Hồ, Ky, Roòng, Bhơ, Hôồng, Ting, Din, Pát, Ai, Lọc, Ve"),
    ),
    "kinh": (
        table("An, Phú, Tân 3, Hòa, Bình, Thượng, Hạ, Đông 2, Tây, Nam, Bắc, Trung 2, Thịnh, "
              "Xuân, Phúc, Lộc, Vĩnh, Mỹ, Hưng, Yên, Thái, Đại, Quang, Thanh, Đức, Long, Phong, "
              "Cát, Hội, Văn, Nghĩa, Thành, Lợi, Khánh, Hiệp, Hậu, Thuận, Tiền, Gia, Kim, Ngọc, "
              "Minh, Quảng, Trường"),
        table("An, Lạc, Phú, Lập 2, Hòa, Bình, Mỹ, Thịnh, Lộc, Phúc, Hưng, Yên, Thành, Trung, "
              "Đông, Tây, Nam, Bắc, Thượng, Hạ, Xuân, Sơn, Hải, Hà, Khê, Điền, Lâm, Tiến, Quang, "
              "Thọ, Long, Hội, Đức, Nghĩa, Thuận, Vinh, Phong, Lợi, Hiệp, Định, Kiều, Trạch, Châu, "
              "Giang, Tường, Mai, Đoài, Lễ"),
    ),
}
_SOUTH_KINH = (
    table("Rạch, Cái, Kinh, Vàm, Giồng, Xẻo, Bờ, Cồn, Bến, Bưng, Láng, Bàu, Gò"),
    table("Gốc, Nai, Trôm, Rô, Đình, Công, Sao, Tre, Dừa, Mít, Cát, Sen, Súng, Bần, Lớn, Nhỏ, "
          "Chùa, Miễu, Me, Xoài, Găng, Đước"),
)
_SOUTH_FIRST = table("Phước 2, Thạnh 2, Tân 3, Long 2, Mỹ 2, Bình 2, An 2, Hòa 1, Vĩnh 1, Phú 1")

_CULTURE_KINDS: dict[str, Picker[str]] = {
    "thai": table("Bản 85, Thôn 15"),
    "muong": table("Xóm 60, Bản 20, Thôn 20"),
    "ede": table("Buôn 85, Thôn 15"),
    "jarai": table("Làng 60, Thôn 40"),
    "koho": table("Thôn 60, Buôn 40"),
    "khmer": table("Ấp 80, Sóc 20"),
    "central": table("Thôn 80, Bản 20"),
}
_NUMBERED_SHARE = {
    p.NORTH_MOUNTAIN: 0.08, p.NORTH_DELTA: 0.12, p.NORTH_CENTRAL: 0.15, p.CENTRAL_COAST: 0.3,
    p.HIGHLANDS: 0.45, p.SOUTHEAST: 0.35, p.MEKONG: 0.3,
}


def culture_of(ethnicity_code: str) -> str:
    return _CULTURE.get(ethnicity_code, "kinh")


def village_kind(rng: random.Random, *, culture: str, profile: p.Profile) -> str:
    picker = _CULTURE_KINDS.get(culture)
    if picker is None and culture in ("tay_nung", "mong") and profile.region != p.NORTH_MOUNTAIN:
        picker = _CULTURE_KINDS["central"]
    if picker is None:
        picker = Picker(profile.village_kinds.items())
    return picker(rng)


def village_proper_name(rng: random.Random, *, culture: str, region: str) -> str | None:
    """The name after the kind word, or None for a numbered village ("Thôn 3")."""
    if culture == "kinh":
        if rng.random() < _NUMBERED_SHARE.get(region, 0.1):
            return None
        if region in p.SOUTHERN_REGIONS:
            if rng.random() < 0.3:
                first, second = _SOUTH_KINH
                return f"{first(rng)} {second(rng)}"
            first_syllable = _SOUTH_FIRST(rng)
        else:
            first_syllable = _SYLLABLES["kinh"][0](rng)
        second_syllable = _SYLLABLES["kinh"][1](rng)
        if second_syllable == first_syllable:
            return first_syllable
        return f"{first_syllable} {second_syllable}"
    first, second = _SYLLABLES[culture]
    parts = [first(rng), second(rng)]
    if culture == "mong" and rng.random() < 0.1:
        parts.append(second(rng))  # "Ma Lù Thàng"
    if parts[-1] == parts[-2]:
        parts.pop()
    return " ".join(parts)


def lower_kind(name: str) -> str:
    """"Xã Hòa An" → "xã Hòa An", as a unit is written inside an address."""
    return name[:1].lower() + name[1:] if name else name


def short_name(name: str, kind: str) -> str:
    """"Xã Hòa An" → "Hòa An"."""
    if kind and name.startswith(kind + " "):
        return name[len(kind) + 1:]
    return name


_STREETS = table(
    "Lê Lợi, Trần Hưng Đạo, Nguyễn Trãi, Hoàng Văn Thụ, Lý Thường Kiệt, Hai Bà Trưng, "
    "Quang Trung, Nguyễn Huệ, Phan Đình Phùng, Lê Duẩn, Hùng Vương, Võ Nguyên Giáp, Nguyễn Du, "
    "Kim Đồng, Nguyễn Văn Cừ, Trần Phú, Lê Lai, Phạm Ngũ Lão, Bà Triệu, Đinh Tiên Hoàng, "
    "Lý Thái Tổ, Nguyễn Thị Minh Khai, Điện Biên Phủ, Tôn Đức Thắng, Ngô Quyền, Lê Thánh Tông, "
    "Trường Chinh, Phan Bội Châu, Phan Chu Trinh, Chu Văn An, Nguyễn Khuyến, Xuân Thủy, "
    "Nguyễn Chí Thanh, Lê Hồng Phong, Hoàng Diệu, Trần Quốc Toản, Bế Văn Đàn, Võ Thị Sáu"
)


def address(rng: random.Random, *, village: str, commune: str, province: str, urban: bool,
            southern: bool) -> str:
    tail = f"{village}, {lower_kind(commune)}, {lower_kind(province)}"
    if not urban or rng.random() < 0.3:
        return tail
    number = rng.randint(1, 250)
    if rng.random() < 0.35:
        lane = "hẻm" if southern else "ngõ"
        return f"Số {number}, {lane} {rng.randint(2, 120)} đường {_STREETS(rng)}, {tail}"
    return f"Số {number} đường {_STREETS(rng)}, {tail}"


# Mobile prefixes (10-digit numbers since 2018), weighted by rough market share.
_MOBILE = table(
    "086 4, 096 6, 097 6, 098 6, 032 3, 033 3, 034 3, 035 3, 036 3, 037 3, 038 3, 039 3, "
    "088 2, 091 4, 094 4, 081 1.5, 082 1.5, 083 1.5, 084 1.5, 085 1.5, "
    "089 2, 090 4, 093 3, 070 1, 076 1, 077 1, 078 1, 079 1, 092 1, 056 0.5, 058 0.5, 099 0.3, "
    "059 0.2"
)


def phone(rng: random.Random) -> str:
    return f"{_MOBILE(rng)}{rng.randrange(10_000_000):07d}"


_SCHOOLS = {"preschool": "Trường Mầm non", "primary": "Trường Tiểu học",
            "upper_secondary": "Trường THPT", "vocational": "Trường Trung cấp nghề"}


def support_provider(rng: random.Random, kind: str, *, commune: str, commune_kind: str,
                     province: str, school_level: str) -> str:
    """Who gives a support: the commune pays allowances, the commune health station or the
    provincial hospital treats, the school waives fees, provincial centres counsel and give
    legal aid, the child fund and mass organisations give gifts."""
    commune_in_text = lower_kind(commune)
    province_in_text = lower_kind(province)
    if kind == "social_allowance":
        return f"UBND {commune_in_text}"
    if kind == "health":
        if rng.random() < 0.6:
            return f"Trạm Y tế {commune_in_text}"
        return f"Bệnh viện Đa khoa {province_in_text}"
    if kind == "education":
        school = _SCHOOLS.get(school_level, "Trường THCS")
        if school_level == "vocational":
            return f"{school} {province_in_text}"
        return f"{school} {short_name(commune, commune_kind)}"
    if kind == "counselling":
        return f"Trung tâm Công tác xã hội {province_in_text}"
    if kind == "legal":
        return f"Trung tâm Trợ giúp pháp lý nhà nước {province_in_text}"
    if kind == "in_kind":
        draw = rng.random()
        if draw < 0.4:
            return f"Quỹ Bảo trợ trẻ em {province_in_text}"
        if draw < 0.7:
            return f"Hội Liên hiệp Phụ nữ {commune_in_text}"
        return f"Hội Chữ thập đỏ {commune_in_text}"
    return f"Ủy ban MTTQ Việt Nam {commune_in_text}"
