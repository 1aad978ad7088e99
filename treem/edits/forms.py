"""Edit forms of versioned records (`treem.edits.conflicts`) on the pages.

A `VersionedForm` carries the version the record was read at (hidden) and, beside each field,
the value it was read with (Django's hidden initial): a save sends the service only what the
officer changed, with the values it was read with. When someone else saved the same fields
meanwhile, the service refuses (`EditConflict`) and the page shows the form again
(`after_conflict`): at the current version, the officer's changes kept, the other fields as
saved now, and for each conflicting field a choice between "your value" and "the value saved
by <name> at <time>". Nothing is written until the officer chooses and saves again.

A field of the record shown as several inputs (a plan's list of items, a row of inputs each)
is a group (`groups`): changed when any of its inputs is, sent to the service as one value
(`compose`), compared and chosen for as one, and kept as typed, all its inputs, after a
conflict."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core import signing
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from treem.edits.conflicts import EMPTY, NO, YES, EditConflict, when

VERSION, CONFLICTS, KEEP = "version", "conflicts", "keep_"
MINE, THEIRS = "mine", "theirs"
CHOOSE = _("Hãy chọn giữ giá trị nào.")
VERSION_MISSING = _("Không rõ bạn sửa trên phiên bản nào của hồ sơ: hãy mở lại trang sửa.")
KEEP_LABEL = _("%(label)s: người khác đã sửa trong lúc bạn sửa. Giữ giá trị nào?")
YOURS = _("Giá trị của bạn: %(value)s")
SAVED_BY = _("Giá trị do %(by)s lưu lúc %(at)s: %(value)s")
SAVED = _("Giá trị đã lưu: %(value)s")
_SALT = "treem.edits.forms.conflicts"


class VersionedForm(forms.Form):
    """The edit form of a record read at a version. Fields named in `unversioned` are not the
    record's (the day a change took effect): they carry no value read."""

    # A version is a PositiveIntegerField; the conflicts, signed, name each field's saver and
    # time (a child's twenty fields fit well within the bound).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1,
                                 error_messages={"required": VERSION_MISSING,
                                                 "invalid": VERSION_MISSING,
                                                 "min_value": VERSION_MISSING,
                                                 "max_value": VERSION_MISSING})
    conflicts = forms.CharField(widget=forms.HiddenInput, required=False,
                                max_length=10_000)
    unversioned: tuple[str, ...] = ()
    # A field of the record → the inputs that show it, and its name for people.
    groups: Mapping[str, tuple[str, ...]] = {}
    group_labels: Mapping[str, str | Promise] = {}

    def __init__(self, *args: Any, asking: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asking = asking
        for name in self.record_fields:
            self.fields[name].show_hidden_initial = True
        self.pending = self._pending()
        if self.pending:
            ordered: dict[str, forms.Field] = {}
            firsts = {members[0]: group for group, members in self.groups.items() if members}
            for name, field in self.fields.items():
                if firsts.get(name) in self.pending:  # a group's choice comes before its inputs
                    ordered[KEEP + firsts[name]] = self._keep_field(firsts[name])
                ordered[name] = field
                if name in self.pending:
                    ordered[KEEP + name] = self._keep_field(name)
            self.fields = ordered

    @property
    def record_fields(self) -> list[str]:
        return [name for name in self.fields
                if name not in (VERSION, CONFLICTS, *self.unversioned)
                and not name.startswith(KEEP)]

    # --- The conflict screen ---------------------------------------------------------------

    def _pending(self) -> dict[str, tuple[str, datetime.datetime | None]]:
        """The fields the officer must choose for, with who saved the other value and when,
        as `after_conflict` signed them into the form (a tampered list asks nothing)."""
        if not self.is_bound or not self.data.get(self.add_prefix(CONFLICTS)):
            return {}
        try:
            payload = signing.loads(self.data[self.add_prefix(CONFLICTS)], salt=_SALT)
        except signing.BadSignature:
            return {}
        return {name: (by, parse_datetime(at) if at else None)
                for name, (by, at) in payload.items()
                if name in self.record_fields or name in self.groups}

    def _keep_field(self, name: str) -> forms.ChoiceField:
        by, at = self.pending[name]
        theirs = self.text(name, self._read_value(name))
        mine = self.text(name, self._posted_value(name))
        saved = (SAVED_BY % {"by": by, "at": when(at), "value": theirs} if by
                 else SAVED % {"value": theirs})
        label = self.group_labels.get(name, name) if name in self.groups else self.fields[name].label
        return forms.ChoiceField(
            label=KEEP_LABEL % {"label": label}, required=False,
            widget=forms.RadioSelect(attrs={"class": "conflict-choice"}),
            choices=[(MINE, YOURS % {"value": mine}), (THEIRS, saved)])

    def compose(self, group: str, values: Mapping[str, Any]) -> Any:
        """The value of a group's field from its inputs' values (by input)."""
        raise NotImplementedError(group)

    def _group_of(self, name: str) -> str:
        return next((group for group, members in self.groups.items() if name in members), name)

    def _read_value(self, name: str) -> Any:
        if name in self.groups:
            return self.compose(name, {m: self._read_value(m) for m in self.groups[name]})
        field = self.fields[name]
        raw = field.hidden_widget().value_from_datadict(self.data, self.files,
                                                         self[name].html_initial_name)
        try:
            return field.to_python(raw)
        except forms.ValidationError:
            return raw

    def _posted_value(self, name: str) -> Any:
        if name in self.groups:
            return self.compose(name, {m: self._posted_value(m) for m in self.groups[name]})
        field = self.fields[name]
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        try:
            return field.to_python(raw)
        except forms.ValidationError:
            return raw

    def text(self, name: str, value: Any) -> str:
        """A value of field `name` as the officer reads it (a choice's label, d/m/Y…)."""
        if value is None or value == "" or value == []:
            return str(EMPTY)
        if isinstance(value, bool):
            return str(YES if value else NO)
        if hasattr(value, "_meta"):  # a record chosen in a list (an ethnic group, a household)
            return str(value)
        field = self.fields[name]
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        choices = dict(getattr(field, "choices", None) or [])
        if choices:
            values = value if isinstance(value, list | tuple) else [value]
            return ", ".join(str(choices.get(str(getattr(v, "pk", v)), v)) for v in values)
        return str(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.asking:
            for name in self.pending:
                if data.get(KEEP + name) not in (MINE, THEIRS):
                    self.add_error(KEEP + name, CHOOSE)
        return data

    def after_conflict(self, conflict: EditConflict, current: Mapping[str, Any]
                       ) -> dict[str, Any]:
        """The data of the form shown again after `conflict`: at the version saved now, the
        fields this edit changed as the officer set them, every other field as saved now
        (`current`, by field), and the conflicting fields to choose for."""
        # A field the officer chose to leave as saved is not theirs to set again.
        changed = {name for name in self.changed_data
                   if self.cleaned_data.get(KEEP + self._group_of(name)) != THEIRS}
        # A group changed in one input is kept as typed in all: the officer's list, not a mix.
        changed |= {member for members in self.groups.values() if changed & set(members)
                    for member in members}
        data: dict[str, Any] = {}
        for name in self.fields:
            if name in (VERSION, CONFLICTS) or name.startswith(KEEP):
                continue
            field = self.fields[name]
            posted = field.widget.value_from_datadict(self.data, self.files,
                                                      self.add_prefix(name))
            if name in self.unversioned or name in changed:
                data[self.add_prefix(name)] = posted
            else:
                data[self.add_prefix(name)] = _as_posted(field, current[name])
            if name not in self.unversioned:
                data[self[name].html_initial_name] = _as_posted(field, current[name])
        if VERSION in self.fields:  # a record without a version carries none
            data[self.add_prefix(VERSION)] = conflict.version
        data[self.add_prefix(CONFLICTS)] = signing.dumps(
            {c.field: [c.saved_by, c.saved_at.isoformat() if c.saved_at else ""]
             for c in conflict.conflicts}, salt=_SALT)
        return data

    # --- What a save sends the service -------------------------------------------------------

    def edit(self) -> dict[str, Any]:
        """The keyword arguments of the service: `base_version`, the changed fields with their
        new values, `base` (the values they were read with) and the unversioned fields."""
        assert hasattr(self, "cleaned_data"), "edit() reads a valid form"
        changes: dict[str, Any] = {}
        base: dict[str, Any] = {}
        changed = set(self.changed_data)
        grouped = {member for members in self.groups.values() for member in members}
        for name in self.record_fields:
            if (name in grouped or name not in changed
                    or self.cleaned_data.get(KEEP + name) == THEIRS):
                continue
            changes[name] = self.cleaned_data[name]
            if self[name].html_initial_name in self.data:
                base[name] = self._read_value(name)
        for group, members in self.groups.items():
            if not changed & set(members) or self.cleaned_data.get(KEEP + group) == THEIRS:
                continue
            changes[group] = self.compose(group, {m: self.cleaned_data[m] for m in members})
            if all(self[m].html_initial_name in self.data for m in members):
                base[group] = self._read_value(group)
        extras = {name: self.cleaned_data[name] for name in self.unversioned
                  if name in self.cleaned_data}
        return {"base_version": self.cleaned_data.get(VERSION), "base": base, **changes,
                **extras}


def _as_posted(field: forms.Field, value: Any) -> Any:
    """A saved value in the form a browser posts it (a primary key for a choice of records,
    a list for a multiple choice)."""
    prepared = field.prepare_value(value)
    if isinstance(field, forms.MultipleChoiceField):
        return [str(v) for v in (prepared or [])]
    if isinstance(field, forms.BooleanField):
        return bool(value)
    if prepared is None:
        return ""
    return prepared


def initial_of(obj: Any, names: Iterable[str], *, version: int) -> dict[str, Any]:
    """The initial values of an edit form: the record's fields and its version."""
    return {**{name: getattr(obj, name) for name in names}, VERSION: version}
