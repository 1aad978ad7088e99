"""The shapes of the fund's areas over the API (`treem.fund.api`): beside `api_schemas`, which
is at its 400 lines. An area has no public id: it is named by its row's id, as an earmark is,
and names no one."""

from typing import Annotated

from ninja import Field, Schema

from treem.api_support import BodyBool, Input, Text, Whole
from treem.fund.api_schemas import RESTRICTION_ID_MAX
from treem.fund.models import Area
from treem.lib.limits import LIST_MAX

Codes = Annotated[list[Annotated[str, Text(16)]], Field(max_length=LIST_MAX)]
AreaId = Annotated[int, Whole(1, RESTRICTION_ID_MAX, query=True)]


class AreaOut(Schema):
    """An area; its `id` is what a gift's `restriction.area` names."""

    id: int = Field(alias="pk")
    name: str
    mountain: bool  # counted by the mountain-commune priority rule
    units: list[str]  # its communes' codes
    earmarked: bool  # an earmark names it: its communes decide what that money pays for

    @staticmethod
    def resolve_units(a: Area) -> list[str]:
        return sorted(unit.code for unit in a.units.all())


class AreaIn(Input):
    name: Annotated[str, Text(200)]
    units: Codes  # current communes of the fund's province
    mountain: BodyBool = False


class AreaRead(Input):
    """The values of an area a client read (GET), each optional: the precondition of its
    edit (`base`)."""

    name: Annotated[str, Text(200)] = ""
    units: Codes = []
    mountain: BodyBool = False


class AreaPatch(Input):
    """Only the fields sent change; `units` replaces the area's communes."""

    name: Annotated[str, Text(200)] = ""
    units: Codes = []
    mountain: BodyBool = False
    confirm_earmark: BodyBool = False  # needed to change the communes of an earmarked area
    base: AreaRead | None = Field(None, description=(
        "Giá trị bạn đã đọc (GET) của các trường bạn gửi: `name`, `mountain`, `units` (mã các "
        "xã, phường). Nếu người khác đã sửa một trường bạn gửi sau khi bạn đọc (giá trị đã lưu "
        "khác cả giá trị bạn đọc lẫn giá trị bạn gửi): 409, `conflicts` nêu từng trường với "
        "giá trị của bạn, giá trị đã lưu, ai lưu và lúc nào; không ghi gì. Nếu không, thay "
        "đổi của bạn được ghi, các trường bạn không gửi giữ như đã lưu. Trường gửi mà `base` "
        "không nêu thì được so với giá trị đã lưu. Không gửi `base`: không kiểm tra, lần ghi "
        "sau cùng được giữ."))
