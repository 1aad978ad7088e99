"""The rows of the scope-coverage test (`test_scope_coverage`): how one URL is called, and what
each kind of user must get back. Kept apart so that an app's rows can live in their own module
(`scope_fund`)."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    PUBLIC = "public"
    OWN = "own-data"
    OBJECT = "scoped-object"
    LIST = "scoped-list"


PUBLIC, OWN, OBJECT, LIST = Kind.PUBLIC, Kind.OWN, Kind.OBJECT, Kind.LIST


@dataclass(frozen=True)
class Ref:
    """A value of a form or JSON body read from the World when the call is made."""

    dotted: str


@dataclass(frozen=True)
class Case:
    """How to call one URL name, and what each kind of user must get back."""

    kind: Kind
    actor: str | None = None                  # persona making the call inside its scope
    method: str = "get"                       # get, post (or patch for an API operation)
    args: tuple[str, ...] = ()                # World attributes giving the URL's arguments
    query: Mapping[str, str] | None = None    # GET parameters
    data: Mapping[str, Any] | Ref | None = None  # POST form (JSON body for API operations)
    status: int = 200                         # what the actor (or, if public, anyone) gets
    signs_out: bool = False                   # success is the sign-in page (logging out)
    outside_args: tuple[str, ...] | None = None       # an object out of the actor's scope
    outside_data: Mapping[str, Any] | None = None     # a form naming a unit out of scope
    outside_status: int = 404
    forbidden: tuple[str, ...] = ()           # personas lacking the capability: 403
    shows: tuple[str, ...] = ()               # text the actor's answer contains
    hides: tuple[str, ...] = ()               # text of commune B / the other province: never
    vias: tuple[str, ...] = ("session", "token")  # API operations only
    headers: Mapping[str, str] | None = None  # If-Match on a write; the offline phone's id

    @property
    def has_outside(self) -> bool:
        return self.outside_args is not None or self.outside_data is not None
