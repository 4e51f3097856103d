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
from operator import add, attrgetter
from typing import Any, Literal

import attrs
from attrs import evolve

from qcompliance.engine.scoring import score_counts
from qcompliance.engine.tailoring import Tailoring, apply_tailoring
from qcompliance.loading.catalog import ChecklistSet, CompiledChecklist, CompiledItem
from qcompliance.model import (
    Assessment,
    ChecklistRef,
    Citation,
    FactRead,
    FactSpec,
    Item,
    ItemKind,
    Level,
    Profile,
    Question,
    Result,
    Score,
    TailoringRecord,
    Text,
    Verdict,
    Waiver,
    WaiverProblem,
)
from qcompliance.rules.codegen import VERDICTS, VerdictFunction
from qcompliance.rules.compiler import Context, Trace
from qcompliance.rules.conditions import Leaf
from qcompliance.rules.explain import explain_traces, size_test_reason
from qcompliance.version import __version__

__all__ = ["ItemVerdict", "LazyAssessment", "LazyResult", "assess", "evaluate", "item_verdicts"]

_PREFIX = {
    Verdict.PASS: Text("符合：", "Pass: "),
    Verdict.FAIL: Text("不符合：", "Fail: "),
    Verdict.UNKNOWN: Text("无法判断，缺少事实：", "Unknown, facts missing: "),
    Verdict.NOT_APPLICABLE: Text("不适用：", "Not applicable: "),
    Verdict.WAIVED: Text("已豁免：", "Waived: "),
}


# An opportunity is never "不符合": it may or may not be open to the company yet.
_OPPORTUNITY_PREFIX = {
    Verdict.PASS: Text("可能符合条件：", "You may qualify: "),
    Verdict.FAIL: Text("暂不符合条件：", "Not eligible yet: "),
}


def _why(verdict: Verdict, traces: Sequence[Trace], facts: Mapping[str, FactSpec],
         kind: ItemKind = ItemKind.OBLIGATION) -> Text:
    body = explain_traces(traces, facts)
    prefix = _PREFIX[verdict]
    if kind is ItemKind.OPPORTUNITY:
        prefix = _OPPORTUNITY_PREFIX.get(verdict, prefix)
    return Text(prefix.zh + body.zh, prefix.en + body.en)


def _life(compiled: CompiledItem, as_of: dt.date) -> Text | None:
    """Why the item is not in force on ``as_of``, or None when it is."""
    item = compiled.item
    if item.effective is not None and as_of < item.effective:
        return Text(f"不适用：该要求自 {item.effective.isoformat()} 起施行，评估日尚未生效",
                    f"Not applicable: in force from {item.effective.isoformat()}, "
                    "after the assessment day")
    if item.effective_until is not None and as_of >= item.effective_until:
        instead = item.superseded_by
        return Text(
            f"不适用：该要求自 {item.effective_until.isoformat()} 起不再有效"
            + (f"，现行要求见 {instead}" if instead else ""),
            f"Not applicable: no longer in force from {item.effective_until.isoformat()}"
            + (f"; see {instead} instead" if instead else ""),
        )
    return None


def _reads(ctx: Context, profile: Profile, stale: frozenset[str],
           facts: Mapping[str, FactSpec]) -> tuple[FactRead, ...]:
    out = []
    for key in ctx.reads:
        fact = profile.facts.get(key)
        spec = facts.get(key)
        label = None if spec is None else spec.label
        if fact is None:
            out.append(FactRead(key, None, "missing", label=label))
        else:
            status: Literal["stale", "derived", "given"] = (
                "stale" if key in stale else "derived" if fact.derived_from else "given")
            out.append(FactRead(key, fact.value, status, fact.evidence, fact.source,
                                fact.as_of, fact.attested_by, fact.valid_until,
                                fact.derived_from, label))
    return tuple(out)


def _missing(traces: Sequence[Trace]) -> tuple[str, ...]:
    keys: dict[str, None] = {}
    for trace in traces:
        if trace.status in ("missing", "stale"):
            node = trace.node
            keys[node.fact if isinstance(node, Leaf) else node.records] = None
    return tuple(keys)


def _citations(checklist: CompiledChecklist, compiled: CompiledItem) -> tuple[Citation, ...]:
    out = []
    for basis in compiled.item.basis:
        source = checklist.checklist.source(basis.source)
        assert source is not None  # checked when the checklist loaded
        out.append(Citation(basis.source, source.title, source.issuer, basis.clause,
                            basis.quote, source.url))
    return tuple(out)


def _questions(results: Sequence[Result], facts: Mapping[str, FactSpec]) -> tuple[Question, ...]:
    waiting: dict[str, list[str]] = {}
    for result in results:
        for key in result.missing:
            waiting.setdefault(key, []).append(result.item)
    out = []
    for key, items in waiting.items():
        spec = facts[key]
        out.append(Question(key, spec.label, spec.question, spec.help, tuple(items),
                            spec.type.value, spec.values, spec.unit))
    return tuple(out)


def _missing_facts(compiled: CompiledItem, checklist: CompiledChecklist,
                   values: Mapping[str, object], as_of: dt.date, stale: frozenset[str]
                   ) -> tuple[str, ...]:
    """The facts an unknown item misses, as :func:`_evaluate_item` finds them (no words)."""
    ctx = Context(values, as_of, stale)
    for applies in (checklist.applies, compiled.applies):
        if applies is not None:
            value, traces = applies(ctx)
            if value is None:
                return _missing(traces)
    return _missing(compiled.check(ctx)[1])


def _apply_waiver(result: Result, waiver: Waiver | None, as_of: dt.date) -> Result:
    if waiver is None:
        return result

    if result.verdict is not Verdict.FAIL:
        return evolve(result, waiver=waiver, waiver_note=Text(
            "豁免不必要：该项并未不符合", "Waiver unnecessary: the item does not fail"))
    if waiver.expires < as_of:
        return evolve(result, waiver=waiver, waiver_note=Text(
            f"豁免已于 {waiver.expires.isoformat()} 过期，不再有效",
            f"Waiver expired on {waiver.expires.isoformat()} and no longer applies"))
    return evolve(result, verdict=Verdict.WAIVED, waiver=waiver, why=Text(
        _PREFIX[Verdict.WAIVED].zh + result.why.zh, _PREFIX[Verdict.WAIVED].en + result.why.en))


def _evaluate_item(compiled: CompiledItem, checklist: CompiledChecklist,
                   values: Mapping[str, object], stale: frozenset[str], profile: Profile,
                   facts: Mapping[str, FactSpec], as_of: dt.date) -> Result:
    item = compiled.item

    def result(verdict: Verdict, why: Text, ctx: Context | None = None,
               traces: Sequence[Trace] = ()) -> Result:
        return Result(
            item=item.id, checklist=checklist.checklist.id, verdict=verdict, kind=item.kind,
            level=item.level, severity=item.severity, title=item.title, why=why,
            citations=_citations(checklist, compiled), evidence=item.evidence,
            remediation=item.remediation, mappings=item.mappings, notes=item.notes,
            facts=() if ctx is None else _reads(ctx, profile, stale, facts),
            missing=_missing(traces) if verdict is Verdict.UNKNOWN else (),
            due=_due(item, values),
        )

    life = _life(compiled, as_of)
    if life is not None:
        return result(Verdict.NOT_APPLICABLE, life)
    ctx = Context(values, as_of, stale)
    applied: list[Trace] = []
    for applies in (checklist.applies, compiled.applies):
        if applies is None:
            continue
        value, traces = applies(ctx)
        applied += traces
        if value is False:
            return result(Verdict.NOT_APPLICABLE, _why(Verdict.NOT_APPLICABLE, traces, facts), ctx)
        if value is None:
            return result(Verdict.UNKNOWN, _why(Verdict.UNKNOWN, traces, facts), ctx, traces)
    value, traces = compiled.check(ctx)
    verdict = {True: Verdict.PASS, False: Verdict.FAIL, None: Verdict.UNKNOWN}[value]
    why = _why(verdict, traces, facts, item.kind)
    reason = size_test_reason(applied, facts) if verdict is Verdict.FAIL else None
    if reason is not None:
        why = Text(f"{why.zh}。{reason.zh}", f"{why.en}. {reason.en}")
    return result(verdict, why, ctx, traces)


_FIELDS = tuple(a.name for a in Result.__attrs_attrs__)
_as_tuple = attrgetter(*_FIELDS)
# (values, stale, profile, facts, day): what explaining an item of one evaluation needs.
_Env = tuple[Mapping[str, object], frozenset[str], Profile, Mapping[str, FactSpec], dt.date]


class _Head:
    """What the results of one item with one verdict share: made once per checklist set."""

    __slots__ = ("cc", "ci", "item", "verdict")

    def __init__(self, ci: CompiledItem, cc: CompiledChecklist, verdict: Verdict) -> None:
        self.ci, self.cc, self.verdict, self.item = ci, cc, verdict, ci.item


class LazyResult(Result):
    """A :class:`Result` whose verdict is decided and whose words are not yet written.

    ``why`` and ``facts`` are computed on first read (then kept) by the traced conditions, so
    they are exactly those of an eager evaluation; ``citations`` are assembled on each read.
    Everything else is at hand. It compares equal to the eager :class:`Result`, pickles as one,
    and ``attrs.evolve`` of it gives a plain ``Result``. Results of items with a waiver or
    deselected by a tailoring are not lazy.
    """

    # Two slots set per result (its shared head and its evaluation): reading every verdict of
    # an assessment costs about what evaluating it did. _done and _missing are set when needed.
    __slots__ = ("_done", "_env", "_h", "_missing")
    _h: _Head
    _env: _Env

    # attrs.evolve calls the class with every field: that makes a plain, complete Result.
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return Result(*args, **kwargs)

    @classmethod
    def _make(cls, ci: CompiledItem, cc: CompiledChecklist, verdict: Verdict,
              env: _Env, missing: tuple[str, ...] = ()) -> LazyResult:
        self: LazyResult = object.__new__(cls)
        setter = object.__setattr__  # Result is frozen
        setter(self, "_h", _Head(ci, cc, verdict))
        setter(self, "_env", env)
        if missing:
            setter(self, "_missing", missing)
        return self

    def _full(self) -> Result:
        done: Result | None = getattr(self, "_done", None)
        if done is None:
            head = self._h
            done = _evaluate_item(head.ci, head.cc, *self._env)
            if done.verdict is not head.verdict or done.missing != self.missing:
                # The two compiled forms disagree: a bug.
                raise AssertionError(f"{done.item}: traced {done.verdict} {done.missing}, "
                                     f"generated {head.verdict} {self.missing}")
            object.__setattr__(self, "_done", done)
        return done

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Result):
            return bool(_as_tuple(self) == _as_tuple(other))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, Result):
            return bool(_as_tuple(self) != _as_tuple(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_as_tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return Result, _as_tuple(self)


def _lazy_result(head: _Head, env: _Env, new: Any = object.__new__,
                 setter: Any = object.__setattr__) -> LazyResult:
    """LazyResult._make for a head made already (the common case, kept short)."""
    self: LazyResult = new(LazyResult)
    setter(self, "_h", head)
    setter(self, "_env", env)
    return self


def _lazy_fields() -> None:
    """Give LazyResult one read-only property per Result field (C-level getters where the
    field is the item's own)."""
    item = {name: property(attrgetter(f"_h.item.{name}"))
            for name in ("kind", "level", "severity", "title", "evidence", "remediation",
                         "mappings", "notes")}
    fields: dict[str, property] = {
        **item,
        "item": property(attrgetter("_h.item.id")),
        "checklist": property(attrgetter("_h.cc.checklist.id")),
        "verdict": property(attrgetter("_h.verdict")),
        "why": property(lambda self: self._full().why),
        "facts": property(lambda self: self._full().facts),
        "citations": property(lambda self: _citations(self._h.cc, self._h.ci)),
        "missing": property(lambda self: getattr(self, "_missing", ())),
        "due": property(lambda self: _due(self._h.item, self._env[0])),
        "waiver": property(lambda self: None),
        "waiver_note": property(lambda self: None),
    }
    assert set(fields) == set(_FIELDS), set(_FIELDS) ^ set(fields)
    for name, value in fields.items():
        setattr(LazyResult, name, value)


_lazy_fields()


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
    heads: tuple[tuple[_Head, ...], ...] = attrs.field(default=(), eq=False, repr=False)
    """Per item, by verdict code: what its results share (see :class:`LazyResult`)."""


def _plans(checklists: ChecklistSet) -> tuple[_Plan, ...]:
    plans: tuple[_Plan, ...] | None = checklists.derived.get("engine.plans")
    if plans is None:
        plans = tuple(
            _Plan(compiled, verdicts, {
                value: ChecklistRef(c.id, c.version, c.sha256, c.title, _APPLICABLE[value],
                                    c.provenance)
                for value in (True, False, None)
            }, tuple(
                (_LEVELS.index(i.item.level) * 16 + i.item.severity.weight) * 8
                if i.item.kind is ItemKind.OBLIGATION else _OPPORTUNITY for i in compiled.items),
                heads=tuple(tuple(_Head(i, compiled, v) for v in VERDICTS)
                            for i in compiled.items))
            for compiled, verdicts in zip(checklists.compiled, checklists.verdict_functions,
                                          strict=True)
            for c in (compiled.checklist,)
        )
        checklists.derived["engine.plans"] = plans
    return plans


# (per item its heads by verdict code, verdict code of each item, the results built at once
# by item index)
_Part = tuple[tuple[tuple[_Head, ...], ...], Sequence[int], dict[int, Result]]
_LEVELS = tuple(Level)
_OPPORTUNITY = 1 << 20
_CODE = {v: code for code, v in enumerate(VERDICTS)}
_UNKNOWN = _CODE[Verdict.UNKNOWN]


@functools.lru_cache(maxsize=8192)
def _score_of(counts: tuple[int, ...], weight_passed: int, weight_decided: int) -> Score:
    """Scores repeat across a portfolio (same counts, same score): build each one once."""
    return score_counts(dict(zip(VERDICTS, counts, strict=True)), weight_passed,
                        weight_decided)


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


def assess(profile: Profile, checklists: ChecklistSet, day: dt.date, *,
           waivers: Iterable[Waiver] = (), skip_inapplicable: bool = False,
           deselected: Mapping[str, str] | None = None, record: TailoringRecord | None = None,
           waiver_problems: Sequence[WaiverProblem] = ()) -> Assessment:
    """:func:`evaluate` on a set already tailored (``deselected`` items, change ``record``),
    so that a batch applies a tailoring once, not once per profile."""
    values: dict[str, object] = {}
    stale_keys = []
    for key, fact in profile.facts.items():
        if fact.valid_until is not None and fact.valid_until < day:
            stale_keys.append(key)
        else:
            values[key] = fact.value
    stale = frozenset(stale_keys)
    by_item = {w.item: w for w in waivers}
    env: _Env = (values, stale, profile, checklists.facts, day)
    refs: list[ChecklistRef] = []
    parts: list[_Part] = []
    by_checklist: dict[str, Score] = {}
    total: tuple[int, ...] = _NOTHING
    unknowns: list[Result] = []
    for plan in _plans(checklists):
        decided = plan.verdicts(values, day)
        ref = plan.refs[decided[0]]
        refs.append(ref)
        if skip_inapplicable and ref.applicable == "no":
            by_checklist[ref.id] = _EMPTY
            continue
        codes: Sequence[int] = decided[1:]
        eager: dict[int, Result] = {}
        if _UNKNOWN in codes or by_item or deselected:
            codes = list(codes)
            compiled = plan.compiled
            for i, (item, code) in enumerate(zip(compiled.items, codes, strict=True)):
                item_id = item.item.id
                waiver = by_item.get(item_id) if by_item else None
                if deselected and item_id in deselected:
                    eager[i] = _tailored_out(item, compiled, deselected[item_id])
                    codes[i] = _CODE[Verdict.NOT_APPLICABLE]
                elif waiver is not None:
                    eager[i] = _apply_waiver(_evaluate_item(item, compiled, *env), waiver, day)
                    codes[i] = _CODE[eager[i].verdict]
                    unknowns.append(eager[i])
                elif code == _UNKNOWN:
                    # The facts to collect are needed now; the words can wait.
                    missing = _missing_facts(item, compiled, values, day, stale)
                    eager[i] = LazyResult._make(item, compiled, Verdict.UNKNOWN, env, missing)
                    unknowns.append(eager[i])
        parts.append((plan.heads, codes, eager))
        checklist_score, counts = _tallied(plan, tuple(codes))
        by_checklist[ref.id] = checklist_score
        total = tuple(map(add, total, counts))
    by_level, overall = _total_scores(total)
    by_level = dict(by_level)
    # In Assessment's field order (checked on import, below); results are built on first read,
    # and the profile's digest too (a mapping's canonical digest costs a fifth of loading it).
    fields = ("qcompliance/assessment/v1", __version__, day, profile.name, profile.credit_code,
              None, tuple(refs), None, by_checklist, by_level, overall,
              _questions(unknowns, checklists.facts) if unknowns else (), record,
              tuple(waiver_problems))
    return LazyAssessment._make(fields, parts, env)


_ASSESSMENT_FIELDS = tuple(a.name for a in Assessment.__attrs_attrs__)
_assessment_tuple = attrgetter(*_ASSESSMENT_FIELDS)
# assess() builds the fields positionally: a new Assessment field must be added there too.
assert _ASSESSMENT_FIELDS == (
    "schema", "tool_version", "as_of", "profile_name", "profile_credit_code", "profile_sha256",
    "checklists", "results", "scores_by_checklist", "scores_by_level", "overall",
    "facts_to_collect", "tailoring", "waiver_problems"), _ASSESSMENT_FIELDS


class LazyAssessment(Assessment):
    """An :class:`Assessment` whose ``results`` are built when first read.

    Evaluation decides every verdict and computes the scores at once; the result objects (and,
    later still, their explanations: :class:`LazyResult`) are made on first access of
    ``results``. It compares equal to the eager Assessment, pickles as one, and
    ``attrs.evolve`` of it gives a plain ``Assessment``.
    """

    __slots__ = ("_env", "_fields", "_parts", "_results")
    _fields: tuple[Any, ...]
    _parts: list[_Part]
    _env: _Env
    _results: tuple[Result, ...] | None

    # attrs.evolve calls the class with every field: that makes a plain Assessment.
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return Assessment(*args, **kwargs)

    @classmethod
    def _make(cls, fields: tuple[Any, ...], parts: list[_Part], env: _Env) -> LazyAssessment:
        self: LazyAssessment = object.__new__(cls)
        setter = object.__setattr__  # Assessment is frozen
        setter(self, "_fields", fields)
        setter(self, "_parts", parts)
        setter(self, "_env", env)
        setter(self, "_results", None)
        return self

    def _build(self) -> tuple[Result, ...]:
        results = self._results
        if results is None:
            make, env, out = _lazy_result, self._env, []
            for heads, codes, eager in self._parts:
                if eager:
                    out += [eager[i] if i in eager else make(head[code], env)
                            for i, (head, code) in enumerate(zip(heads, codes, strict=True))]
                else:
                    out += [make(head[code], env)
                            for head, code in zip(heads, codes, strict=True)]
            results = tuple(out)
            object.__setattr__(self, "_results", results)
        return results

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Assessment):
            return bool(_assessment_tuple(self) == _assessment_tuple(other))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, Assessment):
            return bool(_assessment_tuple(self) != _assessment_tuple(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_assessment_tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return Assessment, _assessment_tuple(self)


def _field(index: int) -> property:
    def get(self: LazyAssessment) -> object:
        return self._fields[index]

    return property(get)


def _profile_sha256(self: LazyAssessment) -> str | None:
    return self._env[2].sha256


for _index, _name in enumerate(_ASSESSMENT_FIELDS):
    setattr(LazyAssessment, _name,
            property(LazyAssessment._build) if _name == "results"
            else property(_profile_sha256) if _name == "profile_sha256" else _field(_index))


def _due(item: Item, values: Mapping[str, object]) -> dt.date | None:
    """The day ``item``'s duty falls due, from its ``due`` date fact and lead-days param."""
    if item.due is None:
        return None
    day = values.get(item.due.fact)
    if not isinstance(day, dt.date):
        return None
    lead = item.params.get(item.due.before, 0) if item.due.before else 0
    return day - dt.timedelta(days=lead) if isinstance(lead, int) else None


def _tailored_out(compiled: CompiledItem, checklist: CompiledChecklist, reason: str) -> Result:
    item = compiled.item
    return Result(
        item=item.id, checklist=checklist.checklist.id, verdict=Verdict.NOT_APPLICABLE,
        kind=item.kind, level=item.level, severity=item.severity, title=item.title,
        why=Text(f"不适用：已按剪裁文件排除（{reason}）",
                 f"Not applicable: excluded by tailoring ({reason})"),
        citations=_citations(checklist, compiled), evidence=item.evidence,
        remediation=item.remediation, mappings=item.mappings, notes=item.notes,
    )


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
