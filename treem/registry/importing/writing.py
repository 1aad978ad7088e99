"""Writing checked rows to the register.

New children are staged at validation (`Stager`: one row a child in `ImportStagedChild`, with
its residence, caregiver and audit event, all values final) and switched in at commit
(`Writer.switch_in`: four INSERT ... SELECT, then the staged rows deleted), in the transaction
that marks the job done. Updates are written by `Writer.update` in that same transaction,
through `bulk_update` with the statuses they replace closed (`treem.registry.statuses`, one
insert for the batch), and one audit event per child."""

import datetime
from collections import defaultdict
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from treem.accounts.models import User
from treem.audit.models import Action, AuditEvent
from treem.edits.conflicts import next_version
from treem.geo.models import Level, Unit
from treem.lib.text import word_prefixes
from treem.registry import choices
from treem.registry.importing import bulk
from treem.registry.importing.checking import CHILD_FIELDS, Plan
from treem.registry.importing.folding import fast_fold
from treem.registry.models import (
    Caregiver,
    Child,
    ChildResidence,
    ChildStatusPast,
    ImportJob,
    ImportStagedChild,
)
from treem.registry.statuses import TRACKED, StatusChange, closed_statuses

CHILD_COLUMNS = ("id", "public_id", "full_name", "name_folded", "name_prefixes", "sex",
                 "birth_date", "birth_date_precision", "ethnicity_id", "personal_id",
                 "birth_registered", "village_id", "unit_path", "residence_type",
                 "living_arrangement", "school_level", "school_status", "disability_type",
                 "disability_degree", "health_insurance", "source_key")
RESIDENCE_COLUMNS = ("public_id", "child_id", "start_date", "village_id", "unit_path",
                     "residence_type")
CAREGIVER_COLUMNS = ("public_id", "child_id", "full_name", "name_folded", "relation", "phone",
                     "is_primary")
STATUS_PAST_COLUMNS = ("child_id", "field", "value", "start_date", "end_date")
EVENT_COLUMNS = ("public_id", "unit_id", "unit_path", "action", "object_id", "changed_fields")
STAGE_COLUMNS = ("seq", "child_id", *CHILD_COLUMNS[1:], "residence_public_id",
                 "caregiver_public_id", "caregiver_name", "caregiver_folded",
                 "caregiver_relation", "caregiver_phone", "event_public_id", "event_unit_id",
                 "event_unit_path", "event_object_id", "event_fields")
# The fields an import's audit event names for a new child.
_CREATED_FIELDS = sorted({*CHILD_FIELDS, "name_folded", "source_key", "commune", "village",
                          "caregivers"})


def clear_staged(job_id: int) -> None:
    """Drops the staged rows of a job (one statement: no model has them as a foreign key)."""
    table = connection.ops.quote_name(ImportStagedChild._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE job_id = %s", [job_id])  # noqa: S608 - a model's table


class _Places:
    def __init__(self, commune: Unit) -> None:
        self.commune = commune
        self.villages = {v.pk: v for v in Unit.objects.filter(parent=commune,
                                                             level=Level.VILLAGE)}

    def place(self, village_id: int | None) -> Unit:
        return self.villages.get(village_id) if village_id else self.commune  # type: ignore[return-value]


class Stager:
    """Stages the new children of a job, batch by batch, at validation (or again at commit,
    when the register changed since). Every value is final: the commit only copies."""

    def __init__(self, *, job: ImportJob) -> None:
        self.job = job
        self.places = _Places(job.commune)
        self.values = bulk.Values()
        self.inserter = bulk.Inserter(ImportStagedChild, STAGE_COLUMNS, now=None,
                                      constants={"job_id": job.pk})
        self.with_caregiver = self.values.json(_CREATED_FIELDS)
        self.without_caregiver = self.values.json(
            [name for name in _CREATED_FIELDS if name != "caregivers"])
        self.seq = 0
        self._folds: dict[str, str] = {}  # caregivers' names repeat: mothers of siblings

    def _fold(self, name: str) -> str:
        folded = self._folds.get(name)
        if folded is None:
            folded = self._folds[name] = fast_fold(name)
        return folded

    def clear(self) -> None:
        clear_staged(self.job.pk)
        self.seq = 0

    def stage(self, plans: list[Plan]) -> None:
        if not plans:
            return
        values = self.values
        day = values.day
        # PostgreSQL: keys from the sequence now (safe against any concurrent insert). SQLite:
        # keys after the largest at the switch, which holds the only write lock.
        ids: list[Any] = [None] * len(plans)
        if connection.vendor == "postgresql":
            ids = list(bulk.reserve_ids(Child, len(plans)))
        uuids = iter(values.uuid_hexes(4 * len(plans)))
        rows = []
        for plan, child_id in zip(plans, ids, strict=True):
            self.seq += 1
            public_id = next(uuids)
            data = plan.data
            place = self.places.place(plan.village_id)
            name = plan.values.get("caregiver_name")
            caregiver_id = next(uuids)
            rows.append((
                self.seq, child_id, public_id, data["full_name"], data["name_folded"],
                data.get("name_prefixes") or word_prefixes(data["name_folded"]), data["sex"],
                day(data["birth_date"]), data["birth_date_precision"], data["ethnicity_id"],
                data["personal_id"], data["birth_registered"], plan.village_id, place.path,
                data["residence_type"], data["living_arrangement"], data["school_level"],
                data["school_status"], data["disability_type"], data["disability_degree"],
                data["health_insurance"], data["source_key"], next(uuids),
                caregiver_id if name else None, name or "", self._fold(name) if name else "",
                plan.values.get("caregiver_relation", "") if name else "",
                plan.values.get("caregiver_phone", "") if name else "",
                next(uuids), place.pk, place.path,
                f"{public_id[:8]}-{public_id[8:12]}-{public_id[12:16]}-{public_id[16:20]}-"
                f"{public_id[20:]}",
                self.with_caregiver if name else self.without_caregiver))
        self.inserter.write(rows)


class Writer:
    """Writes a job's staged children and its updates, with the audit events of the children
    written, inside the caller's transaction (which holds the commune's import lock)."""

    def __init__(self, *, job: ImportJob, actor: User, ip: str | None, request_id: str) -> None:
        self.job = job
        self.actor = actor
        self.commune: Unit = job.commune
        self.places = _Places(self.commune)
        self.reason = f"import {job.public_id}"
        self.values = bulk.Values()
        now = timezone.now()
        commune = self.commune
        self.children = bulk.Inserter(Child, CHILD_COLUMNS, now=now, constants={
            "commune_id": commune.pk, "province_code": commune.province_code,
            "created_by_id": actor.pk})
        self.residences = bulk.Inserter(ChildResidence, RESIDENCE_COLUMNS, now=now, constants={
            "commune_id": commune.pk, "province_code": commune.province_code,
            "child_province_code": commune.province_code,
            "source": choices.HistorySource.IMPORT, "created_by_id": actor.pk})
        self.caregivers = bulk.Inserter(Caregiver, CAREGIVER_COLUMNS, now=now)
        self.statuses_past = bulk.Inserter(
            ChildStatusPast, STATUS_PAST_COLUMNS, now=now, constants={
                "province_code": commune.province_code, "source": choices.HistorySource.IMPORT,
                "created_by_id": actor.pk})
        self.events = bulk.Inserter(AuditEvent, EVENT_COLUMNS, now=now, constants={
            "at": now, "actor_id": actor.pk, "actor_username": actor.get_username(),
            "roles": ",".join(sorted(actor.active_roles())), "ip": ip, "request_id": request_id,
            "reason": self.reason, "object_type": Child._meta.label_lower})
        self._fields_json: dict[tuple[str, ...], Any] = {}
        self.created = self.updated = self.unchanged = 0

    def switch_in(self) -> None:
        """The staged children into the register: set-based, in the caller's transaction."""
        quote = connection.ops.quote_name
        source = f"FROM {quote(ImportStagedChild._meta.db_table)} s WHERE s.job_id = %s"  # noqa: S608 - a model's table
        job = [self.job.pk]
        if connection.vendor == "postgresql":
            child_id, id_params = "s.child_id", []
        else:
            child_id, id_params = "%s + s.seq", [bulk.largest_id(Child)]
        staged = [f"s.{quote(name)}" for name in CHILD_COLUMNS[2:]]
        self.created = self.children.insert_select(
            [child_id, "s.public_id", *staged], source, params=id_params, source_params=job)
        if not self.created:
            return
        self.residences.insert_select(
            ["s.residence_public_id", child_id, "s.birth_date", "s.village_id", "s.unit_path",
             "s.residence_type"], source, params=id_params, source_params=job)
        self.caregivers.insert_select(
            ["s.caregiver_public_id", child_id, "s.caregiver_name", "s.caregiver_folded",
             "s.caregiver_relation", "s.caregiver_phone", "%s"],
            f"{source} AND s.caregiver_name <> ''", params=[*id_params, True],
            source_params=job)
        self.events.insert_select(
            ["s.event_public_id", "s.event_unit_id", "s.event_unit_path", "%s",
             "s.event_object_id", "s.event_fields"], source, params=[Action.CREATE],
            source_params=job)
        clear_staged(self.job.pk)

    def update(self, plans: list[Plan]) -> None:
        events: list[tuple] = []
        self._update(plans, events)
        self.events.write(events)

    def _event(self, action: str, public_id: Any, village_id: int | None,
               fields: list[str]) -> tuple:
        place = self.places.place(village_id)
        key = tuple(fields)
        stored = self._fields_json.get(key)
        if stored is None:
            stored = self._fields_json[key] = self.values.json(fields)
        return (self.values.new_uuid()[1], place.pk, place.path, action, str(public_id),
                stored)

    def _update(self, plans: list[Plan], events: list[tuple]) -> None:
        if not plans:
            return
        wanted = [plan for plan in plans if plan.values.get("caregiver_name")]
        existing: dict[int, list[Caregiver]] = defaultdict(list)
        if wanted:
            for caregiver in Caregiver.objects.filter(
                    child_id__in=[plan.child["id"] for plan in wanted]):  # type: ignore[index]
                existing[caregiver.child_id].append(caregiver)
        by_fields: dict[tuple[str, ...], list[Child]] = defaultdict(list)
        residence_types: dict[str, list[int]] = defaultdict(list)
        new_caregivers: list[Caregiver] = []
        changed_caregivers: list[Caregiver] = []
        status_changes: list[StatusChange] = []
        now = timezone.now()
        for plan in plans:
            record = plan.child
            assert record is not None
            changed = list(plan.changed)
            if plan.values.get("caregiver_name"):
                ours = existing.get(record["id"], [])
                folded = fast_fold(plan.values["caregiver_name"])
                same = next((c for c in ours if c.name_folded == folded), None)
                if same is None:
                    new_caregivers.append(_caregiver(
                        Child(pk=record["id"]), plan.values,
                        is_primary=not any(c.is_primary for c in ours)))  # type: ignore[arg-type]
                    changed.append("caregivers")
                else:
                    relation = plan.values.get("caregiver_relation", same.relation)
                    phone = plan.values.get("caregiver_phone", same.phone)
                    if (relation, phone) != (same.relation, same.phone):
                        same.relation, same.phone = relation, phone
                        same.version = next_version()
                        changed_caregivers.append(same)
                        changed.append("caregivers")
            if not changed:
                self.unchanged += 1
                continue
            if plan.changed:
                # The version as every write raises it (`treem.edits.conflicts`): a form read
                # before the import cannot then undo it.
                child = Child(pk=record["id"], updated_at=now, version=next_version(),
                              **{name: plan.data[name] for name in plan.changed})
                if "full_name" in plan.changed:
                    child.name_folded = plan.data["name_folded"]
                    child.name_prefixes = word_prefixes(child.name_folded)
                by_fields[tuple(sorted(plan.changed))].append(child)
                if "residence_type" in plan.changed:
                    residence_types[plan.data["residence_type"]].append(record["id"])
                tracked = [name for name in plan.changed if name in TRACKED]
                if tracked:
                    status_changes.append(StatusChange(
                        child_id=record["id"], province_code=self.commune.province_code,
                        created_on=_local_day(record["created_at"]),
                        before={name: record[name] for name in tracked},
                        after={name: plan.data[name] for name in tracked}))
            self.updated += 1
            events.append(self._event(Action.UPDATE, record["public_id"], record["village_id"],
                                      sorted(set(changed))))
        # The values replaced held until yesterday: a file says how things are on the day it
        # is imported.
        day = self.values.day
        self.statuses_past.write([
            (row.child_id, row.field, row.value, day(row.start_date), day(row.end_date))
            for row in closed_statuses(status_changes, on=timezone.localdate())])
        for names, children in by_fields.items():
            extra = ["name_folded", "name_prefixes"] if "full_name" in names else []
            Child.objects.bulk_update(children, [*names, *extra, "updated_at", "version"],
                                      batch_size=500)
        for residence_type, child_ids in residence_types.items():
            # The open residence row says the same as the record (as `child_update` keeps it).
            ChildResidence.objects.filter(child_id__in=child_ids, end_date__isnull=True).update(
                residence_type=residence_type)
        Caregiver.objects.bulk_create(new_caregivers, batch_size=500)
        if changed_caregivers:
            Caregiver.objects.bulk_update(changed_caregivers, ["relation", "phone", "version"],
                                          batch_size=500)


def _caregiver(child: Child, values: dict[str, Any], *, is_primary: bool) -> Caregiver | None:
    name = values.get("caregiver_name")
    if not name:
        return None
    return Caregiver(child=child, full_name=name, name_folded=fast_fold(name),
                     relation=values.get("caregiver_relation", choices.Relation.OTHER),
                     phone=values.get("caregiver_phone", ""), is_primary=is_primary)


def _local_day(moment: Any) -> datetime.date:
    """The local day of a timestamp read with raw SQL (SQLite gives it naive, in UTC)."""
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return timezone.localdate(moment)
