"""How long the controller has to answer each kind of request (Nghị định 356/2025/NĐ-CP
Điều 5; docs/privacy-law.md quotes it):

- a first reply within 2 working days ("02 ngày làm việc") of receipt;
- the request carried out within 10 days (to see, to be given, to correct the data), 15 days
  (to withdraw consent, to restrict, to object), 20 days (to delete) — the longer periods the
  article allows when a processor or third party must act too do not apply: treem's data is
  processed by the controller itself;
- extended once, by at most 10, 15 or 20 days, the requester told why.

Only the first reply's days are said to be working days; the others are read as calendar
days (docs/privacy-law.md: the project's reading, not the text's)."""

import datetime
from dataclasses import dataclass

from treem.cases.workdays import WorkCalendar, local_day, start_of
from treem.privacy.models import RequestKind

FIRST_REPLY_WORKING_DAYS = 2


@dataclass(frozen=True)
class Deadline:
    days: int
    extension: int
    article: str


TO_SEE = Deadline(10, 10, "Nghị định 356/2025/NĐ-CP Điều 5")
TO_STOP = Deadline(15, 15, "Nghị định 356/2025/NĐ-CP Điều 5")
TO_DELETE = Deadline(20, 20, "Nghị định 356/2025/NĐ-CP Điều 5")

DEADLINES: dict[str, Deadline] = {
    RequestKind.KNOW: TO_SEE,
    RequestKind.ACCESS: TO_SEE,
    RequestKind.CORRECT: TO_SEE,
    RequestKind.RESTRICT: TO_STOP,
    RequestKind.OBJECT: TO_STOP,
    RequestKind.WITHDRAW: TO_STOP,
    RequestKind.DELETE: TO_DELETE,
}


def due_on(kind: str, received_on: datetime.date) -> datetime.date:
    return received_on + datetime.timedelta(days=DEADLINES[kind].days)


def extended(kind: str, due: datetime.date) -> datetime.date:
    return due + datetime.timedelta(days=DEADLINES[kind].extension)


def first_reply_due_on(received_on: datetime.date,
                       calendar: WorkCalendar | None = None) -> datetime.date:
    calendar = calendar or WorkCalendar.from_database()
    return local_day(calendar.add_working_days(start_of(received_on), FIRST_REPLY_WORKING_DAYS))
