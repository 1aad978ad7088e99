"""The end of a child's record's retention period (docs/retention.md): its identifying fields
replaced or emptied, what the indicators count kept.

Called by `treem.privacy` once an officer of the province has reviewed the record (the
privacy app decides *when*; the register knows *which* of its fields identify a child).
What stays: sex, birth date, ethnicity, nationality, commune, village, residence history,
statuses and their history, circumstances, risks, supports, death date and cause — what
`treem.indicators` and the case statistics count, so the figures of any past period, and
the reports frozen with them, read the same afterwards.

The birth date is kept whole: indicators count a child's age on a period's last day, and a
case's age group at its receipt, from the full date (`years_before`, `was_child`); turning
it to the 1st of the month would move a child born late in a month across an age group at a
period's end, changing a past figure. Without a name or a personal id the date no longer
points at one child in the register's lists (docs/retention.md says why that is accepted).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.lib.text import fold, word_prefixes
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildResidence,
    ChildRisk,
    ChildSupport,
    Household,
)

ANONYMOUS_CHILD = "Trẻ em đã ẩn danh"
ANONYMOUS_PERSON = "Đã ẩn danh"
ANONYMOUS_HOUSEHOLD = "Hộ đã ẩn danh"
NOT_YOURS = _("Hồ sơ này nằm ngoài phạm vi xem xét thời hạn lưu trữ của bạn.")

CHILD_FIELDS = ["full_name", "name_folded", "name_prefixes", "personal_id", "source_key"]
HOUSEHOLD_FIELDS = ["head_name", "head_name_folded", "address", "phone"]
CAREGIVER_FIELDS = ["full_name", "name_folded", "phone", "birth_year"]


@transaction.atomic
def child_anonymise(*, actor: User, child: Child, erase: bool = False, reason: str,
                    capability: str = Capability.REVIEW_RETENTION) -> Child:
    """Replace the child's name with a neutral placeholder and clear its personal id, its
    caregivers' names and phones, the notes of its history, and its household's head, address
    and phone when no other child on record lives in it. With `erase` the caregivers' rows are
    deleted too (nothing indicators count lives on them). One audit event a record changed.
    `capability`: what the actor must hold over the child (the retention review's, or that of
    who carries out a granted deletion request)."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    if not actor.in_scope(child.unit_path, capability=capability):
        raise PermissionDenied(NOT_YOURS)
    action = Action.DELETE if erase else Action.UPDATE
    name = ANONYMOUS_CHILD
    child.full_name, child.name_folded = name, fold(name)
    child.name_prefixes = word_prefixes(child.name_folded)
    child.personal_id, child.source_key = None, ""
    child.version = F("version") + 1
    child.save(update_fields=[*CHILD_FIELDS, "version", "updated_at"])
    event_record(actor=actor, action=action, obj=child, unit=child.commune,
                 fields=CHILD_FIELDS, reason=reason)

    caregivers = Caregiver.objects.filter(child=child)
    if erase:
        caregivers.delete()
    else:
        folded = fold(ANONYMOUS_PERSON)
        caregivers.update(full_name=ANONYMOUS_PERSON, name_folded=folded, phone="",
                          birth_year=None, version=F("version") + 1)
    for model in (ChildCircumstance, ChildRisk, ChildSupport, ChildResidence):
        model.objects.filter(child=child).exclude(note="").update(note="")

    household = child.household
    if household is not None and not household.children.exclude(pk=child.pk).exclude(
            full_name=ANONYMOUS_CHILD).exists():
        Household.objects.filter(pk=household.pk).update(
            head_name=ANONYMOUS_HOUSEHOLD, head_name_folded=fold(ANONYMOUS_HOUSEHOLD),
            address="", phone="", version=F("version") + 1)
        event_record(actor=actor, action=action, obj=household, unit=household.commune,
                     fields=HOUSEHOLD_FIELDS, reason=reason)
    child.refresh_from_db()
    return child
