"""One item's complete result, words included: what an eager evaluation produces.

The lazy results of :mod:`qcompliance.engine.lazy` call :func:`evaluate_item` when their
``why`` or ``facts`` are first read; waived and deselected items are built here at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

from attrs import evolve

from qcompliance.engine.due import item_due
from qcompliance.loading.catalog import CompiledChecklist, CompiledItem
from qcompliance.model import (
    Citation,
    FactRead,
    FactSpec,
    ItemKind,
    Profile,
    Question,
    Result,
    Text,
    Verdict,
    Waiver,
)
from qcompliance.rules.compiler import Context, Trace
from qcompliance.rules.conditions import Leaf
from qcompliance.rules.explain import explain_traces, size_test_reason

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


def citations(checklist: CompiledChecklist, compiled: CompiledItem) -> tuple[Citation, ...]:
    out = []
    for basis in compiled.item.basis:
        source = checklist.checklist.source(basis.source)
        assert source is not None  # checked when the checklist loaded
        out.append(Citation(basis.source, source.title, source.issuer, basis.clause,
                            basis.quote, source.url))
    return tuple(out)


def questions(results: Sequence[Result], facts: Mapping[str, FactSpec]) -> tuple[Question, ...]:
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


def missing_facts(compiled: CompiledItem, checklist: CompiledChecklist,
                   values: Mapping[str, object], as_of: dt.date, stale: frozenset[str]
                   ) -> tuple[str, ...]:
    """The facts an unknown item misses, as :func:`evaluate_item` finds them (no words)."""
    ctx = Context(values, as_of, stale)
    for applies in (checklist.applies, compiled.applies):
        if applies is not None:
            value, traces = applies(ctx)
            if value is None:
                return _missing(traces)
    return _missing(compiled.check(ctx)[1])


def apply_waiver(result: Result, waiver: Waiver | None, as_of: dt.date) -> Result:
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


def evaluate_item(compiled: CompiledItem, checklist: CompiledChecklist,
                   values: Mapping[str, object], stale: frozenset[str], profile: Profile,
                   facts: Mapping[str, FactSpec], as_of: dt.date) -> Result:
    item = compiled.item

    def result(verdict: Verdict, why: Text, ctx: Context | None = None,
               traces: Sequence[Trace] = ()) -> Result:
        return Result(
            item=item.id, checklist=checklist.checklist.id, verdict=verdict, kind=item.kind,
            level=item.level, severity=item.severity, title=item.title, why=why,
            citations=citations(checklist, compiled), evidence=item.evidence,
            remediation=item.remediation, mappings=item.mappings, notes=item.notes,
            facts=() if ctx is None else _reads(ctx, profile, stale, facts),
            missing=_missing(traces) if verdict is Verdict.UNKNOWN else (),
            due=item_due(item, values),
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




def tailored_out(compiled: CompiledItem, checklist: CompiledChecklist, reason: str) -> Result:
    item = compiled.item
    return Result(
        item=item.id, checklist=checklist.checklist.id, verdict=Verdict.NOT_APPLICABLE,
        kind=item.kind, level=item.level, severity=item.severity, title=item.title,
        why=Text(f"不适用：已按剪裁文件排除（{reason}）",
                 f"Not applicable: excluded by tailoring ({reason})"),
        citations=citations(checklist, compiled), evidence=item.evidence,
        remediation=item.remediation, mappings=item.mappings, notes=item.notes,
    )


__all__ = ["apply_waiver", "citations", "evaluate_item", "missing_facts",
           "questions", "tailored_out"]
