"""The pages of matching, allocations and deliveries, step by step as each role: the fund's
holdings and the needs suggested, an allocation of money or goods, the double-beneficiary
refusal with why (and the override), the approver's decision (never on its own allocation),
the manager's cancellation, deliveries with their proof files (1 to 5, checked, served to
whoever reads the allocation) and readers refused (403)."""

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from treem.accounts.models import RoleAssignment
from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.fund import allocations, needs
from treem.fund import exceptions as exc
from treem.fund.models import Allocation, AllocationStatus, Delivery, NeedKind
from treem.fund.services import Bucket, unrestricted
from treem.fund.tests.needs_pages_world import (
    PDF,
    Pages,
    make_pages,
    png,
    snapshot,
    upload,
    url,
)
from treem.registry.models import ChildSupport
from treem.registry.tests.factories import make_consent
from treem.testing import Personas, Tree, make_user
from treem.web.tests.scope_fund import NEED_OF_A, NEED_OF_B, NEED_OF_C

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(tree: Tree, personas: Personas) -> Pages:
    return make_pages(tree, personas)


class MatchingTests:
    def test_the_manager_chooses_a_holding_and_allocates_to_a_suggestion(
            self, pages: Pages) -> None:
        client = pages.as_(pages.fund.manager)
        page = client.get(reverse("fund:match")).content.decode()
        assert "Bộ đồ dùng học tập" in page and "còn 20 bộ" in page
        assert pages.fund.need_a.reference in page and pages.fund.need_c.reference not in page
        lot = pages.fund.lot_a
        goods = client.get(reverse("fund:match"), {
            "restriction": unrestricted(pages.fund.fund).pk,
            "campaign": pages.fund.campaign_a.pk, "lot": lot.pk}).content.decode()
        assert 'name="quantity"' in goods and 'name="amount"' not in goods
        done = client.post(url("allocate", pages.fund.need_b), {
            "restriction": unrestricted(pages.fund.fund).pk,
            "campaign": pages.fund.campaign_a.pk, "lot": lot.pk, "quantity": "2",
            "override_reason": "Đồ dùng học tập, khác với học bổng đã nhận"})
        allocation = Allocation.objects.get(lot=lot)
        assert done.status_code == 302 and done["Location"] == url("allocation_detail",
                                                                   allocation)
        assert allocation.quantity == 2 and allocation.amount == 400_000  # 2 of 20, 4 million

    def test_a_second_support_is_refused_with_why_and_the_override_works(
            self, pages: Pages) -> None:
        client = pages.as_(pages.fund.manager)
        form = {"restriction": unrestricted(pages.fund.fund).pk, "amount": "100000"}
        # A second scholarship of child A (another programme's) this year: a double support.
        again = needs.need_decide(actor=pages.personas.province_officer, approve=True,
                                  need=needs.need_propose(
            actor=pages.personas.officer, kind=NeedKind.objects.get(code="scholarship"),
            beneficiary="child", child_id=pages.child_a.public_id,
            description="Học bổng của hội khuyến học", amount=1_000_000,
            year=pages.fund.need_a.year, programme="Khuyến học"))
        before = snapshot()
        refused = client.post(url("allocate", again), form)
        page = refused.content.decode()
        assert refused.status_code == 200 and snapshot() == before
        assert pages.fund.allocation_a.reference in page  # the earlier allocation, named
        assert "Lý do vẫn hỗ trợ" in page and 'id="overlaps"' in page
        short = client.post(url("allocate", again), {**form, "override_reason": "cần"})
        assert short.status_code == 200 and snapshot() == before
        given = client.post(url("allocate", again),
                            {**form, "override_reason": "Học kỳ hai, đã xác minh với trường"})
        assert given.status_code == 302
        allocation = Allocation.objects.get(need=again)
        assert allocation.override_reason == "Học kỳ hai, đã xác minh với trường"
        assert any("override_reason" in event.changed_fields for event in
                   AuditEvent.objects.filter(object_id=str(allocation.public_id)))
        shown = client.get(given["Location"]).content.decode()
        assert "Học kỳ hai, đã xác minh với trường" in shown

    def test_a_register_support_is_shown_as_the_reason_of_a_refusal(self, pages: Pages
                                                                      ) -> None:
        ChildSupport.objects.create(child=pages.child_b, province_code="04", kind="education",
                                    provider="Trường Tiểu học Hòa An",
                                    start_date=datetime.date(timezone.localdate().year, 1, 1))
        need = needs.need_propose(actor=pages.personas.outsider,
                                  kind=NeedKind.objects.get(code="school"),
                                  beneficiary="child", child_id=pages.child_b.public_id,
                                  description="Sách vở", amount=500_000, year=timezone.localdate().year)
        needs.need_decide(actor=pages.personas.province_officer, need=need, approve=True)
        page = pages.as_(pages.fund.manager).post(url("allocate", need), {
            "restriction": unrestricted(pages.fund.fund).pk, "amount": "500000"}
        ).content.decode()
        assert "Trường Tiểu học Hòa An" in page and "Sổ theo dõi trẻ em" in page

    def test_an_amount_above_the_need_is_refused_in_vietnamese(self, pages: Pages) -> None:
        before = snapshot()
        page = pages.as_(pages.fund.manager).post(url("allocate", pages.fund.need_b), {
            "restriction": unrestricted(pages.fund.fund).pk, "amount": "5000000",
            "override_reason": "Đã xác minh, cần thêm"}).content.decode()
        assert snapshot() == before
        assert str(exc.OVER_NEED) % {"need": "2000000", "given": "1000000"} in page

    def test_the_allocate_page_offers_the_buckets_that_fit(self, pages: Pages) -> None:
        page = pages.as_(pages.fund.manager).get(url("allocate", pages.fund.need_b)
                                                 ).content.decode()
        assert "Chọn nguồn" in page and "Bộ đồ dùng học tập" in page

    def test_others_may_not_match_or_allocate(self, pages: Pages) -> None:
        form = {"restriction": unrestricted(pages.fund.fund).pk, "amount": "100000"}
        for user in (pages.personas.officer, pages.personas.province_officer,
                     pages.personas.auditor, pages.fund.approver):
            client = pages.as_(user)
            assert client.get(reverse("fund:match")).status_code == 403
            assert client.post(url("allocate", pages.fund.need_b), form).status_code == 403
        other = pages.as_(pages.fund.manager_c)
        assert other.post(url("allocate", pages.fund.need_b), form).status_code == 404
        assert pages.fund.need_b.reference not in other.get(reverse("fund:match")
                                                            ).content.decode()


class AllocationTests:
    def test_the_approver_sees_what_waits_and_approves_it(self, pages: Pages) -> None:
        client = pages.as_(pages.fund.approver)
        listed = client.get(reverse("fund:allocation_list")).content.decode()
        assert "1 phân bổ chờ bạn phê duyệt" in listed
        waiting = client.get(reverse("fund:allocation_list"), {"status": "awaiting"}
                             ).content.decode()
        assert pages.fund.awaiting_a.reference in waiting
        assert pages.fund.allocation_a.reference not in waiting
        assert pages.fund.awaiting_c.reference not in waiting
        done = client.post(url("allocation_decide", pages.fund.awaiting_a),
                           {"decision": "approve"})
        assert done.status_code == 302
        assert Allocation.objects.get(pk=pages.fund.awaiting_a.pk).status == \
            AllocationStatus.APPROVED

    def test_a_refusal_needs_a_reason_and_gives_the_money_back(self, pages: Pages) -> None:
        client = pages.as_(pages.fund.approver)
        before = snapshot()
        short = client.post(url("allocation_decide", pages.fund.awaiting_a),
                            {"decision": "refuse"})
        assert "Hãy ghi lý do (ít nhất 10 ký tự)." in short.content.decode()
        assert snapshot() == before
        client.post(url("allocation_decide", pages.fund.awaiting_a),
                    {"decision": "refuse", "reason": "Vượt định mức hỗ trợ năm"})
        allocation = Allocation.objects.get(pk=pages.fund.awaiting_a.pk)
        assert allocation.status == AllocationStatus.CANCELLED and allocation.release_id

    def test_the_maker_may_not_approve_its_own_allocation(self, pages: Pages) -> None:
        both = make_user("quy_va_duyet", role=Role.FUND_MANAGER, unit=pages.tree.province)
        RoleAssignment.objects.create(user=both, role=Role.FUND_APPROVER,
                                      unit=pages.tree.province)
        need = needs.need_propose(actor=pages.personas.officer,
                                  kind=NeedKind.objects.get(code="counselling"),
                                  beneficiary="child", child_id=pages.child_a.public_id,
                                  description="Trị liệu tâm lý", amount=30_000_000,
                                  year=timezone.localdate().year)
        needs.need_decide(actor=pages.personas.province_officer, need=need, approve=True)
        allocation = allocations.allocate(actor=both, need=need, amount=21_000_000,
                                          bucket=Bucket(unrestricted(pages.fund.fund)))
        assert allocation.status == AllocationStatus.AWAITING_APPROVAL
        page = pages.as_(both).post(url("allocation_decide", allocation),
                                    {"decision": "approve"})
        assert page.status_code == 200 and str(exc.OWN_ALLOCATION) in page.content.decode()
        assert Allocation.objects.get(pk=allocation.pk).status == \
            AllocationStatus.AWAITING_APPROVAL

    def test_the_manager_cancels_with_a_reason(self, pages: Pages) -> None:
        client = pages.as_(pages.fund.manager)
        assert "Hủy phân bổ" in client.get(url("allocation_detail", pages.fund.allocation_a)
                                           ).content.decode()
        done = client.post(url("allocation_cancel", pages.fund.allocation_a),
                           {"reason": "Nhà tài trợ đổi kế hoạch"})
        assert done.status_code == 302
        allocation = Allocation.objects.get(pk=pages.fund.allocation_a.pk)
        assert allocation.status == AllocationStatus.CANCELLED
        assert "Nhà tài trợ đổi kế hoạch" in client.get(done["Location"]).content.decode()

    def test_the_list_reads_the_same_number_of_queries_whatever_its_length(
            self, pages: Pages) -> None:
        client = pages.as_(pages.fund.approver)
        client.get(reverse("fund:allocation_list"))  # the session and caches warmed
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("fund:allocation_list"))
        kind = NeedKind.objects.get(code="playground")
        for n in range(8):
            need = needs.need_propose(actor=pages.personas.officer, kind=kind,
                                      beneficiary="facility", facility=f"Điểm {n}",
                                      commune_id=pages.tree.commune_a.public_id,
                                      description="Cầu trượt", amount=1_000_000,
                                      year=timezone.localdate().year)
            needs.need_decide(actor=pages.personas.province_officer, need=need, approve=True)
            allocations.allocate(actor=pages.fund.manager, need=need, amount=1_000_000,
                                 bucket=Bucket(unrestricted(pages.fund.fund)))
        with CaptureQueriesContext(connection) as many:
            page = client.get(reverse("fund:allocation_list")).content.decode()
        assert len(many) == len(few) and page.count("PB-") >= 13

    def test_the_commune_lists_its_allocations_only(self, pages: Pages) -> None:
        page = pages.as_(pages.personas.officer).get(reverse("fund:allocation_list")
                                                     ).content.decode()
        assert NEED_OF_A in page and NEED_OF_B not in page and NEED_OF_C not in page
        assert "chờ bạn phê duyệt" not in page

    @pytest.mark.parametrize("persona", ["officer", "chairman", "auditor", "province_officer"])
    def test_readers_may_not_decide_or_cancel(self, pages: Pages, persona: str) -> None:
        client = pages.as_(getattr(pages.personas, persona))
        assert client.post(url("allocation_decide", pages.fund.awaiting_a),
                           {"decision": "approve"}).status_code == 403
        assert client.post(url("allocation_cancel", pages.fund.allocation_a),
                           {"reason": "Nhà tài trợ đổi kế hoạch"}).status_code == 403
        assert pages.as_(pages.fund.approver).post(
            url("allocation_cancel", pages.fund.allocation_a),
            {"reason": "Nhà tài trợ đổi kế hoạch"}).status_code == 403


class DeliveryTests:
    def post(self, client: Client, allocation: Allocation, **files: list[io.BytesIO]) -> Any:
        return client.post(url("delivery_record", allocation), {
            "delivered_on": timezone.localdate().strftime("%d/%m/%Y"), "note": "Tại UBND xã",
            **files})

    def test_the_officer_records_a_delivery_with_a_receipt_and_a_photo(self, pages: Pages
                                                                        ) -> None:
        client = pages.as_(pages.personas.officer)
        allocation = pages.fund.allocation_a
        # The photo of the child rests on its consent (treem/fund/tests/test_photo_consent.py).
        make_consent(child=pages.child_a, purpose="photo_evidence")
        assert "Ghi nhận đã trao" in client.get(url("allocation_detail", allocation)
                                                ).content.decode()
        form = client.get(url("delivery_record", allocation)).content.decode()
        assert 'enctype="multipart/form-data"' in form
        done = self.post(client, allocation, signed_receipt=[upload("bien-nhan.pdf", PDF)],
                         photo=[upload("anh.png", png())])
        assert done.status_code == 302
        delivery = Delivery.objects.get(allocation=allocation)
        proofs = {p.kind: p for p in delivery.proofs.all()}
        assert set(proofs) == {"signed_receipt", "photo"}
        detail = client.get(done["Location"]).content.decode()
        assert "bien-nhan.pdf" in detail and "anh.png" in detail
        pdf = client.get(url("proof_file", proofs["signed_receipt"]))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf["Cache-Control"] == "private, no-store"
        assert b"".join(pdf.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
        photo = client.get(url("proof_file", proofs["photo"]))
        assert photo["Content-Type"] == "image/png"
        # Whoever reads the allocation reads its proofs; nobody without signing in.
        assert pages.as_(pages.personas.chairman).get(
            url("proof_file", proofs["photo"])).status_code == 200
        assert Client().get(url("proof_file", proofs["photo"])).status_code == 302

    def test_the_fund_manager_may_record_a_delivery(self, pages: Pages) -> None:
        done = self.post(pages.as_(pages.fund.manager), pages.fund.allocation_b,
                         signed_receipt=[upload("bien-nhan.pdf", PDF)])
        assert done.status_code == 302
        assert Allocation.objects.get(pk=pages.fund.allocation_b.pk).status == \
            AllocationStatus.DELIVERED

    def test_bad_files_are_refused_and_nothing_is_written(self, pages: Pages,
                                                          settings: Any) -> None:
        client = pages.as_(pages.personas.officer)
        allocation = pages.fund.allocation_a
        before = snapshot()
        none = self.post(client, allocation).content.decode()
        assert str(exc.PROOF_REQUIRED) in none
        six = self.post(client, allocation,
                        photo=[upload(f"anh-{n}.png", png()) for n in range(6)])
        assert str(exc.TOO_MANY_PROOFS) % {"n": 5} in six.content.decode()
        text = self.post(client, allocation, signed_receipt=[upload("a.txt", b"hello")])
        assert "Chỉ nhận ảnh JPEG, PNG hoặc tệp PDF." in text.content.decode()
        settings.TREEM_EVIDENCE_MAX_BYTES = 10
        large = self.post(client, allocation, signed_receipt=[upload("bien-nhan.pdf", PDF)])
        assert "Tệp lớn quá" in large.content.decode()
        assert snapshot() == before

    def test_a_cancelled_allocation_is_not_delivered(self, pages: Pages) -> None:
        allocations.allocation_cancel(actor=pages.fund.manager,
                                      allocation=pages.fund.allocation_a,
                                      reason="Nhà tài trợ đổi kế hoạch")
        client = pages.as_(pages.personas.officer)
        before = snapshot()
        page = self.post(client, pages.fund.allocation_a,
                         signed_receipt=[upload("bien-nhan.pdf", PDF)])
        assert page.status_code == 200 and str(exc.DELIVERY_CANCELLED) in page.content.decode()
        assert snapshot() == before
        assert 'type="file"' not in client.get(url("delivery_record", pages.fund.allocation_a)
                                               ).content.decode()

    def test_a_delivered_allocation_shows_its_proofs(self, pages: Pages) -> None:
        delivered = pages.fund.delivery_a.allocation
        page = pages.as_(pages.personas.auditor).get(url("allocation_detail", delivered))
        assert url("proof_file", pages.fund.proof_a) in page.content.decode()

    @pytest.mark.parametrize("persona", ["chairman", "auditor", "province_officer"])
    def test_readers_may_not_record_a_delivery(self, pages: Pages, persona: str) -> None:
        client = pages.as_(getattr(pages.personas, persona))
        assert client.get(url("delivery_record", pages.fund.allocation_a)).status_code == 403
        assert self.post(client, pages.fund.allocation_a,
                         signed_receipt=[upload("bien-nhan.pdf", PDF)]).status_code == 403

