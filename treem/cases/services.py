"""Every write of the case process: one transaction each, checked first, audited."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.accounts.roles import Sector
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.cases import alerts, assessments, choices, deadlines
from treem.cases import exceptions as exc
from treem.cases.models import (
    Assessment,
    Case,
    CaseAbuse,
    CaseEvent,
    CaseShare,
    Notification,
    Plan,
    PlanItem,
    Protection,
    Referral,
)
from treem.cases.workflow import MOVES
from treem.edits import conflicts
from treem.geo.models import Level, Unit
from treem.registry.choices import HistorySource
from treem.registry.models import Child, ChildCircumstance, CircumstanceGroup
from treem.registry.services import circumstance_add

FORMS = {value for value, _label in choices.AbuseForm.choices}


def _clean_forms(forms: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(forms))
    if not chosen or not set(chosen) <= FORMS:
        raise ValidationError({"forms": exc.FORMS_REQUIRED})
    return chosen


def _may_record(actor: User, commune: Unit, channel: str) -> bool:
    if actor.in_scope(commune.path, capability=Capability.RECEIVE_NOTIFICATIONS):
        return True
    # A collaborator holds a village: its commune is above its scope, not in it.
    return channel == choices.Channel.COLLABORATOR and any(
        path.startswith(commune.path)
        for path in actor.scope_paths(capability=Capability.RAISE_CONCERNS))


@transaction.atomic
def notification_record(*, actor: User, commune: Unit, channel: str,
                        received_at: datetime.datetime, place: str, description: str,
                        forms: Iterable[str], reporter_anonymous: bool = False,
                        reporter_name: str = "", reporter_phone: str = "",
                        reporter_relation: str = "", child: Child | None = None,
                        child_description: str = "", happened_on: datetime.date | None = None,
                        child_condition: str = "", likely_consequences: str = "",
                        family_situation: str = "", actions_before: str = "",
                        father: str = "", mother: str = "", carer: str = "",
                        reporter_address: str = "",
                        urgent: bool = False, crime_suspected: bool = False) -> Notification:
    """Record a report where it was received (the hotline, the commune) and route it to the
    commune where it happened. A village collaborator records one (`choices.Channel.COLLABORATOR`)
    about its own commune: the concern it raises."""
    if commune.level != Level.COMMUNE or not commune.is_current:
        raise ValidationError({"commune": exc.COMMUNE_NOT_CURRENT})
    if not _may_record(actor, commune, channel):
        raise PermissionDenied(exc.OUT_OF_SCOPE)
    if received_at > timezone.now():
        raise ValidationError({"received_at": exc.RECEIVED_IN_FUTURE})
    if not description.strip():
        raise ValidationError({"description": exc.DESCRIPTION_REQUIRED})
    if reporter_anonymous and (reporter_name.strip() or reporter_phone.strip()
                               or reporter_address.strip()):
        raise ValidationError({"reporter_anonymous": exc.ANONYMOUS_WITH_IDENTITY})
    if child is not None and child.commune_id != commune.pk:
        raise ValidationError({"child": exc.CHILD_OF_ANOTHER_COMMUNE})
    notification = Notification(
        channel=channel, received_at=received_at, received_by=actor, commune=commune,
        unit_path=commune.path, province_code=commune.province_code,
        reporter_anonymous=reporter_anonymous, reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(), reporter_relation=reporter_relation.strip(),
        reporter_address=reporter_address.strip(), child=child,
        child_description=child_description.strip(), child_condition=child_condition.strip(),
        likely_consequences=likely_consequences.strip(),
        family_situation=family_situation.strip(), actions_before=actions_before.strip(),
        father=father.strip(), mother=mother.strip(), carer=carer.strip(),
        forms=_clean_forms(forms),
        place=place, happened_on=happened_on, description=description.strip(), urgent=urgent,
        crime_suspected=crime_suspected)
    notification.full_clean(exclude=["received_by", "commune", "child", "case"])
    notification.save()
    deadlines.on_notification(notification)
    event_record(actor=actor, action=Action.CREATE, obj=notification, unit=commune,
                 fields=["channel", "forms", "urgent"])
    transaction.on_commit(lambda: alerts.notification_routed(notification))
    return notification


def _require(actor: User, case: Case, capability: str) -> None:
    if not actor.in_scope(case.unit_path, capability=capability):
        raise PermissionDenied(exc.OUT_OF_SCOPE)


@transaction.atomic
def case_open(*, actor: User, notification: Notification, child: Child) -> Case:
    """Open the commune's case for the notified child; the opener is its first worker."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.case_id is not None:
        raise ValidationError(exc.ALREADY_A_CASE)
    if not actor.in_scope(notification.unit_path, capability=Capability.MANAGE_CASES):
        raise PermissionDenied(exc.OUT_OF_SCOPE)
    if child.commune_id != notification.commune_id or child.merged_into_id is not None:
        raise ValidationError({"child": exc.CHILD_OF_ANOTHER_COMMUNE})
    case = _create_numbered(Case(
        child=child, commune=notification.commune, unit_path=child.unit_path,
        province_code=notification.province_code, received_at=notification.received_at,
        urgent=notification.urgent,
        sexual_abuse=choices.AbuseForm.SEXUAL_ABUSE in notification.forms, created_by=actor))
    case.workers.add(actor)
    CaseAbuse.objects.bulk_create(
        CaseAbuse(case=case, form=form, place=notification.place,
                  happened_on=notification.happened_on) for form in notification.forms)
    notification.case, notification.child = case, child
    notification.save(update_fields=["case", "child"])
    CaseEvent.objects.create(case=case, to_status=case.status, at=timezone.now(), by=actor)
    deadlines.on_open(case, notification)
    event_record(actor=actor, action=Action.CREATE, obj=case, unit=case.commune,
                 fields=["status", "child"])
    return case


NUMBER_ATTEMPTS = 5


def _create_numbered(case: Case) -> Case:
    """Save `case` with the next number of its commune's book of the year it was received.

    Two officers of one commune opening cases at once read the same last number; the unique
    constraint lets one through, and the other takes the next number in a savepoint (the
    winner's row is committed and visible by then)."""
    case.number_year = timezone.localtime(case.received_at).year
    for attempt in range(NUMBER_ATTEMPTS):
        last = (Case.objects.filter(commune=case.commune, number_year=case.number_year)
                .aggregate(last=Max("number"))["last"]) or 0
        case.number = last + 1
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return case
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
            case.pk = None
    raise AssertionError("unreachable")


# A confirmed form of abuse puts the child in its group of Luật Trẻ em Điều 10 khoản 1 from the
# day it happened. Violence is left to the officer: group i asks for serious harm, a judgement.
GROUP_OF_FORM: dict[str, str] = {choices.AbuseForm.SEXUAL_ABUSE: "l", choices.AbuseForm.TRAFFICKING: "m",
                 choices.AbuseForm.EXPLOITATION: "k", choices.AbuseForm.ABANDONMENT: "b"}


def _record_circumstances(actor: User, case: Case) -> None:
    groups = {g.code: g for g in CircumstanceGroup.objects.filter(
        code__in=GROUP_OF_FORM.values(), active=True)}
    received = timezone.localdate(case.received_at)
    for abuse in case.abuses.all():
        group = groups.get(GROUP_OF_FORM.get(abuse.form, ""))
        if group is None:
            continue
        day = min(abuse.happened_on or received, received)
        already = ChildCircumstance.objects.filter(child=case.child, group=group).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)).exists()
        if not already:
            circumstance_add(actor=actor, child=case.child, group=group,
                             start_date=max(day, case.child.birth_date),
                             source=HistorySource.CASE)


@transaction.atomic
def case_move(*, actor: User, case: Case, move: str, note: str = "",
              close_reason: str = "") -> Case:
    """Take one allowed step of the process."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    step = MOVES.get(move)
    if step is None or case.status not in step.sources:
        raise ValidationError(exc.STEP_NOT_ALLOWED
                              % {"current": choices.Status(case.status).label})
    if step.capability == Capability.MANAGE_CASES:
        _require_worker(actor, case)
    else:
        _require(actor, case, step.capability)
    if step.close_reasons:
        if len(step.close_reasons) == 1 and not close_reason:
            close_reason = next(iter(step.close_reasons))
        if close_reason not in step.close_reasons:
            raise ValidationError({"close_reason": exc.CLOSE_REASON_REQUIRED})
    _check_documents(case, move)
    now = timezone.now()
    previous = case.status
    _stamp_plan(case, move, actor, now)
    case.status = step.target
    case.close_reason = close_reason if step.target == choices.Status.CLOSED else ""
    case.closed_at = now if step.target == choices.Status.CLOSED else None
    case.save(update_fields=["status", "close_reason", "closed_at"])
    if move == "confirm":
        CaseAbuse.objects.filter(case=case).update(confirmed=True)
        _record_circumstances(actor, case)
    CaseEvent.objects.create(case=case, from_status=previous, to_status=case.status, at=now,
                             by=actor, note=note.strip())
    deadlines.on_move(case, move, now)
    event_record(actor=actor, action=Action.UPDATE, obj=case, unit=case.commune,
                 fields=["status", *(["close_reason"] if close_reason else [])])
    return case


# --- Emergency measures and temporary separation (Nghị định 56/2017 Điều 26, 31, 32) --------

SEPARATION_DAYS = 15


def _require_worker(actor: User, case: Case) -> None:
    _require(actor, case, Capability.MANAGE_CASES)
    if not case.workers.filter(pk=actor.pk).exists():
        raise PermissionDenied(exc.NOT_A_WORKER)


def _check_taken(case: Case, taken_at: datetime.datetime, description: str) -> None:
    if case.status == choices.Status.CLOSED:
        raise ValidationError(exc.CASE_CLOSED)
    if taken_at > timezone.now():
        raise ValidationError({"taken_at": exc.TAKEN_IN_FUTURE})
    if taken_at < case.received_at:
        raise ValidationError({"taken_at": exc.TAKEN_BEFORE_RECEIPT})
    if not description.strip():
        raise ValidationError({"description": exc.PROTECTION_DESCRIPTION_REQUIRED})


@transaction.atomic
def protection_measure(*, actor: User, case: Case, taken_at: datetime.datetime,
                       description: str) -> Protection:
    """Record an emergency measure; it meets the 12-hour limit."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_worker(actor, case)
    _check_taken(case, taken_at, description)
    protection = Protection.objects.create(case=case, kind=Protection.Kind.MEASURE,
                                           taken_at=taken_at, description=description.strip(),
                                           decided_by=actor)
    deadlines.emergency_met(case, taken_at)
    event_record(actor=actor, action=Action.CREATE, obj=case, unit=case.commune,
                 fields=["protection"])
    return protection


def _check_length(taken_at: datetime.datetime, until: datetime.datetime,
                  authority_request: str) -> None:
    if until <= taken_at or (until - taken_at > datetime.timedelta(days=SEPARATION_DAYS)
                             and not authority_request.strip()):
        raise ValidationError({"days": exc.SEPARATION_TOO_LONG})


@transaction.atomic
def separation_decide(*, actor: User, case: Case, taken_at: datetime.datetime,
                      description: str, care_place: str, days: int, separated_from: str,
                      alternative_carer: str = "", authority_request: str = "") -> Protection:
    """The chairman's decision to separate the child temporarily from a parent or carer
    (Mẫu 07): at most 15 days, longer only at the request of a competent authority."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(actor, case, Capability.APPROVE_CASE_PLANS)
    _check_taken(case, taken_at, description)
    if not care_place.strip():
        raise ValidationError({"care_place": exc.CARE_PLACE_REQUIRED})
    if not separated_from.strip():
        raise ValidationError({"separated_from": exc.SEPARATED_FROM_REQUIRED})
    until = taken_at + datetime.timedelta(days=days)
    _check_length(taken_at, until, authority_request)
    if case.protections.filter(kind=Protection.Kind.SEPARATION, ended_at__isnull=True).exists():
        raise ValidationError(exc.SEPARATION_RUNNING)
    protection = Protection.objects.create(
        case=case, kind=Protection.Kind.SEPARATION, taken_at=taken_at,
        description=description.strip(), care_place=care_place.strip(), until=until,
        separated_from=separated_from.strip()[:300],
        alternative_carer=alternative_carer.strip()[:300],
        authority_request=authority_request.strip(), decided_by=actor)
    deadlines.emergency_met(case, taken_at)
    deadlines.separation_started(case, until, taken_at)
    event_record(actor=actor, action=Action.CREATE, obj=case, unit=case.commune,
                 fields=["separation"])
    return protection


@transaction.atomic
def separation_extend(*, actor: User, protection: Protection, days: int,
                      authority_request: str = "") -> Protection:
    """Extend a running separation to `days` in all from its start."""
    protection = Protection.objects.select_for_update().select_related("case").get(
        pk=protection.pk)
    _require(actor, protection.case, Capability.APPROVE_CASE_PLANS)
    if protection.ended_at is not None or protection.kind != Protection.Kind.SEPARATION:
        raise ValidationError(exc.SEPARATION_NOT_RUNNING)
    until = protection.taken_at + datetime.timedelta(days=days)
    # An extension only lengthens: from a page read before another chairman's extension, a
    # shorter one would silently undo it (ending early is `separation_end`, with its reason).
    if protection.until is not None and until <= protection.until:
        raise ValidationError({"days": exc.EXTENSION_NOT_LONGER % {
            "until": formats.date_format(timezone.localtime(protection.until),
                                         "SHORT_DATE_FORMAT")}})
    _check_length(protection.taken_at, until, authority_request)
    protection.until = until
    protection.authority_request = authority_request.strip() or protection.authority_request
    protection.save(update_fields=["until", "authority_request"])
    deadlines.separation_started(protection.case, until, protection.taken_at)
    event_record(actor=actor, action=Action.UPDATE, obj=protection.case,
                 unit=protection.case.commune, fields=["separation_until"])
    return protection


@transaction.atomic
def separation_end(*, actor: User, protection: Protection, reason: str) -> Protection:
    """The child goes home (the carer assessed safe) or another arrangement is made."""
    protection = Protection.objects.select_for_update().select_related("case").get(
        pk=protection.pk)
    case = protection.case
    if not actor.in_scope(case.unit_path, capability=Capability.APPROVE_CASE_PLANS):
        _require_worker(actor, case)
    if protection.ended_at is not None or protection.kind != Protection.Kind.SEPARATION:
        raise ValidationError(exc.SEPARATION_NOT_RUNNING)
    if not reason.strip():
        raise ValidationError({"reason": exc.END_REASON_REQUIRED})
    protection.ended_at, protection.end_reason = timezone.now(), reason.strip()
    protection.save(update_fields=["ended_at", "end_reason"])
    deadlines.separation_ended(case, protection.ended_at)
    event_record(actor=actor, action=Action.UPDATE, obj=case, unit=case.commune,
                 fields=["separation_end"], reason=protection.end_reason)
    return protection


# --- Referrals and services ---------------------------------------------------------------

# The sector whose focal point answers each service.
SECTOR_OF_SERVICE: dict[str, str] = {
    choices.Service.HEALTH: Sector.HEALTH, choices.Service.COUNSELLING: Sector.SOCIAL,
    choices.Service.LEGAL_AID: Sector.JUSTICE, choices.Service.POLICE: Sector.POLICE,
    choices.Service.EDUCATION: Sector.EDUCATION,
    choices.Service.SOCIAL_ASSISTANCE: Sector.SOCIAL, choices.Service.SHELTER: Sector.SOCIAL,
    choices.Service.OTHER: Sector.SOCIAL,
}


@transaction.atomic
def referral_create(*, actor: User, case: Case, service: str, organisation: str,
                    due_on: datetime.date, note: str = "") -> Referral:
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_worker(actor, case)
    if case.status == choices.Status.CLOSED:
        raise ValidationError(exc.CASE_CLOSED)
    if not organisation.strip():
        raise ValidationError({"organisation": exc.ORGANISATION_REQUIRED})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": exc.DUE_IN_PAST})
    referral = Referral(case=case, service=service, sector=SECTOR_OF_SERVICE.get(service, ""),
                        organisation=organisation.strip(), due_on=due_on, note=note.strip(),
                        created_by=actor)
    referral.full_clean(exclude=["case", "created_by", "answered_by"])
    referral.save()
    event_record(actor=actor, action=Action.CREATE, obj=case, unit=case.commune,
                 fields=["referral"])
    return referral


def _require_receiver(actor: User, referral: Referral) -> None:
    if not any(sector == referral.sector and referral.case.unit_path.startswith(path)
               for sector, path in actor.sector_paths()):
        raise PermissionDenied(exc.REFERRAL_NOT_YOURS)


@transaction.atomic
def referral_answer(*, actor: User, referral: Referral, accept: bool, note: str = "") -> Referral:
    """The receiving sector accepts the referral or declines it (with why)."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    _require_receiver(actor, referral)
    if referral.status != choices.ReferralStatus.SENT:
        raise ValidationError(exc.REFERRAL_ALREADY_ANSWERED)
    referral.status = (choices.ReferralStatus.ACCEPTED if accept
                       else choices.ReferralStatus.DECLINED)
    referral.answered_at, referral.answered_by = timezone.now(), actor
    if note.strip():
        referral.result = note.strip()
    referral.save(update_fields=["status", "answered_at", "answered_by", "result"])
    event_record(actor=actor, action=Action.UPDATE, obj=referral.case,
                 unit=referral.case.commune, fields=["referral_status"])
    return referral


@transaction.atomic
def referral_result(*, actor: User, referral: Referral, result: str) -> Referral:
    """The result of an accepted referral, recorded by the receiving sector or the worker."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    try:
        _require_receiver(actor, referral)
    except PermissionDenied:
        _require_worker(actor, referral.case)
    if referral.status != choices.ReferralStatus.ACCEPTED:
        raise ValidationError(exc.REFERRAL_NOT_ACCEPTED)
    if not result.strip():
        raise ValidationError({"result": exc.RESULT_REQUIRED})
    referral.status, referral.result = choices.ReferralStatus.DONE, result.strip()
    referral.done_at = timezone.now()
    referral.save(update_fields=["status", "result", "done_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=referral.case,
                 unit=referral.case.commune, fields=["referral_result"])
    return referral


# --- Assessments (Mẫu 02, 03, 06) and the plan (Mẫu 04, 05) --------------------------------

ASSESSED_IN = {assessments.INITIAL: choices.Status.VERIFYING,
               assessments.DETAILED: choices.Status.ASSESSING,
               assessments.REVIEW: choices.Status.REVIEWING}


@transaction.atomic
def assessment_record(*, actor: User, case: Case, kind: str, done_on: datetime.date,
                      answers: dict[str, str], ratings: dict[str, str],
                      conclusion: str = "") -> Assessment:
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_worker(actor, case)
    if ASSESSED_IN.get(kind) != case.status:
        raise ValidationError(exc.ASSESSMENT_NOT_NOW)
    if not timezone.localdate(case.received_at) <= done_on <= timezone.localdate():
        raise ValidationError({"done_on": exc.ASSESSMENT_DATE})
    levels = {level for level, _label in assessments.LEVELS}
    clean_answers, clean_ratings = {}, {}
    for item in assessments.ITEMS[kind]:
        if item.rated:
            if ratings.get(item.key) not in levels:
                raise ValidationError({item.key: exc.RATING_REQUIRED % {"item": item.label}})
            clean_ratings[item.key] = ratings[item.key]
        else:
            text = (answers.get(item.key) or "").strip()
            if not text and item.key not in assessments.OPTIONAL:
                raise ValidationError({item.key: exc.ITEM_REQUIRED % {"item": item.label}})
            clean_answers[item.key] = text
    if conclusion not in assessments.CONCLUSIONS[kind] or (kind != assessments.DETAILED
                                                            and not conclusion):
        raise ValidationError({"conclusion": exc.CONCLUSION_REQUIRED})
    assessment = Assessment.objects.create(case=case, kind=kind, done_on=done_on,
                                           answers=clean_answers, ratings=clean_ratings,
                                           conclusion=conclusion, done_by=actor)
    if conclusion == Assessment.Conclusion.IN_DANGER and not case.urgent:
        # Found in danger after all: the 12 hours from receipt apply (and may have run out).
        case.urgent = True
        case.save(update_fields=["urgent"])
        deadlines.on_open(case)
    event_record(actor=actor, action=Action.CREATE, obj=case, unit=case.commune,
                 fields=[f"assessment_{kind}"])
    return assessment


# The plan is one document of two fields: its goal, and its items as a whole (a row is not
# merged with another worker's rows: the list is read, and replaced, as one).
PLAN_FIELDS = ("goal", "items")
# How the audit trail names a change of each (the event is the case's).
PLAN_AUDITED = {"goal": "plan_goal", "items": "plan_items"}
PLAN_ITEM_FIELDS = ("task", "responsible", "provider", "starts_on", "ends_on", "cost")
PLAN_ITEMS_LABEL = _("Các dịch vụ, công việc")
PLAN_ITEM_TEXT = _("%(n)s. %(task)s — %(responsible)s%(provider)s, %(starts)s–%(ends)s, "
                   "%(cost)s đồng")


def plan_items_of(plan: Plan | None) -> list[dict[str, Any]]:
    """The items of a plan as one value: what a save compares and replaces."""
    if plan is None:
        return []
    return [_plan_item({name: getattr(item, name) for name in PLAN_ITEM_FIELDS})
            for item in plan.items.all()]


def _plan_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item as compared and written: trimmed texts, a whole cost (of the page, the API or
    the table alike)."""
    return {"task": (item.get("task") or "").strip()[:300],
            "responsible": (item.get("responsible") or "").strip()[:200],
            "provider": (item.get("provider") or "").strip()[:200],
            "starts_on": item.get("starts_on"), "ends_on": item.get("ends_on"),
            "cost": int(item.get("cost") or 0)}


def plan_items_text(items: Iterable[Mapping[str, Any]]) -> str:
    """The items as a person reads them, one after another."""
    texts = [str(PLAN_ITEM_TEXT % {
        "n": number, "task": item.get("task") or "", "responsible": item.get("responsible") or "",
        "provider": f" ({item['provider']})" if item.get("provider") else "",
        "starts": formats.date_format(item["starts_on"], "d/m/Y") if item.get("starts_on")
        else "?",
        "ends": formats.date_format(item["ends_on"], "d/m/Y") if item.get("ends_on") else "?",
        "cost": formats.number_format(int(item.get("cost") or 0), force_grouping=True)})
        for number, item in enumerate(items, start=1)]
    return "; ".join(texts) or str(conflicts.EMPTY)


def _describe_plan(name: str, value: Any) -> tuple[str, str]:
    if name == "items":
        return str(PLAN_ITEMS_LABEL), plan_items_text(value)
    return conflicts.describe_model(Plan)(name, value)


def _next_plan_version(case: Case) -> int:
    return (case.plans.aggregate(last=Max("version"))["last"] or 0) + 1


@transaction.atomic
def plan_save(*, actor: User, case: Case, base_version: int | None = None,
              base: Mapping[str, Any] | None = None, **changes: Any) -> Plan:
    """Write the plan being built (Mẫu 04): its goal and its services and tasks (`items`).

    `changes` are the fields this edit changes (of `PLAN_FIELDS`; the other stays as saved),
    read at `base_version` of the draft (0: no draft yet) with the values `base`
    (`treem.edits.conflicts`): a field someone else saved since is refused (`EditConflict`,
    nothing written), the other merges. The case's row lock, which every write of its plans
    takes, orders two saves."""
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"not fields of the plan: {sorted(unknown)}")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_worker(actor, case)
    if case.status != choices.Status.PLANNING:
        raise ValidationError(exc.PLAN_NOT_NOW)
    if "goal" in changes:
        changes["goal"] = (changes["goal"] or "").strip()
        if not changes["goal"]:
            raise ValidationError({"goal": exc.GOAL_REQUIRED})
    if "items" in changes:
        for number, item in enumerate(changes["items"], start=1):
            task, responsible = (item.get("task") or "").strip(), (item.get("responsible") or "").strip()
            starts, ends, cost = item.get("starts_on"), item.get("ends_on"), item.get("cost") or 0
            if not task or not responsible or not starts or not ends or ends < starts or cost < 0:
                raise ValidationError({"items": exc.PLAN_ITEM_INVALID % {"row": number}})
        changes["items"] = [_plan_item(item) for item in changes["items"]]
    if base is not None and "items" in base:
        base = {**base, "items": [_plan_item(item) for item in base["items"]]}
    draft = case.plans.filter(submitted_at__isnull=True).first()
    saved = {"goal": draft.goal if draft else "", "items": plan_items_of(draft)}
    # The case is the record the audit trail names: who saved the other value is read there.
    conflicts.check(case, version=draft.version if draft else 0,
                    base_version=base_version, changes=changes, base=base, current=saved,
                    describe=_describe_plan, audited_as=PLAN_AUDITED)
    new = saved | changes
    if not new["goal"]:
        raise ValidationError({"goal": exc.GOAL_REQUIRED})
    changed = [name for name in PLAN_FIELDS if not conflicts.same(saved[name], new[name])]
    if draft is not None and not changed:
        return draft
    if draft is None:
        draft = Plan.objects.create(case=case, goal=new["goal"], created_by=actor,
                                    version=_next_plan_version(case))
        changed = list(PLAN_FIELDS) if new["items"] else ["goal"]
    elif "goal" in changed:
        draft.goal = new["goal"]
        conflicts.save_new_version(draft, ["goal"])
    else:
        conflicts.save_new_version(draft, [])
    if "items" in changed:
        draft.items.all().delete()
        PlanItem.objects.bulk_create(PlanItem(plan=draft, **item) for item in new["items"])
    event_record(actor=actor, action=Action.UPDATE, obj=case, unit=case.commune,
                 fields=[PLAN_AUDITED[name] for name in changed])
    return draft


def _latest(case: Case, kind: str) -> Assessment | None:
    return case.assessments.filter(kind=kind).order_by("-created_at", "-id").first()


def _check_documents(case: Case, move: str) -> None:
    """The documents a move rests on (Điều 26–30): the assessment before the decision it
    informs, the plan before it is submitted, the review's conclusion before the chairman's."""
    if move in ("confirm", "not_confirmed") and _latest(case, assessments.INITIAL) is None:
        raise ValidationError(exc.NEEDS_INITIAL)
    if move == "plan" and _latest(case, assessments.DETAILED) is None:
        raise ValidationError(exc.NEEDS_DETAILED)
    if move == "submit_plan" and not case.plans.filter(submitted_at__isnull=True,
                                                       items__isnull=False).exists():
        raise ValidationError(exc.NEEDS_PLAN)
    if move in ("close", "new_plan"):
        review = _latest(case, assessments.REVIEW)
        wanted = Assessment.Conclusion.SAFE if move == "close" else Assessment.Conclusion.AT_RISK
        if review is None or review.conclusion != wanted:
            raise ValidationError(exc.NEEDS_SAFE_REVIEW if move == "close"
                                  else exc.NEEDS_AT_RISK_REVIEW)


def _stamp_plan(case: Case, move: str, actor: User, at: datetime.datetime) -> None:
    plans = case.plans.filter(approved_at__isnull=True, returned_at__isnull=True)
    if move == "submit_plan":
        plans.filter(submitted_at__isnull=True).update(submitted_at=at)
    elif move == "approve_plan":
        plans.exclude(submitted_at__isnull=True).update(approved_at=at, approved_by=actor)
    elif move == "return_plan":
        # The returned plan stays on file; the officer builds the next one from it.
        returned = plans.exclude(submitted_at__isnull=True).first()
        if returned is not None:
            returned.returned_at = at
            returned.save(update_fields=["returned_at"])
            draft = Plan.objects.create(case=case, goal=returned.goal, created_by=actor,
                                        version=_next_plan_version(case))
            PlanItem.objects.bulk_create(
                PlanItem(plan=draft, task=i.task, starts_on=i.starts_on, ends_on=i.ends_on,
                         responsible=i.responsible, provider=i.provider, cost=i.cost)
                for i in returned.items.all())


@transaction.atomic
def case_share(*, actor: User, case: Case, unit: Unit, reason: str) -> CaseShare:
    """Show the case to a level above that contains its commune (the chairman or a worker)."""
    if not actor.in_scope(case.unit_path, capability=Capability.APPROVE_CASE_PLANS):
        _require_worker(actor, case)
    if unit.level not in (Level.PROVINCE, Level.DISTRICT) \
            or not case.unit_path.startswith(unit.path):
        raise ValidationError({"unit": exc.SHARE_UNIT_NOT_ABOVE})
    if not reason.strip():
        raise ValidationError({"reason": exc.SHARE_REASON_REQUIRED})
    share = CaseShare.objects.create(case=case, unit=unit, unit_path=unit.path,
                                     reason=reason.strip()[:300], shared_by=actor)
    event_record(actor=actor, action=Action.UPDATE, obj=case, unit=case.commune,
                 fields=["shared_with"], reason=share.reason)
    return share


# --- Who works on the case ------------------------------------------------------------------

def _require_assigner(actor: User, case: Case) -> None:
    """The chairman of the commune, or one of the case's workers, hands it on."""
    if not actor.in_scope(case.unit_path, capability=Capability.APPROVE_CASE_PLANS):
        _require_worker(actor, case)


@transaction.atomic
def case_assign(*, actor: User, case: Case, worker: Any) -> Case:
    """Add a worker: an officer who handles cases in the case's commune. Only the workers
    (with the chairman) see the case, so this is how a colleague covers for an absence."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_assigner(actor, case)
    if case.status == choices.Status.CLOSED:
        raise ValidationError(exc.CASE_CLOSED)
    if not worker.is_active or not worker.in_scope(case.unit_path,
                                            capability=Capability.MANAGE_CASES):
        raise ValidationError({"worker": exc.WORKER_NOT_OF_COMMUNE})
    if case.workers.filter(pk=worker.pk).exists():
        raise ValidationError({"worker": exc.WORKER_ALREADY})
    case.workers.add(worker)
    event_record(actor=actor, action=Action.UPDATE, obj=case, unit=case.commune,
                 fields=["workers"], reason=f"+{worker.username}")
    return case


@transaction.atomic
def case_unassign(*, actor: User, case: Case, worker: Any) -> Case:
    """Take a worker off the case; a case always keeps one, so it is never forgotten."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_assigner(actor, case)
    if not case.workers.filter(pk=worker.pk).exists():
        raise ValidationError({"worker": exc.WORKER_NOT_ON_CASE})
    if case.workers.count() == 1:
        raise ValidationError({"worker": exc.LAST_WORKER})
    case.workers.remove(worker)
    event_record(actor=actor, action=Action.UPDATE, obj=case, unit=case.commune,
                 fields=["workers"], reason=f"-{worker.username}")
    return case


# --- What verification found ----------------------------------------------------------------

FACTS = ("forms", "place", "happened_on", "perpetrator")
# How the audit trail names a change of each fact (the first three live on the abuse rows).
FACTS_AUDITED = {"forms": "abuses", "place": "abuses", "happened_on": "abuses",
                 "perpetrator": "perpetrator"}
FACT_LABELS = {"forms": _("Hình thức xâm hại"), "place": _("Nơi xảy ra"),
               "happened_on": _("Ngày xảy ra"), "perpetrator": _("Người gây hại")}


def case_facts_of(case: Case) -> dict[str, Any]:
    """The facts as saved: the forms of abuse, and the place and day they share, and the
    perpetrator."""
    abuses = list(case.abuses.order_by("id"))
    first = abuses[0] if abuses else None
    return {"forms": sorted(a.form for a in abuses), "place": first.place if first else "",
            "happened_on": first.happened_on if first else None,
            "perpetrator": case.perpetrator}


def _describe_fact(name: str, value: Any) -> tuple[str, str]:
    label = str(FACT_LABELS[name])
    if name == "forms":
        return label, ", ".join(str(choices.AbuseForm(v).label) for v in value
                                if v in choices.AbuseForm.values) or str(conflicts.EMPTY)
    field = {"place": CaseAbuse._meta.get_field("place"),
             "happened_on": CaseAbuse._meta.get_field("happened_on"),
             "perpetrator": Case._meta.get_field("perpetrator")}[name]
    return label, conflicts.text_of(field, value)


@transaction.atomic
def case_facts(*, actor: User, case: Case, base_version: int | None = None,
               base: Mapping[str, Any] | None = None, **facts: Any) -> Case:
    """Correct the forms of abuse, the place and day, and record who harmed the child, as
    verification found them: the report is often wrong on each, and the statistics count
    these facts. Forms confirmed earlier stay confirmed; a newly found one is confirmed (and
    reaches the register) if the case is already past verification.

    `facts` are those this edit changes (of `FACTS`; the others stay as saved), read at
    `base_version` of the facts with the values `base` (`treem.edits.conflicts`): a fact someone
    else corrected since is refused (`EditConflict`, nothing written), others merge."""
    unknown = set(facts) - set(FACTS)
    if unknown:
        raise TypeError(f"not facts: {sorted(unknown)}")
    case = conflicts.locked(case)
    _require_worker(actor, case)
    if case.status == choices.Status.CLOSED:
        raise ValidationError(exc.CASE_CLOSED)
    if "forms" in facts:
        facts["forms"] = sorted(_clean_forms(facts["forms"]))
    if "perpetrator" in facts:
        facts["perpetrator"] = facts["perpetrator"] or ""
    saved = case_facts_of(case)
    conflicts.check(case, version=case.facts_version, base_version=base_version,
                      changes=facts, base=base, current=saved, describe=_describe_fact,
                      audited_as=FACTS_AUDITED)
    new = saved | facts
    if new["place"] not in choices.Place.values:
        raise ValidationError({"place": exc.PLACE_REQUIRED})
    if new["perpetrator"] and new["perpetrator"] not in choices.Perpetrator.values:
        raise ValidationError({"perpetrator": exc.PERPETRATOR_UNKNOWN})
    if new["happened_on"] is not None and new["happened_on"] > timezone.localdate(
            case.received_at):
        raise ValidationError({"happened_on": exc.HAPPENED_AFTER_RECEIPT})
    changed = [name for name in FACTS if not conflicts.same(saved[name], new[name])]
    if not changed:
        return case
    confirmed = case.status not in (choices.Status.RECEIVED, choices.Status.VERIFYING)
    cleaned = new["forms"]
    case.abuses.exclude(form__in=cleaned).delete()
    case.abuses.update(place=new["place"], happened_on=new["happened_on"])
    kept = set(case.abuses.values_list("form", flat=True))
    CaseAbuse.objects.bulk_create(
        CaseAbuse(case=case, form=form, place=new["place"], happened_on=new["happened_on"],
                  confirmed=confirmed) for form in cleaned if form not in kept)
    case.perpetrator = new["perpetrator"]
    case.sexual_abuse = choices.AbuseForm.SEXUAL_ABUSE in cleaned
    conflicts.save_new_version(case, ["perpetrator", "sexual_abuse"],
                                 version_field="facts_version")
    if confirmed:
        _record_circumstances(actor, case)
    event_record(actor=actor, action=Action.UPDATE, obj=case, unit=case.commune,
                 fields=sorted({FACTS_AUDITED[name] for name in changed}))
    return case
