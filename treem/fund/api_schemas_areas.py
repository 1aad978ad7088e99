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


class AreaPatch(Input):
    """Only the fields sent change; `units` replaces the area's communes."""

    name: Annotated[str, Text(200)] = ""
    units: Codes = []
    mountain: BodyBool = False
    confirm_earmark: BodyBool = False  # needed to change the communes of an earmarked area
