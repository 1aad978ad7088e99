"""The request of a page or API operation that only a signed-in user reaches."""

from django.http import HttpRequest

from treem.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind `require_capability` (pages) or `API_AUTH` (the API): its user is
    signed in, never the anonymous visitor, so the scope methods of `User` are there. For
    the type checker only: Django builds the request, this class names what it holds."""

    user: User
