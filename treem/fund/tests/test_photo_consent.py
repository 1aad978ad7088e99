"""A photo of a child handed support rests on a consent (Luật 91/2025/QH15 Điều 24 khoản 2):
refused with the reason when none holds on the day of the delivery, kept on the proof; once
the consent is withdrawn the photo is neither listed nor served (404, pages and API), the file
kept for the accountant. A delivery to a commune needs none."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from treem.accounts.services import token_create
from treem.fund import allocations, needs
from treem.fund.allocations import Proof
from treem.fund.models import Allocation, Delivery, DeliveryProof, NeedKind
from treem.fund.services import Bucket, unrestricted
from treem.fund.tests.needs_pages_world import PDF, Pages, make_pages, png, snapshot, url
from treem.registry.consent import services as consents
from treem.registry.models import ChildConsent
from treem.registry.tests.factories import make_consent
from treem.testing import Personas, Tree, messages_of, refused

pytestmark = pytest.mark.django_db

PHOTO = "photo_evidence"


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def pages(tree: Tree, personas: Personas) -> Pages:
    return make_pages(tree, personas)


def deliver(pages: Pages, allocation: Allocation, *proofs: Proof) -> Delivery:
    return allocations.delivery_record(actor=pages.personas.officer, allocation=allocation,
                                       delivered_on=today(), proofs=list(proofs))


RECEIPT = Proof("signed_receipt", PDF, "bien-nhan.pdf")


def photo() -> Proof:
    return Proof("photo", png(), "anh-trao-qua.png")


def withdraw(pages: Pages, consent: ChildConsent) -> None:
    consents.consent_withdraw(actor=pages.personas.officer, consent=consent,
                              base_version=consent.version, withdrawn_on=today())


def api(pages: Pages) -> Client:
    _token, raw = token_create(user=pages.personas.officer, name="thử ảnh", days=1)
    return Client(headers={"Authorization": f"Bearer {raw}"})


class PhotoNeedsConsentTests:
    def test_a_photo_of_a_child_without_consent_is_refused_with_the_reason(
            self, pages: Pages) -> None:
        error = refused(allocations.delivery_record, snapshot=snapshot,
                        actor=pages.personas.officer, allocation=pages.fund.allocation_a,
                        delivered_on=today(), proofs=[RECEIPT, photo()])
        assert "Ảnh của trẻ làm minh chứng" in messages_of(error, "proofs")[0]

    def test_a_receipt_alone_needs_no_consent(self, pages: Pages) -> None:
        delivery = deliver(pages, pages.fund.allocation_a, RECEIPT)
        assert delivery.proofs.get().consent is None

    def test_the_consent_relied_upon_is_kept_on_the_photo_only(self, pages: Pages) -> None:
        consent = make_consent(child=pages.child_a, purpose=PHOTO)
        delivery = deliver(pages, pages.fund.allocation_a, RECEIPT, photo())
        kept = {p.kind: p.consent for p in delivery.proofs.all()}
        assert kept == {"signed_receipt": None, "photo": consent}

    def test_a_delivery_to_a_commune_needs_no_consent(self, pages: Pages) -> None:
        fund = pages.fund
        need = needs.need_propose(actor=pages.personas.officer,
                                  kind=NeedKind.objects.filter(for_child=False)[0],
                                  beneficiary="commune", commune_id=pages.tree.commune_a.public_id,
                                  description="Sửa điểm vui chơi của xã", amount=1_000_000,
                                  year=today().year)
        needs.need_decide(actor=pages.personas.province_officer, need=need, approve=True)
        allocation = allocations.allocate(actor=fund.manager, need=need,
                                          bucket=Bucket(unrestricted(fund.fund)),
                                          amount=500_000)
        assert deliver(pages, allocation, photo()).proofs.get().consent is None


class WithdrawalHidesTests:
    def test_a_withdrawn_consent_hides_the_photo_from_pages_and_api_and_keeps_the_file(
            self, pages: Pages) -> None:
        consent = make_consent(child=pages.child_a, purpose=PHOTO)
        allocation = pages.fund.allocation_a
        delivery = deliver(pages, allocation, RECEIPT, photo())
        shot = delivery.proofs.get(kind="photo")
        client = pages.as_(pages.personas.officer)
        detail = url("allocation_detail", allocation)
        assert "anh-trao-qua.png" in client.get(detail).content.decode()
        assert client.get(url("proof_file", shot)).status_code == 200
        withdraw(pages, consent)
        text = client.get(detail).content.decode()
        assert "anh-trao-qua.png" not in text and "bien-nhan.pdf" in text
        assert reverse("fund:proof_file", args=[shot.public_id]) not in client.get(
            url("need_detail", allocation.need)).content.decode()
        assert client.get(url("proof_file", shot)).status_code == 404
        over_api = api(pages)
        listed = over_api.get(f"/api/v1/deliveries/{delivery.public_id}").json()
        assert [p["kind"] for p in listed["proofs"]] == ["signed_receipt"]
        assert over_api.get(f"/api/v1/delivery-proofs/{shot.public_id}").status_code == 404
        # The accountant's record keeps the file.
        kept = DeliveryProof.objects.get(pk=shot.pk)
        assert kept.file.storage.exists(kept.file.name)
