"""The fast path of profile loading: per facts dictionary, a table of small checks (one per
fact key) that accepts a plainly valid mapping; at the first value that is not, the checked
path of :mod:`qcompliance.loading.profile` runs, so every message comes from one place."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from qcompliance.china.sizeclass import KEYS as SIZE_KEYS
from qcompliance.china.sizeclass import THRESHOLDS, derive_size, size_sector
from qcompliance.china.uscc import uscc_problem
from qcompliance.loading.converter import FIRST_DAY, LAST_DAY, MAX_INT, parse_date
from qcompliance.loading.region import NORMALISE, derive_region, region_problems
from qcompliance.model import FactSpec, FactType, FactValue

__all__ = [
    "PROFILE_SCHEMA",
    "PROVENANCE",
    "DecodedFacts",
    "ProfileDecoder",
    "add_derived_size",
    "decoder_for",
]

PROFILE_SCHEMA = "qcompliance/profile/v1"
PROVENANCE = {"value", "evidence", "source", "as_of", "attested_by", "valid_until"}


def add_derived_size(values: dict[str, FactValue], facts: Mapping[str, FactSpec]) -> None:
    """Add the NBS size class to ``values`` when the profile does not give it and can derive it."""
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


def _slow() -> Any:
    raise _SLOW


class DecodedFacts(Mapping[str, FactValue]):
    """A profile's facts as the decoder found them: the plain values, and a :class:`FactValue`
    made only for a fact given with its provenance or derived; the others' is made when first
    read. It compares equal to the dict of FactValues and pickles as one."""

    __slots__ = ("expiring", "full", "plain")

    def __init__(self) -> None:
        self.plain: dict[str, object] = {}
        """Every fact's value, in the profile's order (what the verdict functions read)."""
        self.full: dict[str, FactValue] = {}
        self.expiring = False
        """Whether a fact has a ``valid_until`` (so that some day it counts as missing)."""

    def add(self, key: str, fact: FactValue) -> None:
        """Add (or replace) ``key`` with its full value."""
        self.plain[key] = fact.value
        self.full[key] = fact
        if fact.valid_until is not None:
            self.expiring = True

    def __getitem__(self, key: str) -> FactValue:
        fact = self.full.get(key)
        if fact is None:
            fact = self.full[key] = FactValue(self.plain[key])
        return fact

    def __iter__(self) -> Iterator[str]:
        return iter(self.plain)

    def __len__(self) -> int:
        return len(self.plain)

    def __contains__(self, key: object) -> bool:
        return key in self.plain

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (dict(self.items()),)


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
        fromisoformat = dt.date.fromisoformat

        def check(value: object) -> object:
            # parse_date's rule, inlined: ten characters in ISO form, within the range.
            if type(value) is str and len(value) == 10:
                try:
                    day = fromisoformat(value)
                except ValueError:
                    raise _SLOW from None
                if FIRST_DAY <= day <= LAST_DAY:
                    return day
            elif type(value) is dt.date:
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
            try:  # an unknown field is a KeyError: the checks themselves raise only _Slow
                return tuple([{key: fields[key](field) for key, field in record.items()}
                              if type(record) is dict else _slow() for record in value])
            except KeyError:
                raise _SLOW from None
    return check


def _envelope(spec: FactSpec, check: Callable[[object], object],
              raw: Mapping[str, object]) -> FactValue:
    """A fact given as a table with its provenance (value, evidence, source, ...)."""
    if "value" not in raw or not PROVENANCE.issuperset(raw):
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


# Per key of a table of the profile: (dotted key, check, normalise, spec) for a fact, or
# (dotted key, None, None, the table's own entries) for a group of facts.
_Entry = tuple[str, Any, Any, Any]


def _tree(facts: Mapping[str, FactSpec], checks: Mapping[str, Callable[[object], object]],
          namespaces: frozenset[str], prefix: str = "") -> dict[str, _Entry]:
    """The entries of the table at ``prefix``: facts first, as the checked path looks them up."""
    out: dict[str, _Entry] = {}
    depth = prefix.count(".")
    for dotted in [*facts, *sorted(namespaces)]:
        if not dotted.startswith(prefix) or dotted.count(".") != depth:
            continue
        key = dotted[len(prefix):]
        if key in out:
            continue
        if dotted in facts:
            out[key] = (dotted, checks[dotted], NORMALISE.get(dotted), facts[dotted])
        else:
            out[key] = (dotted, None, None, _tree(facts, checks, namespaces, dotted + "."))
    return out


@attrs.frozen
class ProfileDecoder:
    """The fast path for one facts dictionary: a check per fact key and the namespaces."""

    facts: Mapping[str, FactSpec]
    checks: Mapping[str, Callable[[object], object]]
    namespaces: frozenset[str]
    tree: Mapping[str, _Entry]

    @classmethod
    def build(cls, facts: Mapping[str, FactSpec]) -> ProfileDecoder:
        """Build the checks once for ``facts``."""
        namespaces = frozenset(".".join(k.split(".")[:n]) for k in facts
                               for n in range(1, k.count(".") + 1))
        checks = {key: _check(spec) for key, spec in facts.items()}
        return cls(facts, checks, namespaces, _tree(facts, checks, namespaces))

    def decode(self, data: Mapping[str, object]) -> DecodedFacts | None:
        """The facts of a plainly valid profile, in the checked path's order, else None."""
        found = DecodedFacts()
        try:
            _table(self.tree, data, found, top=True)
        except _Slow:
            return None
        code = found.plain.get("company.credit_code")
        if code is not None and uscc_problem(str(code)):
            return None
        if region_problems(found):
            return None
        for key, fact in derive_region(found, self.facts).items():
            found.add(key, fact)
        if "company.size" not in found and "company.size" in self.facts:
            derived = _derived_size(found)
            if derived is not None:
                found.add("company.size", derived)
        return found


def _table(tree: Mapping[str, _Entry], node: Mapping[str, object], found: DecodedFacts,
           top: bool = False) -> None:
    """Check every key of one table of the profile into ``found``; _Slow at the first doubt."""
    plain = found.plain
    for key, raw in node.items():
        entry = tree.get(key)
        if entry is None:
            if top and key == "schema" and raw == PROFILE_SCHEMA:
                continue
            raise _SLOW
        dotted, check, normalise, sub = entry
        if check is None:  # a group of facts
            if type(raw) is not dict:
                raise _SLOW
            _table(sub, raw, found)
            continue
        if normalise is not None:  # a region name becomes its GB/T 2260 code
            if isinstance(raw, Mapping):
                raise _SLOW
            raw = normalise(raw)
        if type(raw) is dict:
            found.add(dotted, _envelope(sub, check, raw))
        else:
            plain[dotted] = check(raw)


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


