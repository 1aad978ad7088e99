"""The needs list and what answers it, over the API: needs proposed by the commune and decided
by the province, allocations of the fund's money or goods to them (with the
double-beneficiary check), deliveries with their proofs.

A child's name is given only to who may read the child in the register now (an audited read,
`needs.names_shown`); everyone else reads the need's reference. An allocation, its delivery
and its proofs are read by who reads the need's commune."""

import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.api_support import (
    ApiError,
    BodyBool,
    Day,
    Input,
    Page,
    Text,
    Whole,
    invalid,
    not_found,
    refusal,
    require,
)
from treem.fund import allocations, needs, needs_selectors
from treem.fund import exceptions as exc
from treem.fund.api import conflict
from treem.fund.api_ledger import bucket_of
from treem.fund.api_schemas import (
    RESTRICTION_ID_MAX,
    AllocationOut,
    DeliveryOut,
    DoubleBeneficiaryOut,
    Money,
    NeedDetailOut,
    NeedFilter,
    NeedIn,
    NeedOut,
    Quantity,
    Reason,
    ReasonIn,
)
from treem.fund.beneficiaries import DoubleBeneficiary
from treem.fund.matching import with_remaining
from treem.fund.models import Allocation, AllocationStatus, Delivery, Need, NeedKind, ProofKind
from treem.geo.models import Level, Unit
from treem.ui import uploads

router = Router(tags=["fund needs"], auth=API_AUTH)

# The register's "not found" of a beneficiary: outside the caller's scope, answered 404 as
# every object named in a body is.
BENEFICIARY_NOT_FOUND = {str(exc.CHILD_NOT_FOUND), str(exc.HOUSEHOLD_NOT_FOUND),
                         str(exc.COMMUNE_NOT_FOUND)}
# Optional to the schema, so that the scope is answered first (404, 403), then this.
DAY_REQUIRED = _("Hãy ghi ngày trao (YYYY-MM-DD).")
NO_DAY, NO_NOTE = Form(None), Form("")
NO_SUCH_KIND = _("Không có loại nhu cầu này (hoặc đã ngừng dùng).")
# Several files under each kind; at most MAX_PROOFS in all (checked before any is read).
PROOF_FILES = File(None, max_length=allocations.MAX_PROOFS)
BINARY = {"schema": {"type": "string", "format": "binary"}}
A_FILE = {"responses": {200: {"description": "Tệp (PDF tải về; ảnh hiển thị).",
                              "content": {kind: BINARY for kind in uploads.EXTENSIONS}}}}


class DecisionIn(Input):
    approve: BodyBool
    reason: Reason = ""  # a refusal's: at least 10 characters


class BucketIn(Input):
    """Where the money or goods come from: an earmark held by the fund (its `id`; absent, the
    fund's unrestricted money), the campaign that raised them, the goods lot."""

    restriction: Annotated[int, Whole(1, RESTRICTION_ID_MAX)] | None = None
    campaign: uuid.UUID | None = None
    lot: uuid.UUID | None = None


class AllocationIn(Input):
    need: uuid.UUID  # an approved need
    bucket: BucketIn
    amount: Money | None = None        # money
    quantity: Quantity | None = None  # goods of the bucket's lot (valued at their share)
    # A second support of the same kind in the period, given anyway: why (10 characters+).
    override_reason: Reason = ""


class AllocationFilter(Input):
    status: AllocationStatus | None = None
    need: uuid.UUID | None = None


# --- Needs ---------------------------------------------------------------------------------------

def show(user: User, found: list[Need]) -> list[Need]:
    """The needs with the names of the children `user` may read in the register (audited)."""
    names = needs.names_shown(user=user, needs=found)
    for need in found:
        need.shown_name = names.get(need.pk)  # type: ignore[attr-defined]
    return found


class NeedsPage(Page):
    """A page of needs, with only its own children's names read (and audited)."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest,
                          **params: Any) -> Any:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result["items"] = show(request.user, list(result["items"]))  # type: ignore[arg-type]
        return result


def needs_of(user: User) -> QuerySet[Need]:
    return with_remaining(needs.needs_for(user=user).select_related("child"))  # type: ignore[return-value]


def _need(request: AuthedRequest, need_id: uuid.UUID) -> NeedDetailOut:
    need = needs.get_need_for_user(user=request.user, need_id=need_id)
    found = show(request.user, [needs_of(request.user).get(pk=need.pk)])[0]
    found.priority_reasons = needs.priority_reasons(found)  # type: ignore[attr-defined]
    return found  # type: ignore[return-value]


@router.get("/needs", response=list[NeedOut], summary="Danh sách nhu cầu của trẻ em")
@paginate(NeedsPage, page_size=50)
def need_list(request: AuthedRequest, filters: Query[NeedFilter]) -> Any:
    """The needs of your area, highest priority first; filter by `status`, `kind` (a kind's
    code) and `year`. `child_name` only for the children you may read in the register."""
    require(request, Capability.VIEW_NEEDS)
    kind = NeedKind.objects.filter(code=filters.kind).first() if filters.kind else None
    if filters.kind and kind is None:
        return Need.objects.none()  # a kind that does not exist has no needs
    found = with_remaining(needs_selectors.need_list(user=request.user, filters=(
        needs_selectors.NeedFilters(status=filters.status or "", kind=kind,
                                    year=filters.year))).select_related("child"))
    return found.order_by("-priority", "proposed_at", "id")


@router.get("/needs/{need_id}", response=NeedDetailOut,
            summary="Một nhu cầu, lý do ưu tiên và các phân bổ")
def need_detail(request: AuthedRequest, need_id: uuid.UUID) -> Any:
    require(request, Capability.VIEW_NEEDS)
    return _need(request, need_id)


@router.post("/needs", response={201: NeedDetailOut}, summary="Đề xuất một nhu cầu")
def need_create(request: AuthedRequest, data: NeedIn) -> Any:
    """The commune's officer proposes a need for a child or household of the register they
    read (anything else is 404, alike), or for their commune or one of its facilities; its
    priority comes from the fund's rules. The same need twice is refused (422)."""
    require(request, Capability.PROPOSE_NEEDS)
    kind = NeedKind.objects.filter(code=data.kind, active=True).first()
    if kind is None:
        raise invalid("kind", NO_SUCH_KIND)
    commune = (Unit.objects.current().filter(level=Level.COMMUNE, code=data.commune).first()
               if data.commune else None)
    if data.commune and commune is None:
        raise not_found()
    try:
        need = needs.need_propose(
            actor=request.user, kind=kind, beneficiary=data.beneficiary,
            description=data.description, amount=data.amount, year=data.year,
            child_id=data.child, household_id=data.household,
            commune_id=commune.public_id if commune else None, facility=data.facility,
            programme=data.programme)
    except PermissionDenied as error:
        raise not_found() from error  # a commune outside the caller's: as one that is not
    except ValidationError as error:
        if set(error.messages) <= BENEFICIARY_NOT_FOUND:
            raise not_found() from error
        raise refusal(error) from error
    return Status(201, _need(request, need.public_id))


@router.post("/needs/{need_id}/decision", response=NeedDetailOut,
             summary="Duyệt hoặc không duyệt một nhu cầu")
def need_decision(request: AuthedRequest, need_id: uuid.UUID, data: DecisionIn) -> Any:
    """The province's officer decides a proposed need (a refusal gives its `reason`, 10
    characters or more); one decided already is 409."""
    require(request, Capability.APPROVE_NEEDS)
    need = needs.get_need_for_user(user=request.user, need_id=need_id)
    try:
        needs.need_decide(actor=request.user, need=need, approve=data.approve, reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise conflict(error, "need") from error
    return _need(request, need_id)


@router.post("/needs/{need_id}/cancel", response=NeedDetailOut, summary="Hủy một nhu cầu")
def need_cancel(request: AuthedRequest, need_id: uuid.UUID, data: ReasonIn) -> Any:
    """Withdrawn by the commune (10 characters of reason or more) while nothing is allocated
    to it (409 otherwise)."""
    require(request, Capability.PROPOSE_NEEDS)
    need = needs.get_need_for_user(user=request.user, need_id=need_id)
    try:
        needs.need_cancel(actor=request.user, need=need, reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise conflict(error, "need") from error
    return _need(request, need_id)


# --- Allocations ---------------------------------------------------------------------------------

def allocations_for(user: User) -> QuerySet[Allocation]:
    """The allocations of the needs' communes the user reads, with what their answers read."""
    return needs_selectors.allocations_for(user=user).select_related(
        "fund", "restriction__unit", "restriction__need_kind", "delivery")


def _allocation(user: User, allocation_id: uuid.UUID) -> Allocation:
    found = needs_selectors.get_allocation_for_user(user=user, allocation_id=allocation_id)
    return allocations_for(user).get(pk=found.pk)


@router.get("/allocations", response=list[AllocationOut], summary="Các phân bổ hỗ trợ")
@paginate(Page, page_size=50)
def allocation_list(request: AuthedRequest, filters: Query[AllocationFilter]) -> Any:
    """The allocations to the needs of your area, newest first; by `status` or `need`."""
    require(request, Capability.VIEW_NEEDS)
    found = allocations_for(request.user)
    if filters.status is not None:
        found = found.filter(status=filters.status)
    if filters.need is not None:
        found = found.filter(need__public_id=filters.need)
    return found.order_by("-created_at", "-id")


@router.get("/allocations/{allocation_id}", response=AllocationOut,
            summary="Một phân bổ hỗ trợ")
def allocation_detail(request: AuthedRequest, allocation_id: uuid.UUID) -> Allocation:
    require(request, Capability.VIEW_NEEDS)
    return _allocation(request.user, allocation_id)


def _overlaps(error: DoubleBeneficiary) -> Status:
    detail = " ".join(error.messages)
    return Status(409, {"detail": detail, "code": "conflict", "overlaps": error.found, "errors": [
        {"loc": ["body", "override_reason"], "msg": detail, "type": "double_beneficiary"}]})


@router.post("/allocations", response={201: AllocationOut, 409: DoubleBeneficiaryOut},
             summary="Phân bổ tiền, hàng của quỹ cho một nhu cầu đã duyệt")
def allocation_create(request: AuthedRequest, data: AllocationIn) -> Any:
    """Money (`amount`) or goods of the bucket's lot (`quantity`) for an approved need, within
    the bucket's balance and what the need still lacks; above the fund's threshold it waits
    for the approver. The same beneficiary with a support of the same kind in the period (from
    the fund, another donor or the register) is 409 listing each `overlaps`, nothing written,
    unless `override_reason` says why (audited)."""
    require(request, Capability.MANAGE_FUND)
    need = needs.get_need_for_user(user=request.user, need_id=data.need)
    bucket = bucket_of(need.fund, data.bucket.restriction, data.bucket.campaign,
                       data.bucket.lot)
    try:
        made = allocations.allocate(actor=request.user, need=need, bucket=bucket,
                                    amount=data.amount or 0, quantity=data.quantity or 0,
                                    override_reason=data.override_reason)
    except DoubleBeneficiary as error:
        return _overlaps(error)
    except ValidationError as error:
        if hasattr(error, "error_dict") and "restriction" in error.error_dict:
            error = ValidationError({"bucket": error.error_dict["restriction"]})
        raise conflict(error, "need") from error
    except PermissionDenied as error:
        raise refusal(error) from error
    return Status(201, _allocation(request.user, made.public_id))


@router.post("/allocations/{allocation_id}/decision", response=AllocationOut,
             summary="Lãnh đạo phê duyệt hoặc không phê duyệt một phân bổ")
def allocation_decision(request: AuthedRequest, allocation_id: uuid.UUID,
                        data: DecisionIn) -> Allocation:
    """An allocation above the fund's threshold, never by its own maker (403); a refusal
    (`reason`, 10 characters or more) gives the money back. One not waiting is 409."""
    require(request, Capability.APPROVE_ALLOCATIONS)
    found = _allocation(request.user, allocation_id)
    try:
        allocations.allocation_decide(actor=request.user, allocation=found,
                                      approve=data.approve, reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise conflict(error, "allocation") from error
    return _allocation(request.user, allocation_id)


@router.post("/allocations/{allocation_id}/cancel", response=AllocationOut,
             summary="Hủy một phân bổ chưa trao")
def allocation_cancel(request: AuthedRequest, allocation_id: uuid.UUID,
                      data: ReasonIn) -> Allocation:
    """Its money or goods go back to their bucket; one delivered or cancelled is 409."""
    require(request, Capability.MANAGE_FUND)
    found = _allocation(request.user, allocation_id)
    try:
        allocations.allocation_cancel(actor=request.user, allocation=found, reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise conflict(error, "allocation") from error
    return _allocation(request.user, allocation_id)


# --- Deliveries -------------------------------------------------------------------------------

def _proofs(kind: str, files: list[UploadedFile] | None) -> list[allocations.Proof]:
    """Each file's size is refused before it is read into memory."""
    found = []
    for file in files or []:
        if (too_large := uploads.size_refusal(file.size)) is not None:
            raise ApiError(422, f"{kind}: {too_large}", [
                {"loc": ["body", kind], "msg": too_large, "type": "too_large"}])
        found.append(allocations.Proof(kind, file.read(), file.name or ""))
    return found


@router.post("/allocations/{allocation_id}/delivery", response={201: DeliveryOut},
             summary="Ghi nhận đã trao hỗ trợ, kèm minh chứng")
def delivery_create(request: AuthedRequest, allocation_id: uuid.UUID,
                    delivered_on: Day | None = NO_DAY,
                    note: Annotated[str, Text(500)] = NO_NOTE,
                    signed_receipt: list[UploadedFile] | None = PROOF_FILES,
                    photo: list[UploadedFile] | None = PROOF_FILES) -> Delivery:
    """multipart/form-data: `delivered_on`, `note`, and one to five files in all, each under
    its kind: `signed_receipt` (the signed receipt) and `photo` (PDF, JPEG or PNG; photos lose
    their location). An allocation cancelled, waiting for the approver or delivered already
    is 409."""
    require(request, Capability.RECORD_DELIVERIES)
    found = _allocation(request.user, allocation_id)
    if delivered_on is None:
        raise invalid("delivered_on", DAY_REQUIRED)
    if len(signed_receipt or []) + len(photo or []) > allocations.MAX_PROOFS:
        raise invalid("proofs", exc.TOO_MANY_PROOFS % {"n": allocations.MAX_PROOFS})
    proofs = (_proofs(ProofKind.SIGNED_RECEIPT, signed_receipt)
              + _proofs(ProofKind.PHOTO, photo))
    try:
        delivery = allocations.delivery_record(actor=request.user, allocation=found,
                                               delivered_on=delivered_on, proofs=proofs,
                                               note=note)
    except (ValidationError, PermissionDenied) as error:
        raise conflict(error, "allocation") from error
    return delivery


def _deliveries(user: User) -> QuerySet[Delivery]:
    return Delivery.objects.filter(allocation__in=allocations_for(user)).select_related(
        "allocation")


@router.get("/deliveries/{delivery_id}", response=DeliveryOut,
            summary="Một lần trao hỗ trợ và minh chứng")
def delivery_detail(request: AuthedRequest, delivery_id: uuid.UUID) -> Delivery:
    require(request, Capability.VIEW_NEEDS)
    found = _deliveries(request.user).filter(public_id=delivery_id).first()
    if found is None:
        raise not_found()
    return found


@router.get("/delivery-proofs/{proof_id}", summary="Tệp minh chứng của một lần trao hỗ trợ",
            openapi_extra=A_FILE)
def delivery_proof_file(request: AuthedRequest, proof_id: uuid.UUID) -> FileResponse:
    require(request, Capability.VIEW_NEEDS)
    found = needs_selectors.get_proof_for_user(user=request.user, proof_id=proof_id)
    return uploads.file_response(found)
