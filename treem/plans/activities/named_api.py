"""Children named in an activity over the API (`treem.plans.activities.named`): the names the
caller may read in the register and a count of the others; naming a child with a reason;
taking a name off."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Router, Schema

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import Input, Text, refusal, require
from treem.plans.activities import named, selectors
from treem.plans.activities.models import NamedChild


class NamedChildOut(Schema):
    id: uuid.UUID
    child: uuid.UUID
    full_name: str
    birth_date: datetime.date
    commune: str
    reason: str
    added_at: datetime.datetime

    @staticmethod
    def resolve_id(n: NamedChild) -> uuid.UUID:
        return n.public_id

    @staticmethod
    def resolve_child(n: NamedChild) -> uuid.UUID:
        return n.child.public_id

    @staticmethod
    def resolve_full_name(n: NamedChild) -> str:
        return n.child.full_name

    @staticmethod
    def resolve_birth_date(n: NamedChild) -> datetime.date:
        return n.child.birth_date

    @staticmethod
    def resolve_commune(n: NamedChild) -> str:
        return n.child.commune.code


class NamedChildrenOut(Schema):
    items: list[NamedChildOut]
    hidden: int  # children named whom the caller may not read in the register


class NamedChildIn(Input):
    child: uuid.UUID  # a child of the register you keep, living in the activity's area
    reason: Annotated[str, Text(named.REASON_MAX, multiline=True)]


router = Router(tags=["activities"], auth=API_AUTH)


@router.get("/activities/{activity_id}/children", response=NamedChildrenOut,
            summary="Trẻ em được nêu tên trong một hoạt động")
def named_list(request: AuthedRequest, activity_id: uuid.UUID) -> Any:
    require(request, Capability.VIEW_PLANS)
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id)
    found = named.named_for(user=request.user, activity=activity)
    return {"items": found.shown, "hidden": found.hidden}


@router.post("/activities/{activity_id}/children", response={201: NamedChildOut},
             summary="Nêu tên một trẻ em trong hoạt động (kèm lý do)")
def named_create(request: AuthedRequest, activity_id: uuid.UUID, data: NamedChildIn) -> Any:
    require(request, Capability.MANAGE_PLANS)
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    try:
        item = named.named_add(actor=request.user, activity=activity, child_id=data.child,
                               reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    return item


@router.delete("/activities/{activity_id}/children/{named_id}", response={204: None},
               summary="Bỏ tên một trẻ em khỏi hoạt động")
def named_delete(request: AuthedRequest, activity_id: uuid.UUID, named_id: uuid.UUID) -> Any:
    require(request, Capability.MANAGE_PLANS)
    activity = selectors.get_activity_for_user(user=request.user, activity_id=activity_id,
                                               for_write=True)
    item = named.get_named_for_user(user=request.user, activity=activity, named_id=named_id)
    try:
        named.named_remove(actor=request.user, item=item)
    except PermissionDenied as error:
        raise refusal(error) from error
    return HttpResponse(status=204)
