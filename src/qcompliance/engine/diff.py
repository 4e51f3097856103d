"""Compare two assessments of one company: what was fixed, what broke, how the scores moved.

``diff(previous, current)`` matches results by item id and sorts every change into one of:

- **closed**: an obligation that failed and now passes or no longer applies;
- **new failures**: an obligation that fails now and did not before (it passed, was unknown,
  was waived by a waiver that has since expired, did not apply, or is new);
- **changed**: every other change of verdict, including opportunities and items that appeared
  or disappeared (a failing item that is now waived or unknown is not closed: nothing shows
  it was fixed).

Each change says where it came from (``causes``): ``facts`` when a fact the item read has
another value or status (``ItemChange.facts`` names each with its two values),
``catalogue`` when its checklist has another version or content, and ``day`` when the
assessment day differs and nothing else explains the change (a date window moved). Two
assessments of different companies (credit codes) are refused unless forced.

Score deltas are given by checklist, by level and overall. :func:`diff_exit_code` is the rule
``qcheck diff`` exits by: 1 when something newly fails at a level that ``--fail-on`` names.
Like rendering, diffing never re-evaluates: it reads the two assessments only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import attrs

from qcompliance.engine.scoring import FailOn
from qcompliance.errors import Problem, UsageError
from qcompliance.model import (
    Assessment,
    ItemKind,
    Level,
    Result,
    Score,
    Severity,
    Text,
    Verdict,
)

__all__ = ["Cause", "Diff", "DifferentCompanies", "FactChange", "ItemChange", "ScoreDelta",
           "blocking_changes", "diff", "diff_exit_code"]

Cause = Literal["facts", "catalogue", "day"]
"""Where a change of verdict came from."""


class DifferentCompanies(UsageError):
    """The two assessments are of companies with different credit codes."""

    def __init__(self, previous: str, current: str) -> None:
        self.previous = previous
        self.current = current
        super().__init__(Problem(
            f"the two assessments are of different companies (credit code {previous} ≠ "
            f"{current}); give --force to compare them anyway", key="--force"))

_SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}
_LEVEL_ORDER = {Level.MANDATORY: 0, Level.ENCOURAGED: 1, Level.RECOMMENDED: 2}
_CLOSED_TO = frozenset({Verdict.PASS, Verdict.NOT_APPLICABLE})


@attrs.frozen
class FactChange:
    """A fact an item read on both sides, with another value (or given on one side only)."""

    key: str
    label: Text | None
    before: object
    after: object
    before_given: bool = True
    after_given: bool = True


@attrs.frozen
class ItemChange:
    """One item whose verdict differs between the two assessments."""

    item: str
    checklist: str
    title: Text
    kind: ItemKind
    level: Level
    severity: Severity
    before: Verdict | None
    """The previous verdict; None when the item was not in the previous assessment."""
    after: Verdict | None
    """The current verdict; None when the item is not in the current assessment."""
    why: Text
    """Why the item has its current verdict (its previous one, when it disappeared)."""
    causes: tuple[Cause, ...] = ()
    """Where the change came from: new facts, a new catalogue version, another day."""
    facts: tuple[FactChange, ...] = ()
    """The facts behind a ``facts`` cause, each with its previous and current value."""


@attrs.frozen
class ScoreDelta:
    """A score and its coverage before and after, and how much each moved."""

    scope: Literal["checklist", "level", "overall"]
    key: str
    """The checklist id, the level, or ``overall``."""
    before: Score | None
    after: Score | None
    score_delta: float | None
    """``after.score - before.score``; None when either is undefined."""
    coverage_delta: float | None
    """``after.coverage - before.coverage``; None when either is undefined."""


@attrs.frozen
class Diff:
    """What changed between a previous and a current assessment."""

    schema: Literal["qcompliance/diff/v1"]
    previous_as_of: dt.date
    current_as_of: dt.date
    profile_name: str | None
    profile_credit_code: str | None
    previous_profile_sha256: str | None
    current_profile_sha256: str | None
    closed: tuple[ItemChange, ...]
    new_failures: tuple[ItemChange, ...]
    changed: tuple[ItemChange, ...]
    scores: tuple[ScoreDelta, ...]
    checklist_titles: dict[str, Text] = attrs.field(factory=dict)
    """The title of every checklist a score delta names, for reports."""

    @property
    def changed_facts(self) -> tuple[FactChange, ...]:
        """Every fact that changed behind a change of verdict, once each, in order seen."""
        seen: dict[str, FactChange] = {}
        for change in (*self.new_failures, *self.closed, *self.changed):
            for fact in change.facts:
                seen.setdefault(fact.key, fact)
        return tuple(seen.values())

    @property
    def unchanged(self) -> bool:
        """True when no verdict changed."""
        return not (self.closed or self.new_failures or self.changed)


def _facts_read(result: Result | None) -> dict[str, tuple[object, bool]]:
    """The facts a result read: value and whether it was given. A fact that went stale kept
    its value: the day moved past its valid-until date, which is the day's doing."""
    if result is None:
        return {}
    return {read.key: (read.value, read.status == "missing") for read in result.facts}


def _causes(before: Result | None, after: Result | None, previous: Assessment,
            current: Assessment) -> tuple[Cause, ...]:
    causes: list[Cause] = []
    old, new = _facts_read(before), _facts_read(after)
    # Only facts both sides read can be compared; a fact read on one side only came into play
    # because another one changed, or because the checklist changed.
    if any(old[k] != new[k] for k in old.keys() & new.keys()):
        causes.append("facts")
    checklist = (after or before).checklist  # type: ignore[union-attr]
    if before is None or after is None or _catalogue_changed(checklist, previous, current):
        causes.append("catalogue")
    if previous.as_of != current.as_of and not causes:
        causes.append("day")
    return tuple(causes)


def _catalogue_changed(checklist: str, previous: Assessment, current: Assessment) -> bool:
    def ref(a: Assessment) -> tuple[str, str | None] | None:
        for r in a.checklists:
            if r.id == checklist:
                return (r.version, r.sha256)
        return None

    return ref(previous) != ref(current)


def _fact_changes(before: Result | None, after: Result | None) -> tuple[FactChange, ...]:
    if before is None or after is None:
        return ()
    old = {read.key: read for read in before.facts}
    out = []
    for read in after.facts:
        was = old.get(read.key)
        if was is None:
            continue
        if (was.value, was.status == "missing") != (read.value, read.status == "missing"):
            out.append(FactChange(read.key, read.label or was.label, was.value, read.value,
                                  was.status != "missing", read.status != "missing"))
    return tuple(out)


def _change(before: Result | None, after: Result | None, previous: Assessment,
            current: Assessment) -> ItemChange:
    base = after or before
    assert base is not None
    return ItemChange(
        item=base.item, checklist=base.checklist, title=base.title, kind=base.kind,
        level=base.level, severity=base.severity,
        before=before.verdict if before else None, after=after.verdict if after else None,
        why=base.why, causes=_causes(before, after, previous, current),
        facts=_fact_changes(before, after),
    )


def _rank(change: ItemChange) -> tuple[bool, int, int]:
    return (change.level is not Level.MANDATORY, _SEVERITY_ORDER[change.severity],
            _LEVEL_ORDER[change.level])


def _sorted(changes: Iterable[ItemChange]) -> tuple[ItemChange, ...]:
    return tuple(sorted(changes, key=_rank))


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 4)


def _score_delta(scope: Literal["checklist", "level", "overall"], key: str,
                 before: Score | None, after: Score | None) -> ScoreDelta:
    return ScoreDelta(
        scope, key, before, after,
        _delta(before.score if before else None, after.score if after else None),
        _delta(before.coverage if before else None, after.coverage if after else None),
    )


def diff(previous: Assessment, current: Assessment, *, force: bool = False) -> Diff:
    """The changes from ``previous`` to ``current`` (two assessments of the same company).

    Raises :class:`DifferentCompanies` when both carry a credit code and the codes differ,
    unless ``force``."""
    old_code, new_code = previous.profile_credit_code, current.profile_credit_code
    if old_code and new_code and old_code != new_code and not force:
        raise DifferentCompanies(old_code, new_code)
    old = {r.item: r for r in previous.results}
    new = {r.item: r for r in current.results}
    closed: list[ItemChange] = []
    failing: list[ItemChange] = []
    changed: list[ItemChange] = []
    for item in [*new, *(i for i in old if i not in new)]:
        before, after = old.get(item), new.get(item)
        was = before.verdict if before else None
        now = after.verdict if after else None
        if was is now:
            continue
        change = _change(before, after, previous, current)
        if change.kind is ItemKind.OBLIGATION and was is Verdict.FAIL and now in _CLOSED_TO:
            closed.append(change)
        elif change.kind is ItemKind.OBLIGATION and now is Verdict.FAIL:
            failing.append(change)
        else:
            changed.append(change)

    checklist_ids = [*current.scores_by_checklist,
                     *(k for k in previous.scores_by_checklist
                       if k not in current.scores_by_checklist)]
    scores = [
        _score_delta("checklist", key, previous.scores_by_checklist.get(key),
                     current.scores_by_checklist.get(key))
        for key in checklist_ids
    ]
    scores += [
        _score_delta("level", level.value, previous.scores_by_level.get(level.value),
                     current.scores_by_level.get(level.value))
        for level in Level
    ]
    scores.append(_score_delta("overall", "overall", previous.overall, current.overall))
    return Diff(
        schema="qcompliance/diff/v1",
        previous_as_of=previous.as_of,
        current_as_of=current.as_of,
        profile_name=current.profile_name,
        profile_credit_code=current.profile_credit_code,
        previous_profile_sha256=previous.profile_sha256,
        current_profile_sha256=current.profile_sha256,
        closed=_sorted(closed),
        new_failures=_sorted(failing),
        changed=_sorted(changed),
        scores=tuple(scores),
        checklist_titles={ref.id: ref.title for ref in (*previous.checklists,
                                                         *current.checklists)},
    )


def blocking_changes(result: Diff, fail_on: FailOn) -> list[ItemChange]:
    """The new failures at a level that ``fail_on`` names."""
    levels = fail_on.levels()
    return [c for c in result.new_failures if c.level in levels]


def diff_exit_code(result: Diff, fail_on: FailOn = FailOn.MANDATORY) -> int:
    """1 when something newly fails at a level ``fail_on`` names, else 0."""
    return 1 if blocking_changes(result, fail_on) else 0
