"""The tested guarantee of the public account (issue 15): no page or file reachable without
signing in names a child — no full name, no birth date (as the site prints it: dd/mm/yyyy and
ISO), no personal id — nor a donor who did not agree to be named.

The world is the scope-coverage test's (children in two provinces, a merged record, needs,
allocations, deliveries with proof, the funds of both provinces), with every child given a
personal id, a need and a delivery note naming their child, a delivery moved to a merged
record, and a donor who did not agree to be named giving money and goods. Then every URL of
the resolver is called without signing in, with the world's arguments (each public one
answers; every other one must turn the visitor away, and if it did not, its answer is read
too), and so is every public fund page: each province and each of its years, page, JSON and
API."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.fund import public, services
from treem.fund.models import Allocation, Channel, Delivery, Need
from treem.registry.models import Child
from treem.web.tests.scope_rows import PUBLIC
from treem.web.tests.test_scope_coverage import (  # noqa: F401 - `world` is a fixture
    SCOPE_CASES,
    World,
    call,
    is_api,
    is_login_redirect,
    text_of,
    walk,
    world,
)

pytestmark = pytest.mark.django_db

SHY_DONOR = "Đỗ Thị Kín Đáo"
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def _with_identities(world: World) -> None:  # noqa: F811 - the fixture's value
    """Every child a personal id; the fund's texts name the children; a delivery to a merged
    record; a donor not named publicly giving money and goods."""
    # Names no page could print by chance: the API's documented examples use common ones
    # ("Nguyễn Văn An", the world's child A).
    for number, child in enumerate(Child.objects.order_by("pk")):
        Child.objects.filter(pk=child.pk).update(personal_id=f"0043{number:08d}",
                                                 full_name=f"Hoàng Thị Kín {number:03d}")
    fund = world.fund
    named_a = Child.objects.get(pk=world.child_a.pk).full_name
    Need.objects.filter(pk=fund.need_a.pk).update(description=f"Học bổng cho em {named_a}")
    Delivery.objects.update(note=f"Đã trao tận tay em {named_a}")
    merged = world.merge_a.merged
    Allocation.objects.filter(pk=fund.delivery_a.allocation_id).update(child=merged)
    shy = services.donor_create(actor=fund.manager, fund=fund.fund, kind="individual",
                                name=SHY_DONOR)
    services.receipt_record(actor=fund.manager, fund=fund.fund, donor=shy, amount=2_000_000,
                            received_on=timezone.localdate(), channel=Channel.CASH,
                            receipt_number="BL-KIN-1")


def _secrets() -> list[str]:
    found = [SHY_DONOR]
    for name, born, number in Child.objects.values_list("full_name", "birth_date",
                                                        "personal_id"):
        found += [name, number or "", *(born.strftime(f) for f in DATE_FORMATS)]
    return sorted({text for text in found if text})


def _public_pages(client: Client) -> list[tuple[str, Any]]:
    """Every public fund page: the index, each province's years, page and JSON; and the
    same over the API (no token)."""
    answers = [(name, client.get(reverse(name)))
               for name in ("fund:public_index", "api:public_fund_list")]
    for fund, years in public.public_index():
        for year in years:
            for name in ("fund:public", "fund:public_json", "api:public_fund_figures"):
                answers.append((f"{name} {fund.unit.code} {year}",
                                client.get(reverse(name, args=[fund.unit.code, year]))))
    return answers


def test_no_page_or_file_reachable_without_sign_in_names_a_child(
        world: World) -> None:  # noqa: F811 - the scope test's fixture
    _with_identities(world)
    secrets = _secrets()
    assert Child.objects.get(pk=world.child_a.pk).full_name in secrets and SHY_DONOR in secrets
    read: list[tuple[str, str]] = []
    for name, _pattern in walk():
        # A fresh visitor each time: the language picked by one call stays out of the next.
        response = call(Client(), world, name, SCOPE_CASES[name])
        if is_login_redirect(response) or (is_api(name) and response.status_code == 401):
            assert SCOPE_CASES[name].kind is not PUBLIC, f"{name} is public"
            continue
        read.append((name, text_of(response)))
    for name, response in _public_pages(Client()):
        assert response.status_code == 200, name
        read.append((name, text_of(response)))
    assert {"fund:public", "fund:public_json", "fund:public_index", "api:public_fund_list",
            "api:public_fund_figures"} <= {n for n, _ in read}
    # The figures are there, the identities are not.
    assert any("Nhà hảo tâm không nêu tên" in text for _name, text in read)
    leaks = [(name, secret) for name, text in read for secret in secrets if secret in text]
    assert leaks == []
