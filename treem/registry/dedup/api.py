"""The review queue of likely duplicates over the API, scoped like its pages. Pairs name
their two children by id only: a client reads them through /children/{id}, which is audited."""

import datetime
import uuid
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import ApiError, Input, Page, Text, refusal, require
from treem.registry import exceptions as exc
from treem.registry.dedup import merging, selectors
from treem.registry.models import ChildMerge, DuplicatePair

router = Router(tags=["duplicates"], auth=API_AUTH)

Reason = Annotated[str, Text(ChildMerge._meta.get_field("reason").max_length)]


class PairOut(Schema):
    id: uuid.UUID
    child_a: uuid.UUID
    child_b: uuid.UUID
    score: float
    evidence: dict[str, str]
    status: str
    found_at: datetime.datetime

    @staticmethod
    def resolve_id(pair: DuplicatePair) -> uuid.UUID:
        return pair.public_id

    @staticmethod
    def resolve_child_a(pair: DuplicatePair) -> uuid.UUID:
        return pair.child_a.public_id

    @staticmethod
    def resolve_child_b(pair: DuplicatePair) -> uuid.UUID:
        return pair.child_b.public_id


class PairFilter(Input):
    status: Literal["open", "merged", "distinct"] = "open"


class MergeIn(Input):
    kept: Literal["a", "b"]
    reason: Reason


class DismissIn(Input):
    note: Annotated[str, Text(DuplicatePair._meta.get_field("note").max_length)] = ""


class MergeOut(Schema):
    id: uuid.UUID
    reference: str
    kept: uuid.UUID
    merged: uuid.UUID
    merged_at: datetime.datetime
    reason: str
    undone_at: datetime.datetime | None

    @staticmethod
    def resolve_id(merge: ChildMerge) -> uuid.UUID:
        return merge.public_id

    @staticmethod
    def resolve_kept(merge: ChildMerge) -> uuid.UUID:
        return merge.kept.public_id

    @staticmethod
    def resolve_merged(merge: ChildMerge) -> uuid.UUID:
        return merge.merged.public_id


class MergeFilter(Input):
    ref: Annotated[str, Text(12)] = ""  # a merge's reference, G-XXXXXXXX


class UndoIn(Input):
    reason: Annotated[str, Text(ChildMerge._meta.get_field("undo_reason").max_length)]


def _open_pair(request: AuthedRequest, pair_id: uuid.UUID) -> DuplicatePair:
    """The pair, still to be decided: one decided already is a conflict (409)."""
    pair = selectors.get_pair_for_user(user=request.user, pair_id=pair_id)
    if pair.status != DuplicatePair.Status.OPEN:
        raise ApiError(409, str(exc.PAIR_ALREADY_DECIDED))
    return pair


@router.get("/duplicates", response=list[PairOut], summary="Các cặp hồ sơ nghi trùng")
@paginate(Page, page_size=50)
def duplicate_list(request: AuthedRequest, filters: Query[PairFilter]) -> Any:
    """Likely duplicates whose two records are both in your scope, most likely first."""
    require(request, Capability.MERGE_CHILDREN)
    return selectors.pair_list(user=request.user, status=filters.status)


@router.post("/duplicates/{pair_id}/merge", response={201: MergeOut}, summary="Gộp hai hồ sơ")
def duplicate_merge(request: AuthedRequest, pair_id: uuid.UUID, data: MergeIn) -> ChildMerge:
    """Merge the pair, keeping record a or b; every reference moves to the record kept."""
    require(request, Capability.MERGE_CHILDREN)
    pair = _open_pair(request, pair_id)
    kept, merged = ((pair.child_a, pair.child_b) if data.kept == "a"
                    else (pair.child_b, pair.child_a))
    try:
        return merging.child_merge(actor=request.user, kept=kept, merged=merged,
                                   reason=data.reason, pair=pair)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.post("/duplicates/{pair_id}/dismiss", response=PairOut,
             summary="Xác nhận hai trẻ khác nhau")
def duplicate_dismiss(request: AuthedRequest, pair_id: uuid.UUID, data: DismissIn) -> Any:
    """Two different children: the pair is not proposed again."""
    require(request, Capability.MERGE_CHILDREN)
    pair = _open_pair(request, pair_id)
    try:
        return merging.pair_dismiss(actor=request.user, pair=pair, note=data.note)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.get("/merges", response=list[MergeOut], summary="Nhật ký gộp hồ sơ")
@paginate(Page, page_size=50)
def merge_list(request: AuthedRequest, filters: Query[MergeFilter]) -> Any:
    """The merge log of your scope (administrators), narrowed by a reference G-XXXXXXXX."""
    require(request, Capability.UNMERGE_CHILDREN)
    return selectors.merge_list(user=request.user, reference=filters.ref) \
        .select_related("kept", "merged")


@router.post("/merges/{merge_id}/undo", response=MergeOut, summary="Hủy một lần gộp")
def merge_undo(request: AuthedRequest, merge_id: uuid.UUID, data: UndoIn) -> ChildMerge:
    require(request, Capability.UNMERGE_CHILDREN)
    merge = selectors.get_merge_for_user(user=request.user, merge_id=merge_id)
    try:
        return merging.merge_undo(actor=request.user, merge=merge, reason=data.reason)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
