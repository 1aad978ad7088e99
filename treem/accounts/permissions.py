"""Checks of the capability map (`capabilities.py`): whether a user holds a capability, the
second factor staff roles need, and the view decorator that gates a page."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from treem.accounts.capabilities import Capability
from treem.geo.paths import any_subtree_q


def has_capability(user: Any, capability: str) -> bool:
    """Whether one of the user's roles grants `capability` (an anonymous visitor has none)."""
    return bool(getattr(user, "is_authenticated", False) and user.has_capability(capability))


def requires_two_factor(user: Any) -> bool:
    """Staff roles need a second factor; a user whose every role is exempt does not."""
    roles = user.active_roles() if getattr(user, "is_authenticated", False) else set()
    exempt = set(settings.TREEM_TWO_FACTOR_EXEMPT_ROLES)
    return not roles or not roles <= exempt


def require_capability(capability: Capability) -> Callable:
    """View decorator: log in first, then 403 unless one of the user's roles grants it."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator


# --- Circumstances that reveal abuse ------------------------------------------------------------
#
# Five of the fourteen groups of Luật Trẻ em 2016 Điều 10 khoản 1 say that the child was abused,
# in the forms of abuse of Điều 4 khoản 5: b (bị bỏ rơi: abandoned), i (bị tổn hại nghiêm trọng
# do bị bạo lực: violence), k (bị bóc lột: exploitation), l (bị xâm hại tình dục: sexual abuse),
# m (bị mua bán: trafficking); their sub-groups (b1–b2, i1, k1–k5, l1–l5, m1–m2) with them. Such
# a group is case information: it is shown only to those who may see the child's cases (the
# need-to-know rule of treem.cases.selectors applied to that child: its cases' workers, the
# chairman of the commune, the sectors a case was referred to, the levels a case was shared
# with) and to who recorded it; every other register reader (village collaborator, the
# commune's other officers, province officer, auditor) sees only that a restricted
# circumstance exists, without group or date, and a filter by such a group finds for it only
# the children it may see. Counts (indicators, report tables) are aggregates and count them all.
#
# Why (articles checked against public copies of the texts; docs/restricted-circumstances.md):
# - Luật Trẻ em 2016 Điều 21: the child's right to the secrecy of private life (đời sống riêng
#   tư, bí mật cá nhân, bí mật gia đình), in the child's best interest; Điều 6 khoản 11 forbids
#   disclosing it without the consent of the child (from 7) and of the parent or guardian.
# - Nghị định 56/2017/NĐ-CP Điều 33: what counts as the child's private information (name, age,
#   identifying features, health, family, address, services provided to the child…).
#   That the case-management articles (Điều 25–32) bind the people handling a case to keep its
#   information confidential: UNVERIFIED.
# - Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 Điều 2: sensitive personal data, tied to privacy,
#   whose breach directly harms the person (the list is the Government's: Nghị định
#   356/2025/NĐ-CP; that it names data on abuse of a child: UNVERIFIED); processed only within
#   a specific purpose (Điều 3, UNVERIFIED as to the clause).
RESTRICTED_CIRCUMSTANCE_GROUPS: frozenset[str] = frozenset({"b", "i", "k", "l", "m"})

# Registered by treem.cases (a higher layer) when it starts: the children of the cases a user
# may see. Without it (an installation without cases) only the chairman's rule applies.
_CHILDREN_OF_VISIBLE_CASES: list[Callable[[Any], Any]] = []


def register_children_of_visible_cases(provider: Callable[[Any], Any]) -> None:
    _CHILDREN_OF_VISIBLE_CASES[:] = [provider]


def restricted_circumstance_readers(user: Any, *, child: str = "") -> Any:
    """A Q on children (through the lookup prefix `child`, e.g. "child__") whose restricted
    circumstances `user` may read: those of the communes it approves cases for (the chairman
    sees every case of the commune) and those of the cases it may see."""
    readers = any_subtree_q(user.scope_paths(capability=Capability.APPROVE_CASE_PLANS),
                            field=f"{child}unit_path")
    for provider in _CHILDREN_OF_VISIBLE_CASES:
        readers |= Q(**{f"{child}pk__in": provider(user)})
    return readers
