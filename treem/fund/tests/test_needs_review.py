"""The needs' and allocations' pages as reviewed: money typed the way the ledger takes it,
the names shown in the commune's allocations list, a pledge's label, the allocation page's
lines and sources, and list pages whose number of queries does not grow with their rows."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from treem.audit.models import Action, AuditEvent
from treem.fund import allocations, gifts, ledger_selectors, needs, needs_selectors, services
from treem.fund import exceptions as exc
from treem.fund.ledger_forms import MoneyField
from treem.fund.matching import fits, holdings
from treem.fund.models import Allocation, Channel, Fund, Need, NeedKind, Restriction
from treem.fund.needs_forms import AllocateForm, NeedForm
from treem.fund.services import MAX_AMOUNT, Bucket, unrestricted
from treem.fund.tests.conftest import DAY, YEAR, give, kind
from treem.fund.tests.needs_pages_world import (
    CHILD_OF_A,
    CHILD_OF_B,
    Pages,
    make_pages,
    snapshot,
    url,
)
from treem.registry.tests.factories import make_child, make_household
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db

ALLOCATIONS = reverse("fund:allocation_list")
NEEDS = reverse("fund:need_list")
HEAD_OF_A = "Lục Văn Pháo"  # child A's household's head
BAD_AMOUNTS = ["10,5", "-5", "0", "1.000.000.000.000.001", "mười triệu"]


@pytest.fixture
def pages(tree: Tree, personas: Personas) -> Pages:
    return make_pages(tree, personas)


def need_form(tree: Tree, amount: str) -> NeedForm:
    return NeedForm({"beneficiary": "facility", "facility": "Điểm vui chơi thôn Nà Pồng",
                     "commune": str(tree.commune_a.public_id), "kind": "playground",
                     "description": "Cầu trượt", "amount": amount,
                     "year": str(timezone.localdate().year)},
                    beneficiary="facility", kinds=NeedKind.objects.all(),
                    communes=[tree.commune_a])


class MoneyInputTests:
    """A need's amount and an allocation's take money as the ledger's forms do."""

    def test_the_needs_forms_use_the_ledgers_money_field(self) -> None:
        assert isinstance(NeedForm.base_fields["amount"], MoneyField)
        assert isinstance(AllocateForm.base_fields["amount"], MoneyField)

    @pytest.mark.parametrize("typed", ["10.000.000", "10000000", "10 000 000 đ"])
    def test_a_needs_amount_is_read_grouped_or_not(self, tree: Tree, typed: str) -> None:
        form = need_form(tree, typed)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == 10_000_000

    @pytest.mark.parametrize("typed", BAD_AMOUNTS)
    def test_a_bad_amount_is_refused_in_vietnamese(self, tree: Tree, typed: str) -> None:
        form = need_form(tree, typed)
        assert not form.is_valid()
        assert form.errors["amount"] == [str(exc.AMOUNT_INVALID)]

    def test_the_largest_amount_is_taken_and_one_more_is_not(self, tree: Tree) -> None:
        assert need_form(tree, f"{MAX_AMOUNT:,}".replace(",", ".")).is_valid()
        assert not need_form(tree, str(MAX_AMOUNT + 1)).is_valid()

    def test_an_allocations_amount_is_read_grouped(self) -> None:
        form = AllocateForm({"restriction": "1", "amount": "1.500.000"}, goods=False)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == 1_500_000

    def test_an_amount_shown_again_is_grouped(self) -> None:
        shown = str(AllocateForm(goods=False, initial={"restriction": 1,
                                                       "amount": 1_500_000})["amount"])
        assert 'value="1.500.000"' in shown and 'inputmode="numeric"' in shown

    def test_the_commune_proposes_a_need_of_ten_million_written_with_dots(
            self, pages: Pages) -> None:
        done = pages.as_(pages.personas.officer).post(reverse("fund:need_propose"), {
            "beneficiary": "facility", "commune": str(pages.tree.commune_a.public_id),
            "facility": "Điểm vui chơi thôn Nà Pồng", "kind": "playground",
            "description": "Cầu trượt, xích đu", "amount": "10.000.000",
            "year": str(timezone.localdate().year)})
        assert done.status_code == 302
        assert Need.objects.get(facility="Điểm vui chơi thôn Nà Pồng").amount == 10_000_000

    @pytest.mark.parametrize("typed", ["10,5", "-5", "1.000.000.000.000.001"])
    def test_a_bad_allocation_amount_writes_nothing(self, pages: Pages, typed: str) -> None:
        before = snapshot()
        page = pages.as_(pages.fund.manager).post(url("allocate", pages.fund.need_b), {
            "restriction": unrestricted(pages.fund.fund).pk, "amount": typed})
        assert page.status_code == 200 and snapshot() == before
        assert str(exc.AMOUNT_INVALID) in page.content.decode()

    def test_the_manager_allocates_an_amount_written_with_dots(self, pages: Pages) -> None:
        done = pages.as_(pages.fund.manager).post(url("allocate", pages.fund.need_b), {
            "restriction": unrestricted(pages.fund.fund).pk, "amount": "500.000",
            "override_reason": "Học kỳ hai, đã xác minh với trường"})
        assert done.status_code == 302
        assert Allocation.objects.filter(need=pages.fund.need_b, amount=500_000).exists()



def household_allocation(pages: Pages) -> Allocation:
    """School things for child A's household, allocated from the unrestricted money."""
    household = pages.child_a.household
    assert household is not None
    need = needs.need_decide(actor=pages.personas.province_officer, approve=True,
                             need=needs.need_propose(
        actor=pages.personas.officer, kind=NeedKind.objects.get(code="school"),
        beneficiary="household", household_id=household.public_id,
        description="Sách vở cho các em trong hộ", amount=900_000, year=timezone.localdate().year))
    return allocations.allocate(actor=pages.fund.manager, need=need, amount=900_000,
                                bucket=Bucket(unrestricted(pages.fund.fund)))


class AllocationNamesTests:
    """The allocations list names the child or household to who may read it in the register,
    as the needs list does, and only them."""

    def test_the_commune_officer_reads_its_childs_name_and_it_is_audited(
            self, pages: Pages) -> None:
        page = pages.as_(pages.personas.officer).get(ALLOCATIONS).content.decode()
        assert CHILD_OF_A in page and CHILD_OF_B not in page
        assert pages.fund.need_a.reference in page  # the reference stays beside the name
        assert AuditEvent.objects.filter(action=Action.VIEW, actor=pages.personas.officer,
                                         object_id=str(pages.child_a.public_id)).exists()

    def test_another_communes_officer_reads_its_own_child_only(self, pages: Pages) -> None:
        page = pages.as_(pages.personas.outsider).get(ALLOCATIONS).content.decode()
        assert CHILD_OF_B in page and CHILD_OF_A not in page

    def test_a_households_head_is_named_to_the_commune_only(self, pages: Pages) -> None:
        allocation = household_allocation(pages)
        officer = pages.as_(pages.personas.officer)
        assert HEAD_OF_A in officer.get(ALLOCATIONS).content.decode()
        assert HEAD_OF_A in officer.get(NEEDS).content.decode()
        assert HEAD_OF_A in officer.get(url("allocation_detail", allocation)).content.decode()
        household = pages.child_a.household
        assert household is not None
        assert AuditEvent.objects.filter(action=Action.VIEW, actor=pages.personas.officer,
                                         object_id=str(household.public_id)).exists()
        manager = pages.as_(pages.fund.manager)
        for page in (ALLOCATIONS, NEEDS, url("allocation_detail", allocation)):
            assert HEAD_OF_A not in manager.get(page).content.decode()

    @pytest.mark.parametrize("who", ["manager", "approver"])
    def test_who_may_not_read_the_child_reads_references_only(self, pages: Pages,
                                                              who: str) -> None:
        page = pages.as_(getattr(pages.fund, who)).get(ALLOCATIONS).content.decode()
        assert pages.fund.need_a.reference in page
        assert CHILD_OF_A not in page and CHILD_OF_B not in page


class PledgeLabelTests:
    """A pledge reads as its donor, day and promise, in Vietnamese, and lists name them without
    a query a row."""

    def promise(self, manager: Any, fund: Fund, name: str, **what: Any) -> Any:
        donor = services.donor_create(actor=manager, fund=fund, kind="business", name=name)
        return gifts.pledge_create(actor=manager, fund=fund, donor=donor, pledged_on=DAY,
                                   **what)

    def test_a_pledge_of_money_names_its_donor_amount_and_day(self, manager: Any,
                                                             fund: Fund) -> None:
        pledge = self.promise(manager, fund, "Công ty Sữa Cao Bằng", amount=10_000_000)
        assert str(pledge) == "Công ty Sữa Cao Bằng — 01/06/2026 — 10.000.000 đ"

    def test_a_pledge_of_goods_names_them(self, manager: Any, fund: Fund) -> None:
        pledge = self.promise(manager, fund, "Nhà sách Hòa An",
                              goods="200 bộ sách giáo khoa lớp 1 và vở ô li " * 3)
        label = str(pledge)
        assert label.startswith("Nhà sách Hòa An — 01/06/2026 — hiện vật: 200 bộ sách")
        assert len(label) < 120 and label.endswith("…")
        both = self.promise(manager, fund, "Hội Chữ thập đỏ", amount=2_000_000,
                            goods="Áo ấm")
        assert str(both) == "Hội Chữ thập đỏ — 01/06/2026 — 2.000.000 đ; hiện vật: Áo ấm"

    def test_the_ledgers_lists_name_their_pledges_in_one_query(
            self, manager: Any, fund: Fund, django_assert_num_queries: Any) -> None:
        for n in range(5):
            self.promise(manager, fund, f"Nhà tài trợ {n}", amount=(n + 1) * 1_000_000)
        for rows in (ledger_selectors.pledge_list(fund=fund),
                     ledger_selectors.open_pledges(fund)):
            with django_assert_num_queries(1):
                labels = [str(pledge) for pledge in rows]
            assert len(labels) == 5 and all("Nhà tài trợ" in label for label in labels)


def scholarship_money(pages: Pages) -> Restriction:
    """3 million đồng earmarked for scholarships, received by the fund of A."""
    earmark = gifts.restriction_for(actor=pages.fund.manager, fund=pages.fund.fund,
                                    kind="need", need_kind=NeedKind.objects.get(code="scholarship"))
    services.receipt_record(actor=pages.fund.manager, fund=pages.fund.fund,
                            donor=pages.fund.donor_a, amount=3_000_000, received_on=DAY,
                            channel=Channel.CASH, receipt_number="BL-HB-1", restriction=earmark)
    return earmark


def source(restriction: Restriction, campaign: Any = None, lot: Any = None) -> str:
    """A source's link on the allocation page, as the page writes it."""
    return (f"?restriction={restriction.pk}&amp;campaign={campaign.pk if campaign else ''}"
            f"&amp;lot={lot.pk if lot else ''}")


class AllocationPageTests:
    def test_an_allocation_line_says_each_thing_once(self, pages: Pages) -> None:
        world, manager = pages.fund, pages.as_(pages.fund.manager)
        earmarked = allocations.allocate(actor=world.manager, need=world.need_b,
                                         amount=500_000, bucket=Bucket(scholarship_money(pages)))
        goods = allocations.allocate(
            actor=world.manager, need=world.need_b, quantity=2,
            bucket=Bucket(unrestricted(world.fund), world.campaign_a, world.lot_a),
            override_reason="Đồ dùng học tập, khác với học bổng")
        listed = manager.get(ALLOCATIONS).content.decode()
        assert "Học bổng · Học bổng" not in listed
        assert "Học bổng · chỉ định cho loại nhu cầu này" in listed
        # The lot's measure once: "Bộ đồ dùng học tập: 2 bộ", never "2 bộ Bộ đồ dùng…".
        for page in (listed, manager.get(url("need_detail", world.need_b)).content.decode(),
                     manager.get(url("allocation_detail", goods)).content.decode(),
                     manager.get(url("delivery_record", goods)).content.decode()):
            assert "2 bộ Bộ đồ dùng học tập" not in page
            assert "Bộ đồ dùng học tập: 2 bộ" in page
        assert earmarked.reference in listed

    def test_another_source_is_offered_without_the_one_chosen(self, pages: Pages) -> None:
        world, earmark = pages.fund, scholarship_money(pages)
        page = pages.as_(world.manager).get(url("allocate", world.need_b), {
            "restriction": str(earmark.pk), "campaign": "", "lot": ""}).content.decode()
        chosen, others = page.split("Chọn nguồn khác")
        assert "Học bổng: 3.000.000" in chosen
        assert source(earmark) not in others
        assert source(unrestricted(world.fund)) in others
        assert source(unrestricted(world.fund), world.campaign_a, world.lot_a) in others

    def test_a_single_source_chosen_leaves_no_other_to_offer(self, pages: Pages) -> None:
        world = pages.fund
        need = needs.need_decide(actor=pages.personas.province_officer, approve=True,
                                 need=needs.need_propose(
            actor=pages.personas.officer, kind=NeedKind.objects.get(code="playground"),
            beneficiary="facility", facility="Điểm vui chơi thôn Nà Pồng",
            commune_id=pages.tree.commune_a.public_id, description="Cầu trượt",
            amount=5_000_000, year=timezone.localdate().year))
        allocations.allocate(actor=world.manager, need=need, quantity=20,
                             bucket=Bucket(unrestricted(world.fund), world.campaign_a,
                                           world.lot_a))  # the goods, all gone
        page = pages.as_(world.manager).get(url("allocate", need), {
            "restriction": str(unrestricted(world.fund).pk), "campaign": "", "lot": ""}
        ).content.decode()
        _chosen, others = page.split("Chọn nguồn khác")
        assert source(unrestricted(world.fund)) not in others
        assert "Không có nguồn nào khác dùng được cho nhu cầu này." in others

    def test_a_suggestions_form_says_allocate_once_on_a_phone(self, pages: Pages) -> None:
        # On a phone a cell is written "its column: …"; the form has its label and button.
        page = pages.as_(pages.fund.manager).get(reverse("fund:match")).content.decode()
        assert "Số tiền phân bổ (đồng)" in page and 'data-label="Phân bổ"' not in page

    def test_the_money_columns_are_marked_as_numbers(self, pages: Pages) -> None:
        manager = pages.as_(pages.fund.manager)
        for page, column in ((NEEDS, "Kinh phí (đồng)"), (ALLOCATIONS, "Số tiền (đồng)"),
                             (reverse("fund:match"), "Còn thiếu (đồng)"),
                             (url("need_detail", pages.fund.need_a), "Số tiền (đồng)")):
            html = manager.get(page).content.decode()
            assert f'<th scope="col" class="number">{column}</th>' in html
            assert f'<td class="number" data-label="{column}">' in html


AUDIT_INSERT = 'INSERT INTO "audit_auditevent"'


def a_round(n: int, fund: Fund, manager: Any, personas: Personas, tree: Tree) -> Need:
    """One more of every row the needs' lists show: a child's need and a household's, each
    approved and allocated, and money under four more earmarks (a programme, an area, the
    child, the child's kind of need once)."""
    donor = services.donor_create(actor=manager, fund=fund, kind="business", name=f"Công ty {n}")
    child = make_child(commune=tree.commune_a, full_name=f"Nông Văn Số {n}")
    household = make_household(commune=tree.commune_a, head_name=f"Nông Văn Chủ {n}")
    area = gifts.area_create(actor=manager, fund=fund, name=f"Địa bàn {n}",
                             units=[tree.commune_a])
    earmarks = [gifts.restriction_for(actor=manager, fund=fund, kind=k, **target)
                for k, target in (("programme", {"programme": f"Chương trình {n}"}),
                                  ("place", {"area": area}), ("child", {"child": child}),
                                  ("need", {"need_kind": kind("scholarship")}))]
    for number, earmark in enumerate(earmarks):
        services.receipt_record(actor=manager, fund=fund, donor=donor, amount=5_000_000,
                                received_on=DAY, channel=Channel.CASH,
                                receipt_number=f"BL-{n}-{number}", restriction=earmark)

    def approved(**target: Any) -> Need:
        return needs.need_decide(actor=personas.province_officer, approve=True,
                                 need=needs.need_propose(actor=personas.officer, year=YEAR,
                                                         description="Hỗ trợ", **target))

    need = approved(kind=kind("scholarship"), beneficiary="child", child_id=child.public_id,
                    amount=2_000_000, programme=f"Chương trình {n}")
    meals = approved(kind=kind("meals"), beneficiary="household",
                     household_id=household.public_id, amount=2_000_000)
    allocations.allocate(actor=manager, need=need, bucket=Bucket(earmarks[0]), amount=100_000)
    allocations.allocate(actor=manager, need=meals, bucket=Bucket(unrestricted(fund)),
                         amount=100_000)
    return need


class QueryCountTests:
    """Each page of the needs, allocations and matching reads as many queries for ten rows as
    for one. A name shown is an audited read: its audit row is counted apart."""

    def counts(self, client: Client, pages: dict[str, str]) -> dict[str, int]:
        found = {}
        for name, page in pages.items():
            assert client.get(page).status_code == 200, name  # the session and caches warmed
            with CaptureQueriesContext(connection) as queries:
                client.get(page)
            found[name] = sum(1 for q in queries if not q["sql"].startswith(AUDIT_INSERT))
        return found

    def test_every_list_reads_the_same_queries_whatever_its_length(
            self, fund: Fund, manager: Any, personas: Personas, tree: Tree) -> None:
        give(manager, fund, 100_000_000)
        first = a_round(0, fund, manager, personas, tree)
        common = {"needs": NEEDS, "allocations": ALLOCATIONS,
                  "need": url("need_detail", first)}
        as_manager = {**common, "match": reverse("fund:match"),
                      "allocate": url("allocate", first)}
        manager_client = login(Client(), manager)
        officer_client = login(Client(), personas.officer)
        province_client = login(Client(), personas.province_officer)

        def export() -> int:
            with CaptureQueriesContext(connection) as queries:
                sent = province_client.post(reverse("fund:need_export"),
                                            {"reason": "Tổng hợp nhu cầu trình Hội đồng quỹ"})
            assert sent.status_code == 200
            return len(queries)

        few = (self.counts(manager_client, as_manager), self.counts(officer_client, common),
               export())
        for n in range(1, 10):
            a_round(n, fund, manager, personas, tree)
            # More allocations for the first need's page: from each new area's money.
            area_money = Restriction.objects.get(fund=fund, area__name=f"Địa bàn {n}")
            allocations.allocate(actor=manager, need=first, bucket=Bucket(area_money),
                                 amount=100_000)
        many = (self.counts(manager_client, as_manager), self.counts(officer_client, common),
                export())
        assert many == few
        listed = officer_client.get(ALLOCATIONS).content.decode()
        assert "Nông Văn Số 9" in listed and "hộ Nông Văn Chủ 9" in listed

    def test_the_sources_offered_for_a_need_are_those_that_fit_it(
            self, fund: Fund, manager: Any, personas: Personas, tree: Tree) -> None:
        give(manager, fund, 10_000_000)
        made = [a_round(n, fund, manager, personas, tree) for n in range(3)]
        gifts.restriction_for(actor=manager, fund=fund, kind="place", unit=tree.commune_b)
        held = holdings(fund)
        for need in [*made, *Need.objects.filter(beneficiary="household")]:
            offered = needs_selectors.holdings_for(fund, need)
            assert offered == [item for item in held if fits(item.restriction, need)]
            assert unrestricted(fund) in [item.restriction for item in offered]
