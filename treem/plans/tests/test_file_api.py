"""The plans' files over the API: a plan's document uploaded (multipart), read and removed;
progress evidence and activity files read. Who may not read what a file belongs to gets 404,
a reader who may not write 403, a bad file a Vietnamese 422 and nothing kept."""

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from treem.accounts.services import token_create
from treem.plans.activities import services as activity_services
from treem.plans.activities.models import ActivityType
from treem.plans.models import PlanAttachment
from treem.plans.tests.factories import make_plan
from treem.testing import Personas, Tree

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 ke hoach da ky"


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(user=user, name='thử', days=1)[1]}"}


def upload(client: Client, plan: Any, user: Any, data: bytes = PDF,
           name: str = "ke-hoach.pdf", title: str = "Kế hoạch đã ký") -> Any:
    return client.post(f"/api/v1/local-plans/{plan.public_id}/documents",
                       {"title": title, "file": SimpleUploadedFile(name, data)},
                       headers=bearer(user))


def test_a_document_is_uploaded_read_by_readers_and_removed(
        client: Client, tree: Tree, personas: Personas) -> None:
    plan = make_plan(tree.commune_a, "Kế hoạch của phường")
    made = upload(client, plan, personas.officer)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["title"], body["content_type"], body["size"]) == (
        "Kế hoạch đã ký", "application/pdf", len(PDF))
    url = f"/api/v1/plan-documents/{body['id']}"
    read: Any = client.get(url, headers=bearer(personas.auditor))
    assert read.status_code == 200 and b"".join(read.streaming_content) == PDF
    assert read["Cache-Control"] == "private, no-store"
    listed = client.get(f"/api/v1/local-plans/{plan.public_id}",
                        headers=bearer(personas.officer)).json()
    assert [d["id"] for d in listed["documents"]] == [body["id"]]
    assert client.get(url, headers=bearer(personas.outsider)).status_code == 404
    assert client.delete(url, headers=bearer(personas.auditor)).status_code == 403
    assert client.delete(url, headers=bearer(personas.outsider)).status_code == 404
    assert client.delete(url, headers=bearer(personas.officer)).status_code == 204
    assert not PlanAttachment.objects.exists()
    assert client.get(url, headers=bearer(personas.officer)).status_code == 404


def test_bad_files_are_refused_in_vietnamese_and_nothing_kept(
        client: Client, tree: Tree, personas: Personas) -> None:
    plan = make_plan(tree.commune_a)
    exe = upload(client, plan, personas.officer, data=b"MZ\x90\x00", name="ke-hoach.exe")
    assert exe.status_code == 422
    assert exe.json()["errors"][0]["msg"] == "Chỉ nhận ảnh JPEG, PNG hoặc tệp PDF."
    with override_settings(TREEM_EVIDENCE_MAX_BYTES=10):
        big = upload(client, plan, personas.officer)
    assert big.status_code == 422
    none: Any = client.post(f"/api/v1/local-plans/{plan.public_id}/documents", {"title": "x"},
                       headers=bearer(personas.officer))
    assert none.status_code == 422 and "Hãy chọn tệp" in none.json()["detail"]
    assert upload(client, plan, personas.outsider).status_code == 404
    assert upload(client, plan, personas.auditor).status_code == 403
    assert not PlanAttachment.objects.exists()


def test_a_photo_loses_its_location_and_an_activity_file_is_read_by_its_readers(
        client: Client, tree: Tree, personas: Personas) -> None:
    image = Image.new("RGB", (8, 8))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 0.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    activity = activity_services.activity_create(
        actor=personas.officer, unit=tree.commune_a, title="Truyền thông",
        type=ActivityType.objects.get(code="communication"),
        start_date=datetime.date(2025, 6, 1), end_date=datetime.date(2025, 6, 1))
    item = activity_services.activity_file_add(actor=personas.officer, activity=activity,
                                               data=buffer.getvalue(), name="anh.jpg",
                                               kind="photo")
    url = f"/api/v1/activity-files/{item.public_id}"
    read: Any = client.get(url, headers=bearer(personas.sector_focal))
    assert read.status_code == 200 and read["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(read.streaming_content))).getexif().get(0x8825) is None
    assert client.get(url, headers=bearer(personas.outsider)).status_code == 404
