"""The condition language: a tagged union of frozen classes, parsed from plain data.

A condition in a checklist is a TOML table of one of six shapes (docs/formats.md). Parsing
checks the shape only; :mod:`qcompliance.rules.compiler` checks facts, types and parameters
and turns a condition into a callable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Union

import attrs

from qcompliance.rules.operators import COMPARISONS, OPERATORS

__all__ = [
    "PERIODS",
    "All",
    "AnyOf",
    "Condition",
    "ConditionSyntaxError",
    "Count",
    "Cover",
    "Leaf",
    "Not",
    "Param",
    "fact_keys",
    "parse_condition",
    "substitute_params",
    "unparse_condition",
]


@attrs.frozen
class Param:
    """A reference to an item parameter, resolved when the checklist is compiled."""

    name: str


@attrs.frozen
class All:
    """True when every part is true (Kleene AND)."""

    parts: tuple[Condition, ...]


@attrs.frozen
class AnyOf:
    """True when some part is true (Kleene OR)."""

    parts: tuple[Condition, ...]


@attrs.frozen
class Not:
    """The negation of a condition (Kleene NOT)."""

    part: Condition


@attrs.frozen
class Leaf:
    """A test of one fact with one operator."""

    fact: str
    op: str
    value: object


@attrs.frozen
class Count:
    """Counts the records of a list fact that match ``where`` and compares the count."""

    records: str
    op: str
    value: object
    where: Condition | None = None
    since_days: object = None


PERIODS = ("day", "week", "month")
"""The periods a :class:`Cover` test knows: calendar days, ISO weeks (Monday to Sunday), months."""


@attrs.frozen
class Cover:
    """True when every day, week or month of a recent window holds a record of a records fact.

    The window is the ``window_days`` days ending on the assessment day. Every period that
    overlaps it must hold at least one record (matching ``where``) dated inside that period,
    except the current period, which is not over yet: a record there counts, none is no miss.
    """

    records: str
    period: str
    window_days: object
    where: Condition | None = None


Condition = Union[All, AnyOf, Not, Leaf, Count, Cover]  # noqa: UP007 - a runtime alias cattrs matches on


class ConditionSyntaxError(Exception):
    """A condition table of the wrong shape; ``path`` is relative to the condition."""

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)


_SCALARS = (bool, int, float, str, dt.date)

# Names authors reach for from other rule languages, mapped to ours for the did-you-mean.
_ALIASES = {
    "==": "eq", "=": "eq", "equals": "eq", "equal": "eq", "is": "eq",
    "!=": "ne", "not_equal": "ne", "neq": "ne",
    "<": "lt", "less": "lt", "less_than": "lt",
    "<=": "le", "lte": "le", "at_most": "le", "max": "le",
    ">": "gt", "greater": "gt", "greater_than": "gt",
    ">=": "ge", "gte": "ge", "at_least": "ge", "min": "ge",
    "includes": "contains", "has": "contains", "regex": "matches", "present": "exists",
}


def _value(raw: object, path: tuple[str | int, ...]) -> object:
    """A literal value, a list of literals, or a ``{ param = "name" }`` reference."""
    if isinstance(raw, Mapping):
        if set(raw) != {"param"} or not isinstance(raw["param"], str):
            raise ConditionSyntaxError('a value table must be exactly { param = "name" }', path)
        return Param(raw["param"])
    if isinstance(raw, list):
        for i, element in enumerate(raw):
            if not isinstance(element, _SCALARS):
                raise ConditionSyntaxError("a list value may hold only plain values", (*path, i))
        return tuple(raw)
    if isinstance(raw, _SCALARS):
        return raw
    raise ConditionSyntaxError(f"unsupported value {raw!r}", path)


def _one_operator(raw: Mapping[str, object], fixed: set[str], allowed: Sequence[str],
                  path: tuple[str | int, ...]) -> str:
    ops = [key for key in raw if key not in fixed]
    unknown = [key for key in ops if key not in allowed]
    if unknown:
        from qcompliance.suggest import did_you_mean

        key = unknown[0]
        hint = did_you_mean(key, allowed)
        if not hint and key.lower() in _ALIASES and _ALIASES[key.lower()] in allowed:
            hint = f"; did you mean '{_ALIASES[key.lower()]}'?"
        raise ConditionSyntaxError(f"unknown operator '{key}'{hint}", (*path, key))
    if len(ops) != 1:
        raise ConditionSyntaxError(
            f"needs exactly one operator of {', '.join(allowed)}; found {len(ops)}", path
        )
    return ops[0]


def parse_condition(raw: object, path: Sequence[str | int] = ()) -> Condition:
    """Parse a condition from plain data (a TOML or JSON table)."""
    where = tuple(path)
    if not isinstance(raw, Mapping):
        raise ConditionSyntaxError("a condition must be a table", where)
    keys = set(raw)
    for combinator in ("all", "any"):
        if combinator in keys:
            if keys != {combinator}:
                raise ConditionSyntaxError(f"'{combinator}' must stand alone in its table", where)
            parts = raw[combinator]
            if not isinstance(parts, list) or not parts:
                raise ConditionSyntaxError(
                    f"'{combinator}' takes a non-empty list of conditions", (*where, combinator)
                )
            parsed = tuple(
                parse_condition(part, (*where, combinator, i)) for i, part in enumerate(parts)
            )
            return All(parsed) if combinator == "all" else AnyOf(parsed)
    if "not" in keys:
        if keys != {"not"}:
            raise ConditionSyntaxError("'not' must stand alone in its table", where)
        return Not(parse_condition(raw["not"], (*where, "not")))
    if "count" in keys:
        records = raw["count"]
        if not isinstance(records, str):
            raise ConditionSyntaxError("'count' names a records fact", (*where, "count"))
        op = _one_operator(raw, {"count", "where", "since_days"}, COMPARISONS, where)
        where_raw = raw.get("where")
        return Count(
            records=records,
            op=op,
            value=_value(raw[op], (*where, op)),
            where=None if where_raw is None else parse_condition(where_raw, (*where, "where")),
            since_days=None if "since_days" not in raw else _value(
                raw["since_days"], (*where, "since_days")
            ),
        )
    if "cover" in keys:
        return _parse_cover(raw, where)
    if "fact" in keys:
        fact = raw["fact"]
        if not isinstance(fact, str):
            raise ConditionSyntaxError("'fact' names a fact key", (*where, "fact"))
        op = _one_operator(raw, {"fact"}, tuple(OPERATORS), where)
        return Leaf(fact=fact, op=op, value=_value(raw[op], (*where, op)))
    raise ConditionSyntaxError(
        "a condition needs one of: all, any, not, fact, count, cover", where
    )


def _parse_cover(raw: Mapping[str, object], where: tuple[str | int, ...]) -> Cover:
    records = raw["cover"]
    if not isinstance(records, str):
        raise ConditionSyntaxError("'cover' names a records fact", (*where, "cover"))
    allowed = ("cover", "period", "window_days", "where")
    for key in raw:
        if key not in allowed:
            from qcompliance.suggest import did_you_mean

            raise ConditionSyntaxError(
                f"unknown key '{key}' in a cover test{did_you_mean(str(key), allowed)}",
                (*where, key))
    period = raw.get("period")
    if period not in PERIODS:
        raise ConditionSyntaxError(
            f"'period' is one of {', '.join(PERIODS)}", (*where, "period"))
    if "window_days" not in raw:
        raise ConditionSyntaxError("a cover test needs 'window_days'", where)
    where_raw = raw.get("where")
    return Cover(
        records=records,
        period=str(period),
        window_days=_value(raw["window_days"], (*where, "window_days")),
        where=None if where_raw is None else parse_condition(where_raw, (*where, "where")),
    )


_KEYS_MEMO: dict[int, tuple[Condition, tuple[str, ...]]] = {}
"""fact_keys by condition identity: the interview asks it of every condition after every
answer. The condition is held with its keys so that its id cannot be reused while cached."""
_KEYS_MEMO_MAX = 16384


def fact_keys(condition: Condition) -> list[str]:
    """The fact keys a condition reads, in order, each once (record fields excluded)."""
    memo = _KEYS_MEMO.get(id(condition))
    if memo is not None and memo[0] is condition:
        return list(memo[1])
    keys = _walk_keys(condition)
    if len(_KEYS_MEMO) >= _KEYS_MEMO_MAX:  # conditions parsed on the fly (tests, packs) come and go
        _KEYS_MEMO.clear()
    _KEYS_MEMO[id(condition)] = (condition, tuple(keys))
    return keys


def _walk_keys(condition: Condition) -> list[str]:
    keys: dict[str, None] = {}

    def walk(cond: Condition) -> None:
        match cond:
            case All(parts) | AnyOf(parts):
                for part in parts:
                    walk(part)
            case Not(part):
                walk(part)
            case Leaf(fact):
                keys[fact] = None
            case Count(records) | Cover(records):
                keys[records] = None

    walk(condition)
    return list(keys)


def substitute_params(condition: Condition, params: Mapping[str, object]) -> Condition:
    """The condition with every ``{ param = … }`` it can resolve replaced by its value."""
    def value(raw: object) -> object:
        if isinstance(raw, Param) and raw.name in params:
            resolved = params[raw.name]
            return tuple(resolved) if isinstance(resolved, list) else resolved
        return raw

    match condition:
        case All(parts):
            return All(tuple(substitute_params(p, params) for p in parts))
        case AnyOf(parts):
            return AnyOf(tuple(substitute_params(p, params) for p in parts))
        case Not(part):
            return Not(substitute_params(part, params))
        case Leaf(fact, op, raw):
            return Leaf(fact, op, value(raw))
        case Count(records, op, raw, where, since):
            return Count(records, op, value(raw),
                         None if where is None else substitute_params(where, params),
                         value(since))
        case Cover(records, period, window, where):
            return Cover(records, period, value(window),
                         None if where is None else substitute_params(where, params))
    raise AssertionError(condition)  # pragma: no cover


def _unvalue(value: object) -> object:
    if isinstance(value, Param):
        return {"param": value.name}
    if isinstance(value, tuple):
        return list(value)
    return value


def unparse_condition(condition: Condition) -> dict[str, object]:
    """The plain-data form of a condition; ``parse_condition`` of it gives it back."""
    match condition:
        case All(parts):
            return {"all": [unparse_condition(p) for p in parts]}
        case AnyOf(parts):
            return {"any": [unparse_condition(p) for p in parts]}
        case Not(part):
            return {"not": unparse_condition(part)}
        case Leaf(fact, op, value):
            return {"fact": fact, op: _unvalue(value)}
        case Count(records, op, value, where_cond, since_days):
            out: dict[str, object] = {"count": records}
            if where_cond is not None:
                out["where"] = unparse_condition(where_cond)
            if since_days is not None:
                out["since_days"] = _unvalue(since_days)
            out[op] = _unvalue(value)
            return out
        case Cover(records, period, window, where_cond):
            cover: dict[str, object] = {"cover": records, "period": period,
                                        "window_days": _unvalue(window)}
            if where_cond is not None:
                cover["where"] = unparse_condition(where_cond)
            return cover
    raise AssertionError(f"not a condition: {condition!r}")  # pragma: no cover
