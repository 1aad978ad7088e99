import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from treem.audit.models import Action, AuditEvent
from treem.geo.models import Unit
from treem.testing import Personas, Tree, login

URL = "/audit/"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")



def make_event(unit: Unit, *, reason: str, action: str = Action.UPDATE, username: str = "",
               at: datetime.datetime | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        unit=unit, unit_path=unit.path, action=action, actor_username=username, reason=reason,
        at=at or datetime.datetime(2026, 1, 15, 12, tzinfo=LOCAL), changed_fields=["name"],
    )


def noon(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 1, day, 12, tzinfo=LOCAL)


def shown(response: Any) -> list[str]:
    return [event.reason for event in response.context["page"]]


@pytest.fixture
def auditor(personas: Personas) -> Client:
    return login(Client(), personas.auditor)


class EventListScopeTests:
    def test_the_province_auditor_sees_events_of_its_province(self, tree: Tree,
                                                               auditor: Client) -> None:
        make_event(tree.commune_a, reason="sửa thôn ở xã A")
        make_event(tree.commune_b, reason="sửa thôn ở xã B")
        response = auditor.get(URL)
        assert response.status_code == 200
        assert sorted(shown(response)) == ["sửa thôn ở xã A", "sửa thôn ở xã B"]
        assert "sửa thôn ở xã A" in response.content.decode()

    def test_it_never_shows_events_of_the_other_province_or_the_nation(
            self, tree: Tree, auditor: Client) -> None:
        make_event(tree.commune_c, reason="ở Hà Nội")
        make_event(tree.nation, reason="toàn quốc")
        response = auditor.get(URL)
        assert shown(response) == []
        content = response.content.decode()
        assert "ở Hà Nội" not in content
        assert "toàn quốc" not in content
        assert "Không có sự kiện nào." in content

    def test_it_shows_field_names_and_escapes_what_users_typed(self, tree: Tree,
                                                              auditor: Client) -> None:
        make_event(tree.commune_a, reason="<script>alert(1)</script>")
        content = auditor.get(URL).content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
        assert '<span class="field-name">name</span>' in content


class EventListAccessTests:
    @pytest.mark.parametrize("persona", ["officer", "admin", "province_officer", "outsider"])
    def test_users_who_are_not_auditors_get_403(self, personas: Personas, persona: str) -> None:
        response = login(Client(), getattr(personas, persona)).get(URL)
        assert response.status_code == 403

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, db: None) -> None:
        response = Client().get(URL)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"

    def test_there_is_no_url_to_edit_or_delete_an_event(self) -> None:
        def names(resolver: URLResolver, namespace: str = "") -> list[str | None]:
            found: list[str | None] = []
            for pattern in resolver.url_patterns:
                if isinstance(pattern, URLResolver):
                    found += names(pattern, pattern.namespace or namespace)
                elif namespace == "audit":
                    found.append(pattern.name)
            return found

        assert names(get_resolver()) == ["event_list"]

    def test_a_post_to_the_list_changes_nothing(self, tree: Tree, auditor: Client) -> None:
        event = make_event(tree.commune_a, reason="giữ nguyên")
        before = list(AuditEvent.objects.values())
        response = auditor.post(URL, {"action": "delete", "id": event.pk, "reason": "đã sửa"})
        assert response.status_code == 405
        assert list(AuditEvent.objects.values()) == before


class EventListFilterTests:
    def test_it_filters_by_action(self, tree: Tree, auditor: Client) -> None:
        make_event(tree.commune_a, reason="đăng nhập", action=Action.LOGIN)
        make_event(tree.commune_a, reason="cập nhật", action=Action.UPDATE)
        assert shown(auditor.get(URL, {"action": Action.LOGIN})) == ["đăng nhập"]

    def test_it_filters_by_username_ignoring_case(self, tree: Tree, auditor: Client) -> None:
        make_event(tree.commune_a, reason="của A", username="officer_a")
        make_event(tree.commune_a, reason="của B", username="officer_b")
        assert shown(auditor.get(URL, {"username": " OFFICER_A "})) == ["của A"]

    def test_it_filters_by_a_date_range_including_both_ends(self, tree: Tree,
                                                            auditor: Client) -> None:
        for day in (9, 10, 20, 21):
            make_event(tree.commune_a, reason=f"ngày {day}", at=noon(day))
        response = auditor.get(URL, {"date_from": "2026-01-10", "date_to": "2026-01-20"})
        assert shown(response) == ["ngày 20", "ngày 10"]

    def test_it_reads_dates_in_vietnam_time(self, tree: Tree, auditor: Client) -> None:
        # 00:30 on the 11th in Hà Nội is still the 10th in UTC.
        make_event(tree.commune_a, reason="sau nửa đêm",
                   at=datetime.datetime(2026, 1, 11, 0, 30, tzinfo=LOCAL))
        response = auditor.get(URL, {"date_from": "2026-01-11", "date_to": "2026-01-11"})
        assert shown(response) == ["sau nửa đêm"]

    def test_a_reversed_date_range_shows_a_vietnamese_error(self, tree: Tree,
                                                            auditor: Client) -> None:
        make_event(tree.commune_a, reason="trong khoảng", at=noon(15))
        response = auditor.get(URL, {"date_from": "2026-01-20", "date_to": "2026-01-10"})
        assert response.status_code == 200
        assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
        assert shown(response) == []  # a filter that cannot be applied shows nothing

    def test_filters_stay_in_the_pagination_links(self, tree: Tree, auditor: Client) -> None:
        AuditEvent.objects.bulk_create(
            AuditEvent(unit=tree.commune_a, unit_path=tree.commune_a.path, action=Action.LOGIN,
                       at=noon(15), reason=f"mốc {i:03d}") for i in range(51))
        content = auditor.get(URL, {"action": Action.LOGIN}).content.decode()
        assert "?action=login&amp;page=2" in content


class EventListPaginationTests:
    @pytest.fixture
    def events(self, tree: Tree) -> None:
        AuditEvent.objects.bulk_create(
            AuditEvent(unit=tree.commune_a, unit_path=tree.commune_a.path, action=Action.UPDATE,
                       at=noon(1) + datetime.timedelta(minutes=i), reason=f"mốc {i:03d}")
            for i in range(51))

    def test_the_first_page_holds_the_fifty_newest_events(self, events: None,
                                                          auditor: Client) -> None:
        response = auditor.get(URL)
        reasons = shown(response)
        assert len(reasons) == 50
        assert reasons[0] == "mốc 050"
        assert "mốc 000" not in reasons
        assert "Trang 1/2" in response.content.decode()

    def test_the_second_page_holds_the_oldest(self, events: None, auditor: Client) -> None:
        assert shown(auditor.get(URL, {"page": "2"})) == ["mốc 000"]

    def test_a_page_past_the_end_shows_the_last_page(self, events: None,
                                                     auditor: Client) -> None:
        assert shown(auditor.get(URL, {"page": "99"})) == ["mốc 000"]


class EventListQueryCountTests:
    @pytest.mark.parametrize("count", [3, 120])
    def test_the_number_of_queries_does_not_grow_with_the_events(
            self, tree: Tree, personas: Personas, count: int,
            django_assert_max_num_queries: Any) -> None:
        units = [tree.commune_a, tree.commune_b, tree.village_a]
        AuditEvent.objects.bulk_create(
            AuditEvent(unit=units[i % 3], unit_path=units[i % 3].path, action=Action.UPDATE,
                       actor=personas.officer, actor_username="officer_a", reason=f"mốc {i}")
            for i in range(count))
        client = login(Client(), personas.auditor)
        # Session, user, device, roles, successions, count, page, session save (+savepoints).
        with django_assert_max_num_queries(10):
            response = client.get(URL)
        assert len(shown(response)) == min(count, 50)
