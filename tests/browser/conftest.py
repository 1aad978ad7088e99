"""Browser journeys: Python Playwright driving Debian's Chromium (no browser download)."""

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from playwright.sync_api import Browser, Page, sync_playwright

from treem.audit import triggers
from treem.testing import load_migration_data

CHROMIUM = os.environ.get("TREEM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium "
                    "(or set TREEM_CHROMIUM).")
    # Playwright's sync API keeps an event loop in this thread for the whole session; the ORM
    # calls made around it (fixtures, flushes) are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def journey_db(transactional_db: None) -> Iterator[None]:
    """A committed database the live server can read; emptied after the test.

    Emptying deletes audit events, which the append-only triggers refuse, so they are removed
    just before pytest-django's flush. A journey runs with them (installed first), and so do
    the tests of the triggers themselves, whatever ran before them in this worker.
    """
    triggers.install(connection)
    # The flush after an earlier journey emptied the catalogues that migrations load.
    load_migration_data()
    yield
    _once_unlocked(lambda: triggers.remove(connection))


def _once_unlocked(action: Callable[[], None], *, seconds: float = 10.0) -> None:
    """`action`, tried again while SQLite says a table is locked: a request the live server
    was still answering when the page closed holds the shared in-memory database a moment
    (then pytest-django's flush would fail too, and leave the test's rows to the next)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            action()
            return
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
