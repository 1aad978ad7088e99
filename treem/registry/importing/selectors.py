"""Reads of import jobs, limited to where the user keeps the register."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from treem.accounts.models import User
from treem.accounts.permissions import Capability
from treem.geo.models import Unit
from treem.registry.models import ImportJob
from treem.registry.selectors import communes_to_register


def import_job_list(*, user: User, limit: int = 10) -> QuerySet[ImportJob]:
    """The latest jobs of the communes (or villages) where the user keeps the register."""
    jobs = ImportJob.objects.visible_to(user, capability=Capability.MANAGE_CHILDREN)
    return (jobs.select_related("commune", "created_by").defer("content", "staged", "errors")
            .order_by("-created_at", "-id")[:limit])


def imports_waiting(*, user: User) -> QuerySet[ImportJob]:
    """Checked lists not yet committed (nor cancelled): they wait for the user's decision."""
    return (ImportJob.objects.visible_to(user, capability=Capability.MANAGE_CHILDREN)
            .filter(status=ImportJob.Status.VALIDATED).select_related("commune")
            .defer("content", "staged", "errors").order_by("validated_at", "id"))


def get_import_job_for_user(*, user: User, job_id: Any) -> ImportJob:
    """404 when the job is missing or belongs to a place where the user keeps no register."""
    job = (ImportJob.objects.visible_to(user, capability=Capability.MANAGE_CHILDREN)
           .select_related("commune").defer("content", "staged")
           .filter(public_id=job_id).first())
    if job is None:
        raise Http404
    return job


def get_import_commune_for_user(*, user: User, commune_id: Any) -> Unit:
    """A current commune where the user keeps the register (or one of its villages); 404
    for any other, whether it exists or not."""
    commune = next((c for c in communes_to_register(user=user)
                    if str(c.public_id) == str(commune_id)), None)
    if commune is None:
        raise Http404
    return commune
