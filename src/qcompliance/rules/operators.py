"""Operators of the condition language: one table from name to a small pure function.

Each function takes the fact's value, the expected value and the assessment day and returns a
bool. The arguments are typed ``Any`` on purpose: type checks happen once, when a checklist
is compiled (see :mod:`qcompliance.rules.compiler`);
by the time a function runs, its arguments have the types its entry declares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import re2  # type: ignore[import-untyped]  # google-re2 ships no type hints

__all__ = ["COMPARISONS", "MAX_PATTERN", "OPERATORS", "Operator", "Pattern", "compile_pattern"]

MAX_PATTERN = 1000
"""The longest ``matches`` pattern a checklist may give, in characters."""

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # RE2 would print to stderr; the error is reported as ours
_RE2_OPTIONS.max_mem = 8 << 20  # a pattern whose automaton needs more is refused at load


@attrs.frozen
class Pattern:
    """A ``matches`` pattern, compiled by RE2: matching takes time linear in the text, so no
    pattern in a checklist can hang an evaluation (Python's ``re`` backtracks, and
    ``(a+)+$`` against 30 characters takes seconds)."""

    pattern: str
    compiled: Any = attrs.field(eq=False, repr=False)

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in ``text``."""
        return self.compiled.search(text) is not None


def compile_pattern(text: str) -> Pattern:
    """``text`` as a :class:`Pattern`; ValueError naming what RE2 refuses (back-references,
    look-around, over-long or over-large patterns) otherwise."""
    if len(text) > MAX_PATTERN:
        raise ValueError(f"pattern longer than {MAX_PATTERN} characters")
    try:
        return Pattern(text, re2.compile(text, _RE2_OPTIONS))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "not a pattern RE2 accepts"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(str(reason)) from None

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


def _eq(a: Any, e: Any, _: dt.date) -> bool:
    return bool(a == e)


def _ne(a: Any, e: Any, _: dt.date) -> bool:
    return bool(a != e)


def _lt(a: Any, e: Any, _: dt.date) -> bool:
    return bool(a < e)


def _le(a: Any, e: Any, _: dt.date) -> bool:
    return bool(a <= e)


def _gt(a: Any, e: Any, _: dt.date) -> bool:
    return bool(a > e)


def _ge(a: Any, e: Any, _: dt.date) -> bool:
    return bool(a >= e)


def _in(a: Any, e: Any, _: dt.date) -> bool:
    return a in e


def _not_in(a: Any, e: Any, _: dt.date) -> bool:
    return a not in e


def _contains(a: Any, e: Any, _: dt.date) -> bool:
    return e in a


def _contains_any(a: Any, e: Any, _: dt.date) -> bool:
    return any(x in a for x in e)


def _contains_all(a: Any, e: Any, _: dt.date) -> bool:
    return all(x in a for x in e)


def _exists(a: Any, e: Any, _: dt.date) -> bool:
    # The compiler handles a missing fact for ``exists``; a value here means the fact is given.
    return e is True


def _matches(a: Any, e: Any, _: dt.date) -> bool:
    return bool(e.search(str(a)))


def _within_days(a: Any, e: Any, as_of: dt.date) -> bool:
    age: int = (as_of - a).days
    return bool(0 <= age <= e)


def _valid_for_days(a: Any, e: Any, as_of: dt.date) -> bool:
    return bool(a >= as_of + dt.timedelta(days=e))


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
                 "自评估日起仍有效的天数不少于",
                 "stays valid for at least days after the assessment day"),
    )
}
"""Every operator by name. A new operator is one function, one entry here and one test."""

COMPARISONS: tuple[str, ...] = ("eq", "ne", "lt", "le", "gt", "ge")
"""The operators a ``count`` may compare with."""

