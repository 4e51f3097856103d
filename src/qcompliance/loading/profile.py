"""Profiles: the facts of one company, checked against the facts dictionary.

Two paths give the same :class:`Profile`. The checked path walks a parsed document and collects
every problem with its line and key. The fast path runs a decoder built once per facts
dictionary (a table of small checks, one per fact key, so no text is ever evaluated); it
only accepts: at the first thing that is not plainly valid it gives up and the checked path
runs, so every error message and line number comes from one place. A mapping's canonical
digest is computed when first read, not on load (a batch summary never reads it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

import attrs

from qcompliance.china.uscc import uscc_problem
from qcompliance.errors import Problem, ProfileError, SchemaError
from qcompliance.loading.converter import KeyPath, describe, parse_date
from qcompliance.loading.document import canonical_sha256
from qcompliance.loading.profile_decoder import (
    PROFILE_SCHEMA,
    PROVENANCE,
    add_derived_size,
    decoder_for,
)
from qcompliance.loading.region import NORMALISE, derive_region, region_problems
from qcompliance.model import FactSpec, FactType, FactValue, Profile
from qcompliance.suggest import did_you_mean

T = TypeVar("T")

_SUGGEST = 100
"""Problems that get a "did you mean" hint (as in loading.load)."""


class ProfileDocument(Protocol):
    """What the checked path needs of a parsed document (loading.load.Document)."""

    @property
    def data(self) -> Mapping[str, object]: ...
    @property
    def origin(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    def problem(self, path: KeyPath, message: str) -> Problem: ...
    def structure(self, data: object, cls: type[T], at: KeyPath = ()) -> T: ...


class LazyDigestProfile(Profile):
    """A :class:`Profile` whose ``sha256`` is computed from its mapping when first read.

    It compares equal to the eager Profile, pickles as one, and ``attrs.evolve`` of it gives a
    plain Profile.
    """

    __slots__ = ("_digest", "_source")
    _source: Mapping[str, object] | None
    _digest: str | None

    # attrs.evolve calls the class with every field: that makes a plain Profile.
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return Profile(*args, **kwargs)

    @classmethod
    def _make(cls, facts: Mapping[str, FactValue], origin: str,
              source: Mapping[str, object]) -> LazyDigestProfile:
        self: LazyDigestProfile = object.__new__(cls)
        for name, value in (("facts", facts), ("origin", origin), ("_source", source),
                            ("_digest", None)):
            object.__setattr__(self, name, value)  # Profile is frozen
        return self

    @property
    def sha256(self) -> str:
        """The canonical digest of the mapping the profile was loaded from."""
        digest = self._digest
        if digest is None:
            digest = canonical_sha256(self._source or {})
            object.__setattr__(self, "_digest", digest)
            object.__setattr__(self, "_source", None)
        return digest

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Profile):
            return (self.facts, self.origin, self.sha256) == (other.facts, other.origin,
                                                              other.sha256)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __reduce__(self) -> tuple[Any, ...]:
        return Profile, (self.facts, self.origin, self.sha256)




@attrs.frozen
class _Envelope:
    value: object
    evidence: tuple[str, ...] = ()
    source: str | None = None
    as_of: object = None
    attested_by: str | None = None
    valid_until: object = None


def _typed(spec: FactSpec, value: object) -> object:
    """``value`` as a value of ``spec``'s type; ValueError saying why it is not one."""
    match spec.type:
        case FactType.BOOL:
            if not isinstance(value, bool):
                raise ValueError(f"expected true or false, got {describe(value)}")
        case FactType.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"expected a whole number, got {describe(value)}")
        case FactType.NUMBER:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"expected a number, got {describe(value)}")
        case FactType.STRING:
            if not isinstance(value, str):
                raise ValueError(f"expected a string, got {describe(value)}")
        case FactType.DATE:
            return parse_date(value)
        case FactType.ENUM:
            allowed = spec.values or ()
            if not isinstance(value, str) or value not in allowed:
                raise ValueError(
                    f"{value!r} is not one of {', '.join(allowed)}"
                    f"{did_you_mean(str(value), allowed)}"
                )
        case FactType.LIST:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"expected a list of strings, got {describe(value)}")
            if spec.values:
                for member in value:
                    if member not in spec.values:
                        raise ValueError(
                            f"'{member}' is not one of {', '.join(spec.values)}"
                            f"{did_you_mean(member, spec.values)}"
                        )
            return tuple(value)
        case FactType.RECORDS:
            raise AssertionError("records are typed field by field")  # pragma: no cover
    return value


def _records(doc: ProfileDocument, spec: FactSpec, value: object, at: KeyPath,
             problems: list[Problem]) -> tuple[Mapping[str, object], ...]:
    if not isinstance(value, list):
        problems.append(doc.problem(at, "expected a list of records ([[…]] tables)"))
        return ()
    fields = {f.key: f for f in spec.fields or ()}
    out = []
    for i, record in enumerate(value):
        if not isinstance(record, Mapping):
            problems.append(doc.problem((*at, i), "a record must be a table"))
            continue
        typed: dict[str, object] = {}
        for key, field_value in record.items():
            field = fields.get(key)
            if field is None:
                problems.append(doc.problem(
                    (*at, i, key), f"unknown field '{key}' of {spec.key}{did_you_mean(key, fields)}"
                ))
                continue
            try:
                typed[key] = _typed(field, field_value)
            except ValueError as exc:
                problems.append(doc.problem((*at, i, key), str(exc)))
        out.append(typed)
    return tuple(out)


def _fact_value(doc: ProfileDocument, spec: FactSpec, raw: object, at: KeyPath,
                problems: list[Problem]) -> FactValue | None:
    envelope = None
    if isinstance(raw, Mapping):
        extra = sorted(set(raw) - PROVENANCE)
        if extra or "value" not in raw:
            key = extra[0] if extra else "value"
            hint = did_you_mean(key, PROVENANCE) if extra else ""
            problems.append(doc.problem(
                (*at, key),
                f"unknown key '{key}' in fact {spec.key}{hint}" if extra
                else f"fact {spec.key} given as a table needs 'value'",
            ))
            return None
        try:
            envelope = doc.structure(dict(raw), _Envelope, at)
        except SchemaError as exc:
            problems.extend(exc.problems)
            return None
        raw = envelope.value
        at = (*at, "value")
    if (normalise := NORMALISE.get(spec.key)) is not None:
        raw = normalise(raw)
    if spec.type is FactType.RECORDS:
        before = len(problems)
        value: object = _records(doc, spec, raw, at, problems)
        if len(problems) > before:
            return None
    else:
        try:
            value = _typed(spec, raw)
        except ValueError as exc:
            problems.append(doc.problem(at, str(exc)))
            return None
    if envelope is None:
        return FactValue(value)
    dates: dict[str, dt.date | None] = {}
    for key in ("as_of", "valid_until"):
        given = getattr(envelope, key)
        try:
            dates[key] = None if given is None else parse_date(given)
        except ValueError as exc:
            problems.append(doc.problem((*at[:-1], key), str(exc)))
            return None
    return FactValue(value, evidence=envelope.evidence, source=envelope.source,
                     attested_by=envelope.attested_by, as_of=dates["as_of"],
                     valid_until=dates["valid_until"])


def profile_from_document(doc: ProfileDocument, facts: Mapping[str, FactSpec]) -> Profile:
    """The profile in ``doc``, every fact checked against ``facts``; a ProfileError listing
    every problem (file, line, key) when one is wrong."""
    decoder = decoder_for(facts)
    fast = decoder.decode(doc.data)
    if fast is not None:
        return Profile(fast, origin=doc.origin, sha256=doc.sha256)
    namespaces = decoder.namespaces
    problems: list[Problem] = []
    values: dict[str, FactValue] = {}
    candidates = [*facts, *namespaces]

    def walk(node: Mapping[str, object], prefix: tuple[str, ...]) -> None:
        for key, raw in node.items():
            at = (*prefix, key)
            dotted = ".".join(at)
            if not prefix and key == "schema":
                if raw != PROFILE_SCHEMA:
                    problems.append(doc.problem(at, f"must be \"{PROFILE_SCHEMA}\""))
                continue
            spec = facts.get(dotted)
            if spec is not None:
                fact = _fact_value(doc, spec, raw, at, problems)
                if fact is not None:
                    values[dotted] = fact
            elif dotted in namespaces and isinstance(raw, Mapping):
                walk(raw, at)
            elif dotted in namespaces:  # `company = 5`: a group given a value
                members = sorted(k for k in facts if k.startswith(dotted + "."))
                problems.append(doc.problem(
                    at, f"'{dotted}' is a group of facts, not a fact: write its facts as "
                        f"{members[0] if members else dotted + '.<key>'} = …"))
            else:
                # Suggestions cost a fuzzy match each: only for the problems anyone reads.
                hint = did_you_mean(dotted, candidates) if len(problems) < _SUGGEST else ""
                problems.append(doc.problem(at, f"unknown fact '{dotted}'{hint}"))

    walk(doc.data, ())
    code = values.get("company.credit_code")
    if code is not None and (why := uscc_problem(str(code.value))):
        problems.append(doc.problem(("company", "credit_code"), why))
    problems += [doc.problem(at, why) for at, why in region_problems(values)]
    if problems:
        raise ProfileError(problems)
    values.update(derive_region(values, facts))
    add_derived_size(values, facts)
    return Profile(values, origin=doc.origin, sha256=doc.sha256)


def profile_from_mapping(data: Mapping[str, object], facts: Mapping[str, FactSpec],
                         origin: str) -> Profile | None:
    """The profile of a plainly valid mapping (digest computed when read), else None."""
    values = decoder_for(facts).decode(data)
    if values is None:
        return None
    return LazyDigestProfile._make(values, origin, data)
