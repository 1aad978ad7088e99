"""The fund's public account over the API, without a token: the provinces whose fund publishes,
and a province's year — the same figures as its public page and JSON file
(`treem.fund.public`), in which small counts are already suppressed. Nothing here reads who
asks, so every answer is the same for everyone and may be kept a few minutes by caches."""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from ninja import Path, Router

from treem.api_support import error_body
from treem.fund import public
from treem.fund.api_schemas_public import (
    ProvinceCode,
    PublicFiguresOut,
    PublicFundOut,
    PublicMissingOut,
    PublicYear,
)
from treem.fund.public_views import CACHE_SECONDS, Missing

router = Router(tags=["fund"], auth=None)

CODE_TEXT = "Mã tỉnh, thành phố: 2 chữ số (04: Cao Bằng)."
YEAR_TEXT = ("Năm: một trong `years` của quỹ (danh sách /public/funds); năm khác 404, số "
             "ngoài 1900–2199 hay không phải số 422.")
CACHED = {"Cache-Control": {"description": "public, max-age=300: như trang công khai.",
                            "schema": {"type": "string", "maxLength": 100}}}


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _figures_url(code: str, year: int) -> str:
    return reverse("api:public_fund_figures", args=[code, year])


def _missing(missing: Missing, year: int) -> HttpResponse:
    """404 in the API's error shape, with the provinces that took over a dissolved one (the
    JSON file's answer): the message is the public page's."""
    heirs = [{"code": unit.code, "name": unit.name,
              "url": _figures_url(unit.code, year) if has else None}
             for unit, has in missing.heirs]
    body = {**error_body(404, missing.message), "successors": heirs}
    return _public(JsonResponse(body, status=404, content_type="application/json; charset=utf-8",
                                json_dumps_params={"ensure_ascii": False}))


@router.get("/public/funds", response=list[PublicFundOut],
            summary="Các quỹ bảo trợ trẻ em công khai số liệu (không cần đăng nhập)",
            openapi_extra={"responses": {200: {"headers": CACHED}}})
def public_fund_list(request: HttpRequest, response: HttpResponse) -> Any:
    """Every province's fund with a public account and the years it can be read for."""
    _public(response)
    return [{"province_code": fund.unit.code, "province": fund.unit.name, "fund": fund.name,
             "years": years} for fund, years in public.public_index()]


@router.get("/public/funds/{province_code}/{year}",
            response={200: PublicFiguresOut, 404: PublicMissingOut},
            summary="Số liệu công khai của quỹ một tỉnh trong một năm (không cần đăng nhập)",
            openapi_extra={"responses": {200: {"headers": CACHED}}})
def public_fund_figures(request: HttpRequest, response: HttpResponse,
                        province_code: Annotated[ProvinceCode, Path(example="04",
                                                                    description=CODE_TEXT)],
                        year: Annotated[PublicYear, Path(example=2026,
                                                         description=YEAR_TEXT)]) -> Any:
    """What the fund of the province with that code mobilised and spent in the year, its
    balance and honour roll, the children and households helped (1 to 4 as "< 5"): the
    public page's figures. 404 for a code no fund publishes under, or a year outside the
    fund's (`years` of the list); a province dissolved in 2025 names in `successors` the
    provinces that took it over."""
    try:
        fund = public.public_fund(province_code)
    except public.NoPublicFund as gone:
        funds = public.public_funds()
        return _missing(Missing(province_code, str(year), gone.former,
                                [(unit, funds.filter(unit=unit).exists())
                                 for unit in gone.successors]), year)
    years = public.public_years(fund)
    if year not in years:
        return _missing(Missing(province_code, str(year), fund=fund, years=years), year)
    _public(response)
    return public.public_figures(fund=fund, year=year).as_json()
