"""Restricting the processing of a child's record (Luật 91/2025/QH15, the data subject's right
to restrict; docs/privacy.md): set on a granted request, the record is then read only by the
roles named, everywhere the register's scope applies (`ChildQuerySet.visible_to` and the child's
page); lifted with a reason. Both audited on the child."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.accounts.roles import Role
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.registry.models import Child, ChildRestriction

ROLES_REQUIRED = _("Chọn ít nhất một vai trò còn được xem hồ sơ.")
ROLE_UNKNOWN = _("Vai trò không hợp lệ.")
REASON_REQUIRED = _("Ghi lý do.")
REASON_TOO_LONG = _("Lý do dài quá 1000 ký tự.")
ALREADY_RESTRICTED = _("Hồ sơ của trẻ đang bị hạn chế xử lý; bỏ hạn chế cũ trước khi đặt hạn "
                       "chế mới.")
MERGED = _("Hồ sơ này đã được gộp vào hồ sơ khác: hãy hạn chế xử lý hồ sơ được giữ lại.")
ALREADY_LIFTED = _("Hạn chế này đã được bỏ.")
NOT_YOURS = _("Bạn không giải quyết yêu cầu về dữ liệu của trẻ ở địa bàn này.")

REASON_MAX = 1000


def _reason(text: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: REASON_REQUIRED})
    if len(text) > REASON_MAX:
        raise ValidationError({field: REASON_TOO_LONG})
    return text


def require_handler(actor: User, child: Child) -> None:
    if not actor.in_scope(child.unit_path, capability=Capability.HANDLE_DATA_REQUESTS):
        raise PermissionDenied(NOT_YOURS)


def restriction_apply(*, actor: User, child: Child, roles: Iterable[str], reason: str,
                      basis: str = "") -> ChildRestriction:
    """Hide the child's record from everyone but users holding one of `roles` over it."""
    chosen = sorted(set(roles))
    if not chosen:
        raise ValidationError({"roles": ROLES_REQUIRED})
    if any(role not in Role.values for role in chosen):
        raise ValidationError({"roles": ROLE_UNKNOWN})
    text = _reason(reason, "reason")
    require_handler(actor, child)
    with transaction.atomic():
        locked = Child.objects.select_for_update().select_related("commune").get(pk=child.pk)
        if locked.merged_into_id is not None:
            raise ValidationError(MERGED)
        if ChildRestriction.objects.active().filter(child=locked).exists():
            raise ValidationError(ALREADY_RESTRICTED)
        restriction = ChildRestriction.objects.create(
            child=locked, roles=f",{','.join(chosen)},", reason=text, basis=basis[:80],
            created_by=actor)
        event_record(actor=actor, action=Action.UPDATE, obj=locked, unit=locked.commune,
                     fields=["restriction", *chosen], reason=text)
    return restriction


def restriction_lift(*, actor: User, restriction: ChildRestriction,
                     reason: str) -> ChildRestriction:
    """End a restriction: the record is read again by whoever its scope allows."""
    text = _reason(reason, "lift_reason")
    child = restriction.child
    require_handler(actor, child)
    with transaction.atomic():
        locked = ChildRestriction.objects.select_for_update().get(pk=restriction.pk)
        if locked.lifted_at is not None:
            raise ValidationError(ALREADY_LIFTED)
        locked.lifted_at = timezone.now()
        locked.lifted_by = actor
        locked.lift_reason = text
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        event_record(actor=actor, action=Action.UPDATE, obj=child, unit=child.commune,
                     fields=["restriction_lifted"], reason=text)
    return locked
