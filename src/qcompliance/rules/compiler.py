"""Compile conditions into plain callables, checking them against the facts dictionary.

Compilation happens once per checklist, when it loads. It resolves every fact key to its
declaration, every ``{ param = … }`` to its value, checks operator and value types, and compiles
regular expressions, so that an authoring mistake is an error at load time and evaluation can
only meet missing facts. A compiled condition takes a :class:`Context` and returns a Kleene
truth value (``True``, ``False`` or ``None`` for unknown) with the leaves that decided it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import attrs

from qcompliance.model import FactSpec, FactType
from qcompliance.rules.calendar import CALENDAR_KEYS, Calendar, calendar_of
from qcompliance.rules.conditions import (
    All,
    AnyOf,
    Condition,
    Count,
    Cover,
    Leaf,
    Not,
    Param,
    substitute_params,
)
from qcompliance.rules.operators import OPERATORS, Pattern, compile_pattern
from qcompliance.suggest import did_you_mean

__all__ = [
    "MISSING",
    "CompileError",
    "Compiled",
    "Context",
    "Trace",
    "compile_condition",
    "due_periods",
    "period_start",
]


class _Missing:
    """The value of a fact the profile does not give."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

MAX_DAYS = 36_500
"""The most days a condition may count (100 years): with days within 1900-2199, no date
arithmetic leaves Python's date range."""


class CompileError(Exception):
    """A condition that does not fit the facts dictionary; ``path`` is relative to it."""

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)


@attrs.frozen
class Trace:
    """How one leaf (a fact test or a count) came out."""

    node: Leaf | Count | Cover
    expected: object
    actual: object
    outcome: bool | None
    status: Literal["given", "missing", "stale", "record"]
    negated: bool = False
    """True when the leaf sits under an odd number of ``not``: the condition wants it false."""
    calendar: Calendar | None = None
    """For a daily ``cover``: the operating calendar that decided which days were due."""


class Context:
    """What a compiled condition reads: fact values by full key, and the assessment day."""

    __slots__ = ("as_of", "reads", "stale", "values")

    def __init__(self, values: Mapping[str, object], as_of: dt.date,
                 stale: frozenset[str] = frozenset()) -> None:
        self.values = values
        self.as_of = as_of
        self.stale = stale
        self.reads: dict[str, None] = {}  # an ordered set of the keys read


Outcome = tuple[bool | None, tuple[Trace, ...]]
Compiled = Callable[[Context], Outcome]


def _type_ok(value: object, spec: FactSpec) -> bool:
    match spec.type:
        case FactType.BOOL:
            return isinstance(value, bool)
        case FactType.INT:
            return isinstance(value, int) and not isinstance(value, bool)
        case FactType.NUMBER:
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        case FactType.STRING:
            return isinstance(value, str)
        case FactType.DATE:
            return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        case FactType.ENUM:
            return isinstance(value, str) and value in (spec.values or ())
        case FactType.LIST | FactType.RECORDS:
            return False
    raise AssertionError(spec.type)  # pragma: no cover


def _describe(spec: FactSpec) -> str:
    if spec.type is FactType.ENUM:
        return f"one of {', '.join(spec.values or ())}"
    return {
        FactType.BOOL: "true or false", FactType.INT: "a whole number",
        FactType.NUMBER: "a number", FactType.STRING: "a string", FactType.DATE: "a date",
    }.get(spec.type, f"a {spec.type.value}")


def _resolve(raw: object, params: Mapping[str, object], path: tuple[str | int, ...]) -> object:
    if isinstance(raw, Param):
        if raw.name not in params:
            raise CompileError(
                f"unknown param '{raw.name}'{did_you_mean(raw.name, params)}", path
            )
        value = params[raw.name]
        return tuple(value) if isinstance(value, list) else value
    return raw


def _check_value(op_name: str, value: object, spec: FactSpec,
                 path: tuple[str | int, ...]) -> object:
    """Check ``value`` against what operator ``op_name`` needs on ``spec``; return it ready."""
    op = OPERATORS[op_name]
    if spec.type.value not in op.fact_types:
        raise CompileError(
            f"operator '{op_name}' does not apply to {spec.type.value} fact '{spec.key}'", path
        )
    match op.value_kind:
        case "same":
            if not _type_ok(value, spec):
                raise CompileError(
                    f"'{spec.key}' is {_describe(spec)}; {value!r} cannot be compared with it",
                    path,
                )
        case "list":
            if not isinstance(value, tuple) or not all(_type_ok(v, spec) for v in value):
                raise CompileError(
                    f"'{op_name}' takes a list of values of '{spec.key}' ({_describe(spec)})",
                    path,
                )
        case "member" | "members":
            members = (value,) if op.value_kind == "member" else value
            if not isinstance(members, tuple) or not all(isinstance(m, str) for m in members):
                raise CompileError(f"'{op_name}' takes a string" if op.value_kind == "member"
                                   else f"'{op_name}' takes a list of strings", path)
            allowed = spec.values if spec.type is FactType.LIST else None
            for member in members:
                if allowed is not None and member not in allowed:
                    raise CompileError(
                        f"'{member}' is not an allowed value of '{spec.key}'"
                        f"{did_you_mean(member, allowed)}",
                        path,
                    )
        case "bool":
            if not isinstance(value, bool):
                raise CompileError(f"'{op_name}' takes true or false", path)
        case "days":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DAYS:
                raise CompileError(
                    f"'{op_name}' takes a whole number of days from 0 to {MAX_DAYS}", path)
        case "regex":
            if not isinstance(value, str):
                raise CompileError(f"'{op_name}' takes a regular expression string", path)
            try:  # RE2 syntax (docs/formats.md): linear-time matching, checked here at load
                return compile_pattern(value)
            except ValueError as exc:
                raise CompileError(f"invalid regular expression: {exc}", path) from None
        case other:  # pragma: no cover
            raise AssertionError(other)
    return value


def _lookup(key: str, facts: Mapping[str, FactSpec], path: tuple[str | int, ...],
            what: str = "fact") -> FactSpec:
    spec = facts.get(key)
    if spec is None:
        raise CompileError(f"reads undeclared {what} '{key}'{did_you_mean(key, facts)}", path)
    return spec


def _compile_leaf(leaf: Leaf, facts: Mapping[str, FactSpec], params: Mapping[str, object],
                  path: tuple[str | int, ...], records: bool) -> Compiled:
    spec = _lookup(leaf.fact, facts, (*path, "fact"), "record field" if records else "fact")
    expected = _check_value(leaf.op, _resolve(leaf.value, params, (*path, leaf.op)), spec,
                            (*path, leaf.op))
    shown = leaf.value if not isinstance(leaf.value, Param) else expected
    if isinstance(expected, Pattern):
        shown = expected.pattern
    key = leaf.fact
    func = OPERATORS[leaf.op].func
    given: Literal["given", "record"] = "record" if records else "given"

    if leaf.op == "exists":
        def run_exists(ctx: Context) -> Outcome:
            ctx.reads[key] = None
            actual = ctx.values.get(key, MISSING)
            outcome = (actual is not MISSING) == expected
            status: Literal["given", "missing", "stale", "record"] = given
            if actual is MISSING:
                status = "stale" if key in ctx.stale else "missing"
            return outcome, (Trace(leaf, shown, actual, outcome, status),)

        return run_exists

    def run(ctx: Context) -> Outcome:
        ctx.reads[key] = None
        actual = ctx.values.get(key, MISSING)
        if actual is MISSING:
            status: Literal["missing", "stale"] = "stale" if key in ctx.stale else "missing"
            return None, (Trace(leaf, shown, MISSING, None, status),)
        outcome = func(actual, expected, ctx.as_of)
        return outcome, (Trace(leaf, shown, actual, outcome, given),)

    return run


def _compare_range(op: str, low: int, high: int, expected: int) -> bool | None:
    """Compare a count known only to lie in [low, high]; None when the range straddles."""
    func = OPERATORS[op].func
    if op in ("eq", "ne"):
        if low == high:
            return func(low, expected, dt.date.min)
        inside = low <= expected <= high
        if not inside:
            return op == "ne"
        return None
    at_low, at_high = func(low, expected, dt.date.min), func(high, expected, dt.date.min)
    return at_low if at_low == at_high else None


def _compile_count(count: Count, facts: Mapping[str, FactSpec], params: Mapping[str, object],
                   path: tuple[str | int, ...]) -> Compiled:
    spec = _lookup(count.records, facts, (*path, "count"))
    if spec.type is not FactType.RECORDS:
        raise CompileError(f"'count' needs a records fact; '{spec.key}' is {spec.type.value}",
                           (*path, "count"))
    fields = {f.key: f for f in spec.fields or ()}
    expected = _resolve(count.value, params, (*path, count.op))
    if not isinstance(expected, int) or isinstance(expected, bool) or expected < 0:
        raise CompileError("a count compares with a whole number >= 0", (*path, count.op))
    since = _resolve(count.since_days, params, (*path, "since_days"))
    if since is not None:
        if not isinstance(since, int) or isinstance(since, bool) or not 0 <= since <= MAX_DAYS:
            raise CompileError(f"'since_days' takes a whole number of days from 0 to {MAX_DAYS}",
                               (*path, "since_days"))
        date_field = fields.get("date")
        if date_field is None or date_field.type is not FactType.DATE:
            raise CompileError(f"'since_days' needs a 'date' field of type date in '{spec.key}'",
                               (*path, "since_days"))
    where = None if count.where is None else _compile(
        count.where, fields, params, (*path, "where"), records=True
    )
    key, op = count.records, count.op
    window = since
    shown = substitute_params(count, params)  # explanations show the figures, not param names
    assert isinstance(shown, Count)

    def run(ctx: Context) -> Outcome:
        ctx.reads[key] = None
        entries = ctx.values.get(key, MISSING)
        if entries is MISSING:
            status: Literal["missing", "stale"] = "stale" if key in ctx.stale else "missing"
            return None, (Trace(shown, expected, MISSING, None, status),)
        sure = maybe = 0
        for record in entries:  # type: ignore[attr-defined]  # a list of mappings
            if window is not None:
                day = record.get("date", MISSING)
                if day is MISSING:
                    maybe += 1
                    continue
                if not 0 <= (ctx.as_of - day).days <= window:
                    continue
            if where is None:
                sure += 1
                continue
            matched, _ = where(Context(record, ctx.as_of))
            if matched is None:
                maybe += 1
            elif matched:
                sure += 1
        outcome = _compare_range(op, sure, sure + maybe, expected)
        actual = sure if maybe == 0 else (sure, sure + maybe)
        return outcome, (Trace(shown, expected, actual, outcome, "given"),)

    return run


def period_start(day: dt.date, period: str) -> dt.date:
    """The first day of the calendar day, ISO week (Monday) or month that holds ``day``."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _next_period(start: dt.date, period: str) -> dt.date:
    if period == "week":
        return start + dt.timedelta(days=7)
    if period == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=1)


@functools.lru_cache(maxsize=4096)
def due_periods(day: dt.date, window: int, period: str, calendar: Calendar | None
                ) -> tuple[dt.date, ...]:
    """The finished periods that overlap the ``window`` days ending on ``day``, oldest first;
    for days, only the operating days of ``calendar``. The same for every profile of a batch
    that states no calendar (or the same one): computed once."""
    current = period_start(day, period)
    due: list[dt.date] = []
    start = period_start(day - dt.timedelta(days=window - 1), period)
    while start < current:
        if calendar is None or calendar.operates(start):
            due.append(start)
        start = _next_period(start, period)
    return tuple(due)


def _compile_cover(cover: Cover, facts: Mapping[str, FactSpec], params: Mapping[str, object],
                   path: tuple[str | int, ...]) -> Compiled:
    spec = _lookup(cover.records, facts, (*path, "cover"))
    if spec.type is not FactType.RECORDS:
        raise CompileError(f"'cover' needs a records fact; '{spec.key}' is {spec.type.value}",
                           (*path, "cover"))
    fields = {f.key: f for f in spec.fields or ()}
    date_field = fields.get("date")
    if date_field is None or date_field.type is not FactType.DATE:
        raise CompileError(f"'cover' needs a 'date' field of type date in '{spec.key}'",
                           (*path, "cover"))
    window = _resolve(cover.window_days, params, (*path, "window_days"))
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise CompileError("'window_days' takes a whole number of days >= 1",
                           (*path, "window_days"))
    where = None if cover.where is None else _compile(
        cover.where, fields, params, (*path, "where"), records=True
    )
    key, period = cover.records, cover.period
    shown = substitute_params(cover, params)
    assert isinstance(shown, Cover)

    def run(ctx: Context) -> Outcome:
        ctx.reads[key] = None
        entries = ctx.values.get(key, MISSING)
        if entries is MISSING:
            status: Literal["missing", "stale"] = "stale" if key in ctx.stale else "missing"
            return None, (Trace(shown, window, MISSING, None, status),)
        calendar = None
        if period == "day":  # a daily record is due on operating days only
            for name in CALENDAR_KEYS:
                if name in ctx.values:
                    ctx.reads[name] = None
            calendar = calendar_of(ctx.values)
        due = due_periods(ctx.as_of, window, period, calendar)
        sure: set[dt.date] = set()
        maybe: set[dt.date] = set()
        undated = False
        for record in entries:  # type: ignore[attr-defined]  # a list of mappings
            day = record.get("date", MISSING)
            if day is MISSING:
                undated = True
                continue
            matched = True if where is None else where(Context(record, ctx.as_of))[0]
            if matched is None:
                maybe.add(period_start(day, period))
            elif matched:
                sure.add(period_start(day, period))
        missing = tuple(p for p in due if p not in sure)
        if not missing:
            outcome: bool | None = True
        elif undated or all(p in maybe for p in missing):
            outcome = None
        else:
            outcome = False
        shown_missing = tuple(p for p in missing if p not in maybe) if outcome is False else missing
        return outcome, (Trace(shown, window, shown_missing, outcome, "given",
                               calendar=calendar),)

    return run


def _compile(cond: Condition, facts: Mapping[str, FactSpec], params: Mapping[str, object],
             path: tuple[str | int, ...], records: bool = False) -> Compiled:
    match cond:
        case All(parts):
            compiled = tuple(
                _compile(p, facts, params, (*path, "all", i), records) for i, p in enumerate(parts)
            )
            return _kleene(compiled, decisive=False)
        case AnyOf(parts):
            compiled = tuple(
                _compile(p, facts, params, (*path, "any", i), records) for i, p in enumerate(parts)
            )
            return _kleene(compiled, decisive=True)
        case Not(part):
            inner = _compile(part, facts, params, (*path, "not"), records)

            def negate(ctx: Context) -> Outcome:
                value, traces = inner(ctx)
                flipped = tuple(attrs.evolve(t, negated=not t.negated) for t in traces)
                return (None if value is None else not value), flipped

            return negate
        case Leaf():
            return _compile_leaf(cond, facts, params, path, records)
        case Count():
            if records:
                raise CompileError("'count' cannot be nested inside 'where'", path)
            return _compile_count(cond, facts, params, path)
        case Cover():
            if records:
                raise CompileError("'cover' cannot be nested inside 'where'", path)
            return _compile_cover(cond, facts, params, path)
    raise AssertionError(cond)  # pragma: no cover


def _kleene(parts: tuple[Compiled, ...], decisive: bool) -> Compiled:
    """AND (decisive=False) or OR (decisive=True) under Kleene's three-valued logic.

    The first part that comes out ``decisive`` decides, and its leaves explain the result.
    Otherwise any unknown part makes the whole unknown, explained by the unknown leaves.
    """

    def run(ctx: Context) -> Outcome:
        unknown: list[Trace] = []
        settled: list[Trace] = []
        for part in parts:
            value, traces = part(ctx)
            if value is decisive:
                return decisive, traces
            (unknown if value is None else settled).extend(traces)
        if unknown:
            return None, tuple(unknown)
        return not decisive, tuple(settled)

    return run


def compile_condition(cond: Condition, facts: Mapping[str, FactSpec],
                      params: Mapping[str, object] | None = None) -> Compiled:
    """Compile ``cond`` against the facts dictionary ``facts`` and the item's ``params``.

    Raises :class:`CompileError` for an undeclared fact, an operator that does not fit the
    fact's type, a value of the wrong type, an unknown param or an invalid regular expression.
    """
    return _compile(cond, facts, params or {}, ())
