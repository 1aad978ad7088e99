"""Lighthouse (npm, pinned in package-lock.json) on Debian's Chromium, with a signed-in session."""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from audit.demo import ROOT

CLI = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("TREEM_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices")


@dataclass
class LighthouseResult:
    version: str
    scores: dict[str, int | None]          # category id -> 0..100 (None: not measured)
    lcp_seconds: float | None
    failed_audits: dict[str, list[str]] = field(default_factory=dict)  # category -> audit titles
    error: str = ""


# Lighthouse sometimes fails to record its trace on a busy machine ("Something went wrong with
# recording the trace over your page load… (NO_NAVSTART)"): the tool's failure, not a measure
# of the page. Such a run is made again, up to this many times; a page's scores never are.
ATTEMPTS = 3


def run(url: str, *, cookie: str, report_path: Path, timeout: float = 300) -> LighthouseResult:
    """Lighthouse on `url`, run again when Lighthouse itself failed (not the page)."""
    result = _run_once(url, cookie=cookie, report_path=report_path, timeout=timeout)
    for _attempt in range(ATTEMPTS - 1):
        if not _tool_failed(result):
            break
        result = _run_once(url, cookie=cookie, report_path=report_path, timeout=timeout)
    return result


def _tool_failed(result: LighthouseResult) -> bool:
    return bool(result.error) and ("Runtime error encountered" in result.error
                                   or "NO_NAVSTART" in result.error
                                   or "trace" in result.error.lower())


def _run_once(url: str, *, cookie: str, report_path: Path,
              timeout: float = 300) -> LighthouseResult:
    """One Lighthouse run at its default mobile profile (Moto G Power, simulated slow 4G, 4x CPU).

    The session reaches the page as a Cookie header (--extra-headers, read from a file so the
    session key is not on any command line).
    """
    report_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as headers:
        json.dump({"Cookie": cookie} if cookie else {}, headers)
    try:
        completed = subprocess.run(  # noqa: S603 (our arguments, no shell)
            [node(), str(CLI), url, "--quiet", "--output=json", "--output=html",
             f"--output-path={report_path}", f"--only-categories={','.join(CATEGORIES)}",
             f"--chrome-flags={CHROME_FLAGS}", f"--extra-headers={headers.name}"],
            cwd=ROOT, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True,
            text=True, timeout=timeout, check=False)
    finally:
        os.unlink(headers.name)
    json_path = report_path.with_name(report_path.name + ".report.json")
    if completed.returncode != 0 or not json_path.exists():
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
        return LighthouseResult(version="?", scores={}, lcp_seconds=None,
                                error=f"lighthouse exit {completed.returncode}: {' '.join(tail)}")
    return parse(json.loads(json_path.read_text(encoding="utf-8")))


def node() -> str:
    found = shutil.which("node")
    if found is None:
        raise SystemExit("node is not installed: apt-get install nodejs npm (see docs/audit.md).")
    return found


def parse(report: dict) -> LighthouseResult:
    categories = report.get("categories", {})
    scores = {key: _percent(categories.get(key, {}).get("score")) for key in CATEGORIES}
    audits = report.get("audits", {})
    lcp = audits.get("largest-contentful-paint", {}).get("numericValue")
    failed: dict[str, list[str]] = {}
    for key in ("accessibility", "best-practices"):
        for ref in categories.get(key, {}).get("auditRefs", []):
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failed.setdefault(key, []).append(ref["id"])
    error = report.get("runtimeError", {}).get("message", "")
    return LighthouseResult(version=report.get("lighthouseVersion", "?"), scores=scores,
                            lcp_seconds=None if lcp is None else round(lcp / 1000, 2),
                            failed_audits=failed, error=error)


def _percent(score: float | None) -> int | None:
    return None if score is None else round(score * 100)
