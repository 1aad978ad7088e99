"""Offline work for village collaborators (issue 17, docs/offline.md), on a 360 px phone.

Three kinds of test:
- `OfflineShellTests`: the shell, service worker and manifest, the same for everyone.
- `OfflineClientTests`: the app against an API played by the test (Playwright answers
  /api/v1/offline/… per the contract), so that what only the phone decides is pinned whatever
  the server does: the queue kept in order across a lost connection, nothing readable in
  IndexedDB, the key forgotten after idle days, a wipe, a 401 that keeps everything, the first
  screen from the service worker on a slow phone.
- `OfflineJourneyTests`: the issue's "Done when", end to end against treem's own API and the
  commune's review pages.
"""

import base64
import datetime
import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_accessibility import _text_contrast
from tests.browser.test_journeys import _no_horizontal_scroll
from tests.browser.test_register_journey import _sign_in
from treem.accounts.models import User
from treem.cases.models import Notification
from treem.offline.models import Operation
from treem.registry import choices
from treem.registry import services as registry_services
from treem.registry.models import Child
from treem.registry.tests.factories import make_child, make_household
from treem.testing import PASSWORD, confirmed_device, make_personas, make_tree

pytestmark = pytest.mark.browser

VILLAGE = "01273-001"
COMMUNE = "01273"
HEAD = str(uuid.uuid4())
LISTS = {
    "sex": [["male", "Nam"], ["female", "Nữ"]],
    "ethnicity": [["tay", "Tày"], ["nung", "Nùng"], ["kinh", "Kinh"]],
    "school_level": [["primary", "Tiểu học"], ["lower_secondary", "Trung học cơ sở"]],
    "school_status": [["in_school", "Đang đi học"], ["dropped_out", "Bỏ học"],
                      ["not_yet", "Chưa đến tuổi đi học"]],
    "living_arrangement": [["parents", "Sống với cha mẹ"], ["grandparents", "Sống với ông bà"]],
    "death_cause": [["illness", "Bệnh tật"], ["drowning", "Đuối nước"]],
    "residence_type": [["permanent", "Thường trú"]],
    "concern_form": [["physical", "Bạo lực thể chất"], ["neglect", "Bỏ mặc"],
                     ["sexual", "Xâm hại tình dục"]],
    "concern_place": [["family", "Gia đình"], ["school", "Trường học"],
                      ["community", "Cộng đồng"]],
    "communes": [[COMMUNE, "Phường Thục Phán"], ["01279", "Xã Hòa An"]],
}
NAMES = ("Lò Văn An", "Nông Thị Bích", "Hoàng Văn Cường")


def _child(name: str, **fields: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "v": 1, "village": VILLAGE, "household": HEAD,
            "full_name": name, "sex": "male", "birth_date": "2015-03-02", "ethnicity": "tay",
            "birth_registered": True, "school_level": "primary", "school_status": "in_school",
            "living_arrangement": "parents", "health_insurance": False, "death_date": None,
            "death_cause": "", **fields}


class FakeApi:
    """The server of docs/offline.md, as small as the client's journeys need."""

    def __init__(self) -> None:
        self.children = [_child(name) for name in NAMES]
        self.households = [{"id": HEAD, "v": 1, "village": VILLAGE,
                            "head_name": "Hoàng Văn Bình", "address": "Nà Pồng"}]
        self.signed_in = True
        self.wipe = False
        self.gone = False  # answer 410 to everything but contact
        self.drop_next_sync = False  # apply, then lose the answer
        self.conflict_fields: set[str] = set()
        self.results: dict[str, dict[str, Any]] = {}
        self.created: dict[str, str] = {}
        self.calls: list[tuple[str, str]] = []
        self.sent: list[dict[str, Any]] = []
        self.decisions: list[tuple[str, dict[str, Any]]] = []
        self.concerns: list[dict[str, Any]] = []
        self.devices: dict[str, dict[str, Any]] = {}
        self.salt = base64.b64encode(b"0123456789abcdef").decode()

    def handle(self, route: Route, request: Request) -> None:
        path = request.url.split("/api/v1/offline/", 1)[1].split("?")[0]
        self.calls.append((request.method, path))
        body = request.post_data_json if request.method == "POST" else None
        if path == "contact":
            return self._json(route, 200, {"wipe": self.wipe})
        if self.gone:
            return self._json(route, 410, {"code": "wipe", "message": "Điện thoại đã bị khóa."})
        if not self.signed_in:
            return self._json(route, 401, {"code": "unauthorized", "message": "Chưa đăng nhập."})
        device = request.headers.get("x-treem-device")
        assert path == "session" or device in self.devices or (
            path == "devices" and device == body["id"])
        if request.method == "POST":
            assert request.headers.get("x-csrftoken") == "csrf-token"
        if path == "session":
            return self._json(route, 200, {"username": "ctv_a", "full_name": "Cộng tác viên A",
                                           "collaborator": True, "csrf_token": "csrf-token"})
        if path == "devices":
            self.devices[body["id"]] = body
            return self._json(route, 201, {"id": body["id"], "secret": "s3cret",
                                           "salt": self.salt, "idle_days": 14})
        if path == "village":
            return self._json(route, 200, self.village())
        if path == "sync":
            self.sent.extend(body["operations"])
            results = [self.apply(op) for op in body["operations"]]
            if self.drop_next_sync:
                self.drop_next_sync = False
                return route.abort("connectionreset")
            return self._json(route, 200, {"results": results})
        if match := re.fullmatch(r"operations/([0-9a-f-]+)/decision", path):
            self.decisions.append((match[1], body))
            result = self.results[match[1]]
            if "payload" in body:  # a correction: applied again, its id kept
                self._apply(result["kind"], body["payload"], result)
            else:
                result["status"] = "dismissed" if body.get("dismiss") else "resolved"
            return self._json(route, 200, result)
        raise AssertionError(f"unexpected call {request.method} {path}")

    def village(self) -> dict[str, Any]:
        return {
            "server_time": datetime.datetime.now(datetime.UTC).isoformat(), "idle_days": 14,
            "villages": [{"code": VILLAGE, "name": "Thôn Nà Pồng",
                          "commune": {"code": COMMUNE, "name": "Phường Thục Phán"}}],
            "households": self.households, "children": self.children, "lists": LISTS,
            "pending": [r for r in self.results.values()
                        if r["status"] in ("conflict", "held", "invalid")],
        }

    def _ref(self, value: str) -> str:
        return self.created[value[3:]] if value.startswith("op:") else value

    def apply(self, op: dict[str, Any]) -> dict[str, Any]:
        if op["id"] in self.results:  # sent again: the first answer, nothing applied twice
            return self.results[op["id"]]
        payload = op["payload"]
        result: dict[str, Any] = {"id": op["id"], "kind": op["kind"], "status": "applied",
                                  "message": "", "errors": {}, "conflicts": [], "record": None,
                                  "recorded_at": op["recorded_at"]}
        self.results[op["id"]] = result
        self._apply(op["kind"], payload, result)
        return result

    def _apply(self, kind: str, payload: dict[str, Any], result: dict[str, Any]) -> None:
        result.update(status="applied", message="", errors={})
        if kind == "child_register" and not payload.get("confirm_new") and any(
                c["full_name"] == payload["full_name"] for c in self.children):
            result.update(status="invalid", message="Có thể trẻ đã có trong sổ.",
                          errors={"full_name": ["Có thể trẻ đã có trong sổ: "
                                                f"{payload['full_name']} (2015)."]})
        elif kind == "child_register":
            child = _child(payload["full_name"], **{k: v for k, v in payload.items()
                                                    if k in _child("")})
            self.children.append(child)
            self.created[result["id"]] = child["id"]
            result["record"] = child
        elif kind == "household_create":
            household = {"id": str(uuid.uuid4()), "v": 1, **payload}
            self.households.append(household)
            self.created[result["id"]] = household["id"]
            result["record"] = household
        elif kind == "child_update":
            child = next(c for c in self.children if c["id"] == self._ref(payload["child"]))
            clashing = self.conflict_fields & set(payload["changes"])
            if clashing:
                result.update(status="conflict", conflicts=[
                    {"field": name, "label": "Tình trạng đi học", "mine": payload["changes"][name],
                     "theirs": "not_yet", "base": payload["base"][name],
                     "by": "officer_a", "at": "2026-12-01T09:00:00+07:00"}
                    for name in sorted(clashing)])
            else:
                child.update(payload["changes"], v=child["v"] + 1)
                result["record"] = child
        elif kind == "concern_record":
            self.concerns.append(payload)
            result["record"] = {"reference": f"TB-{len(self.concerns)}"}
        elif kind == "child_move":
            self.children = [c for c in self.children if c["id"] != self._ref(payload["child"])]

    @staticmethod
    def _json(route: Route, status: int, body: object) -> None:
        route.fulfill(status=status, content_type="application/json",
                      body=json.dumps(body, ensure_ascii=False))


@pytest.fixture
def fake() -> FakeApi:
    return FakeApi()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def app(context: BrowserContext, fake: FakeApi, journey_db: None,
        live_server: object) -> Page:
    """The app's page, its API played by `fake`; the phone enrolled, unlocked and holding
    the village."""
    context.route("**/api/v1/offline/**", fake.handle)
    page = context.new_page()
    page.goto(f"{live_server}/offline/")
    _unlock(page, first=True)
    expect(page.get_by_role("heading", name="Thôn Nà Pồng")).to_be_visible()
    expect(page.locator(".children li")).to_have_count(len(NAMES))
    return page


def _unlock(page: Page, *, password: str = PASSWORD, first: bool = False) -> None:
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    if first:
        page.get_by_label("Nhập lại mật khẩu").fill(password)
    page.get_by_role("button", name="Mở khóa").click()


def _stored(page: Page) -> dict[str, Any]:
    """What IndexedDB holds, every value as the text it would show (binary as its size)."""
    return page.evaluate("""async () => {
      const names = (await indexedDB.databases()).map((d) => d.name);
      if (!names.includes("treem-offline")) return {databases: names};
      const db = await new Promise((ok, ko) => { const r = indexedDB.open("treem-offline");
        r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      const out = {databases: names};
      for (const store of db.objectStoreNames) {
        out[store] = await new Promise((ok) => { const values = {};
          const t = db.transaction(store); const s = t.objectStore(store);
          s.openCursor().onsuccess = (e) => { const c = e.target.result;
            if (!c) return;
            values[c.key] = JSON.stringify(c.value, (k, v) =>
              v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? `<${v.byteLength} bytes>`
              : (v instanceof CryptoKey ? `<key extractable=${v.extractable}>` : v));
            c.continue(); };
          t.oncomplete = () => ok(values); });
      }
      db.close();
      return out;
    }""")


def _wait_for_the_service_worker(page: Page) -> None:
    """Until the service worker controls the page (polled: the page's CSP forbids the eval
    that wait_for_function uses)."""
    for _attempt in range(100):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            return
        time.sleep(0.1)
    raise AssertionError("no service worker controls the page")


def _first_screen_on_3g(page: Page, context: BrowserContext, *, children: int) -> float:
    """Seconds from reopening the installed app on a slow phone (3G: 400 kbit/s, 400 ms; the
    processor 4 times slower) to its list of children, the page served by the service worker."""
    _wait_for_the_service_worker(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8,
        "uploadThroughput": 400 * 1000 / 8})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    started = time.monotonic()
    response = page.reload(wait_until="commit")
    expect(page.locator(".children li")).to_have_count(children, timeout=5_000)
    elapsed = time.monotonic() - started
    assert response is not None and response.from_service_worker
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    # Let what the app sends once open finish at full speed: a request still in flight when
    # the test ends holds locks that the database's flush then deadlocks on (PostgreSQL).
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    page.wait_for_load_state("networkidle")
    return elapsed


def _open_child(page: Page, name: str) -> None:
    page.get_by_role("link", name=re.compile(name)).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


class OfflineClientTests:
    def test_changes_made_offline_are_queued_encrypted_and_sent_in_order_once_online(
        self, app: Page, context: BrowserContext, fake: FakeApi
    ) -> None:
        page = app
        _no_horizontal_scroll(page)
        context.set_offline(True)
        expect(page.locator("#network")).to_contain_text("Không có mạng")
        screenshot(page, "offline-list-phone")
        page.get_by_placeholder("Tìm theo tên").fill("nong thi")  # without the accents
        expect(page.locator(".children li")).to_have_text([re.compile(NAMES[1])])
        page.get_by_placeholder("Tìm theo tên").fill("")

        # A child registered, two others updated, a concern recorded: all without a network.
        page.get_by_role("link", name="Thêm trẻ em").click()
        page.get_by_label("Họ và tên").fill("Vi Thị Dung")
        page.get_by_label("Giới tính").select_option(label="Nữ")
        page.get_by_label("Ngày sinh").fill("2019-06-01")
        page.get_by_label("Dân tộc").select_option(label="Nùng")
        page.get_by_label("Cấp học").select_option(label="Tiểu học")
        page.get_by_label("Tình trạng đi học").select_option(label="Chưa đến tuổi đi học")
        page.get_by_label("Nơi ở, người chăm sóc").select_option(label="Sống với cha mẹ")
        _no_horizontal_scroll(page)
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_role("link", name=re.compile("Vi Thị Dung"))).to_contain_text("chờ gửi")

        _open_child(page, NAMES[0])
        page.get_by_label("Tình trạng đi học").select_option(label="Bỏ học")
        _no_horizontal_scroll(page)
        screenshot(page, "offline-child-phone")
        page.get_by_role("button", name="Lưu").click()
        _open_child(page, NAMES[1])
        page.get_by_label("Có thẻ bảo hiểm y tế").select_option(label="Có")
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_role("link", name=re.compile(NAMES[1]))).to_contain_text("chờ gửi")

        page.get_by_role("link", name="Báo tin về trẻ cần bảo vệ").click()
        expect(page.get_by_role("note")).to_contain_text("gọi ngay 111")
        page.get_by_label("Trẻ em (nếu có trong danh sách)").select_option(
            label=f"{NAMES[2]} — 02/03/2015")
        page.get_by_label("Chuyện gì đã xảy ra").fill("Em bị đánh, có vết bầm ở tay")
        page.get_by_label("Ở đâu").select_option(label="Gia đình")
        page.get_by_label("Bạo lực thể chất").check()
        _no_horizontal_scroll(page)
        screenshot(page, "offline-concern-phone")
        page.get_by_role("button", name="Ghi lại để gửi").click()

        page.get_by_role("link", name="Chờ gửi (4)").click()
        expect(page.locator(".queue li")).to_have_count(4)
        expect(page.locator(".queue li").first).to_contain_text("Ghi lúc")
        screenshot(page, "offline-queue-phone")
        assert ("POST", "sync") not in fake.calls

        # Nothing about a child is readable in IndexedDB; the key cannot be taken away.
        stored = json.dumps(_stored(page), ensure_ascii=False)
        for name in (*NAMES, "Vi Thị Dung", "vết bầm", "Nà Pồng"):
            assert name not in stored
        assert "<key extractable=false>" in stored

        # Back online: contact, then the queue in order, then the village again.
        time.sleep(1.1)
        back_online = datetime.datetime.now(datetime.UTC)
        context.set_offline(False)
        expect(page.locator("#flash")).to_contain_text("Đã gửi và cập nhật dữ liệu.")
        calls = fake.calls[fake.calls.index(("POST", "sync")) - 1:]
        assert calls[:3] == [("POST", "contact"), ("POST", "sync"), ("GET", "village")]
        assert [op["kind"] for op in fake.sent] == [
            "child_register", "child_update", "child_update", "concern_record"]
        register, first, second, concern = fake.sent
        assert first["payload"]["changes"] == {"school_status": "dropped_out"}
        assert first["payload"]["base"] == {"school_status": "in_school"}
        assert first["payload"]["base_version"] == 1
        assert second["payload"]["changes"] == {"health_insurance": True}
        assert concern["payload"]["forms"] == ["physical"]
        assert concern["payload"]["urgent"] is False
        # The concern carries the time it was recorded on the phone, not the time it was sent.
        recorded_at = datetime.datetime.fromisoformat(concern["recorded_at"])
        assert back_online - datetime.timedelta(minutes=5) < recorded_at < back_online
        page.get_by_role("link", name="Quay lại danh sách").click()
        expect(page.locator(".children li")).to_have_count(4)
        expect(page.locator(".waiting")).to_have_count(0)
        expect(page.get_by_role("link", name="Chờ gửi (0)")).to_be_visible()

    def test_a_lost_answer_is_sent_again_with_the_same_ids_and_applied_once(
        self, app: Page, context: BrowserContext, fake: FakeApi
    ) -> None:
        page = app
        context.set_offline(True)
        page.get_by_role("link", name="Thêm hộ gia đình").click()
        page.get_by_label("Họ và tên chủ hộ").fill("Lý Văn Đức")
        page.get_by_role("button", name="Lưu").click()
        page.get_by_role("link", name="Thêm trẻ em").click()
        page.get_by_label("Họ và tên").fill("Lý Thị Em")
        page.get_by_label("Giới tính").select_option(label="Nữ")
        page.get_by_label("Ngày sinh").fill("2020-01-15")
        _school_and_home(page)
        # The household just created offline, named by its operation.
        page.get_by_label("Hộ gia đình").select_option(label="Lý Văn Đức")
        page.get_by_role("button", name="Lưu").click()

        fake.drop_next_sync = True
        context.set_offline(False)
        expect(page.locator("#flash")).to_contain_text("Chưa gửi được")
        expect(page.get_by_role("link", name="Chờ gửi (2)")).to_be_visible()
        page.get_by_role("button", name="Gửi ngay").click()
        expect(page.locator("#flash")).to_contain_text("Đã gửi và cập nhật dữ liệu.")

        household, child = fake.sent[:2]
        assert child["payload"]["household"] == f"op:{household['id']}"
        assert [op["id"] for op in fake.sent] == [household["id"], child["id"]] * 2
        assert [c["full_name"] for c in fake.children].count("Lý Thị Em") == 1
        expect(page.get_by_role("link", name="Chờ gửi (0)")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Lý Thị Em"))).not_to_contain_text("chờ gửi")

    def test_a_long_queue_goes_in_batches_of_500_in_order(
        self, app: Page, fake: FakeApi
    ) -> None:
        page = app
        # 501 concerns queued the way the form queues them (the app's own functions).
        page.evaluate("""async () => {
          for (let n = 0; n < 501; n++) {
            queueOperation("concern_record", {child: null, child_description: `Trẻ ${n}`,
              description: "…", place: "family", happened_on: null, forms: [], urgent: false});
          }
          await saveState();
          await sync();
        }""")
        expect(page.locator("#flash")).to_contain_text("Đã gửi và cập nhật dữ liệu.")
        batches = [call for call in fake.calls if call == ("POST", "sync")]
        assert len(batches) == 2
        assert [op["payload"]["child_description"] for op in fake.sent] == [
            f"Trẻ {n}" for n in range(501)]
        expect(page.get_by_role("link", name="Chờ gửi (0)")).to_be_visible()

    def test_a_conflict_shows_both_values_and_the_choice_is_sent(
        self, app: Page, fake: FakeApi
    ) -> None:
        page = app
        fake.conflict_fields = {"school_status"}
        _open_child(page, NAMES[0])
        page.get_by_label("Tình trạng đi học").select_option(label="Bỏ học")
        page.get_by_role("button", name="Lưu").click()
        page.get_by_role("button", name="Gửi ngay").click()
        expect(page.locator("#flash")).to_contain_text("Đã gửi")
        page.get_by_role("link", name="Kết quả cần xem (1)").click()
        card = page.locator(".result")
        expect(card).to_contain_text("Giữ giá trị của tôi: Bỏ học")
        expect(card).to_contain_text("Giữ giá trị trên máy chủ: Chưa đến tuổi đi học")
        expect(card).to_contain_text("officer_a")
        _no_horizontal_scroll(page)
        screenshot(page, "offline-conflict-phone")
        card.get_by_label(re.compile("Giữ giá trị trên máy chủ")).check()
        card.get_by_role("button", name="Gửi quyết định").click()
        expect(page.get_by_text("Không có kết quả nào cần xem.")).to_be_visible()
        assert fake.decisions == [(fake.sent[0]["id"], {"fields": {"school_status": "theirs"}})]

    def test_a_refused_registration_is_corrected_and_sent_again_under_its_id(
        self, app: Page, fake: FakeApi
    ) -> None:
        page = app
        page.get_by_role("link", name="Thêm trẻ em").click()
        page.get_by_label("Họ và tên").fill(NAMES[0])
        page.get_by_label("Giới tính").select_option(label="Nam")
        page.get_by_label("Ngày sinh").fill("2015-03-02")
        _school_and_home(page)
        page.get_by_role("button", name="Lưu").click()
        page.get_by_role("button", name="Gửi ngay").click()
        expect(page.locator("#flash")).to_contain_text("Đã gửi")
        page.get_by_role("link", name="Kết quả cần xem (1)").click()
        expect(page.locator(".result")).to_contain_text("Không hợp lệ")
        expect(page.locator(".result")).to_contain_text("Có thể trẻ đã có trong sổ")
        page.get_by_role("link", name="Sửa và gửi lại").click()
        expect(page.get_by_label("Họ và tên")).to_have_value(NAMES[0])
        expect(page.locator(".has-error")).to_contain_text("Có thể trẻ đã có trong sổ")
        _no_horizontal_scroll(page)
        page.get_by_label("Đây là trẻ khác").check()
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text("Không có kết quả nào cần xem.")).to_be_visible()
        [(operation_id, decision)] = fake.decisions
        assert operation_id == fake.sent[0]["id"]
        assert decision["payload"]["confirm_new"] is True
        assert [c["full_name"] for c in fake.children].count(NAMES[0]) == 2

    def test_the_key_is_forgotten_after_idle_days_and_a_wrong_password_is_refused_offline(
        self, app: Page, context: BrowserContext
    ) -> None:
        page = app
        page.evaluate("""async () => new Promise((ok) => {
          const r = indexedDB.open("treem-offline");
          r.onsuccess = () => { const db = r.result; const t = db.transaction("meta", "readwrite");
            const s = t.objectStore("meta");
            s.get("key").onsuccess = (e) => { const kept = e.target.result;
              kept.used_at = Date.now() - 15 * 86400000; s.put(kept, "key"); };
            t.oncomplete = () => { db.close(); ok(); }; };
        })""")
        context.set_offline(True)
        page.reload()
        expect(page.get_by_role("heading", name="Mở khóa dữ liệu trên điện thoại")).to_be_visible()
        assert "<key" not in json.dumps(_stored(page))
        _unlock(page, password="mat-khau-sai")
        expect(page.get_by_role("alert")).to_have_text(
            "Mật khẩu không đúng: không giải mã được dữ liệu trên điện thoại.")
        _unlock(page)
        expect(page.locator(".children li")).to_have_count(len(NAMES))

    def test_an_expired_session_keeps_everything_and_asks_to_sign_in(
        self, app: Page, fake: FakeApi, live_server: object
    ) -> None:
        page = app
        _open_child(page, NAMES[0])
        page.get_by_label("Tình trạng đi học").select_option(label="Bỏ học")
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_role("link", name="Chờ gửi (1)")).to_be_visible()
        fake.signed_in = False
        page.reload()
        expect(page.get_by_role("link", name="Đăng nhập")).to_have_attribute(
            "href", "/accounts/login/?next=%2Foffline%2F")
        expect(page.get_by_text("Phiên đăng nhập đã hết")).to_be_visible()
        expect(page.get_by_role("link", name="Chờ gửi (1)")).to_be_visible()
        assert "treem-offline" in _stored(page)["databases"]

    @pytest.mark.parametrize("how", ["contact", "gone"])
    def test_a_phone_told_to_wipe_forgets_everything(
        self, app: Page, fake: FakeApi, how: str
    ) -> None:
        page = app
        if how == "contact":
            fake.wipe = True
        else:
            fake.gone = True
        fake.signed_in = False
        page.get_by_role("button", name="Gửi ngay").click()
        expect(page.get_by_text("Dữ liệu trên điện thoại này đã bị xóa")).to_be_visible()
        expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
        stored = _stored(page)
        assert stored.get("meta", {}) == {} and stored.get("vault", {}) == {}

    def test_signing_out_warns_of_what_is_unsent_and_clears_the_phone(
        self, app: Page, fake: FakeApi
    ) -> None:
        page = app
        _open_child(page, NAMES[0])
        page.get_by_label("Tình trạng đi học").select_option(label="Bỏ học")
        page.get_by_role("button", name="Lưu").click()
        questions: list[str] = []

        def answer(dialog: Any) -> None:
            questions.append(dialog.message)
            dialog.dismiss() if len(questions) == 1 else dialog.accept()

        page.on("dialog", answer)
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page.get_by_role("link", name="Chờ gửi (1)")).to_be_visible()
        fake.signed_in = False
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
        assert questions[0].startswith("Còn 1 thay đổi chưa gửi")
        assert "treem-offline" not in _stored(page)["databases"] or not _stored(page)["meta"]

    def test_a_new_version_of_the_shell_replaces_the_old_cache(
        self, context: BrowserContext, fake: FakeApi, journey_db: None,
        live_server: object
    ) -> None:
        context.route("**/api/v1/offline/**", fake.handle)
        page = context.new_page()
        page.goto(f"{live_server}/offline/manifest.webmanifest")
        page.evaluate("""async () => {
          const old = await caches.open("treem-offline-shell-0000000000000000");
          await old.put("/offline/", new Response("the old shell"));
        }""")
        page.goto(f"{live_server}/offline/")
        _wait_for_the_service_worker(page)
        version = json.loads(page.request.get(f"{live_server}/offline/sw.js").text()
                             .splitlines()[0].removeprefix("const TREEM_SHELL = ")
                             .removesuffix(";"))["version"]
        assert page.evaluate("caches.keys()") == [f"treem-offline-shell-{version}"]

    def test_the_apps_own_colours_read_at_4_5_to_1_and_its_targets_are_big(
        self, app: Page, context: BrowserContext
    ) -> None:
        page = app
        _open_child(page, NAMES[0])
        page.get_by_label("Tình trạng đi học").select_option(label="Bỏ học")
        page.get_by_role("button", name="Lưu").click()
        context.set_offline(True)
        for selector in ("#network", ".waiting >> nth=0", ".actions .concern",
                         ".children .name >> nth=0"):
            assert _text_contrast(page, selector) >= 4.5, selector
        for target in page.locator(".actions a, .actions button, .children a").all():
            assert target.bounding_box()["height"] >= 44  # type: ignore[index]
        page.get_by_role("link", name="Báo tin về trẻ cần bảo vệ").click()
        for selector in (".emergency", ".emergency .button", ".urgent"):
            assert _text_contrast(page, selector) >= 4.5, selector

    def test_the_first_screen_comes_from_the_service_worker_in_under_two_seconds_on_3g(
        self, app: Page, context: BrowserContext
    ) -> None:
        elapsed = _first_screen_on_3g(app, context, children=len(NAMES))
        assert elapsed < 2, f"first screen after {elapsed:.2f} s"


class OfflineShellTests:
    """The shell, service worker and manifest: the same for everyone, nothing of a user."""

    def test_the_shell_is_the_same_page_signed_in_or_not(self, client: Any, db: None) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        make_child(commune=tree.commune_a, village=tree.village_a, full_name=AN)
        anonymous = client.get("/offline/")
        client.force_login(personas.collaborator)
        signed_in = client.get("/offline/")
        assert anonymous.status_code == signed_in.status_code == 200
        assert anonymous.content == signed_in.content
        assert AN.encode() not in signed_in.content and b"ctv_a" not in signed_in.content
        assert b"csrfmiddlewaretoken" not in signed_in.content
        assert 'id="offline-strings"' in signed_in.content.decode()

    def test_the_service_worker_precaches_the_shell_under_its_version(self, client: Any) -> None:
        response = client.get("/offline/sw.js")
        assert response["Content-Type"] == "text/javascript"
        assert response["Cache-Control"] == "no-cache"
        assert response["Service-Worker-Allowed"] == "/offline/"
        first_line = response.content.decode().splitlines()[0]
        shell = json.loads(first_line.removeprefix("const TREEM_SHELL = ").removesuffix(";"))
        assert shell["app"] == "/offline/"
        assert {"/offline/", "/offline/manifest.webmanifest", "/static/offline/app.js",
                "/static/offline/app.css", "/static/treem/treem.css",
                "/static/offline/icons/icon-192.png",
                "/static/offline/icons/icon-512.png"} == set(shell["urls"])
        assert re.fullmatch(r"[0-9a-f]{16}", shell["version"])

    def test_the_manifest_installs_the_app_within_its_scope(self, client: Any) -> None:
        response = client.get("/offline/manifest.webmanifest")
        assert response["Content-Type"] == "application/manifest+json"
        manifest = json.loads(response.content)
        assert manifest["name"] == "treem — cộng tác viên"
        assert (manifest["start_url"], manifest["scope"], manifest["display"], manifest["lang"]) \
            == ("/offline/", "/offline/", "standalone", "vi")
        assert manifest["theme_color"] == "#0b6e4f"
        assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512"]
        for icon in manifest["icons"]:
            assert client.get(icon["src"]).status_code == 200


# --- The "Done when", against treem's own API --------------------------------------

AN, BICH, CUONG, DUNG = "Lò Văn An", "Nông Thị Bích", "Hoàng Văn Cường", "Vi Thị Dung"


@pytest.fixture
def village(journey_db: None) -> Any:
    """Commune A's village with three children in a household, and its people."""
    tree = make_tree()
    personas = make_personas(tree)
    household = make_household(commune=tree.commune_a, village=tree.village_a,
                               head_name="Hoàng Văn Bình")
    children = {name: make_child(
        commune=tree.commune_a, village=tree.village_a, full_name=name, household=household,
        sex=sex, birth_date=datetime.date(2015, 3, 2), school_level=choices.SchoolLevel.PRIMARY,
        school_status=choices.SchoolStatus.IN_SCHOOL, health_insurance=False)
        for name, sex in ((AN, "m"), (BICH, "f"), (CUONG, "m"))}
    return type("Village", (), {"tree": tree, "personas": personas, "children": children})


def _collaborator_opens_the_app(context: BrowserContext, base: str) -> Page:
    page = context.new_page()
    page.goto(f"{base}/offline/")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập").fill("ctv_a")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/offline/**")
    _unlock(page, first=True)
    expect(page.locator(".children li")).to_have_count(3)
    return page


def _officer(browser: Browser, base: str, personas: Any) -> Page:
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, base, "officer_a", confirmed_device(personas.officer))
    return page


def _set_status(page: Page, name: str, label: str, value: str) -> None:
    _open_child(page, name)
    page.get_by_label(label).select_option(label=value)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("link", name=re.compile(name))).to_contain_text("chờ gửi")


def _school_and_home(page: Page) -> None:
    """The first choice of each list the registration requires."""
    for label in ("Cấp học", "Tình trạng đi học", "Nơi ở, người chăm sóc"):
        page.get_by_label(label).select_option(index=1)


def _send(page: Page) -> None:
    page.get_by_role("button", name="Gửi ngay").click()
    expect(page.locator("#flash")).to_contain_text("Đã gửi và cập nhật dữ liệu.")


class OfflineJourneyTests:
    def test_a_village_worked_on_offline_reaches_the_commune_once_the_phone_is_back_online(
        self, village: Any, live_server: object, browser: Browser, context: BrowserContext
    ) -> None:
        base = str(live_server)
        phone = _collaborator_opens_the_app(context, base)
        context.set_offline(True)
        expect(phone.locator("#network")).to_contain_text("Không có mạng")

        phone.get_by_role("link", name="Thêm trẻ em").click()
        phone.get_by_label("Họ và tên").fill(DUNG)
        phone.get_by_label("Giới tính").select_option(label="Nữ")
        phone.get_by_label("Ngày sinh").fill("2019-06-01")
        phone.get_by_label("Dân tộc").select_option(index=1)
        phone.get_by_label("Hộ gia đình").select_option(label="Hoàng Văn Bình")
        _school_and_home(phone)
        phone.get_by_role("button", name="Lưu").click()
        _set_status(phone, AN, "Tình trạng đi học", "Bỏ học")
        _set_status(phone, BICH, "Có thẻ bảo hiểm y tế", "Có")
        phone.get_by_role("link", name="Báo tin về trẻ cần bảo vệ").click()
        expect(phone.get_by_role("note")).to_contain_text("gọi ngay 111")
        phone.get_by_label("Trẻ em (nếu có trong danh sách)").select_option(
            label=f"{CUONG} — 02/03/2015")
        phone.get_by_label("Chuyện gì đã xảy ra").fill("Em bị đánh, có vết bầm ở tay")
        phone.get_by_label("Ở đâu").select_option(label="Gia đình")
        phone.get_by_label("Bạo lực").check()
        phone.get_by_role("button", name="Ghi lại để gửi").click()
        expect(phone.get_by_role("link", name="Chờ gửi (4)")).to_be_visible()
        assert not Operation.objects.exists()

        time.sleep(2)  # the sync comes later than the concern was recorded
        context.set_offline(False)
        expect(phone.locator("#flash")).to_contain_text("Đã gửi và cập nhật dữ liệu.")
        expect(phone.get_by_role("link", name="Chờ gửi (0)")).to_be_visible()
        expect(phone.locator(".children li")).to_have_count(4)
        assert set(Operation.objects.values_list("status", flat=True)) == {"applied"}

        an, bich = (Child.objects.get(public_id=village.children[name].public_id)
                    for name in (AN, BICH))
        assert an.school_status == "dropped_out" and bich.health_insurance is True
        assert Child.objects.filter(full_name=DUNG).count() == 1
        concern = Operation.objects.get(kind="concern_record")
        notification = Notification.objects.get()
        # The concern's time is the phone's, not the sync's.
        assert notification.received_at == concern.recorded_at < concern.received_at

        officer = _officer(browser, base, village.personas)
        officer.goto(f"{base}/children/{an.public_id}/")
        expect(officer.locator("main")).to_contain_text("Bỏ học")
        officer.goto(f"{base}/children/?q=vi+thi+dung")
        expect(officer.locator("main")).to_contain_text(DUNG)
        officer.goto(f"{base}/cases/notifications/")
        received = timezone.localtime(notification.received_at)
        expect(officer.locator("main")).to_contain_text(f"{received:%d/%m/%Y %H:%M}")
        _no_horizontal_scroll(officer)
        officer.context.close()

    def test_a_field_changed_on_the_phone_and_by_the_officer_is_decided_at_review(
        self, village: Any, live_server: object, browser: Browser, context: BrowserContext
    ) -> None:
        base = str(live_server)
        phone = _collaborator_opens_the_app(context, base)
        context.set_offline(True)
        _set_status(phone, AN, "Tình trạng đi học", "Bỏ học")

        an = village.children[AN]
        officer = _officer(browser, base, village.personas)
        officer.goto(f"{base}/children/{an.public_id}/")
        officer.get_by_role("link", name="Sửa thông tin").click()
        officer.get_by_label("Tình trạng đi học").select_option(label="Chưa từng đi học")
        officer.get_by_role("button", name="Lưu").click()
        expect(officer.get_by_role("status")).to_contain_text("Đã lưu.")

        context.set_offline(False)
        expect(phone.locator("#flash")).to_contain_text("Đã gửi và cập nhật dữ liệu.")
        phone.get_by_role("link", name="Kết quả cần xem (1)").click()
        card = phone.locator(".result")
        expect(card).to_contain_text("Bỏ học")
        expect(card).to_contain_text("Chưa từng đi học")
        assert Child.objects.get(pk=an.pk).school_status == "never"

        # The officer decides it, on the review page: the phone's value is kept.
        officer.goto(f"{base}/offline/review/")
        expect(officer.locator("main tbody tr")).to_have_count(1)
        _no_horizontal_scroll(officer)
        officer.locator("main tbody a").first.click()
        expect(officer.locator("main")).to_contain_text("Thông tin đã được sửa ở hai nơi")
        officer.get_by_label("Giữ giá trị trên máy: «Bỏ học»").check()
        _no_horizontal_scroll(officer)
        screenshot(officer, "offline-review-phone")
        officer.get_by_role("button", name="Ghi quyết định").click()
        expect(officer.get_by_role("status")).to_be_visible()
        operation = Operation.objects.get()
        assert operation.status in ("resolved", "applied")
        assert Child.objects.get(pk=an.pk).school_status == "dropped_out"
        officer.context.close()

        # On the phone, the results bring back the officer's decision.
        _send(phone)
        expect(phone.get_by_text("Không có kết quả nào cần xem.")).to_be_visible()

    def test_the_collaborator_keeps_its_value_of_a_conflict_from_the_phone(
        self, village: Any, live_server: object, context: BrowserContext
    ) -> None:
        base = str(live_server)
        phone = _collaborator_opens_the_app(context, base)
        context.set_offline(True)
        _set_status(phone, AN, "Tình trạng đi học", "Bỏ học")
        an = village.children[AN]
        registry_services.child_update(actor=village.personas.officer,
                                       child=Child.objects.get(pk=an.pk), base_version=1,
                                       school_status=choices.SchoolStatus.NEVER)
        context.set_offline(False)
        expect(phone.locator("#flash")).to_contain_text("Đã gửi và cập nhật dữ liệu.")
        phone.get_by_role("link", name="Kết quả cần xem (1)").click()
        card = phone.locator(".result")
        expect(card).to_contain_text("officer_a")
        card.get_by_label(re.compile("Giữ giá trị của tôi")).check()
        _no_horizontal_scroll(phone)
        card.get_by_role("button", name="Gửi quyết định").click()
        expect(phone.get_by_text("Không có kết quả nào cần xem.")).to_be_visible()
        assert Child.objects.get(pk=an.pk).school_status == "dropped_out"
        assert Operation.objects.get().status in ("applied", "resolved")

    def test_a_child_already_on_the_register_is_confirmed_as_another_and_registered(
        self, village: Any, live_server: object, context: BrowserContext
    ) -> None:
        base = str(live_server)
        phone = _collaborator_opens_the_app(context, base)
        phone.get_by_role("link", name="Thêm trẻ em").click()
        phone.get_by_label("Họ và tên").fill(AN)
        phone.get_by_label("Giới tính").select_option(label="Nam")
        phone.get_by_label("Ngày sinh").fill("2015-03-02")
        phone.get_by_label("Dân tộc").select_option(index=1)
        _school_and_home(phone)
        phone.get_by_role("button", name="Lưu").click()
        _send(phone)
        phone.get_by_role("link", name="Kết quả cần xem (1)").click()
        expect(phone.locator(".result")).to_contain_text("Có thể trẻ đã có trong sổ")
        phone.get_by_role("link", name="Sửa và gửi lại").click()
        phone.get_by_label("Đây là trẻ khác").check()
        phone.get_by_role("button", name="Lưu").click()
        expect(phone.get_by_text("Không có kết quả nào cần xem.")).to_be_visible()
        assert Child.objects.filter(full_name=AN).count() == 2
        assert Operation.objects.get().status == "applied"

    def test_a_child_moved_out_of_the_commune_leaves_the_village(
        self, village: Any, live_server: object, context: BrowserContext
    ) -> None:
        base = str(live_server)
        phone = _collaborator_opens_the_app(context, base)
        context.set_offline(True)
        _open_child(phone, CUONG)
        phone.get_by_role("link", name="Chuyển đi").click()
        phone.get_by_role("radio", name="Xã khác trong tỉnh").check()
        phone.get_by_label("Xã, phường").select_option(label="Xã Hòa An")
        _no_horizontal_scroll(phone)
        phone.get_by_role("button", name="Lưu").click()
        expect(phone.locator(".children li")).to_have_count(2)
        context.set_offline(False)
        expect(phone.locator("#flash")).to_contain_text("Đã gửi và cập nhật dữ liệu.")
        expect(phone.locator(".children li")).to_have_count(2)
        moved = Child.objects.get(pk=village.children[CUONG].pk)
        assert moved.commune == village.tree.commune_b

    def test_an_edit_of_a_child_moved_away_meanwhile_is_held_and_set_aside_with_a_reason(
        self, village: Any, live_server: object, context: BrowserContext
    ) -> None:
        base = str(live_server)
        phone = _collaborator_opens_the_app(context, base)
        context.set_offline(True)
        _set_status(phone, BICH, "Tình trạng đi học", "Bỏ học")
        registry_services.child_move(actor=village.personas.officer,
                                     child=Child.objects.get(pk=village.children[BICH].pk),
                                     commune=village.tree.commune_b,
                                     moved_on=timezone.localdate())
        context.set_offline(False)
        expect(phone.locator("#flash")).to_contain_text("Đã gửi và cập nhật dữ liệu.")
        expect(phone.locator(".children li")).to_have_count(2)
        phone.get_by_role("link", name="Kết quả cần xem (1)").click()
        card = phone.locator(".result")
        expect(card).to_contain_text("Tạm giữ")
        expect(card).to_contain_text("không còn trong thôn, bản của bạn")
        card.get_by_label("Lý do bỏ").fill("Em đã chuyển đi trước khi tôi sửa")
        _no_horizontal_scroll(phone)
        card.get_by_role("button", name="Bỏ thay đổi này").click()
        expect(phone.get_by_text("Không có kết quả nào cần xem.")).to_be_visible()
        assert Operation.objects.get().status == "dismissed"

    def test_a_lost_answer_and_a_retry_register_the_child_once(
        self, village: Any, live_server: object, context: BrowserContext
    ) -> None:
        base = str(live_server)
        phone = _collaborator_opens_the_app(context, base)
        phone.get_by_role("link", name="Thêm trẻ em").click()
        phone.get_by_label("Họ và tên").fill(DUNG)
        phone.get_by_label("Giới tính").select_option(label="Nữ")
        phone.get_by_label("Ngày sinh").fill("2019-06-01")
        phone.get_by_label("Dân tộc").select_option(index=1)
        _school_and_home(phone)
        phone.get_by_role("button", name="Lưu").click()

        def applied_then_lost(route: Route) -> None:
            route.fetch()  # the server applies it...
            route.abort("connectionreset")  # ...and the answer never reaches the phone

        context.route("**/api/v1/offline/sync", applied_then_lost, times=1)
        phone.get_by_role("button", name="Gửi ngay").click()
        expect(phone.locator("#flash")).to_contain_text("Chưa gửi được")
        expect(phone.get_by_role("link", name="Chờ gửi (1)")).to_be_visible()
        assert Child.objects.filter(full_name=DUNG).count() == 1

        _send(phone)
        expect(phone.get_by_role("link", name="Chờ gửi (0)")).to_be_visible()
        assert Child.objects.filter(full_name=DUNG).count() == 1
        assert Operation.objects.count() == 1
        expect(phone.get_by_role("link", name=re.compile(DUNG))).not_to_contain_text("chờ gửi")

    def test_the_installed_app_opens_in_under_two_seconds_on_3g(
        self, village: Any, live_server: object, context: BrowserContext
    ) -> None:
        phone = _collaborator_opens_the_app(context, str(live_server))
        elapsed = _first_screen_on_3g(phone, context, children=3)
        assert elapsed < 2, f"first screen after {elapsed:.2f} s"

    def test_a_revoked_collaborators_phone_is_wiped_at_its_next_contact(
        self, village: Any, live_server: object, context: BrowserContext
    ) -> None:
        base = str(live_server)
        phone = _collaborator_opens_the_app(context, base)
        assert _stored(phone)["vault"]
        User.objects.filter(username="ctv_a").update(is_active=False)

        phone.reload()
        expect(phone.get_by_text("Dữ liệu trên điện thoại này đã bị xóa")).to_be_visible()
        stored = _stored(phone)
        assert stored.get("meta", {}) == {} and stored.get("vault", {}) == {}
        _no_horizontal_scroll(phone)
