"""The parts of `make audit` that decide and report, without a browser or Lighthouse."""

from collections.abc import Mapping, Sequence

from audit import totp
from audit.__main__ import Row, render
from audit.axe import AxeResult, Violation
from audit.lighthouse import LighthouseResult, parse
from audit.pages import Target

# RFC 6238, appendix B: the SHA-1 key "12345678901234567890", six low digits of each code.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def _row(*, phone: Sequence[Violation] = (), desktop: Sequence[Violation] = (),
         scores: Mapping[str, int | None] | None = None, status: int = 200) -> Row:
    lighthouse = None if scores is None else LighthouseResult("12.8.2", dict(scores), 1.2)
    return Row(Target("demo.xa", "home", path="/"), "/", status, AxeResult("4.14.1", list(phone)),
               AxeResult("4.14.1", list(desktop)), [], lighthouse)


GOOD = {"accessibility": 100, "best-practices": 100, "performance": 80}


class TotpTests:
    def test_it_computes_the_codes_of_the_rfc(self) -> None:
        assert totp.code(RFC_SECRET, now=59) == "287082"
        assert totp.code(RFC_SECRET, now=1111111109) == "081804"
        assert totp.code(RFC_SECRET.lower(), now=20000000000) == "353130"


class JudgeTests:
    def test_a_page_meeting_every_bar_passes_whatever_its_speed(self) -> None:
        row = _row(scores=GOOD, phone=[Violation("region", "moderate", "…", 1)])
        row.judge()
        assert row.failures == []

    def test_a_serious_axe_violation_at_either_width_fails(self) -> None:
        row = _row(scores=GOOD, desktop=[Violation("color-contrast", "serious", "…", 1)])
        row.judge()
        assert row.failures == ["axe color-contrast (serious, 1366 px)"]

    def test_a_score_below_95_fails(self) -> None:
        row = _row(scores={**GOOD, "best-practices": 94})
        row.judge()
        assert row.failures == ["Lighthouse best-practices 94 < 95"]

    def test_a_missing_score_or_a_page_not_found_fails(self) -> None:
        row = _row(scores={"accessibility": None, "best-practices": 100}, status=404)
        row.judge()
        assert row.failures == ["HTTP 404", "Lighthouse accessibility None < 95"]


class ReportTests:
    def test_it_reads_scores_lcp_and_the_failed_audits(self) -> None:
        report = {
            "lighthouseVersion": "12.8.2",
            "categories": {
                "performance": {"score": 0.874, "auditRefs": []},
                "accessibility": {"score": 0.96, "auditRefs": [
                    {"id": "color-contrast", "weight": 7}, {"id": "bypass", "weight": 7},
                    {"id": "manual-check", "weight": 0}]},
                "best-practices": {"score": 1, "auditRefs": []},
            },
            "audits": {"largest-contentful-paint": {"numericValue": 2345.6},
                       "color-contrast": {"score": 0}, "bypass": {"score": 1},
                       "manual-check": {"score": 0}},
        }
        result = parse(report)
        assert result.scores == {"performance": 87, "accessibility": 96, "best-practices": 100}
        assert result.lcp_seconds == 2.35
        assert result.failed_audits == {"accessibility": ["color-contrast"]}

    def test_the_table_marks_missed_targets_and_failures(self) -> None:
        failing = _row(scores=GOOD, phone=[Violation("label", "critical", "Form elements must have "
                                                     "labels", 2, ["#id_name"])])
        failing.judge()
        text = render([failing], {"lighthouse": "12.8.2"})
        assert ("| Người làm công tác bảo vệ trẻ em cấp xã (demo.xa) | home | `/` | 1 | 0 | 0 "
                "| 100 | 100 | 80 ⚠ | 1.2 | FAIL |") in text
        assert ("- axe `label` (critical, 360 px, 2 nodes): Form elements must have labels — "
                "`#id_name`") in text
