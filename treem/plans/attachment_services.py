"""The writes of a plan's documents (the signed plan, its annexes): added and removed by
who keeps the plan's unit, each file checked as evidence files are (`plans.evidence`). Beside
`plans.services` (plans, tasks, agencies), as its sub-domain: one transaction a call,
audited, nothing written on a refusal."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.plans import exceptions as exc
from treem.plans import texts as free_text
from treem.plans.models import Plan, PlanAttachment
from treem.plans.services import _require_manager
from treem.ui import uploads

MAX_ATTACHMENTS = 20


@transaction.atomic
def attachment_add(*, actor: User, plan: Plan, data: bytes, name: str,
                   title: str = "") -> PlanAttachment:
    """A document of the plan (the signed PDF, scanned pages), added by who keeps the plan's
    unit."""
    _require_manager(actor, plan.unit)
    if plan.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": exc.ATTACHMENTS_TOO_MANY % {"n": MAX_ATTACHMENTS}})
    checked = uploads.check(data=data, name=name)
    label = free_text.clean({"title": title or checked.name}, {"title": 200}, exc.TOO_LONG)
    item = PlanAttachment(plan=plan, title=label["title"], name=checked.name,
                          content_type=checked.content_type, size=len(checked.content),
                          uploaded_by=actor)
    item.file.save(checked.name, ContentFile(checked.content), save=False)
    try:  # the file is on disk before its row; a failed insert removes it
        item.save()
    except Exception:
        item.file.delete(save=False)
        raise
    event_record(actor=actor, action=Action.CREATE, obj=item, unit=plan.unit,
                 fields=["file", "title"])
    return item


@transaction.atomic
def attachment_remove(*, actor: User, item: PlanAttachment) -> None:
    _require_manager(actor, item.plan.unit)
    stored = item.file.name
    event_record(actor=actor, action=Action.DELETE, obj=item, unit=item.plan.unit,
                 fields=["file"], reason=item.title)
    item.delete()
    storage = PlanAttachment._meta.get_field("file").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: storage.delete(stored))
