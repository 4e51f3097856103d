"""What a catalogue change does: the rules that changed, and per company the verdicts that flip.

Pure functions: two compiled catalogues and the companies' profiles in, an :class:`Impact`
out. Each company is evaluated under both catalogues on the same day; ``engine.diff`` of the
two assessments says which verdicts flip. Companies are ranked by the mandatory obligations
the new catalogue makes them fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Literal

import attrs

from qcompliance.engine.diff import ItemChange, diff
from qcompliance.engine.evaluate import evaluate
from qcompliance.errors import QComplianceError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import Checklist, FactSpec, Item, Level, Profile, Text

__all__ = ["IMPACT_SCHEMA", "ChecklistChange", "CompanyImpact", "Impact", "PortfolioEntry",
           "RuleChange", "impact", "rule_changes"]

IMPACT_SCHEMA = "qcompliance/impact/v1"

Aspect = Literal["condition", "applies", "params", "level", "severity", "kind", "life", "text"]
"""What changed in an item's rule: its check, its applicability, its parameters, its level or
severity, obligation/opportunity, its effective dates, or only its words and sources."""


@attrs.frozen
class RuleChange:
    """One item whose rule differs between the two catalogues."""

    item: str
    checklist: str
    change: Literal["added", "removed", "changed"]
    aspects: tuple[Aspect, ...]
    title: Text
    level_before: Level | None
    level_after: Level | None


@attrs.frozen
class ChecklistChange:
    """A checklist whose version or content (sha256) differs, or that was added or removed."""

    id: str
    version_before: str | None
    version_after: str | None
    sha256_before: str | None
    sha256_after: str | None


@attrs.frozen
class PortfolioEntry:
    """One company to evaluate: how to name it, and how to load its profile for a given
    facts dictionary (each catalogue brings its own)."""

    ident: str
    load: Callable[[Mapping[str, FactSpec]], Profile]


@attrs.frozen
class CompanyImpact:
    """What the new catalogue changes for one company."""

    ident: str
    name: str | None
    credit_code: str | None
    new_failures: tuple[ItemChange, ...] = ()
    closed: tuple[ItemChange, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    score_before: float | None = None
    score_after: float | None = None
    error: str | None = None
    """Why the company could not be evaluated under one of the catalogues."""

    @property
    def new_mandatory_failures(self) -> int:
        """Mandatory obligations that fail under the new catalogue and did not before."""
        return sum(1 for c in self.new_failures if c.level is Level.MANDATORY)


@attrs.frozen
class Impact:
    """The rules that changed and, per company, the verdicts that flip (ranked)."""

    as_of: dt.date
    before: str
    after: str
    checklists: tuple[ChecklistChange, ...]
    rules: tuple[RuleChange, ...]
    companies: tuple[CompanyImpact, ...]
    schema: str = IMPACT_SCHEMA


def _aspects(old: Item, new: Item, old_list: Checklist, new_list: Checklist
             ) -> tuple[Aspect, ...]:
    found: list[Aspect] = []
    if old.check != new.check:
        found.append("condition")
    if old.applies != new.applies or old_list.applies != new_list.applies:
        found.append("applies")
    if dict(old.params) != dict(new.params):
        found.append("params")
    if old.level != new.level:
        found.append("level")
    if old.severity != new.severity:
        found.append("severity")
    if old.kind != new.kind:
        found.append("kind")
    if (old.effective, old.effective_until, old.superseded_by) != (
            new.effective, new.effective_until, new.superseded_by):
        found.append("life")
    if not found and old != new:
        found.append("text")
    return tuple(found)


def rule_changes(before: ChecklistSet, after: ChecklistSet
                 ) -> tuple[tuple[ChecklistChange, ...], tuple[RuleChange, ...]]:
    """The checklists and the items whose rules differ, by id, in catalogue order."""
    old_lists = {c.id: c for c in before.checklists}
    new_lists = {c.id: c for c in after.checklists}
    lists = [ChecklistChange(i, o.version if o else None, n.version if n else None,
                             o.sha256 if o else None, n.sha256 if n else None)
             for i in dict.fromkeys([*old_lists, *new_lists])
             for o, n in [(old_lists.get(i), new_lists.get(i))]
             if o is None or n is None or (o.version, o.sha256) != (n.version, n.sha256)]
    old_items = {it.id: (it, c) for c in before.checklists for it in c.items}
    new_items = {it.id: (it, c) for c in after.checklists for it in c.items}
    rules: list[RuleChange] = []
    for ident in dict.fromkeys([*new_items, *old_items]):
        old, new = old_items.get(ident), new_items.get(ident)
        if old is None and new is not None:
            rules.append(RuleChange(ident, new[1].id, "added", (), new[0].title, None,
                                    new[0].level))
        elif new is None and old is not None:
            rules.append(RuleChange(ident, old[1].id, "removed", (), old[0].title,
                                    old[0].level, None))
        elif old is not None and new is not None:
            aspects = _aspects(old[0], new[0], old[1], new[1])
            if aspects:
                rules.append(RuleChange(ident, new[1].id, "changed", aspects, new[0].title,
                                        old[0].level, new[0].level))
    return tuple(lists), tuple(rules)


def _company(entry: PortfolioEntry, before: ChecklistSet, after: ChecklistSet,
             as_of: dt.date) -> CompanyImpact:
    try:
        old = evaluate(entry.load(before.facts), before, as_of)
        new = evaluate(entry.load(after.facts), after, as_of)
    except QComplianceError as exc:
        return CompanyImpact(entry.ident, None, None, error=str(exc.first))
    changes = diff(old, new, force=True)
    return CompanyImpact(entry.ident, new.profile_name, new.profile_credit_code,
                         changes.new_failures, changes.closed, changes.changed,
                         old.overall.score, new.overall.score)


def impact(before: ChecklistSet, after: ChecklistSet, companies: Iterable[PortfolioEntry],
           as_of: dt.date, *, before_label: str = "before", after_label: str = "after"
           ) -> Impact:
    """Evaluate every company under both catalogues on ``as_of``; the companies ranked by new
    mandatory failures, then all new failures, then name."""
    lists, rules = rule_changes(before, after)
    results = [_company(e, before, after, as_of) for e in companies]
    results.sort(key=lambda c: (c.error is not None, -c.new_mandatory_failures,
                                -len(c.new_failures), c.ident))
    return Impact(as_of, before_label, after_label, lists, rules, tuple(results))
