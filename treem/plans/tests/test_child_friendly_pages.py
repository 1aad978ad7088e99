"""The child-friendly assessment's pages and API: begun and prefilled by the commune, scored
(bad input kept with its message, nothing saved), submitted, recognised by the province, and
the province's yearly summary; outsiders get 404, readers 403."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from treem.plans.child_friendly import loading, services
from treem.plans.child_friendly.models import Assessment, ItemScore
from treem.plans.tests.test_child_friendly import YEAR, version_data
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db
LIST = reverse("plans:assessment_list")


@pytest.fixture
def version(db: None) -> object:
    return loading.load_version(version_data())


def _detail(assessment: Assessment) -> str:
    return reverse("plans:assessment_detail", args=[assessment.public_id])


def test_a_commune_begins_scores_submits_and_the_province_recognises_it(
        client: Client, tree: Tree, personas: Personas, version: object) -> None:
    login(client, personas.officer)
    started = client.post(LIST, {"unit": str(tree.commune_a.public_id), "year": str(YEAR)})
    assessment = Assessment.objects.get()
    assert started.status_code == 302 and started["Location"] == _detail(assessment)
    page = client.get(_detail(assessment)).content.decode()
    assert "Trẻ em sinh trong năm được đăng ký khai sinh" in page  # the figure's source
    scores = {s.item.code: s for s in ItemScore.objects.filter(assessment=assessment)
              .select_related("item")}
    # A letter and a score above the item's maximum: nothing saved, both messages shown.
    bad = client.post(_detail(assessment), {f"points_{scores['4.1'].pk}": "abc",
                                            f"points_{scores['5.1'].pk}": "10"})
    assert bad.status_code == 400 and "Hãy ghi điểm bằng chữ số." in bad.content.decode()
    over = client.post(_detail(assessment), {f"points_{scores['4.1'].pk}": "71",
                                             f"points_{scores['5.1'].pk}": "10"})
    assert over.status_code == 400 and "Điểm của mục 4.1 từ 0 đến 70." in over.content.decode()
    assert not ItemScore.objects.filter(points__isnull=False, item__code="5.1").exists()
    data = {f"points_{s.pk}": str(min(70, s.item.max_points or 0)) for s in scores.values()}
    data.update({f"evidence_{s.pk}": "Biên bản kiểm tra" for s in scores.values()})
    assert client.post(_detail(assessment), data).status_code == 302
    assessment.refresh_from_db()
    client.post(reverse("plans:assessment_details", args=[assessment.public_id]), {
        "version": str(assessment.edit_version), "scored_by_text": "Ban bảo vệ trẻ em",
        "meeting_on": "10/01/2026", "minutes": "Biên bản số 1"})
    client.post(reverse("plans:assessment_submit", args=[assessment.public_id]))
    assessment.refresh_from_db()
    assert (assessment.status, assessment.total) == ("submitted", 910)
    # The commune cannot decide; the province can.
    assert "Thẩm định, công nhận" not in client.get(_detail(assessment)).content.decode()
    province = login(Client(), personas.province_officer)
    province.post(reverse("plans:assessment_decide", args=[assessment.public_id]), {
        "status": "recognised", "decision_number": "125/QĐ-UBND",
        "decision_on": datetime.date.today().strftime("%d/%m/%Y")})
    assessment.refresh_from_db()
    assert (assessment.status, assessment.decision_number) == ("recognised", "125/QĐ-UBND")
    summary = province.get(LIST, {"year": str(YEAR)}).content.decode()
    assert "Được công nhận" in summary and "1 (50.0 %)" in summary.replace(",", ".")
    pdf = client.get(reverse("plans:assessment_pdf", args=[assessment.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_another_commune_or_province_gets_404_and_a_reader_403(
        client: Client, tree: Tree, personas: Personas, version: object) -> None:
    assessment = services.assessment_start(actor=personas.officer, unit=tree.commune_a,
                                           year=YEAR)
    login(client, personas.outsider)
    assert client.get(_detail(assessment)).status_code == 404
    assert client.get(f"/api/v1/child-friendly-assessments/{assessment.public_id}"
                      ).status_code == 404
    assert client.post(LIST, {"unit": str(tree.commune_a.public_id), "year": "2024"}
                       ).status_code == 200  # not a commune it keeps: a form error
    assert Assessment.objects.count() == 1
    reader = login(Client(), personas.auditor)
    assert reader.get(_detail(assessment)).status_code == 200
    assert reader.post(reverse("plans:assessment_submit", args=[assessment.public_id])
                       ).status_code == 403
    assert reader.post(_detail(assessment), {}).status_code == 403


def test_the_api_begins_scores_and_refuses_a_bad_item(
        client: Client, tree: Tree, personas: Personas, version: object) -> None:
    login(client, personas.officer)
    made = client.post("/api/v1/child-friendly-assessments",
                       {"unit": tree.commune_a.code, "year": YEAR},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    # No board meeting recorded: criterion 1 scores 0 from the data, which fails already.
    assert body["verdict"]["recognised"] is False and len(body["scores"]) == 13
    assert body["verdict"]["reasons"][0].startswith("Tiêu chí 1 bị 0 điểm")
    url = f"/api/v1/child-friendly-assessments/{body['id']}/scores"
    tag = client.get(f"/api/v1/child-friendly-assessments/{body['id']}")["ETag"]
    assert tag == f'"{body["version"]}"'
    ok = client.patch(url, {"scores": [{"item": "4.1", "points": 60}]},
                      content_type="application/json", headers={"If-Match": tag})
    assert ok.status_code == 200
    assert next(s for s in ok.json()["scores"] if s["item"] == "4.1")["points"] == 60
    tag = ok["ETag"]
    bad = client.patch(url, {"scores": [{"item": "4.1", "points": 10},
                                        {"item": "9.9", "points": 1}]},
                       content_type="application/json", headers={"If-Match": tag})
    assert bad.status_code == 422
    over = client.patch(url, {"scores": [{"item": "4.1", "points": 10},
                                         {"item": "5.1", "points": 71}]},
                        content_type="application/json", headers={"If-Match": tag})
    assert over.status_code == 422
    unversioned = client.patch(url, {"scores": [{"item": "4.1", "points": 10}]},
                               content_type="application/json")
    assert unversioned.status_code == 428
    assert ItemScore.objects.get(item__code="4.1").points == 60  # all or nothing
    again = client.post("/api/v1/child-friendly-assessments",
                        {"unit": tree.commune_a.code, "year": YEAR},
                        content_type="application/json")
    assert again.status_code == 422


def test_a_figure_without_bands_is_shown_grouped_and_left_to_the_hand(
        client: Client, tree: Tree, personas: Personas) -> None:
    from treem.plans.activities import services as activity_services
    from treem.plans.activities.models import ActivityType

    data = version_data()
    data["criteria"][3]["items"][0]["prefill"] = "state_budget_spent"  # 4.1, no bands
    loading.load_version(data)
    day = datetime.date(YEAR, 6, 1)
    activity_services.activity_create(
        actor=personas.officer, unit=tree.commune_a, title="Tháng hành động",
        type=ActivityType.objects.get(code="action-month"), start_date=day, end_date=day,
        budget={"state": (5_000_000, 4_500_000)})
    assessment = services.assessment_start(actor=personas.officer, unit=tree.commune_a,
                                           year=YEAR)
    page = login(client, personas.officer).get(_detail(assessment)).content.decode()
    assert "Số liệu: 4.500.000 — Kinh phí ngân sách nhà nước đã chi" in page
    assert "bộ tiêu chí chưa có thang điểm theo số liệu này: chấm tay" in page
    assert ItemScore.objects.get(assessment=assessment, item__code="4.1").points is None


def test_two_officers_scoring_one_item_from_the_same_page_never_lose_a_score(
        client: Client, tree: Tree, personas: Personas, version: object) -> None:
    from treem.testing import form_data as posted_form
    from treem.testing import make_user

    assessment = services.assessment_start(actor=personas.officer, unit=tree.commune_a,
                                           year=YEAR)
    colleague = login(Client(), make_user("officer_a2", role="commune_officer",
                                          unit=tree.commune_a))
    login(client, personas.officer)
    mine = posted_form(client.get(_detail(assessment)).content.decode())
    theirs = posted_form(colleague.get(_detail(assessment)).content.decode())
    item = ItemScore.objects.get(assessment=assessment, item__code="4.1")
    theirs.update({f"points_{item.pk}": "50", f"evidence_{item.pk}": "Biên bản họp"})
    assert colleague.post(_detail(assessment), theirs).status_code == 302
    mine.update({f"points_{item.pk}": "60", f"evidence_{item.pk}": "Báo cáo của xã"})
    stale = client.post(_detail(assessment), mine)
    page = stale.content.decode()
    assert stale.status_code == 409
    assert "«60»" in page and "«50»" in page  # both values, with who saved the other
    item.refresh_from_db()
    assert item.points == 50
    # Read again at the new version: saving again is a decision, and it is kept.
    assert client.post(_detail(assessment), posted_form(page)).status_code == 302
    item.refresh_from_db()
    assert (item.points, item.evidence) == (60, "Báo cáo của xã")
    # Another item changed from the same stale page merges with the colleague's save.
    other = ItemScore.objects.get(assessment=assessment, item__code="5.1")
    theirs[f"points_{other.pk}"] = "40"
    theirs[f"evidence_{other.pk}"] = "Biên bản"
    theirs[f"points_{item.pk}"] = theirs[f"initial-points_{item.pk}"]
    theirs[f"evidence_{item.pk}"] = theirs[f"initial-evidence_{item.pk}"]
    assert colleague.post(_detail(assessment), theirs).status_code == 302
    other.refresh_from_db()
    item.refresh_from_db()
    assert (other.points, item.points) == (40, 60)
