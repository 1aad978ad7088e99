"""axe-core, from node_modules (npm, pinned in package-lock.json), run inside a Playwright page."""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from playwright.sync_api import Page

from audit.demo import ROOT

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

# Evaluated through the DevTools protocol, the library is not an inline <script>: the page's
# strict CSP stays on while it is measured.
_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return {version: axe.version, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5), count: v.nodes.length}))};
}"""


@dataclass
class Violation:
    id: str
    impact: str
    help: str
    count: int
    targets: list[str] = field(default_factory=list)


@dataclass
class AxeResult:
    version: str
    violations: list[Violation]

    @property
    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if v.impact in BLOCKING]

    @property
    def other(self) -> list[Violation]:
        return [v for v in self.violations if v.impact not in BLOCKING]


@cache
def _source(path: Path = AXE_JS) -> str:
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `npm ci` (make audit does).")
    return path.read_text(encoding="utf-8") + "\n;0"


def run(page: Page) -> AxeResult:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    raw = page.evaluate(_RUN)
    return AxeResult(version=raw["version"], violations=[Violation(**v) for v in raw["violations"]])
