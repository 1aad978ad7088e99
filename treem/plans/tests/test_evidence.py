"""Evidence files of progress reports: what is taken, what is stripped, who reads them."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from PIL import Image

from treem.plans import progress_services, services
from treem.plans.models import Evidence, ProgressStatus, TaskProgress
from treem.plans.tests.factories import make_agency, make_plan, make_task
from treem.testing import Personas, Tree, login
from treem.ui import uploads


def photo(*, gps: bool = True, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (21.0, 1.0, 0.0), 3: "E", 4: (105.0, 51.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def progress(tree: Tree, personas: Personas) -> TaskProgress:
    police = make_agency(tree.province, "Công an tỉnh")
    services.focal_point_add(actor=personas.province_officer, agency=police,
                             user=personas.sector_focal)
    task = make_task(make_plan(tree.province), police)
    return progress_services.progress_report(
        actor=personas.sector_focal, task=task, agency=police, period="2026S1",
        status=ProgressStatus.IN_PROGRESS, percent_done=50, done_text="Đã tuyên truyền ở 12 xã.")


def test_a_photo_is_kept_without_its_location(progress: TaskProgress,
                                              personas: Personas) -> None:
    data = photo()
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825)  # the phone's GPS is there
    item = progress_services.evidence_add(actor=personas.sector_focal, progress=progress, data=data,
                                          name="C:\\Users\\ca\\IMG_0001.jpg")
    assert (item.name, item.content_type) == ("IMG_0001.jpg", "image/jpeg")
    with item.file.open("rb") as stored:
        kept = Image.open(io.BytesIO(stored.read()))
        assert kept.size == (64, 48)
        assert not kept.getexif()  # no GPS, no device
    assert "IMG_0001" not in item.file.name  # the name on disk is random


@pytest.mark.parametrize(("data", "message"), [
    (b"MZ\x90\x00 not an image", uploads.NOT_ALLOWED),
    (b"\xff\xd8\xff\xe0 broken jpeg", uploads.BROKEN),
    (b"", uploads.EMPTY),
])
def test_a_file_that_is_not_a_photo_or_pdf_is_refused(
        progress: TaskProgress, personas: Personas, data: bytes, message: object) -> None:
    with pytest.raises(ValidationError) as error:
        progress_services.evidence_add(actor=personas.sector_focal, progress=progress, data=data,
                                       name="x.jpg")
    assert error.value.message_dict["file"] == [str(message)]
    assert not Evidence.objects.exists()


def test_a_huge_image_in_a_small_file_is_refused(progress: TaskProgress,
                                                 personas: Personas) -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 megapixels, a few kB
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ValidationError) as error:
        progress_services.evidence_add(actor=personas.sector_focal, progress=progress,
                                       data=out.getvalue(), name="x.png")
    assert error.value.message_dict["file"] == [str(uploads.HUGE_IMAGE)]


def test_a_file_over_the_limit_is_refused(progress: TaskProgress, personas: Personas,
                                          settings: object) -> None:
    settings.TREEM_EVIDENCE_MAX_BYTES = 1024  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        progress_services.evidence_add(actor=personas.sector_focal, progress=progress,
                                       data=b"%PDF-1.4" + b"0" * 2000, name="bien-ban.pdf")
    assert not Evidence.objects.exists()


def test_only_who_reports_for_the_agency_adds_or_removes(progress: TaskProgress,
                                                         personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        progress_services.evidence_add(actor=personas.officer, progress=progress,
                                       data=b"%PDF-1.4 x", name="x.pdf")
    item = progress_services.evidence_add(actor=personas.sector_focal, progress=progress,
                                          data=b"%PDF-1.4 x", name="bien-ban.pdf")
    with pytest.raises(PermissionDenied):
        progress_services.evidence_remove(actor=personas.officer, item=item)


def test_the_pages_upload_show_and_remove_a_file_within_scope(
        client: Client, progress: TaskProgress, personas: Personas, tree: Tree) -> None:
    login(client, personas.sector_focal)
    upload = io.BytesIO(photo())
    upload.name = "anh.jpg"
    answer = client.post(reverse("plans:evidence_add", args=[progress.public_id]),
                         {"file": upload})
    assert answer.status_code == 302
    item = Evidence.objects.get()
    page = client.get(answer["Location"]).content.decode()
    assert "anh.jpg" in page and "Đã thêm tệp minh chứng." in page
    shown = client.get(reverse("plans:evidence_file", args=[item.public_id]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert b"".join(shown.streaming_content).startswith(  # type: ignore[attr-defined]
        b"\xff\xd8\xff")
    # A commune that carries out the province's plan reads it; commune B's officer too (the
    # province's plan is theirs as well); the other province's officer does not.
    login(client, personas.officer)
    assert client.get(reverse("plans:evidence_file", args=[item.public_id])).status_code == 200
    assert client.post(reverse("plans:evidence_remove", args=[item.public_id])
                       ).status_code == 302
    assert Evidence.objects.exists()  # not its agency: refused, kept
    login(client, personas.sector_focal)
    client.post(reverse("plans:evidence_remove", args=[item.public_id]))
    assert not Evidence.objects.exists()


def test_evidence_of_another_provinces_plan_is_not_found(
        client: Client, personas: Personas, tree: Tree) -> None:
    police = make_agency(tree.other_province, "Công an thành phố")
    task = make_task(make_plan(tree.other_province), police)
    theirs = TaskProgress.objects.create(task=task, agency=police, period="2026S1",
                                         status="in_progress", percent_done=10,
                                         done_text="x", reported_by=personas.admin)
    item = Evidence.objects.create(progress=theirs, file="plans/evidence/x.pdf", name="x.pdf",
                                   content_type="application/pdf", size=1,
                                   uploaded_by=personas.admin)
    login(client, personas.province_officer)
    assert client.get(reverse("plans:evidence_file", args=[item.public_id])).status_code == 404
    assert client.post(reverse("plans:evidence_add", args=[theirs.public_id]),
                       {"file": io.BytesIO(b"%PDF-1.4")}).status_code == 404
