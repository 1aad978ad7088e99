"""Computed indicators in the database: one aggregate query per population for all the
indicators of a period, grouped by commune and by every breakdown at once.

Each count an indicator needs (its numerator, its denominator) becomes one filtered COUNT of
the population's query; indicators that count the same thing share it. The rows come back
grouped by commune × sex × age group × ethnicity (or the population's own breakdowns): a few
thousand rows for a province, summed here into totals and into each breakdown. Nothing is read
child by child.

Where things are counted:
- children on the period's last day are counted where they lived that day (their residence
  history), so a child who moved counts in one commune only, and a commune merged in July 2025
  counts its children before the merger and the new commune after it;
- a birth or a death where the child lived that day;
- a case in the commune of the case;
- a province's children are read in two parts: those who live in the province today, from
  its own partitions (PostgreSQL reads no other province's children or history), and the few
  who have moved to another province since, found by their residence's `child_province_code`;
- a child's statuses (schooling, nutrition, birth registration…) as they were on the
  period's last day (`treem.registry.statuses`), for the births too: a birth registered after
  the period counts as not registered in it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.functions import Coalesce, TruncDate

from treem.cases.models import Case, CaseAbuse, CaseDeadline, Plan, Protection
from treem.geo.models import Unit, province_codes
from treem.geo.paths import ancestor_paths, any_subtree_q, subtree_q
from treem.indicators import grouped, populations
from treem.indicators.periods import Period
from treem.indicators.spec import Count as CountSpec
from treem.indicators.spec import Spec, dimensions_of
from treem.registry import statuses
from treem.registry.counting import INJURY_CAUSES, was_child, younger_than
from treem.registry.models import (
    CHILD_AGE_LIMIT,
    ChildCircumstance,
    ChildResidence,
    ChildRisk,
    ChildStatusPast,
    ChildSupport,
    Ethnicity,
    years_before,
)

KINH = "01"  # the ethnicity code of the Kinh majority (Tổng cục Thống kê, QĐ 121/1979)
AGE_GROUPS = ((0, 5, "0-5"), (6, 10, "6-10"), (11, 15, "11-15"))
TOTAL = ""  # the breakdown key of a total


@dataclass(frozen=True)
class Cell:
    numerator: int
    denominator: int | None

    def value(self, scale: int) -> float | None:
        if self.denominator is None:
            return float(self.numerator)
        if not self.denominator:
            return None  # nothing to divide by: no value, not zero
        return self.numerator * scale / self.denominator


# (indicator key, commune id, breakdown "" | "sex=f" | …) → cell
Values = dict[tuple[Any, int, str], Cell]

CHILD_POPULATIONS = ("children", "births", "deaths")


@dataclass(frozen=True)
class Part:
    """Which children of the scope's residences a query reads: all of them (`provinces` None),
    those living in `provinces` today, or (`moved`) those living elsewhere today."""

    provinces: tuple[str, ...] | None = None
    moved: bool = False

    @property
    def history_provinces(self) -> tuple[str, ...] | None:
        """The provinces of the history rows the part reads, when they are known."""
        return None if self.moved else self.provinces


def _parts(population: str, scope_path: str | list[str]) -> list[Part]:
    codes = province_codes([scope_path] if isinstance(scope_path, str) else scope_path)
    if population not in CHILD_POPULATIONS or codes is None:
        return [Part()]
    return [Part(tuple(codes)), Part(tuple(codes), moved=True)]


def compute(specs: dict[Any, Spec], period: Period, scope_path: str | list[str]) -> Values:
    """Every spec's numerator and denominator for each commune under `scope_path` (or under
    any of several paths: the units a unit of today took over), in total and
    by each of its breakdowns."""
    wanted: dict[str, list[CountSpec]] = defaultdict(list)
    breakdowns: dict[str, set[str]] = defaultdict(set)
    for spec in specs.values():
        for count in spec.counts():
            if count not in wanted[count.population]:
                wanted[count.population].append(count)
            breakdowns[count.population].update(spec.breakdowns)
    counted: dict[CountSpec, dict[tuple[int, str], int]] = {}
    for population, counts in wanted.items():
        dimensions = [d for d in dimensions_of(population) if d in breakdowns[population]]
        registered = populations.get(population)
        if registered is not None:
            counted.update(_count_registered(registered, counts, dimensions, period,
                                             scope_path))
        else:
            counted.update(_count_population(population, counts, dimensions, period,
                                             scope_path))
    values: Values = {}
    for key, spec in specs.items():
        numerators = counted[spec.numerator]
        denominators = counted[spec.denominator] if spec.denominator else None
        cells = set(numerators) | set(denominators or {})
        for commune, breakdown in cells:
            if breakdown != TOTAL and breakdown.split("=", 1)[0] not in spec.breakdowns:
                continue
            values[(key, commune, breakdown)] = Cell(
                numerators.get((commune, breakdown), 0),
                None if denominators is None else denominators.get((commune, breakdown), 0))
    return values


def _count_population(population: str, counts: list[CountSpec], dimensions: list[str],
                      period: Period, scope_path: str | list[str]
                      ) -> dict[CountSpec, dict[tuple[int, str], int]]:
    """One query: the rows grouped by commune and the breakdowns asked for, a filtered count
    per distinct count. A filter every count shares goes to the WHERE clause, so the rows no
    count wants are never grouped. (A province's children: one branch per `Part` of one
    UNION ALL, each child in one of them, so their counts add up.)"""
    found: dict[CountSpec, dict[tuple[int, str], int]] = {c: defaultdict(int) for c in counts}
    codes = dict(Ethnicity.objects.values_list("pk", "code")) if "ethnicity" in dimensions else {}
    shared = set.intersection(*(set(count.where) for count in counts))
    if population in CHILD_POPULATIONS:
        rows = _count_children(population, counts, shared, dimensions, period, scope_path)
    else:
        rows = _count_cases(population, counts, shared, dimensions, period, scope_path)
    columns = [(f"n{i}", found[count]) for i, count in enumerate(counts)]
    for row in rows:
        if codes:
            row["ethnicity"] = codes.get(row["ethnicity"], "")
        if "age_group" in dimensions:
            row["age_group"] = _age_group(row)
        commune = row["commune_id"]
        slots = [(commune, TOTAL), *((commune, f"{dimension}={row[dimension] or ''}")
                                     for dimension in dimensions)]
        for column, cells in columns:
            n = row[column]
            if n:
                for slot in slots:
                    cells[slot] += n
    return {count: dict(cells) for count, cells in found.items()}


def _count_cases(population: str, counts: list[CountSpec], shared: set[tuple[str, Any]],
                 dimensions: list[str], period: Period, scope_path: str | list[str]
                 ) -> Iterable[dict[str, Any]]:
    rows, counted_field = _base(population, period, scope_path, Part())
    if shared:
        rows = rows.filter(_where(population, CountSpec(population, tuple(sorted(shared))),
                                  period, Part()))
    annotations = {}
    for i, count in enumerate(counts):
        own = CountSpec(population, tuple(pair for pair in count.where if pair not in shared))
        annotations[f"n{i}"] = Count(
            counted_field, distinct=True,
            filter=_where(population, own, period, Part()) if own.where else None)
    return rows.values("commune_id", *dimensions).order_by().annotate(**annotations)


def _count_children(population: str, counts: list[CountSpec], shared: set[tuple[str, Any]],
                    dimensions: list[str], period: Period, scope_path: str | list[str]
                    ) -> Iterable[dict[str, Any]]:
    """The children (or births, or deaths) grouped: one branch per `Part`, all in one
    statement, so in one snapshot: a child moved out of the province while they are read is
    counted once, in one part or the other. A count's test of the child's history is
    `child_id IN (that day's set)` (`treem.indicators.grouped`), except among the few movers,
    where EXISTS reads an index."""
    keys = ["commune_id", *_grouped_by(dimensions)]
    day = period.reference_date
    # A status is tested after the join to the values held on the day, so never in the rows'
    # own filter: a status every count shares is tested by each.
    shared = {pair for pair in shared if pair[0] not in _STATUS_OF}
    fields = sorted({_STATUS_OF[name] for count in counts for name, _value in count.where
                     if name in _STATUS_OF})
    branches = []
    for part in _parts(population, scope_path):
        rows, counted_field = _base(population, period, scope_path, part)
        if shared:
            rows = rows.filter(_where(population, CountSpec(population, tuple(sorted(shared))),
                                      period, part))
        sets: list[tuple[str, Any]] = []
        conditions: dict[str, ExpressionWrapper] = {}
        tested = []
        for i, count in enumerate(counts):
            own = [pair for pair in count.where if pair not in shared]
            in_sets = [] if part.moved else [pair for pair in own if pair[0] in _HISTORY]
            statused = [pair for pair in own if pair[0] in _STATUS_OF]
            plain = [pair for pair in own if pair not in in_sets and pair not in statused]
            if plain:
                conditions[f"c{i}"] = ExpressionWrapper(
                    _where(population, CountSpec(population, tuple(plain)), period, part),
                    output_field=BooleanField())
            refs = []
            for name, value in in_sets:
                # One set of supported children answers both "supported" and "not".
                key = (name, None if name == "supported" else value)
                if key not in sets:
                    sets.append(key)
                refs.append((sets.index(key), bool(value) if name == "supported" else True))
            tested.append(grouped.Tested(f"c{i}" if plain else None, tuple(refs),
                                         tuple(_status_test(*pair) for pair in statused)))
        held = _held(fields, day, part) if fields else None
        current = _current(fields)
        rows = rows.annotate(counted=F(counted_field), **conditions, **current).values(
            *keys, "counted", *conditions, *current).order_by()
        tested_sets = [_history(name, _values(value), day, part.history_provinces)
                       .values("child_id").order_by() for name, value in sets]
        branches.append(grouped.branch(rows, keys, "counted", tested, tested_sets, held))
    return grouped.run(rows.db, branches, [*keys, *(f"n{i}" for i in range(len(counts)))])


def _count_registered(population: populations.Population, counts: list[CountSpec],
                      dimensions: list[str], period: Period, scope_path: str | list[str]
                      ) -> dict[CountSpec, dict[tuple[int, str], int]]:
    """A population registered by an app above (`treem.indicators.populations`): one query
    likewise, grouped by commune and the breakdowns, a filtered count or sum per count."""
    field = population.scope_field
    in_scope = (subtree_q(scope_path, field=field) if isinstance(scope_path, str)
                else any_subtree_q(scope_path, field=field))
    rows = population.rows(period, in_scope)

    def where(count: CountSpec) -> Q:
        q = Q()
        for name, value in count.filters.items():
            q &= population.where(name, value if isinstance(value, list) else [value], period)
        return q

    annotations = {}
    for i, count in enumerate(counts):
        condition = where(count) if count.where else None
        annotations[f"n{i}"] = (
            Sum(population.measure, filter=condition) if population.summed
            else Count(population.measure, distinct=True, filter=condition))
    grouped = rows.values("commune_id", *dimensions).order_by().annotate(**annotations)
    found: dict[CountSpec, dict[tuple[int, str], int]] = {c: defaultdict(int) for c in counts}
    for row in grouped:
        for i, count in enumerate(counts):
            n = row[f"n{i}"]
            if not n:
                continue
            cells = found[count]
            cells[(row["commune_id"], TOTAL)] += n
            for dimension in dimensions:
                cells[(row["commune_id"], f"{dimension}={row[dimension] or ''}")] += n
    return {count: dict(cells) for count, cells in found.items()}


# The age group is grouped by as one yes/no column per boundary ("younger than 6", "than 11"),
# not as a CASE over the birth date: PostgreSQL estimates a yes/no column at two values and
# the CASE at the birth date's thousands, so at 5 million children it sorted the rows to
# group them (spilling to disk) where it now hashes them, 5.5 s against 3.7 s.
AGE_FLAGS = tuple(f"age_under_{high + 1}" for _low, high, _label in AGE_GROUPS[:-1])


def _age_flags(reference: datetime.date, field: str) -> dict[str, ExpressionWrapper]:
    return {flag: ExpressionWrapper(Q(**{f"{field}__gt": years_before(reference, high + 1)}),
                                    output_field=BooleanField())
            for flag, (_low, high, _label) in zip(AGE_FLAGS, AGE_GROUPS, strict=False)}


def _age_group(row: dict[str, Any]) -> str:
    """The group of a row of children (all of them younger than 16 on the day)."""
    return next((label for flag, (_low, _high, label) in zip(AGE_FLAGS, AGE_GROUPS,
                                                             strict=False) if row[flag]),
                AGE_GROUPS[-1][2])


def _grouped_by(dimensions: list[str]) -> list[str]:
    return [column for dimension in dimensions
            for column in (AGE_FLAGS if dimension == "age_group" else (dimension,))]


def _base(population: str, period: Period, scope_path: str | list[str],
          part: Part) -> tuple[QuerySet, str]:
    """The rows a population counts, with its breakdowns as columns and `commune_id`:
    (queryset, the column counted)."""
    # Through `within_paths`: on PostgreSQL it reads only the scope's provinces' partitions.
    paths = [scope_path] if isinstance(scope_path, str) else scope_path
    if population in CHILD_POPULATIONS:
        rows = ChildResidence.objects.within_paths(paths).filter(
            child__merged_into__isnull=True)
        if part.provinces is not None and not part.moved:
            rows = rows.filter(child__province_code__in=part.provinces)
        elif part.provinces is not None:
            # The first test is what the index of movers holds (registry_residence_movers);
            # the child's own code decides, should the residence's lag.
            rows = (rows.exclude(child_province_code=F("province_code"))
                    .exclude(child_province_code__in=part.provinces)
                    .exclude(child__province_code__in=part.provinces))
        if population == "children":
            day = period.reference_date
            rows = rows.filter(start_date__lte=day).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=day)).filter(
                child__birth_date__gt=years_before(day, CHILD_AGE_LIMIT),
                child__birth_date__lte=day).filter(
                Q(child__death_date__isnull=True) | Q(child__death_date__gt=day))
            rows = rows.annotate(**_age_flags(day, "child__birth_date"))
        else:
            # The event's day, and where the child lived on it.
            event = "child__birth_date" if population == "births" else "child__death_date"
            rows = rows.filter(**{f"{event}__gte": period.start, f"{event}__lte": period.end},
                               start_date__lte=F(event)).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=F(event)))
            if population == "deaths":  # a child's death: under 16 on the day
                rows = rows.filter(was_child("child__death_date", "child__birth_date"))
        # The ethnicity's id, not its code: no join to the catalogue of 54 (codes added after).
        rows = rows.annotate(sex=F("child__sex"), ethnicity=F("child__ethnicity_id"))
        return rows, "child_id"
    cases = Case.objects.within_paths(paths).filter(
        received_at__gte=_moment(period.start),
        received_at__lt=_moment(period.end + datetime.timedelta(1)))
    cases = cases.annotate(sex=F("child__sex"), place=Subquery(
        CaseAbuse.objects.filter(case=OuterRef("pk")).order_by("id").values("place")[:1]))
    cases = cases.annotate(dated=FilteredRelation(
        "abuses", condition=Q(abuses__happened_on__isnull=False))).filter(_child_at_abuse())
    if population == "abused_children":
        cases = cases.filter(Exists(CaseAbuse.objects.filter(case=OuterRef("pk"),
                                                             confirmed=True)))
        return cases, "child_id"
    return cases, "id"


def _child_at_abuse() -> Q:
    """Under 16 on the day of the abuse: the first day recorded on its forms, else the day the
    case was received (read in the local time zone), as `cases.services` dates a case.

    Tested on each of the case's dated forms (`dated`, joined: a row per form, hence the
    cases counted distinct): a child on the first day if on any day, as age only grows. A
    join, not a subquery per case: subqueries in the join's filter kept the join to 5 million
    children in one process (1.2–1.4 s for the nation at 5M, against 0.1 s joined)."""
    return was_child(Coalesce("dated__happened_on", TruncDate("received_at")), "child__birth_date")


def _moment(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _where(population: str, count: CountSpec, period: Period, part: Part) -> Q:
    """The filter of one count, on the population's rows."""
    q = Q()
    day = period.reference_date
    for name, value in count.filters.items():
        values = value if isinstance(value, list) else [value]
        if population in ("cases", "abused_children"):
            q &= _case_filter(name, values, period)
        else:
            q &= _child_filter(name, value, values, day, part.history_provinces)
    return q


def _plan_in_time(period: Period) -> Q:
    """An approved support plan, and none of the case's planning and approval limits
    (Nghị định 56/2017 Điều 28: the plan in 5 working days, its approval in 2,
    `treem.cases.deadlines`) met late, missed, or overdue at the end of the period."""
    end = _moment(period.end + datetime.timedelta(1))
    late = CaseDeadline.objects.filter(
        case=OuterRef("pk"), step__in=[CaseDeadline.Step.PLAN, CaseDeadline.Step.APPROVAL]
    ).filter(Q(met_at__gt=F("due_at")) | Q(cancelled_at__gt=F("due_at"))
             | Q(met_at__isnull=True, cancelled_at__isnull=True, due_at__lt=end))
    approved = Plan.objects.filter(case=OuterRef("pk"), approved_at__lt=end)
    return Q(Exists(approved)) & ~Q(Exists(late))


def _case_filter(name: str, values: list[Any], period: Period) -> Q:
    if name == "sex":
        return Q(child__sex__in=values)
    if name == "place":
        return Q(place__in=values)
    if name == "form":
        return Q(Exists(CaseAbuse.objects.filter(case=OuterRef("pk"), form__in=values)))
    if name == "helped":  # an approved plan or an emergency measure: the case was acted on
        helped = (Exists(Plan.objects.filter(case=OuterRef("pk"), approved_at__isnull=False))
                  | Exists(Protection.objects.filter(case=OuterRef("pk"))))
        return Q(helped) if values[0] else ~Q(helped)
    if name == "plan_in_time":
        return _plan_in_time(period) if values[0] else ~_plan_in_time(period)
    confirmed = Exists(CaseAbuse.objects.filter(case=OuterRef("pk"), confirmed=True))
    return Q(confirmed) if values[0] else ~Q(confirmed)


# The filters that test a child's history rows on the day.
_HISTORY = ("circumstance", "risk", "supported")


def _history(name: str, values: list[Any], day: datetime.date,
             provinces: tuple[str, ...] | None) -> QuerySet:
    """The history rows on `day` that a filter `name` with `values` looks for. They are in
    their child's partition: named, when known, so only it is read."""
    model = {"circumstance": ChildCircumstance, "risk": ChildRisk,
             "supported": ChildSupport}[name]
    rows = model.objects.on(day)
    if provinces is not None:
        rows = rows.filter(province_code__in=provinces)
    if name == "circumstance" and values != ["*"]:
        rows = rows.filter(Q(group__code__in=values) | Q(group__parent__code__in=values))
    elif name == "risk" and values != ["*"]:
        rows = rows.filter(flag__in=values)
    return rows


def _values(value: Any) -> list[Any]:
    """A filter's value as the list of its values (a pair's value is a tuple, or one)."""
    return list(value) if isinstance(value, tuple | list) else [value]


def _child_filter(name: str, value: Any, values: list[Any], day: datetime.date,
                  provinces: tuple[str, ...] | None) -> Q:
    if name == "age":
        youngest, oldest = value
        return Q(child__birth_date__gt=years_before(day, oldest + 1),
                 child__birth_date__lte=years_before(day, youngest))
    if name == "under_age":  # at death: completed years on the day, as every age
        return younger_than(value, "child__death_date", "child__birth_date")
    if name == "injury":
        return Q(child__death_cause__in=INJURY_CAUSES)
    if name == "under_days":  # neonatal deaths: within the first 28 days
        return Q(child__death_date__lt=F("child__birth_date") + datetime.timedelta(days=value))
    if name in _HISTORY:
        found = Q(Exists(_history(name, values, day, provinces).filter(child=OuterRef("child_id"))))
        return found if name != "supported" or value else ~found
    if name in _STATUS_OF:  # as it was on the day: tested after the join (`_held`)
        raise ValueError(f"{name} is a status, tested on the held values, not on the rows")
    if name == "minority":
        return ~Q(child__ethnicity__code=KINH) if value else Q(child__ethnicity__code=KINH)
    if name == "cause":
        return Q(child__death_cause__in=values)
    return Q(**{f"child__{name}__in": values})  # sex and the other choice lists


# The spec's filters on a status field, and the field whose history they read.
_STATUS_OF = {**{name: name for name in statuses.TRACKED}, "disability": "disability_type"}


def _status_test(name: str, value: Any) -> grouped.StatusTest:
    """A filter on a status as it was on the day (`_held`)."""
    if name == "disability":
        return grouped.StatusTest("disability_type", ("",), among=not value)
    return grouped.StatusTest(name, tuple(statuses.stored(name, v) for v in _values(value)))


def _current(fields: list[str]) -> dict[str, Any]:
    """Each status field's current value (`grouped.current_column`), stored as the past values
    are (`statuses.stored`: a yes/no field as "1" or "0")."""
    columns: dict[str, Any] = {}
    for name in fields:
        current: Any = F(f"child__{name}")
        if name in statuses.YES_NO:
            current = When_(When(**{f"child__{name}": True}, then=Value("1")),
                            default=Value("0"), output_field=CharField())
        columns[grouped.current_column(name)] = current
    return columns


def _held(fields: list[str], day: datetime.date, part: Part) -> QuerySet:
    """The status values held on `day` that have changed since (`treem.registry.statuses`):
    one row per child, a column per field (`grouped.held_column`), the value of the span
    covering the day (at most one: spans of a field never overlap). Read from the children's
    own partitions when the part knows them."""
    rows = ChildStatusPast.objects.on(day).filter(field__in=fields)
    if part.history_provinces is not None:
        rows = rows.filter(province_code__in=part.history_provinces)
    return rows.values("child_id").order_by().annotate(
        **{grouped.held_column(name): Max("value", filter=Q(field=name)) for name in fields})


def roll_up(values: Values, scope_path: str) -> Values:
    """The communes' cells added up into every unit above them, up to the scope's unit: the
    numerators and the denominators are summed, never the rates averaged. Keyed by unit id
    like the communes' (which stay in the result)."""
    communes = {commune for _key, commune, _breakdown in values}
    paths = dict(Unit.objects.filter(pk__in=communes).values_list("pk", "path"))
    above = {path for commune_path in paths.values() for path in ancestor_paths(commune_path)
             if path.startswith(scope_path)}
    unit_of = dict(Unit.objects.filter(path__in=above).values_list("path", "pk"))
    # Each commune's units, itself first, worked out once: the nation has 50,000 cells.
    units_of = {commune: [commune, *(unit_of[path] for path in ancestor_paths(commune_path)
                                     if path != commune_path and path in unit_of)]
                for commune, commune_path in paths.items()}
    totals: dict[tuple[Any, int, str], list[int | None]] = {}
    for (key, commune, breakdown), cell in values.items():
        numerator, denominator = cell.numerator, cell.denominator
        for unit in units_of[commune]:
            total = totals.get((key, unit, breakdown))
            if total is None:
                totals[(key, unit, breakdown)] = [numerator, denominator]
                continue
            total[0] = (total[0] or 0) + numerator
            if denominator is not None:
                total[1] = (total[1] or 0) + denominator
    return {slot: Cell(int(n or 0), d) for slot, (n, d) in totals.items()}
