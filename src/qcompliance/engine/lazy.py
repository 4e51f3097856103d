"""Results built on first read: :class:`LazyAssessment` and :class:`LazyResult`.

:func:`~qcompliance.engine.evaluate.evaluate` decides every verdict and the scores; these make
the result objects when ``results`` is first read, each from a head shared by every result of
one item with one verdict, and write its words (``why``, ``facts``) only when they are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import Any

from qcompliance.engine.due import item_due
from qcompliance.engine.results import (
    citations,
    evaluate_item,
    missing_facts,
    questions,
)
from qcompliance.loading.catalog import CompiledChecklist, CompiledItem
from qcompliance.model import (
    Assessment,
    FactSpec,
    Profile,
    Question,
    Result,
    Verdict,
)
from qcompliance.rules.codegen import VERDICTS

_UNKNOWN = VERDICTS.index(Verdict.UNKNOWN)
_FIELDS = tuple(a.name for a in Result.__attrs_attrs__)
_as_tuple = attrgetter(*_FIELDS)
# (values, stale, profile, facts, day): what explaining an item of one evaluation needs.
Env = tuple[Mapping[str, object], frozenset[str], Profile, Mapping[str, FactSpec], dt.date]


class Head:
    """What the results of one item with one verdict share: made once per checklist set."""

    __slots__ = ("cc", "ci", "item", "verdict")

    def __init__(self, ci: CompiledItem, cc: CompiledChecklist, verdict: Verdict) -> None:
        self.ci, self.cc, self.verdict, self.item = ci, cc, verdict, ci.item


# (per item its heads by verdict code, verdict code of each item, the results built at once
# by item index)
Part = tuple[tuple[tuple[Head, ...], ...], Sequence[int], dict[int, Result]]


class LazyResult(Result):
    """A :class:`Result` whose verdict is decided and whose words are not yet written.

    ``why`` and ``facts`` are computed on first read (then kept) by the traced conditions, so
    they are exactly those of an eager evaluation; ``citations`` are assembled on each read.
    Everything else is at hand. It compares equal to the eager :class:`Result`, pickles as one,
    and ``attrs.evolve`` of it gives a plain ``Result``. Results of items with a waiver or
    deselected by a tailoring are not lazy.
    """

    # Two slots set per result (its shared head and its evaluation): reading every verdict of
    # an assessment costs about what evaluating it did. _done and _missing are set when needed.
    __slots__ = ("_done", "_env", "_h", "_missing")
    _h: Head
    _env: Env

    # attrs.evolve calls the class with every field: that makes a plain, complete Result.
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return Result(*args, **kwargs)

    @classmethod
    def _make(cls, ci: CompiledItem, cc: CompiledChecklist, verdict: Verdict,
              env: Env, missing: tuple[str, ...] = ()) -> LazyResult:
        self: LazyResult = object.__new__(cls)
        setter = object.__setattr__  # Result is frozen
        setter(self, "_h", Head(ci, cc, verdict))
        setter(self, "_env", env)
        if missing:
            setter(self, "_missing", missing)
        return self

    def _full(self) -> Result:
        done: Result | None = getattr(self, "_done", None)
        if done is None:
            head = self._h
            done = evaluate_item(head.ci, head.cc, *self._env)
            if done.verdict is not head.verdict or done.missing != self.missing:
                # The two compiled forms disagree: a bug.
                raise AssertionError(f"{done.item}: traced {done.verdict} {done.missing}, "
                                     f"generated {head.verdict} {self.missing}")
            object.__setattr__(self, "_done", done)
        return done

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Result):
            return bool(_as_tuple(self) == _as_tuple(other))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, Result):
            return bool(_as_tuple(self) != _as_tuple(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_as_tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return Result, _as_tuple(self)


def lazy_result(head: Head, env: Env, new: Any = object.__new__,
                 setter: Any = object.__setattr__) -> LazyResult:
    """LazyResult._make for a head made already (the common case, kept short)."""
    self: LazyResult = new(LazyResult)
    setter(self, "_h", head)
    setter(self, "_env", env)
    return self


def _missing_of(self: LazyResult) -> tuple[str, ...]:
    """The facts an unknown item misses, found by its traced conditions on first read."""
    missing: tuple[str, ...] | None = getattr(self, "_missing", None)
    if missing is None:
        head = self._h
        if head.verdict is not Verdict.UNKNOWN:
            return ()
        values, stale, _, _, day = self._env
        missing = missing_facts(head.ci, head.cc, values, day, stale)
        object.__setattr__(self, "_missing", missing)
    return missing


def _lazy_fields() -> None:
    """Give LazyResult one read-only property per Result field (C-level getters where the
    field is the item's own)."""
    item = {name: property(attrgetter(f"_h.item.{name}"))
            for name in ("kind", "level", "severity", "title", "evidence", "remediation",
                         "mappings", "notes")}
    fields: dict[str, property] = {
        **item,
        "item": property(attrgetter("_h.item.id")),
        "checklist": property(attrgetter("_h.cc.checklist.id")),
        "verdict": property(attrgetter("_h.verdict")),
        "why": property(lambda self: self._full().why),
        "facts": property(lambda self: self._full().facts),
        "citations": property(lambda self: citations(self._h.cc, self._h.ci)),
        "missing": property(_missing_of),
        "due": property(lambda self: item_due(self._h.item, self._env[0])),
        "waiver": property(lambda self: None),
        "waiver_note": property(lambda self: None),
    }
    assert set(fields) == set(_FIELDS), set(_FIELDS) ^ set(fields)
    for name, value in fields.items():
        setattr(LazyResult, name, value)


_lazy_fields()


_ASSESSMENT_FIELDS = tuple(a.name for a in Assessment.__attrs_attrs__)
_assessment_tuple = attrgetter(*_ASSESSMENT_FIELDS)
# assess() builds the fields positionally: a new Assessment field must be added there too.
assert _ASSESSMENT_FIELDS == (
    "schema", "tool_version", "as_of", "profile_name", "profile_credit_code", "profile_sha256",
    "checklists", "results", "scores_by_checklist", "scores_by_level", "overall",
    "facts_to_collect", "tailoring", "waiver_problems", "region", "external_id", "metadata"
), _ASSESSMENT_FIELDS


class LazyAssessment(Assessment):
    """An :class:`Assessment` whose ``results`` are built when first read.

    Evaluation decides every verdict and computes the scores at once; the result objects (and,
    later still, their explanations: :class:`LazyResult`) are made on first access of
    ``results``. It compares equal to the eager Assessment, pickles as one, and
    ``attrs.evolve`` of it gives a plain ``Assessment``.
    """

    __slots__ = ("_env", "_fields", "_parts", "_questions", "_results")
    _fields: tuple[Any, ...]
    _parts: list[Part]
    _env: Env
    _results: tuple[Result, ...] | None
    _questions: tuple[Question, ...] | None

    # attrs.evolve calls the class with every field: that makes a plain Assessment.
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return Assessment(*args, **kwargs)

    @classmethod
    def _make(cls, fields: tuple[Any, ...], parts: list[Part], env: Env) -> LazyAssessment:
        self: LazyAssessment = object.__new__(cls)
        setter = object.__setattr__  # Assessment is frozen
        setter(self, "_fields", fields)
        setter(self, "_parts", parts)
        setter(self, "_env", env)
        setter(self, "_results", None)
        setter(self, "_questions", None)
        return self

    def _facts_to_collect(self) -> tuple[Question, ...]:
        found: tuple[Question, ...] | None = self._questions
        if found is None:
            # Only unknown items, and items with a waiver, miss facts; the others give ().
            found = questions(self._build(), self._env[3]) if self._may_miss() else ()
            object.__setattr__(self, "_questions", found)
        return found

    def _may_miss(self) -> bool:
        return any(eager or _UNKNOWN in codes for _, codes, eager in self._parts)

    def _build(self) -> tuple[Result, ...]:
        results = self._results
        if results is None:
            make, env, out = lazy_result, self._env, []
            for heads, codes, eager in self._parts:
                if eager:
                    out += [eager[i] if i in eager else make(head[code], env)
                            for i, (head, code) in enumerate(zip(heads, codes, strict=True))]
                else:
                    out += [make(head[code], env)
                            for head, code in zip(heads, codes, strict=True)]
            results = tuple(out)
            object.__setattr__(self, "_results", results)
        return results

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Assessment):
            return bool(_assessment_tuple(self) == _assessment_tuple(other))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, Assessment):
            return bool(_assessment_tuple(self) != _assessment_tuple(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_assessment_tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return Assessment, _assessment_tuple(self)


def _field(index: int) -> property:
    def get(self: LazyAssessment) -> object:
        return self._fields[index]

    return property(get)


def _profile_sha256(self: LazyAssessment) -> str | None:
    return self._env[2].sha256


for _index, _name in enumerate(_ASSESSMENT_FIELDS):
    setattr(LazyAssessment, _name,
            property(LazyAssessment._build) if _name == "results"
            else property(_profile_sha256) if _name == "profile_sha256"
            else property(LazyAssessment._facts_to_collect) if _name == "facts_to_collect"
            else _field(_index))


__all__ = ["Env", "Head", "LazyAssessment", "LazyResult", "Part", "lazy_result"]
