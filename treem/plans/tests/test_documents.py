"""A plan's documents (the signed plan, its annexes): added and removed by the office keeping
the plan's unit, read by whoever reads the plan, never by another commune or province."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from treem.plans import attachment_services
from treem.plans.models import PlanAttachment
from treem.plans.tests.factories import make_plan
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 ke hoach da ky"


def test_the_office_attaches_the_signed_plan_and_readers_open_it(
        client: Client, tree: Tree, personas: Personas) -> None:
    plan = make_plan(tree.commune_a, "Kế hoạch của phường")
    login(client, personas.officer)
    added = client.post(reverse("plans:attachment_add", args=[plan.public_id]),
                        {"title": "Kế hoạch đã ký", "file": _upload()})
    assert added.status_code == 302
    item = PlanAttachment.objects.get()
    assert (item.title, item.content_type, item.plan) == ("Kế hoạch đã ký",
                                                          "application/pdf", plan)
    assert "Kế hoạch đã ký" in client.get(reverse("plans:plan_detail", args=[plan.public_id])
                                          ).content.decode()
    url = reverse("plans:attachment_file", args=[item.public_id])
    assert login(Client(), personas.auditor).get(url).status_code == 200
    assert login(Client(), personas.outsider).get(url).status_code == 404
    # The province reads every plan of its area, documents included.
    assert login(Client(), personas.province_officer).get(url).status_code == 200
    assert login(Client(), personas.auditor).post(
        reverse("plans:attachment_remove", args=[item.public_id])).status_code == 403
    assert client.post(reverse("plans:attachment_remove", args=[item.public_id])
                       ).status_code == 302
    assert not PlanAttachment.objects.exists()


def test_a_file_that_is_not_a_pdf_or_photo_is_refused_and_nothing_kept(
        tree: Tree, personas: Personas) -> None:
    plan = make_plan(tree.commune_a)
    with pytest.raises(ValidationError):
        attachment_services.attachment_add(actor=personas.officer, plan=plan, data=b"MZ\x90\x00",
                                           name="ke-hoach.exe")
    with pytest.raises(PermissionDenied):
        attachment_services.attachment_add(actor=personas.outsider, plan=plan, data=PDF,
                                           name="a.pdf")
    assert not PlanAttachment.objects.exists()


def _upload() -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")
