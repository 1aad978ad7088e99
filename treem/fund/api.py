"""The fund over the API: the funds a user reads with their balances, donors, campaigns,
pledges and goods received. Receipts, journals, matching and the statement import are
`treem.fund.api_ledger`; needs, allocations and deliveries `treem.fund.api_needs`.

The same services and scope as the pages: a fund outside the caller's scope is 404, one it
reads but does not keep 403; an object named in a body that is not the fund's is 404 alike.
Every amount is a JSON integer of đồng."""

import uuid
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from ninja import Query, Router, Status
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.api_support import (
    ApiError,
    Page,
    ReadConflictOut,
    invalid,
    not_found,
    read_conflict_body,
    refusal,
    require,
)
from treem.edits.conflicts import EditConflict
from treem.fund import balances, gifts, ledger_selectors, needs, selectors, services
from treem.fund import exceptions as exc
from treem.fund.api_schemas import (
    CampaignIn,
    CampaignOut,
    DonorDetailOut,
    DonorFilter,
    DonorIn,
    DonorListOut,
    DonorOut,
    FundDetailOut,
    FundOut,
    GiftFilter,
    GoodsIn,
    GoodsLotOut,
    PledgeIn,
    PledgeOut,
    RestrictionIn,
)
from treem.fund.api_schemas_areas import AreaId, AreaIn, AreaOut, AreaPatch
from treem.fund.models import (
    Account,
    Area,
    Campaign,
    Donor,
    Fund,
    GoodsLot,
    NeedKind,
    Pledge,
    Restriction,
    RestrictionKind,
)
from treem.geo.models import Unit

router = Router(tags=["fund"], auth=API_AUTH)
M = TypeVar("M", bound=models.Model)
ACCOUNTS = [account.value for account in Account]


# --- What every module of the fund's API shares ------------------------------------------------

def of_fund(model: type[M], fund: Fund, public_id: uuid.UUID | None) -> M | None:
    """The fund's object of that id named in a body (a donor, a campaign, a pledge, a lot):
    404 when it is not the fund's, like one that does not exist."""
    if public_id is None:
        return None
    found = model._default_manager.filter(fund=fund, public_id=public_id).first()  # type: ignore[misc]
    if found is None:
        raise not_found()
    return found


def nested(error: ValidationError, prefix: str) -> ApiError:
    """A service's refusal of a nested object (the earmark of a gift): each message at
    ["body", prefix, field]."""
    if hasattr(error, "error_dict"):
        items = [(field, " ".join(str(m) for m in messages))
                 for field, messages in error.message_dict.items()]
    else:
        items = [(prefix, " ".join(error.messages))]
    errors = [{"loc": ["body", prefix, *([] if field in (prefix, "__all__") else [field])],
               "msg": text, "type": "invalid"} for field, text in items]
    detail = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in errors)
    return ApiError(422, detail, errors)


def conflict(error: ValidationError | PermissionDenied, *fields: str) -> ApiError:
    """A refusal about the object's state (a need decided already, an allocation cancelled, a
    journal reversed) is a conflict, 409; any other is `refusal`'s 422 or 403."""
    if (isinstance(error, ValidationError) and hasattr(error, "error_dict")
            and set(error.message_dict) <= set(fields)):
        return ApiError(409, " ".join(str(m) for m in error.messages))
    return refusal(error)  # type: ignore[return-value]


def _bad_target(field: str) -> ApiError:
    return nested(ValidationError({field: exc.CHOICE_UNKNOWN}), "restriction")


def earmark(user: User, fund: Fund, spec: RestrictionIn | None) -> Restriction | None:
    """The fund's earmark a gift names, made the first time (call inside the gift's
    transaction, so that a gift refused leaves no new earmark)."""
    if spec is None:
        return None
    try:
        if spec.kind == RestrictionKind.CHILD:
            if spec.need is None:
                raise ValidationError({"need": exc.RESTRICTION_TARGET_REQUIRED})
            need = needs.get_need_for_user(user=user, need_id=spec.need)
            if need.fund_id != fund.pk:
                raise not_found()
            return gifts.restriction_for_need(actor=user, need=need)
        unit = area = kind = None
        if spec.unit:
            unit = Unit.objects.current().filter(code=spec.unit).order_by("path").first()
            if unit is None:
                raise _bad_target("unit")
        if spec.area is not None:
            area = Area.objects.filter(fund=fund, pk=spec.area).first()
            if area is None:
                raise _bad_target("area")
        if spec.need_kind:
            kind = NeedKind.objects.filter(code=spec.need_kind, active=True).first()
            if kind is None:
                raise _bad_target("need_kind")
        return gifts.restriction_for(actor=user, fund=fund, kind=spec.kind,
                                     programme=spec.programme, unit=unit, area=area,
                                     need_kind=kind)
    except ValidationError as error:
        raise nested(error, "restriction") from error


def fund_to_keep(request: AuthedRequest, fund_id: uuid.UUID) -> Fund:
    require(request, Capability.MANAGE_FUND)
    return selectors.get_fund_for_user(user=request.user, fund_id=fund_id, for_write=True)


def fund_to_read(request: AuthedRequest, fund_id: uuid.UUID) -> Fund:
    require(request, Capability.VIEW_FUND)
    return selectors.get_fund_for_user(user=request.user, fund_id=fund_id)


# --- Funds ------------------------------------------------------------------------------------

def _balances(fund: Fund) -> dict[str, Any]:
    """Every bucket's accounts (`balances.sums`), the earmarks, campaigns and lots they name
    (three more), and the fund's totals."""
    rows = [{"restriction_id": rid, "campaign_id": cid, "lot_id": lid, "account": account,
             "amount": amount, "quantity": quantity}
            for (rid, cid, lid, account), (amount, quantity)
            in balances.sums(fund, by=balances.BUCKET).items()]
    restrictions = Restriction.objects.select_related("unit", "need_kind").in_bulk(
        {row["restriction_id"] for row in rows})
    campaigns = dict(Campaign.objects.filter(pk__in={row["campaign_id"] for row in rows})
                     .values_list("pk", "public_id"))
    lots = dict(GoodsLot.objects.filter(pk__in={row["lot_id"] for row in rows})
                .values_list("pk", "public_id"))
    buckets: dict[tuple[int, int | None, int | None], dict[str, Any]] = {}
    totals = dict.fromkeys(ACCOUNTS, 0)
    for row in rows:
        key = (row["restriction_id"], row["campaign_id"], row["lot_id"])
        bucket = buckets.setdefault(key, {
            "restriction": restrictions[key[0]], "campaign": campaigns.get(key[1]),
            "lot": lots.get(key[2]), "quantity_available": 0, **dict.fromkeys(ACCOUNTS, 0)})
        bucket[row["account"]] += int(row["amount"])
        totals[row["account"]] += int(row["amount"])
        if row["account"] == Account.AVAILABLE:
            bucket["quantity_available"] = int(row["quantity"])
    ordered = sorted(buckets.values(), key=lambda b: (str(b["restriction"]), str(b["campaign"]),
                                                      str(b["lot"])))
    return {"totals": totals, "balances": ordered}


@router.get("/funds", response=list[FundOut], summary="Các quỹ bảo trợ trẻ em bạn được xem")
@paginate(Page, page_size=50)
def fund_list(request: AuthedRequest) -> Any:
    require(request, Capability.VIEW_FUND)
    return selectors.funds_for(user=request.user).order_by("unit_path")


@router.get("/funds/{fund_id}", response=FundDetailOut,
            summary="Một quỹ và số dư theo nội dung chỉ định, đợt vận động, lô hiện vật")
def fund_detail(request: AuthedRequest, fund_id: uuid.UUID) -> Any:
    """Balances are sums of postings, in đồng: per bucket (earmark, campaign, goods lot) and
    account (`donations` is negative: what came in), and the fund's totals per account."""
    fund = fund_to_read(request, fund_id)
    fund.__dict__.update(_balances(fund))
    return fund


# --- Donors -----------------------------------------------------------------------------------

@router.get("/funds/{fund_id}/donors", response=list[DonorListOut],
            summary="Nhà tài trợ của quỹ và những gì đã trao")
@paginate(Page, page_size=50)
def donor_list(request: AuthedRequest, fund_id: uuid.UUID, filters: Query[DonorFilter]) -> Any:
    """By name (`q`: accents and case aside), alphabetical; what each gave."""
    fund = fund_to_read(request, fund_id)
    return ledger_selectors.donor_list(fund=fund, q=filters.q.strip())


@router.post("/funds/{fund_id}/donors", response={201: DonorOut},
             summary="Thêm một nhà tài trợ")
def donor_create(request: AuthedRequest, fund_id: uuid.UUID, data: DonorIn) -> Donor:
    """The same tax code is refused (422 naming the donor listed); the same phone with a
    similar name too, naming them, until `distinct_from_similar` confirms someone else."""
    fund = fund_to_keep(request, fund_id)
    try:
        return services.donor_create(actor=request.user, fund=fund, **data.dict())
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.get("/donors/{donor_id}", response=DonorDetailOut,
            summary="Một nhà tài trợ và tổng đã trao")
def donor_detail(request: AuthedRequest, donor_id: uuid.UUID) -> Donor:
    require(request, Capability.VIEW_FUND)
    donor = ledger_selectors.get_donor_for_user(user=request.user, donor_id=donor_id)
    donor.totals = ledger_selectors.donor_totals(donor)  # type: ignore[attr-defined]
    return donor


# --- Goods, campaigns, pledges -----------------------------------------------------------------

def gifts_of(found: QuerySet[Any]) -> QuerySet[Any]:
    """A selector's receipts or lots with the rest their answers read: the pledge, and the
    unit or kind of need their earmark names."""
    return found.select_related("pledge").prefetch_related(
        "journal__entry__restriction__unit", "journal__entry__restriction__need_kind")


def lots_of(fund: Fund, filters: GiftFilter | None = None) -> QuerySet[GoodsLot]:
    donor = of_fund(Donor, fund, filters.donor) if filters else None
    lots = ledger_selectors.lot_list(fund=fund, donor=donor)
    if filters is not None and filters.year is not None:
        lots = lots.filter(received_on__year=filters.year)
    return gifts_of(lots)


@router.get("/funds/{fund_id}/goods", response=list[GoodsLotOut],
            summary="Hiện vật quỹ đã nhận (từng lô)")
@paginate(Page, page_size=50)
def goods_list(request: AuthedRequest, fund_id: uuid.UUID, filters: Query[GiftFilter]) -> Any:
    """Newest first; what is left of each lot (not yet allocated), in items and đồng."""
    return lots_of(fund_to_read(request, fund_id), filters)


@router.post("/funds/{fund_id}/goods", response={201: GoodsLotOut},
             summary="Ghi nhận hiện vật (một lô)")
def goods_create(request: AuthedRequest, fund_id: uuid.UUID, data: GoodsIn) -> GoodsLot:
    """Goods posted at their estimated `value` in đồng, with their quantity."""
    fund = fund_to_keep(request, fund_id)
    fields = data.dict(exclude={"donor", "campaign", "pledge", "restriction"})
    with transaction.atomic():
        donor = of_fund(Donor, fund, data.donor)
        try:
            lot = gifts.goods_receive(
                actor=request.user, fund=fund, donor=donor,  # type: ignore[arg-type]
                restriction=earmark(request.user, fund, data.restriction),
                campaign=of_fund(Campaign, fund, data.campaign),
                pledge=of_fund(Pledge, fund, data.pledge), **fields)
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error) from error
    return lots_of(fund).get(pk=lot.pk)


@router.get("/funds/{fund_id}/campaigns", response=list[CampaignOut],
            summary="Các đợt vận động và kết quả")
@paginate(Page, page_size=50)
def campaign_list(request: AuthedRequest, fund_id: uuid.UUID) -> Any:
    """Newest first; `raised`: money and goods received naming the campaign, in đồng."""
    return ledger_selectors.campaign_list(fund=fund_to_read(request, fund_id))


@router.post("/funds/{fund_id}/campaigns", response={201: CampaignOut},
             summary="Mở một đợt vận động")
def campaign_create(request: AuthedRequest, fund_id: uuid.UUID, data: CampaignIn) -> Campaign:
    fund = fund_to_keep(request, fund_id)
    try:
        campaign = gifts.campaign_create(actor=request.user, fund=fund, **data.dict())
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    return ledger_selectors.campaign_list(fund=fund).get(pk=campaign.pk)


def pledges_of(fund: Fund) -> QuerySet[Pledge]:
    return ledger_selectors.pledge_list(fund=fund).select_related(
        "restriction__unit", "restriction__need_kind")


@router.get("/funds/{fund_id}/pledges", response=list[PledgeOut],
            summary="Các cam kết tài trợ")
@paginate(Page, page_size=50)
def pledge_list(request: AuthedRequest, fund_id: uuid.UUID) -> Any:
    return pledges_of(fund_to_read(request, fund_id))


@router.post("/funds/{fund_id}/pledges", response={201: PledgeOut},
             summary="Ghi một cam kết tài trợ")
def pledge_create(request: AuthedRequest, fund_id: uuid.UUID, data: PledgeIn) -> Pledge:
    """Money (`amount`), goods (`goods`) or both; it posts nothing until received."""
    fund = fund_to_keep(request, fund_id)
    with transaction.atomic():
        donor = of_fund(Donor, fund, data.donor)
        try:
            pledge = gifts.pledge_create(
                actor=request.user, fund=fund, donor=donor,  # type: ignore[arg-type]
                pledged_on=data.pledged_on, amount=data.amount, goods=data.goods,
                restriction=earmark(request.user, fund, data.restriction),
                campaign=of_fund(Campaign, fund, data.campaign), due_on=data.due_on)
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error) from error
    return pledges_of(fund).get(pk=pledge.pk)


# --- Areas: named sets of communes a gift may be earmarked for ---------------------------------

def areas_of(fund: Fund) -> QuerySet[Area]:
    return ledger_selectors.areas_of(fund).annotate(
        earmarked=Exists(Restriction.objects.filter(area=OuterRef("pk"))))


def communes(fund: Fund, codes: list[str]) -> list[Unit]:
    """The current communes of the fund's province with these codes; 422 for any other."""
    found = list(ledger_selectors.communes_of(fund).filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise invalid("units", exc.AREA_UNIT_INVALID)
    return found


@router.get("/funds/{fund_id}/areas", response=list[AreaOut], summary="Các địa bàn của quỹ")
@paginate(Page, page_size=100)
def area_list(request: AuthedRequest, fund_id: uuid.UUID) -> Any:
    return areas_of(fund_to_read(request, fund_id))


@router.post("/funds/{fund_id}/areas", response={201: AreaOut}, summary="Tạo một địa bàn")
def area_create(request: AuthedRequest, fund_id: uuid.UUID, data: AreaIn) -> Area:
    fund = fund_to_keep(request, fund_id)
    try:
        area = gifts.area_create(actor=request.user, fund=fund, name=data.name,
                                 units=communes(fund, data.units), mountain=data.mountain)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    return areas_of(fund).get(pk=area.pk)


@router.patch("/funds/{fund_id}/areas/{area_id}", response={200: AreaOut, 409: ReadConflictOut},
              summary="Sửa một địa bàn: tên, xã phường, miền núi")
def area_update(request: AuthedRequest, fund_id: uuid.UUID, area_id: AreaId,
                data: AreaPatch) -> Any:
    """New communes of an area an earmark names change what its money pays for: 422 at
    `confirm_earmark` until it is true. A change of the communes of a mountain area, or of
    `mountain`, reorders the open needs. An area has no version (no `If-Match`): `base`, the
    values the client read, is the precondition; a field changed since is 409 with both
    values, nothing written. Without `base` the last write wins."""
    fund = fund_to_keep(request, fund_id)
    area = Area.objects.filter(fund=fund, pk=area_id).select_related("fund").first()
    if area is None:
        raise not_found()
    sent = data.dict(exclude_unset=True)
    try:
        gifts.area_update(actor=request.user, area=area, name=sent.get("name"),
                          units=communes(fund, data.units) if "units" in sent else None,
                          mountain=sent.get("mountain"), earmark_confirmed=data.confirm_earmark,
                          base=sent.get("base"))
    except EditConflict as conflict:
        return Status(409, read_conflict_body(conflict))
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    return areas_of(fund).get(pk=area.pk)
