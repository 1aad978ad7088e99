"""The REST API: the same services and scope rules as the web UI, under /api/v1/."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from treem.accounts.api import router as accounts_router
from treem.api_support import MALFORMED_UPLOAD, conflict_body, etag
from treem.cases.api import router as cases_router
from treem.dhis2.api import router as dhis2_router
from treem.edits.conflicts import EditConflict
from treem.indicators.api import router as indicators_router
from treem.indicators.entry_api import router as figures_router
from treem.registry.api import router as registry_router
from treem.registry.dedup.api import router as duplicates_router
from treem.registry.importing.api import router as import_router
from treem.reports.api import router as reports_router
from treem.units.api import router as geo_router

api = NinjaAPI(
    title="treem API",
    version="1",
    description="Hệ thống thông tin bảo vệ trẻ em — API. Xác thực: `Authorization: Bearer <khoá>`.",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", accounts_router)
api.add_router("/", geo_router)
api.add_router("/", registry_router)
api.add_router("/", duplicates_router)
api.add_router("/", import_router)
api.add_router("/", cases_router)
api.add_router("/", indicators_router)
api.add_router("/", figures_router)
api.add_router("/", reports_router)
api.add_router("/", dhis2_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same answer for "does not exist" and "not yours": nothing to learn by guessing ids.
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Unauthorized"}, status=401)


@api.exception_handler(MultiPartParserError)
def malformed_upload(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Raised while ninja reads the file parameter of an upload (the Excel import), before the
    # operation runs: Django alone would answer with its bare English 400 page.
    return api.create_response(request, {"detail": str(MALFORMED_UPLOAD)}, status=400)


@api.exception_handler(EditConflict)
def stale_edit(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    """A write naming a version the record has left (If-Match): 412, nothing written, the
    fields it would undo with both values, and the version now current as ETag."""
    response = api.create_response(request, conflict_body(exc), status=412)
    response["ETag"] = etag(exc.version)
    return response
