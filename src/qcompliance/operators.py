"""Operators of the condition language: one table from name to a small pure function.

Each function takes the fact's value, the expected value and the assessment day and returns a
bool. Type checks happen once, when a checklist is compiled (see :mod:`qcompliance.compiler`);
by the time a function runs, its arguments have the types its entry declares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

__all__ = ["COMPARISONS", "OPERATORS", "Operator"]

Check = Callable[[object, object, dt.date], bool]


@attrs.frozen
class Operator:
    """One operator: its function, the fact types it accepts, and how explanations show it."""

    name: str
    func: Check
    fact_types: frozenset[str]
    value_kind: str
    """What the expected value must be: ``same`` (the fact's type), ``list`` (a list of values of
    the fact's type), ``member`` (one allowed member of a list fact), ``members``, ``bool``,
    ``days`` (a whole number of days >= 0) or ``regex``."""
    zh: str
    en: str


def _eq(a: object, e: object, _: dt.date) -> bool:
    return a == e


def _ne(a: object, e: object, _: dt.date) -> bool:
    return a != e


def _lt(a: object, e: object, _: dt.date) -> bool:
    return a < e  # type: ignore[operator]  # types checked at compile time


def _le(a: object, e: object, _: dt.date) -> bool:
    return a <= e  # type: ignore[operator]  # types checked at compile time


def _gt(a: object, e: object, _: dt.date) -> bool:
    return a > e  # type: ignore[operator]  # types checked at compile time


def _ge(a: object, e: object, _: dt.date) -> bool:
    return a >= e  # type: ignore[operator]  # types checked at compile time


def _in(a: object, e: object, _: dt.date) -> bool:
    return a in e  # type: ignore[operator]  # e is a tuple, checked at compile time


def _not_in(a: object, e: object, _: dt.date) -> bool:
    return a not in e  # type: ignore[operator]  # e is a tuple, checked at compile time


def _contains(a: object, e: object, _: dt.date) -> bool:
    return e in a  # type: ignore[operator]  # a is a list or str, checked at compile time


def _contains_any(a: object, e: object, _: dt.date) -> bool:
    return any(x in a for x in e)  # type: ignore[attr-defined, operator]


def _contains_all(a: object, e: object, _: dt.date) -> bool:
    return all(x in a for x in e)  # type: ignore[attr-defined, operator]


def _exists(a: object, e: object, _: dt.date) -> bool:
    # The compiler handles a missing fact for ``exists``; a value here means the fact is given.
    return e is True


def _matches(a: object, e: object, _: dt.date) -> bool:
    return e.search(str(a)) is not None  # type: ignore[attr-defined]  # a compiled pattern


def _within_days(a: object, e: object, as_of: dt.date) -> bool:
    age = (as_of - a).days  # type: ignore[operator]  # a is a date
    return 0 <= age <= e  # type: ignore[operator]  # e is an int


def _valid_for_days(a: object, e: object, as_of: dt.date) -> bool:
    return a >= as_of + dt.timedelta(days=e)  # type: ignore[arg-type, operator]


_ORDERED = frozenset({"int", "number", "date"})
_SCALAR = frozenset({"bool", "int", "number", "string", "date", "enum"})

OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator("eq", _eq, _SCALAR, "same", "等于", "equals"),
        Operator("ne", _ne, _SCALAR, "same", "不等于", "differs from"),
        Operator("lt", _lt, _ORDERED, "same", "小于", "is less than"),
        Operator("le", _le, _ORDERED, "same", "不大于", "is at most"),
        Operator("gt", _gt, _ORDERED, "same", "大于", "is more than"),
        Operator("ge", _ge, _ORDERED, "same", "不小于", "is at least"),
        Operator("in", _in, frozenset({"int", "number", "string", "enum"}), "list",
                 "属于", "is one of"),
        Operator("not_in", _not_in, frozenset({"int", "number", "string", "enum"}), "list",
                 "不属于", "is none of"),
        Operator("contains", _contains, frozenset({"list", "string"}), "member",
                 "包含", "contains"),
        Operator("contains_any", _contains_any, frozenset({"list"}), "members",
                 "包含任一", "contains any of"),
        Operator("contains_all", _contains_all, frozenset({"list"}), "members",
                 "全部包含", "contains all of"),
        Operator("exists", _exists, frozenset({*_SCALAR, "list", "records"}), "bool",
                 "已填写", "is given"),
        Operator("matches", _matches, frozenset({"string", "enum"}), "regex",
                 "匹配", "matches"),
        Operator("within_days", _within_days, frozenset({"date"}), "days",
                 "在评估日前若干天内", "lies within days before the assessment day"),
        Operator("valid_for_days", _valid_for_days, frozenset({"date"}), "days",
                 "自评估日起仍有效的天数不少于", "stays valid for at least days after the assessment day"),
    )
}
"""Every operator by name. A new operator is one function, one entry here and one test."""

COMPARISONS: tuple[str, ...] = ("eq", "ne", "lt", "le", "gt", "ge")
"""The operators a ``count`` may compare with."""

