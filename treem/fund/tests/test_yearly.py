"""The yearly fund report: the figures of `public_world` with the earmarks' balances and the
needs list met, as a page, an Excel file and a PDF that open and carry the right totals; the
same suppression as the public page; frozen as JSON it renders the same; read by the fund's
readers only (a commune officer 403, another province's manager 404, anonymous to sign in)."""

import io
import json
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.fund import yearly
from treem.fund.tests.public_world import (
    ANONYMOUS,
    BANK,
    NAMED,
    PublicWorld,
    laid_out_text,
    public_world,
)
from treem.testing import Personas, Tree, login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree: Tree, personas: Personas) -> PublicWorld:
    return public_world(tree, personas)


def url(name: str, world: PublicWorld, year: int) -> str:
    return reverse(name, args=[world.fund.public_id, year])


class ContentTests:
    def test_the_earmarks_add_up_to_the_closing_balance_and_never_name_the_child(
            self, world: PublicWorld) -> None:
        report = yearly.assemble(fund=world.fund, year=world.y1)
        assert [(e.label, e.available, e.allocated) for e in report.earmarks] == [
            ("Không chỉ định", 20_000_000, 200_000),
            (f"Trẻ em TE-{str(world.children['a3'].public_id)[:8]}", 1_500_000, 0)]
        assert sum(e.held for e in report.earmarks) == report.figures.balance.closing
        assert world.children["a3"].full_name not in json.dumps(report.content(),
                                                                 ensure_ascii=False)

    def test_last_years_earmarks_and_the_needs_list_met(self, world: PublicWorld) -> None:
        last = yearly.assemble(fund=world.fund, year=world.y0)
        assert sum(e.held for e in last.earmarks) == 16_000_000
        this = yearly.assemble(fund=world.fund, year=world.y1).content()
        # 11 needs approved this year; all delivered in full but a2's health check.
        assert this["needs"] == {"listed": 11, "met": 10, "percent": 90}

    def test_frozen_as_json_it_renders_the_same(self, world: PublicWorld) -> None:
        content = yearly.assemble(fund=world.fund, year=world.y1).content()
        frozen = json.loads(json.dumps(content))
        assert (render_to_string("fund/yearly/_body.html", {"r": frozen})
                == render_to_string("fund/yearly/_body.html", {"r": content}))


class DownloadTests:
    def test_the_excel_file_opens_with_the_totals(self, world: PublicWorld) -> None:
        response = login(Client(), world.manager).get(url("fund:yearly_xlsx", world,
                                                          world.y1))
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        book = load_workbook(io.BytesIO(response.content))
        summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)
                   if row and len(row) > 1}
        assert summary["Số dư đầu năm (đồng)"] == 16_000_000
        assert summary["Đã trao hỗ trợ (đồng)"] == 15_800_000
        assert summary["Số trẻ em được hỗ trợ"] == 7
        assert summary["Số hộ gia đình được hỗ trợ"] == "< 5"
        communes = list(book["Theo xã, phường"].iter_rows(min_row=4, values_only=True))
        assert ("Xã Hòa An", "—", "< 5", 0) in communes
        assert ("Xã Nguyên Bình", 8_000_000, 0, 0) in communes
        donors = [row[0] for row in book["Nhà tài trợ"].iter_rows(min_row=4, values_only=True)]
        assert donors == [BANK, NAMED]
        assert AuditEvent.objects.filter(action=Action.EXPORT, actor=world.manager).exists()

    def test_the_pdf_opens_and_prints_the_totals(self, world: PublicWorld,
                                                 monkeypatch: Any) -> None:
        import treem.ui.pdf

        printed: list[str] = []
        real = treem.ui.pdf.render_to_string

        def keep(*args: Any, **kwargs: Any) -> str:
            printed.append(real(*args, **kwargs))
            return printed[-1]

        monkeypatch.setattr(treem.ui.pdf, "render_to_string", keep)
        response = login(Client(), world.manager).get(url("fund:yearly_pdf", world, world.y0))
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
        text = laid_out_text(printed[0])
        for total in ("16.000.000", "17.000.000", "10.000.000", NAMED,
                      "Nhà hảo tâm không nêu tên"):
            assert total in text
        assert ANONYMOUS not in text

    def test_the_page_shows_the_report_and_its_years(self, world: PublicWorld,
                                                     personas: Personas) -> None:
        page = login(Client(), personas.auditor).get(url("fund:yearly", world, world.y1))
        assert page.status_code == 200
        text = page.content.decode()
        assert "21.700.000" in text and url("fund:yearly", world, world.y0) in text
        assert "90 %" in text


class PermissionTests:
    def test_anonymous_is_sent_to_sign_in(self, world: PublicWorld) -> None:
        for name in ("fund:yearly", "fund:yearly_xlsx", "fund:yearly_pdf"):
            response = Client().get(url(name, world, world.y1))
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))

    def test_a_commune_officer_is_refused_and_another_provinces_manager_not_found(
            self, world: PublicWorld, tree: Tree, personas: Personas) -> None:
        other = make_user("quy_ha_noi", role=Role.FUND_MANAGER, unit=tree.other_province)
        for name in ("fund:yearly", "fund:yearly_xlsx", "fund:yearly_pdf"):
            assert login(Client(), personas.officer).get(
                url(name, world, world.y1)).status_code == 403
            assert login(Client(), other).get(url(name, world, world.y1)).status_code == 404
        assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()

    def test_a_year_without_figures_is_not_found(self, world: PublicWorld) -> None:
        response = login(Client(), world.manager).get(url("fund:yearly", world, world.y1 + 1))
        assert response.status_code == 404
