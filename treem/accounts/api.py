import datetime
import uuid
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from treem.accounts import selectors, services
from treem.accounts.authentication import API_AUTH, TokenAuth
from treem.accounts.http import AuthedRequest
from treem.accounts.permissions import requires_two_factor
from treem.api_support import ApiError, Input, Text, Whole, document, refusal
from treem.audit.middleware import client_ip

TOKEN_NEEDED = _("Yêu cầu này phải dùng khóa API.")

router = Router(tags=["auth"])


class TokenIn(Input):
    username: Annotated[str, Text(150)]
    password: Annotated[str, Text(256)]
    otp: Annotated[str, Text(8)] = ""  # the 6-digit code, for roles with two-factor sign-in
    name: Annotated[str, Text(100)] = "API"
    days: Annotated[int, Whole(1, settings.TREEM_API_TOKEN_MAX_DAYS)] = 30


class TokenOut(Schema):
    token: str
    expires_at: datetime.datetime


class UnitRef(Schema):
    id: uuid.UUID
    code: str
    name: str
    level: str


class AssignmentOut(Schema):
    role: str
    unit: UnitRef
    sector: str


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]
    assignments: list[AssignmentOut]


@router.post("/auth/token", response=TokenOut, auth=None, summary="Lấy khóa API",
             openapi_extra=document(401))
def token_obtain(request: HttpRequest, data: TokenIn) -> dict:
    """Exchange a password (and a TOTP code for staff roles) for a personal API token."""
    try:
        address = client_ip(request)
        user = services.login_attempt(username=data.username, password=data.password,
                                      address=address)
        if requires_two_factor(user):
            services.otp_verify(user=user, token=data.otp, address=address)
    except ValidationError as error:
        raise ApiError(401, " ".join(error.messages)) from error
    try:
        token, raw = services.token_create(user=user, name=data.name, days=data.days)
    except ValidationError as error:
        # The credentials were right: a bad name is the request's fault, not a 401.
        raise refusal(error) from error
    return {"token": raw, "expires_at": token.expires_at}


@router.post("/auth/revoke", response={204: None}, auth=[TokenAuth()], summary="Thu hồi khóa API")
def token_revoke(request: HttpRequest) -> HttpResponse:
    """Revoke the token this request was made with."""
    token = getattr(request.user, "_treem_api_token", None)
    if token is None:
        raise ApiError(422, str(TOKEN_NEEDED))
    services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    # A plain response: ninja 1.7 deprecates the (status, body) tuple, and its replacement
    # (ninja.Status) does not exist in the older versions pyproject.toml still allows.
    return HttpResponse(status=204)


@router.get("/me", response=MeOut, auth=API_AUTH, summary="Tài khoản đang gọi")
def me(request: AuthedRequest) -> dict:
    user = request.user
    return {
        "username": user.get_username(),
        "full_name": user.full_name,  # type: ignore[union-attr]
        "roles": sorted(user.active_roles()),
        "assignments": [
            {"role": a.role, "sector": a.sector,
             "unit": {"id": a.unit.public_id, "code": a.unit.code, "name": a.unit.name,
                      "level": a.unit.level}}
            for a in selectors.assignment_list(user=user).order_by("unit__path")
        ],
    }
