"""Checking parsed rows against the register, a batch at a time.

For each row: the same child twice in the file, the record it updates (the holder of its
personal id, else the one child of the commune with its key), the register's own checks
(`services._clean_child`, so that a row the form refuses is refused here), the place (a village
collaborator imports into its village only). Two queries a batch, never one a row.
"""

import datetime
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.geo.models import Level, Unit
from treem.lib.text import word_prefixes
from treem.registry import choices, services
from treem.registry import exceptions as exc
from treem.registry.importing import parsing, reading
from treem.registry.importing.columns import BY_KEY
from treem.registry.importing.folding import fast_fold
from treem.registry.models import Caregiver, Child, Ethnicity, ImportJob

DUPLICATE_ROW = gettext_lazy("Trùng với dòng %(row)s của tệp (cùng số định danh cá nhân, hoặc "
                             "cùng họ tên, ngày sinh và giới tính).")
AMBIGUOUS = gettext_lazy("Sổ có nhiều trẻ cùng họ tên, ngày sinh và giới tính: hãy ghi số định "
                         "danh cá nhân để phân biệt.")
OTHER_VILLAGE = gettext_lazy("Trẻ này đang được ghi ở %(place)s; việc chuyển thôn, tổ dân phố "
                             "hãy ghi ở trang của trẻ.")

# Register fields a row may set, with the value a new child gets for a blank cell.
DEFAULTS: dict[str, Any] = {
    "personal_id": None,
    "birth_registered": False,
    "residence_type": choices.ResidenceType.PERMANENT,
    "living_arrangement": choices.LivingArrangement.BOTH_PARENTS,
    "school_level": choices.SchoolLevel.NONE,
    "school_status": choices.SchoolStatus.NOT_APPLICABLE,
    "disability_type": "",
    "disability_degree": "",
    "health_insurance": False,
}
REQUIRED = ("full_name", "sex", "birth_date", "birth_date_precision", "ethnicity_id")
CHILD_FIELDS = (*REQUIRED, *DEFAULTS)
# The record's fields read by `_clean_child` besides those above.
EXTRA_CHECKED = ("death_date", "death_cause")
# A service error names a field; the error report names the column holding it.
FIELD_COLUMNS = {"full_name": "full_name", "sex": "sex", "birth_date": "birth_date",
                 "personal_id": "personal_id", "disability_type": "disability_type",
                 "disability_degree": "disability_degree", "death_date": "birth_date",
                 "commune": "village", "village": "village", "ethnicity_id": "ethnicity"}
# The keys of a parsed row's values (a column's key, but birth_date_precision for year_only).
STAGED_KEYS = tuple(["birth_date_precision", *(key for key in BY_KEY if key != "year_only")])




def import_scope_path(actor: User, commune: Unit) -> str:
    """The path the job belongs to: the commune when the actor keeps its register, else the
    actor's village in it (a village collaborator). Refuses any other commune."""
    if commune.level != Level.COMMUNE or not commune.is_current:
        raise ValidationError({"commune": exc.COMMUNE_NOT_CURRENT})
    if actor.in_scope(commune.path, capability=Capability.MANAGE_CHILDREN):
        return commune.path
    villages = (Unit.objects.visible_to(actor, capability=Capability.MANAGE_CHILDREN)
                .filter(parent=commune, level=Level.VILLAGE).order_by("path")
                .values_list("path", flat=True))
    path = villages.first()
    if path is None:
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)
    return path


@dataclass(slots=True)
class Plan:
    """What committing one good row does."""

    number: int
    values: dict[str, Any]              # the row as parsed (what is staged)
    data: dict[str, Any]                # the child's fields, checked
    key: str
    village_id: int | None
    child: dict[str, Any] | None = None  # the record it updates, None for a new child
    changed: list[str] = field(default_factory=list)
    # The caregivers of that record as checked, [[id, version], …], when the row names one.
    caregivers: list[list[int]] | None = None

    def staged(self) -> list[Any]:
        """The row as it waits for the commit (see `Staged`): a list, values in the order of
        STAGED_KEYS (None where the cell was blank), which JSON writes faster than a dict."""
        values = self.values
        return [self.number, [values.get(key) for key in STAGED_KEYS], self.data["name_folded"],
                self.key, self.child is None,
                # The version of the record to update as checked, and of its caregivers: the
                # commit refuses to write over an officer's edit made since
                # (`jobs.edited_since_check`).
                self.child["version"] if self.child is not None else None, self.caregivers]


@dataclass(slots=True)
class Staged:
    """A row that passed validation: its values, folded name and key, and whether it was a new
    child then (its own checks then need not run again at commit)."""

    number: int
    values: dict[str, Any]
    folded: str
    key: str
    new: bool
    errors: tuple = ()

    @classmethod
    def load(cls, row: list[Any]) -> "Staged":
        number, values, folded, key, new, *_version = row  # the version: see Plan.staged
        return cls(number, {name: value for name, value in zip(STAGED_KEYS, values, strict=True)
                            if value is not None}, folded, key, new)


def _child_fields(values: dict[str, Any]) -> dict[str, Any]:
    """The child's fields among a row's values (dates back from their ordinals)."""
    fields = {name: values[name] for name in CHILD_FIELDS if name in values}
    if "ethnicity" in values:
        fields["ethnicity_id"] = values["ethnicity"]
    if "birth_date" in fields:
        fields["birth_date"] = datetime.date.fromordinal(fields["birth_date"])
    return fields


def source_key(commune: Unit, folded_name: str, birth: datetime.date, sex: str) -> str:
    """A row's identity when it has no personal id: same commune, name, birth date and sex."""
    text = f"{commune.public_id}|{folded_name}|{birth.isoformat()}|{sex}"
    return hashlib.sha256(text.encode()).hexdigest()


class Checker:
    """Checks rows against the register batch by batch, and keeps the error report."""

    RECORD_FIELDS = ("id", "public_id", "source_key", "commune_id", "village_id", "unit_path",
                     "merged_into_id", "name_folded", "created_at", "updated_at", "version",
                     *CHILD_FIELDS,
                     *EXTRA_CHECKED)

    def __init__(self, *, job: ImportJob, actor: User, letters: dict[str, str],
                 previous: Iterable[dict[str, Any]] = ()) -> None:
        self.job = job
        self.actor = actor
        self.letters = letters
        self.commune: Unit = job.commune
        try:
            import_scope_path(actor, self.commune)
        except ValidationError as error:
            raise reading.FileRejected(" ".join(error.messages)) from error
        self.villages = {v.pk: v for v in Unit.objects.filter(
            parent=self.commune, level=Level.VILLAGE, valid_to__isnull=True)}
        # A commune's first list finds nobody to update: a lookup a batch saved. Children
        # registered by hand have no stored key: the commune's are keyed here, once.
        self.commune_has_children = Child.objects.filter(commune=self.commune).exists()
        self.by_hand: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if self.commune_has_children:
            for record in self._records("commune_id = %s AND source_key = ''",
                                        [self.commune.pk]):
                if not record["merged_into_id"]:
                    self.by_hand[source_key(self.commune, record["name_folded"],
                                            record["birth_date"], record["sex"])].append(record)
        self.ethnicities = list(Ethnicity.objects.all())
        # Rows refused at validation stay in the report after a commit of the valid ones.
        self.errors: list[dict[str, Any]] = list(previous)
        self.error_count = job.error_count if previous else 0
        self.error_rows = job.error_rows if previous else 0
        self.today = timezone.localdate()
        self.trusted = False  # True at commit: the staged rows' own checks still hold
        self.seen_ids: dict[str, int] = {}
        self.seen_keys: dict[str, tuple[int, str | None]] = {}
        self.place_errors: dict[int | None, ValidationError | None] = {}
        self.manageable: dict[str, bool] = {}
        # A list repeats names (half of a commune's children share a name with another): the
        # folded form and the search prefixes are made once a name.
        self._key_head = f"{self.commune.public_id}|"
        self._folds: dict[str, str] = {}
        self._name_keys: dict[str, tuple[str, str]] = {}

    def fold(self, name: str) -> str:
        """`fold(name)`, kept for the names seen again."""
        folded = self._folds.get(name)
        if folded is None:
            folded = self._folds[name] = fast_fold(name)
        return folded

    def name_keys(self, full_name: str) -> tuple[str, str]:
        """What `services._name_keys` gives, kept for the names seen again."""
        found = self._name_keys.get(full_name)
        if found is None:
            folded = self.fold(full_name)
            found = self._name_keys[full_name] = (folded, word_prefixes(folded))
        return found

    def report(self, number: int, errors: list[dict[str, Any]]) -> None:
        if not errors:
            return
        self.error_rows += 1
        self.error_count += len(errors)
        self.errors.extend(errors)
        if len(self.errors) > 2 * ImportJob.ERRORS_KEPT:
            self.trim()

    def trim(self) -> list[dict[str, Any]]:
        """The errors in the order of the file's rows, those of the first rows kept.

        A batch's rows are reported in two passes (bad cells when read, then the checks of
        the good rows against each other and the register), and a commit adds to the errors
        of the preview: kept as reported, the list went 4, 9, 3, 7 and the errors kept were
        not those of the first rows. Sorting is stable: a row's errors stay in column order."""
        self.errors.sort(key=lambda error: error["row"])
        del self.errors[ImportJob.ERRORS_KEPT:]
        return self.errors

    def _error(self, number: int, key: str, message: Any) -> dict[str, Any]:
        return {"row": number, "column": self.letters.get(key, ""), "label": BY_KEY[key].label,
                "message": str(message)}

    def more_errors(self, row: parsing.ParsedRow) -> list[dict[str, Any]]:
        """What the register's own checks say of a row already refused for a bad cell, so that
        the report lists every problem of the row at once."""
        fields = _child_fields(row.values)
        errors: list[dict[str, Any]] = []
        try:
            services._clean_child(DEFAULTS | fields, check_taken=False, today=self.today,
                                  name_keys=self.name_keys)
        except ValidationError as error:
            self._add(errors, row.number, error)
        reported = {error["column"] for error in row.errors}
        return [error for error in errors if error["column"] not in reported]

    def _manages(self, path: str) -> bool:
        found = self.manageable.get(path)
        if found is None:
            found = self.manageable[path] = self.actor.in_scope(path,
                                                     capability=Capability.MANAGE_CHILDREN)
        return found

    def _place_error(self, village_id: int | None) -> ValidationError | None:
        if village_id not in self.place_errors:
            try:
                services._require_place(self.actor, self.commune,
                                        self.villages.get(village_id) if village_id else None)
            except ValidationError as error:
                self.place_errors[village_id] = error
            except PermissionDenied as error:
                # A row naming a village the importer may not record in is a bad cell of the
                # report (where it was refused the whole service), not a refusal of the file.
                self.place_errors[village_id] = ValidationError({"commune": str(error)})
            else:
                self.place_errors[village_id] = None
        return self.place_errors[village_id]

    def check(self, rows: list[parsing.ParsedRow] | list[Staged]) -> list[Plan]:
        """The plans of the good rows of one batch; the others go to the report.

        Two queries for the batch: the children holding its personal ids, and the children of
        the commune holding its keys — imported ones by their stored key, those registered by
        hand by their name (the key is computed from the record)."""
        keyed = []
        head, fold, sha256, fromordinal = self._key_head, self.fold, hashlib.sha256, \
            datetime.date.fromordinal
        for row in rows:
            values = row.values
            born = fromordinal(values["birth_date"])
            if type(row) is Staged:
                folded, key = row.folded, row.key
            else:  # source_key(), inline
                folded = fold(values["full_name"])
                key = sha256(f"{head}{folded}|{born.isoformat()}|{values['sex']}".encode()
                             ).hexdigest()
            keyed.append((row, born, folded, key, values.get("personal_id") or None))
        ids = {number for *_rest, number in keyed if number}
        keys = {key for _row, _born, _folded, key, _number in keyed}
        by_id = {c["personal_id"]: c for c in self._records_in("personal_id", ids)}
        by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if self.commune_has_children:
            for record in self._records_in("source_key", keys):
                if record["commune_id"] == self.commune.pk and not record["merged_into_id"]:
                    by_key[record["source_key"]].append(record)
            for key in keys & self.by_hand.keys():
                by_key[key].extend(self.by_hand[key])
        plans = []
        for row, born, _folded, key, number in keyed:
            errors: list[dict[str, Any]] = []
            plan = self._row(row, born, key, number, by_id, by_key, errors)
            if errors:
                self.report(row.number, errors)
            elif plan is not None:
                plans.append(plan)
        self._stamp_caregivers(plans)
        return plans

    def _stamp_caregivers(self, plans: list[Plan]) -> None:
        """Note the caregivers (id and version) of each record a row updates and names a
        caregiver of: one query for the batch, none for a list of new children."""
        naming = [plan for plan in plans
                  if plan.child is not None and plan.values.get("caregiver_name")]
        if not naming:
            return
        held: dict[int, list[list[int]]] = defaultdict(list)
        for child_id, pk, version in Caregiver.objects.filter(
                child_id__in=[plan.child["id"] for plan in naming]  # type: ignore[index]
        ).order_by("child_id", "pk").values_list("child_id", "pk", "version"):
            held[child_id].append([pk, version])
        for plan in naming:
            plan.caregivers = held.get(plan.child["id"], [])  # type: ignore[index]

    def _records_in(self, column: str, values: set[str]) -> list[dict[str, Any]]:
        """Children whose `column` (an indexed one) is one of `values`.

        Raw SQL: the ORM spends ~3 µs a value on an IN list, and SQLite, without statistics,
        would read a whole commune's children through the commune's index if the commune were
        in the condition too."""
        if not values:
            return []
        column = connection.ops.quote_name(column)
        if connection.vendor == "postgresql":
            # One array parameter: psycopg would parse a query of thousands of placeholders.
            return self._records(f"{column} = ANY(%s)", [list(values)])
        return self._records(f"{column} IN ({', '.join(['%s'] * len(values))})", list(values))

    def _records(self, condition: str, params: list[Any]) -> list[dict[str, Any]]:
        """Children matching an SQL condition, as dicts of RECORD_FIELDS."""
        quote = connection.ops.quote_name
        columns = ", ".join(quote(Child._meta.get_field(name).column)  # type: ignore[union-attr,arg-type]
                            for name in self.RECORD_FIELDS)
        sql = f"SELECT {columns} FROM {quote(Child._meta.db_table)} WHERE {condition}"  # noqa: S608 - names from the model
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            records = [dict(zip(self.RECORD_FIELDS, row, strict=True))
                       for row in cursor.fetchall()]
        for record in records:  # SQLite returns the 32 hex digits Django stores there
            if not isinstance(record["public_id"], uuid.UUID):
                record["public_id"] = uuid.UUID(record["public_id"])
        return records

    def _row(self, row: parsing.ParsedRow | Staged, born: datetime.date, key: str,
             number: str | None,
             by_id: dict[str, dict], by_key: dict[str, list[dict]],
             errors: list[dict[str, Any]]) -> Plan | None:
        values = row.values
        # The same child twice in the file.
        first = self.seen_ids.get(number) if number else None
        if first is None:
            seen = self.seen_keys.get(key)
            if seen is not None and (not number or not seen[1]):
                first = seen[0]
        if first is not None:
            errors.append(self._error(row.number, "personal_id" if number else "full_name",
                                      DUPLICATE_ROW % {"row": first}))
            return None
        if number:
            self.seen_ids[number] = row.number
        self.seen_keys.setdefault(key, (row.number, number))

        # The record it updates: the holder of its personal id, else the one child with its key
        # (and no other personal id).
        record = by_id.get(number) if number else None
        if record is None:
            candidates = [c for c in by_key.get(key, ())
                          if not number or not c["personal_id"]]
            if len(candidates) > 1:
                errors.append(self._error(row.number, "personal_id", AMBIGUOUS))
                return None
            record = candidates[0] if candidates else None
        village_id = values.get("village")
        if record is not None:
            if (record["commune_id"] != self.commune.pk or record["merged_into_id"]
                    or not self._manages(record["unit_path"])):
                # Another commune's child (or a merged duplicate): the form says the same.
                errors.append(self._error(row.number, "personal_id",
                                          exc.PERSONAL_ID_TAKEN if number else AMBIGUOUS))
                return None
            if "village" in values and values["village"] != record["village_id"]:
                place = self.villages.get(record["village_id"]) or self.commune
                errors.append(self._error(row.number, "village",
                                          OTHER_VILLAGE % {"place": place.name}))
                return None
            village_id = record["village_id"]
        place_error = self._place_error(village_id)
        if place_error is not None:
            self._add(errors, row.number, place_error)
            return None

        fields = _child_fields(values)
        if record is None:
            full = DEFAULTS | fields
            if self.trusted and isinstance(row, Staged) and row.new:
                # Checked at validation as a new child, today, with these very values.
                data = full | {"personal_id": number, "name_folded": row.folded}
            else:
                try:
                    data = services._clean_child(full, check_taken=False, today=self.today,
                                                 name_keys=self.name_keys)
                except ValidationError as error:
                    self._add(errors, row.number, error)
                    return None
            if number and number in by_id:  # held by a child the row does not update
                errors.append(self._error(row.number, "personal_id", exc.PERSONAL_ID_TAKEN))
                return None
            data["source_key"] = key
            return Plan(row.number, values, data, key, village_id)
        changed = [name for name, value in fields.items() if record[name] != value]
        merged = {name: record[name] for name in (*CHILD_FIELDS, *EXTRA_CHECKED)} | fields
        try:
            data = services._clean_child(merged, exclude_pk=record["id"], changed=changed,
                                         check_taken=False, today=self.today,
                                         name_keys=self.name_keys)
        except ValidationError as error:
            self._add(errors, row.number, error)
            return None
        if number and number in by_id and by_id[number]["id"] != record["id"]:
            errors.append(self._error(row.number, "personal_id", exc.PERSONAL_ID_TAKEN))
            return None
        changed = [name for name in changed if data[name] != record[name]]
        return Plan(row.number, values, data, key, village_id, child=record, changed=changed)

    def _add(self, errors: list[dict[str, Any]], number: int, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            key = FIELD_COLUMNS.get(name, "full_name")
            for message in messages:
                errors.append(self._error(number, key, message))
