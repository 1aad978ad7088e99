"""Loads the official administrative units from the `vietnamadminunits` package.

The package carries the GSO table of the structure before 1 July 2025 (63 provinces,
696 districts, 10,035 communes) and of the current one (34 provinces, 3,321 communes), and the
old-to-new mapping of the reorganisation (Nghị quyết 202/2025/QH15 on provinces and the
Standing Committee's resolutions on communes). Everything is written with bulk inserts in one
transaction; ids are assigned here so that every path is known before the insert.
"""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata, resources

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from treem.geo.models import (
    LAST_DAY_BEFORE_REORGANISATION,
    REORGANISATION_DATE,
    Dataset,
    Level,
    SuccessionKind,
    Unit,
    UnitSuccession,
)
from treem.geo.paths import child_path, segment
from treem.lib.text import fold, normalize

PACKAGE = "vietnamadminunits"
NATION_CODE = "VN"


@dataclass
class LoadResult:
    loaded: bool
    version: str
    counts: dict[str, int] = field(default_factory=dict)


def _package_version() -> str:
    return metadata.version(PACKAGE)


@contextmanager
def _open_dataset() -> Iterator[sqlite3.Connection]:
    data = resources.files(PACKAGE) / "data" / "dataset.db"
    with resources.as_file(data) as db_path:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            yield conn
        finally:
            conn.close()


def _converter() -> dict:
    data = resources.files(PACKAGE) / "data" / "converter_2025.json"
    return json.loads(data.read_text(encoding="utf-8"))


def province_mergers() -> dict[str, tuple[str, ...]]:
    """Code of each current province → the codes of the provinces merged into it in July 2025,
    its own first (read from the package, so it holds on an empty database)."""
    with _open_dataset() as conn:
        current = dict(conn.execute(
            "SELECT DISTINCT provinceKey, provinceCode FROM admin_units").fetchall())
        legacy = dict(conn.execute(
            "SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy").fetchall())
    merged: dict[str, tuple[str, ...]] = {}
    for new_key, old_keys in sorted(_converter()["DICT_PROVINCE"].items(),
                                    key=lambda item: current[item[0]]):
        code = current[new_key]
        merged[code] = (code, *sorted({legacy[key] for key in old_keys} - {code}))
    return merged


def _kind_of(name: str) -> str:
    for prefix in ("Thành phố", "Tỉnh", "Thị xã", "Thị trấn", "Quận", "Huyện", "Phường", "Xã"):
        if name.startswith(prefix + " "):
            return prefix
    return ""


class _Builder:
    """Assigns ids and paths, and collects rows for one bulk insert per table."""

    def __init__(self, first_id: int) -> None:
        self.next_id = first_id
        self.units: list[Unit] = []

    def add(self, *, parent: Unit | None, level: str, code: str, name: str, kind: str,
            province_code: str, current: bool) -> Unit:
        unit_id = self.next_id
        self.next_id += 1
        name = normalize(name)
        unit = Unit(
            id=unit_id,
            level=level,
            code=code,
            name=name,
            kind=kind,
            name_folded=fold(name),
            parent=parent,
            path=child_path(parent.path, unit_id) if parent else segment(unit_id),
            province_code=province_code,
            valid_from=REORGANISATION_DATE if current else None,
            valid_to=None if current else LAST_DAY_BEFORE_REORGANISATION,
        )
        self.units.append(unit)
        return unit


def load_official_units() -> LoadResult:
    """Load both structures and the mapping; a no-op when this package version is loaded."""
    version = _package_version()
    existing = Dataset.objects.filter(name=PACKAGE).first()
    if existing is not None and existing.version == version:
        return LoadResult(loaded=False, version=version)
    if existing is not None:
        # A new release of the data set needs a reviewed migration of the differences, because
        # records already point at the units; refusing is safer than rewriting the tree.
        raise RuntimeError(
            f"Units were loaded from {PACKAGE} {existing.version}; {version} is installed. "
            "Pin the loaded version or migrate the differences."
        )
    with transaction.atomic():
        counts = _load(version)
    return LoadResult(loaded=True, version=version, counts=counts)


def _load(version: str) -> dict[str, int]:
    first_id = (Unit.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    builder = _Builder(first_id)
    nation = Unit.objects.filter(level=Level.NATION).first()
    if nation is None:
        nation = builder.add(parent=None, level=Level.NATION, code=NATION_CODE, name="Việt Nam",
                             kind="Quốc gia", province_code="", current=True)
        # The nation belongs to both structures: valid on every day, so that
        # `Unit.objects.valid_on(a day before July 2025)` still has its root.
        nation.valid_from = None

    legacy_provinces: dict[str, Unit] = {}
    legacy_districts: dict[tuple[str, str], Unit] = {}
    legacy_communes: dict[str, Unit] = {}
    current_provinces: dict[str, Unit] = {}
    current_communes: dict[tuple[str, str], Unit] = {}

    with _open_dataset() as conn:
        legacy_rows = conn.execute(
            "SELECT province, provinceCode, provinceKey, district, districtType, districtCode,"
            " districtKey, ward, wardType, wardCode, wardKey"
            " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()
        current_rows = conn.execute(
            "SELECT province, provinceCode, provinceKey, ward, wardType, wardCode, wardKey"
            " FROM admin_units ORDER BY provinceCode, wardCode"
        ).fetchall()

    for (p_name, p_code, p_key, d_name, d_type, d_code, d_key,
         w_name, w_type, w_code, w_key) in legacy_rows:
        province = legacy_provinces.get(p_key)
        if province is None:
            province = builder.add(parent=nation, level=Level.PROVINCE, code=p_code, name=p_name,
                                   kind=_kind_of(p_name), province_code=p_code, current=False)
            legacy_provinces[p_key] = province
        district = legacy_districts.get((p_key, d_key))
        if district is None:
            district = builder.add(parent=province, level=Level.DISTRICT, code=d_code,
                                   name=d_name, kind=d_type, province_code=p_code, current=False)
            legacy_districts[(p_key, d_key)] = district
        if w_code:  # five island districts have no commune level
            legacy_communes[f"{p_key}_{d_key}_{w_key}"] = builder.add(
                parent=district, level=Level.COMMUNE, code=w_code, name=w_name, kind=w_type,
                province_code=p_code, current=False,
            )

    for p_name, p_code, p_key, w_name, w_type, w_code, w_key in current_rows:
        province = current_provinces.get(p_key)
        if province is None:
            province = builder.add(parent=nation, level=Level.PROVINCE, code=p_code, name=p_name,
                                   kind=_kind_of(p_name), province_code=p_code, current=True)
            current_provinces[p_key] = province
        current_communes[(p_key, w_key)] = builder.add(
            parent=province, level=Level.COMMUNE, code=w_code, name=w_name, kind=w_type,
            province_code=p_code, current=True,
        )

    successions = list(_successions(
        _converter(), legacy_provinces, legacy_districts, legacy_communes,
        current_provinces, current_communes,
    ))

    Unit.objects.bulk_create(builder.units, batch_size=2000)
    _reset_sequence()
    UnitSuccession.objects.bulk_create(successions, batch_size=2000)
    Dataset.objects.create(name=PACKAGE, version=version)
    _analyze()
    return {
        "legacy_provinces": len(legacy_provinces),
        "legacy_districts": len(legacy_districts),
        "legacy_communes": len(legacy_communes),
        "provinces": len(current_provinces),
        "communes": len(current_communes),
        "successions": len(successions),
    }


def _successions(converter: dict, legacy_provinces: dict[str, Unit],
                 legacy_districts: dict[tuple[str, str], Unit], legacy_communes: dict[str, Unit],
                 current_provinces: dict[str, Unit],
                 current_communes: dict[tuple[str, str], Unit]) -> Iterator[UnitSuccession]:
    def link(old: Unit, new: Unit, kind: str, *, is_default: bool = True) -> UnitSuccession:
        return UnitSuccession(predecessor=old, successor=new, kind=kind, is_default=is_default,
                              effective_on=REORGANISATION_DATE)

    # Provinces were merged whole, never divided.
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            yield link(legacy_provinces[old_key], current_provinces[new_key], SuccessionKind.WHOLE)

    for new_p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w_key, old_keys in wards.items():
            new = current_communes[(new_p_key, new_w_key)]
            for old_key in old_keys:
                old = legacy_communes.get(old_key)
                if old is None:
                    # An island district without communes became a special zone (đặc khu).
                    p_key, d_key, _ = old_key.split("_")
                    old = legacy_districts[(p_key, d_key)]
                yield link(old, new, SuccessionKind.WHOLE)

    for new_p_key, old_wards in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in old_wards.items():
            for part in parts:
                yield link(legacy_communes[old_key],
                           current_communes[(new_p_key, part["newWardKey"])],
                           SuccessionKind.PART, is_default=bool(part["isDefaultNewWard"]))


def _analyze() -> None:
    # The planner would otherwise take the freshly filled tables for empty ones (autovacuum
    # has not seen them yet) and pick nested loops over ten thousand rows.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE geo_unit")
            cursor.execute("ANALYZE geo_unitsuccession")


def _reset_sequence() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [Unit])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)

