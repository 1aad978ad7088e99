"""The partitions of the large tables on PostgreSQL: one per current province.

Every large row carries `province_code`, the code of the province its unit lies in (a unit
dissolved in July 2025 keeps its own province's code). A partition holds a current province
and the provinces merged into it, so a user of a current province, whose scope includes the
units it took over, reads one partition (`ScopedQuerySet.province_fields`).
"""

import functools

from treem.geo.loading import province_mergers


@functools.cache
def province_groups() -> dict[str, tuple[str, ...]]:
    """Partition key (a current province's code) → the province codes its partition holds."""
    return province_mergers()
