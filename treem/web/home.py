"""What each role's home page lists: the work waiting for the user, most urgent first.

Each part is read through the selectors of the app that owns its data (scope applied there)
and shown only to the users whose capabilities make it theirs; every list is bounded and
counted in one aggregate, so a commune with a thousand cases opens its home as fast as an
empty one."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from treem.accounts.models import User
from treem.accounts.permissions import Capability, has_capability
from treem.audit.models import Action
from treem.auditlog.selectors import event_list
from treem.cases import selectors as case_selectors
from treem.indicators import selectors as indicator_selectors
from treem.plans import selectors as plan_selectors
from treem.plans.activities import selectors as activity_selectors
from treem.privacy.alerts import selectors as alert_selectors
from treem.privacy.models import AlertStatus
from treem.privacy.requests import selectors as request_selectors
from treem.registry.dedup.selectors import pair_list
from treem.registry.importing.selectors import imports_waiting
from treem.reports import selectors as report_selectors

LIMIT = 8  # rows of a list on the home page; its link leads to the whole list
COMMUNES_SHOWN = 50  # overdue counts by commune (a province has about a hundred communes)


@dataclass(frozen=True)
class Part:
    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def part(rows: QuerySet[Any] | list[Any], limit: int = LIMIT) -> Part:
    """The first `limit` rows and how many there are (a COUNT only when the page is full)."""
    shown = list(rows[:limit])
    if len(shown) < limit:
        return Part(shown, len(shown))
    return Part(shown, rows.count() if isinstance(rows, QuerySet) else len(rows))


@dataclass
class Home:
    now: datetime.datetime
    parts: dict[str, Any] = field(default_factory=dict)
    # The templates of web/home/ shown, in order: a role's own work, then what roles share.
    sections: list[str] = field(default_factory=list)


def home_for(user: User, now: datetime.datetime) -> Home:
    """The parts of the user's home, in the order of urgency: a role's own waiting work first
    (the officer's notifications and overdue steps, the chairman's decisions, the province's
    reports to approve…), then the cases and reports the roles share, then the queues that
    can wait a day (duplicates, imports, sector figures)."""
    home = Home(now)
    may = {capability: has_capability(user, capability) for capability in Capability}
    p = home.parts
    first: list[str] = []
    later: list[str] = []
    if may[Capability.MANAGE_CASES]:
        first.append("commune_officer")
        p["notifications"] = part(case_selectors.with_emergency_clock(
            case_selectors.notifications_waiting(user=user)))
        p["overdue_steps"] = part(case_selectors.overdue_steps(user=user, now=now))
        later.append("_registry")
        p["duplicates"] = (part(pair_list(user=user)) if may[Capability.MERGE_CHILDREN]
                           else None)
        p["imports"] = part(imports_waiting(user=user))
    if may[Capability.APPROVE_CASE_PLANS]:
        first.append("chairman")
        p["approvals"] = part(case_selectors.plans_awaiting_approval(user=user))
        p["emergencies"] = part(case_selectors.emergencies_for_decision(user=user))
    if may[Capability.RECEIVE_NOTIFICATIONS] and not may[Capability.VIEW_CASES]:
        # The hotline sees no case: what it recorded, and whether the commune took it up.
        first.append("intake")
        p["recorded"] = case_selectors.notifications_recorded(user=user, limit=LIMIT * 2)
    if may[Capability.ENTER_SECTOR_FIGURES]:
        # A sector's focal point, and the commune officer who collects every sector's figures
        # (for whom they come after the cases).
        (later if may[Capability.MANAGE_CASES] else first).append("sector")
        p["figures_due"] = indicator_selectors.figures_due(user=user, limit=LIMIT * 2)
    if may[Capability.REPORT_TASK_PROGRESS]:
        # The tasks of the agencies the focal point reports for: overdue, or due within a
        # month (the reminder in the application; `send_task_reminders` e-mails it).
        first.append("_tasks_due")
        p["tasks_due"] = part(plan_selectors.tasks_waiting(user=user, today=now.date()))
    if may[Capability.VIEW_PLANS]:
        # What the children asked for and nobody answered; the forums whose report to the
        # province is due. Shown only when there is something.
        answers = part(activity_selectors.recommendations_waiting(user=user))
        # The forums' reports are the commune's to send and the plan office's to chase.
        forums = (part(activity_selectors.forums_to_report(user=user, today=now.date()))
                  if may[Capability.MANAGE_PLANS] else Part([], 0))
        if answers.total or forums.total:
            later.append("_plan_followups")
            p["answers"], p["forums"] = answers, forums
    if may[Capability.REVIEW_REPORTS]:
        first.append("province")
        p["reviews"] = part(report_selectors.reports_awaiting_review(user=user))
        p["boards"] = report_selectors.completeness_boards(user=user)
        p["overdue_by_commune"] = part(case_selectors.overdue_counts(user=user, now=now),
                                       COMMUNES_SHOWN)
        p["key_indicators"] = indicator_selectors.key_indicators(user=user)
    if may[Capability.VIEW_AUDIT]:
        first.append("auditor")
        p["exports"] = part(event_list(user=user, action=Action.EXPORT))
        p["reads"] = part(event_list(user=user, action=Action.VIEW))
    privacy = _privacy_work(user, may)
    if privacy:
        # Shown only when something waits: an unusual access to look at, a parent's request
        # past its legal deadline.
        later.append("_privacy")
        p.update(privacy)
    shared: list[str] = []
    if may[Capability.VIEW_CASES] and not may[Capability.SEE_SHARED_CASES]:
        # The levels above count cases by commune instead (no names).
        shared.append("_cases")
        p["cases"] = part(case_selectors.cases_by_next_deadline(user=user))
    if may[Capability.WRITE_REPORTS]:
        shared.append("_reports_due")
        p["reports_due"] = part(report_selectors.reports_due(user=user))
    home.sections = first + shared + later
    return home


def _privacy_work(user: User, may: dict[Capability, bool]) -> dict[str, Part]:
    """Open access alerts (for the province's auditors) and overdue requests about a child's
    data (for whoever answers them), when there are any."""
    found: dict[str, Part] = {}
    if may[Capability.VIEW_ACCESS_ALERTS]:
        alerts = part(alert_selectors.alert_list(user=user, status=AlertStatus.OPEN))
        if alerts.total:
            found["alerts"] = alerts
    if may[Capability.HANDLE_DATA_REQUESTS]:
        overdue = part(request_selectors.overdue_for(user=user))
        if overdue.total:
            found["overdue_requests"] = overdue
    return found
