"""The shapes of the fund's public account over the API (`treem.fund.api_public`): the same
figures as the JSON file of the public page (`PublicFigures.as_json`), field for field, with
their types stated so that a client (and schemathesis) can check every answer. They name no
child and no household: counts, sums, communes and the donors who agreed to be named."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from treem.api_support import ErrorOut, Matching, Whole
from treem.lib.limits import MAX_YEAR, MIN_YEAR

# A province's official code, as the public page's address takes it ("04": Cao Bằng).
ProvinceCode = Annotated[str, Matching("^[0-9]{2}$", "2 chữ số, ví dụ 04", max_length=2)]
# Any year a gift can be dated in (treem.lib.limits); which of them a fund publishes is
# `public_years`' (404 for the others).
PublicYear = Annotated[int, Whole(MIN_YEAR, MAX_YEAR, query=True)]

# A count of children or households as published: the number, or "< 5" from 1 to 4
# (`treem.fund.public.SMALL_TEXT`), so that no child of a small commune can be singled out.
Shown = int | Literal["< 5"]


class PublicTotalOut(Schema):
    """Money and goods (at their estimated value) received in a quarter, or in the year."""

    label: str
    money: int
    goods: int
    total: int


class PublicCampaignOut(Schema):
    """A campaign that ran in the year: what it raised in all against its goal."""

    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    dates: str = Field(description="Các ngày của đợt, dd/mm/yyyy–dd/mm/yyyy.")
    goal: int
    money: int
    goods: int
    total: int
    percent: int = Field(description="Phần trăm mục tiêu đã đạt (số nguyên).")


class PublicSpentOut(Schema):
    """The support delivered in the year under one kind of support, or in one commune."""

    code: str = Field(description="Mã loại hỗ trợ, hay mã xã, phường (trống: dòng cộng chung).")
    label: str
    amount: int | None = Field(description="Số tiền (đồng); null: xã, phường có dưới 5 đối "
                                            "tượng, số tiền cộng vào dòng `grouped`.")
    children: Shown = Field(description="Số trẻ em được hỗ trợ; từ 1 đến 4 ghi \"< 5\".")
    households: Shown = Field(description="Số hộ được hỗ trợ; từ 1 đến 4 ghi \"< 5\".")


class PublicBalanceOut(Schema):
    """The balance held at the year's start and end, which the year's figures reconcile."""

    opening: int
    mobilised: int
    spent: int
    returned: int
    closing: int


class PublicDonorOut(Schema):
    """A donor named publicly with what it gave in the year, or every other donor as one."""

    name: str
    kind: str
    money: int
    goods: int
    total: int


class PublicFiguresOut(Schema):
    """A province's fund in one year, as its public page and JSON file publish it."""

    fund: str
    province_code: str
    province: str
    year: int
    as_of: datetime.date = Field(description="Số liệu tính đến ngày này (cuối năm, hoặc hôm "
                                             "nay với năm đang diễn ra).")
    as_of_label: str
    by_quarter: list[PublicTotalOut]
    mobilised: PublicTotalOut
    campaigns: list[PublicCampaignOut]
    by_kind: list[PublicSpentOut]
    by_commune: list[PublicSpentOut]
    grouped: PublicSpentOut | None = Field(description="Các xã, phường có số tiền không công "
                                                       "bố riêng, cộng chung một dòng.")
    balance: PublicBalanceOut
    children: Shown
    households: Shown
    honoured: list[PublicDonorOut] = Field(description="Nhà tài trợ đồng ý nêu tên, đóng góp "
                                                       "lớn trước.")
    anonymous: PublicDonorOut = Field(description="Mọi nhà tài trợ khác, một dòng.")
    small_counts: str


class PublicFundOut(Schema):
    """A province's fund that publishes its account, and the years it can be read for."""

    province_code: str
    province: str
    fund: str
    years: list[int]


class PublicSuccessorOut(Schema):
    code: str
    name: str
    url: str | None = Field(description="Số liệu của tỉnh này năm đó qua API; null: tỉnh "
                                        "chưa có quỹ trên hệ thống.")


class PublicMissingOut(ErrorOut):
    """404: no fund publishes under that code, or not for that year. A province dissolved in
    2025 names the provinces that took it over in `successors`."""

    successors: list[PublicSuccessorOut] = Field(default_factory=list)
