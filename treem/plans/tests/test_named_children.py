"""Children named in an activity: only with a reason, only a child the namer reads in the
register and who lives in the activity's area, never more than the children counted; read
only by who may read that child (others see a count), every name shown audited as a read of
the child. Pages and API alike; a child of another commune or province is never found."""

import datetime
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from treem.accounts.roles import Role
from treem.audit.models import AuditEvent
from treem.geo.models import Level
from treem.plans.activities import exceptions as exc
from treem.plans.activities import named, services
from treem.plans.activities.models import Activity, ActivityType, NamedChild
from treem.registry.models import Child
from treem.registry.tests.factories import make_consenting_child as make_child
from treem.testing import Personas, Tree, login, make_unit, make_user, refused

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 1)
REASON = "Đại biểu trẻ em của xã dự diễn đàn cấp tỉnh"


def forum(actor: Any, unit: Any, children: int = 20, **fields: Any) -> Activity:
    return services.activity_create(
        actor=actor, unit=unit, type=ActivityType.objects.get(code="children-forum"),
        title=f"Diễn đàn trẻ em {unit.name}", start_date=DAY, end_date=DAY,
        forum_level="province" if unit.level == Level.PROVINCE else "commune",
        children=children, **fields)


def rows() -> tuple[int, int]:
    return NamedChild.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def kids(tree: Tree) -> dict[str, Child]:
    return {"a": make_child(commune=tree.commune_a, village=tree.village_a,
                            full_name="Lò Thị Mai"),
            "a2": make_child(commune=tree.commune_a, full_name="Lò Văn Minh"),
            "b": make_child(commune=tree.commune_b, full_name="Lò Thị Mây"),
            "c": make_child(commune=tree.commune_c, full_name="Lò Thị Mận")}


class NamingTests:
    def test_an_officer_names_a_child_of_the_commune_with_a_reason_audited_on_both(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        item = named.named_add(actor=personas.officer, activity=activity,
                               child_id=kids["a"].public_id, reason=f"  {REASON}  ")
        assert (item.child, item.reason, item.added_by) == (kids["a"], REASON, personas.officer)
        on_child = AuditEvent.objects.get(object_id=str(kids["a"].public_id))
        assert on_child.changed_fields == ["named_in_activity"]
        assert on_child.reason == f"{activity.public_id}: {REASON}"
        assert AuditEvent.objects.filter(object_id=str(activity.public_id),
                                         changed_fields=["named_children"]).count() == 1

    @pytest.mark.parametrize("reason", ["", "   ", "đại biểu"])
    def test_no_reason_or_too_short_a_reason_is_refused(
            self, tree: Tree, personas: Personas, kids: dict[str, Child], reason: str) -> None:
        activity = forum(personas.officer, tree.commune_a)
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=kids["a"].public_id, reason=reason)
        assert error.message_dict["reason"] == [
            str(exc.NAMED_REASON_REQUIRED % {"n": named.REASON_MIN})]

    @pytest.mark.parametrize("whose", ["b", "c", "missing"])
    def test_a_child_of_another_commune_or_province_or_none_is_refused_alike(
            self, tree: Tree, personas: Personas, kids: dict[str, Child], whose: str) -> None:
        activity = forum(personas.officer, tree.commune_a)
        child_id = kids[whose].public_id if whose in kids else uuid.uuid4()
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=child_id, reason=REASON)
        assert error.message_dict["child"] == [str(exc.NAMED_CHILD_NOT_YOURS)]

    def test_the_province_names_delegates_of_its_communes_to_its_forum(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.province_officer, tree.province)
        for key in ("a", "b"):
            named.named_add(actor=personas.province_officer, activity=activity,
                            child_id=kids[key].public_id, reason=REASON)
        error = refused(named.named_add, snapshot=rows, actor=personas.province_officer,
                        activity=activity, child_id=kids["c"].public_id, reason=REASON)
        assert error.message_dict["child"] == [str(exc.NAMED_CHILD_NOT_YOURS)]

    def test_a_child_living_outside_the_activity_area_is_refused_even_if_readable(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.province_officer, tree.commune_a)
        error = refused(named.named_add, snapshot=rows, actor=personas.province_officer,
                        activity=activity, child_id=kids["b"].public_id, reason=REASON)
        assert error.message_dict["child"] == [str(exc.NAMED_CHILD_NOT_YOURS)]

    def test_who_reads_the_activity_only_cannot_name(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        for reader in (personas.auditor, personas.sector_focal, personas.outsider):
            assert not named.may_name(reader, activity)
            error = refused(named.named_add, snapshot=rows, actor=reader, activity=activity,
                            child_id=kids["a"].public_id, reason=REASON)
            assert isinstance(error, PermissionDenied)

    def test_a_merged_away_child_is_not_named(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        Child.objects.filter(pk=kids["a2"].pk).update(merged_into=kids["a"])
        activity = forum(personas.officer, tree.commune_a)
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=kids["a2"].public_id, reason=REASON)
        assert error.message_dict["child"] == [str(exc.NAMED_CHILD_NOT_YOURS)]

    @pytest.mark.parametrize(("born", "code", "message"), [
        (datetime.date(2009, 6, 1), "children-forum", exc.NAMED_NOT_A_CHILD),  # 16 that day
        (datetime.date(2025, 6, 2), "children-forum", exc.NAMED_NOT_A_CHILD),  # not born yet
        (datetime.date(2018, 6, 2), "consultation", exc.NAMED_UNDER_7),        # 7 the next day
    ])
    def test_a_child_of_the_wrong_age_that_day_is_refused(
            self, tree: Tree, personas: Personas, born: datetime.date, code: str,
            message: Any) -> None:
        child = make_child(commune=tree.commune_a, full_name="Hà Văn Tuổi", birth_date=born)
        activity = services.activity_create(
            actor=personas.officer, unit=tree.commune_a, type=ActivityType.objects.get(code=code),
            title="Hoạt động", start_date=DAY, end_date=DAY, forum_level="commune",
            status="planned", subject="Dự thảo kế hoạch")
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=child.public_id, reason=REASON)
        assert error.message_dict["child"] == [str(message)]

    def test_the_age_limits_themselves_are_children(
            self, tree: Tree, personas: Personas) -> None:
        activity = services.activity_create(
            actor=personas.officer, unit=tree.commune_a,
            type=ActivityType.objects.get(code="consultation"), title="Lấy ý kiến",
            start_date=DAY, end_date=DAY, status="planned", subject="Dự thảo kế hoạch")
        for n, born in enumerate((datetime.date(2018, 6, 1), datetime.date(2009, 6, 2))):
            child = make_child(commune=tree.commune_a, full_name=f"Hà Văn Tuổi {'AB'[n]}",
                               birth_date=born)
            named.named_add(actor=personas.officer, activity=activity,
                            child_id=child.public_id, reason=REASON)
        assert NamedChild.objects.count() == 2

    def test_the_same_child_twice_is_refused(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        named.named_add(actor=personas.officer, activity=activity,
                        child_id=kids["a"].public_id, reason=REASON)
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=kids["a"].public_id, reason=REASON)
        assert error.message_dict["child"] == [str(exc.NAMED_ALREADY)]

    def test_a_held_activity_names_no_more_children_than_it_counted(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a, children=1)
        named.named_add(actor=personas.officer, activity=activity,
                        child_id=kids["a"].public_id, reason=REASON)
        error = refused(named.named_add, snapshot=rows, actor=personas.officer,
                        activity=activity, child_id=kids["a2"].public_id, reason=REASON)
        assert error.message_dict["child"] == [
            str(exc.NAMED_OVER_CHILDREN % {"named": 2, "children": 1})]

    def test_an_edit_cannot_count_fewer_children_than_are_named(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a, children=2)
        for key in ("a", "a2"):
            named.named_add(actor=personas.officer, activity=activity,
                            child_id=kids[key].public_id, reason=REASON)
        with pytest.raises(ValidationError) as caught:
            services.activity_update(actor=personas.officer, activity=activity,
                                     base_version=activity.version, children=1)
        assert caught.value.message_dict["children"] == [
            str(exc.CHILDREN_BELOW_NAMED % {"named": 2, "children": 1})]
        activity.refresh_from_db()
        assert activity.children == 2

    def test_an_activity_left_on_a_commune_dissolved_in_2025_names_nobody(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        # Recorded before the reorganisation (loaded as history): no child lives there now.
        old = Activity.objects.create(
            type=ActivityType.objects.get(code="children-forum"), unit=tree.old_commune,
            unit_path=tree.old_commune.path, title="Diễn đàn 2024", start_date=DAY,
            end_date=DAY, children=5, created_by=personas.officer)
        officer = make_user("old_officer", role=Role.COMMUNE_OFFICER, unit=tree.old_commune)
        error = refused(named.named_add, snapshot=rows, actor=officer, activity=old,
                        child_id=kids["a"].public_id, reason=REASON)
        assert isinstance(error, (ValidationError, PermissionDenied))

    def test_removing_a_name_is_audited_and_frees_the_child(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        item = named.named_add(actor=personas.officer, activity=activity,
                               child_id=kids["a"].public_id, reason=REASON)
        error = refused(named.named_remove, snapshot=rows, actor=personas.outsider, item=item)
        assert isinstance(error, PermissionDenied)
        named.named_remove(actor=personas.officer, item=item)
        assert not NamedChild.objects.exists()
        assert AuditEvent.objects.filter(object_id=str(kids["a"].public_id),
                                         reason__endswith="removed").count() == 1


class CandidateTests:
    def test_the_search_finds_by_name_in_the_area_and_leaves_out_the_named(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        found = named.candidates(actor=personas.officer, activity=activity, q="lo thi")
        assert found == [kids["a"]]  # Mây (B) and Mận (other province) are not found
        assert named.candidates(actor=personas.officer, activity=activity, q="minh") == [
            kids["a2"]]
        named.named_add(actor=personas.officer, activity=activity,
                        child_id=kids["a"].public_id, reason=REASON)
        assert named.candidates(actor=personas.officer, activity=activity, q="lo thi") == []
        assert named.candidates(actor=personas.officer, activity=activity, q="  ") == []
        assert named.candidates(actor=personas.auditor, activity=activity, q="lo") == []


class ReadingTests:
    def test_each_reader_sees_the_names_of_the_children_it_reads_and_a_count_of_others(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.province_officer, tree.province)
        for key in ("a", "b"):
            named.named_add(actor=personas.province_officer, activity=activity,
                            child_id=kids[key].public_id, reason=REASON)
        seen = {who: named.named_for(user=getattr(personas, who), activity=activity)
                for who in ("province_officer", "officer", "outsider", "auditor",
                            "sector_focal")}
        names = {who: ({n.child.full_name for n in s.shown}, s.hidden)
                 for who, s in seen.items()}
        assert names == {"province_officer": ({"Lò Thị Mai", "Lò Thị Mây"}, 0),
                         "officer": ({"Lò Thị Mai"}, 1), "outsider": ({"Lò Thị Mây"}, 1),
                         "auditor": ({"Lò Thị Mai", "Lò Thị Mây"}, 0),
                         "sector_focal": (set(), 2)}

    def test_every_name_shown_is_a_read_of_that_child_and_none_when_none_shown(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        named.named_add(actor=personas.officer, activity=activity,
                        child_id=kids["a"].public_id, reason=REASON)
        before = AuditEvent.objects.filter(action="view").count()
        named.named_for(user=personas.sector_focal, activity=activity)
        assert AuditEvent.objects.filter(action="view").count() == before
        named.named_for(user=personas.chairman, activity=activity)
        read = AuditEvent.objects.filter(action="view").latest("id")
        assert (read.actor_id, read.object_id) == (personas.chairman.pk,
                                                   str(kids["a"].public_id))

    def test_a_named_child_is_fetched_only_by_who_reads_it(
            self, tree: Tree, personas: Personas, kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        item = named.named_add(actor=personas.officer, activity=activity,
                               child_id=kids["a"].public_id, reason=REASON)
        assert named.get_named_for_user(user=personas.officer, activity=activity,
                                        named_id=item.public_id) == item
        for who, named_id in ((personas.sector_focal, item.public_id),
                              (personas.officer, uuid.uuid4())):
            with pytest.raises(Http404):
                named.get_named_for_user(user=who, activity=activity, named_id=named_id)


class PageTests:
    def test_the_officer_searches_by_post_names_a_child_and_sees_it_on_the_activity(
            self, client: Client, tree: Tree, personas: Personas,
            kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        page = reverse("plans:named_add", args=[activity.public_id])
        login(client, personas.officer)
        found = client.post(page, {"q": "lo thi"}).content.decode()
        assert "Lò Thị Mai" in found and "Lò Thị Mây" not in found
        answer = client.post(page, {"q": "lo thi", "child": str(kids["a"].public_id),
                                    "reason": REASON})
        assert answer.status_code == 302 and "lo" not in answer["Location"]
        detail = client.get(reverse("plans:activity_detail",
                                    args=[activity.public_id])).content.decode()
        assert "Lò Thị Mai" in detail and REASON in detail

    def test_a_search_finding_many_shows_twenty_and_says_to_type_more(
            self, client: Client, tree: Tree, personas: Personas) -> None:
        for n in range(named.SHOWN + 1):
            make_child(commune=tree.commune_a, full_name=f"Lò Văn {chr(65 + n)}")
        activity = forum(personas.officer, tree.commune_a)
        login(client, personas.officer)
        page = client.post(reverse("plans:named_add", args=[activity.public_id]),
                           {"q": "lo van"}).content.decode()
        assert page.count('name="child"') == named.SHOWN
        assert "Chỉ hiện 20 em đầu tiên" in page

    def test_a_bad_reason_keeps_the_search_and_says_why(
            self, client: Client, tree: Tree, personas: Personas,
            kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        login(client, personas.officer)
        answer = client.post(reverse("plans:named_add", args=[activity.public_id]),
                             {"q": "lo thi", "child": str(kids["a"].public_id),
                              "reason": "x"})
        text = answer.content.decode()
        assert answer.status_code == 200 and "Lò Thị Mai" in text
        assert "ít nhất 10 ký tự" in text
        assert not NamedChild.objects.exists()

    def test_a_child_not_in_the_search_cannot_be_posted(
            self, client: Client, tree: Tree, personas: Personas,
            kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        login(client, personas.officer)
        answer = client.post(reverse("plans:named_add", args=[activity.public_id]),
                             {"q": "lo thi", "child": str(kids["b"].public_id),
                              "reason": REASON})
        assert answer.status_code == 200 and not NamedChild.objects.exists()

    def test_a_reader_of_the_activity_sees_a_count_not_the_names(
            self, client: Client, tree: Tree, personas: Personas,
            kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        named.named_add(actor=personas.officer, activity=activity,
                        child_id=kids["a"].public_id, reason=REASON)
        login(client, personas.sector_focal)
        detail = client.get(reverse("plans:activity_detail",
                                    args=[activity.public_id])).content.decode()
        assert "Lò Thị Mai" not in detail and REASON not in detail
        assert "1 em khác được nêu tên" in detail
        assert "Nêu tên trẻ em" not in detail
        assert client.get(reverse("plans:named_add", args=[activity.public_id])
                          ).status_code == 403


class ApiTests:
    def test_name_list_and_remove_over_the_api(
            self, client: Client, tree: Tree, personas: Personas,
            kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        url = f"/api/v1/activities/{activity.public_id}/children"
        login(client, personas.officer)
        made = client.post(url, {"child": str(kids["a"].public_id), "reason": REASON},
                           content_type="application/json")
        assert made.status_code == 201
        assert made.json()["full_name"] == "Lò Thị Mai"
        listed = client.get(url).json()
        assert [item["child"] for item in listed["items"]] == [str(kids["a"].public_id)]
        assert listed["hidden"] == 0
        gone = client.delete(f"{url}/{made.json()['id']}")
        assert gone.status_code == 204 and not NamedChild.objects.exists()

    def test_the_api_refuses_a_child_of_another_commune_in_vietnamese(
            self, client: Client, tree: Tree, personas: Personas,
            kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        login(client, personas.officer)
        answer = client.post(f"/api/v1/activities/{activity.public_id}/children",
                             {"child": str(kids["b"].public_id), "reason": REASON},
                             content_type="application/json")
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["msg"] == str(exc.NAMED_CHILD_NOT_YOURS)
        assert not NamedChild.objects.exists()

    def test_a_reader_gets_the_count_only(
            self, client: Client, tree: Tree, personas: Personas,
            kids: dict[str, Child]) -> None:
        activity = forum(personas.officer, tree.commune_a)
        named.named_add(actor=personas.officer, activity=activity,
                        child_id=kids["a"].public_id, reason=REASON)
        login(client, personas.sector_focal)
        answer = client.get(f"/api/v1/activities/{activity.public_id}/children").json()
        assert answer == {"items": [], "hidden": 1}


def test_a_village_of_the_commune_is_in_the_area(tree: Tree, personas: Personas) -> None:
    village = make_unit(parent=tree.commune_a, level=Level.VILLAGE, code="01273-009",
                        name="Bản Mới", kind="Bản")
    child = make_child(commune=tree.commune_a, village=village, full_name="Hoàng Văn Núi")
    activity = forum(personas.officer, tree.commune_a)
    named.named_add(actor=personas.officer, activity=activity, child_id=child.public_id,
                    reason=REASON)
    assert NamedChild.objects.get().child == child
