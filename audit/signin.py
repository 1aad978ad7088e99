"""Sign a demo account in through the login page, and through two-factor when its role has it."""

import base64
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from audit import totp

PASSWORD = "Treem-demo-2026"  # treem.web.demo.DEMO_PASSWORD (not imported: no Django here)
SUBMIT = "main button[type=submit].primary"


class SignInFailed(RuntimeError):
    pass


def sign_in(page: Page, base: str, username: str, *, database: Path,
            at_code_page: Callable[[Page], object] | None = None) -> None:
    """Password, then the code when the role has two-factor; `at_code_page` sees that page."""
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click(SUBMIT)
    page.wait_for_load_state()
    if "/accounts/2fa/" in page.url:
        if at_code_page is not None:
            at_code_page(page)
        _second_factor(page, username, database=database)
    if "/accounts/" in page.url:
        raise SignInFailed(f"{username}: still on {page.url} after signing in")


def _second_factor(page: Page, username: str, *, database: Path) -> None:
    shown = page.query_selector("#otp-secret")  # first sign-in: the enrolment page shows the key
    secret = shown.inner_text().strip() if shown else _enrolled_secret(database, username)
    for _attempt in range(2):
        page.fill("input[name=token]", totp.code(secret))
        page.click(SUBMIT)
        page.wait_for_load_state()
        if "/accounts/2fa/" not in page.url:
            return
        # A code is accepted once: a run on a reused database within the same 30 s as the last
        # sign-in of this account waits for the next code, as a person would.
        time.sleep(totp.STEP_SECONDS - time.time() % totp.STEP_SECONDS + 1)


def _enrolled_secret(database: Path, username: str) -> str:
    """The TOTP key of an account enrolled by an earlier run on a reused demo database."""
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT d.key FROM otp_totp_totpdevice d JOIN accounts_user u ON u.id = d.user_id "
            "WHERE u.username = ? AND d.confirmed ORDER BY d.id DESC LIMIT 1", (username,)).fetchone()
    if row is None:
        raise SignInFailed(f"{username}: no confirmed authenticator in {database}")
    return base64.b32encode(bytes.fromhex(row[0])).decode()
