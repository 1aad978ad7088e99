"""The rows the synthesizer produces: one tuple per row, in the column order named here."""

from dataclasses import dataclass, field
from typing import Any

_HISTORY = ("id", "public_id", "child_id", "province_code", "start_date", "end_date")
COLUMNS = {
    "household": ("id", "public_id", "commune_id", "village_id", "unit_path", "province_code",
                  "head_name", "head_name_folded", "address", "phone", "poverty_status"),
    "child": ("id", "public_id", "full_name", "name_folded", "name_prefixes", "sex",
              "birth_date", "birth_date_precision", "ethnicity_id", "nationality", "personal_id",
              "birth_registered", "commune_id", "village_id", "residence_type", "unit_path",
              "province_code", "household_id", "living_arrangement", "school_level",
              "school_status", "disability_type", "disability_degree", "health_insurance",
              "vaccination_status", "nutrition_status", "death_date", "death_cause"),
    "caregiver": ("id", "public_id", "child_id", "full_name", "name_folded", "relation",
                  "birth_year", "phone", "is_primary"),
    "residence": (*_HISTORY, "commune_id", "village_id", "unit_path", "residence_type",
                  "child_province_code"),
    "circumstance": (*_HISTORY, "group_id"),
    "risk": (*_HISTORY, "flag"),
    "support": (*_HISTORY, "kind", "provider"),
    "status_past": ("id", "child_id", "province_code", "field", "value", "start_date",
                    "end_date"),
}
Row = tuple[Any, ...]


@dataclass
class Counts:
    households: int = 0
    children: int = 0
    caregivers: int = 0
    residences: int = 0
    circumstances: int = 0
    risks: int = 0
    supports: int = 0
    statuses_past: int = 0
    deaths: int = 0
    moves: int = 0
    with_circumstance: int = 0


@dataclass
class Rows:
    """Rows waiting to be written, by table (the keys of `COLUMNS`), in dependency order."""

    household: list[Row] = field(default_factory=list)
    child: list[Row] = field(default_factory=list)
    caregiver: list[Row] = field(default_factory=list)
    residence: list[Row] = field(default_factory=list)
    circumstance: list[Row] = field(default_factory=list)
    risk: list[Row] = field(default_factory=list)
    support: list[Row] = field(default_factory=list)
    status_past: list[Row] = field(default_factory=list)
