"""The search for duplicates over a province, and its review queue."""

import logging
import time

from django.db import transaction
from django.utils import timezone

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import event_record
from treem.geo.models import Level, Unit, UnitSuccession
from treem.registry.dedup.blocking import candidate_pairs
from treem.registry.dedup.records import province_records
from treem.registry.dedup.scoring import Comparison, likely_pairs
from treem.registry.models import DuplicatePair, DuplicateSearch

logger = logging.getLogger(__name__)
BATCH = 5_000
__all__ = ["duplicates_find", "likely_pairs"]


def duplicates_find(*, province: Unit, actor: User | None = None,
                    search: DuplicateSearch | None = None) -> DuplicateSearch:
    """Search the province and replace its open pairs with what this search found. Pairs a
    person has decided on stay as they are and are not proposed again."""
    if province.level != Level.PROVINCE:
        raise ValueError("duplicates are searched for a province")
    if search is None:
        search = DuplicateSearch.objects.create(province=province, unit_path=province.path,
                                                started_by=actor)
    start = time.perf_counter()
    try:
        records = province_records(province.code, also=_old_province_codes(province))
        n = len(records)
        candidates = candidate_pairs(records)
        ids = records.ids
        found = [(ids[i], ids[j], c) for i, j, c in likely_pairs(records, candidates)]
        _replace_open_pairs(province.code, found)
    except Exception:
        logger.exception("duplicate search %s failed", search.public_id)
        DuplicateSearch.objects.filter(pk=search.pk).update(
            status=DuplicateSearch.Status.FAILED, finished_at=timezone.now(),
            seconds=time.perf_counter() - start)
        raise
    search.status = DuplicateSearch.Status.DONE
    search.finished_at = timezone.now()
    search.records, search.candidates, search.pairs = n, len(candidates), len(found)
    search.seconds = time.perf_counter() - start
    search.save(update_fields=["status", "finished_at", "records", "candidates", "pairs",
                               "seconds"])
    event_record(actor=actor, action=Action.CREATE, obj=search, unit=province,
                 fields=["pairs"], actor_username="" if actor else "system")
    return search


def _old_province_codes(province: Unit) -> list[str]:
    """Codes of the provinces merged into this one in July 2025: their children recorded
    before the merger keep the old code, and are registered again under the new one."""
    return sorted(set(UnitSuccession.objects.filter(
        successor=province, predecessor__level=Level.PROVINCE).exclude(
        predecessor__province_code=province.code).values_list(
        "predecessor__province_code", flat=True)))


@transaction.atomic
def _replace_open_pairs(province_code: str, found: list[tuple[int, int, Comparison]]) -> None:
    decided = set(DuplicatePair.objects.filter(province_code=province_code)
                  .exclude(status=DuplicatePair.Status.OPEN)
                  .values_list("child_a_id", "child_b_id"))
    DuplicatePair.objects.filter(province_code=province_code,
                                 status=DuplicatePair.Status.OPEN).delete()
    now = timezone.now()
    rows = (DuplicatePair(child_a_id=a, child_b_id=b, province_code=province_code,
                          score=round(c.score, 2), evidence=c.evidence, found_at=now)
            for a, b, c in found if (a, b) not in decided)
    batch: list[DuplicatePair] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            DuplicatePair.objects.bulk_create(batch)
            batch = []
    if batch:
        DuplicatePair.objects.bulk_create(batch)
