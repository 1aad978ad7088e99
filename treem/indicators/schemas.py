"""Input types of the indicators' API that other apps' operations share."""

import uuid
from typing import Annotated

from treem.api_support import Input, Matching, invalid
from treem.indicators import periods

# A period as DHIS2 names it (treem.indicators.periods), of the years 2000–2100.
PERIOD_PATTERN = "^(20[0-9]{2}|2100)(S[12]|Q[1-4]|0[1-9]|1[0-2])?$"
PeriodCode = Annotated[str, Matching(PERIOD_PATTERN, "2026, 2026S1, 2026Q2, 202604",
                                     max_length=8)]


class ValuesIn(Input):
    unit: uuid.UUID | None = None  # default: the caller's own unit (its role's, as it is today)
    period: PeriodCode


def parse_period(code: str) -> periods.Period:
    """The period a query names (422 at `period` when it is not one)."""
    try:
        return periods.parse(code)
    except periods.PeriodError as error:
        raise invalid("period", error, where="query") from error
