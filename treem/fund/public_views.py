"""The fund's public account, without signing in: the provinces whose fund publishes, and a
province's year as a page and as JSON (`treem.fund.public`). Both render the same figures, in
which small counts are already suppressed; nothing here reads who asks, so every answer is the
same for everyone and may be kept a few minutes by the browser and any cache on the way."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from treem.fund import public
from treem.fund.models import Fund
from treem.geo.models import Unit

CACHE_SECONDS = 300  # a new gift shows within five minutes
HONOURED_PER_PAGE = 50


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@dataclass(frozen=True)
class Missing:
    """Why a province's year is not there, and where to look instead."""

    code: str
    year: str                                       # as the address says it
    former: Unit | None = None                      # a province dissolved in 2025
    heirs: list[tuple[Unit, bool]] = field(default_factory=list)  # (province, has a fund)
    fund: Fund | None = None                        # the fund, without figures that year
    years: list[int] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.fund is not None:
            return _("%(fund)s chưa có số liệu năm %(year)s.") % {"fund": self.fund.name,
                                                                  "year": self.year}
        if self.former is not None:
            heirs = ", ".join(unit.name for unit, _has in self.heirs) or _("tỉnh khác")
            return _("%(former)s đã sắp xếp lại từ ngày 01/07/2025; quỹ của địa bàn này nay "
                     "thuộc %(heirs)s.") % {"former": self.former.name, "heirs": heirs}
        return _("Không có tỉnh, thành phố nào mã %(code)s công khai quỹ trên hệ thống.") % {
            "code": self.code}


def _found(code: str, year: str) -> tuple[Fund, list[int]] | Missing:
    """(the fund, its years), or why not: a code of a province dissolved in 2025 points to
    the provinces that took it over."""
    try:
        fund = public.public_fund(code)
    except public.NoPublicFund as gone:
        funds = public.public_funds()
        return Missing(code, year, gone.former,
                       [(unit, funds.filter(unit=unit).exists()) for unit in gone.successors])
    years = public.public_years(fund)
    if int(year) not in years:
        return Missing(code, year, fund=fund, years=years)
    return fund, years


def public_index_view(request: HttpRequest) -> HttpResponse:
    return _public(render(request, "fund/public/index.html",
                          {"funds": public.public_index()}))


def public_view(request: HttpRequest, code: str, year: str) -> HttpResponse:
    found = _found(code, year)
    if isinstance(found, Missing):
        return _public(render(request, "fund/public/missing.html", {"missing": found},
                              status=404))
    fund, years = found
    figures = public.public_figures(fund=fund, year=int(year)).as_json()
    honoured = Paginator(figures["honoured"], HONOURED_PER_PAGE).get_page(
        request.GET.get("page"))
    return _public(render(request, "fund/public/page.html", {
        "f": figures, "years": years, "honoured": honoured,
        "json_url": reverse("fund:public_json", args=[code, year])}))


def public_json_view(request: HttpRequest, code: str, year: str) -> HttpResponse:
    found = _found(code, year)
    if isinstance(found, Missing):
        heirs = [{"code": unit.code, "name": unit.name,
                  "url": reverse("fund:public", args=[unit.code, year]) if has else None}
                 for unit, has in found.heirs]
        return _public(JsonResponse({"detail": found.message, "successors": heirs},
                                    status=404, json_dumps_params={"ensure_ascii": False}))
    fund, _years = found
    return _public(JsonResponse(public.public_figures(fund=fund, year=int(year)).as_json(),
                                json_dumps_params={"ensure_ascii": False}))
