"""Evaluate a profile against compiled checklists on one day. No I/O happens here.

Per item: outside its life (``effective`` … ``effective_until``) it is not applicable; then the
checklist's and the item's ``applies`` decide applicability (unknown makes the verdict unknown);
then ``check`` gives pass, fail or unknown; a current waiver turns a fail into waived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from attrs import evolve

from qcompliance.engine.scoring import score
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
    Text,
    Verdict,
    Waiver,
    WaiverProblem,
)
from qcompliance.rules.compiler import Context, Trace
from qcompliance.rules.conditions import Leaf
from qcompliance.rules.explain import explain_traces, size_test_reason
from qcompliance.version import __version__

__all__ = ["evaluate"]

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


def evaluate(profile: Profile, checklists: ChecklistSet, as_of: dt.date | None = None, *,
             waivers: Iterable[Waiver] = (), skip_inapplicable: bool = True,
             tailoring: Tailoring | None = None,
             waiver_problems: Sequence[WaiverProblem] = ()) -> Assessment:
    """Evaluate ``profile`` against ``checklists`` as of ``as_of`` (default: today).

    With ``skip_inapplicable`` (the default, as in ``qcheck run``), a checklist whose
    ``applies`` is false is listed in the assessment (``checklists``, applicable ``"no"``) but
    its items are left out; with ``skip_inapplicable=False`` (``qcheck run
    --include-inapplicable``) each of them is reported not applicable.

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
    stale = frozenset(
        key for key, fact in profile.facts.items()
        if fact.valid_until is not None and fact.valid_until < day
    )
    values = {key: fact.value for key, fact in profile.facts.items() if key not in stale}
    by_item = {w.item: w for w in waivers}
    refs: list[ChecklistRef] = []
    results: list[Result] = []
    for compiled in checklists.compiled:
        checklist = compiled.checklist
        applicable: Literal["yes", "no", "unknown"] = "yes"
        if compiled.applies is not None:
            value, _ = compiled.applies(Context(values, day, stale))
            applicable = "unknown" if value is None else "yes" if value else "no"
        refs.append(ChecklistRef(checklist.id, checklist.version, checklist.sha256,
                                 checklist.title, applicable, checklist.provenance))
        if skip_inapplicable and applicable == "no":
            continue
        for item in compiled.items:
            if item.item.id in deselected:
                reason = deselected[item.item.id]
                results.append(_tailored_out(item, compiled, reason))
                continue
            outcome = _evaluate_item(item, compiled, values, stale, profile,
                                     checklists.facts, day)
            results.append(_apply_waiver(outcome, by_item.get(item.item.id), day))
    return Assessment(
        schema="qcompliance/assessment/v1",
        tool_version=__version__,
        as_of=day,
        profile_name=profile.name,
        profile_credit_code=profile.credit_code,
        profile_sha256=profile.sha256,
        checklists=tuple(refs),
        results=tuple(results),
        scores_by_checklist={
            ref.id: score(r for r in results if r.checklist == ref.id) for ref in refs
        },
        scores_by_level={
            level.value: score(r for r in results if r.level is level) for level in Level
        },
        overall=score(results),
        facts_to_collect=_questions(results, checklists.facts),
        tailoring=record,
        waiver_problems=tuple(waiver_problems),
    )


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
