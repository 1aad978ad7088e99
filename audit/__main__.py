"""`make audit` / `python -m audit [--data-dir DIR] [--only USERNAME ...] [--no-lighthouse]`.

Exit status 1 when a page fails a bar: an axe violation of serious or critical impact (at 360 px
or 1366 px), a Lighthouse accessibility or best-practices score below 95, or a page that does not
answer 200. Performance and largest contentful paint are reported against their targets only.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from audit import axe, demo, lighthouse
from audit.pages import PAGES, ROLES, TWO_FACTOR, UUID, Target, resolve
from audit.signin import sign_in

RESULTS = demo.ROOT / "test-results"
PHONE = ViewportSize(width=360, height=740)
DESKTOP = ViewportSize(width=1366, height=768)
MIN_ACCESSIBILITY = 95
MIN_BEST_PRACTICES = 95
TARGET_PERFORMANCE = 90
TARGET_LCP_SECONDS = 2.5


@dataclass
class Row:
    target: Target
    path: str
    status: int | None
    phone: axe.AxeResult
    desktop: axe.AxeResult
    console_errors: list[str]
    lighthouse: lighthouse.LighthouseResult | None
    report: str = ""
    failures: list[str] = field(default_factory=list)

    def judge(self) -> None:
        if self.status != 200:
            self.failures.append(f"HTTP {self.status}")
        for width, result in (("360 px", self.phone), ("1366 px", self.desktop)):
            for violation in result.blocking:
                self.failures.append(f"axe {violation.id} ({violation.impact}, {width})")
        if self.lighthouse is None:
            return
        if self.lighthouse.error:
            self.failures.append(self.lighthouse.error)
        for key, floor in (("accessibility", MIN_ACCESSIBILITY), ("best-practices", MIN_BEST_PRACTICES)):
            score = self.lighthouse.scores.get(key)
            if score is None or score < floor:
                self.failures.append(f"Lighthouse {key} {score} < {floor}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m audit")
    parser.add_argument("--data-dir", type=Path,
                        help="demo database directory to reuse (default: a new one, deleted after)")
    parser.add_argument("--only", nargs="*", default=[], metavar="USERNAME",
                        help="audit the pages of these demo accounts only")
    parser.add_argument("--no-lighthouse", action="store_true", help="axe only (quick)")
    parser.add_argument("--out", type=Path, default=RESULTS / "audit.md")
    args = parser.parse_args()
    if not args.no_lighthouse and not lighthouse.CLI.exists():
        raise SystemExit(f"{lighthouse.CLI} is missing: run `npm ci` (make audit does).")
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="treem-audit-"))
    try:
        demo.setup(data_dir)
        with demo.served(data_dir, log=RESULTS / "audit" / "server.log") as base:
            rows, versions = _measure(base, data_dir, only=args.only, with_lighthouse=not args.no_lighthouse)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    table = render(rows, versions)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")
    print(table)
    print(f"Written to {args.out}; Lighthouse reports under {RESULTS / 'audit'}/")
    return 1 if any(row.failures for row in rows) else 0


def _measure(base: str, data_dir: Path, *, only: list[str],
             with_lighthouse: bool) -> tuple[list[Row], dict[str, str]]:
    rows: list[Row] = []
    versions = {"node": _node_version()}
    database = data_dir / "treem.sqlite3"
    errors: list[str] = []  # the console errors of the page being measured
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=lighthouse.CHROMIUM, headless=True,
            args=lighthouse.CHROME_FLAGS.replace("--headless ", "").split())
        versions["chromium"] = browser.version
        for username in ROLES:
            if only and username not in only:
                continue
            phone = _context(browser, viewport=PHONE, mobile=True)
            page = phone.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            if username:
                # The page of the second factor is measured once, by axe only: a code is
                # accepted once, so Lighthouse cannot load it again.
                code_page = None if any(r.target.label == TWO_FACTOR for r in rows) else (
                    lambda p, u=username: rows.append(_axe_only(p, Target(u, TWO_FACTOR), errors)))
                sign_in(page, base, username, database=database, at_code_page=code_page)
            desktop = _context(browser, viewport=DESKTOP, mobile=False, state=phone)
            wide = desktop.new_page()
            for target in (t for t in PAGES if t.username == username):
                path = resolve(page, base, target)
                errors.clear()
                response = page.goto(base + path)
                page.wait_for_load_state("load")
                phone_axe = axe.run(page)
                wide.goto(base + path)
                desktop_axe = axe.run(wide)
                versions["axe-core"] = phone_axe.version
                row = Row(target, path, response.status if response else None, phone_axe, desktop_axe,
                          list(errors), None)
                if with_lighthouse:
                    name = _slug(f"{username or 'anonymous'}-{target.label}")
                    cookie = "; ".join(f"{c['name']}={c['value']}" for c in phone.cookies(base))
                    print(f"== lighthouse {username} {target.label} {path}", flush=True)
                    row.lighthouse = lighthouse.run(base + path, cookie=cookie,
                                                    report_path=RESULTS / "audit" / name)
                    row.report = f"audit/{name}.report.html"
                    versions["lighthouse"] = row.lighthouse.version
                row.judge()
                print(f"   {_summary(row)}", flush=True)
                rows.append(row)
            desktop.close()
            phone.close()
        browser.close()
    return rows, versions


def _axe_only(page: Page, target: Target, errors: list[str]) -> Row:
    phone_axe = axe.run(page)
    page.set_viewport_size(DESKTOP)
    desktop_axe = axe.run(page)
    page.set_viewport_size(PHONE)
    row = Row(target, urlsplit(page.url).path, 200, phone_axe, desktop_axe, list(errors), None)
    row.judge()
    print(f"   {_summary(row)}", flush=True)
    return row


def _context(browser: Browser, *, viewport: ViewportSize, mobile: bool,
             state: BrowserContext | None = None) -> BrowserContext:
    # The desktop context reuses the phone's session: a TOTP code is accepted only once.
    return browser.new_context(viewport=viewport, locale="vi-VN", is_mobile=mobile, has_touch=mobile,
                               storage_state=state.storage_state() if state else None)


def _node_version() -> str:
    try:
        return subprocess.run([lighthouse.node(), "--version"], capture_output=True,  # noqa: S603
                              text=True, check=True).stdout.strip()
    except (OSError, SystemExit, subprocess.CalledProcessError):
        return "?"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _shown_path(path: str) -> str:
    return re.sub(UUID, "<id>", path)


def _summary(row: Row) -> str:
    lh = row.lighthouse
    figures = "" if lh is None else (
        f" a11y {lh.scores.get('accessibility')} bp {lh.scores.get('best-practices')}"
        f" perf {lh.scores.get('performance')} LCP {lh.lcp_seconds} s")
    verdict = "FAIL: " + "; ".join(row.failures) if row.failures else "ok"
    return (f"{row.target.username or '-'} {row.target.label}: HTTP {row.status}, axe serious/critical "
            f"{len(row.phone.blocking)}/{len(row.desktop.blocking)}{figures} — {verdict}")


def _who(username: str) -> str:
    return f"{ROLES[username]} ({username})" if username else ROLES[username]


def _cell(value: object) -> str:
    return "—" if value is None else str(value)


def render(rows: list[Row], versions: dict[str, str]) -> str:
    lines = [
        "# treem audit: axe-core and Lighthouse on each role's main pages",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) + ".",
        f"Bars (the run fails below them): no serious or critical axe violation at 360 px and "
        f"1366 px, Lighthouse accessibility ≥ {MIN_ACCESSIBILITY}, best practices ≥ "
        f"{MIN_BEST_PRACTICES}. Targets (reported): performance ≥ {TARGET_PERFORMANCE}, "
        f"LCP ≤ {TARGET_LCP_SECONDS} s (Lighthouse mobile profile, simulated throttling).",
        "",
        "| role | page | path | axe s/c 360 | axe s/c 1366 | axe other | a11y | best pr. | perf | LCP s "
        "| result |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lh = row.lighthouse
        scores = lh.scores if lh else {}
        other = len({v.id for v in row.phone.other} | {v.id for v in row.desktop.other})
        perf = scores.get("performance")
        lcp = lh.lcp_seconds if lh else None
        lines.append(
            f"| {_who(row.target.username)} | {row.target.label} "
            f"| `{_shown_path(row.path)}` | {len(row.phone.blocking)} | {len(row.desktop.blocking)} "
            f"| {other} | {_cell(scores.get('accessibility'))} | {_cell(scores.get('best-practices'))} "
            f"| {_cell(perf)}{'' if perf is None or perf >= TARGET_PERFORMANCE else ' ⚠'} "
            f"| {_cell(lcp)}{'' if lcp is None or lcp <= TARGET_LCP_SECONDS else ' ⚠'} "
            f"| {'FAIL' if row.failures else 'ok'} |")
    lines += ["", "⚠: below the performance target or above the LCP target (reported, not enforced).",
              "", "## Findings", ""]
    for row in rows:
        notes = _findings(row)
        if notes:
            lines.append(f"### {_who(row.target.username)} — {row.target.label} "
                         f"(`{_shown_path(row.path)}`)")
            lines += notes + [""]
    if lines[-1] == "":
        lines.pop()
    if lines[-1] == "## Findings":
        lines += ["", "None."]
    return "\n".join(lines) + "\n"


def _findings(row: Row) -> list[str]:
    notes = [f"- FAIL: {failure}" for failure in row.failures]
    seen: set[str] = set()
    for width, result in (("360 px", row.phone), ("1366 px", row.desktop)):
        for v in result.violations:
            key = f"{v.id}/{v.impact}"
            if key in seen:
                continue
            seen.add(key)
            notes.append(f"- axe `{v.id}` ({v.impact}, {width}, {v.count} nodes): {v.help} — "
                         + ", ".join(f"`{t}`" for t in v.targets))
    if row.lighthouse:
        for category, audits in row.lighthouse.failed_audits.items():
            notes.append(f"- Lighthouse {category}: " + ", ".join(f"`{a}`" for a in audits))
    for error in row.console_errors:
        notes.append(f"- console: {error}")
    return notes


if __name__ == "__main__":
    sys.exit(main())
