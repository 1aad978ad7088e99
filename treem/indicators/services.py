"""Writing the figures a sector enters: one indicator of one unit and period at a time,
checked as a whole, corrections kept as history, audited.

Two officers may open the entry page of a commune at once: a save says what it was read at
(`treem.edits.conflicts`), so the second does not silently replace the first's numbers. The
figures of an indicator, unit and period have no row of their own to hold a version, and their
rows are never deleted (a correction supersedes): their revision is counted from that history,
1 + rows written + rows superseded, which every save that changes anything raises. The page
also sends, by breakdown, the figure it was read with; a figure (indicator × breakdown) is one
field of the edit: one changed since to another value than this save's is a conflict (both
shown, nothing written), the others merge.

A unit enters its own figures only, at the levels its indicator names (`entry_levels`): a
commune what happened in the commune, a province what the province did itself (its own staff
trained), never a sum of the units below. A unit's value is its own figure plus those below it
(treem.indicators.compute.roll_up, as DHIS2 aggregates), so nothing is counted twice.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.edits import conflicts
from treem.geo.models import Level, Unit
from treem.indicators import breakdowns, caching, periods
from treem.indicators import exceptions as exc
from treem.indicators.compute import TOTAL
from treem.indicators.models import (
    IndicatorVersion,
    SectorFigure,
    Source,
    UnitKind,
    applies_to,
)
from treem.indicators.permissions import may_enter
from treem.indicators.spec import SCALES

# A total that moves by more than this share of the previous period's value must be explained
# (a data-entry slip is the likelier cause than a real change of a fifth in six months).
CHANGE_THRESHOLD = Decimal("0.20")
MAX_FIGURE = Decimal("99999999999")  # what the column (14 digits, 3 decimals) holds
# Kinds whose numerator counts a part of the denominator's whole. "Trên 100 (tỷ số)" is a
# ratio of two groups (boys born per 100 girls born): its numerator may exceed its denominator.
PART_OF_WHOLE = frozenset({UnitKind.PERCENT, UnitKind.PER_1000, UnitKind.PER_1000_BIRTHS,
                           UnitKind.PER_100K_CHILDREN})
TOTAL_FIELD = "total"  # the error key of the total row
WITH_COMMENT = _("%(figure)s (giải trình: %(comment)s)")


def field_of(breakdown: str) -> str:
    """The error key of a row: "total", or the breakdown itself ("sex=f")."""
    return TOTAL_FIELD if breakdown == TOTAL else breakdown


def value_of(unit_kind: str, numerator: Decimal | None,
             denominator: Decimal | None) -> Decimal | None:
    """The indicator's value (a count, or numerator / denominator × its scale); None when
    there is nothing to divide by."""
    if numerator is None:
        return None
    if unit_kind == UnitKind.COUNT:
        return numerator
    if not denominator:
        return None
    return numerator * SCALES[unit_kind] / denominator


def display(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


@dataclass(frozen=True)
class Cell:
    """One figure as saved or entered: what a stale save is compared by (not a tuple:
    `conflicts.same` compares tuples in any order). Its comment is part of it: a comment
    explains the numbers it was written with."""

    numerator: Decimal
    denominator: Decimal | None = None
    comment: str = ""

    def text(self) -> str:
        figure = (f"{self.numerator:f}".split(".")[0] if self.denominator is None else
                  f"{self.numerator:f}".split(".")[0] + "/"
                  + f"{self.denominator:f}".split(".")[0])
        return str(WITH_COMMENT % {"figure": figure, "comment": self.comment}
                   ) if self.comment else figure

    def as_json(self) -> dict[str, Any]:
        return {"numerator": int(self.numerator),
                "denominator": None if self.denominator is None else int(self.denominator),
                "comment": self.comment}


@dataclass(frozen=True)
class Entry:
    """One indicator's figures as entered: rows of {breakdown, numerator, denominator}, and
    what they were read at (see `figures_save`)."""

    version: IndicatorVersion
    rows: list[dict[str, Any]]
    comments: dict[str, str] = field(default_factory=dict)
    base_revision: int | None = None
    base: dict[str, Cell | None] | None = None


def revisions(versions: Any, *, unit: Unit, period: str, rows: Any = None) -> dict[int, int]:
    """The revision of each version's figures of `unit` and `period`, by version id (1 when
    none were ever entered): 1 + rows written + rows superseded, one query for them all.
    `rows` narrows the figures read (a selector's scope)."""
    rows = SectorFigure.objects.all() if rows is None else rows
    counted = {row["version"]: 1 + row["rows"] + row["superseded"] for row in (
        rows.filter(unit=unit, period=period, version__in=versions)
        .values("version").annotate(rows=Count("pk"), superseded=Count("superseded_at"))
        .order_by())}
    return {getattr(v, "pk", v): counted.get(getattr(v, "pk", v), 1) for v in versions}


def _number(raw: Any, key: str, errors: dict[str, list[Any]]) -> Decimal | None:
    try:
        number = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        number = Decimal(-1)
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        errors[key].append(exc.NOT_A_WHOLE_NUMBER)
        return None
    if number > MAX_FIGURE:
        errors[key].append(exc.TOO_LARGE)
        return None
    return number.quantize(Decimal(1))


def _clean(version: IndicatorVersion,
           rows: Iterable[Mapping[str, Any]]) -> dict[str, tuple[Decimal, Decimal | None]]:
    errors: dict[str, list[Any]] = defaultdict(list)
    counts = version.unit_kind == UnitKind.COUNT
    cleaned: dict[str, tuple[Decimal, Decimal | None]] = {}
    for row in rows:
        breakdown = str(row.get("breakdown") or "").strip()
        key = field_of(breakdown)
        if not breakdowns.accepts(list(version.disaggregations), breakdown):
            errors[key].append(exc.BREAKDOWN_UNKNOWN % {"breakdown": breakdown})
            continue
        if breakdown in cleaned or key in errors:
            errors[key].append(exc.BREAKDOWN_TWICE % {"breakdown": breakdown or TOTAL_FIELD})
            continue
        numerator = _number(row.get("numerator"), key, errors)
        raw_denominator = row.get("denominator")
        denominator = None
        if raw_denominator is None or str(raw_denominator).strip() == "":
            if not counts:
                errors[key].append(exc.DENOMINATOR_REQUIRED)
        elif counts:
            errors[key].append(exc.DENOMINATOR_FORBIDDEN)
        else:
            denominator = _number(raw_denominator, key, errors)
        if (numerator is not None and denominator is not None
                and version.unit_kind in PART_OF_WHOLE and numerator > denominator):
            errors[key].append(exc.ABOVE_DENOMINATOR)
        if key not in errors and numerator is not None:
            cleaned[breakdown] = (numerator, denominator)
    if TOTAL not in cleaned and TOTAL_FIELD not in errors:
        errors[TOTAL_FIELD].append(exc.TOTAL_REQUIRED)
    if errors:
        raise ValidationError(dict(errors))
    _check_sums(cleaned)
    return cleaned


def _check_sums(cleaned: dict[str, tuple[Decimal, Decimal | None]]) -> None:
    """Where a dimension's breakdowns are given, they add up to the total."""
    by_dimension: dict[str, list[tuple[Decimal, Decimal | None]]] = defaultdict(list)
    for breakdown, cell in cleaned.items():
        parts = breakdowns.split(breakdown)
        if parts is not None:
            by_dimension[parts[0]].append(cell)
    total_numerator, total_denominator = cleaned[TOTAL]
    errors: list[Any] = []
    for dimension, cells in by_dimension.items():
        label = breakdowns.DIMENSION_LABELS.get(dimension, dimension)
        numerators = sum((n for n, _d in cells), Decimal(0))
        if numerators != total_numerator:
            errors.append(exc.SUM_NUMERATOR % {"dimension": label, "sum": numerators,
                                               "total": total_numerator})
        if total_denominator is not None:
            denominators = sum((d or Decimal(0) for _n, d in cells), Decimal(0))
            if denominators != total_denominator:
                errors.append(exc.SUM_DENOMINATOR % {"dimension": label, "sum": denominators,
                                                     "total": total_denominator})
    if errors:
        raise ValidationError({TOTAL_FIELD: errors})


def _check_place(version: IndicatorVersion, unit: Unit, code: str,
                 today: datetime.date) -> periods.Period:
    try:
        period = periods.parse(code)
    except periods.PeriodError as error:
        raise ValidationError({"period": str(error)}) from error
    if period.kind != version.period_kind:
        raise ValidationError({"period": exc.PERIOD_KIND % {
            "kind": periods.LABELS[version.period_kind], "code": period.code}})
    if period.start > today:
        raise ValidationError({"period": exc.PERIOD_FUTURE % {"code": period.code}})
    if unit.valid_from is not None and period.end < unit.valid_from:
        raise ValidationError({"period": exc.PERIOD_BEFORE_UNIT % {"code": period.code}})
    return period


def _check_change(version: IndicatorVersion, unit: Unit, period: periods.Period,
                  total: tuple[Decimal, Decimal | None], comment: str) -> None:
    if comment:
        return
    before = (SectorFigure.objects.current()
              .filter(version=version, unit=unit, period=periods.previous(period).code,
                      breakdown=TOTAL).first())
    if before is None:
        return
    old = value_of(version.unit_kind, before.numerator, before.denominator)
    new = value_of(version.unit_kind, *total)
    if old is None or new is None or new == old:
        return
    # From zero any change is beyond every share of it.
    if old == 0 or abs(new - old) > CHANGE_THRESHOLD * abs(old):
        raise ValidationError({"comment": exc.COMMENT_REQUIRED % {
            "threshold": int(CHANGE_THRESHOLD * 100), "previous": display(old)}})


@transaction.atomic
def figures_save(*, actor: User, unit: Unit, period: str, version: IndicatorVersion,
                 rows: list[dict[str, Any]], comments: dict[str, str] | None = None,
                 today: datetime.date | None = None, base_revision: int | None = None,
                 base: Mapping[str, Cell | None] | None = None) -> list[SectorFigure]:
    """Save one indicator's own figures of a unit for a period: the total ("") and any of its
    breakdowns, which together replace what was current (a breakdown left out is withdrawn).

    A row whose numbers and comment are unchanged is left as it is; a changed one supersedes
    the current row, which stays as history. Returns the current rows after the save.

    `base_revision` is the revision the figures were read at (None: no precondition), `base`
    the figure each breakdown was read with (None: there was none; a breakdown left out: not
    known). A stale save refuses a figure changed since to another value than its own
    (`EditConflict`, nothing written); a figure it did not change keeps the one saved since.
    """
    comments = {key: str(text).strip() for key, text in (comments or {}).items()}
    if version.source != Source.ENTERED:
        raise ValidationError(exc.NOT_ENTERED)
    if unit.level not in version.entry_levels or not unit.is_current:
        raise ValidationError({"unit": exc.UNIT_LEVEL % {
            "levels": "; ".join(str(Level(level).label) for level in version.entry_levels)}})
    if not applies_to(version.indicator.indicator_set.owner_path, unit):
        raise ValidationError({"unit": exc.SET_NOT_FOR_UNIT})
    if not may_enter(actor, agency=version.agency, path=unit.path):
        raise PermissionDenied(exc.OUT_OF_SCOPE)
    found = _check_place(version, unit, period, today or timezone.localdate())
    cleaned = _clean(version, rows)
    # Two first saves of one figure would both find no current row to lock and the second
    # would break the one-current-row constraint: saves for a unit wait for each other.
    list(Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
    current = {figure.breakdown: figure for figure in SectorFigure.objects.select_for_update()
               .current().filter(version=version, unit=unit, period=found.code)}
    cleaned, comments = _merge(version=version, unit=unit, period=found.code, current=current,
                               cleaned=cleaned, comments=comments,
                               base_revision=base_revision, base=base)

    def changed(breakdown: str) -> bool:
        figure = current.get(breakdown)
        return figure is None or (figure.numerator, figure.denominator, figure.comment) != (
            *cleaned[breakdown], comments.get(breakdown, ""))

    if changed(TOTAL):
        _check_change(version, unit, found, cleaned[TOTAL], comments.get(TOTAL, ""))
    written = [breakdown for breakdown in cleaned if changed(breakdown)]
    withdrawn = [breakdown for breakdown in current if breakdown not in cleaned]
    if not written and not withdrawn:
        return sorted(current.values(), key=lambda f: f.breakdown)
    first_entry = not current
    now = timezone.now()
    SectorFigure.objects.filter(pk__in=[current[b].pk for b in [*written, *withdrawn]
                                        if b in current]).update(superseded_at=now)
    for breakdown in written:
        numerator, denominator = cleaned[breakdown]
        current[breakdown] = SectorFigure.objects.create(
            version=version, unit=unit, unit_path=unit.path,
            province_code=unit.province_code, period=found.code,
            breakdown=breakdown, numerator=numerator, denominator=denominator,
            comment=comments.get(breakdown, ""), entered_by=actor)
    for breakdown in withdrawn:
        del current[breakdown]
    # The dashboards show the new figures at once, not when their kept values expire.
    transaction.on_commit(lambda: caching.forget(unit))
    event_record(actor=actor, action=Action.CREATE if first_entry else Action.UPDATE,
                 obj=current.get(TOTAL), unit=unit,
                 fields=[field_of(b) for b in [*written, *withdrawn]],
                 reason=f"{version.indicator.code} {found.code}")
    return sorted(current.values(), key=lambda f: f.breakdown)


def _merge(*, version: IndicatorVersion, unit: Unit, period: str,
           current: dict[str, SectorFigure], cleaned: dict[str, tuple[Decimal, Decimal | None]],
           comments: dict[str, str], base_revision: int | None,
           base: Mapping[str, Cell | None] | None
           ) -> tuple[dict[str, tuple[Decimal, Decimal | None]], dict[str, str]]:
    """The figures to save, after the conflict check: this save's where it changed them,
    those saved since where it did not (read under the unit's lock)."""
    theirs = {b: Cell(_whole(f.numerator), None if f.denominator is None
                      else _whole(f.denominator), f.comment) for b, f in current.items()}
    mine = {b: Cell(n, d, comments.get(b, "")) for b, (n, d) in cleaned.items()}
    base = base or {}
    keys = sorted({*theirs, *mine, *base})
    # Without the value read (an API client) every figure is this save's; with it, only
    # those it changed.
    changes = {b: mine.get(b) for b in keys
               if b not in base or not conflicts.same(mine.get(b), base[b])}
    revision = revisions([version], unit=unit, period=period)[version.pk]
    names = conflicts.conflicting(current={b: theirs.get(b) for b in keys}, version=revision,
                                  base_version=base_revision, changes=changes, base=base)
    if names:
        raise conflicts.EditConflict(
            [_conflict(b, mine.get(b), theirs.get(b), base.get(b, conflicts.UNKNOWN),
                       current.get(b)) for b in names],
            version=revision, base_version=base_revision)
    merged = {b: changes[b] if b in changes else theirs.get(b) for b in keys}
    kept = {b: cell for b, cell in merged.items() if cell is not None}
    if kept == mine:
        return cleaned, comments
    # Figures of one dimension changed by two saves may no longer add up to the total.
    if TOTAL not in kept:
        raise ValidationError({TOTAL_FIELD: exc.TOTAL_REQUIRED})
    result = {b: (cell.numerator, cell.denominator) for b, cell in kept.items()}
    _check_sums(result)
    return result, {b: cell.comment for b, cell in kept.items() if cell.comment}


def _whole(number: Decimal) -> Decimal:
    """A saved figure (three decimals in its column) as entered: whole."""
    return number.quantize(Decimal(1))


def _conflict(breakdown: str, mine: Cell | None, theirs: Cell | None, base: Any,
              saved: SectorFigure | None) -> conflicts.FieldConflict:
    def text(cell: Cell | None) -> str:
        return cell.text() if cell is not None else str(conflicts.EMPTY)

    by = ""
    if saved is not None:  # a breakdown withdrawn since has no row saying who withdrew it
        by = getattr(saved.entered_by, "full_name", "") or saved.entered_by.get_username()
    return conflicts.FieldConflict(
        field=field_of(breakdown), label=str(breakdowns.label_of(breakdown)),
        mine=mine.as_json() if mine else None, theirs=theirs.as_json() if theirs else None,
        base=base, mine_text=text(mine), theirs_text=text(theirs), saved_by=by,
        saved_at=saved.entered_at if saved is not None else None)


@transaction.atomic
def figures_save_many(*, actor: User, unit: Unit, period: str,
                      entries: list[Entry]) -> list[SectorFigure]:
    """Save several indicators of one unit and period (the entry page): all of them, or,
    when any is refused, none; EntryRefused holds each refused indicator's reasons."""
    errors: dict[int, ValidationError] = {}
    stale: dict[int, conflicts.EditConflict] = {}
    saved: list[SectorFigure] = []
    for entry in entries:
        try:
            saved += figures_save(actor=actor, unit=unit, period=period,
                                  version=entry.version, rows=entry.rows,
                                  comments=entry.comments, base_revision=entry.base_revision,
                                  base=entry.base)
        except ValidationError as error:
            errors[entry.version.pk] = error
        except conflicts.EditConflict as conflict:
            stale[entry.version.pk] = conflict
    if errors or stale:
        raise exc.EntryRefused(errors, conflicts=stale)
    return saved
