"""Extracts' reads, scoped by the unit each one covers: who may ask for or approve one reads
those of its area (a request outside it is a 404, as one that does not exist)."""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from treem.accounts.capabilities import Capability
from treem.geo.models import Level, Unit
from treem.geo.paths import any_subtree_q, collapse
from treem.privacy.models import ExtractRequest


def extract_paths(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return collapse([*user.scope_paths(capability=Capability.REQUEST_EXTRACTS),
                     *user.scope_paths(capability=Capability.APPROVE_EXTRACTS)])


def extract_list(*, user: Any, status: str = "") -> QuerySet[ExtractRequest]:
    rows = ExtractRequest.objects.within_paths(extract_paths(user))
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("unit", "requester", "decided_by")


def get_extract_for_user(*, user: Any, extract_id: uuid.UUID) -> ExtractRequest:
    extract = extract_list(user=user).filter(public_id=extract_id).first()
    if extract is None:
        raise Http404
    return extract


def units_to_request(*, user: Any) -> list[Unit]:
    """The current provinces and communes a user may ask an extract for."""
    paths = user.scope_paths(capability=Capability.REQUEST_EXTRACTS)
    return list(Unit.objects.current().filter(any_subtree_q(paths, field="path"))
                .filter(level__in=[Level.PROVINCE, Level.COMMUNE]).order_by("path"))
