"""Vietnamese personal names by ethnic group, region and generation.

A name is drawn for a sex and a generation (0 a child born 2008–2026, 1 a parent, 2 a
grandparent), because naming changed: "Văn" and "Thị" as middle names are giving way to
Minh, Gia, Bảo, Ngọc…, and given names like Khang, Hân or Vy are recent. Family names pass from
father to child, except among the matrilineal peoples of the Central Highlands and the
south-central coast (Ê Đê, Gia Rai, Cơ Ho, Chu Ru, Raglai, Mnông, Chăm), whose children take
the mother's family name. The tables are weighted to look right, not to be statistics.
"""

import random
from dataclasses import dataclass, field

from treem.registry.synthetic import profiles as p
from treem.registry.synthetic.picker import Picker, table

MALE, FEMALE = "m", "f"
CHILD, PARENT, ELDER = 0, 1, 2
NONE = "-"  # "no middle name" in the tables

# --- Kinh names, shared by every group that names its children the Kinh way -----------------

_KINH_SURNAMES = (
    "Nguyễn 31.5, Trần 10.9, Lê 9.5, Phạm 7.0, {hoang} 5.1, Phan 4.5, {vu} 3.9, Đặng 2.1, "
    "Bùi 2.0, Đỗ 1.4, Hồ 1.3, Ngô 1.3, Dương 1.0, Lý 0.5, Đào 0.8, Đoàn 0.7, Trịnh 0.7, "
    "Trương 0.7, Đinh 0.7, Lâm 0.5, Mai 0.5, Phùng 0.4, Cao 0.5, Tô 0.3, Tạ 0.4, Hà 0.5, "
    "Lương 0.4, Lưu 0.3, Chu 0.3, Vương 0.3, Kiều 0.2, Thái 0.2, Quách 0.2, Văn 0.1, Tăng 0.1, "
    "Lại 0.2, Châu 0.2, Triệu 0.1, Khúc 0.1, La 0.1, Hứa 0.1, Doãn 0.1, Nghiêm 0.1, Thân 0.15, "
    "Mạc 0.1, Tống 0.15, Ninh 0.1, Giang 0.1, Từ 0.1, Kim 0.05, Lục 0.05, Diệp 0.05, Âu 0.05, "
    "Khổng 0.05, Bạch 0.05, Phí 0.1, Lã 0.1, Cù 0.05, Đàm 0.1, Ông 0.05, Tôn 0.05, Quan 0.05"
)
# Hoàng is Huỳnh and Vũ is Võ in the south (a naming taboo of the Nguyễn lords).
_KINH_BY_REGION = {
    "north": _KINH_SURNAMES.format(hoang="Hoàng", vu="Vũ"),
    "north_central": _KINH_SURNAMES.format(hoang="Hoàng", vu="Võ"),
    "central": _KINH_SURNAMES.format(hoang="Huỳnh 3, Hoàng 2.1", vu="Võ"),
    "south": _KINH_SURNAMES.format(hoang="Huỳnh", vu="Võ"),
}

# Middle names other than Văn/Thị, by sex and generation.
_MIDDLE = {
    (MALE, CHILD): table(
        "Minh 10, Đức 8, Gia 8, Quang 5, Hoàng 6, Bảo 6, Anh 3, Hữu 4, Đăng 4, Thành 3, Trung 3, "
        "Duy 4, Công 3, Xuân 2, Nhật 4, Khánh 3, Hải 3, Tiến 2, Thanh 3, Tuấn 3, Ngọc 2, Phúc 2, "
        "Quốc 4, Trọng 2, Mạnh 2, Thiên 2, Tấn 2, Hoài 1, Việt 2, Tùng 1, Nguyên 1, Khôi 1, - 2"),
    (FEMALE, CHILD): table(
        "Ngọc 10, Thu 5, Minh 5, Khánh 5, Bảo 6, Phương 4, Hà 3, Thanh 4, Mai 3, Hoài 2, Diệu 2, "
        "Gia 3, Thảo 3, Quỳnh 3, Hải 2, Lan 2, Tuệ 2, Ánh 2, Kim 3, Hồng 2, Thùy 3, Yến 2, "
        "Tường 1, Cẩm 2, Mỹ 3, Như 2, Trúc 2, Huyền 1, Linh 2, Nhã 2, An 2, Uyên 1, Vân 1, "
        "Bích 1, - 1"),
    (MALE, PARENT): table(
        "Đức 6, Minh 5, Quang 4, Hữu 5, Xuân 3, Công 4, Thanh 3, Ngọc 3, Mạnh 2, Tiến 2, Trọng 2, "
        "Duy 2, Hoàng 3, Anh 2, Việt 2, Thế 2, Tuấn 2, Trung 1, Tấn 3, Hồng 1, Đình 3, Quốc 2, "
        "Hải 1, Kim 1, Bá 2, - 1"),
    (FEMALE, PARENT): table(
        "Ngọc 5, Thu 4, Thanh 4, Minh 2, Hồng 3, Kim 3, Thúy 2, Phương 2, Hải 1, Bích 2, Mỹ 2, "
        "Hoài 1, Diệu 1, Lan 1, Tuyết 1, Hoàng 1, Xuân 1, Quỳnh 1, - 1"),
    (MALE, ELDER): table("Đức 3, Ngọc 3, Hữu 4, Xuân 2, Công 2, Đình 3, Quang 1, Thanh 1, Bá 1"),
    (FEMALE, ELDER): table("Ngọc 1, Kim 1, Thu 1, Thanh 1, Xuân 1"),
}

_GIVEN = {
    (MALE, CHILD): table(
        "Minh 5, Anh 5, Khang 4, Huy 5, Bảo 4, Nam 4, Phúc 4, Khoa 3, Đăng 2, Hưng 3, Long 4, "
        "Quân 4, Khôi 3, Nhật 2, Tùng 2, Dũng 3, Đức 3, Hải 3, Hiếu 3, Hoàng 3, Kiên 2, Lâm 2, "
        "Lộc 2, Luân 1, Mạnh 2, Nghĩa 2, Phong 3, Quang 2, Sơn 3, Tài 2, Thắng 2, Thành 3, "
        "Thịnh 2, Toàn 2, Trí 2, Trung 2, Tuấn 4, Vinh 2, Vũ 2, Duy 3, Đạt 4, An 4, Bình 2, "
        "Công 1, Cường 2, Danh 1, Hậu 1, Hào 1, Hiển 1, Khải 2, Kiệt 2, Lực 1, Nguyên 2, Phát 2, "
        "Quốc 1, Sang 1, Tâm 2, Thái 1, Thiện 2, Tín 2, Tú 1, Việt 2, Vĩ 1, Hùng 2, Khánh 2, "
        "Chiến 1, Đông 1, Giang 1, Hiệp 1, Hòa 1, Khiêm 1, Lân 1, Nhân 1, Phương 1, Quý 1, "
        "Thông 1, Trọng 1, Uy 1, Vương 1, Ân 1, Bách 1, Định 1"),
    (FEMALE, CHILD): table(
        "Anh 5, Linh 5, Ngọc 3, Trang 4, Hà 3, Vy 4, Nhi 4, Thảo 3, Hương 2, Mai 3, My 3, Chi 3, "
        "Hân 4, An 4, Nhung 1, Lan 2, Quỳnh 3, Phương 3, Yến 2, Trâm 2, Thư 4, Giang 2, Hằng 2, "
        "Hạnh 1, Huyền 2, Khánh 1, Ly 2, Loan 1, Nga 1, Ngân 3, Oanh 1, Tâm 2, Thanh 1, Thủy 1, "
        "Trinh 1, Tuyết 1, Uyên 2, Vân 2, Xuân 1, Diệp 1, Hoa 1, Hồng 1, Ánh 2, Diệu 1, Đan 1, "
        "Như 2, Tiên 2, Tú 1, Quyên 1, Hiền 2, Nhàn 1, Thơ 1, Trúc 1, Hạ 1, Băng 1, Châu 1, "
        "Dung 1, Duyên 1, Hoài 1, Kim 1, Lam 1, Liên 1, Mơ 1, Na 1, Nguyệt 1, Nhiên 1, Sương 1, "
        "Thoa 1, Thương 1, Trà 1, Vi 1"),
    (MALE, PARENT): table(
        "Hùng 4, Dũng 4, Tuấn 4, Hải 4, Thắng 3, Cường 3, Hưng 3, Long 3, Nam 3, Minh 4, Sơn 4, "
        "Thành 4, Trung 3, Quang 3, Tiến 3, Toàn 2, Hoàng 2, Hiếu 2, Đức 3, Bình 3, Phong 2, Tú 2, "
        "Vinh 2, Khoa 1, Huy 3, Lâm 2, Công 2, Tâm 2, Hòa 2, Lợi 2, Tài 2, Chiến 2, Dương 1, "
        "Đạt 2, Giang 1, Hậu 1, Hiệp 2, Khánh 2, Kiên 2, Linh 1, Lộc 2, Mạnh 2, Nghĩa 2, Ngọc 1, "
        "Phúc 2, Quân 2, Quý 2, Tân 2, Thanh 2, Thịnh 2, Thuận 2, Trường 2, Tùng 2, Việt 2, Vũ 1, "
        "Xuân 1, Anh 2, Đông 1, Hà 1, Khải 1, Lực 1, Luận 1, Nhân 1, Phương 1, Sang 1, Thái 1, "
        "Thông 1, Trí 1, Tuyên 1, Cảnh 1"),
    (FEMALE, PARENT): table(
        "Hoa 3, Hương 4, Lan 3, Mai 3, Hằng 3, Hạnh 2, Thủy 3, Nga 3, Loan 2, Phương 3, Thu 2, "
        "Trang 4, Huyền 3, Linh 3, Yến 2, Nhung 2, Hà 3, Hiền 2, Tuyết 1, Hồng 2, Oanh 2, Liên 2, "
        "Ngọc 2, Dung 2, Thảo 3, Vân 2, Lý 1, Xuân 2, Nhàn 1, Thắm 1, Duyên 2, Giang 2, Anh 2, "
        "Bích 1, Chi 1, Diệu 1, Hải 1, Hậu 1, Hòa 1, Huệ 1, Khánh 1, Lệ 1, Liễu 1, Luyến 1, "
        "Lương 1, My 1, Nguyệt 1, Nhi 1, Phượng 2, Quyên 1, Quỳnh 2, Sen 1, Tâm 2, Thanh 2, "
        "Thoa 1, Thơm 1, Thúy 2, Trinh 1, Tú 1, Uyên 1, Vy 1, Diễm 1, Kiều 1, Ngân 1, Ánh 1, "
        "Châm 1, Đào 1, Mơ 1, Thương 1"),
    (MALE, ELDER): table(
        "Hùng 2, Bình 3, Thành 3, Minh 2, Sơn 2, Thanh 2, Tâm 2, Hòa 2, Hải 2, Lâm 1, Phúc 2, "
        "Thịnh 1, Đông 1, Xuân 2, Tư 1, Ba 1, Năm 1, Sáu 1, Chiến 1, Thắng 2, Lợi 2, Quý 1, "
        "Khánh 1, Long 1, Vinh 1, Cường 1, Quang 1, Lộc 1, Nghĩa 1, Thọ 2, Đức 2, Thuận 1, "
        "Toàn 1, Tiến 1, Dân 1, Kỳ 1, Hưởng 1, Lai 1, Tý 1, Sửu 1, Thìn 1, Ngọ 1"),
    (FEMALE, ELDER): table(
        "Lan 2, Hoa 2, Hương 2, Mai 2, Tuyết 1, Nga 1, Hồng 2, Liên 2, Lý 1, Tám 1, Mơ 1, Nụ 1, "
        "Nhung 1, Hạnh 1, Thơm 1, Tý 1, Sửu 1, Lành 1, Gái 1, Bích 1, Cúc 2, Đào 1, Huệ 1, "
        "Hiền 1, Thu 1, Xuân 1, Vân 1, Loan 1, Phượng 1, Tư 1, Năm 1, Sáu 1, Bảy 1, Mận 1, "
        "Lựu 1, Nhàn 1, Thanh 1, Yến 1, Hợi 1, Dậu 1"),
}

_VAN = table("Văn")
_THI = table("Thị")


@dataclass
class Style:
    """How one people names its children: family names; its own given names with their share
    per generation (the rest from the shared Kinh tables) and the middle names that go with
    them ("A", "Mí", "Seo" among the Mông, "Văn", "Thị" most often); the share per generation
    of "Văn"/"Thị" before a Kinh given name (the rest take Minh, Gia, Ngọc…)."""

    surnames: Picker[str]
    matrilineal: bool = False
    plain_male: Picker[str] = field(default_factory=lambda: _VAN)
    plain_female: Picker[str] = field(default_factory=lambda: _THI)
    # P(plain middle) for (boy, girl) per generation.
    plain_share: tuple[tuple[float, float], ...] = ((0.5, 0.55), (0.85, 0.9), (0.95, 0.98))
    own_male: Picker[str] | None = None
    own_female: Picker[str] | None = None
    own_share: tuple[float, float, float] = (0.0, 0.0, 0.0)
    # P(two middle names: "Nguyễn Ngọc Bảo Anh") per generation.
    four_part: tuple[float, float, float] = (0.02, 0.005, 0.0)
    # P(the mother's family name as first middle name: "Nguyễn Trần Gia Huy"), children only.
    mother_middle: float = 0.0

    def family(self, rng: random.Random) -> str:
        return self.surnames(rng)

    def name(self, rng: random.Random, *, sex: str, generation: int, family: str,
             mother_family: str = "") -> str:
        male = sex == MALE
        rand = rng.random
        parts = [family] if family else []
        if generation == CHILD and mother_family and rand() < self.mother_middle \
                and mother_family != family:
            parts.append(mother_family)
        own = self.own_male if male else self.own_female
        # A name of the people's own ("Páo", "Mỷ", "Sa Ry") goes with a plain middle name
        # ("Giàng A Páo", "Sùng Thị Mỷ"), never with a fashionable one.
        own_given = own is not None and rand() < self.own_share[generation]
        if own_given:
            middle = (self.plain_male if male else self.plain_female)(rng)
        elif rand() < self.plain_share[generation][0 if male else 1]:
            middle = "Văn" if male else "Thị"
        else:
            middle = _MIDDLE[sex, generation](rng)
        if middle != NONE:
            parts.append(middle)
        if not own_given and middle != "Văn" and rand() < self.four_part[generation]:
            second = _MIDDLE[sex, CHILD](rng)
            if second != NONE and second not in parts:
                parts.append(second)
        given = own(rng) if own_given and own is not None else _GIVEN[sex, generation](rng)
        if given in parts:  # "Nguyễn Minh Minh": draw once more
            given = _GIVEN[sex, generation](rng)
        parts.append(given)
        return " ".join(parts)


@dataclass
class PrefixStyle:
    """Names built from a sex prefix and a given name, with the family name before or after:
    "Y Wang Niê", "H'Hen Niê" (Ê Đê), "Ksor H'Bla", "Siu Đen" (Gia Rai), "K'Brơi",
    "Liêng Hót Ka Hồng" (Cơ Ho), "A Thút", "Y Hoa" (Ba Na, Xơ Đăng)."""

    surnames: Picker[str]
    given_male: Picker[str]
    given_female: Picker[str]
    prefix_male: Picker[str]
    prefix_female: Picker[str]
    family_first: bool = True
    family_share: float = 1.0
    matrilineal: bool = False

    def family(self, rng: random.Random) -> str:
        return self.surnames(rng)

    def name(self, rng: random.Random, *, sex: str, generation: int, family: str,
             mother_family: str = "") -> str:
        male = sex == MALE
        prefix = (self.prefix_male if male else self.prefix_female)(rng)
        given = (self.given_male if male else self.given_female)(rng)
        # "Y" is a word of its own; "H'" and "K'" are glued to the name.
        core = prefix + given if prefix.endswith("'") else (f"{prefix} {given}" if prefix != NONE
                                                            else given)
        if not family or rng.random() >= self.family_share:
            return core
        return f"{family} {core}" if self.family_first else f"{core} {family}"


@dataclass
class MixedStyle:
    """A people among whom some families name the Kinh way and others their own way."""

    styles: Picker["Style | PrefixStyle"]
    matrilineal: bool = False
    families: Picker[str] | None = None

    def family(self, rng: random.Random) -> str:
        return self.families(rng) if self.families is not None else ""

    def name(self, rng: random.Random, *, sex: str, generation: int, family: str,
             mother_family: str = "") -> str:
        style = self.styles(rng)
        return style.name(rng, sex=sex, generation=generation, family=family or style.family(rng),
                          mother_family=mother_family)


AnyStyle = Style | PrefixStyle | MixedStyle

_KINH_PLAIN = ((0.18, 0.22), (0.45, 0.65), (0.8, 0.95))
_MINORITY_PLAIN = ((0.5, 0.55), (0.85, 0.9), (0.95, 0.98))


def _kinh(region_key: str, **extra: object) -> Style:
    return Style(surnames=table(_KINH_BY_REGION[region_key]), plain_share=_KINH_PLAIN,
                 four_part=(0.12, 0.03, 0.01), mother_middle=0.04, **extra)  # type: ignore[arg-type]


def _minority(surnames: str, *, own_male: str = "", own_female: str = "",
              own_share: tuple[float, float, float] = (0.05, 0.1, 0.2),
              plain_male: str = "Văn", plain_female: str = "Thị",
              plain_share: tuple[tuple[float, float], ...] = _MINORITY_PLAIN,
              matrilineal: bool = False) -> Style:
    return Style(
        surnames=table(surnames), matrilineal=matrilineal,
        plain_male=table(plain_male), plain_female=table(plain_female), plain_share=plain_share,
        own_male=table(own_male) if own_male else None,
        own_female=table(own_female) if own_female else None,
        own_share=own_share if own_male else (0.0, 0.0, 0.0),
    )


_TAY_NUNG_OWN_M = "Pảo, Dín, Ngần, Quyn, Pằn, Thín, Lình, Khằn, Slấy, Pẻo, Vảng, Cáy, Chảng, Tằng"
_TAY_NUNG_OWN_F = "Slao, Mè, Ngần, Lìu, Pằng, Thìn, Nhình, Mây, Nhị, Khến, Slim, Pèng, Sliên"
_THAI_OWN_M = ("Pọm, Xôm, Ẳm, Khằm, Ún, Xương, Bun, Đôi, Ngân, Pâng, Khăm, Hánh, Phẳng, Pánh, "
               "Xiêng, Tươi, Chăn, Ón, Hặc, Ọi, Puôn, Lả, Mởn, Phăn, Ngọn")
_THAI_OWN_F = ("Ón, Xiêng, Bua, Kiểm, Phăn, Thơm, Lả, Piêng, Ẻ, Ín, Ban, Ọn, Xuyến, Ua, Hỏm, Lở, "
               "Phóng, Nọi, Hom, Ính, Ươm, Xim, Pâng")
_THAI_SHARE = (0.25, 0.45, 0.7)
_THAI_PLAIN = ((0.7, 0.75), (0.95, 0.95), (0.98, 0.99))
_NORTH_SMALL_PLAIN = ((0.6, 0.7), (0.9, 0.95), (0.97, 0.99))
_AY_MALE = ("Thút, Pó, Hiu, Blong, Đing, Nin, Vi, Bo, Krung, Kăn, Hmưu, Djuôl, Rin, Lên, Hùng, "
            "Thuận, Tâm, Pháp, Nhong, Kiên, Tuấn, Đôn, Brưh, Đưk, Bình, Dương, Khâm, Yên")
_AY_FEMALE = ("Nhi, Mơ, Hoa, Lanh, Dung, Hlo, Bên, Ngọc, Xuân, Thu, Hiền, Lan, Nga, Phương, "
              "Nhung, Trang, Mai, Nghi, Blih, Hnen, Liên, Hương, Vân, Ly, Hồng")


def _a_y(kinh_surnames: str, a_y_share: float) -> MixedStyle:
    """Kon Tum and Quảng Ngãi highlanders: "A Thút", "Y Hoa", or "Đinh Văn Bin"."""
    own = PrefixStyle(surnames=table("- 1"), given_male=table(_AY_MALE),
                      given_female=table(_AY_FEMALE), prefix_male=table("A"),
                      prefix_female=table("Y"), family_share=0.0)
    kinh_like = _minority(kinh_surnames, own_male=_AY_MALE, own_female=_AY_FEMALE,
                          own_share=(0.3, 0.4, 0.5))
    return MixedStyle(styles=Picker([(own, a_y_share), (kinh_like, 1 - a_y_share)]),
                      families=None)


def _dieu(surnames: str, *, matrilineal: bool = False) -> MixedStyle:
    """South-eastern and Mnông highlanders: "Điểu Cường", "Thị Bền", or Kinh-like names."""
    own = PrefixStyle(surnames=table("- 1"), given_male=table(_AY_MALE + ", Cường, K'Ré, Lanh"),
                      given_female=table(_AY_FEMALE + ", Bền, Thoa"),
                      prefix_male=table("Điểu 3, Y 1"), prefix_female=table("Thị 3, H' 1"),
                      family_share=0.0)
    return MixedStyle(styles=Picker([(own, 0.6), (_minority(surnames), 0.4)]),
                      matrilineal=matrilineal, families=table(surnames))


_EDE = PrefixStyle(
    surnames=table("Niê 18, Niê Kđăm 5, Mlô 10, Êban 10, Byă 6, Ksơr 4, Ayun 4, Adrơng 4, "
                   "Buôn Yă 3, Hđơk 4, Knul 3, Kbuôr 3, Ênuôl 5, Hmok 3, Kpă 3, Alê 2, Hwing 2, "
                   "Mlô Duôn Du 2, Buôn Krông 3, Ktla 2, Rcăm 2, Bkrông 3, Êya 2, Nay 2"),
    given_male=table("Wang, Bhin, Moan, Ngông, Thanh, Ji, Kô, Jun, Dhăm, Bling, Blốt, Khuê, Lâm, "
                     "Tlam, Huê, Sinh, Phôn, Kuăn, Ha, Duin, Nuen, Bơn, Tuyn, Hoan, Kim, Hải, "
                     "Lang, Khang, Ni, Tơ, Yuh, Hùng, Dũng, Tuấn, Pốk, Kriêng, Thuột, Djôn"),
    given_female=table("Hen, Yâo, Mi, Ben, Ngam, Duyên, Jam, Linh, Ly, Nhi, Wơn, Bia, Xuân, Yơn, "
                       "Dju, Ắt, Ruôn, Hương, Lý, Ni, Sa, Tlai, Mai, Hoa, Lan, Nga, Thảo, Trang, "
                       "Nuôn, Bhiă, Djuê, Hồng, Rin, Loan, Yơr, Mơ, Juê, Riêng"),
    prefix_male=table("Y"), prefix_female=table("H'"), family_first=False, matrilineal=True,
)
_JARAI = PrefixStyle(
    surnames=table("Ksor 18, Siu 16, Rơ Châm 12, Nay 10, Rơ Mah 10, Kpă 10, Puih 6, Rơ Lan 4, "
                   "Rơ Ô 3, Rah Lan 4, Hiao 2, Kpuih 3, Rơ Com 2"),
    given_male=table("Nham, Yuh, Phươc, Der, Del, Thuyên, Đen, Bi, Blut, Phăng, Tơ, Jen, Krai, "
                     "Kem, Thong, Vin, Ngun, Dôn, Hyuk, Blơng, Brit, Tlưn, Hlim, Kla, Yôn, Hlang, "
                     "Thăm, Dũng, Minh, Lâm, Huy, Tuấn"),
    given_female=table("Nhiên, Bla, Hlơi, Nhin, Blin, Hyin, Trang, Mai, Hương, Lan, Ngơm, Yă, "
                       "Hnhao, Ler, Bôn, Liêng, Ngân, Hoa, Thủy, Nhi, Khiên, Dung"),
    prefix_male=table("- 1"), prefix_female=table("H' 2, - 3"), matrilineal=True,
)
_KOHO = PrefixStyle(
    surnames=table("Kră Jăn, Liêng Hót, Cil, Bon Niêng, Ka Să, Rơ Ông, Đa Cát, Lơ Mu, Kơ Să, "
                   "Bon Đing, Srê"),
    given_male=table("Brơi, Bròn, Đin, Ré, Nhớ, Sỹ, Tiến, Tơr, Brim, Kôn, Dũng, Long, Chương, "
                     "Chiến, Thanh, Sar"),
    given_female=table("Hồng, Nai, Thủy, Lin, Bích, Yên, Dim, Hơn, Thúy, Hương, Hoan, Rin, Mai, "
                       "Nhơn, Drim"),
    prefix_male=table("K'"), prefix_female=table("Ka 3, Ha 1"), family_share=0.5,
    matrilineal=True,
)
_KHMER_OWN_M = ("Chanh, Sóc, Rết, Rích, Đa, Phal, Phon, Kha, Ni, Sương, Sa Rát, Ty, Vanh, Khen, "
                "Sô Phát, Pol, Sa Rinh, Sóc Ra, Thi, Ra Vi, Sà Rết, Chăn Thu, Sa Môl, Hên, Tha, "
                "Sóc Khum, Ca, Sơ Ny, Pho, Sóc Phên, Bô Ra, Chanh Đa, Kim Hoàn")
_KHMER_OWN_F = ("Sa Ry, Sô Phi, Sa Vân, Ly Na, Chan Thy, Ry Na, Sô Ni, Sa Ren, Phi Lê, Mây, "
                "Sóc Kha, Mal, Thy, Ni Ta, Sa Rươn, Kim Thoa, Sa Phia, Srây, Sa Rinh, Đa Ni, "
                "Ra Ni, Sô Phia, Chanh Thy, Bô Pha, Mách, Sa Phon, Sóc Phia, Ny")


def _khmer(surnames: str) -> MixedStyle:
    """Khmer names: "Thạch Sa Rát", "Thạch Thị Sa Ry", "Kim Sô Phi", "Sơn Minh Tuấn"; in An
    Giang men of some families are "Chau …" and women "Néang …"."""
    own = Style(surnames=table(surnames), plain_male=table("- 4, Văn 1"),
                plain_female=table("Thị 3, - 1"), plain_share=((0.75, 0.7), (0.85, 0.8),
                                                                (0.95, 0.9)),
                own_male=table(_KHMER_OWN_M), own_female=table(_KHMER_OWN_F),
                own_share=(0.7, 0.8, 0.9), four_part=(0.0, 0.0, 0.0))
    kinh_like = Style(surnames=table(surnames), plain_share=_KINH_PLAIN)
    return MixedStyle(styles=Picker([(own, 0.7), (kinh_like, 0.3)]), families=table(surnames))


_KHMER_FAMILIES = "Thạch 25, Sơn 22, Kim 12, Danh 10, Lâm 8, Lý 6, Châu 5, Trần 3, Huỳnh 2, Triệu 2"

_STYLES: dict[str, AnyStyle] = {
    "02": _minority("Hoàng 22, Nông 14, Lương 7, Bế 6, Lục 4, Đàm 5, Hà 6, Triệu 4, Lưu 3, Ma 5, "
                    "Lý 4, Vi 3, Lăng 2, Hứa 2, Mông 2, Nguyễn 5, La 2, Đinh 2, Chu 2, Dương 2, "
                    "Hầu 1, Linh 1, Sầm 1, Ngôn 1, Quan 1, Lộc 1, Mã 1, Phùng 1, Tô 1, Mạc 1",
                    own_male=_TAY_NUNG_OWN_M, own_female=_TAY_NUNG_OWN_F,
                    own_share=(0.03, 0.08, 0.2)),
    "07": _minority("Hoàng 18, Nông 10, Lương 6, Lục 6, Đàm 4, Vi 5, Lý 7, Triệu 4, Mã 3, Hứa 4, "
                    "Lăng 4, Chu 4, Dương 3, Hầu 2, Linh 3, Sầm 2, Lành 1, Mông 2, Bế 2, La 2, "
                    "Phùng 2, Nguyễn 3, Tô 2, Lưu 2, Lô 1, Thẩm 1, Liễu 1, Ma 1",
                    own_male=_TAY_NUNG_OWN_M, own_female=_TAY_NUNG_OWN_F,
                    own_share=(0.04, 0.1, 0.25)),
    "03": _minority("Lò 20, Lường 12, Quàng 10, Cầm 8, Vì 8, Tòng 6, Hoàng 6, Điêu 4, Bạc 3, "
                    "Lù 3, Lê 2, Lương 4, Vi 4, Lô 3, Sầm 2, Lang 2, Hà 3, Ngân 2, Kha 1, Mè 1, "
                    "Khoàng 1, Sa 1, Tao 1",
                    own_male=_THAI_OWN_M, own_female=_THAI_OWN_F, own_share=_THAI_SHARE,
                    plain_share=_THAI_PLAIN),
    "08": _minority("Giàng 15, Vàng 15, Sùng 12, Thào 12, Lù 6, Ly 6, Lý 3, Hạng 6, Mùa 6, "
                    "Chang 3, Hờ 4, Vừ 4, Tráng 3, Cứ 3, Lầu 3, Mua 2, Thò 2, Sình 1",
                    own_male="Páo, Dế, Lử, Chứ, Phử, Sình, Dình, Tủa, Chồ, Lềnh, Nủ, Pó, Sử, Tỉnh, "
                             "Xá, Dia, Cở, Lồng, Súa, Pàng, Của, Chá, Giống, Khua, Nếnh, Phừ, Sò, "
                             "Vảng, Tếnh, Chính, Mua, Lụ, Sèo, Sếnh, Vư, Chu, Pao, Lừ",
                    own_female="Mỷ, Dở, Pằng, Sáy, Máy, Súa, Dua, Chư, Dợ, Mua, Cở, Sua, Pà, Dính, "
                               "Nhìa, Dú, Ghênh, Xúa, Say, Lỳ, Ỷ, Dế, Chía, Mái, Ca, Chò, Sinh, "
                               "Xá, Pó, Sầu, Ló",
                    own_share=(0.6, 0.8, 0.95), plain_male="A 45, Mí 12, Seo 12, Văn 25",
                    plain_female="Thị 9, Mí 1", plain_share=((0.85, 0.85), (0.95, 0.95),
                                                             (0.98, 0.98))),
    "09": _minority("Triệu 28, Bàn 25, Đặng 15, Chảo 8, Lý 10, Phùng 4, Tẩn 6, Hoàng 2",
                    own_male="Sinh, Kiều, Lở, San, Phú, Quý, Chòi, Liềm, Vần, Phin, Sài, Chàn, "
                             "Dền, Tòng, Lìu, Kim, Vẩy, Hin, Chài, Ón, Xuân, Phẩy, Lồng, Sểnh, "
                             "Chiêu, Chông",
                    own_female="Mây, Dung, Lở, Mẩy, Xuân, Sai, Nhàn, Liên, Kiềm, Chòi, Phây, "
                               "Nái, Tả, Hoa, Mùi, Chằn, Chiêm, Phin, Lìu, Siểu, Dào, Hiêng, Vìn, "
                               "Xiêm, Mai",
                    own_share=(0.35, 0.6, 0.85), plain_male="Văn 70, Láo 10, Tà 8, Kiềm 4",
                    plain_female="Thị 85, Tả 8, Mẩy 4"),
    "06": _minority("Bùi 33, Đinh 23, Quách 9, Hà 8, Xa 4, Bạch 4, Nguyễn 5, Phạm 4, Cao 2, "
                    "Trương 1, Hoàng 1, Lê 1",
                    plain_share=((0.45, 0.5), (0.85, 0.9), (0.95, 0.98))),
    "04": Style(surnames=table("Lý 10, Trương 10, Lâm 10, Quách 6, Lưu 6, Hứa 6, Diệp 5, Tăng 5, "
                               "Mạc 4, Huỳnh 6, Trần 8, Thái 4, La 3, Lư 3, Tô 3, Dương 4, "
                               "Vương 4, Châu 4, Hà 2, Lương 2, Ngô 3, Quan 2, Phùng 2, Mã 2, "
                               "Giang 2, Tạ 2, Trịnh 2"),
                plain_share=((0.15, 0.2), (0.3, 0.5), (0.6, 0.85)), four_part=(0.1, 0.02, 0.0)),
    "05": _khmer(_KHMER_FAMILIES),
    "12": _EDE,
    "10": _JARAI,
    "13": _a_y("Đinh 60, Nguyễn 10, Trần 5, Hồ 5, Lê 5", 0.5),
    "14": _a_y("Hồ 30, Đinh 20, Nguyễn 15, A Lăng 5", 0.6),
    "27": _a_y("Hồ 30, Đinh 20, Nguyễn 10, Bling 5", 0.6),
    "52": _a_y("Đinh 10, Nguyễn 5", 0.8),
    "54": _a_y("Đinh 10, Nguyễn 5", 0.8),
    "16": _KOHO,
    "20": _dieu("Điểu 5, Bon Jốc 1, Bu Krông 1", matrilineal=True),
    "22": _dieu("Điểu 10, Lâm 1"),
    "32": _dieu("Điểu 10, Lâm 1"),
    "28": _dieu("Điểu 10, Kiều 1"),
    "36": _minority("Touneh 20, Ma Ly 15, Ya 15, Bơ Nah 10, Ma Hoa 5", matrilineal=True,
                    plain_share=((0.3, 0.4), (0.6, 0.7), (0.8, 0.9))),
    "21": _minority("Pinăng 20, Chamaléa 20, Katơr 12, Mẫu 15, Cao 10, Mấu 5, Bo Bo 8, Lê 5",
                    matrilineal=True),
    "17": _minority("Thành 12, Châu 10, Đàng 10, Quảng 8, Trượng 6, Bá 6, Hán 6, Lưu 5, Phú 5, "
                    "Thuận 4, Thiên 4, Từ 3, Đạo 3, Nguyễn 5", matrilineal=True,
                    plain_share=((0.35, 0.45), (0.7, 0.85), (0.9, 0.95))),
    "19": _minority("Đinh 40, Phạm 25, Bùi 8, Nguyễn 5, Huỳnh 5, Lê 5, Trương 3"),
    "30": _minority("Đinh 30, Hồ 20, Phạm 15, Nguyễn 10, Lê 5"),
    "26": _minority("Alăng 12, Bhling 12, Zơrâm 10, Briu 8, Pơloong 8, Clâu 8, Coor 6, Hốih 4, "
                    "Ating 4, Tơngôl 4, Arất 4, Blup 3, Đinh 4, Nguyễn 3"),
    "31": _minority("Hồ 25, Kray 10, Quỳnh 8, Nhâm 8, Căn 8, Lê 8, Kăn 5, Ăm 4, Pả 3"),
    "23": _minority("Hồ 60, Lê 8, Nguyễn 5, Côn 3, Ly 2"),
    "44": _minority("Cao 30, Hồ 25, Đinh 20, Lê 10"),
    "24": _minority("Trương 12, Lê 15, Nguyễn 15, Hoàng 8, Phan 8, Đinh 6, Phạm 6, Trần 6, Vi 4",
                    plain_share=((0.35, 0.45), (0.7, 0.85), (0.9, 0.95))),
    "53": _minority("Lô 20, Lo 10, Vi 10, Hồ 5"),
    "29": _minority("Vi 12, Lò 15, Lù 10, Quàng 8, Cụt 6, Cầm 5, Lô 6, Xồng 4, Moong 4, Lữ 3",
                    own_male=_THAI_OWN_M, own_female=_THAI_OWN_F, own_share=_THAI_SHARE,
                    plain_share=_THAI_PLAIN),
    "33": _minority("Lò 20, Vì 15, Tòng 10, Quàng 10, Lường 10", own_male=_THAI_OWN_M,
                    own_female=_THAI_OWN_F, own_share=_THAI_SHARE, plain_share=_THAI_PLAIN),
    "34": _minority("Vì 20, Lò 15, Lường 10, Cầm 8, Quàng 8", own_male=_THAI_OWN_M,
                    own_female=_THAI_OWN_F, own_share=_THAI_SHARE, plain_share=_THAI_PLAIN),
    "37": _minority("Lò 20, Vi 15, Lường 12, Cầm 10, Vì 8", own_male=_THAI_OWN_M,
                    own_female=_THAI_OWN_F, own_share=_THAI_SHARE, plain_share=_THAI_PLAIN),
    "39": _minority("Lò 20, Quàng 15, Lường 12, Tòng 10, Lù 8", own_male=_THAI_OWN_M,
                    own_female=_THAI_OWN_F, own_share=_THAI_SHARE, plain_share=_THAI_PLAIN),
    "42": _minority("Lò 20, Tao 15, Đèo 10, Pờ 5", own_male=_THAI_OWN_M, own_female=_THAI_OWN_F,
                    own_share=_THAI_SHARE, plain_share=_THAI_PLAIN),
    "25": _minority("Lù 15, Hoàng 12, Vương 10, Sần 8, Lò 8, Chẩu 6, Thèn 5, Ly 4, Giàng 3, "
                    "Lục 3, Lồ 2", own_male="Dìn, Sính, Chảo, Phìn, Páo, Khìn, Hừ",
                    own_female="Mai, Sai, Dìn, Sở, Pha, Lìn", own_share=(0.15, 0.3, 0.5),
                    plain_share=_NORTH_SMALL_PLAIN),
    "35": _minority("Lý 15, Chu 15, Pờ 12, Phu 6, Sần 6, Lò 8, Ly 8, Sừng 5, Chang 5, Hù 4, "
                    "Phìn 3, Hờ 3",
                    own_male="Phìn, Xá, Sừ, Chừ, Hừ, Gò, Cà, Phú, Dế, Chà, Lì, Pà",
                    own_female="Lì, Sừ, Mò, Xá, Pà, Chừ, Cà, Ché, Mé, Hù, Xe",
                    own_share=(0.5, 0.7, 0.9), plain_male="A 40, Văn 40, Lỳ 10, Hà 10",
                    plain_female="Thị 55, Mé 20, Ú 15, Lỳ 10", plain_share=_NORTH_SMALL_PLAIN),
    "41": _minority("Lò 20, Chang 15, Pờ 10, Phàn 8, Chà 6, Li 8, Vàng 5, Giàng 4",
                    own_male="Xá, Pa, Phư, Chừ, Lè, Gò, Cà, Phí",
                    own_female="Mi, Na, Lu, Ca, Pơ, Xe, Nu", own_share=(0.5, 0.7, 0.9),
                    plain_male="Văn 50, A 30, Và 20", plain_female="Thị 80, Mù 20",
                    plain_share=_NORTH_SMALL_PLAIN),
    "43": _minority("Sình 15, Lò 12, Lù 10, Mè 8, Vàng 8, Lý 6, Sỹ 5, Lan 4, Dín 3",
                    own_male="Giáo, Páo, Chư, Thàng, Dìn", own_female="Mai, Sỉ, Dín, Pà, Mỷ",
                    own_share=(0.3, 0.5, 0.7), plain_share=_NORTH_SMALL_PLAIN),
    "46": _minority("Hoàng 20, Lộc 15, Đặng 10, Tẩn 5", plain_share=_NORTH_SMALL_PLAIN),
    "40": _minority("Vàng 20, Lù 15, Sùng 10, Tẩn 8, Ly 8, Hầu 5", plain_share=_NORTH_SMALL_PLAIN),
    "38": _minority("Vương 20, Lù 15, Ngù 10, Cháng 8, Hoàng 8", plain_share=_NORTH_SMALL_PLAIN),
    "47": _minority("Văn 10, Cháng 15, Tráng 10, Hồ 5, Mạc 5, Giàng 5",
                    plain_share=_NORTH_SMALL_PLAIN),
    "49": _minority("Lục 15, Sầm 12, Vương 10, Lồ 8, Hoàng 8", plain_share=_NORTH_SMALL_PLAIN),
    "51": _minority("Ly 15, Cháng 12, Sềnh 10, Vần 8, Thèn 6", plain_share=_NORTH_SMALL_PLAIN),
    "48": _minority("Chang 15, Lò 15, Pờ 10, Lý 8, Hù 5", plain_share=_NORTH_SMALL_PLAIN),
    "50": _minority("Hù 15, Lý 12, Pờ 10, Vàng 8, Lò 8", plain_share=_NORTH_SMALL_PLAIN),
    "45": _minority("Lò 15, Pờ 12, Chang 10, Ly 8, Vàng 6", plain_share=_NORTH_SMALL_PLAIN),
    "11": _minority("Trương 15, Lý 15, Phùng 10, Tạ 10, Chu 10, Dương 5, Lâm 5",
                    plain_share=((0.3, 0.4), (0.7, 0.8), (0.9, 0.95))),
    "15": _minority("Hoàng 12, Lâm 10, Trần 8, Nịnh 8, La 8, Lý 8, Lương 6, Đàm 6, Hầu 5, "
                    "Triệu 4, Dương 5, Vi 3"),
    "18": _minority("Trần 12, Lý 10, Lưu 8, Diệp 8, Hoàng 6, Đàm 6, Tạ 5, La 6, Ninh 5, Lục 4, "
                    "Trương 4, Dương 4"),
}

class _AnGiangKhmer(MixedStyle):
    """In An Giang, men of many Khmer families are "Chau …" and women "Néang …"."""

    def name(self, rng: random.Random, *, sex: str, generation: int, family: str,
             mother_family: str = "") -> str:
        name = super().name(rng, sex=sex, generation=generation, family=family,
                            mother_family=mother_family)
        if sex == FEMALE and name.startswith("Chau "):
            rest = name[len("Chau "):]
            return "Néang " + (rest[len("Thị "):] if rest.startswith("Thị ") else rest)
        return name


_KINH_STYLES = {key: _kinh(key) for key in _KINH_BY_REGION}
_AN_GIANG_FAMILIES = _KHMER_FAMILIES + ", Chau 25"
_KHMER_AN_GIANG = _AnGiangKhmer(styles=_khmer(_AN_GIANG_FAMILIES).styles,
                                families=table(_AN_GIANG_FAMILIES))


def _kinh_key(region: str) -> str:
    if region in (p.NORTH_MOUNTAIN, p.NORTH_DELTA):
        return "north"
    if region == p.NORTH_CENTRAL:
        return "north_central"
    if region in (p.CENTRAL_COAST, p.HIGHLANDS):
        return "central"
    return "south"


def style_for(ethnicity_code: str, *, region: str, province_code: str = "") -> AnyStyle:
    """The naming style of a people (Kinh names vary by region); Kinh-like for any other code."""
    if ethnicity_code == "05" and province_code == "91":
        return _KHMER_AN_GIANG
    style = _STYLES.get(ethnicity_code)
    if style is not None:
        return style
    return _KINH_STYLES[_kinh_key(region)]
