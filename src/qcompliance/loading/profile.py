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
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

import attrs

from qcompliance.china.sizeclass import KEYS as SIZE_KEYS
from qcompliance.china.sizeclass import THRESHOLDS, derive_size, size_sector
from qcompliance.china.uscc import uscc_problem
from qcompliance.errors import Problem, ProfileError, SchemaError
from qcompliance.loading.converter import MAX_INT, KeyPath, describe, parse_date
from qcompliance.loading.region import NORMALISE, derive_region, region_problems
from qcompliance.model import FactSpec, FactType, FactValue, Profile
from qcompliance.suggest import did_you_mean

T = TypeVar("T")

PROFILE_SCHEMA = "qcompliance/profile/v1"
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


def canonical_sha256(data: Mapping[str, object]) -> str:
    """The sha256 of a mapping's canonical JSON (sorted keys, UTF-8): its identity."""
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, allow_nan=False)
    return hashlib.sha256(blob.encode()).hexdigest()


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


_PROVENANCE = {"value", "evidence", "source", "as_of", "attested_by", "valid_until"}


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
        extra = sorted(set(raw) - _PROVENANCE)
        if extra or "value" not in raw:
            key = extra[0] if extra else "value"
            hint = did_you_mean(key, _PROVENANCE) if extra else ""
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
    _add_derived_size(values, facts)
    return Profile(values, origin=doc.origin, sha256=doc.sha256)


def _add_derived_size(values: dict[str, FactValue], facts: Mapping[str, FactSpec]) -> None:
    if "company.size" not in values and "company.size" in facts:
        derived = _derived_size(values)
        if derived is not None:
            values["company.size"] = derived


def _derived_size(values: Mapping[str, FactValue]) -> FactValue | None:
    """The NBS size class computed from staff, revenue and assets, when they settle it."""
    def given(key: str) -> object:
        fact = values.get(key)
        return None if fact is None else fact.value

    section, detail = given("company.industry"), given("company.industry_detail")
    sector = size_sector(section if isinstance(section, str) else None,
                         detail if isinstance(detail, str) else None)
    if sector is None:
        return None
    indicators = {}
    for name, key in SIZE_KEYS.items():
        value = given(key)
        indicators[name] = float(value) if isinstance(value, (int, float)) else None
    size = derive_size(sector, indicators)
    if size is None:
        return None
    used = [k for k in ("company.industry", "company.industry_detail") if k in values]
    used += [SIZE_KEYS[n] for n in THRESHOLDS[sector] if SIZE_KEYS[n] in values]
    return FactValue(size, derived_from=tuple(used))


class _Slow(Exception):
    """Not plainly valid: the checked path decides, and names the problem."""


_SLOW = _Slow()  # raised often (every bad profile): one instance, no traceback to build


def _clean(text: str) -> bool:
    """Text that can be hashed and written (no lone surrogates)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check(spec: FactSpec) -> Callable[[object], object]:
    """The fast check of one fact: the value _typed gives, or _Slow; it accepts only what the
    bounds of every input (loading.load.check_data) and _typed both accept."""
    kind = spec.type
    if kind is FactType.BOOL:
        def check(value: object) -> object:
            if value is True or value is False:
                return value
            raise _SLOW
    elif kind is FactType.INT:
        def check(value: object) -> object:
            if type(value) is int and -MAX_INT <= value <= MAX_INT:
                return value
            raise _SLOW
    elif kind is FactType.NUMBER:
        def check(value: object) -> object:
            if (type(value) is int or (type(value) is float and math.isfinite(value))) and (
                    -MAX_INT <= value <= MAX_INT):
                return value
            raise _SLOW
    elif kind is FactType.STRING:
        def check(value: object) -> object:
            if type(value) is str and _clean(value):
                return value
            raise _SLOW
    elif kind is FactType.DATE:
        def check(value: object) -> object:
            if type(value) is dt.date or (type(value) is str and _clean(value)):
                try:
                    return parse_date(value)
                except ValueError:
                    pass
            raise _SLOW
    elif kind is FactType.ENUM:
        allowed = frozenset(spec.values or ())

        def check(value: object) -> object:
            if type(value) is str and value in allowed:
                return value
            raise _SLOW
    elif kind is FactType.LIST:
        members = frozenset(spec.values) if spec.values else None

        def check(value: object) -> object:
            if type(value) is not list:
                raise _SLOW
            for member in value:
                if type(member) is not str or (
                        member not in members if members is not None else not _clean(member)):
                    raise _SLOW
            return tuple(value)
    else:  # records
        fields = {f.key: _check(f) for f in spec.fields or ()}

        def check(value: object) -> object:
            if type(value) is not list:
                raise _SLOW
            out = []
            for record in value:
                if type(record) is not dict:
                    raise _SLOW
                typed = {}
                for key, field_value in record.items():
                    field = fields.get(key)
                    if field is None:
                        raise _SLOW
                    typed[key] = field(field_value)
                out.append(typed)
            return tuple(out)
    return check


def _envelope(spec: FactSpec, check: Callable[[object], object],
              raw: Mapping[str, object]) -> FactValue:
    """A fact given as a table with its provenance (value, evidence, source, ...)."""
    if "value" not in raw or not _PROVENANCE.issuperset(raw):
        raise _SLOW
    evidence = raw.get("evidence", ())
    source, attested = raw.get("source"), raw.get("attested_by")
    if (type(evidence) not in (list, tuple)
            or not all(type(e) is str and _clean(e) for e in evidence)  # type: ignore[attr-defined]
            or not all(s is None or (type(s) is str and _clean(s)) for s in (source, attested))):
        raise _SLOW
    dates = []
    for key in ("as_of", "valid_until"):
        given = raw.get(key)
        if given is not None and type(given) is not dt.date and not (
                type(given) is str and _clean(given)):
            raise _SLOW
        try:
            dates.append(None if given is None else parse_date(given))
        except ValueError:
            raise _SLOW from None
    return FactValue(check(raw["value"]), evidence=tuple(evidence),  # type: ignore[arg-type]
                     source=source, attested_by=attested,  # type: ignore[arg-type]
                     as_of=dates[0], valid_until=dates[1])


@attrs.frozen
class ProfileDecoder:
    """The fast path for one facts dictionary: a check per fact key and the namespaces."""

    facts: Mapping[str, FactSpec]
    checks: Mapping[str, Callable[[object], object]]
    namespaces: frozenset[str]

    @classmethod
    def build(cls, facts: Mapping[str, FactSpec]) -> ProfileDecoder:
        """Build the checks once for ``facts``."""
        namespaces = frozenset(".".join(k.split(".")[:n]) for k in facts
                               for n in range(1, k.count(".") + 1))
        return cls(facts, {key: _check(spec) for key, spec in facts.items()}, namespaces)

    def decode(self, data: Mapping[str, object]) -> dict[str, FactValue] | None:
        """The facts of a plainly valid profile, in the checked path's order, else None."""
        values: dict[str, FactValue] = {}
        try:
            self._walk(data, "", values)
        except _Slow:
            return None
        code = values.get("company.credit_code")
        if code is not None and uscc_problem(str(code.value)):
            return None
        if region_problems(values):
            return None
        values.update(derive_region(values, self.facts))
        _add_derived_size(values, self.facts)
        return values

    def _walk(self, node: Mapping[str, object], prefix: str, values: dict[str, FactValue]
              ) -> None:
        checks, facts, namespaces = self.checks, self.facts, self.namespaces
        for key, raw in node.items():
            if type(key) is not str:
                raise _SLOW
            if not prefix and key == "schema":
                if raw != PROFILE_SCHEMA:
                    raise _SLOW
                continue
            dotted = prefix + key
            normalise = NORMALISE.get(dotted)
            if normalise is not None:  # a region name becomes its GB/T 2260 code
                if isinstance(raw, Mapping):
                    raise _SLOW
                raw = normalise(raw)
            check = checks.get(dotted)
            if check is not None:
                if isinstance(raw, Mapping):
                    values[dotted] = _envelope(facts[dotted], check, raw)
                else:
                    values[dotted] = FactValue(check(raw))
            elif dotted in namespaces and type(raw) is dict:
                self._walk(raw, dotted + ".", values)
            else:
                raise _SLOW


# A batch loads every company against one dictionary: its decoder is built once. The mapping
# itself is kept, so that an id is never reused for another one, and its size, so that a
# dictionary grown since is redone.
_DECODERS: dict[int, tuple[Mapping[str, FactSpec], int, ProfileDecoder]] = {}


def decoder_for(facts: Mapping[str, FactSpec]) -> ProfileDecoder:
    """The decoder of ``facts``, built on first use and then reused."""
    cached = _DECODERS.get(id(facts))
    if cached is not None and cached[0] is facts and cached[1] == len(facts):
        return cached[2]
    decoder = ProfileDecoder.build(facts)
    if len(_DECODERS) >= 8:
        _DECODERS.clear()
    _DECODERS[id(facts)] = (facts, len(facts), decoder)
    return decoder


def profile_from_mapping(data: Mapping[str, object], facts: Mapping[str, FactSpec],
                         origin: str) -> Profile | None:
    """The profile of a plainly valid mapping (digest computed when read), else None."""
    values = decoder_for(facts).decode(data)
    if values is None:
        return None
    return LazyDigestProfile._make(values, origin, data)
