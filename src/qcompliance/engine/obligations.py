"""What a batch keeps of an assessment, per checklist: its failing obligations, whether a
mandatory one was decided, and at which levels obligations fail or stay unknown.

Across a portfolio the same verdict patterns recur (see ``engine.evaluate._tallied``), so for
an assessment from :func:`~qcompliance.engine.evaluate.evaluate` each checklist's answer is
computed once per pattern of verdict codes and then looked up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from qcompliance.engine.lazy import Head, LazyAssessment
from qcompliance.model import Assessment, ItemKind, Level, Verdict
from qcompliance.rules.codegen import VERDICTS

__all__ = ["ChecklistObligations", "checklist_obligations"]


@attrs.frozen
class ChecklistObligations:
    """The obligations of one checklist of an assessment, as a batch summary row needs them."""

    checklist: str
    failed: tuple[str, ...]
    """Ids of the obligations that fail, in order."""
    mandatory_failed: tuple[str, ...]
    """Those of them that are mandatory."""
    mandatory_decided: bool
    """Whether a mandatory obligation passed or failed (the score speaks of legal duties)."""
    failing_levels: frozenset[Level]
    unknown_levels: frozenset[Level]


def _summarise(checklist: str, items: Sequence[tuple[str, ItemKind, Level, Verdict]]
               ) -> ChecklistObligations:
    failed, mandatory = [], []
    decided = False
    failing: set[Level] = set()
    unknown: set[Level] = set()
    for item, kind, level, verdict in items:
        if kind is not ItemKind.OBLIGATION:
            continue
        if level is Level.MANDATORY and verdict in (Verdict.PASS, Verdict.FAIL):
            decided = True
        if verdict is Verdict.FAIL:
            failed.append(item)
            failing.add(level)
            if level is Level.MANDATORY:
                mandatory.append(item)
        elif verdict is Verdict.UNKNOWN:
            unknown.add(level)
    return ChecklistObligations(checklist, tuple(failed), tuple(mandatory), decided,
                                frozenset(failing), frozenset(unknown))


# By the identity of a checklist's heads (kept in the value, so an id is never reused for
# others), then by its verdict codes. Bounded: a pathological portfolio starts afresh.
_MEMO: dict[int, tuple[tuple[tuple[Head, ...], ...], dict[tuple[int, ...], ChecklistObligations]]]
_MEMO = {}


def _of_codes(heads: tuple[tuple[Head, ...], ...], codes: Sequence[int]
              ) -> ChecklistObligations:
    memo = _MEMO.get(id(heads))
    if memo is None or memo[0] is not heads:
        if len(_MEMO) >= 256:
            _MEMO.clear()
        memo = _MEMO[id(heads)] = (heads, {})
    by_codes = memo[1]
    key = tuple(codes)
    found = by_codes.get(key)
    if found is None:
        if len(by_codes) >= 4096:
            by_codes.clear()
        first = heads[0][0]
        found = by_codes[key] = _summarise(first.cc.checklist.id, [
            (head[0].item.id, head[0].item.kind, head[0].item.level, VERDICTS[code])
            for head, code in zip(heads, key, strict=True)])
    return found


def checklist_obligations(assessment: Assessment) -> Iterator[ChecklistObligations]:
    """Per checklist with results, in order: its failing obligations and the levels at stake."""
    if isinstance(assessment, LazyAssessment) and assessment._results is None:
        # A waived or deselected item's verdict code is set to its result's verdict by assess.
        for heads, codes, _ in assessment._parts:
            if heads:
                yield _of_codes(heads, codes)
        return
    current: str | None = None
    items: list[tuple[str, ItemKind, Level, Verdict]] = []
    for result in assessment.results:
        if result.checklist != current:
            if current is not None:
                yield _summarise(current, items)
            current, items = result.checklist, []
        items.append((result.item, result.kind, result.level, result.verdict))
    if current is not None:
        yield _summarise(current, items)
