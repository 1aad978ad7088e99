import datetime
import threading
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections, transaction
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_journeys import _no_horizontal_scroll
from treem.registry import choices
from treem.registry.importing import jobs, runner
from treem.registry.models import Child, Household, ImportJob
from treem.registry.tests.test_import import row, xlsx
from treem.testing import PASSWORD, confirmed_device, make_personas, make_tree, totp_now

pytestmark = pytest.mark.browser


# The imported list: enough rows for the progress to be reported several times, and two bad
# rows for the preview to show.
IMPORTED = 300
BAD_ROWS = {3: "31/02/2016", 7: "hôm qua"}


def _import_file(path: Path) -> Path:
    first = datetime.date(2016, 1, 1)
    rows = [row(full_name="Lục Thị Ánh" if index == 0 else "Lò Thị Hoa", sex="Nữ",
                birth_date=BAD_ROWS.get(index + 2, f"{first + datetime.timedelta(index):%d/%m/%Y}"),
                caregiver_name="Lò Thị Mai")
            for index in range(IMPORTED)]  # row 2 of the sheet is the first under the header
    path.write_bytes(xlsx(rows))
    return path


@pytest.fixture
def slow_import_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """The import's background work, a batch of 20 rows at a time, a moment between batches:
    a few hundred rows then take a few seconds, long enough for the page to poll the job more
    than once.

    The test database is SQLite in memory, whose connections share one cache: two of them
    writing at once fail at once ("table is locked") instead of waiting, as they do on a
    file. So the work and the live server's requests take turns, through one lock: a request
    holds it while it runs, the job holds it except in the pauses between its batches (never
    inside a transaction)."""
    turn = threading.Lock()
    handle = WSGIHandler.__call__

    def request_in_turn(self: WSGIHandler, *args: Any) -> Any:
        with turn:
            return handle(self, *args)

    def batches_with_pauses(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
        while batch := list(islice(items, 20)):
            turn.release()
            time.sleep(0.15)
            turn.acquire()
            yield batch

    def start(task: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        def run() -> None:
            with turn:
                try:
                    task(*args, **kwargs)
                finally:
                    connections.close_all()

        transaction.on_commit(lambda: threading.Thread(target=run, daemon=True).start())

    monkeypatch.setattr(WSGIHandler, "__call__", request_in_turn)
    monkeypatch.setattr(jobs, "_batched", batches_with_pauses)
    monkeypatch.setattr(jobs, "BATCH", 20)
    monkeypatch.setattr(runner, "start", start)


def _watch_progress(page: Page, state: str) -> list[int]:
    """The values the progress bar shows until the job reaches `state` (the bar stays, full)."""
    bar = page.locator("#import-progress")
    seen: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if bar.count():
            value = int(bar.get_attribute("value") or 0)
            if not seen or seen[-1] != value:
                seen.append(value)
            if bar.get_attribute("data-state") == state:
                break
        page.wait_for_timeout(100)
    expect(bar).to_have_attribute("data-state", state)
    expect(bar).to_have_attribute("value", "100")
    assert seen == sorted(seen), f"the progress went back: {seen}"
    return seen


def _sign_in(page: Page, base: str, username: str, device: object) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Mã xác thực (6 chữ số)").fill(totp_now(device))  # type: ignore[arg-type]
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {username}")).to_be_visible()


class RegisterJourneyTests:
    def test_officer_registers_a_child_imports_a_list_finds_them_and_prints_the_book(
        self, journey_db: None, live_server: object, phone: Page, tmp_path: Path,
        slow_import_steps: None
    ) -> None:
        tree = make_tree()
        personas = make_personas(tree)
        household = Household.objects.create(
            commune=tree.commune_a, village=tree.village_a, unit_path=tree.village_a.path,
            province_code="04", head_name="Hoàng Văn Bình", head_name_folded="hoang van binh",
            poverty_status=choices.PovertyStatus.POOR)
        base = str(live_server)
        _sign_in(phone, base, "officer_a", confirmed_device(personas.officer))

        phone.goto(f"{base}/children/")
        phone.get_by_role("link", name="Thêm trẻ").click()
        phone.get_by_label("Họ và tên").fill("Hoàng Thị Ánh")
        phone.get_by_label("Nữ").check()
        phone.locator("#id_birth_date").fill("2019-05-12")
        phone.get_by_label("Dân tộc").select_option(label="Tày")
        phone.get_by_label("Thôn, tổ dân phố").select_option(label="Thôn Nà Pồng")
        # The household is searched as one types (no list of every household of the commune).
        phone.get_by_label("Hộ gia đình").fill("hoang binh")
        expect(phone.locator(f"#id_household option[value='{household.public_id}']")
               ).to_have_count(1)
        phone.locator("#id_household").select_option(value=str(household.public_id))
        phone.get_by_label("Đã đăng ký khai sinh").check()
        phone.get_by_label("Cấp học").select_option(label="Mầm non")
        phone.get_by_label("Tình trạng đi học").select_option(label="Đang đi học")
        _no_horizontal_scroll(phone)
        phone.get_by_role("button", name="Lưu").click()
        expect(phone.get_by_role("heading", name="Hoàng Thị Ánh")).to_be_visible()
        expect(phone.get_by_role("status")).to_contain_text("Đã ghi Hoàng Thị Ánh vào sổ")
        screenshot(phone, "child-detail-phone")

        # An Excel list uploaded through the page: the progress bar follows the check, the
        # preview lists the bad rows by row and column, the valid rows are imported.
        phone.goto(f"{base}/children/")
        phone.get_by_role("link", name="Nhập từ Excel").click()
        phone.get_by_label("Tệp Excel (.xlsx)").set_input_files(_import_file(tmp_path / "ds.xlsx"))
        phone.get_by_role("button", name="Tải lên và kiểm tra").click()
        expect(phone.get_by_role("heading", name="Nhập danh sách trẻ em · Phường Thục Phán")
               ).to_be_visible()
        checked = _watch_progress(phone, "validated")
        assert len(checked) > 1, f"the progress bar did not move on its own: {checked}"
        expect(phone.locator("#import-status")).to_contain_text(f"{IMPORTED - 2} dòng hợp lệ")
        errors = phone.locator("#import-status table")
        expect(errors).to_contain_text("C · Ngày sinh")
        expect(errors).to_contain_text("31/02/2016")
        expect(errors.locator("tbody tr")).to_have_count(len(BAD_ROWS))
        expect(phone.get_by_role("button", name="Nhập tất cả (chỉ khi không có lỗi)")
               ).to_be_disabled()
        _no_horizontal_scroll(phone)
        screenshot(phone, "import-preview-phone")
        phone.get_by_role("button", name="Chỉ nhập các dòng hợp lệ").click()
        # The commit is one transaction (all or nothing, docs/import.md): nothing of it can
        # be seen before it ends, so the bar goes from the check's end to done at once; the
        # page still follows it on its own, to the end.
        _watch_progress(phone, "done")
        expect(phone.get_by_role("status")).to_contain_text(
            f"Đã ghi vào sổ: {IMPORTED - 2} trẻ mới")
        assert ImportJob.objects.get().created_count == IMPORTED - 2

        phone.goto(f"{base}/children/")
        phone.get_by_placeholder("Tên, có dấu hoặc không dấu").fill("luc thi anh")
        expect(phone.locator("#child-results").get_by_role("link", name="Lục Thị Ánh")
               ).to_be_visible()

        # Found by an unaccented name typed on a phone, through the posted search.
        phone.goto(f"{base}/children/")
        phone.get_by_placeholder("Tên, có dấu hoặc không dấu").fill("hoang thi anh")
        result = phone.locator("#child-results").get_by_role("link", name="Hoàng Thị Ánh")
        expect(result).to_be_visible()
        assert "anh" not in phone.url  # the name never travels in the address
        result.click()
        expect(phone.get_by_role("heading", name="Hoàng Thị Ánh")).to_be_visible()

        phone.get_by_role("link", name="Hoàng Văn Bình").click()
        expect(phone.get_by_role("heading", name="Sổ theo dõi trẻ em trong gia đình")).to_be_visible()
        expect(phone.locator("table")).to_contain_text("Hoàng Thị Ánh")
        phone.emulate_media(media="print")
        pdf_page = phone.context.new_page()
        pdf_page.goto(f"{base}/children/households/{household.public_id}/")
        pdf = pdf_page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        screenshot(phone, "household-book-print")
        assert Child.objects.get(full_name="Hoàng Thị Ánh").household == household
