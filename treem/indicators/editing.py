"""A province's administrators keep their own indicator sets: a new local indicator needs no
code change, its computation is a spec checked before it is saved, and an edit is a new
version (the reports built on the old one keep it)."""

import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.models import Unit
from treem.indicators.catalogue import CatalogueError, load_set
from treem.indicators.models import IndicatorSet, IndicatorVersion, PeriodKind, Source, UnitKind

# What an edit of a definition changes, compared field by field with the version it was read
# at (`base_number`): another administrator's change since to another field is kept.
DEFINITION = ("name", "unit_kind", "source", "agency", "period_kind", "direction", "numerator",
              "denominator", "spec", "disaggregations", "entry_levels")


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
                   entry_levels: list[str] | None = None,
                   base_number: int | None = None) -> Any:
    """Add an indicator to a local set, or a new version of one whose definition changed.

    `base_number` is the version the page was read at (0: a new indicator): a field another
    administrator changed since is refused (`EditConflict`, nothing written) with both values,
    the fields this edit leaves as read take what was saved since. None: no check (a system's
    own write)."""
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
            if base_number is not None:
                # Edits of one set wait for each other: the version compared is the latest.
                IndicatorSet.objects.select_for_update().filter(pk=indicator_set.pk).first()
                row = _merged(indicator_set, row, base_number)
            load_set({"set": {"code": indicator_set.code, "name": indicator_set.name},
                      "indicators": [row]}, owner=indicator_set.owner)
    except CatalogueError as error:
        raise ValidationError({"spec": str(error).split(": ", 1)[-1]}) from error
    indicator = indicator_set.indicators.get(code=row["code"])
    event_record(actor=actor, action=Action.UPDATE, unit=indicator_set.owner,
                 fields=["indicator"], reason=f"{indicator_set.code}/{indicator.code}")
    return indicator


def _definition(version: IndicatorVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in DEFINITION}


def _merged(indicator_set: IndicatorSet, row: dict[str, Any], base_number: int
            ) -> dict[str, Any]:
    """The row to save: as typed when read at the latest version; else the fields this edit
    changed from the version read, over the latest (EditConflict if the same changed there)."""
    indicator = indicator_set.indicators.filter(code=row["code"]).first()
    current = indicator.versions.order_by("-number").first() if indicator else None
    if current is None or current.number == base_number:
        return row
    # Read at another version, or typed as new (0) under a code that has a definition: every
    # field that differs from the version read (all, when none was) is this edit's change.
    read = indicator.versions.filter(number=base_number).first()  # type: ignore[union-attr]
    base: Mapping[str, Any] | None = _definition(read) if read is not None else None
    changes = {name: row[name] for name in DEFINITION
               if base is None or not conflicts.same(row[name], base[name])}
    conflicts.check(current, version=current.number, base_version=base_number,
                    changes=changes, base=base, current=_definition(current))
    return {**row, **_definition(current), **changes}
