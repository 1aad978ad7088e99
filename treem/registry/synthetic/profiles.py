"""What a province looks like to the generator: ethnic mix, terrain, poverty, village words.

The 34 provinces of the structure from 1 July 2025. Ethnic shares are rough, from the 2019
census (Tổng điều tra dân số và nhà ở 2019) added up over the provinces that were merged into
each new one, in percent of the population; the generator normalises them. Poverty rates are
rough shares of households with children that are poor / near-poor under the multidimensional
standard of 2022–2025 (Nghị định 07/2021/NĐ-CP), higher in the northern mountains and the
Central Highlands. They make the data look like the place; they are not statistics to report.

Ethnic codes are those of the GSO list (QĐ 121-TCTK/PPCĐ, 1979): 01 Kinh, 02 Tày, 03 Thái,
04 Hoa, 05 Khmer, 06 Mường, 07 Nùng, 08 Mông, 09 Dao, 10 Gia Rai, 12 Ê Đê, 13 Ba Na, …
Every one of the 54 peoples appears in the mix of at least one province.
"""

from dataclasses import dataclass, field

KINH = "01"

# Regions decide village words, Kinh name variants (Hoàng/Huỳnh, Vũ/Võ) and address style.
NORTH_MOUNTAIN = "north_mountain"
NORTH_DELTA = "north_delta"
NORTH_CENTRAL = "north_central"
CENTRAL_COAST = "central_coast"
HIGHLANDS = "highlands"
SOUTHEAST = "southeast"
MEKONG = "mekong"
SOUTHERN_REGIONS = (SOUTHEAST, MEKONG)


@dataclass(frozen=True)
class Profile:
    name: str
    region: str
    # 0 lowland, 1 midland or partly mountainous, 2 mountainous: poverty, schooling, dropout,
    # birth registration and nutrition follow it.
    terrain: int
    poor: float
    near_poor: float
    mix: dict[str, float]
    # Word for a rural village of Kinh population, with weights; villages of other peoples
    # take their own word where they have one (bản, buôn, làng, sóc: see `places`).
    village_kinds: dict[str, float] = field(default_factory=dict)
    # Word for a residential group of a ward (phường).
    ward_kind: str = "Tổ dân phố"
    # Share of households registered as temporary residents (tạm trú): migrant workers.
    temporary: float = 0.02
    # Whether trafficking across a land border is a recognised risk (more group m cases).
    border: bool = False


def _p(name: str, region: str, terrain: int, poor: float, near_poor: float,
       mix: dict[str, float], **extra: object) -> Profile:
    kinds = extra.pop("village_kinds", None) or _DEFAULT_KINDS[region]
    return Profile(name=name, region=region, terrain=terrain, poor=poor, near_poor=near_poor,
                   mix=mix, village_kinds=kinds, **extra)  # type: ignore[arg-type]


_DEFAULT_KINDS: dict[str, dict[str, float]] = {
    NORTH_MOUNTAIN: {"Thôn": 0.6, "Bản": 0.25, "Xóm": 0.15},
    NORTH_DELTA: {"Thôn": 0.75, "Xóm": 0.25},
    NORTH_CENTRAL: {"Thôn": 0.7, "Xóm": 0.2, "Bản": 0.1},
    CENTRAL_COAST: {"Thôn": 1.0},
    HIGHLANDS: {"Thôn": 1.0},
    SOUTHEAST: {"Ấp": 1.0},
    MEKONG: {"Ấp": 1.0},
}

PROFILES: dict[str, Profile] = {
    "01": _p("Hà Nội", NORTH_DELTA, 0, 0.003, 0.008,
             {"01": 98.5, "06": 0.8, "02": 0.3, "03": 0.1, "07": 0.1, "09": 0.1, "04": 0.1},
             temporary=0.06),
    "04": _p("Cao Bằng", NORTH_MOUNTAIN, 2, 0.22, 0.12,
             {"02": 41.0, "07": 31.0, "08": 10.5, "09": 10.0, "01": 6.0, "15": 1.0, "43": 0.3,
              "04": 0.2},
             village_kinds={"Xóm": 0.5, "Thôn": 0.3, "Bản": 0.2}, border=True),
    "08": _p("Tuyên Quang", NORTH_MOUNTAIN, 2, 0.18, 0.10,
             {"01": 28.0, "02": 24.0, "08": 18.5, "09": 13.6, "07": 6.2, "15": 4.0, "25": 1.0,
              "38": 0.8, "18": 0.8, "46": 0.4, "40": 0.3, "43": 0.2, "47": 0.2, "49": 0.1,
              "51": 0.05, "04": 0.3, "06": 0.3}, border=True),
    "11": _p("Điện Biên", NORTH_MOUNTAIN, 2, 0.26, 0.10,
             {"08": 35.0, "03": 34.6, "01": 17.6, "29": 3.3, "35": 1.3, "37": 1.0, "09": 1.0,
              "33": 0.7, "04": 0.5, "48": 0.2, "40": 0.1, "50": 0.1},
             village_kinds={"Bản": 0.8, "Thôn": 0.1, "Xóm": 0.1}, border=True),
    "12": _p("Lai Châu", NORTH_MOUNTAIN, 2, 0.24, 0.10,
             {"03": 32.0, "08": 25.0, "01": 14.0, "09": 13.0, "25": 5.0, "35": 3.7, "41": 2.2,
              "42": 1.3, "29": 1.0, "45": 0.8, "48": 0.5, "33": 0.5, "37": 0.3, "50": 0.2},
             village_kinds={"Bản": 0.85, "Thôn": 0.15}, border=True),
    "14": _p("Sơn La", NORTH_MOUNTAIN, 2, 0.14, 0.09,
             {"03": 53.0, "01": 17.0, "08": 15.5, "06": 8.0, "09": 2.0, "34": 2.0, "29": 1.2,
              "39": 0.7, "33": 0.7, "37": 0.5, "02": 0.3},
             village_kinds={"Bản": 0.85, "Thôn": 0.15}, border=True),
    "15": _p("Lào Cai", NORTH_MOUNTAIN, 2, 0.09, 0.07,
             {"01": 44.0, "08": 17.5, "02": 16.5, "09": 12.5, "03": 4.0, "25": 2.2, "07": 2.2,
              "40": 0.7, "06": 0.6, "35": 0.3, "49": 0.1, "38": 0.1, "29": 0.1}, border=True),
    "19": _p("Thái Nguyên", NORTH_MOUNTAIN, 1, 0.05, 0.05,
             {"01": 60.0, "02": 19.0, "07": 6.5, "09": 5.0, "15": 2.0, "18": 1.6, "08": 2.0,
              "04": 0.5, "06": 0.3},
             village_kinds={"Xóm": 0.6, "Thôn": 0.3, "Bản": 0.1}),
    "20": _p("Lạng Sơn", NORTH_MOUNTAIN, 2, 0.09, 0.08,
             {"07": 42.9, "02": 35.9, "01": 16.5, "09": 3.6, "15": 0.5, "04": 0.4, "08": 0.2},
             village_kinds={"Thôn": 0.85, "Bản": 0.15}, border=True),
    "22": _p("Quảng Ninh", NORTH_DELTA, 1, 0.01, 0.01,
             {"01": 87.0, "09": 5.0, "02": 3.6, "18": 1.8, "15": 1.5, "07": 0.5, "04": 0.4,
              "11": 0.02},
             village_kinds={"Thôn": 0.8, "Khu": 0.2}, ward_kind="Khu phố", border=True),
    "24": _p("Bắc Ninh", NORTH_DELTA, 1, 0.02, 0.02,
             {"01": 93.0, "07": 2.5, "02": 1.5, "15": 1.1, "18": 0.9, "04": 0.6, "09": 0.5,
              "11": 0.02},
             temporary=0.07),
    "25": _p("Phú Thọ", NORTH_MOUNTAIN, 1, 0.05, 0.05,
             {"01": 74.6, "06": 21.6, "09": 1.0, "03": 1.0, "18": 0.9, "02": 0.8, "08": 0.1},
             village_kinds={"Xóm": 0.4, "Thôn": 0.45, "Bản": 0.15}),
    "31": _p("Hải Phòng", NORTH_DELTA, 0, 0.004, 0.01, {"01": 99.7, "04": 0.1, "02": 0.1},
             temporary=0.04),
    "33": _p("Hưng Yên", NORTH_DELTA, 0, 0.01, 0.015, {"01": 99.8, "06": 0.1}),
    "37": _p("Ninh Bình", NORTH_DELTA, 0, 0.01, 0.015, {"01": 99.5, "06": 0.4}),
    "38": _p("Thanh Hóa", NORTH_CENTRAL, 1, 0.04, 0.05,
             {"01": 82.0, "06": 9.0, "03": 6.0, "08": 0.5, "24": 0.2, "09": 0.2, "29": 0.1}),
    "40": _p("Nghệ An", NORTH_CENTRAL, 1, 0.05, 0.05,
             {"01": 85.2, "03": 9.6, "24": 2.3, "29": 1.3, "08": 1.1, "53": 0.02},
             border=True),
    "42": _p("Hà Tĩnh", NORTH_CENTRAL, 0, 0.03, 0.04,
             {"01": 99.8, "44": 0.05, "37": 0.05, "06": 0.05, "03": 0.05}),
    "44": _p("Quảng Trị", NORTH_CENTRAL, 1, 0.05, 0.05,
             {"01": 94.0, "23": 4.8, "31": 0.7, "44": 0.4}, border=True),
    "46": _p("Huế", CENTRAL_COAST, 0, 0.02, 0.02,
             {"01": 96.0, "31": 2.4, "26": 1.2, "23": 0.4}),
    "48": _p("Đà Nẵng", CENTRAL_COAST, 1, 0.02, 0.02,
             {"01": 95.8, "26": 2.1, "14": 1.4, "27": 0.7, "30": 0.1, "04": 0.2}),
    "51": _p("Quảng Ngãi", CENTRAL_COAST, 1, 0.07, 0.05,
             {"01": 74.6, "14": 8.6, "19": 7.3, "13": 4.0, "27": 1.8, "30": 1.6, "10": 1.3,
              "03": 0.2, "02": 0.2, "06": 0.1, "07": 0.1, "52": 0.02, "54": 0.03}),
    "52": _p("Gia Lai", HIGHLANDS, 1, 0.05, 0.05,
             {"01": 75.0, "10": 15.2, "13": 8.2, "19": 0.3, "02": 0.3, "07": 0.2, "17": 0.1,
              "03": 0.2, "06": 0.2}),
    "56": _p("Khánh Hòa", CENTRAL_COAST, 0, 0.03, 0.03,
             {"01": 88.6, "21": 6.3, "17": 3.9, "04": 0.35, "16": 0.3, "12": 0.2}),
    "66": _p("Đắk Lắk", HIGHLANDS, 1, 0.05, 0.05,
             {"01": 74.0, "12": 12.3, "07": 3.0, "02": 2.1, "20": 1.5, "08": 1.1, "09": 0.9,
              "10": 0.8, "03": 0.7, "06": 0.6, "17": 0.8, "13": 0.2, "14": 0.1, "15": 0.1}),
    "68": _p("Lâm Đồng", HIGHLANDS, 1, 0.03, 0.04,
             {"01": 80.3, "16": 5.0, "28": 1.3, "07": 2.2, "02": 1.8, "17": 1.25, "04": 0.9,
              "20": 1.6, "36": 0.6, "21": 0.6, "09": 0.8, "08": 0.8, "03": 0.4, "06": 0.4,
              "12": 0.2, "22": 0.1}),
    "75": _p("Đồng Nai", SOUTHEAST, 0, 0.01, 0.015,
             {"01": 90.0, "04": 2.1, "22": 2.1, "07": 1.1, "02": 0.9, "05": 0.6, "32": 0.45,
              "20": 0.25, "09": 0.2, "28": 0.1, "06": 0.2, "03": 0.1, "08": 0.1, "17": 0.1},
             ward_kind="Khu phố", temporary=0.08),
    "79": _p("Hồ Chí Minh", SOUTHEAST, 0, 0.002, 0.004,
             {"01": 93.5, "04": 4.5, "05": 0.6, "17": 0.1, "02": 0.2, "07": 0.2, "06": 0.2,
              "03": 0.1, "32": 0.1},
             ward_kind="Khu phố", temporary=0.12),
    "80": _p("Tây Ninh", MEKONG, 0, 0.01, 0.015, {"01": 99.0, "05": 0.6, "17": 0.2, "04": 0.15},
             ward_kind="Khu phố", border=True),
    "82": _p("Đồng Tháp", MEKONG, 0, 0.015, 0.02, {"01": 99.8, "04": 0.1, "05": 0.05},
             ward_kind="Khóm", border=True),
    "86": _p("Vĩnh Long", MEKONG, 0, 0.02, 0.03, {"01": 90.5, "05": 8.7, "04": 0.6},
             ward_kind="Khóm"),
    "91": _p("An Giang", MEKONG, 0, 0.02, 0.03, {"01": 90.1, "05": 8.2, "04": 1.4, "17": 0.3},
             village_kinds={"Ấp": 0.95, "Sóc": 0.05}, ward_kind="Khóm", border=True),
    "92": _p("Cần Thơ", MEKONG, 0, 0.02, 0.03, {"01": 85.8, "05": 12.0, "04": 2.7},
             village_kinds={"Ấp": 0.95, "Sóc": 0.05}, ward_kind="Khu phố"),
    "96": _p("Cà Mau", MEKONG, 0, 0.02, 0.03, {"01": 93.4, "05": 4.8, "04": 1.7},
             ward_kind="Khóm"),
}

_DEFAULT = Profile(name="", region=NORTH_DELTA, terrain=0, poor=0.02, near_poor=0.02,
                   mix={"01": 97.0, "06": 1.0, "02": 0.5, "03": 0.5, "04": 0.5, "07": 0.5},
                   village_kinds=_DEFAULT_KINDS[NORTH_DELTA])


def profile_for(province_code: str) -> Profile:
    """The profile of a current province; a mostly Kinh lowland one for any other code."""
    return PROFILES.get(province_code, _DEFAULT)
