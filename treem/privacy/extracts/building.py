"""What a pseudonymised extract holds (docs/retention.md, "Pseudonymised extracts").

- Each child is named by a pseudonym: HMAC-SHA256 of its internal id under the extract's own
  random secret. Stable within the extract (the same child, the same pseudonym, however often
  it is downloaded), unrelated across extracts; the id itself is never written.
- No name, no personal id, no household, no caregiver. The birth date is reduced to its month
  (YYYY-MM); the commune's code is kept.
- Small cells: the quasi-identifiers are the commune, the birth month, the sex and the
  ethnicity. A row whose combination is shared by fewer than K rows is generalised in steps,
  counted each time among the rows that reached that step: (1) birth month → birth year and
  ethnicity → "*"; (2) birth, sex and ethnicity → "*" (the commune alone); (3) every
  quasi-identifier → "*". Rows still in a group of fewer than K are left out and counted in
  `suppressed`. Every combination the file shows is thus shared by at least K rows.
"""

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from treem.geo.lineage import former_paths
from treem.geo.paths import any_subtree_q
from treem.privacy.models import ExtractField, ExtractRequest
from treem.registry.models import Child, ChildCircumstance

K = 5  # the smallest group a combination of quasi-identifiers may describe
HIDDEN = "*"
QUASI = ("ma_xa", "thang_sinh", "gioi_tinh", "dan_toc")
EXTRA_COLUMNS = {
    ExtractField.CIRCUMSTANCES: ("nhom_hcdb", None),
    ExtractField.DISABILITY: ("dang_khuyet_tat", "disability_type"),
    ExtractField.SCHOOLING: ("tinh_trang_di_hoc", "school_status"),
    ExtractField.LIVING: ("hoan_canh_song", "living_arrangement"),
    ExtractField.BIRTH_REGISTERED: ("da_dang_ky_khai_sinh", "birth_registered"),
    ExtractField.INSURANCE: ("co_bhyt", "health_insurance"),
}


def pseudonym(secret: str, child_id: int) -> str:
    return hmac.new(bytes.fromhex(secret), str(child_id).encode(), hashlib.sha256).hexdigest()[:20]


@dataclass
class Extract:
    header: list[str]
    rows: list[list[Any]]
    suppressed: int


def _children(extract: ExtractRequest) -> Any:
    # A province reads the records of the units it took over in July 2025 too.
    paths = [extract.unit.path, *former_paths(extract.unit)]
    return Child.objects.on_record().filter(any_subtree_q(paths, field="unit_path")).order_by()


def _circumstances(ids: list[int]) -> dict[int, set[str]]:
    today = timezone.localdate()
    found: dict[int, set[str]] = {}
    rows = ChildCircumstance.objects.filter(child_id__in=ids).on(today).values_list(
        "child_id", "group__code", "group__parent__code")
    for child_id, code, parent in rows.iterator():
        found.setdefault(child_id, set()).add(parent or code)
    return found


def _generalised(rows: list[list[Any]]) -> tuple[list[list[Any]], int]:
    """The rows with their quasi-identifiers (columns 1–4) generalised as the module says."""
    steps = [
        lambda q: q,
        lambda q: (q[0], q[1][:4], q[2], HIDDEN),
        lambda q: (q[0], HIDDEN, HIDDEN, HIDDEN),
        lambda q: (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ]
    kept: list[list[Any]] = []
    waiting = rows
    for step in steps:
        keys = [step(tuple(row[1:5])) for row in waiting]
        sizes = Counter(keys)
        still = []
        for row, key in zip(waiting, keys, strict=True):
            if sizes[key] >= K:
                kept.append([row[0], *key, *row[5:]])
            else:
                still.append(row)
        waiting = still
    return kept, len(waiting)


def build(extract: ExtractRequest) -> Extract:
    fields = [f for f in ExtractField.values if f in extract.fields]
    columns = ["id", "commune__code", "birth_date", "sex", "ethnicity__code"]
    columns += [EXTRA_COLUMNS[ExtractField(f)][1] for f in fields  # type: ignore[misc]
                if EXTRA_COLUMNS[ExtractField(f)][1]]
    raw = list(_children(extract).values_list(*columns))
    groups = (_circumstances([row[0] for row in raw])
              if ExtractField.CIRCUMSTANCES in fields else {})
    rows: list[list[Any]] = []
    for row in raw:
        child_id, commune, born, sex, ethnicity, *rest = row
        values: list[Any] = [pseudonym(extract.secret, child_id), commune,
                             born.strftime("%Y-%m"), sex, ethnicity]
        extras = iter(rest)
        for f in fields:
            if f == ExtractField.CIRCUMSTANCES:
                values.append(",".join(sorted(groups.get(child_id, ()))))
            else:
                value = next(extras)
                values.append(int(value) if isinstance(value, bool) else value)
        rows.append(values)
    kept, suppressed = _generalised(rows)
    kept.sort(key=lambda r: r[0])  # by pseudonym: no order that follows the register's
    header = ["ma_gia_danh", *QUASI, *(EXTRA_COLUMNS[ExtractField(f)][0] for f in fields)]
    return Extract(header=header, rows=kept, suppressed=suppressed)


def lines(extract: Extract) -> Iterator[list[Any]]:
    yield extract.header
    yield from extract.rows
