"""The one cattrs converter: plain data (TOML, JSON) to and from the model classes.

It forbids extra keys, validates in detail, and is strict about scalars: a string is never
turned into a number or a number into a string behind the user's back. :func:`problems_of`
turns cattrs' exception groups into a flat list of (key path, message) pairs.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
from collections.abc import Iterator, Mapping
from typing import Any, Optional

import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from qcompliance.rules.conditions import (
    Condition,
    ConditionSyntaxError,
    parse_condition,
    unparse_condition,
)
from qcompliance.suggest import did_you_mean

if sys.version_info < (3, 11):  # pragma: no cover - the backport cattrs needs there
    from exceptiongroup import ExceptionGroup  # type: ignore[import-not-found, unused-ignore]

__all__ = ["KeyPath", "converter", "parse_date", "plain", "problems_of"]

KeyPath = tuple[str | int, ...]


def parse_date(value: object) -> dt.date:
    """A date from a TOML date or an ISO ``YYYY-MM-DD`` string (JSON has no date type)."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date YYYY-MM-DD, got a date-time {value.isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            if len(value) != 10:
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD, got '{value}'") from None
    raise ValueError(f"expected a date YYYY-MM-DD, got {type(value).__name__} {value!r}")


def _strict(kind: type, name: str) -> Any:
    def structure(value: object, _: object) -> object:
        if isinstance(value, bool) and kind is not bool:
            raise ValueError(f"expected {name}, got boolean {value!r}")
        if kind is float and isinstance(value, int):
            return float(value)
        if not isinstance(value, kind):
            raise ValueError(f"expected {name}, got {type(value).__name__} {value!r}")
        return value

    return structure


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = [str(m.value) for m in cls]
        raise ValueError(
            f"'{value}' is not one of {', '.join(allowed)}{did_you_mean(str(value), allowed)}"
        ) from None


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
    for kind, name in ((str, "a string"), (int, "a whole number"), (float, "a number"),
                       (bool, "true or false")):
        conv.register_structure_hook_func(_is(kind), _strict(kind, name))
    conv.register_structure_hook_func(lambda cls: cls is object, lambda value, _: value)
    conv.register_unstructure_hook_func(lambda cls: cls is object, plain)
    conv.register_structure_hook(dt.date, lambda value, _: parse_date(value))
    conv.register_unstructure_hook(dt.date, lambda value: value.isoformat())
    conv.register_structure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), _structure_enum
    )
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
