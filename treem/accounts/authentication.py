"""How the API knows its caller: a personal token, or the session of a signed-in browser."""

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from treem.accounts import services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer treem_…`: a personal token carrying its owner's scope."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = services.token_authenticate(token)
        if user is not None:
            request.user = user
        return user


# Every operation accepts a token, or the session of a signed-in (and verified) browser.
API_AUTH = [TokenAuth(), django_auth]
