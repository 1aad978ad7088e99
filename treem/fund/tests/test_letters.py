"""Letters of thanks and certificates: what each donor of `public_world` gave, worked out by
hand (a reversed gift left out, goods with their quantity and value), a campaign's letters in
one PDF (in parts), the PDF opening with the donor and the total; for the fund's manager only
(an auditor 403, another province's manager 404, anonymous to sign in)."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.fund import letters, services
from treem.fund.models import Channel
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


def year_of(world: PublicWorld, year: int) -> dict[str, str]:
    return {"start": f"01/01/{year}", "end": f"31/12/{year}"}


@pytest.fixture
def printed(monkeypatch: Any) -> list[str]:
    """The HTML each PDF is made from, as WeasyPrint receives it."""
    import treem.ui.pdf

    found: list[str] = []
    real = treem.ui.pdf.render_to_string

    def keep(*args: Any, **kwargs: Any) -> str:
        found.append(real(*args, **kwargs))
        return found[-1]

    monkeypatch.setattr(treem.ui.pdf, "render_to_string", keep)
    return found


class LetterTests:
    def test_a_donors_gifts_of_a_year_with_goods_and_the_reversed_gift_left_out(
            self, world: PublicWorld) -> None:
        today = datetime.date(world.y1, 3, 8)
        y0 = (datetime.date(world.y0, 1, 1), datetime.date(world.y0, 12, 31))
        named = letters.letter_for(donor=world.named, start=y0[0], end=y0[1],
                                   kind=letters.THANKS, today=today)
        assert (named.donor, named.money, named.transfers, named.total) == (
            NAMED, 10_000_000, 1, 14_000_000)
        assert named.goods == [letters.GoodsLine("Bộ đồ dùng học tập", 20, "bộ", 4_000_000)]
        assert named.place_date == f"Cao Bằng, ngày 08 tháng 03 năm {world.y1}"
        assert named.occasion == f"từ ngày 01/01/{world.y0} đến ngày 31/12/{world.y0}"
        quiet = letters.letter_for(donor=world.anonymous, start=y0[0], end=y0[1],
                                   kind=letters.CERTIFICATE, today=today)
        assert (quiet.money, quiet.transfers, quiet.goods, quiet.title) == (
            3_000_000, 1, [], "Giấy chứng nhận")

    def test_a_donor_who_gave_nothing_in_the_period_gets_no_letter(
            self, world: PublicWorld) -> None:
        with pytest.raises(ValidationError) as caught:
            letters.letter_for(donor=world.bank, start=datetime.date(world.y0, 1, 1),
                               end=datetime.date(world.y0, 12, 31), kind=letters.THANKS,
                               today=timezone.localdate())
        assert caught.value.messages == [str(letters.NOTHING_GIVEN)]

    def test_a_campaigns_letters_in_parts(self, world: PublicWorld, monkeypatch: Any) -> None:
        today = timezone.localdate()
        tet = letters.campaign_letters(campaign=world.tet, kind=letters.THANKS, today=today)
        assert [(x.donor, x.money, x.goods) for x in tet] == [(NAMED, 10_000_000, [])]
        assert "Xuân yêu thương" in tet[0].occasion
        monkeypatch.setattr(letters, "MAX_LETTERS", 1)
        services.receipt_record(actor=world.manager, fund=world.fund, donor=world.named,
                                amount=700_000, received_on=today, channel=Channel.CASH,
                                receipt_number="BL-Y1-009", campaign=world.campaign)
        assert letters.parts(world.campaign) == 2
        first, second = (letters.campaign_letters(campaign=world.campaign, kind=letters.THANKS,
                                                  today=today, part=part) for part in (1, 2))
        # By name: the business, then the bank.
        assert [(x.donor, x.money) for x in [*first, *second]] == [(NAMED, 700_000),
                                                                   (BANK, 20_000_000)]
        with pytest.raises(ValidationError):
            letters.campaign_letters(campaign=world.campaign, kind=letters.THANKS,
                                     today=today, part=3)


class PdfTests:
    def test_the_managers_letter_opens_with_the_donor_and_the_total(
            self, world: PublicWorld, printed: list[str]) -> None:
        client = login(Client(), world.manager)
        response = client.get(reverse("fund:letter_pdf", args=[world.named.public_id]),
                              {**year_of(world, world.y0), "kind": "thanks"})
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
        assert NAMED not in response["Content-Disposition"]
        text = laid_out_text(printed[0])
        for shown in (NAMED, "14.000.000", "Bộ đồ dùng học tập: 20 bộ", "GIÁM ĐỐC QUỸ",
                      "QUỸ BẢO TRỢ TRẺ EM TỈNH CAO BẰNG"):
            assert shown in text
        assert AuditEvent.objects.filter(action=Action.EXPORT, actor=world.manager).exists()

    def test_a_campaigns_letters_in_one_pdf_one_page_each(
            self, world: PublicWorld, printed: list[str]) -> None:
        services.receipt_record(actor=world.manager, fund=world.fund, donor=world.anonymous,
                                amount=600_000, received_on=timezone.localdate(),
                                channel=Channel.CASH, receipt_number="BL-Y1-010",
                                campaign=world.campaign)
        response = login(Client(), world.manager).get(
            reverse("fund:campaign_letters_pdf", args=[world.campaign.public_id]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
        assert printed[0].count("page-break") == 1  # two letters, a page each
        text = laid_out_text(printed[0])
        assert BANK in text and ANONYMOUS in text and "20.000.000" in text

    def test_a_letter_with_nothing_given_goes_back_with_the_reason(
            self, world: PublicWorld) -> None:
        client = login(Client(), world.manager)
        response = client.get(reverse("fund:letter_pdf", args=[world.bank.public_id]),
                              year_of(world, world.y0), follow=True)
        assert str(letters.NOTHING_GIVEN) in response.content.decode()
        bad = client.get(reverse("fund:letter_pdf", args=[world.bank.public_id]),
                         {"start": "31/12/2026", "end": "01/01/2026"}, follow=True)
        assert str(letters.PERIOD_REVERSED) in bad.content.decode()


class PageTests:
    def test_the_page_lists_who_gave_with_their_letters(self, world: PublicWorld) -> None:
        client = login(Client(), world.manager)
        page = client.get(reverse("fund:letters", args=[world.fund.public_id]),
                          {**year_of(world, world.y0), "kind": "certificate"})
        text = page.content.decode()
        assert page.status_code == 200 and NAMED in text and ANONYMOUS in text
        assert BANK not in text.split("đợt vận động")[0]  # gave nothing last year
        assert "10.000.000" in text and "4.000.000" in text
        assert reverse("fund:letter_pdf", args=[world.named.public_id]) in text
        assert reverse("fund:campaign_letters_pdf", args=[world.tet.public_id]) in text

    def test_a_period_that_ends_before_it_starts_is_refused(self, world: PublicWorld) -> None:
        page = login(Client(), world.manager).get(
            reverse("fund:letters", args=[world.fund.public_id]),
            {"start": "02/02/2026", "end": "01/02/2026"})
        assert page.status_code == 400
        assert str(letters.PERIOD_REVERSED) in page.content.decode()


class PermissionTests:
    def urls(self, world: PublicWorld) -> list[str]:
        return [reverse("fund:letters", args=[world.fund.public_id]),
                reverse("fund:letter_pdf", args=[world.named.public_id]),
                reverse("fund:campaign_letters_pdf", args=[world.tet.public_id])]

    def test_anonymous_is_sent_to_sign_in(self, world: PublicWorld) -> None:
        for url in self.urls(world):
            assert Client().get(url)["Location"].startswith(reverse("accounts:login"))

    def test_a_reader_is_refused_and_another_provinces_manager_not_found(
            self, world: PublicWorld, tree: Tree, personas: Personas) -> None:
        other = make_user("quy_ha_noi", role=Role.FUND_MANAGER, unit=tree.other_province)
        for url in self.urls(world):
            assert login(Client(), personas.auditor).get(url).status_code == 403
            assert login(Client(), other).get(url).status_code == 404
        assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
