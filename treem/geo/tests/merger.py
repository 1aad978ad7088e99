"""The plans' districts and what they became on 1 July 2025, as the national data set has it
(vietnamadminunits, converter_2025), small enough for a test: Bình Long (Bình Phước) and Bắc
Sơn (Lạng Sơn), with a commune of a neighbouring district that went into one of Bình Long's
wards, and an old commune of Đồng Nai that stayed out of Bình Long's area.

Today's codes repeat old ones, as in the data: Phường Bình Long is 25326 (Phú Đức's), Phường An
Lộc is 25333 (Thanh Lương's), Xã Bắc Sơn is 06325 (Thị trấn Bắc Sơn's).
"""

from dataclasses import dataclass, field

from treem.geo.models import REORGANISATION_DATE, Level, SuccessionKind, Unit, UnitSuccession
from treem.testing import Tree, make_unit


@dataclass
class Merger:
    binh_phuoc: Unit            # dissolved province (70)
    old_dong_nai: Unit          # dissolved province (75)
    binh_long: Unit             # dissolved district (690), the plan's owner
    hon_quan: Unit              # dissolved district (694), a neighbour
    bien_hoa: Unit              # dissolved district of old Đồng Nai (731)
    old_communes: dict[str, Unit] = field(default_factory=dict)   # Bình Long's six, by name
    thanh_binh: Unit | None = None    # Hớn Quản's commune that went into Phường Bình Long
    trang_dai: Unit | None = None     # Biên Hòa's, stays out of Bình Long's area
    dong_nai: Unit | None = None      # today's province (75)
    phuong_binh_long: Unit | None = None
    phuong_an_loc: Unit | None = None
    phuong_tran_bien: Unit | None = None   # today's ward of old Trảng Dài
    old_lang_son: Unit | None = None
    bac_son: Unit | None = None       # dissolved district (185)
    bac_son_communes: dict[str, Unit] = field(default_factory=dict)
    lang_son: Unit | None = None
    xa_bac_son: Unit | None = None
    xa_hung_vu: Unit | None = None


def _link(old: Unit, new: Unit, kind: str = SuccessionKind.WHOLE,
          is_default: bool = True) -> None:
    UnitSuccession.objects.create(predecessor=old, successor=new, kind=kind,
                                  is_default=is_default, effective_on=REORGANISATION_DATE)


def make_merger(tree: Tree) -> Merger:
    nation = tree.nation
    binh_phuoc = make_unit(parent=nation, level=Level.PROVINCE, code="70",
                           name="Tỉnh Bình Phước", province_code="70", current=False)
    old_dong_nai = make_unit(parent=nation, level=Level.PROVINCE, code="75",
                             name="Tỉnh Đồng Nai", province_code="75", current=False)
    binh_long = make_unit(parent=binh_phuoc, level=Level.DISTRICT, code="690",
                          name="Thị xã Bình Long", current=False)
    hon_quan = make_unit(parent=binh_phuoc, level=Level.DISTRICT, code="694",
                         name="Huyện Hớn Quản", current=False)
    bien_hoa = make_unit(parent=old_dong_nai, level=Level.DISTRICT, code="731",
                         name="Thành phố Biên Hòa", current=False)
    m = Merger(binh_phuoc, old_dong_nai, binh_long, hon_quan, bien_hoa)
    for code, name in (("25320", "Phường Hưng Chiến"), ("25324", "Phường An Lộc"),
                       ("25325", "Phường Phú Thịnh"), ("25326", "Phường Phú Đức"),
                       ("25333", "Xã Thanh Lương"), ("25336", "Xã Thanh Phú")):
        m.old_communes[name] = make_unit(parent=binh_long, level=Level.COMMUNE, code=code,
                                         name=name, current=False)
    m.thanh_binh = make_unit(parent=hon_quan, level=Level.COMMUNE, code="25354",
                             name="Xã Thanh Bình", current=False)
    m.trang_dai = make_unit(parent=bien_hoa, level=Level.COMMUNE, code="25993",
                            name="Phường Trảng Dài", current=False)
    m.dong_nai = make_unit(parent=nation, level=Level.PROVINCE, code="75", name="Tỉnh Đồng Nai",
                           province_code="75")
    m.phuong_binh_long = make_unit(parent=m.dong_nai, level=Level.COMMUNE, code="25326",
                                   name="Phường Bình Long")
    m.phuong_an_loc = make_unit(parent=m.dong_nai, level=Level.COMMUNE, code="25333",
                                name="Phường An Lộc")
    m.phuong_tran_bien = make_unit(parent=m.dong_nai, level=Level.COMMUNE, code="25993",
                                   name="Phường Trấn Biên")
    _link(binh_phuoc, m.dong_nai)
    _link(old_dong_nai, m.dong_nai)
    for name in ("Phường Hưng Chiến", "Phường An Lộc", "Phường Phú Đức"):
        _link(m.old_communes[name], m.phuong_binh_long)
    _link(m.thanh_binh, m.phuong_binh_long)
    for name in ("Phường Phú Thịnh", "Xã Thanh Lương", "Xã Thanh Phú"):
        _link(m.old_communes[name], m.phuong_an_loc)
    _link(m.trang_dai, m.phuong_tran_bien)

    m.old_lang_son = make_unit(parent=nation, level=Level.PROVINCE, code="20",
                               name="Tỉnh Lạng Sơn", province_code="20", current=False)
    m.bac_son = make_unit(parent=m.old_lang_son, level=Level.DISTRICT, code="185",
                          name="Huyện Bắc Sơn", current=False)
    for code, name in (("06325", "Thị trấn Bắc Sơn"), ("06328", "Xã Long Đống"),
                       ("06343", "Xã Bắc Quỳnh"), ("06349", "Xã Hưng Vũ"),
                       ("06370", "Xã Trấn Yên")):
        m.bac_son_communes[name] = make_unit(parent=m.bac_son, level=Level.COMMUNE, code=code,
                                             name=name, current=False)
    m.lang_son = make_unit(parent=nation, level=Level.PROVINCE, code="20", name="Tỉnh Lạng Sơn",
                           province_code="20")
    m.xa_bac_son = make_unit(parent=m.lang_son, level=Level.COMMUNE, code="06325",
                             name="Xã Bắc Sơn")
    m.xa_hung_vu = make_unit(parent=m.lang_son, level=Level.COMMUNE, code="06349",
                             name="Xã Hưng Vũ")
    _link(m.old_lang_son, m.lang_son)
    for name in ("Thị trấn Bắc Sơn", "Xã Long Đống", "Xã Bắc Quỳnh"):
        _link(m.bac_son_communes[name], m.xa_bac_son)
    for name in ("Xã Hưng Vũ", "Xã Trấn Yên"):
        _link(m.bac_son_communes[name], m.xa_hung_vu)
    return m
