"""Scores, coverage and the exit-code rule. The formula is stated in docs/scoring.md.

score    = sum of severity weights of passing items / sum over passing and failing items
coverage = decided items (pass, fail, waived) / applicable items (all but not_applicable)

Only obligations count: an opportunity is never a gap. Unknown never counts as a pass and
not-applicable never counts at all. A waived item is decided (it counts for coverage) but is
left out of the score, so a waiver neither hides a gap as a pass nor counts as a failure.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence

from qcompliance.model import ItemKind, Level, Result, Score, Verdict

__all__ = ["FailOn", "blocking_results", "exit_code", "score", "score_counts"]


def score(results: Iterable[Result]) -> Score:
    """The score and coverage of ``results`` (opportunities are ignored)."""
    counts = dict.fromkeys(Verdict, 0)
    weight_passed = weight_decided = 0
    for result in results:
        if result.kind is not ItemKind.OBLIGATION:
            continue
        counts[result.verdict] += 1
        weight = result.severity.weight
        if result.verdict is Verdict.PASS:
            weight_passed += weight
            weight_decided += weight
        elif result.verdict is Verdict.FAIL:
            weight_decided += weight
    return score_counts(counts, weight_passed, weight_decided)


def score_counts(counts: Mapping[Verdict, int], weight_passed: int, weight_decided: int
                 ) -> Score:
    """The score of obligations counted by verdict, with the weights of passes and of passes
    and failures (what :func:`score` counts; the engine counts them without results)."""
    decided = counts[Verdict.PASS] + counts[Verdict.FAIL] + counts[Verdict.WAIVED]
    applicable = decided + counts[Verdict.UNKNOWN]
    return Score(
        score=round(weight_passed / weight_decided, 4) if weight_decided else None,
        coverage=round(decided / applicable, 4) if applicable else None,
        passed=counts[Verdict.PASS],
        failed=counts[Verdict.FAIL],
        unknown=counts[Verdict.UNKNOWN],
        waived=counts[Verdict.WAIVED],
        not_applicable=counts[Verdict.NOT_APPLICABLE],
        weight_passed=weight_passed,
        weight_decided=weight_decided,
    )


class FailOn(str, enum.Enum):
    """Which failures make ``qcheck run`` exit with code 1."""

    MANDATORY = "mandatory"
    ANY = "any"
    NEVER = "never"

    def levels(self) -> frozenset[Level]:
        """The levels whose failures count."""
        if self is FailOn.MANDATORY:
            return frozenset({Level.MANDATORY})
        if self is FailOn.ANY:
            return frozenset(Level)
        return frozenset()


def blocking_results(results: Sequence[Result], fail_on: FailOn,
                     fail_on_unknown: bool = False) -> list[Result]:
    """The obligations that make the run fail: failures (and unknowns if asked) at those levels."""
    levels = fail_on.levels()
    verdicts = {Verdict.FAIL, Verdict.UNKNOWN} if fail_on_unknown else {Verdict.FAIL}
    return [
        r for r in results
        if r.kind is ItemKind.OBLIGATION and r.level in levels and r.verdict in verdicts
    ]


def exit_code(results: Sequence[Result], fail_on: FailOn, fail_on_unknown: bool = False) -> int:
    """0 when nothing at or above ``fail_on`` failed, 1 when something did."""
    return 1 if blocking_results(results, fail_on, fail_on_unknown) else 0
