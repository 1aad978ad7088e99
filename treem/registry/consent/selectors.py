"""Reads of consents: a child's list for its page, one consent for whoever may read (or change)
its child, and the consent a use of the child's data may rest on today (`consent_valid`)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from treem.accounts.models import User
from treem.registry.consent import messages as msg
from treem.registry.consent.models import ChildConsent, ConsentPurpose
from treem.registry.models import Child, years_before
from treem.registry.selectors import ChildView, get_child_for_user

# Luật 91/2025/QH15 Điều 24 khoản 2: from 7, the child's own consent as well.
CHILD_CONSENT_AGE = 7


def is_seven_on(child: Child, day: datetime.date) -> bool:
    """Whether `child` is 7 or older on `day` (its seventh birthday included)."""
    return child.birth_date <= years_before(day, CHILD_CONSENT_AGE)


def consent_list(*, user: User, child_id: Any) -> tuple[ChildView, QuerySet[ChildConsent]]:
    """The child as `user` reads it (404 outside its scope) and its consents, newest first."""
    view = get_child_for_user(user=user, child_id=child_id)
    return view, consents_of(view=view)


def consents_of(*, view: ChildView) -> QuerySet[ChildConsent]:
    """The consents of a child already read through `get_child_for_user`; seen from a commune
    the child has left, those given while it lived there."""
    rows = (ChildConsent.objects.filter(child=view.child)
            .select_related("form", "recorded_by", "withdrawn_by"))
    if view.until is not None:
        rows = rows.filter(given_on__lte=view.until)
    return rows


def get_consent_for_user(*, user: User, consent_id: Any, for_write: bool = False
                         ) -> tuple[ChildConsent, ChildView]:
    """A consent and its child as `user` reads it: 404 when missing or when its child is
    outside the user's scope, 403 when `for_write` and the user may not change the child."""
    try:
        consent = (ChildConsent.objects.select_related("child", "form")
                   .filter(public_id=consent_id).first())
    except ValidationError:  # not a UUID
        consent = None
    if consent is None:
        raise Http404
    view = get_child_for_user(user=user, child_id=consent.child.public_id, for_write=for_write)
    if view.until is not None and consent.given_on > view.until:
        raise Http404
    return consent, view


@dataclass(frozen=True)
class Verdict:
    consent: ChildConsent | None  # the consent relied upon, None when there is none
    reason: str                   # why none may be relied upon, in the user's language


def consent_verdict(*, child: Child, purpose: str, on: datetime.date) -> Verdict:
    """The consent a use of `child`'s data for `purpose` on day `on` may rest on: not
    withdrawn, given on or before `on`, and, when the child is 7 or more on `on`, carrying the
    child's own agreement given at 7 or more (a parent's consent alone, or a "yes" heard
    from a child of 5, no longer suffices once the child is 7)."""
    label = ConsentPurpose(purpose).label
    rows = list(ChildConsent.objects.filter(child=child, purpose=purpose)
                .order_by("-given_on", "-id"))
    given = [row for row in rows if row.given_on <= on]
    standing = [row for row in given if row.withdrawn_on is None]
    if is_seven_on(child, on):
        valid = [row for row in standing
                 if row.child_agreed and is_seven_on(child, row.given_on)]
    else:
        valid = standing
    if valid:
        return Verdict(valid[0], "")
    if standing:
        reason = msg.CHILD_NOW_SEVEN % {"purpose": label}
    elif given:
        reason = msg.ALL_WITHDRAWN % {"purpose": label, "day": _day(given[0].withdrawn_on)}
    elif rows:
        reason = msg.GIVEN_LATER % {"purpose": label, "day": _day(rows[-1].given_on),
                                    "on": _day(on)}
    else:
        reason = msg.NONE_RECORDED % {"purpose": label}
    return Verdict(None, str(reason))


def _day(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def consent_valid(child: Child, purpose: str, *, on: datetime.date) -> ChildConsent | None:
    """The consent relied upon for `purpose` on `on`, or None (`consent_verdict` says why)."""
    return consent_verdict(child=child, purpose=purpose, on=on).consent


def consent_required(*, child: Child, purpose: str, on: datetime.date,
                     field: str = "child") -> ChildConsent:
    """The consent relied upon, or ValidationError {field: why there is none}: what a
    service calls before it publishes a child's name or photo."""
    verdict = consent_verdict(child=child, purpose=purpose, on=on)
    if verdict.consent is None:
        raise ValidationError({field: verdict.reason})
    return verdict.consent
