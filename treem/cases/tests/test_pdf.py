"""The case forms (Mẫu số 01–07) as PDFs made on the server: a real PDF of the form, in
Vietnamese, audited like the print, refused without need-to-know, reading nothing but the
project's static files (the fetcher itself: treem/web/tests/test_pdf.py).

Each form is rendered once (WeasyPrint takes a fraction of a second a page); the refusals stop
before any rendering."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.cases import services
from treem.cases.models import Assessment, Plan, PlanItem, Protection
from treem.cases.tests.test_services import _notify
from treem.registry.tests.factories import make_child
from treem.testing import login, make_user
from treem.ui import pdf

pytestmark = pytest.mark.django_db

# A name with many of the letters only Vietnamese has: each must come out of a real font.
CHILD = "Nguyễn Thị Ánh Tuyết"
FILENAME = re.compile(r'attachment; filename="mau-(\d\d(?:-\d\d)?)-([0-9a-f]{8})\.pdf"')


@dataclass
class Form:
    url_name: str
    record: str          # the fixture's attribute printed
    numbers: str         # in the file's name
    titles: tuple[str, ...]


FORMS = [
    Form("cases:notification_pdf", "notification", "01",
         ("Mẫu số 01", "Báo cáo tiếp nhận thông tin trẻ em")),
    Form("cases:assessment_pdf", "assessment", "02",
         ("Mẫu số 02", "Đánh giá nguy cơ ban đầu, mức độ tổn hại của trẻ em")),
    Form("cases:plan_pdf", "plan", "05-04",
         ("Mẫu số 05", "Về việc phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em",
          "Chủ tịch Ủy ban nhân dân Phường Thục Phán", "Điều 1.", "Nơi nhận:", "- Trạm y tế;",
          "Mẫu số 04", "Kế hoạch hỗ trợ, can thiệp", "Khám sức khỏe tại trạm y tế xã")),
    Form("cases:separation_pdf", "separation", "07",
         ("Mẫu số 07", "Quyết định về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm "
          "sóc trẻ em", "Nhà bà ngoại", "khỏi Ông Hoàng Văn Dũng (cha)",
          "chăm sóc thay thế: Bà Nông Thị Hoa", "Số: ……/QĐ-UBND")),
]


@dataclass
class CaseForms:
    case: Any
    notification: Any
    assessment: Assessment
    plan: Plan
    separation: Protection


@pytest.fixture
def forms(tree, personas) -> CaseForms:
    return make_case_forms(tree, personas)


def make_case_forms(tree: Any, personas: Any) -> CaseForms:
    """A case of commune A with every printed form: the receipt (Mẫu 01), an assessment (02),
    an approved plan (04, 05) and a separation decision (07)."""
    child = make_child(commune=tree.commune_a, full_name=CHILD)
    notification = _notify(personas.intake, tree.commune_a,
                           received_at=timezone.now() - datetime.timedelta(days=2))
    case = services.case_open(actor=personas.officer, notification=notification, child=child)
    notification.refresh_from_db()
    today = timezone.localdate()
    plan = Plan.objects.create(case=case, goal="Trẻ được an toàn ở nhà", created_by=personas.officer,
                               submitted_at=timezone.now(), approved_at=timezone.now(),
                               approved_by=personas.chairman)
    PlanItem.objects.create(plan=plan, task="Khám sức khỏe tại trạm y tế xã", starts_on=today,
                            ends_on=today + datetime.timedelta(days=7), responsible="Trạm y tế",
                            cost=Decimal(150000))
    taken = timezone.now()
    return CaseForms(
        case=case, notification=notification, plan=plan,
        assessment=Assessment.objects.create(case=case, kind="initial", done_on=today,
                                             ratings={"harm": "medium", "risk": "high"},
                                             conclusion="at_risk", done_by=personas.officer),
        separation=Protection.objects.create(case=case, kind="separation", taken_at=taken,
                                             description="Trẻ bị đánh nhiều lần",
                                             care_place="Nhà bà ngoại",
                                             separated_from="Ông Hoàng Văn Dũng (cha)",
                                             alternative_carer="Bà Nông Thị Hoa (bà ngoại)",
                                             until=taken + datetime.timedelta(days=7),
                                             decided_by=personas.chairman))


@dataclass
class Rendering:
    """What WeasyPrint did for the requests of a test: its documents, the URLs it asked for."""

    documents: list[Any]
    fetched: list[str]

    def text(self) -> str:
        # WeasyPrint has no public text of a laid-out page; its boxes hold the text as set,
        # after `text-transform` (the forms' titles are in capitals).
        def texts(box: Any) -> list[str]:
            found = [box.text] if isinstance(box, TextBox) else []
            for child in getattr(box, "children", ()):
                found += texts(child)
            return found

        return " ".join(text for document in self.documents for page in document.pages
                        for text in texts(page._page_box))

    def missing_glyphs(self) -> dict[str, list[str]]:
        return {font.family: [chr(code) for code in font.missing]
                for document in self.documents for font in document.fonts.values()
                if font.missing}


@pytest.fixture
def rendering(monkeypatch: pytest.MonkeyPatch) -> Rendering:
    seen = Rendering([], [])

    class RecordedHTML(HTML):
        def render(self, *args: Any, **kwargs: Any) -> Any:
            document = super().render(*args, **kwargs)
            seen.documents.append(document)
            return document

    fetch = pdf.OnlyStaticFiles.fetch

    def recorded_fetch(self: pdf.OnlyStaticFiles, url: str, headers: Any = None) -> Any:
        seen.fetched.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(pdf, "HTML", RecordedHTML)
    monkeypatch.setattr(pdf.OnlyStaticFiles, "fetch", recorded_fetch)
    return seen


def _pdf_url(form: Form, forms: CaseForms) -> str:
    return reverse(form.url_name, args=[getattr(forms, form.record).public_id])


class FormPdfTests:
    @pytest.mark.parametrize("form", FORMS, ids=[form.record for form in FORMS])
    def test_it_downloads_the_form_as_a_pdf_of_the_child_in_vietnamese(
            self, forms, personas, rendering, no_network, form) -> None:
        # The receipt (Mẫu 01) is printed by the hotline operator who took the report; the
        # case's forms by the officer working on the case.
        actor = personas.intake if form.record == "notification" else personas.officer
        client = login(Client(), actor)
        events = AuditEvent.objects.count()

        response = client.get(_pdf_url(form, forms))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
        disposition = FILENAME.fullmatch(response["Content-Disposition"])
        assert disposition, response["Content-Disposition"]
        record = getattr(forms, form.record)
        assert disposition.groups() == (form.numbers, record.public_id.hex[:8])
        assert response.content.startswith(b"%PDF-")
        assert response.content.rstrip().endswith(b"%%EOF")
        text = rendering.text()
        for title in form.titles:
            assert title.upper() in text.upper(), f"{title!r} not in the PDF"
        assert CHILD in text
        assert rendering.missing_glyphs() == {}
        # The stylesheet was read (the print layout applies), from the static files only.
        assert any(url.endswith("/treem/treem.css") for url in rendering.fetched)
        assert all(url.startswith("http://testserver/static/") for url in rendering.fetched)
        assert no_network == []
        # One read, in the audit trail of the case (or of the notification, for Mẫu 01).
        new = AuditEvent.objects.order_by("id")[events:]
        assert [(e.action, e.reason, e.actor_id) for e in new] == [
            (Action.VIEW, "pdf", actor.pk)]
        audited = forms.notification if form.record == "notification" else forms.case
        assert new[0].object_id == str(audited.public_id)

    @pytest.mark.parametrize("form", FORMS, ids=[form.record for form in FORMS])
    def test_officer_of_another_commune_gets_404(self, forms, personas, rendering,
                                                 form) -> None:
        events = AuditEvent.objects.count()
        response = login(Client(), personas.outsider).get(_pdf_url(form, forms))
        assert response.status_code == 404
        assert rendering.documents == [] and AuditEvent.objects.count() == events

    @pytest.mark.parametrize("form", FORMS[1:], ids=[form.record for form in FORMS[1:]])
    def test_an_officer_of_the_commune_not_on_the_case_gets_404(self, tree, forms, rendering,
                                                                form) -> None:
        # Need-to-know: a case is seen by its workers and the chairman. (The receipt, Mẫu 01,
        # is routed to the whole commune's officers, who decide who takes the case.)
        colleague = make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
        events = AuditEvent.objects.count()
        response = login(Client(), colleague).get(_pdf_url(form, forms))
        assert response.status_code == 404
        assert rendering.documents == [] and AuditEvent.objects.count() == events

    def test_a_plan_not_yet_approved_is_mau_04_alone(self, forms, personas, rendering) -> None:
        Plan.objects.filter(pk=forms.plan.pk).update(approved_at=None, approved_by=None)
        response = login(Client(), personas.officer).get(
            reverse("cases:plan_pdf", args=[forms.plan.public_id]))
        assert f"mau-04-{forms.plan.public_id.hex[:8]}.pdf" in response["Content-Disposition"]
        text = rendering.text().upper()
        assert "MẪU SỐ 04" in text and "MẪU SỐ 05" not in text

    def test_the_print_pages_and_the_case_page_link_to_the_pdfs(self, forms, personas) -> None:
        officer = login(Client(), personas.officer)
        case_page = officer.get(reverse("cases:case_detail", args=[forms.case.public_id]))
        for form in FORMS[1:]:
            assert _pdf_url(form, forms) in case_page.content.decode()
            page = officer.get(reverse(form.url_name.replace("_pdf", "_print"),
                                       args=[getattr(forms, form.record).public_id]))
            assert _pdf_url(form, forms) in page.content.decode()
            assert "Tải PDF" in page.content.decode()
        receipt = login(Client(), personas.intake).get(
            reverse("cases:notification_print", args=[forms.notification.public_id]))
        assert _pdf_url(FORMS[0], forms) in receipt.content.decode()

