"""Evaluate a profile against compiled checklists on one day. No I/O happens here.

Per item: outside its life (``effective`` … ``effective_until``) it is not applicable; then the
checklist's and the item's ``applies`` decide applicability (unknown makes the verdict unknown);
then ``check`` gives pass, fail or unknown; a current waiver turns a fail into waived.

Verdicts first, words on demand: :func:`evaluate` decides every item with the checklist's
generated verdict function, counts the scores from the verdicts, and builds neither results
nor explanations. The results are built when first read (:class:`LazyAssessment`); a result's
``why`` and ``facts`` are produced when first read (:class:`LazyResult`), by the traced
conditions, exactly as an eager evaluation would have produced them. For an unknown item the
traced conditions run at once, without words, for the facts it misses; waived items are
explained at once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import add
from typing import Any, Literal

import attrs

from qcompliance.engine.lazy import Env, Head, LazyAssessment, LazyResult, Part
from qcompliance.engine.regional import for_region, region_note
from qcompliance.engine.results import (
    apply_waiver,
    evaluate_item,
    tailored_out,
)
from qcompliance.engine.scoring import score_counts
from qcompliance.engine.tailoring import Tailoring, apply_tailoring
from qcompliance.loading.catalog import ChecklistSet, CompiledChecklist
from qcompliance.loading.profile_decoder import DecodedFacts
from qcompliance.model import (
    Assessment,
    ChecklistRef,
    FactValue,
    ItemKind,
    Level,
    Profile,
    Result,
    Score,
    TailoringRecord,
    Verdict,
    Waiver,
    WaiverProblem,
)
from qcompliance.rules.codegen import VERDICTS, VerdictFunction
from qcompliance.version import __version__

__all__ = ["ItemVerdict", "LazyAssessment", "LazyResult", "assess", "evaluate", "item_verdicts"]


_APPLICABLE: dict[bool | None, Literal["yes", "no", "unknown"]] = {
    True: "yes", False: "no", None: "unknown"}


def evaluate(profile: Profile, checklists: ChecklistSet, as_of: dt.date | None = None, *,
             waivers: Iterable[Waiver] = (), skip_inapplicable: bool = True,
             tailoring: Tailoring | None = None,
             waiver_problems: Sequence[WaiverProblem] = ()) -> Assessment:
    """Evaluate ``profile`` against ``checklists`` as of ``as_of`` (default: today).

    With ``skip_inapplicable`` (the default, as in ``qcheck run``), a checklist whose
    ``applies`` is false is listed in the assessment (``checklists``, applicable ``"no"``) but
    its items are left out; with ``skip_inapplicable=False`` (``qcheck run
    --include-inapplicable``) each of them is reported not applicable.

    Verdicts first: this decides every verdict and computes the scores and the facts to
    collect, and returns a :class:`LazyAssessment`. Its ``results`` are built when first read,
    as :class:`LazyResult` whose ``why`` and ``facts`` are written when first read (identical to
    an eager evaluation). Results of waived items and of items a tailoring deselected are
    complete at once.

    Pure: the same profile, checklists, day and waivers always give an equal Assessment.
    A fact whose ``valid_until`` lies before ``as_of`` counts as missing (stale).
    ``tailoring`` deselects checklists and items, overrides params and severities (each change
    is recorded); ``waiver_problems`` are malformed waivers to report, not apply.
    """
    day = as_of or dt.date.today()
    record = None
    deselected: Mapping[str, str] = {}
    if tailoring is not None:
        checklists, deselected, record = apply_tailoring(checklists, tailoring)
    return assess(profile, checklists, day, waivers=waivers, skip_inapplicable=skip_inapplicable,
                  deselected=deselected, record=record, waiver_problems=waiver_problems)


@attrs.frozen
class _Plan:
    """What evaluation derives once per checklist of a set."""

    compiled: CompiledChecklist
    verdicts: VerdictFunction
    refs: Mapping[bool | None, ChecklistRef]
    """The checklist's reference for each value of its ``applies``."""
    statics: tuple[int, ...]
    """Per item, ``(level index * 16 + severity weight) * 8`` for an obligation and
    :data:`_OPPORTUNITY` for an opportunity: added to a verdict code, one int to count."""
    tallied: dict[tuple[int, ...], tuple[Score, tuple[int, ...]]] = attrs.field(
        factory=dict, eq=False, repr=False)
    """By the verdict codes of the items: the checklist's score and its counts (see
    :func:`_tally`). Across a portfolio the same patterns recur, so most profiles hit."""
    heads: tuple[tuple[Head, ...], ...] = attrs.field(default=(), eq=False, repr=False)
    """Per item, by verdict code: what its results share (see :class:`LazyResult`)."""


def _plans(checklists: ChecklistSet) -> tuple[_Plan, ...]:
    plans: tuple[_Plan, ...] | None = checklists.derived.get("engine.plans")
    if plans is None:
        plans = tuple(
            _Plan(compiled, verdicts, {
                value: ChecklistRef(c.id, c.version, c.sha256, c.title, _APPLICABLE[value],
                                    c.provenance, c.region)
                for value in (True, False, None)
            }, tuple(
                (_LEVELS.index(i.item.level) * 16 + i.item.severity.weight) * 8
                if i.item.kind is ItemKind.OBLIGATION else _OPPORTUNITY for i in compiled.items),
                heads=tuple(tuple(Head(i, compiled, v) for v in VERDICTS)
                            for i in compiled.items))
            for compiled, verdicts in zip(checklists.compiled, checklists.verdict_functions,
                                          strict=True)
            for c in (compiled.checklist,)
        )
        checklists.derived["engine.plans"] = plans
    return plans


_LEVELS = tuple(Level)
_OPPORTUNITY = 1 << 20
_CODE = {v: code for code, v in enumerate(VERDICTS)}
_UNKNOWN = _CODE[Verdict.UNKNOWN]
_PASS, _FAIL, _WAIVED, _NA = (_CODE[v] for v in (Verdict.PASS, Verdict.FAIL, Verdict.WAIVED,
                                                  Verdict.NOT_APPLICABLE))


@functools.lru_cache(maxsize=8192)
def _score_of(counts: tuple[int, ...], weight_passed: int, weight_decided: int) -> Score:
    """Scores repeat across a portfolio (same counts, same score): build each one once."""
    # score_counts' arithmetic on the verdict codes' positions (no dict keyed by enum members,
    # whose hashing is Python code: a portfolio misses this cache often).
    passed, failed, unknown = counts[_PASS], counts[_FAIL], counts[_UNKNOWN]
    waived, not_applicable = counts[_WAIVED], counts[_NA]
    decided = passed + failed + waived
    applicable = decided + unknown
    return Score(round(weight_passed / weight_decided, 4) if weight_decided else None,
                 round(decided / applicable, 4) if applicable else None, passed, failed,
                 unknown, waived, not_applicable, weight_passed, weight_decided)


_WIDTH = 7 * (1 + len(_LEVELS))
_NOTHING = (0,) * _WIDTH


_EMPTY = score_counts(dict.fromkeys(Verdict, 0), 0, 0)


def _tally(codes: tuple[int, ...], statics: tuple[int, ...]) -> tuple[Score, tuple[int, ...]]:
    """The score of one checklist's verdicts and its counts to add up: for all, then for each
    level, five verdict counts, the weight passed and the weight decided (see :func:`score`)."""
    return _tally_counts(frozenset(Counter(map(add, codes, statics)).items()))


@functools.lru_cache(maxsize=8192)
def _tally_counts(counted: frozenset[tuple[int, int]]) -> tuple[Score, tuple[int, ...]]:
    """:func:`_tally` from how many items have each (verdict code + static): verdict patterns
    differ from company to company far more often than their counts do."""
    acc = [0] * _WIDTH
    for key, n in counted:
        if key >= _OPPORTUNITY:
            continue
        code, static = key & 7, key >> 3
        weight = (static & 15) * n
        for base in (0, 7 * (1 + (static >> 4))):
            acc[base + code] += n
            if code == 0:  # pass
                acc[base + 5] += weight
            if code <= 1:  # pass or fail
                acc[base + 6] += weight
    return _score_of(tuple(acc[:5]), acc[5], acc[6]), tuple(acc)


def _tallied(plan: _Plan, codes: tuple[int, ...]) -> tuple[Score, tuple[int, ...]]:
    hit = plan.tallied.get(codes)
    if hit is None:
        if len(plan.tallied) >= 4096:  # bounded: a pathological portfolio starts afresh
            plan.tallied.clear()
        hit = plan.tallied[codes] = _tally(codes, plan.statics)
    return hit


@functools.lru_cache(maxsize=8192)
def _total_scores(total: tuple[int, ...]) -> tuple[Mapping[str, Score], Score]:
    """Scores by level and overall from the summed counts (shared: copy the mapping)."""
    by_level = {
        level.value: _score_of(tuple(total[b:b + 5]), total[b + 5], total[b + 6])
        for level, b in zip(_LEVELS, range(7, _WIDTH, 7), strict=True)
    }
    return by_level, _score_of(tuple(total[:5]), total[5], total[6])


_NO_KEYS: frozenset[str] = frozenset()


def _current(facts: Mapping[str, FactValue], day: dt.date
             ) -> tuple[dict[str, object], frozenset[str]]:
    """The values of the facts still valid on ``day``, and the keys of those that are not."""
    if type(facts) is DecodedFacts:  # only facts given with provenance can expire
        stale = frozenset(key for key, fact in facts.full.items()
                          if fact.valid_until is not None and fact.valid_until < day)
        return {k: v for k, v in facts.plain.items() if k not in stale}, stale
    values: dict[str, object] = {}
    stale_keys = []
    for key, fact in facts.items():
        if fact.valid_until is not None and fact.valid_until < day:
            stale_keys.append(key)
        else:
            values[key] = fact.value
    return values, frozenset(stale_keys)


def assess(profile: Profile, checklists: ChecklistSet, day: dt.date, *,
           waivers: Iterable[Waiver] = (), skip_inapplicable: bool = False,
           deselected: Mapping[str, str] | None = None, record: TailoringRecord | None = None,
           waiver_problems: Sequence[WaiverProblem] = ()) -> Assessment:
    """:func:`evaluate` on a set already tailored (``deselected`` items, change ``record``),
    so that a batch applies a tailoring once, not once per profile."""
    facts = profile.facts
    values: Mapping[str, object]
    if type(facts) is DecodedFacts and not facts.expiring:
        values, stale = facts.plain, _NO_KEYS  # read, never written, by what follows
    else:
        values, stale = _current(facts, day)
    checklists, regional = for_region(checklists, values)
    by_item = {w.item: w for w in waivers}
    env: Env = (values, stale, profile, checklists.facts, day)
    refs: list[ChecklistRef] = []
    parts: list[Part] = []
    by_checklist: dict[str, Score] = {}
    total: tuple[int, ...] = _NOTHING
    for plan in _plans(checklists):
        decided = plan.verdicts(values, day)
        ref = plan.refs[decided[0]]
        refs.append(ref)
        if skip_inapplicable and ref.applicable == "no":
            by_checklist[ref.id] = _EMPTY
            continue
        codes: Sequence[int] = decided[1:]
        eager: dict[int, Result] = {}
        # An unknown item's result is lazy like the others: its missing facts are found when
        # read (facts_to_collect reads them from the results).
        if by_item or deselected:
            codes = list(codes)
            compiled = plan.compiled
            for i, (item, _code) in enumerate(zip(compiled.items, codes, strict=True)):
                item_id = item.item.id
                waiver = by_item.get(item_id) if by_item else None
                if deselected and item_id in deselected:
                    eager[i] = tailored_out(item, compiled, deselected[item_id])
                    codes[i] = _CODE[Verdict.NOT_APPLICABLE]
                elif waiver is not None:
                    eager[i] = apply_waiver(evaluate_item(item, compiled, *env), waiver, day)
                    codes[i] = _CODE[eager[i].verdict]
        parts.append((plan.heads, codes, eager))
        checklist_score, counts = _tallied(plan, tuple(codes))
        by_checklist[ref.id] = checklist_score
        total = tuple(map(add, total, counts))
    by_level, overall = _total_scores(total)
    by_level = dict(by_level)
    # In Assessment's field order (checked on import, below); results are built on first read,
    # and so are the profile's digest (a fifth of loading a mapping) and the facts to collect
    # (the traced conditions of every unknown item: a batch summary needs neither).
    fields: tuple[Any, ...] = (
        "qcompliance/assessment/v1", __version__, day, profile.name, profile.credit_code,
        None, tuple(refs), None, by_checklist, by_level, overall, None, record,
        tuple(waiver_problems), region_note(profile, refs, regional), None, {})
    return LazyAssessment._make(fields, parts, env)




ItemVerdict = tuple[str, str, ItemKind, Level, Verdict]
"""(item id, checklist id, kind, level, verdict) of one result."""


def item_verdicts(assessment: Assessment) -> Iterator[ItemVerdict]:
    """Every result's item, checklist, kind, level and verdict, in order, without building the
    results of an assessment from :func:`evaluate` (a batch keeps only these per company)."""
    if isinstance(assessment, LazyAssessment) and assessment._results is None:
        for heads, codes, eager in assessment._parts:
            if not heads:
                continue
            checklist_id = heads[0][0].cc.checklist.id
            for i, (head, code) in enumerate(zip(heads, codes, strict=True)):
                item = head[0].item
                verdict = eager[i].verdict if i in eager else VERDICTS[code]
                yield item.id, checklist_id, item.kind, item.level, verdict
    else:
        for result in assessment.results:
            yield result.item, result.checklist, result.kind, result.level, result.verdict

