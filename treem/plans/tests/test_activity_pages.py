"""The activity pages and API: who sees which activity, recording one in the browser's form
(bad input kept with its message), editing it at its version, trainees, a forum's
recommendation answered by the agency's focal point, files; outsiders get 404, readers 403."""

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from treem.accounts.roles import Role
from treem.accounts.services import token_create
from treem.plans.activities import services
from treem.plans.activities.models import Activity, ActivityFile, ActivityType, Recommendation
from treem.plans.services import focal_point_add
from treem.plans.tests.factories import make_agency
from treem.testing import Personas, Tree, form_data, login, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 1)
LIST = reverse("plans:activity_list")


def _activity(actor: Any, unit: Any, title: str, code: str = "communication",
              **fields: Any) -> Activity:
    return services.activity_create(actor=actor, unit=unit, title=title,
                                    type=ActivityType.objects.get(code=code),
                                    start_date=DAY, end_date=DAY, **fields)


@pytest.fixture
def activities(tree: Tree, personas: Personas) -> dict[str, Activity]:
    other = make_user("officer_c", role=Role.COMMUNE_OFFICER, unit=tree.commune_c)
    return {
        "a": _activity(personas.officer, tree.commune_a, "Truyền thông ở Phường Thục Phán",
                       children=20, girls=9),
        "b": _activity(personas.outsider, tree.commune_b, "Truyền thông ở Xã Hòa An"),
        "province": _activity(personas.province_officer, tree.province,
                              "Tập huấn cơ sở dữ liệu trẻ em", code="training",
                              topics=["child-database"]),
        "c": _activity(other, tree.commune_c, "Truyền thông ở Hoàn Kiếm"),
    }


SEEN_BY = {"officer": {"a"}, "chairman": {"a"}, "outsider": {"b"},
           "province_officer": {"a", "b", "province"}, "auditor": {"a", "b", "province"},
           "sector_focal": {"a", "b", "province"}}


@pytest.mark.parametrize("persona", sorted(SEEN_BY))
def test_each_role_lists_the_activities_of_its_area_only(
        client: Client, personas: Personas, activities: dict[str, Activity],
        persona: str) -> None:
    page = login(client, getattr(personas, persona)).get(LIST).content.decode()
    api = {item["id"] for item in client.get("/api/v1/activities").json()["items"]}
    for name, activity in activities.items():
        seen = name in SEEN_BY[persona]
        assert (activity.title in page) == seen, (persona, name)
        assert (str(activity.public_id) in api) == seen, (persona, name)


def test_an_activity_out_of_scope_is_not_found_on_every_page_and_the_api(
        client: Client, personas: Personas, activities: dict[str, Activity]) -> None:
    login(client, personas.officer)
    for name in ("b", "c", "province"):
        activity = activities[name]
        for url in ("plans:activity_detail", "plans:activity_edit"):
            assert client.get(reverse(url, args=[activity.public_id])).status_code == 404
        assert client.post(reverse("plans:recommendation_add", args=[activity.public_id]),
                           {"text": "x"}).status_code == 404
        assert client.get(f"/api/v1/activities/{activity.public_id}").status_code == 404
        assert client.patch(f"/api/v1/activities/{activity.public_id}", {"title": "x"},
                            content_type="application/json",
                            headers={"If-Match": '"1"'}).status_code == 404
    token = token_create(user=personas.officer, name="khóa", days=1)[1]
    assert Client().get(f"/api/v1/activities/{activities['b'].public_id}",
                        HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404


def test_a_reader_may_not_record_or_edit(client: Client, personas: Personas,
                                         activities: dict[str, Activity]) -> None:
    login(client, personas.auditor)
    assert client.get(reverse("plans:activity_detail",
                              args=[activities["a"].public_id])).status_code == 200
    assert client.get(reverse("plans:activity_edit",
                              args=[activities["a"].public_id])).status_code == 403
    assert client.get(reverse("plans:activity_create")).status_code == 403
    body = {"type": "communication", "unit": "01273", "title": "Truyền thông",
            "start_date": "2025-06-01", "end_date": "2025-06-01"}
    assert client.post("/api/v1/activities", body, content_type="application/json"
                       ).status_code == 403


def test_an_officer_records_a_forum_in_the_form_and_bad_counts_come_back(
        client: Client, personas: Personas, tree: Tree) -> None:
    login(client, personas.officer)
    picker = client.get(reverse("plans:activity_create")).content.decode()
    assert "Diễn đàn trẻ em" in picker
    url = reverse("plans:activity_create") + "?type=children-forum"
    form = form_data(client.get(url).content.decode())
    form.update({"title": "Diễn đàn trẻ em phường năm 2025", "start_date": "01/06/2025",
                 "end_date": "01/06/2025", "forum_level": "commune", "children": "30",
                 "girls": "31", "unit": str(tree.commune_a.public_id)})
    page = client.post(url, form)
    assert page.status_code == 200
    assert "Số trẻ em gái (31) không được lớn hơn số trẻ em tham gia (30)." in \
        page.content.decode()
    assert not Activity.objects.exists()
    form["girls"] = "16"
    done = client.post(url, form)
    forum = Activity.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "plans:activity_detail", args=[forum.public_id])
    assert forum.report_due_on == datetime.date(2025, 6, 16)
    detail = client.get(done["Location"]).content.decode()
    assert "Quá hạn (hạn 16/06/2025)" in detail
    waiting = login(Client(), personas.province_officer).get(
        reverse("plans:waiting")).content.decode()
    assert "Diễn đàn trẻ em phường năm 2025" in waiting


def test_an_edit_from_a_stale_page_shows_both_values_and_writes_nothing(
        client: Client, personas: Personas, activities: dict[str, Activity]) -> None:
    activity = activities["a"]
    url = reverse("plans:activity_edit", args=[activity.public_id])
    login(client, personas.officer)
    stale = form_data(client.get(url).content.decode())
    services.activity_update(actor=personas.chairman, activity=activity, base_version=1,
                             children=25)
    stale["children"] = "22"
    page = client.post(url, stale).content.decode()
    assert "Trong lúc bạn sửa, người khác đã lưu hồ sơ này." in page
    activity.refresh_from_db()
    assert activity.children == 25
    stale["title"] = "Truyền thông mới"
    stale["children"] = "25"
    fresh = form_data(client.get(url).content.decode())
    fresh["title"] = "Truyền thông đổi tên"
    assert client.post(url, fresh).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.children) == ("Truyền thông đổi tên", 25)


def test_the_education_focal_point_answers_a_forums_recommendation(
        client: Client, personas: Personas, tree: Tree) -> None:
    education = make_agency(tree.province, "Sở Giáo dục và Đào tạo")
    teacher = make_user("giaoduc", role=Role.SECTOR_FOCAL, unit=tree.province,
                        sector="education")
    focal_point_add(actor=personas.province_officer, agency=education, user=teacher)
    forum = _activity(personas.officer, tree.commune_a, "Diễn đàn trẻ em",
                      code="children-forum", forum_level="commune", children=10)
    login(client, personas.officer)
    added = client.post(reverse("plans:recommendation_add", args=[forum.public_id]),
                        {"text": "Có thêm sân chơi ở trường", "agency":
                         str(education.public_id)})
    assert added.status_code == 302
    item = Recommendation.objects.get()
    url = reverse("plans:recommendation_detail", args=[item.public_id])
    # The commune officer of B does not see it; the education focal point answers it.
    assert login(Client(), personas.outsider).get(url).status_code == 404
    teacher_client = login(Client(), teacher)
    assert "Có thêm sân chơi ở trường" in teacher_client.get(
        reverse("plans:waiting")).content.decode()
    form = form_data(teacher_client.get(url).content.decode())
    form.update({"status": "answered", "answer": "Sở bố trí sân chơi trong năm 2026."})
    assert teacher_client.post(url, form).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.answered_by) == ("answered", teacher)
    # The police focal point reads it (its province) but may not answer it.
    police = login(Client(), personas.sector_focal)
    assert police.get(url).status_code == 200
    assert police.post(url, form).status_code == 403


def test_trainees_and_files_on_the_pages(client: Client, personas: Personas,
                                        activities: dict[str, Activity]) -> None:
    training = activities["province"]
    login(client, personas.province_officer)
    added = client.post(reverse("plans:attendee_add", args=[training.public_id]),
                        {"user": personas.officer.username})
    assert added.status_code == 302
    assert training.attendees.get().user == personas.officer
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(photo, "JPEG")
    photo.seek(0)
    photo.name = "lop-tap-huan.jpg"
    client.post(reverse("plans:activity_file_add", args=[training.public_id]),
                {"kind": "photo", "file": photo})
    item = ActivityFile.objects.get()
    assert item.content_type == "image/jpeg"
    assert client.get(reverse("plans:activity_file", args=[item.public_id])).status_code == 200
    assert login(Client(), personas.officer).get(
        reverse("plans:activity_file", args=[item.public_id])).status_code == 404
    attendee = training.attendees.get()
    assert client.post(reverse("plans:attendee_remove",
                               args=[training.public_id, attendee.pk])).status_code == 302
    assert not training.attendees.exists()


def test_the_api_records_and_edits_an_activity_with_its_version(
        client: Client, personas: Personas, tree: Tree) -> None:
    login(client, personas.officer)
    body = {"type": "consultation", "unit": tree.commune_a.code,
            "title": "Lấy ý kiến trẻ em về kế hoạch 2026", "start_date": "2025-06-01",
            "end_date": "2025-06-01", "subject": "Dự thảo kế hoạch", "children": 12,
            "girls": 5, "children_7_10": 4, "children_11_15": 8,
            "budget": [{"source": "state", "planned": 2000000, "spent": 1800000}]}
    made = client.post("/api/v1/activities", body, content_type="application/json")
    assert made.status_code == 201, made.content
    created = made.json()
    assert (created["kind"], created["version"]) == ("consultation", 1)
    assert created["budget"] == [{"source": "state", "planned": 2000000, "spent": 1800000}]
    bad = client.post("/api/v1/activities", {**body, "girls": 13},
                      content_type="application/json")
    assert bad.status_code == 422 and Activity.objects.count() == 1
    other = client.post("/api/v1/activities", {**body, "unit": tree.commune_b.code},
                        content_type="application/json")
    assert other.status_code == 404
    url = f"/api/v1/activities/{created['id']}"
    stale = client.patch(url, {"children": 13, "children_11_15": 9},
                         content_type="application/json", headers={"If-Match": '"1"'})
    assert stale.status_code == 200 and stale.json()["version"] == 2
    refused = client.patch(url, {"children": 14, "children_11_15": 10},
                           content_type="application/json", headers={"If-Match": '"1"'})
    assert refused.status_code == 412
    assert Activity.objects.get().children == 13
    opinion = client.post(f"{url}/recommendations", {"text": "Muốn có thư viện"},
                          content_type="application/json")
    assert opinion.status_code == 201
    answered = client.patch(f"/api/v1/recommendations/{opinion.json()['id']}",
                            {"status": "answered", "answer": "Tiếp thu",
                             "adoption": "taken_up"},
                            content_type="application/json", headers={"If-Match": '"1"'})
    assert answered.status_code == 200 and answered.json()["adoption"] == "taken_up"


def test_an_empty_list_says_so(client: Client, personas: Personas, tree: Tree) -> None:
    page = login(client, personas.officer).get(LIST).content.decode()
    assert "Chưa có hoạt động nào trong phạm vi của bạn." in page


def test_the_list_finds_words_of_a_title_without_accents(
        client: Client, personas: Personas, activities: dict[str, Activity]) -> None:
    login(client, personas.province_officer)
    found = client.get(LIST, {"q": "truyen thong o xa hoa"}).content.decode()
    assert activities["b"].title in found and activities["a"].title not in found
    api = client.get("/api/v1/activities", {"type": "training"}).json()["items"]
    assert [item["id"] for item in api] == [str(activities["province"].public_id)]
    nothing = client.get(LIST, {"q": "khong co"}).content.decode()
    assert "Không có hoạt động nào khớp với bộ lọc." in nothing
