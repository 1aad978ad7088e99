"""The whole process over the API, as a partner system or a mobile client would drive it:
intake → case → assessments → plan → approval → referral → review → closure, with the same
refusals as the pages."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.cases.models import Case, Plan, Protection, Referral
from treem.registry.models import ChildCircumstance
from treem.registry.tests.factories import make_child
from treem.testing import login, make_user

pytestmark = pytest.mark.django_db

API = "/api/v1"
REPORT = {"commune": "01273", "channel": "hotline_111",
          "received_at": "2026-03-02T09:30:00+07:00", "happened_on": "2026-03-01",
          "forms": ["sexual_abuse"], "place": "community",
          "description": "Trẻ bị người lạ sàm sỡ trên đường đi học", "urgent": True}
INITIAL = {"kind": "initial", "ratings": {"harm": "high", "risk": "medium"},
           "answers": {"findings": "Xác minh có sự việc"}, "conclusion": "at_risk"}
DETAILED = {"kind": "detailed", "answers": {
    "condition": "Hoảng sợ", "family": "Mẹ chăm sóc tốt", "factors": "Đường vắng",
    "schooling": "Học lớp 6", "community": "Thôn an toàn", "needs": "Tư vấn tâm lý"}}
REVIEW_SAFE = {"kind": "review", "conclusion": "safe", "answers": {"notes": "Ổn định"},
               "ratings": {"harm": "low", "access": "low", "obstacles": "low",
                           "resilience": "medium"}}


def _today() -> str:
    return timezone.localdate().isoformat()


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _send(client: Client, method: str, url: str, body: dict | None = None,
          headers: dict | None = None):
    return getattr(client, method)(f"{API}{url}", body or {}, content_type="application/json",
                                   headers=headers)


NO_DRAFT = {"If-Match": '"0"'}  # the version of the plan being built before its first save


def _plan(goal: str = "Trẻ an toàn, đi học bình thường") -> dict:
    return {"goal": goal, "items": [
        {"task": "Tư vấn tâm lý 4 buổi", "responsible": "Trạm y tế xã",
         "starts_on": _today(), "ends_on": _in_days(30), "cost": 500000}]}


@pytest.fixture
def opened(tree, personas):
    """A hotline report posted by the intake operator, opened by the commune officer."""
    child = make_child(commune=tree.commune_a, full_name="Hoàng Thị Mai", sex="f")
    nid = _send(login(Client(), personas.intake), "post", "/notifications", REPORT).json()["id"]
    officer = login(Client(), personas.officer)
    response = _send(officer, "post", f"/notifications/{nid}/case",
                     {"child": str(child.public_id)})
    assert response.status_code == 201, response.content
    return response.json(), child, officer


class CaseFlowApiTests:
    def test_the_whole_process_over_the_api(self, opened, personas) -> None:
        case, child, officer = opened
        cid = case["id"]
        assert case["status"] == "received" and case["child"] == str(child.public_id)
        assert [w["name"] for w in case["workers"]] == [personas.officer.full_name]
        assert case["moves"] == ["verify", "hand_over"]
        chairman = login(Client(), personas.chairman)
        police = login(Client(), personas.sector_focal)

        def move(client: Client, name: str, **extra: str) -> dict:
            response = _send(client, "post", f"/cases/{cid}/move", {"move": name, **extra})
            assert response.status_code == 200, response.content
            return response.json()

        measure = _send(officer, "post", f"/cases/{cid}/protections",
                        {"kind": "measure", "taken_at": "2026-03-02T15:00:00+07:00",
                         "description": "Đưa trẻ về nhà bà ngoại"})
        assert measure.status_code == 201
        move(officer, "verify")
        assert _send(officer, "post", f"/cases/{cid}/assessments",
                     {**INITIAL, "done_on": _today()}).status_code == 201
        move(officer, "confirm")
        assert _send(officer, "post", f"/cases/{cid}/assessments",
                     {**DETAILED, "done_on": _today()}).status_code == 201
        move(officer, "plan")
        saved = _send(officer, "put", f"/cases/{cid}/plan", _plan(), NO_DRAFT)
        assert saved.status_code == 200 and saved.json()["items"][0]["cost"] == "500000"
        move(officer, "submit_plan")
        approved = move(chairman, "approve_plan")
        assert approved["status"] == "in_progress"
        assert approved["plans"][0]["approved_at"] is not None
        plan = _send(chairman, "get", f"/plans/{approved['plans'][0]['id']}").json()
        assert plan["items"][0]["task"] == "Tư vấn tâm lý 4 buổi"

        referral = _send(officer, "post", f"/cases/{cid}/referrals",
                         {"service": "police", "organisation": "Công an tỉnh",
                          "due_on": _in_days(7), "note": "Đề nghị điều tra"})
        assert referral.status_code == 201
        rid = referral.json()["id"]
        # The police focal point sees the referred case (not the child's name) and answers.
        assert _send(police, "get", f"/cases/{cid}").status_code == 200
        accepted = _send(police, "post", f"/referrals/{rid}/answer", {"accept": True})
        assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
        done = _send(police, "post", f"/referrals/{rid}/result",
                     {"result": "Đã khởi tố vụ án"})
        assert done.json()["status"] == "done"

        move(officer, "review")
        assert _send(officer, "post", f"/cases/{cid}/assessments",
                     {**REVIEW_SAFE, "done_on": _today()}).status_code == 201
        closed = move(chairman, "close", close_reason="safe")
        assert closed["status"] == "closed" and closed["close_reason"] == "safe"
        assert [a["kind"] for a in closed["assessments"]] == ["initial", "detailed", "review"]
        assert closed["moves"] == []  # reopening is the officer's, not the chairman's
        # The confirmed sexual abuse put the child in group l from the day it happened.
        group = ChildCircumstance.objects.get(child=child, group__code="l")
        assert group.start_date == datetime.date(2026, 3, 1)

    def test_a_separation_is_the_chairmans_and_ends_with_a_reason(self, opened,
                                                                   personas) -> None:
        case, _child, officer = opened
        body = {"kind": "separation", "taken_at": "2026-03-02T16:00:00+07:00",
                "description": "Tách trẻ khỏi người gây hại", "care_place": "Nhà bà ngoại",
                "separated_from": "Ông Hoàng Văn Dũng (cha dượng)",
                "days": 10}
        refused = _send(officer, "post", f"/cases/{case['id']}/protections", body)
        assert refused.status_code == 403
        chairman = login(Client(), personas.chairman)
        too_long = _send(chairman, "post", f"/cases/{case['id']}/protections",
                         {**body, "days": 20})
        assert too_long.status_code == 422 and "15 ngày" in too_long.json()["detail"]
        assert not Protection.objects.exists()
        decided = _send(chairman, "post", f"/cases/{case['id']}/protections", body)
        assert decided.status_code == 201
        sid = decided.json()["id"]
        extended = _send(chairman, "post", f"/separations/{sid}/extend", {"days": 15})
        assert extended.status_code == 200
        assert extended.json()["until"].startswith("2026-03-17")
        no_reason = _send(officer, "post", f"/separations/{sid}/end", {"reason": " "})
        assert no_reason.status_code == 422
        ended = _send(officer, "post", f"/separations/{sid}/end",
                      {"reason": "Gia đình đã an toàn"})
        assert ended.status_code == 200 and ended.json()["ended_at"] is not None

    def test_an_assessment_out_of_its_step_or_incomplete_is_refused_and_writes_nothing(
            self, opened) -> None:
        case, _child, officer = opened
        cid = case["id"]
        early = _send(officer, "post", f"/cases/{cid}/assessments",
                      {**INITIAL, "done_on": _today()})
        assert early.status_code == 422  # the case is not being verified yet
        _send(officer, "post", f"/cases/{cid}/move", {"move": "verify"})
        for bad in ({**INITIAL, "ratings": {"harm": "extreme", "risk": "low"}},
                    {**INITIAL, "conclusion": ""}, {**INITIAL, "kind": "final"},
                    {**INITIAL, "done_on": "2026-01-01"}):
            response = _send(officer, "post", f"/cases/{cid}/assessments",
                             {"done_on": _today(), **bad})
            assert response.status_code == 422, bad
        assert _send(officer, "get", f"/cases/{cid}").json()["assessments"] == []

    def test_a_plan_with_a_bad_row_is_refused_and_keeps_the_draft(self, opened) -> None:
        case, _child, officer = opened
        cid = case["id"]
        assert _send(officer, "put", f"/cases/{cid}/plan", _plan(), NO_DRAFT).status_code == 422
        for name, body in (("verify", {}), ("confirm", None), ("plan", None)):
            if body is None:
                kind = INITIAL if name == "confirm" else DETAILED
                _send(officer, "post", f"/cases/{cid}/assessments", {**kind, "done_on": _today()})
            assert _send(officer, "post", f"/cases/{cid}/move",
                         {"move": name}).status_code == 200
        assert _send(officer, "put", f"/cases/{cid}/plan", _plan(), NO_DRAFT).status_code == 200
        backwards = _plan("Khác")
        backwards["items"][0]["ends_on"] = "2026-01-01"
        refused = _send(officer, "put", f"/cases/{cid}/plan", backwards, {"If-Match": '"1"'})
        assert refused.status_code == 422 and "Dòng 1" in refused.json()["detail"]
        assert list(Plan.objects.values_list("goal", flat=True)) == [
            "Trẻ an toàn, đi học bình thường"]

    def test_a_referral_is_answered_only_by_its_sector_and_once(self, opened, tree,
                                                                 personas) -> None:
        case, _child, officer = opened
        rid = _send(officer, "post", f"/cases/{case['id']}/referrals",
                    {"service": "health", "organisation": "Trạm y tế",
                     "due_on": _in_days(3)}).json()["id"]
        police = login(Client(), personas.sector_focal)
        # Health, not police: the police focal point does not even see it.
        assert _send(police, "post", f"/referrals/{rid}/answer",
                     {"accept": True}).status_code == 404
        health = login(Client(), make_user("health", role=Role.SECTOR_FOCAL,
                                           unit=tree.province, sector="health"))
        assert _send(health, "post", f"/referrals/{rid}/answer",
                     {"accept": False, "note": "Không đủ chuyên môn"}).status_code == 200
        again = _send(health, "post", f"/referrals/{rid}/answer", {"accept": True})
        assert again.status_code == 422
        assert Referral.objects.get().status == "declined"
        past = _send(officer, "post", f"/cases/{case['id']}/referrals",
                     {"service": "health", "organisation": "Trạm y tế",
                      "due_on": "2020-01-01"})
        assert past.status_code == 422 and Referral.objects.count() == 1

    def test_a_worker_is_added_and_taken_off_but_the_last_one_stays(self, opened, tree,
                                                                    personas) -> None:
        case, _child, officer = opened
        cid = case["id"]
        colleague = make_user("officer_a2", role=Role.COMMUNE_OFFICER, unit=tree.commune_a)
        other = login(Client(), colleague)
        assert _send(other, "get", f"/cases/{cid}").status_code == 404  # not assigned yet
        chairman = login(Client(), personas.chairman)
        added = _send(chairman, "post", f"/cases/{cid}/workers",
                      {"worker": str(colleague.public_id)})
        assert added.status_code == 200 and len(added.json()["workers"]) == 2
        assert _send(other, "get", f"/cases/{cid}").status_code == 200
        outsider = _send(chairman, "post", f"/cases/{cid}/workers",
                         {"worker": str(personas.outsider.public_id)})
        assert outsider.status_code == 422  # an officer of commune B cannot take it
        removed = _send(other, "delete", f"/cases/{cid}/workers/{personas.officer.public_id}")
        assert [w["name"] for w in removed.json()["workers"]] == [colleague.full_name]
        assert _send(officer, "get", f"/cases/{cid}").status_code == 404
        last = _send(other, "delete", f"/cases/{cid}/workers/{colleague.public_id}")
        assert last.status_code == 422 and "ít nhất một" in last.json()["detail"]
        assert list(Case.objects.get().workers.all()) == [colleague]

    def test_a_case_is_shared_with_the_province_only(self, opened, tree, personas) -> None:
        case, _child, officer = opened
        area = login(Client(), personas.province_officer)
        assert _send(area, "get", f"/cases/{case['id']}").status_code == 404
        elsewhere = _send(officer, "post", f"/cases/{case['id']}/shares",
                          {"unit": "01", "reason": "Xin ý kiến"})
        assert elsewhere.status_code == 422  # Hà Nội is not above the commune
        shared = _send(officer, "post", f"/cases/{case['id']}/shares",
                       {"unit": tree.province.code, "reason": "Xin ý kiến Sở"})
        assert shared.status_code == 201
        assert _send(area, "get", f"/cases/{case['id']}").status_code == 200

    def test_reads_of_a_case_and_its_documents_are_audited(self, opened, personas) -> None:
        case, _child, officer = opened
        cid = case["id"]
        _send(officer, "post", f"/cases/{cid}/move", {"move": "verify"})
        aid = _send(officer, "post", f"/cases/{cid}/assessments",
                    {**INITIAL, "done_on": _today()}).json()["id"]
        reads = AuditEvent.objects.filter(action=Action.VIEW, actor=personas.officer,
                                          object_id=cid)
        before = reads.count()
        for url in (f"/cases/{cid}", f"/assessments/{aid}"):
            assert _send(officer, "get", url).status_code == 200
        assert reads.count() == before + 2

    def test_opening_needs_a_child_of_the_commune(self, tree, personas) -> None:
        nid = _send(login(Client(), personas.intake), "post", "/notifications",
                    REPORT).json()["id"]
        officer = login(Client(), personas.officer)
        elsewhere = make_child(commune=tree.commune_b, full_name="Lò Văn Pấu")
        for child in (str(elsewhere.public_id), "00000000-0000-0000-0000-000000000000"):
            response = _send(officer, "post", f"/notifications/{nid}/case", {"child": child})
            # A child of another commune is not the officer's: not found, like no child.
            assert response.status_code == 404
        assert not Case.objects.exists()
