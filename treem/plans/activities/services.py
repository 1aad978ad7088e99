"""Every write of an activity itself: recorded, edited (versioned) with its topics and budget,
and its files (photos, minutes) added and removed; the checks of its fields, and who may manage
it. Its trainees are written in `trainee_services`, the recommendations and opinions and their
answers in `recommendation_services`. One transaction a call; bad input is a ValidationError
naming the field, in Vietnamese, and nothing is written.

Who writes: an activity belongs to its place (`unit`); whoever may manage plans over that
place records it (a commune's officer, the province's office for a province's forum)."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.lineage import former_paths
from treem.geo.models import Unit
from treem.geo.paths import ancestor_paths
from treem.lib.text import fold
from treem.plans import evidence
from treem.plans import texts as free_text
from treem.plans.activities import exceptions as exc
from treem.plans.activities.models import (
    PARTICIPANT_FIELDS,
    Activity,
    ActivityBudget,
    ActivityFile,
    ActivityKind,
    ActivityStatus,
    ActivityType,
    FileKind,
    ForumLevel,
    FundingSource,
    NamedChild,
    Topic,
)
from treem.plans.models import Task
from treem.ui import uploads

FORUM_REPORT_DAYS = 15  # Thông tư 29/2019/TT-BLĐTBXH Điều 14 k4, as re-assigned in 2025
MAX_COUNT = 1_000_000
MAX_MONEY = 10_000_000_000_000  # 10,000 billion đồng: above any province's budget
MAX_DAYS = 366
LIMITS = {"title": 300, "place_text": 200, "organiser_text": 200, "description": 10_000,
          "subject": 500, "explanation": 10_000, "feedback": 10_000, "name": 120,
          "position_text": 120, "text": 5_000, "answer": 10_000, "follow_up": 5_000}
TEXTS = ("title", "place_text", "organiser_text", "description", "subject", "explanation",
         "feedback")
DATES = ("start_date", "end_date", "reported_on", "prepared_on", "compiled_on", "feedback_on")
# The fields an edit may change (`activity_update`), besides the topics and the budget.
FIELDS = ("type", "task", "title", "status", "start_date", "end_date", "place_text",
          "organiser", "organiser_text", "description", *PARTICIPANT_FIELDS, "forum_level",
          "reported_on", "subject", "prepared_on", "compiled_on", "explanation",
          "feedback_on", "feedback")


def _texts(values: dict[str, Any]) -> dict[str, str]:
    return free_text.clean(values, LIMITS, exc.TOO_LONG)


def may_manage(actor: User, unit: Unit) -> bool:
    return actor.in_scope(unit.path, capability=Capability.MANAGE_PLANS)


def _require_manager(actor: User, unit: Unit) -> None:
    if not may_manage(actor, unit):
        raise PermissionDenied(exc.UNIT_OUT_OF_SCOPE)


def _paths_reaching(unit: Unit) -> set[str]:
    """The paths whose plans reach `unit`: its own and those above, and the units dissolved
    in 2025 whose area it (or a unit above it) lies in or holds."""
    reaching = set(ancestor_paths(unit.path))
    for above in Unit.objects.filter(path__in=reaching, valid_to__isnull=True):
        reaching.update(former_paths(above))
    return reaching


def _count(name: str, value: Any, errors: dict[str, Any]) -> int:
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        errors[name] = exc.COUNT_INVALID
        return 0
    return value


def _money(name: str, value: Any, errors: dict[str, Any]) -> int:
    if type(value) is not int or not 0 <= value <= MAX_MONEY:
        errors[name] = exc.MONEY_INVALID
        return 0
    return value


def _check_participants(values: dict[str, Any], kind: str, status: str) -> dict[str, int]:
    errors: dict[str, Any] = {}
    counts = {name: _count(name, values.get(name, 0), errors) for name in PARTICIPANT_FIELDS}
    if errors:
        raise ValidationError(errors)
    children = counts["children"]
    if counts["girls"] > children:
        errors["girls"] = exc.GIRLS_OVER_CHILDREN % {"girls": counts["girls"],
                                                     "children": children}
    if counts["adult_women"] > counts["adults"]:
        errors["adult_women"] = exc.WOMEN_OVER_ADULTS % {"women": counts["adult_women"],
                                                         "adults": counts["adults"]}
    for name in ("children_minority", "children_special"):
        if counts[name] > children:
            errors[name] = exc.PART_OVER_CHILDREN % {"n": counts[name], "children": children}
    ages = counts["children_0_6"] + counts["children_7_10"] + counts["children_11_15"]
    if ages and ages != children:
        errors["children_0_6"] = exc.AGES_NOT_SUM % {"ages": ages, "children": children}
    if kind == ActivityKind.CONSULTATION:
        if counts["children_0_6"]:
            errors["children_0_6"] = exc.CONSULTATION_UNDER_7
        elif status == ActivityStatus.HELD and children and ages != children:
            errors["children_7_10"] = exc.CONSULTATION_AGES
    if errors:
        raise ValidationError(errors)
    return counts


def _check_dates(values: dict[str, Any], kind: str, today: datetime.date) -> None:
    start, end, status = values["start_date"], values["end_date"], values["status"]
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        raise ValidationError({"start_date": exc.DATES_ORDER})
    if end < start:
        raise ValidationError({"end_date": exc.DATES_ORDER})
    if (end - start).days > MAX_DAYS:
        raise ValidationError({"end_date": exc.DATES_TOO_LONG})
    if status == ActivityStatus.HELD and start > today:
        raise ValidationError({"status": exc.HELD_IN_FUTURE})
    for name in ("reported_on", "prepared_on", "compiled_on", "feedback_on"):
        day = values.get(name)
        if day is not None and day > today:
            raise ValidationError({name: exc.STEP_IN_FUTURE})
    if kind == ActivityKind.FORUM:
        if values.get("reported_on") is not None and values["reported_on"] < end:
            raise ValidationError({"reported_on": exc.FORUM_REPORTED_EARLY})
    elif values.get("reported_on") is not None:
        raise ValidationError({"reported_on": exc.NOT_A_FORUM})
    if kind == ActivityKind.CONSULTATION:
        steps = [values.get("prepared_on"), start, end, values.get("compiled_on"),
                 values.get("feedback_on")]
        known = [day for day in steps if day is not None]
        if known != sorted(known):
            raise ValidationError({"compiled_on": exc.STEP_ORDER})


def _clean(unit: Unit, values: dict[str, Any]) -> dict[str, Any]:
    """Every field of an activity (`FIELDS`) normalised and checked together."""
    kind_type = values["type"]
    if not isinstance(kind_type, ActivityType):
        raise ValidationError({"type": exc.TYPE_REQUIRED})
    kind = kind_type.kind
    if values["status"] not in ActivityStatus.values:
        raise ValidationError({"status": exc.CHOICE_UNKNOWN})
    texts = _texts({name: values.get(name, "") for name in TEXTS})
    if not texts["title"]:
        raise ValidationError({"title": exc.TITLE_REQUIRED})
    today = timezone.localdate()
    _check_dates(values, kind, today)
    task = values.get("task")
    if task is not None:
        plan = task.plan
        for day in (values["start_date"], values["end_date"]):
            if not plan.start_year <= day.year <= plan.end_year:
                raise ValidationError({"start_date": exc.DATE_OUTSIDE_PLAN % {
                    "day": day.strftime("%d/%m/%Y"), "start": plan.start_year,
                    "end": plan.end_year}})
        # Under the plan's unit, or in the area of the unit dissolved in 2025 that issued it.
        if not unit.path.startswith(plan.unit_path) and \
                plan.unit_path not in _paths_reaching(unit):
            raise ValidationError({"task": exc.UNIT_OUTSIDE_PLAN})
    organiser = values.get("organiser")
    if organiser is not None and organiser.unit_path not in ancestor_paths(unit.path):
        raise ValidationError({"organiser": exc.ORGANISER_NOT_HERE})
    counts = _check_participants(values, kind, values["status"])
    cleaned: dict[str, Any] = {**texts, **counts, "title_folded": fold(texts["title"]),
                               "type": kind_type, "task": task,
                               "organiser": organiser, "status": values["status"],
                               "start_date": values["start_date"],
                               "end_date": values["end_date"]}
    if kind == ActivityKind.FORUM:
        if values.get("forum_level") not in ForumLevel.values:
            raise ValidationError({"forum_level": exc.FORUM_LEVEL_REQUIRED})
        cleaned["forum_level"] = values["forum_level"]
        cleaned["reported_on"] = values.get("reported_on")
        # The forum's report goes to the province within 15 days of its end (a commune's).
        cleaned["report_due_on"] = (
            values["end_date"] + datetime.timedelta(days=FORUM_REPORT_DAYS)
            if values["forum_level"] == ForumLevel.COMMUNE else None)
    else:
        cleaned.update(forum_level="", reported_on=None, report_due_on=None)
    if kind == ActivityKind.CONSULTATION:
        if not texts["subject"]:
            raise ValidationError({"subject": exc.CONSULTATION_SUBJECT})
        cleaned.update({name: values.get(name) for name in
                        ("prepared_on", "compiled_on", "feedback_on")})
    else:
        cleaned.update(subject="", explanation="", feedback="", prepared_on=None,
                       compiled_on=None, feedback_on=None)
    return cleaned


def _clean_budget(budget: dict[str, Any] | None) -> dict[str, tuple[int, int]]:
    """{source: (planned, spent)} in whole đồng; a source with both at 0 is left out."""
    errors: dict[str, Any] = {}
    cleaned: dict[str, tuple[int, int]] = {}
    for source, amounts in (budget or {}).items():
        if source not in FundingSource.values:
            errors["budget"] = exc.CHOICE_UNKNOWN
            continue
        planned, spent = amounts
        pair = (_money(f"planned_{source}", planned, errors),
                _money(f"spent_{source}", spent, errors))
        if any(pair):
            cleaned[source] = pair
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_topics(topics: Iterable[Topic | str]) -> list[Topic]:
    codes = [t.code if isinstance(t, Topic) else str(t) for t in topics]
    found = list(Topic.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise ValidationError({"topics": exc.CHOICE_UNKNOWN})
    return found


def _write_budget(activity: Activity, budget: dict[str, tuple[int, int]]) -> None:
    ActivityBudget.objects.filter(activity=activity).exclude(source__in=budget).delete()
    for source, (planned, spent) in budget.items():
        ActivityBudget.objects.update_or_create(activity=activity, source=source,
                                                defaults={"planned": planned, "spent": spent})


def forget_values(unit: Unit) -> None:
    """The dashboards' kept values of the unit's province are computed again: an activity
    changes what the computed indicators count."""
    from treem.indicators import caching

    transaction.on_commit(lambda: caching.forget(unit))


@transaction.atomic
def activity_create(*, actor: User, unit: Unit, type: ActivityType, title: str,
                    start_date: datetime.date, end_date: datetime.date,
                    status: str = ActivityStatus.HELD, task: Task | None = None,
                    topics: Iterable[Topic | str] = (),
                    budget: dict[str, tuple[int, int]] | None = None,
                    **values: Any) -> Activity:
    """An activity held (or planned) at `unit`; `values` are the other `FIELDS`."""
    if set(values) - set(FIELDS):
        raise TypeError(f"not a field of an activity: {sorted(set(values) - set(FIELDS))}")
    _require_manager(actor, unit)
    if unit.valid_to is not None:
        raise ValidationError({"unit": exc.UNIT_NOT_CURRENT})
    if isinstance(type, ActivityType) and not type.active:
        raise ValidationError({"type": exc.TYPE_RETIRED})
    cleaned = _clean(unit, {**values, "type": type, "title": title, "task": task,
                                   "status": status, "start_date": start_date,
                                   "end_date": end_date})
    money = _clean_budget(budget)
    chosen = _clean_topics(topics)
    activity = Activity.objects.create(unit=unit, unit_path=unit.path, created_by=actor,
                                       **cleaned)
    activity.topics.set(chosen)
    _write_budget(activity, money)
    event_record(actor=actor, action=Action.CREATE, obj=activity, unit=unit,
                 fields=sorted(name for name in cleaned if cleaned[name] not in ("", None, 0)
                               and name != "title_folded"))
    forget_values(unit)
    return activity


def budget_of(activity: Activity) -> dict[str, tuple[int, int]]:
    return {row.source: (row.planned, row.spent) for row in activity.budget.all()}


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, base_version: int | None,
                    base: dict[str, Any] | None = None,
                    topics: Iterable[Topic | str] | None = None,
                    budget: dict[str, tuple[int, int]] | None = None,
                    **changes: Any) -> Activity:
    """An edit of `activity` read at `base_version` (`treem.edits.conflicts`): a field someone
    else changed since is refused with both values, others merge. Topics and budget, when
    given, replace the activity's."""
    if set(changes) - set(FIELDS):
        raise TypeError(f"not a field of an activity: {sorted(set(changes) - set(FIELDS))}")
    _require_manager(actor, activity.unit)
    activity = conflicts.locked(activity)
    conflicts.check(activity, version=activity.version, base_version=base_version,
                    changes=changes, base=base)
    merged = {name: getattr(activity, name) for name in FIELDS}
    merged.update(changes)
    cleaned = _clean(activity.unit, merged)
    named = NamedChild.objects.filter(activity=activity).count()
    if cleaned["status"] == ActivityStatus.HELD and named > cleaned["children"]:
        raise ValidationError({"children": exc.CHILDREN_BELOW_NAMED % {
            "named": named, "children": cleaned["children"]}})
    changed = [name for name, value in cleaned.items() if getattr(activity, name) != value]
    extra: list[str] = []
    if topics is not None:
        chosen = _clean_topics(topics)
        if {t.pk for t in chosen} != set(activity.topics.values_list("pk", flat=True)):
            activity.topics.set(chosen)
            extra.append("topics")
    if budget is not None:
        money = _clean_budget(budget)
        if money != budget_of(activity):
            _write_budget(activity, money)
            extra.append("budget")
    if not changed and not extra:
        return activity
    for name in changed:
        setattr(activity, name, cleaned[name])
    conflicts.save_new_version(activity, [*changed, "updated_at"])
    event_record(actor=actor, action=Action.UPDATE, obj=activity, unit=activity.unit,
                 fields=[name for name in [*changed, *extra] if name != "title_folded"])
    forget_values(activity.unit)
    return activity


# --- Files ------------------------------------------------------------------------------------

@transaction.atomic
def activity_file_add(*, actor: User, activity: Activity, data: bytes, name: str,
                      kind: str = FileKind.PHOTO) -> ActivityFile:
    _require_manager(actor, activity.unit)
    if kind not in FileKind.values:
        raise ValidationError({"kind": exc.CHOICE_UNKNOWN})
    if activity.files.count() >= evidence.MAX_FILES:
        raise ValidationError({"file": evidence.TOO_MANY % {"n": evidence.MAX_FILES}})
    checked = uploads.check(data=data, name=name)
    item = ActivityFile(activity=activity, kind=kind, name=checked.name,
                        content_type=checked.content_type, size=len(checked.content),
                        uploaded_by=actor)
    item.file.save(checked.name, ContentFile(checked.content), save=False)
    try:
        item.save()
    except Exception:
        item.file.delete(save=False)
        raise
    event_record(actor=actor, action=Action.CREATE, obj=item, unit=activity.unit,
                 fields=["file", "name", "kind"])
    return item


@transaction.atomic
def activity_file_remove(*, actor: User, item: ActivityFile) -> None:
    _require_manager(actor, item.activity.unit)
    stored = item.file.name
    event_record(actor=actor, action=Action.DELETE, obj=item, unit=item.activity.unit,
                 fields=["file"], reason=item.name)
    item.delete()
    storage = ActivityFile._meta.get_field("file").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: storage.delete(stored))
