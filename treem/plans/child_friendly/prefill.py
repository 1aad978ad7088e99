"""Filling an assessment's items from treem's own data: each prefill key is an indicator spec
(`data/child_friendly/prefill.json`) computed by the indicators app for the assessed year, for
every commune of a scope at once (one grouped query per population, not commune by commune:
a province's hundred communes are prefilled together)."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from treem.indicators import periods
from treem.indicators.compute import Cell, compute
from treem.indicators.spec import Spec, parse

FILE = Path(__file__).resolve().parent.parent / "data" / "child_friendly" / "prefill.json"


@cache
def _table() -> dict[str, dict[str, Any]]:
    return json.loads(FILE.read_text(encoding="utf-8"))["keys"]


def known_keys() -> set[str]:
    return set(_table())


def source_of(key: str) -> str:
    return str(_table()[key]["source"])


def specs(wanted: set[str]) -> dict[str, Spec]:
    table = _table()
    return {key: parse(table[key]["spec"], unit_kind=table[key]["unit_kind"])
            for key in wanted if key in table}


def figures(wanted: set[str], year: int, scope_path: str | list[str]
            ) -> dict[tuple[str, int], Cell]:
    """(key, commune id) → the numerator and denominator of the year, for every commune under
    `scope_path`. A commune with nothing counted has no entry (a count of 0)."""
    values = compute(specs(wanted), periods.parse(str(year)), scope_path)
    return {(key, commune): cell for (key, commune, breakdown), cell in values.items()
            if breakdown == ""}
