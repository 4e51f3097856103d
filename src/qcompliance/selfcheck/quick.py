"""The quick self-check's budget and order, and which yes/no questions share one screen.

The rule, in one place (:data:`QUICK_QUESTIONS`): a quick self-check first asks every
question that decides whether a mandatory duty applies (the gating questions, then the
applicability of mandatory items); then, while fewer than :data:`QUICK_QUESTIONS` questions
have been asked, the facts that the applicable mandatory duties need to be checked, the most
serious duties first (critical, high, medium, low; catalogue order within a severity). A
duty whose facts were not asked stays unknown ("to collect"), never a pass; the full
self-check goes on from the same answers (:func:`duty_coverage` counts both kinds).

A front end that can show a table (the browser) asks several open yes/no facts of one section
on one screen (:func:`screen_keys`), when no answer among them changes which of the others are
asked; a screen counts as one question, in the budget and in "question n of about N". The
terminal asks one fact a question, so within the same budget it reaches fewer duties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence, Set

from qcompliance.loading.catalog import ChecklistSet, CompiledItem
from qcompliance.model import FactSpec, FactType, Level, Severity, Text
from qcompliance.rules.compiler import Context
from qcompliance.rules.conditions import fact_keys
from qcompliance.selfcheck.gates import gate
from qcompliance.selfcheck.settled import missing_keys

__all__ = ["QUICK_QUESTIONS", "SCREEN_ROWS", "couplings", "dedupe", "duty_coverage",
           "in_force", "screen_count", "screen_keys", "severity_rank"]

QUICK_QUESTIONS = 45
"""How many questions a quick self-check asks at most once the questions that decide which
mandatory duties apply are answered: those are always asked; the facts of the applicable
mandatory duties, most serious first, fill what is left of this many questions."""

SCREEN_ROWS = 8
"""At most this many yes/no questions on one screen (a table still read at a glance)."""

_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}

Planned = Sequence[tuple[str, Text]]
"""Questions in asking order: the fact key and the heading of its section."""


def severity_rank(severity: Severity) -> int:
    """0 for the most serious duties, then upwards: the quick self-check's asking order."""
    return _RANK[severity]


def couplings(checklists: ChecklistSet) -> dict[str, frozenset[str]]:
    """For every fact, the facts whose answer may change whether it is asked.

    A fact is asked while a condition that reads it is undecided and every applicability
    above that condition (its item's, its checklist's) may still hold; so the facts of the
    same condition and of the applicabilities above it can change that. Conservative: facts
    not coupled here never change whether the other is asked.
    """
    out: dict[str, set[str]] = {}

    def couple(keys: frozenset[str] | set[str], chain: set[str]) -> None:
        for key in keys:
            out.setdefault(key, set()).update(chain - {key})

    for compiled in checklists.compiled:
        checklist = compiled.checklist
        above = set(fact_keys(checklist.applies)) if checklist.applies is not None else set()
        couple(above, above)
        for item in compiled.items:
            applies = set(fact_keys(item.item.applies)) if item.item.applies is not None else set()
            check = set(fact_keys(item.item.check))
            couple(applies, applies | above)
            couple(check, check | applies | above)
    return {key: frozenset(keys) for key, keys in out.items()}


def dedupe(planned: Planned) -> list[tuple[str, Text]]:
    """The questions with each fact once, where it first comes."""
    seen: set[str] = set()
    out = []
    for key, section in planned:
        if key not in seen:
            seen.add(key)
            out.append((key, section))
    return out


def _yes_no(spec: FactSpec | None) -> bool:
    return spec is not None and spec.type is FactType.BOOL


def screen_keys(planned: Planned, facts: Mapping[str, FactSpec],
                coupled: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    """The facts of the screen that starts with ``planned[0]``: it alone, or with it later
    yes/no facts of the same section, each taken only when no answer to another fact of the
    screen, or to a fact it is taken ahead of, can change whether it is asked. A gating
    question shares a screen only with other gating questions, so that the first screens
    ask what decides the rest, not a detail from further on."""
    first, section = planned[0]
    gating = gate(first) is not None
    if not _yes_no(facts.get(first)):
        return (first,)
    keys = [first]
    passed: list[str] = []  # facts a later one would be asked ahead of
    none: frozenset[str] = frozenset()

    def linked(key: str, others: Sequence[str]) -> bool:
        return any(key in coupled.get(k, none) or k in coupled.get(key, none) for k in others)

    for key, heading in planned[1:]:
        if len(keys) >= SCREEN_ROWS:
            break
        if heading == section and _yes_no(facts.get(key)) and key not in keys \
                and (gate(key) is not None) == gating \
                and not linked(key, keys) and not linked(key, passed):
            keys.append(key)
        else:
            passed.append(key)
    return tuple(keys)


def screen_count(planned: Planned, facts: Mapping[str, FactSpec],
                 coupled: Mapping[str, frozenset[str]] | None) -> int:
    """How many screens ``planned`` takes (one a fact when ``coupled`` is None: no grouping)."""
    if coupled is None:
        return len(planned)
    count, rest = 0, list(planned)
    while rest:
        taken = set(screen_keys(rest, facts, coupled))
        rest = [p for p in rest if p[0] not in taken]
        count += 1
    return count


def in_force(item: CompiledItem, as_of: dt.date) -> bool:
    """Whether ``item`` is in force on ``as_of`` (an item outside its life asks nothing)."""
    effective, until = item.item.effective, item.item.effective_until
    return not (effective is not None and as_of < effective) and not (
        until is not None and as_of >= until
    )


def duty_coverage(checklists: ChecklistSet, values: Mapping[str, object], as_of: dt.date,
                  asked: Set[str]) -> tuple[int, int]:
    """How many applicable mandatory items in force are decided or had every fact they need
    ``asked``, and how many still need a fact never asked: what a quick self-check covered,
    and what it left for the full one (those come out unknown, to collect)."""
    ctx = Context(values, as_of)
    covered = left = 0
    for compiled in checklists.compiled:
        if compiled.checklist.applies is not None and compiled.applies is not None \
                and compiled.applies(ctx)[0] is not True:
            continue
        for item in compiled.items:
            if item.item.level is not Level.MANDATORY or not in_force(item, as_of):
                continue
            if item.item.applies is not None and item.applies is not None \
                    and item.applies(ctx)[0] is not True:
                continue
            outcome, traces = item.check(ctx)
            if outcome is None and any(k not in asked for k in missing_keys(traces)):
                left += 1
            else:
                covered += 1
    return covered, left
