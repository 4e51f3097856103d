"""By when each gap must be closed: the law's own deadline where the item sets one, otherwise a
remediation window by severity that a consultant may set in a small TOML file.

The law's deadline comes from the item, once, at evaluation time (:func:`item_due`): its
``due`` table (a renewal N days before a certificate expires), or a date test in its check
(``valid_for_days``: the date by which a certificate must be renewed; ``within_days``: the date
by which a periodic review is due again). Everything else here is pure and reads only results.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator, Mapping
from typing import Literal

import attrs

from qcompliance.errors import ParseError, Problem, SchemaError
from qcompliance.model import Item, Result, Severity
from qcompliance.rules.conditions import All, AnyOf, Condition, Leaf, Not, Param

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["DEFAULT_WINDOWS", "DueConfig", "GapDue", "gap_due", "item_due", "parse_due_config"]

DEFAULT_WINDOWS: Mapping[Severity, int] = {
    Severity.CRITICAL: 30, Severity.HIGH: 60, Severity.MEDIUM: 90, Severity.LOW: 180}
"""Days after the assessment day to close a gap the law sets no deadline for (docs/scoring.md)."""


@attrs.frozen
class DueConfig:
    """The remediation windows by severity, in days after the assessment day."""

    windows: Mapping[Severity, int] = attrs.field(factory=lambda: dict(DEFAULT_WINDOWS))
    overdue_days: int = 0
    """Days given to a gap whose legal deadline has already passed (0: at once)."""


def parse_due_config(text: str, origin: str) -> DueConfig:
    """A due-date config (TOML text from file ``origin``): ``[windows]`` with ``critical high
    medium low`` in days, and ``overdue_days``; anything left out keeps its default."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(Problem(f"not valid TOML: {exc}", file=origin)) from None
    windows = dict(DEFAULT_WINDOWS)
    for key in raw:
        if key not in ("windows", "overdue_days"):
            raise SchemaError(Problem("unknown key; expected windows or overdue_days",
                                       file=origin, key=key))
    table = raw.get("windows", {})
    if not isinstance(table, dict):
        raise SchemaError(Problem("must be a table", file=origin, key="windows"))
    for name, days in table.items():
        try:
            severity = Severity(name)
        except ValueError:
            raise SchemaError(Problem("unknown severity; one of critical, high, medium, low",
                                       file=origin, key=f"windows.{name}")) from None
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3660:
            raise SchemaError(Problem("must be a whole number of days from 0 to 3660",
                                       file=origin, key=f"windows.{name}"))
        windows[severity] = days
    overdue = raw.get("overdue_days", 0)
    if not isinstance(overdue, int) or isinstance(overdue, bool) or not 0 <= overdue <= 366:
        raise SchemaError(Problem("must be a whole number of days from 0 to 366",
                                   file=origin, key="overdue_days"))
    return DueConfig(windows, overdue)


def _leaves(condition: Condition) -> Iterator[Leaf]:
    match condition:
        case All(parts) | AnyOf(parts):
            for part in parts:
                yield from _leaves(part)
        case Not(part):
            yield from _leaves(part)
        case Leaf():
            yield condition
        case _:  # record counts decide over many dates: they carry no single deadline
            return


def _days(value: object, params: Mapping[str, object]) -> int | None:
    if isinstance(value, Param):
        value = params.get(value.name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def item_due(item: Item, values: Mapping[str, object]) -> dt.date | None:
    """The day ``item``'s duty falls due by the law, or None when the item sets no date.

    Its ``due`` table wins (the date fact less the lead days); otherwise the earliest date its
    check implies: ``valid_for_days = N`` on date D is due on D − N (renew before), and
    ``within_days = N`` on date D on D + N (do it again by then).
    """
    if item.due is not None:
        day = values.get(item.due.fact)
        if not isinstance(day, dt.date):
            return None
        lead = item.params.get(item.due.before, 0) if item.due.before else 0
        return day - dt.timedelta(days=lead) if isinstance(lead, int) else None
    found: list[dt.date] = []
    for fact, sign, days in _deadlines(item):
        day = values.get(fact)
        if isinstance(day, dt.date):
            found.append(day + dt.timedelta(days=sign * days))
    return min(found) if found else None


# Per item (by identity, the item kept in the value so an id is never reused): the date facts
# its check sets a deadline on, with the sign and days. Results read their due date on every
# compact document; the walk over the item's condition is the same every time.
_DEADLINES: dict[int, tuple[Item, tuple[tuple[str, int, int], ...]]] = {}


def _deadlines(item: Item) -> tuple[tuple[str, int, int], ...]:
    hit = _DEADLINES.get(id(item))
    if hit is not None and hit[0] is item:
        return hit[1]
    found = []
    for leaf in _leaves(item.check):
        if leaf.op not in ("valid_for_days", "within_days"):
            continue
        days = _days(leaf.value, item.params)
        if days is not None:
            found.append((leaf.fact, -1 if leaf.op == "valid_for_days" else 1, days))
    if len(_DEADLINES) >= 65536:
        _DEADLINES.clear()
    _DEADLINES[id(item)] = (item, tuple(found))
    return tuple(found)


@attrs.frozen
class GapDue:
    """When a gap must be closed, and where that date comes from."""

    date: dt.date
    source: Literal["law", "window"]
    """``law``: the item's own deadline; ``window``: the remediation window of its severity."""
    law_date: dt.date | None = None
    """The legal deadline, also when it has passed (then ``date`` is the day to act by)."""

    @property
    def overdue(self) -> bool:
        """Whether the legal deadline has already passed."""
        return self.law_date is not None and self.law_date < self.date


def gap_due(result: Result, as_of: dt.date, config: DueConfig | None = None) -> GapDue:
    """The due date of a gap: its legal deadline when it has one and it is still ahead, the
    assessment day plus ``overdue_days`` when that deadline has passed, else the window of its
    severity after the assessment day."""
    config = config or DueConfig()
    law = result.due
    if law is not None:
        if law >= as_of:
            return GapDue(law, "law", law)
        return GapDue(as_of + dt.timedelta(days=config.overdue_days), "law", law)
    days = config.windows.get(result.severity, DEFAULT_WINDOWS[result.severity])
    return GapDue(as_of + dt.timedelta(days=days), "window")
