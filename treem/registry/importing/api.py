"""The Excel import over the API: the same services and scope as the import pages.

Upload a file for a commune (the job is checked in the background), follow the job's status
and progress, read its errors page by page, and commit it. A job outside the user's scope is
404, exactly like a job that does not exist."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Router, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import Input, Page, refusal, require
from treem.registry.importing import jobs, reading, selectors
from treem.registry.models import ImportJob
from treem.ui import xlsx

router = Router(tags=["imports"], auth=API_AUTH)
INTERRUPTED_LABEL = gettext_lazy("Bị gián đoạn")
ERRORS_PER_PAGE = 50
# The file is optional to the schema so that a call without one gets the import's own
# message (and a commune outside the caller's scope its 404) rather than a schema error.
NO_FILE = File(None)


class ImportJobOut(Schema):
    id: uuid.UUID
    commune: str
    status: str
    status_label: str
    mode: str
    total_rows: int
    processed_rows: int
    percent: int
    valid_rows: int
    error_rows: int
    error_count: int
    created_count: int
    updated_count: int
    unchanged_count: int
    message: str
    # The worker died (a killed server): nothing of the job is in the register; POST
    # /imports/{id}/retry starts it again, /imports/{id}/cancel drops it.
    interrupted: bool
    created_at: datetime.datetime
    validated_at: datetime.datetime | None
    committed_at: datetime.datetime | None

    @staticmethod
    def resolve_id(job: ImportJob) -> uuid.UUID:
        return job.public_id

    @staticmethod
    def resolve_commune(job: ImportJob) -> str:
        return job.commune.code

    @staticmethod
    def resolve_status_label(job: ImportJob) -> str:
        return str(INTERRUPTED_LABEL) if job.is_interrupted else str(job.get_status_display())

    @staticmethod
    def resolve_interrupted(job: ImportJob) -> bool:
        return job.is_interrupted

    @staticmethod
    def resolve_message(job: ImportJob) -> str:
        return jobs.interrupted_message(job) if job.is_interrupted else job.message


class ImportErrorOut(Schema):
    row: int
    column: str
    label: str
    message: str


class CommitIn(Input):
    mode: ImportJob.Mode


@router.post("/communes/{commune_id}/imports", response={202: ImportJobOut},
             summary="Tải lên danh sách trẻ (Excel)")
def import_upload(request: AuthedRequest, commune_id: uuid.UUID,
                  file: UploadedFile | None = NO_FILE) -> ImportJob:
    """Upload an .xlsx list of children (multipart, field `file`) for a commune: the job is
    checked in the background; follow it at /imports/{id}."""
    require(request, Capability.MANAGE_CHILDREN)
    commune = selectors.get_import_commune_for_user(user=request.user, commune_id=commune_id)
    if file is None:
        raise HttpError(422, _("Hãy chọn tệp Excel để tải lên."))
    limit = reading.max_bytes()
    if file.size is not None and file.size > limit:  # refused before it is read into memory
        raise HttpError(422, xlsx.too_large(limit))
    try:
        job = jobs.import_job_create(actor=request.user, commune=commune, data=file.read(),
                                     file_name=file.name or "")
    except ValidationError as error:
        raise refusal(error) from error
    return selectors.get_import_job_for_user(user=request.user, job_id=job.public_id)


@router.get("/imports/{job_id}", response=ImportJobOut, summary="Tình trạng một lần nhập")
def import_status(request: AuthedRequest, job_id: uuid.UUID) -> ImportJob:
    """The job's status and progress (processed of total rows) and, once checked, its counts."""
    require(request, Capability.MANAGE_CHILDREN)
    return selectors.get_import_job_for_user(user=request.user, job_id=job_id)


@router.get("/imports/{job_id}/errors", response=list[ImportErrorOut],
            summary="Lỗi của một lần nhập")
@paginate(Page, page_size=ERRORS_PER_PAGE)
def import_errors(request: AuthedRequest, job_id: uuid.UUID) -> Any:
    """The errors by row and column, in the order of the file (the first 1,000 are kept;
    `error_count` of the job says how many there were)."""
    require(request, Capability.MANAGE_CHILDREN)
    return selectors.get_import_job_for_user(user=request.user, job_id=job_id).errors


@router.post("/imports/{job_id}/commit", response={202: ImportJobOut},
             summary="Ghi các dòng hợp lệ vào sổ")
def import_commit(request: AuthedRequest, job_id: uuid.UUID, data: CommitIn) -> ImportJob:
    """Write the checked rows to the register: mode `all` (only when no row has an error) or
    `valid_only`. The writing runs in the background; follow it at /imports/{id}."""
    require(request, Capability.MANAGE_CHILDREN)
    job = selectors.get_import_job_for_user(user=request.user, job_id=job_id)
    try:
        jobs.import_job_commit(actor=request.user, job=job, mode=data.mode)
    except ValidationError as error:
        raise refusal(error) from error
    return selectors.get_import_job_for_user(user=request.user, job_id=job_id)


@router.post("/imports/{job_id}/retry", response={202: ImportJobOut},
             summary="Chạy lại lượt nhập bị gián đoạn")
def import_retry(request: AuthedRequest, job_id: uuid.UUID) -> ImportJob:
    """Start again a job whose worker died (`interrupted`): its commit, of which nothing was
    written, or the check of its file."""
    require(request, Capability.MANAGE_CHILDREN)
    job = selectors.get_import_job_for_user(user=request.user, job_id=job_id)
    try:
        jobs.import_job_retry(actor=request.user, job=job)
    except ValidationError as error:
        raise refusal(error) from error
    return selectors.get_import_job_for_user(user=request.user, job_id=job_id)


@router.post("/imports/{job_id}/cancel", response={202: ImportJobOut},
             summary="Hủy lượt nhập chưa ghi")
def import_cancel(request: AuthedRequest, job_id: uuid.UUID) -> ImportJob:
    """Drop a job that is checked but not committed, or interrupted: its file and checked
    rows are deleted; nothing of it is in the register."""
    require(request, Capability.MANAGE_CHILDREN)
    job = selectors.get_import_job_for_user(user=request.user, job_id=job_id)
    try:
        jobs.import_job_cancel(actor=request.user, job=job)
    except ValidationError as error:
        raise refusal(error) from error
    return selectors.get_import_job_for_user(user=request.user, job_id=job_id)
