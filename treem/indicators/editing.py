"""A province's administrators keep their own indicator sets: a new local indicator needs no
code change, its computation is a spec checked before it is saved, and an edit is a new
version (the reports built on the old one keep it)."""

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Unit
from treem.indicators.catalogue import CatalogueError, load_set
from treem.indicators.models import IndicatorSet, PeriodKind, Source, UnitKind


def may_edit(actor: User, indicator_set: IndicatorSet) -> bool:
    owner = indicator_set.owner
    return owner is not None and actor.in_scope(owner.path, capability=Capability.MANAGE_CATALOGUE)


def _require_owner(actor: User, unit: Unit | None) -> Unit:
    if unit is None or not actor.in_scope(unit.path, capability=Capability.MANAGE_CATALOGUE):
        raise PermissionDenied(_("Chỉ quản trị viên của đơn vị sở hữu được sửa bộ chỉ tiêu "
                                 "này; bộ chỉ tiêu quốc gia không sửa ở đây."))
    return unit


@transaction.atomic
def set_create(*, actor: User, owner: Unit, code: str, name: str, source: str = "") -> IndicatorSet:
    _require_owner(actor, owner)
    code, name = code.strip().lower(), name.strip()
    if not code or not name:
        raise ValidationError({"code": _("Hãy ghi mã và tên bộ chỉ tiêu.")})
    if IndicatorSet.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã bộ chỉ tiêu này đã có.")})
    indicator_set = IndicatorSet.objects.create(code=code, name=name, source=source.strip(),
                                                owner=owner, owner_path=owner.path)
    event_record(actor=actor, action=Action.CREATE, unit=owner, fields=["indicator_set"],
                 reason=code)
    return indicator_set


def indicator_save(*, actor: User, indicator_set: IndicatorSet, code: str, name: str,
                   unit_kind: str, source: str, spec_text: str = "", group: str = "",
                   agency: str = "", period_kind: str = PeriodKind.HALF,
                   direction: str = "at_least", numerator: str = "", denominator: str = "",
                   disaggregations: list[str] | None = None,
                   entry_levels: list[str] | None = None) -> Any:
    """Add an indicator to a local set, or a new version of one whose definition changed."""
    _require_owner(actor, indicator_set.owner)
    problems = []
    if not code.strip() or not name.strip():
        problems.append(_("Hãy ghi mã và tên chỉ tiêu."))
    if unit_kind not in UnitKind.values or source not in Source.values:
        problems.append(_("Hãy chọn đơn vị tính và nguồn số liệu."))
    spec: Any = {}
    if source == Source.COMPUTED:
        try:
            spec = json.loads(spec_text or "{}")
        except ValueError:
            problems.append(_("Định nghĩa tính toán không phải JSON hợp lệ."))
    if problems:
        raise ValidationError({"spec": problems})
    row = {"code": code.strip(), "name": name.strip(), "group": group.strip(),
           "unit_kind": unit_kind, "source": source, "agency": agency,
           "period_kind": period_kind, "direction": direction, "numerator": numerator.strip(),
           "denominator": denominator.strip(), "spec": spec,
           "disaggregations": disaggregations or [],
           "entry_levels": entry_levels or ["commune"], "verified": False,
           "reference": _("Chỉ tiêu riêng của %(unit)s") % {"unit": indicator_set.owner}}
    try:
        with transaction.atomic():
            load_set({"set": {"code": indicator_set.code, "name": indicator_set.name},
                      "indicators": [row]}, owner=indicator_set.owner)
    except CatalogueError as error:
        raise ValidationError({"spec": str(error).split(": ", 1)[-1]}) from error
    indicator = indicator_set.indicators.get(code=row["code"])
    event_record(actor=actor, action=Action.UPDATE, unit=indicator_set.owner,
                 fields=["indicator"], reason=f"{indicator_set.code}/{indicator.code}")
    return indicator
