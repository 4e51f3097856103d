"""Checking a profile a person wrote: every problem at once, including impossible future dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from qcompliance.errors import Problem, QComplianceError
from qcompliance.loading.converter import KeyPath, parse_date
from qcompliance.loading.load import Document, Input, load_profile, read_document
from qcompliance.model import FactSpec, FactType, Lang, Profile
from qcompliance.selfcheck.texts import say

__all__ = [
    "Validation",
    "validate_profile",
]


@attrs.frozen
class Validation:
    """The outcome of :func:`validate_profile`: the profile when it loads, and every problem."""

    profile: Profile | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when there is no problem."""
        return not self.problems


def _past_only_problems(doc: Document, facts: Mapping[str, FactSpec], as_of: dt.date,
                        lang: Lang) -> list[Problem]:
    """Dates after ``as_of`` in facts (or record fields) declared ``past_only``."""
    problems = []

    def check(raw: object, at: KeyPath) -> None:
        try:
            date = parse_date(raw)
        except ValueError:
            return  # a wrong type is reported by load_profile
        if date > as_of:
            problems.append(doc.problem(at, say("past", lang, date=date.isoformat(),
                                                as_of=as_of.isoformat())))

    for key, spec in facts.items():
        dated = spec.type is FactType.DATE and spec.past_only
        dated_fields = [f for f in spec.fields or () if f.type is FactType.DATE and f.past_only]
        if not dated and not dated_fields:
            continue
        node: object = doc.data
        path: KeyPath = ()
        for segment in key.split("."):
            node = node.get(segment) if isinstance(node, Mapping) else None
            path = (*path, segment)
        if isinstance(node, Mapping) and "value" in node:
            node, path = node["value"], (*path, "value")
        if node is None:
            continue
        if dated:
            check(node, path)
        elif isinstance(node, list):
            for i, record in enumerate(node):
                for field in dated_fields:
                    if isinstance(record, Mapping) and field.key in record:
                        check(record[field.key], (*path, i, field.key))
    return problems


def validate_profile(source: Input, facts: Mapping[str, FactSpec], *,
                     as_of: dt.date | None = None, lang: Lang = "zh") -> Validation:
    """Every problem of a profile at once: what :func:`load_profile` finds (unknown keys with
    a did-you-mean, wrong types, values outside the allowed set, an invalid unified social
    credit code) and dates after ``as_of`` (default: today) in ``past_only`` facts.
    """
    day = as_of or dt.date.today()
    try:
        doc = read_document(source)
    except QComplianceError as exc:
        return Validation(None, exc.problems)
    problems: list[Problem] = []
    profile = None
    try:
        profile = load_profile(source, facts)
    except QComplianceError as exc:
        problems += exc.problems
    problems += _past_only_problems(doc, facts, day, lang)
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return Validation(profile if not problems else None, tuple(problems))
