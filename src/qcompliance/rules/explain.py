"""Turn the leaves that decided a condition into sentences, in Chinese and in English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from qcompliance.model import FactSpec, Lang, Text
from qcompliance.rules.compiler import MISSING, Trace
from qcompliance.rules.conditions import All, AnyOf, Condition, Count, Cover, Leaf, Not, Param
from qcompliance.rules.operators import OPERATORS

__all__ = ["condition_text", "describe_value", "explain_traces", "period_label"]

_YES = {"zh": "是", "en": "yes"}
_NO = {"zh": "否", "en": "no"}
_OUTCOME = {
    True: {"zh": "满足", "en": "met"},
    False: {"zh": "不满足", "en": "not met"},
    None: {"zh": "无法判断", "en": "cannot be decided"},
}


def describe_value(value: object, lang: Lang, spec: FactSpec | None = None) -> str:
    """A fact value as a reader would write it."""
    if value is MISSING:
        return "未提供" if lang == "zh" else "not given"
    if isinstance(value, bool):
        return (_YES if value else _NO)[lang]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        if not value:
            return "（无）" if lang == "zh" else "(none)"
        sep = "、" if lang == "zh" else ", "
        return sep.join(describe_value(v, lang, spec) for v in value)
    labels = spec.value_labels if spec is not None else None
    if isinstance(value, str) and labels and value in labels:
        shown = labels[value].get(lang)
        return f"{shown}（{value}）" if lang == "zh" else f"{shown} ({value})"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _name(key: str, facts: Mapping[str, FactSpec], lang: Lang) -> str:
    spec = facts.get(key)
    if spec is None:
        return key
    return f"{spec.label.zh}（{key}）" if lang == "zh" else f"{spec.label.en} ({key})"


def _unit(spec: FactSpec | None, lang: Lang) -> str:
    if spec is None or spec.unit is None:
        return ""
    return spec.unit.get(lang) if lang == "zh" else " " + spec.unit.get(lang)


_EVERY = {
    "day": {"zh": "每日", "en": "every day"},
    "week": {"zh": "每周", "en": "every week"},
    "month": {"zh": "每月", "en": "every month"},
}
_UNIT = {"day": {"zh": "天", "en": "days"}, "week": {"zh": "周", "en": "weeks"},
         "month": {"zh": "个月", "en": "months"}}
_CURRENT = {"day": "当天", "week": "本周", "month": "本月"}
_SHOWN_PERIODS = 12  # name at most this many missing periods, then say how many more

_SYMBOL = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


def condition_text(cond: Condition, lang: Lang) -> str:
    """A condition written compactly, e.g. ``ok = 是 且 issues ≥ 1``."""
    joiner = {"zh": (" 且 ", " 或 ", "并非"), "en": (" and ", " or ", "not ")}[lang]
    match cond:
        case All(parts) | AnyOf(parts):
            sep = joiner[0] if isinstance(cond, All) else joiner[1]
            return "(" + sep.join(condition_text(p, lang) for p in parts) + ")"
        case Not(part):
            return joiner[2] + condition_text(part, lang)
        case Leaf(fact, op, value):
            shown = f"{{param {value.name}}}" if isinstance(value, Param) else describe_value(
                value, lang)
            if op == "within_days":
                return (f"{fact} 在评估日前 {shown} 天内" if lang == "zh"
                        else f"{fact} within {shown} days before the assessment day")
            if op == "valid_for_days":
                return (f"{fact} 在评估日后仍有效至少 {shown} 天" if lang == "zh"
                        else f"{fact} valid at least {shown} days after the assessment day")
            if op == "exists":
                given = value is True
                return (f"{fact} {'已填写' if given else '未填写'}" if lang == "zh"
                        else f"{fact} {'is given' if given else 'is not given'}")
            symbol = _SYMBOL.get(op) or getattr(OPERATORS[op], lang)
            return f"{fact} {symbol} {shown}"
        case Count(records, op, value, where_cond, since):
            inner = records
            if where_cond is not None:
                joined = " 其中 " if lang == "zh" else " where "
                inner += joined + condition_text(where_cond, lang)
            if since is not None:
                days = f"{{param {since.name}}}" if isinstance(since, Param) else since
                inner += f"，近{days}天" if lang == "zh" else f", last {days} days"
            target = f"{{param {value.name}}}" if isinstance(value, Param) else str(value)
            return f"count({inner}) {_SYMBOL[op]} {target}"
        case Cover(records, period, window, where_cond):
            inner = records
            if where_cond is not None:
                joined = " 其中 " if lang == "zh" else " where "
                inner += joined + condition_text(where_cond, lang)
            days = f"{{param {window.name}}}" if isinstance(window, Param) else window
            every = _EVERY[period][lang]
            return (f"cover({inner}，{every}，近{days}天)" if lang == "zh"
                    else f"cover({inner}, {every}, last {days} days)")
    raise AssertionError(cond)  # pragma: no cover


def _where_text(count: Count, lang: Lang) -> str:
    return "" if count.where is None else condition_text(count.where, lang)


_INVERSE = {"eq": "ne", "ne": "eq", "lt": "ge", "ge": "lt", "le": "gt", "gt": "le",
            "in": "not_in", "not_in": "in"}


def _rule(op_name: str, expected: str, negated: bool, lang: Lang) -> str:
    """What the condition requires of the value, with ``not`` folded in."""
    if negated and op_name in _INVERSE:
        op_name, negated = _INVERSE[op_name], False
    op = OPERATORS[op_name]
    if op_name == "within_days":
        text = (f"在评估日及其前 {expected} 天内" if lang == "zh"
                else f"on or at most {expected} days before the assessment day")
    elif op_name == "valid_for_days":
        text = (f"在评估日后至少 {expected} 天仍有效" if lang == "zh"
                else f"still valid at least {expected} days after the assessment day")
    else:
        text = f"{op.zh} {expected}" if lang == "zh" else f"{op.en} {expected}"
    if negated:
        return f"不得{text}" if lang == "zh" else f"not {text}"
    return text


def _leaf_sentence(trace: Trace, facts: Mapping[str, FactSpec], lang: Lang) -> str:
    node = trace.node
    assert isinstance(node, Leaf)
    spec = facts.get(node.fact)
    name = _name(node.fact, facts, lang) if trace.status != "record" else node.fact
    if trace.status == "missing":
        return f"{name}未提供" if lang == "zh" else f"{name} is not given"
    if trace.status == "stale":
        return (f"{name}已超过有效期（valid_until），视为未提供" if lang == "zh"
                else f"{name} is stale (past its valid_until) and counts as not given")
    met = trace.outcome if trace.outcome is None or not trace.negated else not trace.outcome
    verdict = _OUTCOME[met][lang]
    if node.op == "exists":
        given = trace.actual is not MISSING
        if lang == "zh":
            return f"{name}{'已' if given else '未'}提供（{verdict}）"
        return f"{name} is {'given' if given else 'not given'} ({verdict})"
    actual = describe_value(trace.actual, lang, spec) + _unit(spec, lang)
    rule = _rule(node.op, describe_value(trace.expected, lang, spec), trace.negated, lang)
    if lang == "zh":
        return f"{name}为 {actual}，要求{rule}：{verdict}"
    return f"{name} is {actual}; required: {rule}: {verdict}"


def _count_sentence(trace: Trace, facts: Mapping[str, FactSpec], lang: Lang) -> str:
    node = trace.node
    assert isinstance(node, Count)
    name = _name(node.records, facts, lang)
    if trace.status in ("missing", "stale"):
        return f"{name}未提供" if lang == "zh" else f"{name} is not given"
    window = ""
    if node.since_days is not None:
        days = node.since_days if isinstance(node.since_days, int) else "N"
        window = f"近{days}天内" if lang == "zh" else f" in the last {days} days"
    where = _where_text(node, lang)
    if isinstance(trace.actual, tuple):
        low, high = trace.actual
        counted = f"{low}–{high}"
    else:
        counted = str(trace.actual)
    met = trace.outcome if trace.outcome is None or not trace.negated else not trace.outcome
    verdict = _OUTCOME[met][lang]
    rule = _rule(node.op, str(trace.expected), trace.negated, lang)
    if lang == "zh":
        cond = f"（条件 {where}）" if where else ""
        return f"{name}{window}{cond}记录 {counted} 条，要求{rule} 条：{verdict}"
    cond = f" matching {where}" if where else ""
    return f"{name}: {counted} records{cond}{window}; required: {rule}: {verdict}"




def period_label(start: dt.date, period: str) -> str:
    """A period as people write it: 2026-11-02, 2026-W45 (ISO week) or 2026-11."""
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    return start.isoformat()


def _cover_sentence(trace: Trace, facts: Mapping[str, FactSpec], lang: Lang) -> str:
    node = trace.node
    assert isinstance(node, Cover)
    name = _name(node.records, facts, lang)
    if trace.status in ("missing", "stale"):
        return f"{name}未提供" if lang == "zh" else f"{name} is not given"
    every, unit = _EVERY[node.period][lang], _UNIT[node.period][lang]
    where = "" if node.where is None else condition_text(node.where, lang)
    met = trace.outcome if trace.outcome is None or not trace.negated else not trace.outcome
    verdict = _OUTCOME[met][lang]
    gaps = trace.actual if isinstance(trace.actual, tuple) else ()
    labels = [period_label(p, node.period) for p in gaps[:_SHOWN_PERIODS]]
    more = len(gaps) - len(labels)
    if lang == "zh":
        cond = f"（条件 {where}）" if where else ""
        required = (f"要求近{trace.expected}天内{every}至少有一条记录"
                    f"（{_CURRENT[node.period]}尚未结束的除外）")
        if not gaps:
            return f"{name}{cond}：{required}，均有记录：{verdict}"
        listed = "、".join(labels) + (f" 等，另有 {more} 个" if more else "")
        state = "缺少记录" if trace.outcome is False else "无法确定是否有记录"
        return f"{name}{cond}：{required}；其中 {len(gaps)} {unit}{state}：{listed}：{verdict}"
    cond = f" matching {where}" if where else ""
    required = (f"required: at least one record {every} of the last {trace.expected} days "
                f"(the current, unfinished one excepted)")
    if not gaps:
        return f"{name}{cond}: every one has a record; {required}: {verdict}"
    listed = ", ".join(labels) + (f" and {more} more" if more else "")
    state = "have no record" if trace.outcome is False else "may have no record"
    return f"{name}{cond}: {len(gaps)} {unit} {state}: {listed}; {required}: {verdict}"


def explain_traces(traces: Sequence[Trace], facts: Mapping[str, FactSpec]) -> Text:
    """One sentence per deciding leaf, joined, in both languages."""
    out = {}
    lang: Lang
    for lang in ("zh", "en"):
        sentences = [
            _count_sentence(t, facts, lang) if isinstance(t.node, Count)
            else _cover_sentence(t, facts, lang) if isinstance(t.node, Cover)
            else _leaf_sentence(t, facts, lang)
            for t in traces
        ]
        out[lang] = ("；" if lang == "zh" else "; ").join(sentences)
    return Text(zh=out["zh"], en=out["en"])
