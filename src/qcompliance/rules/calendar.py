"""The company's operating calendar: which days it operated, so that a daily record is required
only on those (Orders 60/97: 生产经营期间; Order 74: each day equipment is in use).

The profile may state working weekdays, closed periods, or the operating days themselves as
records. Stated operating days are the calendar; otherwise a day is an operating day when its
weekday is a working weekday (every weekday when none are stated) and no closed period holds it.
With nothing stated, every calendar day is an operating day (docs/scoring.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

__all__ = ["CALENDAR_KEYS", "WEEKDAYS", "Calendar", "calendar_of"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday values in ``date.weekday()`` order."""

WORKING_WEEKDAYS = "operations.working_weekdays"
CLOSED_PERIODS = "operations.closed_periods"
OPERATING_DAYS = "operations.operating_days"
CALENDAR_KEYS = (WORKING_WEEKDAYS, CLOSED_PERIODS, OPERATING_DAYS)
"""The facts of the operating calendar, all optional."""


@attrs.frozen
class Calendar:
    """The days a company operates, as far as its profile says."""

    weekdays: frozenset[int] | None = None
    """Working weekdays (0 = Monday); None: every weekday."""
    closed: tuple[tuple[dt.date, dt.date], ...] = ()
    """Closed periods, first and last day inclusive."""
    listed: frozenset[dt.date] | None = None
    """Operating days given one by one; when given, they alone are operating days."""

    @property
    def stated(self) -> bool:
        """Whether the profile states any part of the calendar."""
        return self.weekdays is not None or bool(self.closed) or self.listed is not None

    def operates(self, day: dt.date) -> bool:
        """Whether ``day`` is an operating day."""
        if self.listed is not None:
            return day in self.listed
        if self.weekdays is not None and day.weekday() not in self.weekdays:
            return False
        return not any(first <= day <= last for first, last in self.closed)


def _day(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def calendar_of(values: Mapping[str, object]) -> Calendar:
    """The operating calendar the fact values state (an empty one states nothing)."""
    weekdays = values.get(WORKING_WEEKDAYS)
    closed = values.get(CLOSED_PERIODS)
    listed = values.get(OPERATING_DAYS)
    periods = []
    for record in closed if isinstance(closed, (list, tuple)) else ():
        first = _day(record.get("date")) if isinstance(record, Mapping) else None
        if first is not None:
            periods.append((first, _day(record.get("until")) or first))
    days = None
    if isinstance(listed, (list, tuple)):
        days = frozenset(d for r in listed if isinstance(r, Mapping)
                         and (d := _day(r.get("date"))) is not None)
    return Calendar(
        None if not isinstance(weekdays, (list, tuple))
        else frozenset(WEEKDAYS.index(w) for w in weekdays if w in WEEKDAYS),
        tuple(periods), days)
