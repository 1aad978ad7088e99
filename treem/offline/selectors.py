"""What the commune reads of offline work: the operations waiting for a person, what was
synced lately, the collaborators' phones."""

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from treem.accounts.capabilities import Capability
from treem.accounts.models import RoleAssignment, User
from treem.accounts.roles import Role
from treem.geo.paths import any_subtree_q
from treem.offline.models import WAITING, Device, Operation, OperationStatus

REVIEWED = (*WAITING, OperationStatus.INVALID)


def operations_for(user: User) -> QuerySet[Operation]:
    """Operations of the communes whose register `user` keeps, and the user's own."""
    paths = user.scope_paths(capability=Capability.MANAGE_CHILDREN)
    return Operation.objects.filter(any_subtree_q(paths, field="unit_path") | Q(user=user)
                                    ).select_related("user", "decided_by")


def operations_to_review(user: User) -> QuerySet[Operation]:
    return operations_for(user).filter(status__in=REVIEWED).order_by("received_at", "pk")


def get_operation_for_user(*, user: User, operation_id: uuid.UUID) -> Operation:
    """404 outside the communes the user keeps (and not its own)."""
    operation = (Operation.objects.select_related("user", "decided_by", "device")
                 .filter(pk=operation_id).first())
    if operation is None:
        raise Http404
    if operation.user_id != user.pk and not (
            operation.unit_path
            and user.in_scope(operation.unit_path, capability=Capability.MANAGE_CHILDREN)):
        raise Http404
    return operation


def devices_for(user: User) -> QuerySet[Device]:
    """Phones of the collaborators of the communes whose villages `user` keeps: those who
    hold a village there today (the commune keeps its villages and their collaborators)."""
    paths = user.scope_paths(capability=Capability.MANAGE_VILLAGES)
    holders = (RoleAssignment.objects.active()
               .filter(role=Role.VILLAGE_COLLABORATOR)
               .filter(any_subtree_q(paths, field="unit__path")).values("user_id"))
    return Device.objects.filter(user_id__in=holders).select_related("user", "lost_by")
