"""Starting a search for duplicates in the background (a province takes up to minutes)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.geo.models import Unit
from treem.registry.dedup.search import duplicates_find
from treem.registry.importing import runner
from treem.registry.models import DuplicateSearch

ALREADY_RUNNING = _("Việc tìm hồ sơ trùng của tỉnh này đang chạy. Hãy chờ kết quả.")
# A search still "running" after this long died with its process and does not block another.
STALE_AFTER = datetime.timedelta(hours=1)


def search_start(*, actor: User, province: Unit) -> DuplicateSearch:
    running = DuplicateSearch.objects.filter(
        province=province, status=DuplicateSearch.Status.RUNNING,
        started_at__gt=timezone.now() - STALE_AFTER)
    if running.exists():
        raise ValidationError(ALREADY_RUNNING)
    search = DuplicateSearch.objects.create(province=province, unit_path=province.path,
                                            started_by=actor)
    runner.start(_run, search.pk)
    return search


def _run(search_id: int) -> None:
    search = DuplicateSearch.objects.select_related("province", "started_by").get(pk=search_id)
    duplicates_find(province=search.province, actor=search.started_by, search=search)
