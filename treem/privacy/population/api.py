"""The population-database exchange over the API: the same services and scope as the pages.

Export a commune's batch (the .xlsx for the police), list and read batches with each row's
result, import the police's answer file (multipart), look a child's id up online. A commune,
batch or child outside the caller's scope is 404; a role without CHECK_POPULATION_DATA 403."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import File, Form, Router, Schema, UploadedFile
from ninja.errors import HttpError

from treem.accounts.authentication import API_AUTH
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import Capability
from treem.api_support import Input, QueryBool, Text, refusal, require
from treem.privacy.models import PopulationAnswer, PopulationCheck, PopulationCheckRow
from treem.privacy.models.population import ImportMode
from treem.privacy.population import exceptions as exc
from treem.privacy.population import exporting, importing, lookup, selectors, services
from treem.registry.selectors import get_child_for_user
from treem.ui import xlsx
from treem.ui.downloads import XLSX, attachment

router = Router(tags=["population database"], auth=API_AUTH)
CAPABILITY = Capability.CHECK_POPULATION_DATA
# Optional to the schema, so that the scope is answered first (404, 403), then this.
NO_FILE = File(None)
ALL_OR_NOTHING = Form(ImportMode.ALL)
BINARY = {"schema": {"type": "string", "format": "binary"}}
AN_XLSX = {"responses": {200: {"description": "Tệp Excel (.xlsx) gửi Công an xã.",
                              "content": {XLSX: BINARY}}}}


class CheckOut(Schema):
    id: uuid.UUID
    commune: str
    commune_name: str
    created_at: datetime.datetime
    row_count: int
    include_unverified: bool

    @staticmethod
    def resolve_id(check: PopulationCheck) -> uuid.UUID:
        return check.public_id

    @staticmethod
    def resolve_commune(check: PopulationCheck) -> str:
        return check.commune.code

    @staticmethod
    def resolve_commune_name(check: PopulationCheck) -> str:
        return check.commune.name


class RowOut(Schema):
    child: uuid.UUID
    full_name: str
    issue: str
    state: str
    result: str
    message: str

    @staticmethod
    def resolve_child(row: PopulationCheckRow) -> uuid.UUID:
        return row.child.public_id

    @staticmethod
    def resolve_full_name(row: PopulationCheckRow) -> str:
        return row.child.full_name


class ErrorRowOut(Schema):
    row: int
    column: str
    message: str


class AnswerOut(Schema):
    """What one import of the police's answer did. `written` false: mode `all` met a wrong
    row and nothing was applied; `errors` lists every wrong row."""

    id: uuid.UUID
    mode: str
    written: bool
    total_rows: int
    updated_count: int
    verified_count: int
    not_found_count: int
    unchanged_count: int
    unanswered_count: int
    error_count: int
    errors: list[ErrorRowOut]
    same_file_as: uuid.UUID | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_id(answer: PopulationAnswer) -> uuid.UUID:
        return answer.public_id

    @staticmethod
    def resolve_same_file_as(answer: PopulationAnswer) -> uuid.UUID | None:
        return answer.same_file_as.public_id if answer.same_file_as else None


class CheckDetailOut(CheckOut):
    counts: dict[str, int]
    rows: list[RowOut]
    answers: list[AnswerOut]

    @staticmethod
    def resolve_counts(check: PopulationCheck) -> dict[str, int]:
        return selectors.state_counts(check=check)

    @staticmethod
    def resolve_rows(check: PopulationCheck) -> list[PopulationCheckRow]:
        return list(selectors.check_rows(check=check))

    @staticmethod
    def resolve_answers(check: PopulationCheck) -> list[PopulationAnswer]:
        return list(check.answers.select_related("same_file_as")[:20])


class LookupIn(Input):
    purpose: Annotated[str, Text(500)]


class DifferenceOut(Schema):
    field: str
    in_register: str
    in_database: str


class LookupOut(Schema):
    found: bool
    fake: bool
    full_name: str | None
    birth_date: datetime.date | None
    sex: str | None
    permanent_residence: str | None
    differences: list[DifferenceOut]
    verified: bool


@router.post("/population/communes/{commune_id}/checks", summary="Xuất danh sách trẻ em cần "
             "đối chiếu với CSDL dân cư (Excel)", openapi_extra=AN_XLSX)
def population_check_create(request: AuthedRequest, commune_id: uuid.UUID,
                            include_unverified: QueryBool = False) -> HttpResponse:
    """Make a batch of the commune's children whose personal id is missing or disagrees with
    sex and year of birth (with `?include_unverified=true`, also those never confirmed) and answer
    its .xlsx. The batch's id is in the `X-Treem-Check` header. A dissolved commune: 422."""
    require(request, CAPABILITY)
    commune = selectors.get_commune_for_user(user=request.user, commune_id=commune_id)
    try:
        check, content = services.population_check_create(
            actor=request.user, commune=commune,
            include_unverified=include_unverified)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    response = attachment(content, filename=exporting.export_filename(check))
    response["X-Treem-Check"] = str(check.public_id)
    return response


@router.get("/population/checks", response=list[CheckOut], summary="Các đợt đối chiếu")
def population_check_list(request: AuthedRequest) -> Any:
    """The caller's batches, newest first (the latest 100)."""
    require(request, CAPABILITY)
    return list(selectors.check_list(user=request.user)[:100])


@router.get("/population/checks/{check_id}", response=CheckDetailOut,
            summary="Một đợt đối chiếu: kết quả từng trẻ, các lần nhập")
def population_check_detail(request: AuthedRequest, check_id: uuid.UUID) -> PopulationCheck:
    require(request, CAPABILITY)
    return selectors.get_check_for_user(user=request.user, check_id=check_id)


@router.post("/population/checks/{check_id}/answers", response=AnswerOut,
             summary="Nhập tệp kết quả của Công an xã")
def population_answer_import(request: AuthedRequest, check_id: uuid.UUID,
                             mode: ImportMode = ALL_OR_NOTHING,
                             file: UploadedFile | None = NO_FILE) -> PopulationAnswer:
    """multipart/form-data: `file` (the batch's .xlsx with the police's answer columns
    filled in), `mode` (`all`: one wrong row and nothing is applied; `valid_only`: the good
    rows). The answer says what was applied and lists every wrong row."""
    require(request, CAPABILITY)
    check = selectors.get_check_for_user(user=request.user, check_id=check_id)
    if file is None:
        raise HttpError(422, str(exc.FILE_REQUIRED))
    if file.size is not None and file.size > importing.MAX_BYTES:
        raise HttpError(422, xlsx.too_large(importing.MAX_BYTES))
    try:
        return services.population_answer_import(actor=request.user, check=check,
                                                 data=file.read(), mode=mode)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error


@router.post("/population/children/{child_id}/lookup", response=LookupOut,
             summary="Tra cứu số định danh của trẻ trong CSDL dân cư")
def population_lookup(request: AuthedRequest, child_id: uuid.UUID, data: LookupIn) -> Any:
    """Look the child's personal id up (the installation's adapter; `fake` says when it is
    the fake service). Recorded as a read of the child with `purpose`; limited per user and
    hour (422 past it)."""
    require(request, CAPABILITY)
    view = get_child_for_user(user=request.user, child_id=child_id, for_write=True)
    try:
        result = lookup.population_lookup(actor=request.user, child=view.child,
                                          purpose=data.purpose)
    except (ValidationError, PermissionDenied) as error:
        raise refusal(error) from error
    answer = result.answer
    return {"found": result.found, "fake": lookup.is_fake(),
            "full_name": answer.full_name if answer else None,
            "birth_date": answer.birth_date if answer else None,
            "sex": answer.sex if answer else None,
            "permanent_residence": answer.permanent_residence if answer else None,
            "differences": [{"field": d.field, "in_register": d.register,
                             "in_database": d.database}
                            for d in result.differences],
            "verified": result.verification is not None}
