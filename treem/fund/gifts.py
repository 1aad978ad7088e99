"""What donors give besides a transfer: campaigns with their goals, pledges, goods received in
lots, and the earmarks (restrictions) and areas a gift can carry. Every write is the fund
manager's, audited; bad input is a ValidationError in Vietnamese and nothing is written."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.fund import exceptions as exc
from treem.fund.models import (
    Account,
    Area,
    Beneficiary,
    Campaign,
    CampaignKind,
    Donor,
    Fund,
    GoodsLot,
    JournalKind,
    Need,
    NeedKind,
    NeedStatus,
    Pledge,
    PledgeStatus,
    Restriction,
    RestrictionKind,
)
from treem.fund.needs import priorities_refresh
from treem.fund.services import (
    Bucket,
    Line,
    add_postings,
    check_gift_links,
    checked_amount,
    open_journal,
    require_manager,
    unrestricted,
)
from treem.geo.models import Level, Unit
from treem.registry.models import Child

NAME_MAX = 200


def _name(value: str, field: str, message: Any) -> str:
    value = " ".join(value.split())
    if not value or len(value) > NAME_MAX:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def campaign_create(*, actor: User, fund: Fund, kind: str, name: str, starts_on: datetime.date,
                    ends_on: datetime.date, goal: int) -> Campaign:
    require_manager(actor, fund)
    errors: dict[str, Any] = {}
    if kind not in CampaignKind.values:
        errors["kind"] = exc.CHOICE_UNKNOWN
    if ends_on < starts_on:
        errors["ends_on"] = exc.CAMPAIGN_DATES
    try:
        checked_amount(goal)
    except ValidationError:
        errors["goal"] = exc.AMOUNT_INVALID
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        fund=fund, kind=kind, name=_name(name, "name", exc.NAME_REQUIRED), starts_on=starts_on,
        ends_on=ends_on, goal=goal, created_by=actor)
    event_record(actor=actor, action=Action.CREATE, obj=campaign, unit=fund.unit,
                 fields=["kind", "name", "starts_on", "ends_on", "goal"])
    return campaign


@transaction.atomic
def area_create(*, actor: User, fund: Fund, name: str, units: list[Unit],
                mountain: bool = False) -> Area:
    """A named set of current communes of the fund's province ("14 xã miền núi")."""
    require_manager(actor, fund)
    name = _name(name, "name", exc.NAME_REQUIRED)
    if not units:
        raise ValidationError({"units": exc.AREA_EMPTY})
    if any(unit.level != Level.COMMUNE or unit.valid_to is not None
           or not unit.path.startswith(fund.unit_path) for unit in units):
        raise ValidationError({"units": exc.AREA_UNIT_INVALID})
    if Area.objects.filter(fund=fund, name=name).exists():
        raise ValidationError({"name": exc.AREA_NAME_TAKEN})
    area = Area.objects.create(fund=fund, name=name, mountain=mountain)
    area.units.set(units)
    event_record(actor=actor, action=Action.CREATE, obj=area, unit=fund.unit,
                 fields=["name", "mountain", "units"])
    return area


def area_earmarks(area: Area) -> QuerySet[Restriction]:
    """The earmarks naming `area`: money given for its communes, whatever they are now."""
    return Restriction.objects.filter(fund_id=area.fund_id, area=area).order_by("label", "id")


@transaction.atomic
def area_update(*, actor: User, area: Area, name: str | None = None,
                units: list[Unit] | None = None, mountain: bool | None = None,
                earmark_confirmed: bool = False, base: Mapping[str, Any] | None = None) -> Area:
    """An area renamed, its communes or its mountain flag changed (None: kept as it is).

    An earmark naming the area keeps naming it, so new communes change what its money may pay
    for (`matching.fit_q` reads the area's communes): a change of communes is refused until
    the manager confirms it (`earmark_confirmed`), and the earmark's label follows the name.
    The mountain-commune rule counts the communes of mountain areas: a change that moves them
    recomputes the open needs' priorities (`needs.priorities_refresh`, one UPDATE), as a
    rule's change does.

    `base` holds the values the edit read (`name`, `mountain`, `units`: the communes' codes;
    the page sends them back, an API client says them): a field someone else changed since is
    refused (`EditConflict`, nothing written) with both values and who saved theirs; fields
    nobody else changed merge (`treem.edits.conflicts.check_read`, as a village's rename: an
    area has no version column). Without `base`, no check (a system's own write)."""
    fund = area.fund
    require_manager(actor, fund)
    # Two edits of its communes, and the values a stale edit is compared with: read under
    # the lock, after an edit saved meanwhile has committed.
    area = Area.objects.select_for_update().get(pk=area.pk)
    if base is not None:
        _check_read(area, name=name, units=units, mountain=mountain, base=base)
    changed: list[str] = []
    if name is not None and (name := _name(name, "name", exc.NAME_REQUIRED)) != area.name:
        if Area.objects.filter(fund=fund, name=name).exclude(pk=area.pk).exists():
            raise ValidationError({"name": exc.AREA_NAME_TAKEN})
        area.name = name
        changed.append("name")
    if units is not None:
        if not units:
            raise ValidationError({"units": exc.AREA_EMPTY})
        if any(unit.level != Level.COMMUNE or unit.valid_to is not None
               or not unit.path.startswith(fund.unit_path) for unit in units):
            raise ValidationError({"units": exc.AREA_UNIT_INVALID})
        if {unit.pk for unit in units} != set(area.units.values_list("pk", flat=True)):
            changed.append("units")
    if mountain is not None and mountain != area.mountain:
        area.mountain = mountain
        changed.append("mountain")
    earmarks = list(area_earmarks(area))
    if "units" in changed and earmarks and not earmark_confirmed:
        raise ValidationError({"confirm_earmark": exc.AREA_EARMARKED % {
            "earmarks": "; ".join(str(earmark) for earmark in earmarks)}})
    if not changed:
        return area
    try:
        with transaction.atomic():  # the same name given to another area at this moment
            area.save(update_fields=[f for f in ("name", "mountain") if f in changed])
    except IntegrityError as error:
        raise ValidationError({"name": exc.AREA_NAME_TAKEN}) from error
    if "units" in changed:
        area.units.set(units or [])
    event_record(actor=actor, action=Action.UPDATE, obj=area, unit=fund.unit, fields=changed)
    for earmark in earmarks if "name" in changed else []:
        earmark.label = area.name
        earmark.save(update_fields=["label"])
        event_record(actor=actor, action=Action.UPDATE, obj=earmark, unit=fund.unit,
                     fields=["label"])
    if "mountain" in changed or ("units" in changed and area.mountain):
        priorities_refresh(fund)
    return area


def _check_read(area: Area, *, name: str | None, units: list[Unit] | None,
                mountain: bool | None, base: Mapping[str, Any]) -> None:
    """Refuse an edit of `area` (read under its lock) that would undo a change saved since
    the values it read (`base`). The communes are compared as their sorted codes, and shown
    by their names."""
    saved = list(area.units.all())
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = " ".join(name.split())
    if mountain is not None:
        changes["mountain"] = mountain
    if units is not None:
        changes["units"] = sorted(unit.code for unit in units)
    current = {"name": area.name, "mountain": area.mountain,
               "units": sorted(unit.code for unit in saved)}
    names = {unit.code: unit.name for unit in [*saved, *(units or [])]}
    of_model = conflicts.describe_model(Area)

    def describe(field: str, value: Any) -> tuple[str, str]:
        label, text = of_model(field, value)
        if field == "units":
            text = ", ".join(names.get(code, code) for code in value) or str(conflicts.EMPTY)
        return label, text

    conflicts.check_read(area, changes=changes, base=base, current=current, describe=describe)


def restriction_for(*, actor: User, fund: Fund, kind: str, programme: str = "",
                    unit: Unit | None = None, area: Area | None = None,
                    need_kind: NeedKind | None = None, child: Child | None = None
                    ) -> Restriction:
    """The fund's earmark of this kind and target, made the first time it is used. A named
    child is earmarked only by the fund manager (never by a donor's own entry), and only a
    child of the fund's province on the register."""
    require_manager(actor, fund)
    if kind == RestrictionKind.UNRESTRICTED:
        return unrestricted(fund)
    if kind == RestrictionKind.PROGRAMME:
        label = _name(programme, "programme", exc.PROGRAMME_REQUIRED)
        defaults: dict[str, Any]
        key, defaults = f"programme:{label.casefold()}", {"programme": label, "label": label}
    elif kind == RestrictionKind.PLACE and area is not None:
        if area.fund_id != fund.pk:
            raise ValidationError({"area": exc.AREA_UNIT_INVALID})
        key, defaults = f"area:{area.pk}", {"area": area, "label": area.name}
    elif kind == RestrictionKind.PLACE and unit is not None:
        if unit.valid_to is not None or not unit.path.startswith(fund.unit_path):
            raise ValidationError({"unit": exc.AREA_UNIT_INVALID})
        key, defaults = f"place:{unit.pk}", {"unit": unit, "label": unit.name}
    elif kind == RestrictionKind.NEED and need_kind is not None:
        key, defaults = f"need:{need_kind.code}", {"need_kind": need_kind,
                                                  "label": need_kind.label}
    elif kind == RestrictionKind.CHILD and child is not None:
        if child.merged_into_id is not None or not child.unit_path.startswith(fund.unit_path):
            raise ValidationError({"child": exc.CHILD_NOT_IN_FUND})
        # The label names the earmark without the child's name: ledgers are read widely.
        key, defaults = f"child:{child.pk}", {"child": child,
                                              "label": f"Trẻ em TE-{str(child.public_id)[:8]}"}
    else:
        raise ValidationError({"restriction": exc.RESTRICTION_TARGET_REQUIRED})
    restriction, created = Restriction.objects.get_or_create(
        fund=fund, key=key, defaults={"kind": kind, **defaults})
    if created:
        event_record(actor=actor, action=Action.CREATE, obj=restriction, unit=fund.unit,
                     fields=["kind", "label"])
    return restriction


def restriction_for_need(*, actor: User, need: Need) -> Restriction:
    """A donor's gift for one child on the needs list, earmarked by the fund manager from the
    need's reference: the officer links the gift to the child without reading the child's
    name, and the donor never picks a child from the register."""
    require_manager(actor, need.fund)
    if need.beneficiary != Beneficiary.CHILD or need.child is None:
        raise ValidationError({"need": exc.NEED_NOT_FOR_A_CHILD})
    if need.status != NeedStatus.APPROVED:
        raise ValidationError({"need": exc.NEED_NOT_APPROVED})
    return restriction_for(actor=actor, fund=need.fund, kind=RestrictionKind.CHILD,
                           child=need.child)


@transaction.atomic
def pledge_create(*, actor: User, fund: Fund, donor: Donor, pledged_on: datetime.date,
                  amount: int = 0, goods: str = "", restriction: Restriction | None = None,
                  campaign: Campaign | None = None, due_on: datetime.date | None = None
                  ) -> Pledge:
    """A donor's promise: money, goods, or both. It posts nothing until received."""
    require_manager(actor, fund)
    goods = " ".join(goods.split())
    if amount:
        checked_amount(amount)
    if not amount and not goods:
        raise ValidationError({"amount": exc.PLEDGE_EMPTY})
    if len(goods) > 300:
        raise ValidationError({"goods": exc.TEXT_TOO_LONG % {"n": 300}})
    if donor.fund_id != fund.pk:
        raise ValidationError({"donor": exc.DONOR_OF_ANOTHER_FUND})
    if restriction is not None and restriction.fund_id != fund.pk:
        raise ValidationError({"restriction": exc.RESTRICTION_OF_ANOTHER_FUND})
    check_gift_links(fund=fund, donor=donor, campaign=campaign, pledge=None)
    if due_on is not None and due_on < pledged_on:
        raise ValidationError({"due_on": exc.DUE_BEFORE_PLEDGE})
    pledge = Pledge.objects.create(fund=fund, donor=donor, campaign=campaign,
                                   restriction=restriction or unrestricted(fund), amount=amount,
                                   goods=goods, pledged_on=pledged_on, due_on=due_on,
                                   created_by=actor)
    event_record(actor=actor, action=Action.CREATE, obj=pledge, unit=fund.unit,
                 fields=["donor", "amount", "goods", "restriction", "campaign"])
    return pledge


@transaction.atomic
def pledge_close(*, actor: User, pledge: Pledge, status: str, reason: str = "") -> Pledge:
    """A pledge received in full, or cancelled (with its reason)."""
    require_manager(actor, pledge.fund)
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != PledgeStatus.OPEN:
        raise ValidationError({"pledge": exc.PLEDGE_CLOSED})
    if status not in (PledgeStatus.FULFILLED, PledgeStatus.CANCELLED):
        raise ValidationError({"status": exc.CHOICE_UNKNOWN})
    if status == PledgeStatus.CANCELLED and not reason.strip():
        raise ValidationError({"reason": exc.REASON_REQUIRED})
    pledge.status = status
    pledge.save(update_fields=["status"])
    event_record(actor=actor, action=Action.UPDATE, obj=pledge, unit=pledge.fund.unit,
                 fields=["status"], reason=reason.strip())
    return pledge


@transaction.atomic
def goods_receive(*, actor: User, fund: Fund, donor: Donor, description: str, quantity: int,
                  measure: str, value: int, valuation: str, received_on: datetime.date,
                  restriction: Restriction | None = None, campaign: Campaign | None = None,
                  pledge: Pledge | None = None) -> GoodsLot:
    """Goods received (a box of school supplies): a lot, posted at its estimated value in
    đồng with its quantity, under the donor's earmark."""
    require_manager(actor, fund)
    errors: dict[str, Any] = {}
    description, measure = " ".join(description.split()), " ".join(measure.split())
    valuation = " ".join(valuation.split())
    if not description or len(description) > 300:
        errors["description"] = exc.GOODS_DESCRIPTION_REQUIRED
    if type(quantity) is not int or not 0 < quantity <= 1_000_000:
        errors["quantity"] = exc.QUANTITY_INVALID
    if not measure or len(measure) > 30:
        errors["measure"] = exc.MEASURE_REQUIRED
    if not valuation or len(valuation) > 200:
        errors["valuation"] = exc.VALUATION_REQUIRED
    try:
        checked_amount(value)
    except ValidationError:
        errors["value"] = exc.AMOUNT_INVALID
    if received_on > timezone.localdate():
        errors["received_on"] = exc.DAY_IN_FUTURE
    if errors:
        raise ValidationError(errors)
    if donor.fund_id != fund.pk:
        raise ValidationError({"donor": exc.DONOR_OF_ANOTHER_FUND})
    if restriction is not None and restriction.fund_id != fund.pk:
        raise ValidationError({"restriction": exc.RESTRICTION_OF_ANOTHER_FUND})
    check_gift_links(fund=fund, donor=donor, campaign=campaign, pledge=pledge)
    earmark = restriction or (pledge.restriction if pledge else unrestricted(fund))
    journal = open_journal(actor=actor, fund=fund, kind=JournalKind.GOODS, day=received_on)
    lot = GoodsLot.objects.create(fund=fund, donor=donor, journal=journal, pledge=pledge,
                                  description=description, quantity=quantity, measure=measure,
                                  value=value, valuation=valuation, received_on=received_on)
    bucket = Bucket(earmark, campaign or (pledge.campaign if pledge else None), lot)
    add_postings(actor=actor, journal=journal,
                 lines=[Line(bucket, Account.AVAILABLE, value, quantity),
                        Line(bucket, Account.DONATIONS, -value, -quantity)])
    return lot
