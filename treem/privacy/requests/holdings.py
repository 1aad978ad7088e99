""""What treem holds on this child": the content of the export a data subject's request
receives (Luật 91/2025/QH15, the rights to know and to see one's data, and to know who
processed it; docs/privacy-law.md).

Every field of the child's record and every history row; the household the child lives in
(never its other members); the caregivers; the consents given about the child; the requests
made about the child; the cases the
officer judged the requester may know of, without the reporter or anything naming another
person; and the access log of those records. The groups of circumstances that reveal abuse
go with the cases: withheld when no case is given (the requester may be the person who
harmed the child), and the export says that something was withheld and why."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from treem.accounts.permissions import RESTRICTED_CIRCUMSTANCE_GROUPS
from treem.accounts.roles import Role
from treem.audit.models import Action, AuditEvent
from treem.cases.models import Case, CaseAbuse, CaseEvent, PlanItem, Referral
from treem.privacy.models import SubjectRequest
from treem.registry.models import (
    Caregiver,
    Child,
    ChildCircumstance,
    ChildConsent,
    ChildResidence,
    ChildRisk,
    ChildStatusPast,
    ChildSupport,
)

CHILD_FIELDS = (
    "full_name", "sex", "birth_date", "birth_date_precision", "ethnicity", "nationality",
    "personal_id", "birth_registered", "commune", "village", "residence_type",
    "living_arrangement", "school_level", "school_status", "disability_type",
    "disability_degree", "health_insurance", "vaccination_status", "nutrition_status",
    "death_date", "death_cause", "created_at", "updated_at")
UNKNOWN_CASE = _lazy("Hồ sơ không có hoặc không phải của trẻ này.")
# Past this many, the oldest reads of the record are counted, not listed.
ACCESS_LOG_ROWS = 2000


@dataclass(frozen=True)
class Item:
    """One value: the field's code (for machines), its label and its text (for people)."""

    field: str
    label: str
    value: Any
    text: str


@dataclass
class Section:
    key: str
    title: str
    rows: list[list[Item]] = field(default_factory=list)


@dataclass
class Holdings:
    generated_at: datetime.datetime
    request: SubjectRequest
    child: list[Item]
    sections: list[Section]
    withheld: list[str]
    access_log: list[dict[str, str]]
    access_log_more: int

    def as_json(self) -> dict[str, Any]:
        def items(row: list[Item]) -> dict[str, Any]:
            return {i.field: {"label": i.label, "value": _plain(i.value), "text": i.text}
                    for i in row}

        return {
            "generated_at": self.generated_at.isoformat(),
            "request": {"id": str(self.request.public_id), "kind": self.request.kind,
                        "received_on": self.request.received_on.isoformat()},
            "child": items(self.child),
            **{s.key: [items(row) for row in s.rows] for s in self.sections},
            "withheld": self.withheld,
            "access_log": self.access_log,
            "access_log_not_listed": self.access_log_more,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def _text(obj: models.Model, name: str) -> tuple[Any, str]:
    value = getattr(obj, name)
    display = getattr(obj, f"get_{name}_display", None)
    if value in (None, ""):
        return value, ""
    if display is not None:
        return value, str(display())
    if isinstance(value, bool):
        return value, _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return value, timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value, value.strftime("%d/%m/%Y")
    if isinstance(value, models.Model):
        return value, str(getattr(value, "name", value))
    return value, str(value)


def _items(obj: models.Model, names: tuple[str, ...]) -> list[Item]:
    rows = []
    for name in names:
        label = getattr(obj._meta.get_field(name), "verbose_name", name)
        value, text = _text(obj, name)
        rows.append(Item(field=name, label=str(label), value=value,
                         text=text))
    return rows


HISTORY = ("start_date", "end_date", "source", "note")


def _restricted(child_field: str = "") -> Q:
    return (Q(**{f"{child_field}group__code__in": RESTRICTED_CIRCUMSTANCE_GROUPS})
            | Q(**{f"{child_field}group__parent__code__in": RESTRICTED_CIRCUMSTANCE_GROUPS}))


def assemble(*, request: SubjectRequest, cases: list[Case]) -> Holdings:
    """The holdings of the request's child, with `cases` (already checked to be the child's
    and visible to the officer) as the cases the requester may know of."""
    child: Child = request.child
    children = [child.pk, *Child.objects.filter(merged_into=child).values_list("pk", flat=True)]
    sections: list[Section] = []
    withheld: list[str] = []

    household = child.household
    if household is not None:
        sections.append(Section("household", _("Hộ gia đình"), [
            _items(household, ("head_name", "address", "phone", "poverty_status"))]))
    caregivers = Caregiver.objects.filter(child=child).order_by("id")
    sections.append(Section("caregivers", _("Người chăm sóc"), [
        _items(c, ("full_name", "relation", "birth_year", "phone", "is_primary"))
        for c in caregivers]))

    circumstances = (ChildCircumstance.objects.filter(child_id__in=children)
                     .select_related("group").order_by("start_date", "id"))
    if not cases:
        hidden = circumstances.filter(_restricted()).count()
        circumstances = circumstances.exclude(_restricted())
        if hidden:
            withheld.append(_("Một số thông tin về hoàn cảnh của trẻ gắn với hồ sơ bảo vệ trẻ em "
                              "không được cung cấp theo yêu cầu này, để bảo vệ an toàn của trẻ "
                              "(Luật Trẻ em 2016 Điều 21; Luật Bảo vệ dữ liệu cá nhân)."))
    sections.append(Section("circumstances", _("Hoàn cảnh đặc biệt"), [
        [Item("group", _("nhóm"), row.group.code, f"{row.group.code}. {row.group.name}"),
         *_items(row, HISTORY)] for row in circumstances]))
    sections.append(Section("risks", _("Nguy cơ"), [
        _items(row, ("flag", *HISTORY))
        for row in ChildRisk.objects.filter(child_id__in=children).order_by("start_date", "id")]))
    sections.append(Section("supports", _("Hỗ trợ đã nhận"), [
        _items(row, ("kind", "provider", *HISTORY))
        for row in ChildSupport.objects.filter(child_id__in=children)
        .order_by("start_date", "id")]))
    sections.append(Section("residences", _("Nơi cư trú"), [
        _items(row, ("commune", "village", "residence_type", *HISTORY))
        for row in ChildResidence.objects.filter(child_id__in=children)
        .select_related("commune", "village").order_by("start_date", "id")]))
    sections.append(Section("statuses_past", _("Tình trạng trước đây"), [
        _items(row, ("field", "value", "start_date", "end_date", "source"))
        for row in ChildStatusPast.objects.filter(child_id__in=children)
        .order_by("end_date", "id")]))
    # The consents given (and withdrawn) to name the child, use its photo or tell its story
    # (Luật 91/2025/QH15 Điều 24): who gave them, for what, until when.
    sections.append(Section("consents", _("Sự đồng ý"), [
        _items(row, ("purpose", "representative_name", "relation", "child_agreed", "given_on",
                     "withdrawn_on"))
        for row in ChildConsent.objects.filter(child_id__in=children).order_by("given_on",
                                                                               "id")]))
    sections.append(Section("requests", _("Yêu cầu về dữ liệu của trẻ"), [
        _items(row, ("kind", "received_on", "due_on", "status", "decision", "answered_on"))
        for row in SubjectRequest.objects.filter(child_id__in=children).order_by("received_on",
                                                                                 "id")]))
    sections.append(_cases(cases))
    log, more = _access_log(child, children, cases)
    return Holdings(generated_at=timezone.now(), request=request,
                    child=_items(child, CHILD_FIELDS), sections=sections, withheld=withheld,
                    access_log=log, access_log_more=more)


def _cases(cases: list[Case]) -> Section:
    """Each case as its steps, forms of harm, referrals and planned services: never the
    notification (its reporter), the narratives, the person suspected, nor the places a child
    was taken to for safety."""
    section = Section("cases", _("Hồ sơ bảo vệ trẻ em"))
    ids = [c.pk for c in cases]
    abuses: dict[int, list[str]] = {}
    for a in CaseAbuse.objects.filter(case_id__in=ids).order_by("id"):
        abuses.setdefault(a.case_id, []).append(str(a.get_form_display()))
    steps: dict[int, list[str]] = {}
    for e in CaseEvent.objects.filter(case_id__in=ids).order_by("at", "id"):
        steps.setdefault(e.case_id, []).append(
            f"{timezone.localtime(e.at):%d/%m/%Y}: {e.get_to_status_display()}")
    referrals: dict[int, list[str]] = {}
    for r in Referral.objects.filter(case_id__in=ids).order_by("id"):
        referrals.setdefault(r.case_id, []).append(
            f"{r.get_service_display()} — {r.organisation} ({r.get_status_display()})")
    services: dict[int, list[str]] = {}
    for p in (PlanItem.objects.filter(plan__case_id__in=ids).select_related("plan")
              .order_by("starts_on", "id")):
        services.setdefault(p.plan.case_id, []).append(
            f"{p.task} ({p.starts_on:%d/%m/%Y}–{p.ends_on:%d/%m/%Y})")
    for case in cases:
        number = f"{case.number}/{case.number_year}" if case.number else ""
        section.rows.append([
            Item("number", _("số hồ sơ"), number, number),
            *_items(case, ("received_at", "status", "close_reason", "closed_at")),
            Item("abuse", _("hình thức xâm hại"), abuses.get(case.pk, []),
                 "; ".join(abuses.get(case.pk, []))),
            Item("steps", _("các bước"), steps.get(case.pk, []), "; ".join(steps.get(case.pk, []))),
            Item("referrals", _("chuyển gửi"), referrals.get(case.pk, []),
                 "; ".join(referrals.get(case.pk, []))),
            Item("services", _("dịch vụ hỗ trợ"), services.get(case.pk, []),
                 "; ".join(services.get(case.pk, []))),
        ])
    return section


def _access_log(child: Child, children: list[int], cases: list[Case]
                ) -> tuple[list[dict[str, str]], int]:
    """Who opened, changed, printed or exported the child's record, its caregivers and the
    cases given: when, as which role, at which unit, why."""
    ids = [str(p) for p in Child.objects.filter(pk__in=children).values_list("public_id",
                                                                               flat=True)]
    caregivers = [str(p) for p in Caregiver.objects.filter(child_id__in=children)
                  .values_list("public_id", flat=True)]
    consents = [str(p) for p in ChildConsent.objects.filter(child_id__in=children)
                .values_list("public_id", flat=True)]
    where = (Q(object_type="registry.child", object_id__in=ids)
             | Q(object_type="registry.caregiver", object_id__in=caregivers)
             | Q(object_type="registry.childconsent", object_id__in=consents)
             | Q(object_type="cases.case", object_id__in=[str(c.public_id) for c in cases]))
    events = AuditEvent.objects.filter(where).exclude(
        action__in=[Action.LOGIN, Action.LOGOUT]).select_related("actor", "unit")
    total = events.count()
    roles = dict(Role.choices)
    actions = dict(Action.choices)
    rows = []
    for event in events.order_by("-at", "-id")[:ACCESS_LOG_ROWS]:
        actor = event.actor
        rows.append({
            "at": timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M"),
            "who": (getattr(actor, "full_name", "") or event.actor_username or _("hệ thống")),
            "roles": ", ".join(str(roles.get(r, r)) for r in event.roles.split(",") if r),
            "unit": event.unit.name if event.unit is not None else "",
            "action": str(actions.get(event.action, event.action)),
            "record": {"registry.child": _("hồ sơ trẻ em"), "registry.caregiver":
                       _("người chăm sóc"), "registry.childconsent": _("sự đồng ý"),
                       "cases.case": _("hồ sơ bảo vệ")}.get(event.object_type,
                                                            event.object_type),
            "why": _why(event),
        })
    return rows, max(total - ACCESS_LOG_ROWS, 0)


def _why(event: AuditEvent) -> str:
    if event.action == Action.EXPORT and "subject_export" in event.changed_fields:
        return _("trả lời yêu cầu của chủ thể dữ liệu")
    if event.action == Action.UPDATE:
        return _("cập nhật: %(fields)s") % {"fields": ", ".join(event.changed_fields)}
    if event.action == Action.VIEW:
        return _("công việc bảo vệ trẻ em (xem hồ sơ)")
    return str(event.get_action_display())
