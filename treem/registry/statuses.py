"""The history of a child's status fields (schooling, nutrition, birth registration…).

The current value of each field stays on `Child`, where every screen, list and export reads
it. When one changes, the value it replaces is closed as a `ChildStatusPast` row, so that an
indicator of a past period counts the value each child had on the period's last day
(`treem.indicators.compute`). Every write of these fields calls `close_changed_statuses`
(`services.child_update`, the Excel import), in the transaction of the write:

- the old value held until the day before the change; it began the day after the previous
  closed value of the field ended, or, when there is none, with the record (start unknown);
- the day of the change is the one the caller gives (an officer recording that a child went
  back to school in March), else today;
- a value that never held before the day of the change leaves no row: set and corrected on
  the same day, or first recorded on or after the day the change took effect. A correction of
  a mistyped value is therefore not history;
- a new record writes nothing: what it says is its current value, and with no past row it
  is also the best knowledge of the days before it.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max

from treem.accounts.models import User
from treem.registry import choices
from treem.registry import exceptions as exc
from treem.registry.models import ChildStatusPast

TRACKED: tuple[str, ...] = tuple(choices.StatusField.values)
YES_NO = frozenset({choices.StatusField.BIRTH_REGISTERED, choices.StatusField.HEALTH_INSURANCE})
ONE_DAY = datetime.timedelta(days=1)


def stored(field: str, value: Any) -> str:
    """A field's value as `ChildStatusPast.value` keeps it."""
    if field in YES_NO:
        return "1" if value else "0"
    return value or ""


@dataclass(frozen=True)
class StatusChange:
    """One child's tracked fields before and after a write (fields not tracked are ignored,
    a field missing from `after` did not change)."""

    child_id: int
    province_code: str
    created_on: datetime.date  # the record's first day: nothing it says held before it
    before: Mapping[str, Any]
    after: Mapping[str, Any]

    def changed(self) -> dict[str, str]:
        """Tracked field → the stored old value, for the fields whose value changes."""
        return {name: stored(name, self.before.get(name)) for name in TRACKED
                if name in self.after
                and stored(name, self.before.get(name)) != stored(name, self.after[name])}


def close_changed_statuses(changes: Iterable[StatusChange], *, on: datetime.date,
                           actor: User | None = None,
                           source: str = choices.HistorySource.MANUAL) -> list[ChildStatusPast]:
    """Close the old value of every tracked field the writes change, effective `on` (the first
    day of the new values): `closed_statuses`, inserted."""
    rows = closed_statuses(changes, on=on, actor=actor, source=source)
    return ChildStatusPast.objects.bulk_create(rows, batch_size=1000)


def closed_statuses(changes: Iterable[StatusChange], *, on: datetime.date, actor: User | None = None,
                    source: str = choices.HistorySource.MANUAL) -> list[ChildStatusPast]:
    """The rows (not yet saved) that close the old values the writes change, effective `on`.
    One query whatever the number of children (the last closed span of each changed field),
    so that the Excel import writes them with its own bulk insert. Raises a ValidationError
    when a field's history already runs to `on` or later: a change cannot go before the last
    one of the same field."""
    closing = [(change, change.changed()) for change in changes]
    closing = [(change, fields) for change, fields in closing if fields]
    if not closing:
        return []
    child_ids = sorted({change.child_id for change, _fields in closing})
    names = sorted({name for _change, fields in closing for name in fields})
    last_end: dict[tuple[int, str], datetime.date] = {
        (child_id, name): end for child_id, name, end in
        ChildStatusPast.objects.filter(child_id__in=child_ids, field__in=names)
        .values_list("child_id", "field").annotate(end=Max("end_date")).order_by()}
    end = on - ONE_DAY
    rows = []
    for change, fields in closing:
        for name, value in fields.items():
            previous = last_end.get((change.child_id, name))
            if previous is not None and previous >= on:
                raise ValidationError({"changed_on": exc.STATUS_CHANGE_BEFORE_LAST})
            start = previous + ONE_DAY if previous is not None else None
            if (start or change.created_on) > end:
                continue  # it never held before the day of the change
            rows.append(ChildStatusPast(
                child_id=change.child_id, province_code=change.province_code, field=name,
                value=value, start_date=start, end_date=end, source=source, created_by=actor))
    return rows
