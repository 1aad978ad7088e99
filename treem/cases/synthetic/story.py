"""What a synthetic report and case leave on file, before they become rows: the notification,
the case's events, documents, measures, referrals and time limits, with the moments they
happened and who acted ("officer", "chairman" or "intake", resolved to accounts by `staff`)."""

import datetime
from dataclasses import dataclass, field

from treem.cases.choices import ReferralStatus
from treem.cases.choices import Status as S
from treem.cases.services import SECTOR_OF_SERVICE
from treem.cases.workdays import local_day

OFFICER, CHAIRMAN, INTAKE = "officer", "chairman", "intake"


@dataclass
class Report:
    """A notification as the receipt form records it."""

    channel: str
    received_at: datetime.datetime
    received_by: str
    forms: list[str]
    place: str
    happened_on: datetime.date | None
    urgent: bool
    crime_suspected: bool
    anonymous: bool
    reporter_name: str
    reporter_phone: str
    reporter_relation: str
    child_description: str
    child_condition: str
    likely_consequences: str
    family_situation: str
    actions_before: str
    description: str


@dataclass
class Event:
    source: str
    target: str
    at: datetime.datetime
    by: str
    note: str = ""


@dataclass
class AssessmentDraft:
    kind: str
    at: datetime.datetime
    answers: dict[str, str]
    ratings: dict[str, str]
    conclusion: str

    @property
    def done_on(self) -> datetime.date:
        return local_day(self.at)


@dataclass
class ItemDraft:
    task: str
    starts_on: datetime.date
    ends_on: datetime.date
    responsible: str
    cost: int


@dataclass
class PlanDraft:
    goal: str
    created_at: datetime.datetime
    by: str
    items: list[ItemDraft]
    submitted_at: datetime.datetime | None = None
    approved_at: datetime.datetime | None = None
    returned_at: datetime.datetime | None = None


@dataclass
class ProtectionDraft:
    kind: str
    taken_at: datetime.datetime
    description: str
    by: str
    care_place: str = ""
    separated_from: str = ""
    alternative_carer: str = ""
    until: datetime.datetime | None = None
    authority_request: str = ""
    ended_at: datetime.datetime | None = None
    end_reason: str = ""


@dataclass
class ReferralDraft:
    service: str
    created_at: datetime.datetime
    due_on: datetime.date
    status: str = ReferralStatus.SENT.value
    answered_at: datetime.datetime | None = None
    result: str = ""
    done_at: datetime.datetime | None = None

    @property
    def sector(self) -> str:
        return str(SECTOR_OF_SERVICE.get(self.service, ""))


@dataclass
class DeadlineDraft:
    step: str
    due_at: datetime.datetime
    started_at: datetime.datetime
    met_at: datetime.datetime | None = None
    cancelled_at: datetime.datetime | None = None
    of_report: bool = False  # the 12 hours of an urgent report, from its receipt

    @property
    def running(self) -> bool:
        return self.met_at is None and self.cancelled_at is None


@dataclass
class Story:
    """A report and, once a case was opened for it, the case and everything on its file."""

    row: int                      # the child's residence in `Population`
    age: int                      # the child's age at receipt
    report: Report
    perpetrator: str              # who harmed the child, known once verified
    opened_at: datetime.datetime | None = None
    status: str = S.RECEIVED.value
    urgent: bool = False
    confirmed_at: datetime.datetime | None = None
    close_reason: str = ""
    closed_at: datetime.datetime | None = None
    events: list[Event] = field(default_factory=list)
    assessments: list[AssessmentDraft] = field(default_factory=list)
    plans: list[PlanDraft] = field(default_factory=list)
    protections: list[ProtectionDraft] = field(default_factory=list)
    referrals: list[ReferralDraft] = field(default_factory=list)
    deadlines: list[DeadlineDraft] = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def last_day(self) -> datetime.date | None:
        """The last local day the case is open (None while it is)."""
        return local_day(self.closed_at) if self.closed_at else None
