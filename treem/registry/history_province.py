"""A child's history rows carry the child's province, whatever province recorded them.

The circumstances, risks, supports and past statuses of a child are read through the child
(their scope is the child's unit), so they must live in the child's partition on PostgreSQL:
`province_code` of each row is the child's, and follows it when the child moves to another
province or when a merge of duplicates hands rows from one record to the other. Residences
are different: each is scoped by its own commune and keeps that commune's province, but
says the child's in `child_province_code`, which follows the child likewise.
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from treem.registry.models import (
    Child,
    ChildCircumstance,
    ChildResidence,
    ChildRisk,
    ChildStatusPast,
    ChildSupport,
)

FOLLOWING = (ChildCircumstance, ChildRisk, ChildSupport, ChildStatusPast)


def follow_children(child_ids: Iterable[int]) -> int:
    """Give the history rows of these children their child's province; the rows changed."""
    ids = list(child_ids)
    province = Subquery(Child.objects.filter(pk=OuterRef("child_id")).values("province_code")[:1])
    changed = 0
    for model in FOLLOWING:
        rows = model.objects.filter(child_id__in=ids)
        changed += rows.exclude(province_code=province).update(province_code=province)
    residences = ChildResidence.objects.filter(child_id__in=ids)
    changed += residences.exclude(child_province_code=province).update(
        child_province_code=province)
    return changed
