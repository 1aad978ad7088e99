"""Extracts' writes: asked for (with a purpose), approved or refused by another officer (four
eyes), produced for the one who asked (an audited export). One transaction each."""

import csv
import io
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.lib.spreadsheet import safe_cell
from treem.privacy.extracts import building
from treem.privacy.extracts import exceptions as exc
from treem.privacy.models import ExtractField, ExtractFormat, ExtractRequest, ExtractStatus

PURPOSE_MIN = 20
REASON_MIN = 10


def _in_scope(actor: User, path: str, capability: str) -> bool:
    return actor.in_scope(path, capability=capability)


@transaction.atomic
def extract_request(*, actor: User, unit: Unit, purpose: str, fields: list[str],
                    file_format: str = ExtractFormat.CSV) -> ExtractRequest:
    if not _in_scope(actor, unit.path, Capability.REQUEST_EXTRACTS):
        raise PermissionDenied(exc.NOT_YOURS)
    errors: dict[str, Any] = {}
    purpose = (purpose or "").strip()
    if len(purpose) < PURPOSE_MIN:
        errors["purpose"] = exc.PURPOSE_REQUIRED
    if not isinstance(fields, list | tuple) or set(fields) - set(ExtractField.values):
        errors["fields"] = exc.BAD_FIELDS
    if file_format not in ExtractFormat.values:
        errors["file_format"] = exc.BAD_FORMAT
    if errors:
        raise ValidationError(errors)
    extract = ExtractRequest.objects.create(
        requester=actor, purpose=purpose, unit=unit, unit_path=unit.path,
        province_code=unit.province_code, fields=sorted(set(fields)), file_format=file_format,
        secret=secrets.token_hex(32))
    event_record(actor=actor, action=Action.CREATE, obj=extract, unit=unit,
                 fields=["purpose", "fields"], reason=purpose)
    return extract


@transaction.atomic
def extract_decide(*, actor: User, extract: ExtractRequest, approve: bool,
                   reason: str = "") -> ExtractRequest:
    extract = ExtractRequest.objects.select_for_update().select_related("unit").get(
        pk=extract.pk)
    if not _in_scope(actor, extract.unit_path, Capability.APPROVE_EXTRACTS):
        raise PermissionDenied(exc.NOT_YOURS)
    # Four eyes: who asked for personal data never approves it.
    if extract.requester_id == actor.pk:
        raise ValidationError(exc.FOUR_EYES)
    if extract.status != ExtractStatus.REQUESTED:
        raise ValidationError(exc.NOT_REQUESTED)
    reason = (reason or "").strip()
    if not approve and len(reason) < REASON_MIN:
        raise ValidationError({"reason": exc.REASON_REQUIRED})
    extract.status = ExtractStatus.APPROVED if approve else ExtractStatus.REFUSED
    extract.decided_by, extract.decided_at, extract.decision_reason = (
        actor, timezone.now(), reason)
    extract.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    event_record(actor=actor, action=Action.UPDATE, obj=extract, unit=extract.unit,
                 fields=["status"], reason=reason)
    return extract


def _csv(extract: building.Extract) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in building.lines(extract):
        writer.writerow([safe_cell(value) for value in line])
    return ("\ufeff" + buffer.getvalue()).encode()  # the BOM: Excel reads it as UTF-8


def _xlsx(extract: building.Extract) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("du_lieu")
    for line in building.lines(extract):
        sheet.append([safe_cell(value) for value in line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def extract_produce(*, actor: User, extract: ExtractRequest) -> tuple[bytes, str]:
    """The approved extract's file, for the officer who asked for it; every download is an
    export in the audit trail with the extract's purpose."""
    extract = ExtractRequest.objects.select_for_update().select_related("unit").get(
        pk=extract.pk)
    if not _in_scope(actor, extract.unit_path, Capability.REQUEST_EXTRACTS):
        raise PermissionDenied(exc.NOT_YOURS)
    if extract.requester_id != actor.pk:
        raise PermissionDenied(exc.ONLY_REQUESTER)
    if extract.status not in (ExtractStatus.APPROVED, ExtractStatus.PRODUCED):
        raise ValidationError(exc.NOT_APPROVED)
    built = building.build(extract)
    content = _xlsx(built) if extract.file_format == ExtractFormat.XLSX else _csv(built)
    extract.status, extract.produced_by = ExtractStatus.PRODUCED, actor
    extract.produced_at = timezone.now()
    extract.rows, extract.suppressed_rows = len(built.rows), built.suppressed
    extract.save(update_fields=["status", "produced_by", "produced_at", "rows",
                                "suppressed_rows"])
    event_record(actor=actor, action=Action.EXPORT, obj=extract, unit=extract.unit,
                 fields=built.header, reason=extract.purpose[:300])
    name = f"trich-xuat-{extract.reference.lower()}.{extract.file_format}"
    return content, name
