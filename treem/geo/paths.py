"""Materialised paths of the unit tree.

A unit's path is the ids of its ancestors and itself, each as eight digits followed by a dot:
"00000001.00000042.00004711.". Every unit under X has a path that starts with X's path, so
"all units under X" is the index-backed range  X.path <= path < X.path[:-1] + "/"  ('/' is the
byte after '.'), with no recursion. The column is compared byte-wise (binary collation on
SQLite, "C" on PostgreSQL) so that the range means the same on both databases.
"""

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

SEGMENT_WIDTH = 8


def segment(unit_id: int) -> str:
    return f"{unit_id:0{SEGMENT_WIDTH}d}."


def child_path(parent_path: str, unit_id: int) -> str:
    return parent_path + segment(unit_id)


def subtree_upper_bound(path: str) -> str:
    """Smallest string greater than every path that starts with `path` (which ends with '.')."""
    return path[:-1] + "/"


def subtree_q(path: str, *, field: str = "path") -> models.Q:
    return models.Q(**{f"{field}__gte": path, f"{field}__lt": subtree_upper_bound(path)})


def any_subtree_q(paths: list[str], *, field: str = "path") -> models.Q:
    """Q matching rows whose `field` lies under any of `paths`; matches nothing for no paths."""
    query = models.Q(pk__in=[])
    for path in collapse(paths):
        query |= subtree_q(path, field=field)
    return query


def collapse(paths: list[str]) -> list[str]:
    """Drop paths already covered by an ancestor in the list, so queries carry fewer ranges."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def ancestor_paths(path: str) -> list[str]:
    """Paths of the unit and every ancestor, root first."""
    step = SEGMENT_WIDTH + 1
    return [path[: end] for end in range(step, len(path) + 1, step)]


class PathField(models.CharField):
    """CharField compared byte-wise on every database (see the module docstring)."""

    def db_parameters(self, connection: BaseDatabaseWrapper) -> dict:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
