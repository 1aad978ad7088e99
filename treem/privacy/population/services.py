"""Every write of the population-database exchange: the export of a batch for the commune
police, and the import of their answer, applied through the register's own service
(`registry.services.child_update`: history, audit, version) with the source "population
database".

The import, as the register's own (DESIGN.md "Every bad input…"):
- every row is checked first, with a Vietnamese message per row and column (unknown reference,
  child moved away, bad date, bad id, id failing the register's rule, id of another child);
- mode "all": one wrong row and nothing is applied, every error listed; mode "valid_only":
  the good rows are applied and the wrong ones listed (they stay in "what is left");
- idempotent: an answer already applied to a row (its hash) is passed over, and a correction
  equal to the record changes nothing; the same file twice applies nothing the second time
  (and the second time is told it is the same file);
- one import of a batch at a time: the batch's row is locked first.
"""

import datetime
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Level, Unit
from treem.lib import personal_id as pid
from treem.lib.text import normalize
from treem.privacy.models import (
    PersonalIdVerification,
    PopulationAnswer,
    PopulationCheck,
    PopulationCheckRow,
)
from treem.privacy.models.population import (
    ImportMode,
    Result,
    RowState,
    VerificationSource,
)
from treem.privacy.population import exceptions as exc
from treem.privacy.population import exporting, importing, selectors
from treem.registry import choices
from treem.registry import exceptions as registry_exc
from treem.registry.models import Child
from treem.registry.services import NAME_MAX, child_update
from treem.ui.xlsx import FileRejected

CAPABILITY = Capability.CHECK_POPULATION_DATA
EXPORT_REASON = "popdb_check"   # the audit's reason: a file for the commune police
IMPORT_REASON = "popdb_answer"
MAX_ERRORS_KEPT = 1000
ANSWER_KEYS = [key for key, _label in exporting.ANSWER]


def _require_scope(actor: User, path: str) -> None:
    if not actor.in_scope(path, capability=CAPABILITY):
        raise PermissionDenied(registry_exc.UNIT_OUT_OF_SCOPE)


def _day(unit: Unit) -> str:
    return unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else ""


# --- Export -------------------------------------------------------------------------------------

def population_check_create(*, actor: User, commune: Unit, include_unverified: bool = False
                            ) -> tuple[PopulationCheck, bytes]:
    """A batch of the commune's children whose personal id is missing or fails the register's
    rule (and, with `include_unverified`, those whose id was never confirmed), and its .xlsx
    for the police. Audited as an export."""
    _require_scope(actor, commune.path)
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": exc.NOT_A_COMMUNE})
    if not commune.is_current:
        raise ValidationError({"commune": str(exc.COMMUNE_DISSOLVED) % {
            "commune": commune.name, "day": _day(commune)}})
    found = selectors.children_to_check(commune=commune, include_unverified=include_unverified)
    if not found:
        raise ValidationError(exc.NOTHING_TO_CHECK)
    with transaction.atomic():
        check = PopulationCheck.objects.create(
            commune=commune, unit_path=commune.path, province_code=commune.province_code,
            include_unverified=include_unverified, row_count=len(found), created_by=actor)
        PopulationCheckRow.objects.bulk_create(
            [PopulationCheckRow(check_batch=check, child_id=pk, issue=issue,
                                province_code=commune.province_code) for pk, issue in found],
            batch_size=1000)
        rows = list(check.rows.select_related("child", "child__village").order_by("id"))
        content = exporting.write_check(check, rows)
        event_record(actor=actor, action=Action.EXPORT, obj=check, unit=commune,
                     reason=EXPORT_REASON,
                     fields=[*(key for key, _label in exporting.SENT), f"rows={len(rows)}"])
    return check, content


def population_check_file(*, actor: User, check: PopulationCheck) -> bytes:
    """The batch's file again (its children as the register says today), audited as an
    export like the first."""
    _require_scope(actor, check.unit_path)
    rows = list(check.rows.select_related("child", "child__village").order_by("id"))
    content = exporting.write_check(check, rows)
    event_record(actor=actor, action=Action.EXPORT, obj=check, unit=check.commune,
                 reason=EXPORT_REASON,
                 fields=[*(key for key, _label in exporting.SENT), f"rows={len(rows)}"])
    return content


# --- Import -------------------------------------------------------------------------------------

@dataclass
class Planned:
    """A row that passed its checks: what to write."""

    number: int
    row: PopulationCheckRow
    result: str
    changes: dict[str, Any]
    note: str
    answer_hash: str


@dataclass
class _Outcome:
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    planned: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    unanswered: int = 0
    refused: dict[int, PopulationCheckRow] = field(default_factory=dict)  # by row number

    def add(self, number: int, column: str, text: str,
            row: PopulationCheckRow | None = None) -> None:
        self.error_rows.add(number)
        if row is not None:
            self.refused[number] = row
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"row": number, "column": column, "message": text})


def _answer_hash(values: Mapping[str, str]) -> str:
    keys = ("reference", "result", "new_full_name", "new_birth_date", "new_sex",
            "new_personal_id")
    text = json.dumps([" ".join(values.get(key, "").split()) for key in keys])
    return hashlib.sha256(text.encode()).hexdigest()


class _Checker:
    """The checks of every row, against the batch and the register, before any write."""

    def __init__(self, check: PopulationCheck, answer: importing.AnswerFile) -> None:
        self.check, self.file = check, answer
        self.outcome = _Outcome()
        self.current: PopulationCheckRow | None = None  # the batch's row being checked
        self.rows: dict[str, PopulationCheckRow] = {
            str(row.child.public_id): row
            for row in check.rows.select_related("child", "child__commune")}
        wanted = set()
        for answer_row in answer.rows:
            number = answer_row.values.get("new_personal_id", "").strip()
            if number:
                wanted.add(number)
        # Who holds each id asked for, in one query: an id of another child is refused.
        self.holders: dict[str, int] = dict(
            Child.objects.filter(personal_id__in=wanted).values_list("personal_id", "pk"))

    def run(self) -> _Outcome:
        seen_refs: dict[str, int] = {}
        seen_ids: dict[str, int] = {}
        for answer_row in self.file.rows:
            self.one(answer_row, seen_refs, seen_ids)
        return self.outcome

    def fail(self, answer_row: importing.AnswerRow, key: str, text: str) -> None:
        self.outcome.add(answer_row.number, self.file.header(key), text, self.current)

    def one(self, answer_row: importing.AnswerRow, seen_refs: dict[str, int],
            seen_ids: dict[str, int]) -> None:
        values = answer_row.values
        reference = values.get("reference", "").strip().lower()
        row = self.rows.get(_uuid_text(reference))
        self.current = None
        if row is None:
            self.fail(answer_row, "reference",
                      importing.message(exc.UNKNOWN_REFERENCE, value=reference[:40]))
            return
        if reference in seen_refs:
            self.fail(answer_row, "reference",
                      importing.message(exc.REFERENCE_TWICE, row=seen_refs[reference]))
            return
        seen_refs[reference] = answer_row.number
        self.current = row
        child = row.child
        if child.merged_into_id is not None or child.commune_id != self.check.commune_id:
            self.fail(answer_row, "reference",
                      importing.message(exc.CHILD_MOVED, commune=self.check.commune.name))
            return
        if not any(values.get(key, "").strip() for key in ANSWER_KEYS):
            self.outcome.unanswered += 1  # not answered yet: stays waiting
            return
        result = importing.parse_result(values.get("result", ""))
        if not values.get("result", "").strip():
            self.fail(answer_row, "result", str(exc.RESULT_MISSING))
            return
        if result is None:
            self.fail(answer_row, "result",
                      importing.message(exc.RESULT_UNKNOWN, value=values["result"][:40]))
            return
        note = values.get("note", "").strip()
        answer_hash = _answer_hash(values)
        if row.answer_hash == answer_hash and row.state in (RowState.SETTLED,
                                                            RowState.NOT_FOUND):
            self.outcome.unchanged += 1  # this very answer was applied before
            return
        if result == Result.NOT_FOUND:
            self.outcome.planned.append(Planned(answer_row.number, row, result, {}, note,
                                                answer_hash))
            return
        changes = self.changes(answer_row, child, seen_ids)
        if changes is None:
            return
        if result == Result.CORRECTED and not any(
                values.get(key, "").strip() for key in
                ("new_full_name", "new_birth_date", "new_sex", "new_personal_id")):
            self.fail(answer_row, "result", str(exc.CORRECTED_EMPTY))
            return
        after = {name: changes.get(name, getattr(child, name))
                 for name in ("personal_id", "sex", "birth_date")}
        if not after["personal_id"]:
            self.fail(answer_row, "new_personal_id", str(exc.NO_ID_TO_VERIFY))
            return
        if selectors.issue_of(after["personal_id"], sex=after["sex"],
                              birth_date=after["birth_date"]) is not None:
            if "personal_id" in changes:
                self.fail(answer_row, "new_personal_id", importing.message(
                    exc.PERSONAL_ID_MISMATCH, value=after["personal_id"]))
            else:
                self.fail(answer_row, "result", str(exc.VERIFIED_BUT_MISMATCH))
            return
        self.outcome.planned.append(Planned(answer_row.number, row, result, changes, note,
                                            answer_hash))

    def changes(self, answer_row: importing.AnswerRow, child: Child,
                seen_ids: dict[str, int]) -> dict[str, Any] | None:
        """The corrected values that differ from the record; None when one is wrong (each
        wrong column reported)."""
        values = answer_row.values
        changes: dict[str, Any] = {}
        wrong = False
        name = normalize(values.get("new_full_name", ""))
        if name:
            if len(name) > NAME_MAX:
                self.fail(answer_row, "new_full_name", str(exc.NAME_TOO_LONG))
                wrong = True
            elif name != child.full_name:
                changes["full_name"] = name
        text = values.get("new_birth_date", "").strip()
        if text:
            day = importing.parse_day(text)
            if day is None:
                self.fail(answer_row, "new_birth_date",
                          importing.message(exc.BAD_DATE, value=text[:40]))
                wrong = True
            elif day != child.birth_date:
                changes["birth_date"] = day
                if child.birth_date_precision != choices.DatePrecision.DAY:
                    changes["birth_date_precision"] = choices.DatePrecision.DAY
        text = values.get("new_sex", "").strip()
        if text:
            sex = importing.parse_sex(text)
            if sex is None:
                self.fail(answer_row, "new_sex", importing.message(exc.BAD_SEX, value=text[:40]))
                wrong = True
            elif sex != child.sex:
                changes["sex"] = sex
        number = values.get("new_personal_id", "").strip()
        if number:
            if not _is_id(number):
                self.fail(answer_row, "new_personal_id",
                          importing.message(exc.BAD_PERSONAL_ID, value=number[:40]))
                wrong = True
            elif self.holders.get(number, child.pk) != child.pk:
                self.fail(answer_row, "new_personal_id",
                          importing.message(exc.PERSONAL_ID_TAKEN, value=number))
                wrong = True
            elif number in seen_ids:
                self.fail(answer_row, "new_personal_id", importing.message(
                    exc.PERSONAL_ID_TWICE, value=number, row=seen_ids[number]))
                wrong = True
            else:
                seen_ids[number] = answer_row.number
                if number != child.personal_id:
                    changes["personal_id"] = number
        return None if wrong else changes


def _uuid_text(text: str) -> str:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return ""


def _is_id(number: str) -> bool:
    try:
        pid.parse(number)
    except pid.InvalidPersonalId:
        return False
    return True


def population_answer_import(*, actor: User, check: PopulationCheck, data: bytes,
                             mode: str) -> PopulationAnswer:
    """Import the police's answer file into the batch `check` (see the module's docstring).
    ValidationError for a bad mode, a batch of a dissolved commune, or a file that cannot be
    read (under "file"); row problems are in the answer's `errors`, never raised."""
    _require_scope(actor, check.unit_path)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": exc.MODE_UNKNOWN})
    commune = check.commune
    if not commune.is_current:
        raise ValidationError(str(exc.BATCH_OF_DISSOLVED) % {"commune": commune.name,
                                                              "day": _day(commune)})
    if not data:
        raise ValidationError({"file": exc.FILE_REQUIRED})
    try:
        answer_file = importing.read_answer(data)
    except FileRejected as error:
        raise ValidationError({"file": error.message}) from error
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        check = PopulationCheck.objects.select_for_update().get(pk=check.pk)
        earlier = (PopulationAnswer.objects.filter(check_batch=check, file_sha256=digest,
                                                   written=True).order_by("created_at").first())
        outcome = _Checker(check, answer_file).run()
        answer = PopulationAnswer.objects.create(
            check_batch=check, province_code=check.province_code, file_sha256=digest,
            mode=mode, total_rows=len(answer_file.rows), same_file_as=earlier,
            created_by=actor)
        counts = {"updated": 0, "verified": 0, "not_found": 0, "unchanged": outcome.unchanged}
        if not (mode == ImportMode.ALL and outcome.error_rows):
            with transaction.atomic():
                for plan in outcome.planned:
                    _apply(actor, answer, plan, outcome, counts, answer_file)
                if mode == ImportMode.ALL and outcome.error_rows:
                    # A row the register itself refused: nothing of the file is kept.
                    transaction.set_rollback(True)
                    counts.update(updated=0, verified=0, not_found=0,
                                  unchanged=outcome.unchanged)
            answer.written = not (mode == ImportMode.ALL and outcome.error_rows)
        if answer.written and mode == ImportMode.VALID_ONLY:
            _mark_refused(check, outcome)
        answer.updated_count = counts["updated"]
        answer.verified_count = counts["verified"]
        answer.not_found_count = counts["not_found"]
        answer.unchanged_count = counts["unchanged"]
        answer.unanswered_count = outcome.unanswered
        answer.error_count = len(outcome.error_rows)
        answer.errors = sorted(outcome.errors, key=lambda e: e["row"])
        answer.save(update_fields=["written", "updated_count", "verified_count",
                                   "not_found_count", "unchanged_count", "unanswered_count",
                                   "error_count",
                                   "errors"])
        event_record(actor=actor, action=Action.CREATE, obj=answer, unit=commune,
                     reason=IMPORT_REASON,
                     fields=[f"mode={mode}", f"rows={answer.total_rows}",
                             f"updated={answer.updated_count}",
                             f"verified={answer.verified_count}",
                             f"not_found={answer.not_found_count}",
                             f"errors={answer.error_count}"])
    return answer


def _apply(actor: User, answer: PopulationAnswer, plan: Planned, outcome: _Outcome,
           counts: dict[str, int], answer_file: importing.AnswerFile) -> None:
    """Write one checked row, in its own savepoint: a refusal of the register (a rule this
    module does not repeat) becomes the row's error and leaves nothing of the row."""
    row, now = plan.row, timezone.now()
    try:
        with transaction.atomic():
            changed = False
            verified = False
            if plan.result == Result.NOT_FOUND:
                row.state = RowState.NOT_FOUND
            else:
                child = row.child
                if plan.changes:
                    version = child.version
                    child = child_update(actor=actor, child=child,
                                         source=choices.HistorySource.POPDB, **plan.changes)
                    changed = child.version != version
                verified = _verify(actor, child, answer)
                row.state = RowState.SETTLED
            row.result, row.message = plan.result, plan.note
            row.answer_hash, row.answered_at = plan.answer_hash, now
            row.save(update_fields=["state", "result", "message", "answer_hash", "answered_at"])
    except ValidationError as error:
        outcome.add(plan.number, _column_of(error, answer_file), " ".join(error.messages),
                    row)
        return
    if plan.result == Result.NOT_FOUND:
        counts["not_found"] += 1
    elif changed:
        counts["updated"] += 1
    elif not verified:
        counts["unchanged"] += 1
    if verified:
        counts["verified"] += 1


_FIELD_COLUMNS = {"full_name": "new_full_name", "birth_date": "new_birth_date",
                  "sex": "new_sex", "personal_id": "new_personal_id"}


def _column_of(error: ValidationError, answer_file: importing.AnswerFile) -> str:
    if hasattr(error, "error_dict"):
        for name in error.error_dict:
            if name in _FIELD_COLUMNS:
                return answer_file.header(_FIELD_COLUMNS[name])
    return ""


def _verify(actor: User, child: Child, answer: PopulationAnswer) -> bool:
    """Record that the child's current id was confirmed; False when it already was."""
    if not child.personal_id:
        return False
    _made, created = PersonalIdVerification.objects.get_or_create(
        child=child, personal_id=child.personal_id,
        defaults={"province_code": child.province_code, "verified_on": timezone.localdate(),
                  "source": VerificationSource.BATCH, "check_batch": answer.check_batch,
                  "answer": answer, "created_by": actor})
    return created


def _mark_refused(check: PopulationCheck, outcome: _Outcome) -> None:
    """In mode "valid_only", the batch's rows refused stay in what is left, with why."""
    by_number: dict[int, list[str]] = {}
    for error in outcome.errors:
        by_number.setdefault(error["row"], []).append(error["message"])
    now = timezone.now()
    for number, row in outcome.refused.items():
        if row.state == RowState.SETTLED:
            continue  # a later file's mistake does not undo a check already done
        row.state, row.result, row.answered_at = RowState.PROBLEM, "", now
        row.message = " ".join(by_number.get(number, []))
        row.save(update_fields=["state", "result", "message", "answered_at"])


def verification_record(*, actor: User, child: Child, verified_on: datetime.date | None = None,
                        source: str = VerificationSource.LOOKUP) -> PersonalIdVerification | None:
    """Record that the child's current personal id was confirmed (an online lookup agreeing
    with the register). None when the child has no id; the existing fact when it was."""
    if not actor.in_scope(child.unit_path, capability=CAPABILITY):
        raise PermissionDenied(registry_exc.UNIT_OUT_OF_SCOPE)
    if not child.personal_id:
        return None
    with transaction.atomic():
        made, created = PersonalIdVerification.objects.get_or_create(
            child=child, personal_id=child.personal_id,
            defaults={"province_code": child.province_code,
                      "verified_on": verified_on or timezone.localdate(), "source": source,
                      "created_by": actor})
        if created:
            event_record(actor=actor, action=Action.CREATE, obj=made,
                         unit=child.village or child.commune, fields=["personal_id", "source"])
    return made
