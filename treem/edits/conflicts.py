"""Edits of a record read earlier (optimistic concurrency): the version check, in one place.

A versioned record (a child, a household, a caregiver, a case's facts, a report's texts)
carries a version that every write raises by one (`save_new_version` on a row read under its
lock, `next_version()` in a bulk update). An edit
says the version it was read at (`base_version`), the fields it changes with their new values
("mine") and, when it knows them, the values it read of those fields (`base`: a form sends
them back, an offline device keeps them). The service locks the row (`select_for_update`) and
`check` compares the edit with the values read under the lock ("theirs"):

- the version read is still the record's: every change applies;
- otherwise a changed field applies when nobody changed it since (theirs is the base) or when
  it was changed to the same value; any other is a conflict. Without the base (an API client
  sends only its version) a field whose saved value differs from mine is a conflict: the
  client may be undoing a change it never saw (RFC 9110 §13.1.1: a stale If-Match is refused).

One conflict refuses the whole edit (`EditConflict`; nothing is written): the conflict lists
each field with mine, theirs and the base, and who saved theirs and when (read from the audit
trail). The person chooses, and saves again from the version now current. Fields nobody else
changed merge: a stale form that changed only the schooling saves the schooling and keeps the
name corrected meanwhile.

Without the lock two transactions could both read version 3 and both write; with it the
second waits for the first to commit and then compares against what the first wrote
(PostgreSQL's READ COMMITTED reads the row again after the wait). SQLite, where the lock is
ignored, runs write transactions one at a time (`transaction_mode = IMMEDIATE`): the read
inside the transaction is as fresh.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from django.db import models
from django.db.models import F
from django.db.models.expressions import CombinedExpression
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from treem.audit.models import Action, AuditEvent

CONFLICT = _("Hồ sơ đã được người khác sửa sau khi bạn mở (bạn sửa trên phiên bản %(base)s, nay "
             "là phiên bản %(version)s). Chưa ghi gì. %(fields)s.")
# An edit that read no version (a draft not yet made, a code typed as new, an If-Match of none).
CONFLICT_UNSEEN = _("Đã có bản do người khác lưu (nay là phiên bản %(version)s) mà bạn chưa xem. "
                    "Chưa ghi gì. %(fields)s.")
# A record without a version (a village of the unit tree): the edit carried the values it read.
CONFLICT_SINCE_READ = _("Đã được người khác sửa sau khi bạn mở. Chưa ghi gì. %(fields)s.")
FIELD = _("%(label)s: giá trị của bạn «%(mine)s», giá trị đã lưu «%(theirs)s»%(saved)s")
SAVED = _(" (%(by)s lưu lúc %(at)s)")
EMPTY = _("(để trống)")
YES, NO = _("Có"), _("Không")
# Old events of a record are not read for who saved a field: past these, "someone" did.
EVENTS_READ = 200

M = TypeVar("M", bound=models.Model)


class _Unknown:
    """The value read of a field whose edit did not say it."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


@dataclass(frozen=True)
class FieldConflict:
    """One field that both this edit and a save since the edit's version changed, each its
    own way."""

    field: str
    label: str          # the field's name, for people
    mine: Any           # the value this edit sets
    theirs: Any         # the value saved now
    base: Any           # the value this edit was read with, UNKNOWN if it did not say
    mine_text: str      # the two values as people read them (a choice's label, d/m/Y…)
    theirs_text: str
    saved_by: str = ""  # who saved `theirs`, and when ("" and None when not known)
    saved_at: datetime.datetime | None = None


class EditConflict(Exception):
    """A stale edit changed fields that were changed since: nothing was written."""

    def __init__(self, conflicts: Sequence[FieldConflict], *, version: int | None,
                 base_version: int | None) -> None:
        """`version` None: the record has no version (`check_read`)."""
        self.conflicts = list(conflicts)
        self.version = version
        self.base_version = base_version
        super().__init__(self.message)

    @property
    def fields(self) -> list[str]:
        return [conflict.field for conflict in self.conflicts]

    @property
    def message(self) -> str:
        """In Vietnamese: every conflicting field with both values, who saved the other
        one and when."""
        fields = "; ".join(
            FIELD % {"label": c.label, "mine": c.mine_text, "theirs": c.theirs_text,
                     "saved": SAVED % {"by": c.saved_by, "at": when(c.saved_at)}
                     if c.saved_by else ""}
            for c in self.conflicts)
        if self.version is None:
            return str(CONFLICT_SINCE_READ % {"fields": fields})
        if not self.base_version or self.base_version < 1:  # read when there was none
            return str(CONFLICT_UNSEEN % {"version": self.version, "fields": fields})
        return str(CONFLICT % {"base": self.base_version, "version": self.version,
                               "fields": fields})


def when(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def same(first: Any, second: Any) -> bool:
    """Two values of a field are the same: blank and null alike, lists in any order (a set of
    forms of abuse), model instances by primary key."""
    if first in (None, "") and second in (None, ""):
        return True
    if isinstance(first, list | tuple) and isinstance(second, list | tuple):
        return sorted(map(str, first)) == sorted(map(str, second))
    return bool(first == second)


def conflicting(*, current: Mapping[str, Any], version: int, base_version: int | None,
                changes: Mapping[str, Any], base: Mapping[str, Any] | None = None
                ) -> list[str]:
    """The fields of an edit that conflict with the values saved now (see the module's
    rules). `base_version` None is no precondition (If-Match: *, a system's own write)."""
    if base_version is None or base_version == version:
        return []
    base = base or {}
    found = []
    for name, mine in changes.items():
        theirs = current[name]
        if same(theirs, mine):
            continue
        read = base.get(name, UNKNOWN)
        if read is not UNKNOWN and same(theirs, read):
            continue  # nobody changed it since: mine applies
        found.append(name)
    return found


Describe = Callable[[str, Any], tuple[str, str]]


def describe_model(model: type[models.Model]) -> Describe:
    """(label, text) of a model field's value, as a person reads them."""

    def describe(name: str, value: Any) -> tuple[str, str]:
        field = model._meta.get_field(name)
        return str(capfirst(getattr(field, "verbose_name", name))), text_of(field, value)

    return describe


def text_of(field: Any, value: Any) -> str:
    if value is None or value == "":
        return str(EMPTY)
    if isinstance(value, bool):
        return str(YES if value else NO)
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d/m/Y")
    return str(value)


def check(obj: models.Model, *, version: int, base_version: int | None,
          changes: Mapping[str, Any], base: Mapping[str, Any] | None = None,
          current: Mapping[str, Any] | None = None, describe: Describe | None = None,
          audited_as: Mapping[str, str] | None = None) -> None:
    """Raise EditConflict when the edit conflicts with `obj` as read under its row lock.

    `current` gives the values saved now (default: the attributes of `obj`); `describe` the
    label and text of a value (default: the model's fields); `audited_as` the name under which
    the audit trail records a change of a field (default: its own)."""
    current = current if current is not None else {name: getattr(obj, name)
                                                   for name in changes}
    names = conflicting(current=current, version=version, base_version=base_version,
                        changes=changes, base=base)
    _refuse(obj, names, version=version, base_version=base_version, changes=changes,
            base=base, current=current, describe=describe, audited_as=audited_as)


def check_read(obj: models.Model, *, changes: Mapping[str, Any], base: Mapping[str, Any],
               current: Mapping[str, Any] | None = None, describe: Describe | None = None,
               audited_as: Mapping[str, str] | None = None) -> None:
    """`check` for a record without a version (a village of the unit tree, whose table the
    official loader owns): the values the edit read (`base`) are its precondition, compared
    field by field with those under the row's lock as when a version has moved on. A field
    whose value read the edit does not say conflicts when its saved value is not mine."""
    current = current if current is not None else {name: getattr(obj, name)
                                                   for name in changes}
    names = conflicting(current=current, version=1, base_version=0, changes=changes,
                        base=base)  # two versions that differ: every field is compared
    _refuse(obj, names, version=None, base_version=None, changes=changes, base=base,
            current=current, describe=describe, audited_as=audited_as)


def _refuse(obj: models.Model, names: list[str], *, version: int | None,
            base_version: int | None, changes: Mapping[str, Any],
            base: Mapping[str, Any] | None, current: Mapping[str, Any],
            describe: Describe | None, audited_as: Mapping[str, str] | None) -> None:
    """Raise EditConflict for the conflicting fields `names`, if any."""
    if not names:
        return
    describe = describe or describe_model(type(obj))
    audited_as = audited_as or {}
    saved = last_saved(obj, {audited_as.get(name, name) for name in names})
    conflicts = []
    for name in names:
        label, mine_text = describe(name, changes[name])
        by, at = saved.get(audited_as.get(name, name), ("", None))
        conflicts.append(FieldConflict(
            field=name, label=label, mine=changes[name], theirs=current[name],
            base=(base or {}).get(name, UNKNOWN), mine_text=mine_text,
            theirs_text=describe(name, current[name])[1], saved_by=by, saved_at=at))
    raise EditConflict(conflicts, version=version, base_version=base_version)


def last_saved(obj: models.Model, fields: Iterable[str]
               ) -> dict[str, tuple[str, datetime.datetime]]:
    """Who last saved each of `fields` of `obj`, and when: the latest audit event of the
    record naming the field (every write of a versioned record is audited, naming what it
    changed)."""
    wanted = set(fields)
    found: dict[str, tuple[str, datetime.datetime]] = {}
    object_id = str(getattr(obj, "public_id", None) or obj.pk)
    events = (AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=object_id,
                                        action__in=[Action.UPDATE, Action.CREATE])
              .select_related("actor").order_by("-at", "-id")[:EVENTS_READ])
    for event in events:
        for name in wanted.intersection(event.changed_fields) - found.keys():
            actor = event.actor
            found[name] = (getattr(actor, "full_name", "") or event.actor_username
                           or gettext("hệ thống"), event.at)
        if found.keys() == wanted:
            break
    return found


def locked(obj: M) -> M:
    """`obj` read again from its row, locked to the end of the transaction: what an edit is
    compared with and what it changes. The instance itself is refreshed, so that the caller
    holding it sees the record as saved."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())
    return obj


def next_version(field: str = "version") -> CombinedExpression:
    """The version after the one saved, computed by the database: for a bulk update (the
    Excel import), which does not hold the rows' locks while it reads them."""
    return F(field) + 1


def save_new_version(obj: models.Model, fields: Iterable[str], *,
                     version_field: str = "version") -> None:
    """Save `fields` of `obj`, read under its row lock (`locked`, or a `select_for_update` of
    its own), and its version raised by one. A write that does not hold the lock uses
    `next_version()`."""
    setattr(obj, version_field, getattr(obj, version_field) + 1)
    obj.save(update_fields=[*fields, version_field])
