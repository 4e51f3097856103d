"""The one cattrs converter: plain data (TOML, JSON) to and from the model classes.

It forbids extra keys, validates in detail, and is strict about scalars: a string is never
turned into a number or a number into a string behind the user's back. :func:`problems_of`
turns cattrs' exception groups into a flat list of (key path, message) pairs.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import sys
import typing
from collections.abc import Iterator, Mapping
from typing import Any, Optional

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from qcompliance.rules.conditions import (
    Condition,
    ConditionSyntaxError,
    parse_condition,
    unparse_condition,
)
from qcompliance.suggest import did_you_mean

if sys.version_info < (3, 11):  # pragma: no cover - the backport cattrs needs there
    from exceptiongroup import ExceptionGroup  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_INT",
    "KeyPath",
    "converter",
    "parse_date",
    "plain",
    "problems_of",
]

KeyPath = tuple[str | int, ...]

FIRST_DAY = dt.date(1900, 1, 1)
"""The earliest day any input may name."""
LAST_DAY = dt.date(2199, 12, 31)
"""The latest day any input may name; with at most 36,500 days of date arithmetic on top
(see MAX_DAYS in the compiler), no computed day leaves Python's date range."""
MAX_INT = 2**53 - 1
"""The largest whole number any input may hold: every such number is exact in JSON readers
that use doubles, and no arithmetic on it overflows."""


def _in_range(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"date {day.isoformat()} is outside the supported range "
                         f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")
    return day


def parse_date(value: object) -> dt.date:
    """A date from a TOML date or an ISO ``YYYY-MM-DD`` string (JSON has no date type)."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date YYYY-MM-DD, got a date-time {value.isoformat()}")
    if isinstance(value, dt.date):
        return _in_range(value)
    if isinstance(value, str):
        try:
            if len(value) != 10:
                raise ValueError(value)
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD, got '{value[:40]}'") from None
        return _in_range(day)
    raise ValueError(f"expected a date YYYY-MM-DD, got {type(value).__name__} {value!r}")


_KIND_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a table", dt.date: "a date"}


def describe(value: object) -> str:
    """``value`` for an error message: its kind and a short rendering (never a long dump)."""
    kind = ("boolean" if isinstance(value, bool) else
            _KIND_NAMES.get(type(value), type(value).__name__).removeprefix("a ")
            .removeprefix("an "))
    shown = value.isoformat() if isinstance(value, dt.date) else repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} {shown}"


def check_number(value: int | float) -> None:
    """ValueError unless ``value`` is finite and within +-MAX_INT."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} is not a number a fact can hold")
    if abs(value) > MAX_INT:
        raise ValueError(f"number out of range (at most {MAX_INT} in size)")


def _strict(kind: type, name: str) -> Any:
    def structure(value: object, cls: object) -> object:
        # Hooks registered by class also match subclasses: a str-based enum lands here.
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            return _structure_enum(value, cls)
        if isinstance(value, bool) and kind is not bool:
            raise ValueError(f"expected {name}, got {describe(value)}")
        if kind is float and isinstance(value, int):
            check_number(value)
            return float(value)
        if not isinstance(value, kind):
            raise ValueError(f"expected {name}, got {describe(value)}")
        if kind in (int, float):
            check_number(value)  # type: ignore[arg-type]
        return value

    return structure


_SEQUENCES = (list, tuple, frozenset, set)
_LITERAL: object = typing.Literal


def _homogeneous_sequence(cls: object) -> bool:
    origin = typing.get_origin(cls)
    if origin not in _SEQUENCES:
        return False
    args = typing.get_args(cls)
    return len(args) == 1 or (origin is tuple and len(args) == 2 and args[1] is Ellipsis)


def _sequence_hook(conv: cattrs.Converter) -> Any:
    """Structure ``list[X]``, ``tuple[X, ...]``, sets: only from a list, never from a string
    (which cattrs would split into characters) or a table (which it would turn into keys)."""
    def factory(cls: Any) -> Any:
        origin = typing.get_origin(cls)
        element = typing.get_args(cls)[0]

        def structure(value: object, _: object) -> object:
            if not isinstance(value, (list, tuple)):
                raise ValueError(f"expected a list, got {describe(value)}")
            out, errors = [], []
            for index, member in enumerate(value):
                try:
                    out.append(conv.structure(member, element))
                except Exception as exc:
                    note = IterableValidationNote(f"Structuring {cls} @ index {index}",
                                                  index, element)
                    # What cattrs itself does, and works on 3.10 where add_note is missing.
                    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {cls!r}", errors, cls)
            return origin(out)

        return structure

    return factory


def _is_mapping(cls: object) -> bool:
    return typing.get_origin(cls) in (dict, Mapping) and len(typing.get_args(cls)) == 2


def _mapping_hook(conv: cattrs.Converter) -> Any:
    """Structure ``dict[K, V]`` and ``Mapping[K, V]`` only from a table."""
    def factory(cls: Any) -> Any:
        key_type, value_type = typing.get_args(cls)

        def structure(value: object, _: object) -> object:
            if not isinstance(value, Mapping):
                raise ValueError(f"expected a table, got {describe(value)}")
            out, errors = {}, []
            for key, member in value.items():
                try:
                    out[conv.structure(key, key_type)] = conv.structure(member, value_type)
                except Exception as exc:
                    note = IterableValidationNote(f"Structuring {cls} @ key {key!r}", key,
                                                  value_type)
                    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {cls!r}", errors, cls)
            return out

        return structure

    return factory


def _table_hook(conv: cattrs.Converter) -> Any:
    """Structure an attrs class only from a table: a string or a list given where a table
    belongs is one clear error, not cattrs' TypeError about indices."""
    def factory(cls: Any) -> Any:
        inner = make_dict_structure_fn(cls, conv)

        def structure(value: object, _: object) -> object:
            if not isinstance(value, Mapping):
                raise ValueError(f"expected a table, got {describe(value)}")
            return inner(value, cls)

        return structure

    return factory


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        return cls(value)
    except ValueError:
        allowed = [str(m.value) for m in cls]
        raise ValueError(
            f"'{value}' is not one of {', '.join(allowed)}{did_you_mean(str(value), allowed)}"
        ) from None


def _structure_literal(value: object, cls: object) -> object:
    allowed = typing.get_args(cls)
    if not isinstance(value, bool) and value in allowed:
        return value
    shown = [str(a) for a in allowed]
    raise ValueError(f"'{str(value)[:40]}' is not one of {', '.join(shown)}"
                     f"{did_you_mean(str(value), shown)}")


def plain(value: object) -> object:
    """A fact value as JSON-ready data: dates as ISO text, tuples as lists, tables as dicts."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def _is(kind: type) -> Any:
    def predicate(cls: object) -> bool:
        return cls is kind

    return predicate


def _make() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # Exact-type predicates: a str-based enum must not fall into the str hook.
    # Registered by class, not by predicate: cattrs dispatches the plain scalar classes
    # directly to its own lenient hooks (str(5), bool("false")) before any predicate is asked.
    for kind, name in ((str, "a string"), (int, "a whole number"), (float, "a number"),
                       (bool, "true or false")):
        conv.register_structure_hook(kind, _strict(kind, name))
    conv.register_structure_hook_factory(_homogeneous_sequence, _sequence_hook(conv))
    conv.register_structure_hook_factory(_is_mapping, _mapping_hook(conv))
    conv.register_structure_hook_factory(attrs.has, _table_hook(conv))
    conv.register_structure_hook_func(lambda cls: cls is object, lambda value, _: value)
    conv.register_unstructure_hook_func(lambda cls: cls is object, plain)
    conv.register_structure_hook(dt.date, lambda value, _: parse_date(value))
    conv.register_unstructure_hook(dt.date, lambda value: value.isoformat())
    conv.register_structure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), _structure_enum
    )
    conv.register_structure_hook_func(
        lambda cls: typing.get_origin(cls) is _LITERAL, _structure_literal)
    # The condition union is tagged by its keys, which cattrs cannot infer: parse it ourselves.
    conditions = (Condition, Optional[Condition])  # noqa: UP045 - compared with typing's alias
    conv.register_structure_hook_func(
        lambda cls: cls in conditions,
        lambda value, _: None if value is None else parse_condition(value),
    )
    conv.register_unstructure_hook_func(
        lambda cls: cls in conditions,
        lambda value: None if value is None else unparse_condition(value),
    )
    return conv


converter = _make()
"""The converter every module uses to build and dump models."""


def _walk(exc: BaseException, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = [a.name for a in getattr(exc.cl, "__attrs_attrs__", ())]
        for extra in sorted(exc.extra_fields):
            yield (*path, extra), f"unknown key '{extra}'{did_you_mean(extra, allowed)}"
        return
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step = note.name if hasattr(note, "name") else note.index
            yield from _walk(sub, (*path, step))
        for sub in without:
            yield from _walk(sub, path)
        return
    if isinstance(exc, ExceptionGroup):
        for sub in exc.exceptions:
            yield from _walk(sub, path)
        return
    if isinstance(exc, ConditionSyntaxError):
        yield (*path, *exc.path), exc.message
        return
    if isinstance(exc, KeyError):
        yield path, "required key is missing"
        return
    message = str(exc) or type(exc).__name__
    if isinstance(exc, TypeError) and "argument" in message:
        message = "has the wrong shape"
    yield path, message


def problems_of(exc: BaseException) -> list[tuple[KeyPath, str]]:
    """Every (key path, message) in a cattrs structuring exception."""
    return list(_walk(exc, ()))


def unstructure_mapping(value: Mapping[str, object]) -> dict[str, object]:
    """Unstructure a mapping whose values may be model objects."""
    return {key: converter.unstructure(item) for key, item in value.items()}
