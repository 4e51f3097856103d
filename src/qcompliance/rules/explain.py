"""Turn the leaves that decided a condition into sentences, in Chinese and in English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs

from qcompliance.model import FactSpec, Lang, Text
from qcompliance.rules.calendar import Calendar
from qcompliance.rules.compiler import MISSING, Trace
from qcompliance.rules.conditions import All, AnyOf, Condition, Count, Cover, Leaf, Not, Param
from qcompliance.rules.operators import OPERATORS

__all__ = ["SIZE_TEST_FACTS", "condition_text", "describe_value", "explain_traces",
           "period_label", "size_test_reason"]

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
        # The reader sees the label in their language; the stored code stays in the details.
        return labels[value].get(lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _figure(value: object, lang: Lang, spec: FactSpec | None) -> str:
    """A value in a sentence: thousands grouped ("2,000") and the fact's unit kept with it
    ("2,000万元", "40 hours"); other values as :func:`describe_value` writes them."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return describe_value(value, lang, spec)
    number = int(value) if isinstance(value, float) and value.is_integer() else value
    text = f"{number:,}" if abs(number) >= 1000 else str(number)
    return text + _unit(spec, lang)


def _name(key: str, facts: Mapping[str, FactSpec], lang: Lang) -> str:
    """A fact by its label: the key is for the details column, not for the reader's text."""
    spec = facts.get(key)
    if spec is None:
        return key
    return spec.label.get(lang)


def _unit(spec: FactSpec | None, lang: Lang) -> str:
    if spec is None or spec.unit is None:
        return ""
    return spec.unit.get(lang) if lang == "zh" else " " + spec.unit.get(lang)


def _period(days: object, lang: Lang) -> str:
    """A look-back window in words: "近5年" / "last 5 years" for 1,826 days, else days."""
    if isinstance(days, int) and days >= 365 and days % 365 in (0, 1):
        years = days // 365
        if lang == "zh":
            return f"近{years}年内"
        return f" in the last {years} year" + ("s" if years > 1 else "")
    return f"近{days}天内" if lang == "zh" else f" in the last {days} days"


def _record_fields(spec: FactSpec | None) -> dict[str, FactSpec]:
    """A records fact's fields by key."""
    return {f.key: f for f in (spec.fields or ())} if spec is not None else {}


def _borrow_labels(spec: FactSpec, facts: Mapping[str, FactSpec]) -> FactSpec:
    """A record field with codes but no labels (an equipment kind) takes the labels of a fact
    that names the same codes (the equipment in use), so the reader sees words, not codes."""
    for other in facts.values():
        if other.value_labels and spec.values and set(spec.values) <= set(other.value_labels):
            return attrs.evolve(spec, value_labels=other.value_labels)
    return spec


def _where_words(cond: Condition, fields: Mapping[str, FactSpec], lang: Lang,
                 facts: Mapping[str, FactSpec]) -> str:
    """A record filter in words, with field labels and value labels."""
    match cond:
        case All(parts) | AnyOf(parts):
            sep = {"zh": ("且", "或"), "en": (" and ", " or ")}[lang][isinstance(cond, AnyOf)]
            inner = sep.join(_where_words(p, fields, lang, facts) for p in parts)
            return inner if len(parts) == 1 or isinstance(cond, All) else (
                f"（{inner}）" if lang == "zh" else f"({inner})")
        case Not(part):
            return ("并非" if lang == "zh" else "not ") + _where_words(part, fields, lang, facts)
        case Leaf(fact, op, value):
            spec = fields.get(fact)
            name = spec.label.get(lang) if spec is not None else fact
            if op == "exists":
                given = value is True
                if lang == "zh":
                    return f"{'已' if given else '未'}填写{name}"
                return f"{name} {'given' if given else 'not given'}"
            if spec is not None and spec.values and not spec.value_labels:
                spec = _borrow_labels(spec, facts)
            shown = "N" if isinstance(value, Param) else _figure(value, lang, spec)
            if op == "within_days":
                return (f"{name}在评估日前 {shown} 天内" if lang == "zh"
                        else f"{name} within {shown} days before the assessment day")
            if op == "valid_for_days":
                return (f"{name}在评估日后仍有效至少 {shown} 天" if lang == "zh"
                        else f"{name} valid at least {shown} days after the assessment day")
            if op == "eq":
                return f"{name}为{shown}" if lang == "zh" else f"{name} is {shown}"
            if op == "ne":
                return f"{name}不为{shown}" if lang == "zh" else f"{name} is not {shown}"
            word = getattr(OPERATORS[op], lang)
            return f"{name}{word}{shown}" if lang == "zh" else f"{name} {word} {shown}"
        case Count() | Cover():
            return condition_text(cond, lang)
    raise AssertionError(cond)  # pragma: no cover


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
        return (f"{name}已超过所填有效期，视为未提供" if lang == "zh"
                else f"{name} is out of date (past its valid-until date) and counts as not given")
    met = trace.outcome if trace.outcome is None or not trace.negated else not trace.outcome
    verdict = _OUTCOME[met][lang]
    if node.op == "exists":
        given = trace.actual is not MISSING
        if lang == "zh":
            return f"{name}{'已' if given else '未'}提供（{verdict}）"
        return f"{name} is {'given' if given else 'not given'} ({verdict})"
    actual = _figure(trace.actual, lang, spec)
    expected = (describe_value(trace.expected, lang, spec)
                if node.op in ("within_days", "valid_for_days")
                else _figure(trace.expected, lang, spec))
    rule = _rule(node.op, expected, trace.negated, lang)
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
        window = _period(node.since_days if isinstance(node.since_days, int) else "N", lang)
    fields = _record_fields(facts.get(node.records))
    where = "" if node.where is None else _where_words(node.where, fields, lang, facts)
    if isinstance(trace.actual, tuple):
        low, high = trace.actual
        counted = f"{low}–{high}"
    else:
        counted = str(trace.actual)
    met = trace.outcome if trace.outcome is None or not trace.negated else not trace.outcome
    verdict = _OUTCOME[met][lang]
    rule = _rule(node.op, str(trace.expected), trace.negated, lang)
    if lang == "zh":
        cond = f"{where}的" if where else ""
        return f"{name}{window}{cond}记录 {counted} 条，要求{rule} 条：{verdict}"
    cond = f" where {where}" if where else ""
    return f"{name}: {counted} records{cond}{window}; required: {rule}: {verdict}"




def period_label(start: dt.date, period: str) -> str:
    """A period as people write it: 2026-11-02, 2026-W45 (ISO week) or 2026-11."""
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    return start.isoformat()


def calendar_words(calendar: Calendar | None, lang: Lang) -> str:
    """How the operating days were decided, as a clause: the calendar stated, or the default."""
    if calendar is None:
        return ""
    if not calendar.stated:
        return ("；未说明经营日历，按每天经营计" if lang == "zh"
                else "; no operating calendar is given, so every day counts")
    if calendar.listed is not None:
        return ("；经营日按档案列出的经营日记录" if lang == "zh"
                else "; operating days as the profile lists them")
    parts = []
    if calendar.weekdays is not None:
        days = [_WEEKDAY_NAMES[lang][d] for d in sorted(calendar.weekdays)]
        parts.append(("每周" + "、".join(days) + "经营") if lang == "zh"
                     else "open " + ", ".join(days))
    if calendar.closed:
        n = len(calendar.closed)
        parts.append(f"不含 {n} 段停产停业期间" if lang == "zh"
                     else f"less {n} closed period{'s' if n > 1 else ''}")
    if lang == "zh":
        return "；经营日历：" + "，".join(parts)
    return "; calendar: " + ", ".join(parts)


_WEEKDAY_NAMES = {"zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
                  "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def _cover_sentence(trace: Trace, facts: Mapping[str, FactSpec], lang: Lang) -> str:
    node = trace.node
    assert isinstance(node, Cover)
    name = _name(node.records, facts, lang)
    if trace.status in ("missing", "stale"):
        return f"{name}未提供" if lang == "zh" else f"{name} is not given"
    every, unit = _EVERY[node.period][lang], _UNIT[node.period][lang]
    fields = _record_fields(facts.get(node.records))
    where = "" if node.where is None else _where_words(node.where, fields, lang, facts)
    met = trace.outcome if trace.outcome is None or not trace.negated else not trace.outcome
    verdict = _OUTCOME[met][lang]
    gaps = trace.actual if isinstance(trace.actual, tuple) else ()
    labels = [period_label(p, node.period) for p in gaps[:_SHOWN_PERIODS]]
    more = len(gaps) - len(labels)
    calendar = trace.calendar
    if calendar is not None:  # a daily test: only operating days are due
        every = "每个经营日" if lang == "zh" else "every operating day"
        unit = "个经营日" if lang == "zh" else "operating days"
    if lang == "zh":
        cond = f"（{where}的记录）" if where else ""
        required = (f"要求近{trace.expected}天内{every}至少有一条记录"
                    f"（{_CURRENT[node.period]}尚未结束的除外）{calendar_words(calendar, lang)}")
        if not gaps:
            return f"{name}{cond}：{required}，均有记录：{verdict}"
        listed = "、".join(labels) + (f" 等，另有 {more} 个" if more else "")
        state = "缺少记录" if trace.outcome is False else "无法确定是否有记录"
        return f"{name}{cond}：{required}；其中 {len(gaps)} {unit}{state}：{listed}：{verdict}"
    cond = f" (records where {where})" if where else ""
    required = (f"required: at least one record {every} of the last {trace.expected} days "
                f"(the current, unfinished one excepted){calendar_words(calendar, lang)}")
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
        # A fact missing from two branches is named once.
        out[lang] = ("；" if lang == "zh" else "; ").join(dict.fromkeys(sentences))
    return Text(zh=out["zh"], en=out["en"])


SIZE_TEST_FACTS = frozenset({"company.employees", "company.revenue_10k_yuan",
                             "company.total_assets_10k_yuan"})
"""Facts a rule reads when it applies its own size test (e.g. Order 75 art. 18: staff OR
revenue) instead of the statistical size class."""


def size_test_reason(traces: Sequence[Trace], facts: Mapping[str, FactSpec]) -> Text | None:
    """Why a duty applies when a rule's own size test decided it, e.g. ``营业收入为 3,800万元，
    要求不小于 2,000万元`` met; None when no size figure decided the item's applicability.

    A reader who knows the company is "small" by the statistical rules needs this to see why
    a duty for medium units still applies."""
    met = [t for t in traces if isinstance(t.node, Leaf) and t.node.fact in SIZE_TEST_FACTS
           and t.status == "given" and (t.outcome is True) != t.negated]
    if not met:
        return None
    body = explain_traces(met, facts)
    return Text("适用原因（本项按其依据的规模标准判断，不同于统计上的企业规模）：" + body.zh,
                "Why this applies (the rule's own size test, not the statistical size class): "
                + body.en)
