"""Reads of the fund, each limited to the acting user's scope: the funds a user reads, one
fund (404 for anything else, alike), its balances as sums of postings."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from treem.accounts.capabilities import Capability
from treem.accounts.models import User
from treem.fund.balances import sums
from treem.fund.models import Fund


def funds_for(*, user: User) -> QuerySet[Fund]:
    """The funds of the units in the user's scope: the province's for its manager, its
    officers and its auditors."""
    return Fund.objects.visible_to(user, capability=Capability.VIEW_FUND).select_related("unit")


def get_fund_for_user(*, user: User, fund_id: uuid.UUID | str, for_write: bool = False
                      ) -> Fund:
    """404 when missing or out of scope; 403 when `for_write` and the user only reads it."""
    fund = funds_for(user=user).filter(public_id=fund_id).first()
    if fund is None:
        raise Http404
    if for_write and not user.in_scope(fund.unit_path, capability=Capability.MANAGE_FUND):
        raise PermissionDenied
    return fund


def balances(*, fund: Fund) -> dict[tuple[int, str], int]:
    """(restriction id, account) → the sum of its postings, in đồng (`treem.fund.balances.sums`)."""
    found = sums(fund, by=("restriction_id", "account"))
    return {(int(rid), str(account)): amount
            for (rid, account), (amount, _quantity) in found.items()}
