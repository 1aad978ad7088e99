"""Local plans over the API (`/local-plans`: `/plans` are the support plans of cases): the
plans a user sees, a plan with its tasks and agencies, and a plan written by who keeps it.
A task on its own is `plans.task_api`, a progress report `plans.progress_api`, a plan's
implementation report `plans.implementation_api`."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import (
    VERSIONED_READ,
    VERSIONED_WRITE,
    ConflictOut,
    Day,
    ErrorOut,
    Input,
    Page,
    Text,
    Whole,
    etag,
    if_match,
    invalid,
    model_text,
    not_found,
    refusal,
    require,
)
from treem.plans import selectors, services
from treem.plans.models import Agency, Plan, PlanStatus, Task


class AgencyOut(Schema):
    id: uuid.UUID
    name: str
    short_name: str
    kind: str
    unit: str

    @staticmethod
    def resolve_id(a: Agency) -> uuid.UUID:
        return a.public_id

    @staticmethod
    def resolve_unit(a: Agency) -> str:
        return a.unit.code


class LocalPlanOut(Schema):
    id: uuid.UUID
    number: str
    issued_on: datetime.date | None
    title: str
    issuer_name: str
    unit: str
    start_year: int
    end_year: int
    status: str
    implements: uuid.UUID | None
    indicator_set: str | None
    version: int

    @staticmethod
    def resolve_id(p: Plan) -> uuid.UUID:
        return p.public_id

    @staticmethod
    def resolve_unit(p: Plan) -> str:
        return p.unit.code

    @staticmethod
    def resolve_implements(p: Plan) -> uuid.UUID | None:
        return p.implements.public_id if p.implements_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_indicator_set(p: Plan) -> str | None:
        return p.indicator_set.code if p.indicator_set_id else None  # type: ignore[union-attr]


class TaskOut(Schema):
    id: uuid.UUID
    section: str
    heading: str
    text: str
    lead: uuid.UUID
    cooperating: list[uuid.UUID]
    time_frame: str
    year: int | None
    quarter: int | None
    month: int | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    time_text: str
    report_to: uuid.UUID | None
    report_due_text: str
    expected_output: str
    version: int

    @staticmethod
    def resolve_id(t: Task) -> uuid.UUID:
        return t.public_id

    @staticmethod
    def resolve_lead(t: Task) -> uuid.UUID:
        return t.lead.public_id

    @staticmethod
    def resolve_cooperating(t: Task) -> list[uuid.UUID]:
        return [a.public_id for a in t.cooperating.all()]

    @staticmethod
    def resolve_report_to(t: Task) -> uuid.UUID | None:
        return t.report_to.public_id if t.report_to_id else None  # type: ignore[union-attr]


class DocumentOut(Schema):
    """A document of the plan; its file is read at /plan-documents/{id}."""

    id: uuid.UUID
    title: str
    name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime

    @staticmethod
    def resolve_id(d: Any) -> uuid.UUID:
        return d.public_id


class LocalPlanDetailOut(LocalPlanOut):
    legal_basis: str
    agencies: list[AgencyOut]
    tasks: list[TaskOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_documents(p: Plan) -> list[Any]:
        return list(p.attachments.all())

    @staticmethod
    def resolve_agencies(p: Plan) -> list[Agency]:
        return p.agency_list  # type: ignore[attr-defined]

    @staticmethod
    def resolve_tasks(p: Plan) -> list[Task]:
        return p.task_list  # type: ignore[attr-defined]


class LocalPlanFilter(Input):
    q: Annotated[str, Text(100)] = ""
    status: PlanStatus | None = None
    year: Annotated[int, Whole(2000, 2100, query=True)] | None = None


router = Router(tags=["plans"], auth=API_AUTH)


@router.get("/local-plans", response=list[LocalPlanOut], summary="Các kế hoạch của địa phương")
@paginate(Page, page_size=50)
def local_plan_list(request: AuthedRequest, filters: Query[LocalPlanFilter]) -> Any:
    """The plans you see: your units', those above them that they carry out, and those of the
    units under them; newest first."""
    require(request, Capability.VIEW_PLANS)
    return selectors.plan_list(user=request.user, filters=selectors.PlanFilters(
        q=filters.q, status=filters.status or "", year=filters.year)).select_related(
        "implements", "indicator_set")


@router.get("/local-plans/{plan_id}", response=LocalPlanDetailOut,
            summary="Một kế hoạch của địa phương và các nhiệm vụ", openapi_extra=VERSIONED_READ)
def local_plan_detail(request: AuthedRequest, plan_id: uuid.UUID,
                      response: HttpResponse) -> Plan:
    """A plan you see with its agencies and tasks; its ETag is the version to name in
    If-Match when changing it."""
    require(request, Capability.VIEW_PLANS)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id)
    response["ETag"] = etag(plan.version)
    plan.task_list = selectors.plan_tasks(plan=plan)  # type: ignore[attr-defined]
    plan.agency_list = selectors.plan_agencies(plan=plan)  # type: ignore[attr-defined]
    return plan


# --- Writing plans ----------------------------------------------------------------------------

class LocalPlanIn(Input):
    unit: Annotated[str, Text(20)]  # the code of a unit whose plans you keep
    title: Annotated[str, model_text(Plan, "title")]
    number: Annotated[str, model_text(Plan, "number")] = ""
    issued_on: Day | None = None
    issuer_name: Annotated[str, model_text(Plan, "issuer_name")] = ""
    legal_basis: Annotated[str, Text(services.LIMITS["legal_basis"], multiline=True)] = ""
    start_year: Annotated[int, Whole(2000, 2100)]
    end_year: Annotated[int, Whole(2000, 2100)]
    status: PlanStatus = PlanStatus.IN_FORCE
    implements: uuid.UUID | None = None


class LocalPlanPatch(Input):
    """The fields to change, and only those; null clears a field that may be blank."""

    title: Annotated[str, model_text(Plan, "title")] | None = None
    number: Annotated[str, model_text(Plan, "number")] | None = None
    issued_on: Day | None = None
    issuer_name: Annotated[str, model_text(Plan, "issuer_name")] | None = None
    legal_basis: Annotated[str, Text(services.LIMITS["legal_basis"], multiline=True)] | None = None
    start_year: Annotated[int, Whole(2000, 2100)] | None = None
    end_year: Annotated[int, Whole(2000, 2100)] | None = None
    implements: uuid.UUID | None = None


NOT_NULL = _("Không nhận null: hãy bỏ trường này đi nếu không sửa nó.")
PLAN_NOT_HIGHER = _("Không có kế hoạch này trong các kế hoạch của đơn vị hoặc cấp trên mà bạn "
                    "xem được.")
PLAN_TEXTS = ("number", "issuer_name", "legal_basis")


def _blank_nulls(fields: dict[str, Any], *, required: tuple[str, ...],
                 texts: tuple[str, ...]) -> dict[str, Any]:
    """A patch's fields: null refused for a field that is never blank, a blank text for one
    that may be."""
    for name in required:
        if name in fields and fields[name] is None:
            raise invalid(name, NOT_NULL)
    return {name: "" if name in texts and value is None else value
            for name, value in fields.items()}


def _implements(request: AuthedRequest, unit: Any, plan_id: uuid.UUID | None) -> Plan | None:
    if plan_id is None:
        return None
    found = selectors.plans_to_implement(user=request.user, units=[unit]).filter(
        public_id=plan_id).first()
    if found is None:
        raise invalid("implements", PLAN_NOT_HIGHER)
    return found


@router.post("/local-plans", response={201: LocalPlanOut}, summary="Một kế hoạch mới của địa phương")
def local_plan_create(request: AuthedRequest, data: LocalPlanIn, response: HttpResponse) -> Plan:
    """A plan of a unit whose plans you keep, named by its code (a unit you do not keep is
    not found, like one that does not exist); `implements`: a plan of the same unit or above."""
    require(request, Capability.MANAGE_PLANS)
    fields = data.dict()
    code = fields.pop("unit")
    unit = next((u for u in selectors.units_to_plan(user=request.user) if u.code == code), None)
    if unit is None:
        raise not_found()
    fields["implements"] = _implements(request, unit, fields["implements"])
    try:
        plan = services.plan_create(actor=request.user, unit=unit, **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(plan.version)
    return plan


@router.patch("/local-plans/{plan_id}", response={200: LocalPlanOut, 412: ConflictOut, 428: ErrorOut},
              summary="Sửa một kế hoạch của địa phương", openapi_extra=VERSIONED_WRITE)
def local_plan_update(request: AuthedRequest, plan_id: uuid.UUID, data: LocalPlanPatch,
                      response: HttpResponse) -> Plan:
    """Change fields of a plan you keep, read at the version named in If-Match (its ETag):
    412 with the fields changed since and both values, nothing written. Its years may not
    leave out a year its tasks or progress reports have (422)."""
    require(request, Capability.MANAGE_PLANS)
    plan = selectors.get_plan_for_user(user=request.user, plan_id=plan_id, for_write=True)
    base_version = if_match(request)
    fields = _blank_nulls(data.dict(exclude_unset=True), texts=PLAN_TEXTS,
                          required=("title", "start_year", "end_year"))
    if "implements" in fields:
        fields["implements"] = _implements(request, plan.unit, fields["implements"])
    try:
        plan = services.plan_update(actor=request.user, plan=plan, base_version=base_version,
                                    **fields)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response["ETag"] = etag(plan.version)
    return plan

