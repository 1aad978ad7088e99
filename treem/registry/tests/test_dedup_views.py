"""The review queue's pages and API: side by side, merge, not a duplicate, undo, search."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from treem.audit.models import Action, AuditEvent
from treem.registry.models import Child, ChildMerge, DuplicatePair, DuplicateSearch
from treem.registry.tests.factories import make_caregiver, make_child
from treem.testing import Personas, Tree, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(tree: Tree) -> DuplicatePair:
    first = make_child(commune=tree.commune_a, full_name="Hoàng Thị Mai", sex="f",
                       personal_id="004316000042")
    second = make_child(commune=tree.commune_a, full_name="Hoang Thi Mai", sex="f")
    make_caregiver(child=second, full_name="Hoàng Văn Páo", relation="father")
    return DuplicatePair.objects.create(child_a=first, child_b=second, province_code="04",
                                        score=18.5, evidence={"name": "exact"},
                                        found_at=datetime.datetime.now(datetime.UTC))


def _client(user) -> Client:
    return login(Client(), user)


class QueuePageTests:
    def test_the_queue_lists_open_pairs_and_an_empty_state(self, pair, personas) -> None:
        page = _client(personas.officer).get(reverse("registry:duplicate_list"))
        assert "Hoàng Thị Mai" in page.content.decode()
        empty = _client(personas.officer).get(reverse("registry:duplicate_list"),
                                              {"status": "merged"})
        assert "Không có cặp hồ sơ nào ở trạng thái này." in empty.content.decode()

    def test_the_comparison_shows_both_records_and_records_the_reads(self, pair,
                                                                     personas) -> None:
        page = _client(personas.officer).get(
            reverse("registry:duplicate_detail", args=[pair.public_id]))
        text = page.content.decode()
        assert "Hoàng Thị Mai" in text and "Hoang Thi Mai" in text
        assert "004316000042" in text and "Hoàng Văn Páo" in text
        reads = AuditEvent.objects.filter(action=Action.VIEW, actor=personas.officer)
        assert {e.object_id for e in reads} == {str(pair.child_a.public_id),
                                                str(pair.child_b.public_id)}


class MergePageTests:
    def test_merging_without_a_reason_says_why_and_changes_nothing(self, pair,
                                                                   personas) -> None:
        page = _client(personas.officer).post(
            reverse("registry:duplicate_merge", args=[pair.public_id]), {"kept": "a"})
        assert page.status_code == 200
        assert "Hãy ghi lý do gộp hồ sơ." in page.content.decode()
        assert not Child.objects.filter(merged_into__isnull=False).exists()
        assert not ChildMerge.objects.exists()

    def test_merging_keeps_the_chosen_record(self, pair, personas) -> None:
        response = _client(personas.officer).post(
            reverse("registry:duplicate_merge", args=[pair.public_id]),
            {"kept": "b", "reason": "Nhập hai lần"})
        assert response["Location"] == reverse("registry:child_detail",
                                               args=[pair.child_b.public_id])
        merged = Child.objects.get(pk=pair.child_a_id)
        assert merged.merged_into_id == pair.child_b_id
        page = _client(personas.officer).get(response["Location"])
        assert ChildMerge.objects.get().reference in page.content.decode()
        again = _client(personas.officer).post(
            reverse("registry:duplicate_merge", args=[pair.public_id]),
            {"kept": "a", "reason": "Lần nữa"})
        assert again.status_code == 302 and ChildMerge.objects.count() == 1

    def test_not_a_duplicate(self, pair, personas) -> None:
        response = _client(personas.officer).post(
            reverse("registry:duplicate_dismiss", args=[pair.public_id]), {"note": "Chị em"})
        assert response.status_code == 302
        pair.refresh_from_db()
        assert pair.status == DuplicatePair.Status.DISTINCT
        queue = _client(personas.officer).get(reverse("registry:duplicate_list"))
        assert "Hoàng Thị Mai" not in queue.content.decode()


class UndoPageTests:
    def test_the_administrator_finds_a_merge_by_reference_and_undoes_it(
            self, pair, personas: Personas) -> None:
        _client(personas.officer).post(reverse("registry:duplicate_merge", args=[pair.public_id]),
                                       {"kept": "a", "reason": "Nhập hai lần"})
        merge = ChildMerge.objects.get()
        admin = _client(personas.admin)
        listing = admin.get(reverse("registry:merge_list"), {"ref": merge.reference.lower()})
        text = listing.content.decode()
        assert merge.reference in text and "Nhập hai lần" in text
        assert "Hoàng Thị Mai" not in text  # the administrator sees no child's name
        nothing = admin.get(reverse("registry:merge_list"), {"ref": "G-00000000"})
        assert "Chưa có lần gộp nào." in nothing.content.decode()
        refused = admin.post(reverse("registry:merge_undo", args=[merge.public_id]), {})
        assert refused.status_code == 302 and ChildMerge.objects.get().undone_at is None
        admin.post(reverse("registry:merge_undo", args=[merge.public_id]),
                   {"reason": "Hai trẻ khác nhau"})
        assert ChildMerge.objects.get().undone_at is not None
        assert not Child.objects.filter(merged_into__isnull=False).exists()


class SearchPageTests:
    def test_starting_a_search_runs_it_for_the_province(self, pair, tree, personas,
                                                        settings) -> None:
        settings.TREEM_IMPORT_SYNC = True
        response = _client(personas.officer).post(reverse("registry:duplicate_search"),
                                                  {"province": tree.province.public_id})
        assert response.status_code == 302
        search = DuplicateSearch.objects.get()
        assert search.status == DuplicateSearch.Status.DONE and search.records == 2
        # The two records of the fixture are one child by every comparison.
        assert DuplicatePair.objects.filter(status="open").count() == 1

    def test_a_second_search_waits_for_the_first(self, tree, personas) -> None:
        DuplicateSearch.objects.create(province=tree.province, unit_path=tree.province.path)
        client = _client(personas.officer)
        response = client.post(reverse("registry:duplicate_search"),
                               {"province": tree.province.public_id}, follow=True)
        assert "đang chạy" in response.content.decode()
        assert DuplicateSearch.objects.count() == 1


class DuplicateApiTests:
    def test_merge_dismiss_and_undo_over_the_api(self, pair, personas) -> None:
        officer = _client(personas.officer)
        listed = officer.get("/api/v1/duplicates").json()
        assert [p["id"] for p in listed["items"]] == [str(pair.public_id)]
        bad = officer.post(f"/api/v1/duplicates/{pair.public_id}/merge",
                           {"kept": "a", "reason": ""}, content_type="application/json")
        assert bad.status_code == 422 and not ChildMerge.objects.exists()
        wrong = officer.post(f"/api/v1/duplicates/{pair.public_id}/merge",
                             {"kept": "c", "reason": "x"}, content_type="application/json")
        assert wrong.status_code == 422
        done = officer.post(f"/api/v1/duplicates/{pair.public_id}/merge",
                            {"kept": "a", "reason": "Trùng"}, content_type="application/json")
        assert done.status_code == 201 and done.json()["kept"] == str(pair.child_a.public_id)
        again = officer.post(f"/api/v1/duplicates/{pair.public_id}/merge",
                             {"kept": "a", "reason": "Trùng"}, content_type="application/json")
        assert again.status_code == 409
        admin = _client(personas.admin)
        ref = done.json()["reference"]
        merges = admin.get("/api/v1/merges", {"ref": ref}).json()["items"]
        assert [m["reference"] for m in merges] == [ref]
        undone = admin.post(f"/api/v1/merges/{merges[0]['id']}/undo", {"reason": "Nhầm"},
                            content_type="application/json")
        assert undone.status_code == 200 and undone.json()["undone_at"]
        twice = admin.post(f"/api/v1/merges/{merges[0]['id']}/undo", {"reason": "Nhầm"},
                           content_type="application/json")
        assert twice.status_code == 422
