"""Rules every count of children's events shares, so the indicators (`treem.indicators.compute`)
and the case statistics (`treem.cases.statistics`) cannot disagree: who was a child at the
event, and which deaths are injury deaths.

Age. A child is a person under 16 (Luật Trẻ em 2016, Điều 1). A count of children living on a
day (the denominators: children, children under 5) takes their age on the period's last day;
a count of events (deaths, abuse) takes the age on the day of the event, so that a child who
dies at 15 is a child's death even if the period ends after the 16th birthday, and a 16-year-old
who dies is no child's death even if the period began before it. Both use completed years of
the calendar, as `Child.age_on` does: one year older on the same month and day, and a child born
on 29 February one year older on 1 March in a common year (16 years after 29 February is
always a leap year until 2100, so the 16th birthday is that 29 February).

Injury. "Tử vong do tai nạn, thương tích" counts deaths from injury, whatever the intent:
the ICD-10 chapter of external causes that WHO counts as injury deaths, V01–Y36, holds the
accidents (V01–X59: transport, falls, drowning W65–W74…), intentional self-harm (X60–X84) and
assault (X85–Y09) alike. "Thương tích" (injury) is the injury, not the accident; the indicator
names both ("tai nạn, thương tích"), so a child killed by violence is an injury death. The
register's causes of death map so: drowning, traffic, other injury, violence; illness and
"other" are not.
"""

from typing import Any

from django.db.models import Case, ExpressionWrapper, IntegerField, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import Exact, LessThan

from treem.registry.choices import DeathCause
from treem.registry.models import CHILD_AGE_LIMIT

INJURY_CAUSES: tuple[str, ...] = (DeathCause.DROWNING, DeathCause.TRAFFIC,
                                  DeathCause.OTHER_INJURY, DeathCause.VIOLENCE)


def completed_years(day: Any, birth: Any) -> ExpressionWrapper:
    """SQL: the completed years between `birth` and `day` (field names or expressions of
    dates, or of moments read in the current time zone), as `Child.age_on` counts them."""
    day_month, birth_month = ExtractMonth(day), ExtractMonth(birth)
    before_birthday = Case(
        When(LessThan(day_month, birth_month), then=Value(1)),
        When(Q(Exact(day_month, birth_month)) & Q(LessThan(ExtractDay(day), ExtractDay(birth))),
             then=Value(1)),
        default=Value(0), output_field=IntegerField())
    return ExpressionWrapper(ExtractYear(day) - ExtractYear(birth) - before_birthday,
                             output_field=IntegerField())


def younger_than(years: int, day: Any, birth: Any) -> Q:
    """SQL: under `years` completed years on `day`."""
    return Q(LessThan(completed_years(day, birth), years))


def was_child(day: Any, birth: Any) -> Q:
    """SQL: a child (under 16) on `day`."""
    return younger_than(CHILD_AGE_LIMIT, day, birth)
