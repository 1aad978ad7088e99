"""The children a synthetic case may be about: the register of the province, read once.

One query reads every residence in the province that overlaps the period, with its child's
birth date, sex and death date (a child who moved has two or more rows), into compact arrays
(57 bytes a row, a fraction of what tuples of Python objects would take). A case is then
drawn as a moment and a row: the row's child is the case's child if the row is the residence
in effect on that day, so every child has the same chance whatever their number of moves, and
the case's commune is the child's commune on the day the report was received.
"""

import datetime
import random
from array import array

from django.db.models import Q

from treem.geo.models import Unit
from treem.registry.models import ChildResidence

FEMALE = "f"


class Population:
    def __init__(self, *, province: Unit, communes: dict[int, Unit], first_day: datetime.date,
                 last_day: datetime.date) -> None:
        self.child = array("q")
        self.commune = array("q")
        self.path = array("l")          # index into `paths`
        self.start = array("l")         # ordinals; `end` is 0 for an open residence
        self.end = array("l")
        self.birth = array("l")
        self.death = array("l")         # 0 while alive
        self.female = bytearray()
        self.paths: list[str] = []
        path_index: dict[str, int] = {}
        rows = (ChildResidence.objects.within(province)
                .filter(child__province_code=province.code, child__merged_into__isnull=True,
                        start_date__lte=last_day)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=first_day))
                .order_by("child_id", "start_date", "id")
                .values_list("child_id", "commune_id", "unit_path", "start_date", "end_date",
                             "child__birth_date", "child__sex", "child__death_date"))
        children = 0
        last_child = None
        for child_id, commune_id, path, start, end, birth, sex, death in rows.iterator(
                chunk_size=20_000):
            if commune_id not in communes:  # a unit no longer current: no case opens there
                continue
            index = path_index.get(path)
            if index is None:
                index = path_index[path] = len(self.paths)
                self.paths.append(path)
            self.child.append(child_id)
            self.commune.append(commune_id)
            self.path.append(index)
            self.start.append(start.toordinal())
            self.end.append(end.toordinal() if end else 0)
            self.birth.append(birth.toordinal())
            self.death.append(death.toordinal() if death else 0)
            self.female.append(sex == FEMALE)
            if child_id != last_child:
                children += 1
                last_child = child_id
        self.children = children

    def __len__(self) -> int:
        return len(self.child)

    def draw(self, rng: random.Random) -> int:
        return int(rng.random() * len(self.child))

    def lives_there_on(self, row: int, day: int) -> bool:
        """Whether residence `row` is in effect and its child alive on ordinal `day`."""
        end = self.end[row]
        death = self.death[row]
        return (self.start[row] <= day and (end == 0 or day <= end)
                and self.birth[row] <= day and (death == 0 or day < death))

    def leaves_on(self, row: int) -> tuple[int, bool]:
        """The first day the child no longer lives in the row's commune (moved away, or died:
        True), or 0 when neither happened."""
        end, death = self.end[row], self.death[row]
        moved = end + 1 if end else 0
        if death and (not moved or death <= moved):
            return death, True
        return moved, False


def age_on(birth: int, day: int) -> int:
    born = datetime.date.fromordinal(birth)
    on = datetime.date.fromordinal(day)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
