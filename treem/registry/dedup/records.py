"""A province's children as compact columns, read in two queries.

Matching compares millions of pairs in memory; lists of plain values indexed by position keep
a million children in a few hundred megabytes and each comparison free of model objects.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from treem.geo.models import Level, UnitSuccession
from treem.registry.choices import DatePrecision
from treem.registry.models import Caregiver, Child

CHUNK = 20_000


@dataclass
class Records:
    ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)        # folded full name
    births: list[int] = field(default_factory=list)       # yyyymmdd
    # 0: the day is known, 1: only the month and year, 2: only the year
    rough_births: list[int] = field(default_factory=list)
    sexes: list[str] = field(default_factory=list)
    # The commune of today: a record of an old commune (before the July 2025 merger) counts
    # in the commune that old one became, where the child is registered again.
    communes: list[int] = field(default_factory=list)
    former: set[int] = field(default_factory=set)  # positions recorded in an old commune
    villages: list[int] = field(default_factory=list)     # 0 when unknown
    personal_ids: list[str] = field(default_factory=list)  # "" when unknown
    households: list[int] = field(default_factory=list)   # 0 when none
    carers: dict[int, tuple[str, ...]] = field(default_factory=dict)  # position → folded names

    def __len__(self) -> int:
        return len(self.ids)


def province_records(province_code: str, *, also: Collection[str] = ()) -> Records:
    """Children on record (not merged away) in the province (and the old provinces `also`
    that became it), with their caregivers' names, in the order of their ids (so that a
    pair's first position holds the smaller id)."""
    records = Records()
    position: dict[int, int] = {}
    codes = [province_code, *also]
    rows = (Child.objects.on_record().filter(province_code__in=codes)
            .order_by("id").values_list("id", "name_folded", "birth_date", "sex", "commune_id",
                                    "village_id", "personal_id", "household_id", "birth_date_precision"))
    roughness = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
    for pk, name, born, sex, commune, village, pid, household, precision in rows.iterator(
            chunk_size=CHUNK):
        position[pk] = len(records.ids)
        records.ids.append(pk)
        records.names.append(name)
        records.births.append(born.year * 10_000 + born.month * 100 + born.day)
        records.rough_births.append(roughness.get(precision, 0))
        records.sexes.append(sex)
        records.communes.append(commune)
        records.villages.append(village or 0)
        records.personal_ids.append(pid or "")
        records.households.append(household or 0)
    _communes_of_today(records)
    carers: dict[int, list[str]] = {}
    names = (Caregiver.objects.filter(child__province_code__in=codes,
                                      child__merged_into__isnull=True)
             .order_by().values_list("child_id", "name_folded"))
    for child_id, name in names.iterator(chunk_size=CHUNK):
        at = position.get(child_id)
        if at is not None and name:
            carers.setdefault(at, []).append(name)
    records.carers = {at: tuple(found) for at, found in carers.items()}
    return records


def _communes_of_today(records: Records) -> None:
    """Replace each old commune by the commune it became (the default one, for an old commune
    divided between several)."""
    today = dict(UnitSuccession.objects.filter(
        predecessor_id__in=set(records.communes), predecessor__level=Level.COMMUNE,
        is_default=True).values_list("predecessor_id", "successor_id"))
    if not today:
        return
    for at, commune in enumerate(records.communes):
        successor = today.get(commune)
        if successor is not None:
            records.communes[at] = successor
            records.former.add(at)
