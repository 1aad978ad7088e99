"""The pages measured: each role's home, and the main page of each kind under the role that uses it.

A page whose address depends on the demo's data (a case, a report) is found by following the
first matching link from the pages where a user would find it, so the list survives new demo data;
a page two links away (an allocation's delivery form) by following a second link from the first.
"""

import re
from dataclasses import dataclass

from playwright.sync_api import Page

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@dataclass(frozen=True)
class Target:
    username: str
    label: str
    path: str = ""                        # a fixed address, or
    find: tuple[str, ...] = ()            # pages whose first link matching `pattern` is followed
    pattern: str = ""
    then: str = ""                        # then the first link matching this on the page found
    fallback: str = ""                    # when no such link exists (yet) in the demo


TWO_FACTOR = "two-factor (first sign-in)"

ROLES = {
    "": "Chưa đăng nhập",
    "demo.ctv": "Cộng tác viên thôn",
    "demo.xa": "Người làm công tác bảo vệ trẻ em cấp xã",
    "demo.chutich": "Chủ tịch UBND cấp xã",
    "demo.tinh": "Cán bộ tỉnh",
    "demo.congan": "Đầu mối ngành (công an)",
    "demo.giaoduc": "Đầu mối ngành (giáo dục)",
    "demo.tongdai": "Tổng đài 111",
    "demo.thanhtra": "Thanh tra",
    "demo.quy": "Quỹ bảo trợ trẻ em",
    "demo.lanhdao": "Lãnh đạo phê duyệt chi Quỹ bảo trợ trẻ em",
    "demo.quantri": "Quản trị hệ thống",
}

PAGES: tuple[Target, ...] = (
    Target("", "sign-in", path="/accounts/login/"),
    *(Target(username, "home", path="/") for username in ROLES if username),
    Target("demo.xa", "child list", path="/children/"),
    Target("demo.xa", "child form", path="/children/new/"),
    Target("demo.xa", "case page", find=("/", "/cases/"), pattern=rf"^/cases/{UUID}/$",
           fallback="/cases/"),
    Target("demo.xa", "report page", find=("/", "/reports/"), pattern=rf"^/reports/({UUID}/|\?schedule=)",
           fallback="/reports/"),
    Target("demo.tongdai", "intake form", path="/cases/notifications/new/"),
    Target("demo.tinh", "dashboard", path="/indicators/"),
    Target("demo.tinh", "report page", find=("/", "/reports/"),
           pattern=rf"^/reports/({UUID}/|\?schedule=)", fallback="/reports/"),
    Target("demo.tinh", "plan page", find=("/plans/",), pattern=rf"^/plans/{UUID}/$",
           fallback="/plans/"),
    Target("demo.congan", "task page", find=("/plans/tasks/",),
           pattern=rf"^/plans/tasks/{UUID}/$", fallback="/plans/tasks/"),
    Target("demo.xa", "activity form", path="/plans/activities/new/?type=children-forum"),
    Target("demo.xa", "activity page", find=("/plans/activities/",),
           pattern=rf"^/plans/activities/{UUID}/$", fallback="/plans/activities/"),
    Target("demo.xa", "child-friendly assessment", find=("/plans/child-friendly/",),
           pattern=rf"^/plans/child-friendly/{UUID}/$", fallback="/plans/child-friendly/"),
    Target("demo.giaoduc", "recommendation", find=("/plans/activities/waiting/",),
           pattern=rf"^/plans/recommendations/{UUID}/$", fallback="/plans/activities/waiting/"),
    Target("demo.tinh", "child-friendly summary", path="/plans/child-friendly/"),
    # The fund: the manager's ledger and matching, the commune's needs and delivery (on a
    # phone first), the approver's queue, and the public account without signing in.
    Target("demo.quy", "fund ledger", path="/fund/"),
    Target("demo.quy", "donors", find=("/fund/",), pattern=rf"^/fund/{UUID}/donors/$",
           fallback="/fund/"),
    Target("demo.quy", "receipts", find=("/fund/",), pattern=rf"^/fund/{UUID}/receipts/$",
           fallback="/fund/"),
    Target("demo.quy", "needs list", path="/fund/needs/"),
    Target("demo.quy", "matching", path="/fund/match/"),
    Target("demo.quy", "allocation page", find=("/fund/allocations/",),
           pattern=rf"^/fund/allocations/{UUID}/$", fallback="/fund/allocations/"),
    Target("demo.xa", "fund needs list", path="/fund/needs/"),
    Target("demo.xa", "delivery form", find=("/fund/allocations/?status=approved",),
           pattern=rf"^/fund/allocations/{UUID}/$", then=rf"^/fund/allocations/{UUID}/deliver/$",
           fallback="/fund/allocations/"),
    Target("demo.lanhdao", "allocations to approve", path="/fund/allocations/?status=awaiting"),
    Target("", "fund public account", find=("/fund/public/",),
           pattern=r"^/fund/public/\d{2}/\d{4}/$", fallback="/fund/public/"),
)


def resolve(page: Page, base: str, target: Target) -> str:
    """The path to measure for `target`, following links as its user would."""
    if target.path:
        return target.path
    found = _first_link(page, base, target.find, target.pattern)
    if found and target.then:
        found = _first_link(page, base, (found,), target.then)
    return found or target.fallback


def _first_link(page: Page, base: str, starts: tuple[str, ...], pattern: str) -> str:
    wanted = re.compile(pattern)
    for start in starts:
        page.goto(base + start)
        hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
        # A report itself before the list of a period's reports, when the demo has both.
        for href in sorted((h for h in hrefs if wanted.search(h)), key=lambda h: "?" in h):
            return href
    return ""
