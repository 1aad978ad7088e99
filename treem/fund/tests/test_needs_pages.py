"""The needs' pages, step by step as each role: the needs list (a child's name only to who
reads the child in the register; the fund manager sees references), its export, a need
proposed by the commune (a child found by a name posted), the province's decision and the
commune's withdrawal. Another commune's and another province's users get 404 on every
object of commune A (needs, allocations, deliveries, proofs); readers get 403 on writes.
Matching, allocations and deliveries: test_allocation_pages.py."""

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.fund import exceptions as exc
from treem.fund import needs
from treem.fund.models import Need, NeedKind, NeedStatus
from treem.fund.tests.needs_pages_world import (
    CHILD_OF_A,
    CHILD_OF_B,
    Pages,
    make_pages,
    snapshot,
    url,
)
from treem.geo.models import Level
from treem.testing import Personas, Tree, make_unit, make_user
from treem.web.tests.scope_fund import NEED_OF_A, NEED_OF_B, NEED_OF_C

pytestmark = pytest.mark.django_db

LIST = reverse("fund:need_list")
PROPOSE = reverse("fund:need_propose")


@pytest.fixture
def pages(tree: Tree, personas: Personas) -> Pages:
    return make_pages(tree, personas)


class NeedListTests:
    SEES = {"officer": {NEED_OF_A}, "chairman": {NEED_OF_A}, "outsider": {NEED_OF_B},
            "province_officer": {NEED_OF_A, NEED_OF_B}, "auditor": {NEED_OF_A, NEED_OF_B},
            "fund.manager": {NEED_OF_A, NEED_OF_B}, "fund.approver": {NEED_OF_A, NEED_OF_B},
            "officer_c": {NEED_OF_C}}

    def user(self, pages: Pages, name: str) -> User:
        if name.startswith("fund."):
            return getattr(pages.fund, name.removeprefix("fund."))
        return getattr(pages.personas, name, None) or getattr(pages, name)

    @pytest.mark.parametrize("persona", sorted(SEES))
    def test_each_role_lists_the_needs_of_its_area_only(self, pages: Pages,
                                                       persona: str) -> None:
        page = pages.as_(self.user(pages, persona)).get(LIST).content.decode()
        for text in (NEED_OF_A, NEED_OF_B, NEED_OF_C):
            assert (text in page) == (text in self.SEES[persona]), (persona, text)

    def test_a_childs_name_shows_to_who_reads_the_child_and_is_audited(self, pages: Pages
                                                                         ) -> None:
        page = pages.as_(pages.personas.officer).get(LIST).content.decode()
        assert CHILD_OF_A in page and CHILD_OF_B not in page
        assert AuditEvent.objects.filter(action=Action.VIEW, actor=pages.personas.officer,
                                         object_id=str(pages.child_a.public_id)).exists()

    def test_the_fund_manager_never_sees_a_childs_name_in_the_list_or_a_detail(
            self, pages: Pages) -> None:
        client = pages.as_(pages.fund.manager)
        shown = [client.get(LIST).content.decode(),
                 client.get(url("need_detail", pages.fund.need_a)).content.decode(),
                 client.get(url("allocation_detail", pages.fund.allocation_a)).content.decode(),
                 client.get(reverse("fund:match")).content.decode()]
        for page in shown:
            assert CHILD_OF_A not in page and CHILD_OF_B not in page
        assert pages.fund.need_a.reference in shown[0]
        assert pages.fund.need_a.reference in shown[1]

    def test_the_province_filters_by_status_kind_year_and_commune(self, pages: Pages) -> None:
        client = pages.as_(pages.personas.province_officer)
        proposed = client.get(LIST, {"status": "proposed"}).content.decode()
        assert pages.fund.proposed_a.reference in proposed and NEED_OF_A not in proposed
        of_b = client.get(LIST, {"commune": str(pages.tree.commune_b.public_id)}
                          ).content.decode()
        assert NEED_OF_B in of_b and NEED_OF_A not in of_b
        scholarships = client.get(LIST, {"kind": "scholarship"}).content.decode()
        assert NEED_OF_A in scholarships and pages.fund.proposed_a.reference not in scholarships
        empty = client.get(LIST, {"year": "2030"}).content.decode()
        assert "Không có nhu cầu nào khớp với bộ lọc." in empty
        # A commune's own users read one commune: no commune to choose.
        own = pages.as_(pages.personas.officer).get(LIST).content.decode()
        assert 'name="commune"' not in own and 'name="commune"' in of_b

    def test_an_area_without_needs_says_so(self, pages: Pages, tree: Tree) -> None:
        commune = make_unit(parent=tree.other_province, level=Level.COMMUNE, code="00073",
                            name="Phường Ba Đình")
        page = pages.as_(make_user("officer_new", role=Role.COMMUNE_OFFICER, unit=commune)
                         ).get(LIST).content.decode()
        assert "Chưa có nhu cầu nào trong phạm vi của bạn." in page
        assert "Đề xuất nhu cầu" in page

    def test_the_list_reads_the_same_number_of_queries_whatever_its_length(
            self, pages: Pages, tree: Tree) -> None:
        client = pages.as_(pages.fund.manager)
        client.get(LIST)  # the session and caches warmed
        with CaptureQueriesContext(connection) as few:
            client.get(LIST)
        kind = NeedKind.objects.get(code="playground")
        for n in range(30):
            needs.need_propose(actor=pages.personas.officer, kind=kind, beneficiary="facility",
                               commune_id=tree.commune_a.public_id, facility=f"Điểm {n}",
                               description="Cầu trượt", amount=1_000_000,
                               year=timezone.localdate().year)
        with CaptureQueriesContext(connection) as many:
            page = client.get(LIST)
        assert len(many) == len(few)
        assert "Trang 1/2" in page.content.decode()
        assert "Trang 2/2" in client.get(LIST, {"page": "2"}).content.decode()


class ExportTests:
    def test_the_province_exports_the_list_with_a_reason_and_it_is_audited(
            self, pages: Pages) -> None:
        client = pages.as_(pages.personas.province_officer)
        export = reverse("fund:need_export")
        assert "Xuất danh sách nhu cầu" in client.get(export).content.decode()
        short = client.post(export, {"reason": "báo cáo"})
        assert short.status_code == 200 and "ít nhất 10 ký tự" in short.content.decode()
        assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
        sent = client.post(export, {"reason": "Tổng hợp nhu cầu trình Hội đồng quỹ"})
        assert sent.status_code == 200 and sent["Content-Disposition"].startswith("attachment")
        rows = list(load_workbook(io.BytesIO(sent.content)).active.iter_rows(values_only=True))
        references = {row[0] for row in rows[1:]}
        assert pages.fund.need_a.reference in references
        assert pages.fund.need_b.reference in references
        assert pages.fund.need_c.reference not in references
        # The province's officer reads both children in the register.
        assert {CHILD_OF_A, CHILD_OF_B} <= {row[2] for row in rows[1:]}
        event = AuditEvent.objects.get(action=Action.EXPORT)
        assert event.reason == "Tổng hợp nhu cầu trình Hội đồng quỹ"
        assert f"rows={len(rows) - 1}" in event.changed_fields

    def test_the_fund_managers_export_has_references_and_no_name(self, pages: Pages) -> None:
        sent = pages.as_(pages.fund.manager).post(
            reverse("fund:need_export") + "?kind=scholarship",
            {"reason": "Đối chiếu học bổng năm nay"})
        rows = list(load_workbook(io.BytesIO(sent.content)).active.iter_rows(values_only=True))
        assert {row[0] for row in rows[1:]} == {pages.fund.need_a.reference,
                                                pages.fund.need_b.reference}
        assert all(row[2] in (None, "") for row in rows[1:])

    def test_a_commune_may_not_export(self, pages: Pages) -> None:
        client = pages.as_(pages.personas.officer)
        assert client.get(reverse("fund:need_export")).status_code == 403


class ProposeTests:
    def form(self, **fields: Any) -> dict[str, Any]:
        return {"beneficiary": "child", "kind": "school", "description": "Sách vở, đồng phục",
                "amount": "800000", "year": str(timezone.localdate().year), **fields}

    def test_the_officer_finds_a_child_by_a_posted_name_and_proposes_a_need(
            self, pages: Pages) -> None:
        client = pages.as_(pages.personas.officer)
        assert "Nhu cầu này dành cho ai?" in client.get(PROPOSE).content.decode()
        search = client.get(PROPOSE, {"beneficiary": "child"}).content.decode()
        assert 'method="post" class="search"' in search and "Thiết bị điểm vui chơi" not in \
            search
        found = client.post(PROPOSE, {"beneficiary": "child", "q": "luc thi mai"})
        assert CHILD_OF_A in found.content.decode()
        assert "Học bổng" in found.content.decode()  # the kinds for a child
        assert "Thiết bị điểm vui chơi" not in found.content.decode()
        done = client.post(PROPOSE, self.form(q="luc thi mai",
                                              child=str(pages.child_a.public_id)))
        need = Need.objects.get(kind__code="school", child=pages.child_a)
        assert done.status_code == 302 and done["Location"] == url("need_detail", need)
        assert need.status == NeedStatus.PROPOSED and need.commune == pages.tree.commune_a
        assert CHILD_OF_A in client.get(done["Location"]).content.decode()

    def test_a_child_of_another_commune_is_neither_found_nor_taken(self, pages: Pages
                                                                    ) -> None:
        client = pages.as_(pages.personas.officer)
        found = client.post(PROPOSE, {"beneficiary": "child", "q": "hoang van bao"})
        assert CHILD_OF_B not in found.content.decode()
        assert "Không tìm thấy trẻ em nào" in found.content.decode()
        before = snapshot()
        taken = client.post(PROPOSE, self.form(q="hoang van bao",
                                               child=str(pages.child_b.public_id)))
        assert taken.status_code == 200 and snapshot() == before

    def test_a_need_listed_already_is_refused_naming_the_first(self, pages: Pages) -> None:
        before = snapshot()
        page = pages.as_(pages.personas.officer).post(PROPOSE, self.form(
            q="luc thi mai", child=str(pages.child_a.public_id), kind="scholarship"))
        assert page.status_code == 200 and snapshot() == before
        assert (str(exc.NEED_ALREADY_LISTED) % {"ref": pages.fund.need_a.reference}
                in page.content.decode())

    def test_bad_input_comes_back_in_vietnamese_and_writes_nothing(self, pages: Pages) -> None:
        before = snapshot()
        page = pages.as_(pages.personas.officer).post(PROPOSE, self.form(
            q="luc thi mai", child=str(pages.child_a.public_id), kind="playground",
            amount="-5", year="2020")).content.decode()
        assert snapshot() == before
        assert "Hãy chọn một loại nhu cầu trong danh sách." in page
        assert str(exc.AMOUNT_INVALID) in page

    def test_a_household_and_a_facility_are_proposed(self, pages: Pages) -> None:
        client = pages.as_(pages.personas.officer)
        found = client.post(PROPOSE, {"beneficiary": "household", "q": "luc van phao"})
        household = pages.child_a.household
        assert household is not None and "Lục Văn Pháo" in found.content.decode()
        done = client.post(PROPOSE, self.form(beneficiary="household", q="luc van phao",
                                              household=str(household.public_id),
                                              kind="meals", description="Gạo"))
        assert done.status_code == 302
        assert Need.objects.filter(household=household, child__isnull=True).exists()
        place = client.post(PROPOSE, self.form(
            beneficiary="facility", commune=str(pages.tree.commune_a.public_id),
            facility="Điểm vui chơi thôn Nà Pồng", kind="playground"))
        assert place.status_code == 302
        assert Need.objects.get(facility="Điểm vui chơi thôn Nà Pồng").commune == \
            pages.tree.commune_a

    @pytest.mark.parametrize("persona", ["chairman", "auditor", "province_officer"])
    def test_readers_may_not_propose(self, pages: Pages, persona: str) -> None:
        client = pages.as_(getattr(pages.personas, persona))
        assert client.get(PROPOSE).status_code == 403
        assert client.post(PROPOSE, self.form(beneficiary="commune", kind="playground",
                                              commune=str(pages.tree.commune_a.public_id))
                           ).status_code == 403
        assert pages.as_(pages.fund.manager).get(PROPOSE).status_code == 403


class DecisionTests:
    def test_the_province_approves_or_refuses_with_a_reason(self, pages: Pages) -> None:
        client = pages.as_(pages.personas.province_officer)
        proposed = pages.fund.proposed_a
        detail = client.get(url("need_detail", proposed)).content.decode()
        assert "Tỉnh duyệt nhu cầu" in detail
        short = client.post(url("need_decide", proposed), {"decision": "refuse",
                                                           "reason": "trùng"})
        assert short.status_code == 200
        assert "Hãy ghi lý do (ít nhất 10 ký tự)." in short.content.decode()
        proposed.refresh_from_db()
        assert proposed.status == NeedStatus.PROPOSED
        refused = client.post(url("need_decide", proposed),
                              {"decision": "refuse", "reason": "Đã có chương trình y tế lo"})
        assert refused.status_code == 302
        proposed.refresh_from_db()
        assert proposed.status == NeedStatus.REJECTED
        shown = pages.as_(pages.personas.officer).get(url("need_detail", proposed))
        assert "Đã có chương trình y tế lo" in shown.content.decode()

    def test_the_province_approves_commune_bs_need_too(self, pages: Pages) -> None:
        done = pages.as_(pages.personas.province_officer).post(
            url("need_decide", pages.fund.proposed_b), {"decision": "approve"})
        assert done.status_code == 302
        assert Need.objects.get(pk=pages.fund.proposed_b.pk).status == NeedStatus.APPROVED

    @pytest.mark.parametrize("persona", ["officer", "chairman", "auditor"])
    def test_readers_may_not_decide(self, pages: Pages, persona: str) -> None:
        client = pages.as_(getattr(pages.personas, persona))
        assert "Tỉnh duyệt nhu cầu" not in client.get(
            url("need_detail", pages.fund.proposed_a)).content.decode()
        assert client.post(url("need_decide", pages.fund.proposed_a),
                           {"decision": "approve"}).status_code == 403

    def test_the_commune_withdraws_a_need_without_allocations_only(self, pages: Pages) -> None:
        client = pages.as_(pages.personas.officer)
        assert "Rút nhu cầu" not in client.get(url("need_detail", pages.fund.need_a)
                                               ).content.decode()
        before = snapshot()
        held = client.post(url("need_cancel", pages.fund.need_a),
                           {"reason": "Em đã chuyển trường"})
        assert str(exc.NEED_HAS_ALLOCATIONS) in held.content.decode() and snapshot() == before
        done = client.post(url("need_cancel", pages.fund.proposed_a),
                           {"reason": "Em đã chuyển trường"})
        assert done.status_code == 302
        assert Need.objects.get(pk=pages.fund.proposed_a.pk).status == NeedStatus.CANCELLED
        assert pages.as_(pages.personas.chairman).post(
            url("need_cancel", pages.fund.proposed_a), {"reason": "x" * 12}).status_code == 403



class OutOfScopeTests:
    """Every object of commune A is not found for commune B's officer and for the other
    province's users; commune B's proof is not found for commune A's officer."""

    def calls(self, pages: Pages) -> list[tuple[str, str, dict[str, Any] | None]]:
        world = pages.fund
        reason = {"reason": "Em đã chuyển trường"}
        return [
            ("get", url("need_detail", world.need_a), None),
            ("get", url("need_detail", world.proposed_a), None),
            ("post", url("need_decide", world.proposed_a), {"decision": "approve"}),
            ("post", url("need_cancel", world.proposed_a), reason),
            ("get", url("allocate", world.need_a), None),
            ("get", url("allocation_detail", world.allocation_a), None),
            ("post", url("allocation_decide", world.awaiting_a), {"decision": "approve"}),
            ("post", url("allocation_cancel", world.allocation_a), reason),
            ("get", url("delivery_record", world.allocation_a), None),
            ("post", url("delivery_record", world.allocation_a), {"delivered_on": "01/06/2026"}),
            ("get", url("proof_file", world.proof_a), None),
        ]

    @pytest.mark.parametrize("who", ["outsider", "officer_c", "province_c", "manager_c"])
    def test_commune_as_objects_are_not_found(self, pages: Pages, who: str) -> None:
        user = (getattr(pages.personas, who, None) or getattr(pages, who, None)
                or getattr(pages.fund, who))
        client = pages.as_(user)
        before = snapshot()
        for method, address, data in self.calls(pages):
            answer = getattr(client, method)(address, data or {})
            # 404, or 403 where the user lacks the capability altogether (checked first).
            assert answer.status_code in (403, 404), (who, address, answer.status_code)
            if user.has_capability(self.capability(address)):
                assert answer.status_code == 404, (who, address)
        assert snapshot() == before

    def capability(self, address: str) -> str:
        from django.urls import resolve

        return resolve(address).func.required_capability  # type: ignore[attr-defined]

    def test_another_communes_proof_is_not_found(self, pages: Pages) -> None:
        client = pages.as_(pages.personas.officer)
        assert client.get(url("proof_file", pages.fund.proof_b)).status_code == 404
        assert client.get(url("proof_file", pages.fund.proof_a)).status_code == 200
        assert pages.as_(pages.personas.outsider).get(
            url("proof_file", pages.fund.proof_a)).status_code == 404
