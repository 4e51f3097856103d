"""Write a profile by asking a person questions, and check a profile a person wrote.

:class:`Interview` asks the company questions of the facts dictionary first, then only what the
selected checklists still need. After every answer it runs the compiled ``applies`` and
``check`` conditions on the answers so far: a checklist or item whose applicability is already
false asks nothing, and a condition that is already decided asks nothing more (a company that
sells no consumer products is never asked about consumer product recalls). Answers are parsed
and checked on the spot by :func:`parse_answer`; "unknown" (``?``, ``不知道``) leaves a fact out.

I/O is injected: the interview calls ``ask(prompt)`` for every answer and ``tell(text)`` for
everything else, so tests drive it with plain functions and the CLI with the terminal.
:func:`render_profile` writes the commented TOML profile; :func:`validate_profile` reports
every problem of a profile at once, including dates in the future that cannot be.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Literal

import attrs

from qcompliance.china.sizeclass import KEYS as SIZE_KEYS
from qcompliance.china.sizeclass import THRESHOLDS, derive_size, size_sector
from qcompliance.china.uscc import USCC_CHARSET, uscc_check_character, uscc_problem
from qcompliance.errors import InputError, Problem, QComplianceError
from qcompliance.loading.catalog import ChecklistSet, CompiledItem
from qcompliance.loading.converter import KeyPath, parse_date
from qcompliance.loading.load import PROFILE_SCHEMA, Document, Input, load_profile, read_document
from qcompliance.model import FactSpec, FactType, FactValue, Lang, Profile, Text
from qcompliance.rules.compiler import Context, Trace
from qcompliance.rules.conditions import Leaf, fact_keys
from qcompliance.suggest import did_you_mean

__all__ = [
    "PROFILE_SCHEMA_COMMENT",
    "UNKNOWN",
    "UNKNOWN_WORDS",
    "AnswerError",
    "Answers",
    "Ask",
    "Interview",
    "Prompt",
    "Tell",
    "Validation",
    "interview_from_answers",
    "parse_answer",
    "read_answers",
    "render_profile",
    "say",
    "toml_value",
    "validate_profile",
]

PROFILE_SCHEMA_COMMENT = "#:schema ./schemas/profile.schema.json"
"""The first line of a written profile: Taplo (Even Better TOML) reads the schema from it."""

MAX_RECORDS = 50
"""The most records one answer may announce; longer lists are easier to type into the file."""


class _Unknown:
    """The answer "I do not know": the fact is left out of the profile."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
"""What :func:`parse_answer` returns for an answer of "unknown"."""

UNKNOWN_WORDS = frozenset({"?", "？", "unknown", "不知道", "不清楚"})
"""Answers meaning "I do not know" (compared after stripping and lower-casing)."""

_TRUE = frozenset({"y", "yes", "true", "t", "1", "是", "是的", "有", "对"})
_FALSE = frozenset({"n", "no", "false", "f", "0", "否", "不是", "没有", "无", "不", "不对"})
_EMPTY_LIST = frozenset({"无", "没有", "none", "[]", "-", "空"})

# Every text the interview shows, in Chinese and English (GLOSSARY.md renderings).
_T: dict[str, Text] = {
    "empty": Text("请输入答案；不知道请输入 ?", "Please answer; type ? if you do not know"),
    "bool": Text("请回答 是/否（y/n）", "Please answer yes or no (y/n)"),
    "int": Text("请输入整数，例如 12", "Please enter a whole number, for example 12"),
    "number": Text("请输入数字，例如 2.5", "Please enter a number, for example 2.5"),
    "date": Text("请输入日期，格式 YYYY-MM-DD，例如 2024-03-01",
                 "Please enter a date as YYYY-MM-DD, for example 2024-03-01"),
    "future": Text("该日期不能晚于评估日 {as_of}",
                   "This date cannot be after the assessment day {as_of}"),
    "choice": Text("“{got}”不是可选项{hint}；请输入编号或取值",
                   "'{got}' is not one of the choices{hint}; enter a number or a value"),
    "number_range": Text("编号 {got} 超出范围 1–{n}", "Number {got} is outside 1–{n}"),
    "uscc": Text("统一社会信用代码无效：{why}", "Not a valid unified social credit code: {why}"),
    "count": Text("请输入记录条数：0 到 {max} 的整数（0 表示没有）",
                  "Please enter the number of records: a whole number from 0 to {max} "
                  "(0 means none)"),
    "too_many": Text("一次最多录入 {max} 条；更多记录请直接写入档案文件"
                     "（见 qcheck profile template）",
                     "At most {max} records can be entered here; write longer lists into the "
                     "profile file (see qcheck profile template)"),
    "wrong_value": Text("不是有效的答案：{got!r}", "Not a valid answer: {got!r}"),
    "records_value": Text("记录应为表的列表", "Records must be a list of tables"),
    "unknown_field": Text("未知字段“{key}”{hint}", "Unknown field '{key}'{hint}"),
    "hint.bool": Text("是/否 (y/n)", "yes/no (y/n)"),
    "hint.int": Text("整数", "whole number"),
    "hint.number": Text("数字", "number"),
    "hint.date": Text("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "hint.enum": Text("编号或取值", "number or value"),
    "hint.list": Text("编号或取值，用逗号分隔；没有请输入 无",
                      "numbers or values, comma-separated; none: type none"),
    "hint.string": Text("文字", "text"),
    "hint.count": Text("记录条数（0 表示没有）", "number of records (0 for none)"),
    "hint.unknown": Text("不知道请输入 ?", "? if unknown"),
    "unit": Text("单位：{unit}", "unit: {unit}"),
    "choices": Text("可选：", "Choices:"),
    "records": Text("这是一组记录：先回答条数，再逐条回答各字段；不知道某个字段可输入 ?",
                    "This is a list of records: give their number, then each field of each "
                    "record; type ? for a field you do not know"),
    "record": Text("第 {i}/{n} 条", "Record {i} of {n}"),
    "section.company": Text("企业基本情况", "About the company"),
    "section": Text("{title}（{id}）", "{title} ({id})"),
    "size_derived": Text("企业规模按《统计上大中小微型企业划分办法》推算为：{size}，无需回答。",
                         "The size class follows from the NBS size rules: {size}; no need to "
                         "ask."),
    "header": Text("企业质量合规自查档案（qcheck profile init 生成）。",
                   "Quality compliance self-check profile (written by qcheck profile init)."),
    "header.unknown": Text("以“# … = ?”注释的事实尚未回答（不知道）；补充后删去行首的 # 并填写。",
                           "Facts commented as '# … = ?' are not answered yet (unknown); fill "
                           "them in and remove the leading #."),
    "header.next": Text("检查：qcheck profile validate <本文件>；自查：qcheck run <本文件>",
                        "Check it: qcheck profile validate <this file>; self-check: "
                        "qcheck run <this file>"),
    "unknown_note": Text("不知道，待补充", "unknown, to fill in"),
    "answers.unknown_key": Text("未知事实“{key}”{hint}", "unknown fact '{key}'{hint}"),
    "answers.kept": Text("{key} 已在档案中，保留原值", "{key} is already in the profile; kept"),
    "cli.start": Text("开始填写 {path}。每题都可回答 ? 表示不知道；按 Ctrl-C 可随时中断，"
                      "已答内容会保存，再次运行同一命令即可继续。",
                      "Writing {path}. Answer ? to any question you cannot answer; press "
                      "Ctrl-C at any time to stop: what you answered is saved, and the same "
                      "command picks up where you left off."),
    "cli.resume": Text("继续填写 {path}：已有 {n} 项事实，只询问尚缺的问题。",
                       "Resuming {path}: {n} facts already given; asking only what is missing."),
    "cli.written": Text("已写入 {path}：共 {n} 项事实，本次回答 {asked} 题，"
                        "其中 {unknown} 题不知道。",
                        "Wrote {path}: {n} facts; {asked} questions answered this time, "
                        "{unknown} of them unknown."),
    "cli.backup": Text("原文件已备份为 {path}", "The previous file is kept as {path}"),
    "cli.next": Text("下一步：qcheck profile validate {path}，然后 qcheck run {path}",
                     "Next: qcheck profile validate {path}, then qcheck run {path}"),
    "cli.interrupted": Text("已中断。", "Interrupted."),
    "cli.eof": Text("输入已结束，访谈未完成。", "The input ended before the interview did."),
    "cli.not_toml": Text("profile init 只写 TOML 档案：请使用 .toml 文件名",
                         "profile init writes TOML profiles: give a .toml file name"),
    "cli.bad_profile": Text("无法继续填写 {path}：请先修正以下问题"
                            "（qcheck profile validate {path}）",
                            "Cannot resume {path}: fix these problems first "
                            "(qcheck profile validate {path})"),
    "cli.no_folder": Text("所在文件夹不存在", "its folder does not exist"),
    "cli.problems": Text("共 {n} 个问题。", "{n} problem(s)."),
    "cli.valid": Text("{path}：没有发现问题（{n} 项事实，评估日 {as_of}）。",
                      "{path}: no problems found ({n} facts, as of {as_of})."),
    "past": Text("日期 {date} 晚于评估日 {as_of}，而该事实只能是过去的日期",
                 "the date {date} is after the assessment day {as_of}, and this fact can only "
                 "be a past date"),
}


def say(name: str, lang: Lang, **fields: object) -> str:
    """The message ``name`` (a key of the interview's texts) in ``lang``, filled in."""
    return _T[name].get(lang).format(**fields)


_t = say


class AnswerError(Exception):
    """An answer that does not fit its question; ``text`` says why in both languages."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def _error(name: str, **fields: object) -> AnswerError:
    return AnswerError(Text(_T[name].zh.format(**fields), _T[name].en.format(**fields)))


def _choice(spec: FactSpec, token: str) -> str:
    """An allowed value of ``spec`` named by ``token``: its number, the value or its label."""
    values = spec.values or ()
    if token in values:
        return token
    if token.isdecimal() and values:
        index = int(token)
        if not 1 <= index <= len(values):
            raise _error("number_range", got=index, n=len(values))
        return values[index - 1]
    folded = token.casefold()
    for value in values:
        if value.casefold() == folded:
            return value
    for value, label in (spec.value_labels or {}).items():
        if folded in (label.zh.casefold(), label.en.casefold()) and value in values:
            return value
    if not values:  # a list fact without declared values takes any text
        return token
    raise _error("choice", got=token, hint=did_you_mean(token, values))


def _as_text(raw: object) -> str:
    """A plain value from an answers file as the text a person would type."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw.isoformat()
    if isinstance(raw, (int, float, str)):
        return str(raw)
    raise _error("wrong_value", got=raw)


def _parse_records(spec: FactSpec, raw: object, as_of: dt.date) -> tuple[dict[str, object], ...]:
    if not isinstance(raw, (list, tuple)):
        raise _error("records_value")
    fields = {f.key: f for f in spec.fields or ()}
    out = []
    for record in raw:
        if not isinstance(record, Mapping):
            raise _error("records_value")
        typed: dict[str, object] = {}
        for key, value in record.items():
            field = fields.get(key)
            if field is None:
                raise _error("unknown_field", key=key, hint=did_you_mean(str(key), fields))
            parsed = parse_answer(field, value, as_of=as_of)
            if parsed is not UNKNOWN:
                typed[key] = parsed
        out.append(typed)
    return tuple(out)


def _uscc_text(code: str) -> Text | None:
    """Why ``code`` is not a unified social credit code, in both languages; None if it is."""
    why = uscc_problem(code)
    if why is None:
        return None
    bad = sorted({ch for ch in code if ch not in USCC_CHARSET})
    if len(code) != 18:
        zh = f"应为18位，“{code}”为{len(code)}位"
    elif bad:
        zh = f"“{code}”含 GB 32100 不允许的字符：{' '.join(bad)}"
    elif not code[2:8].isdigit():
        zh = f"“{code}”的第3–8位应为6位行政区划代码"
    else:
        zh = f"“{code}”未通过 GB 32100 校验：末位应为“{uscc_check_character(code[:17])}”"
    return Text(_T["uscc"].zh.format(why=zh), _T["uscc"].en.format(why=why))


def parse_answer(spec: FactSpec, raw: object, *, as_of: dt.date | None = None) -> object:
    """The value of ``spec`` that the answer ``raw`` gives, or :data:`UNKNOWN`.

    ``raw`` is what a person typed, or a plain value from an answers file (a list for a list
    or records fact). Booleans take y/n, yes/no, true/false, 是/否; enums and lists take the
    value, its number in the shown list or its label; lists are comma-separated. A date of a
    ``past_only`` fact may not lie after ``as_of`` (default: today). Raises
    :class:`AnswerError` saying what is expected.
    """
    day = as_of or dt.date.today()
    if spec.type is FactType.RECORDS:
        return _parse_records(spec, raw, day)
    if spec.type is FactType.LIST and isinstance(raw, (list, tuple)):
        return tuple(dict.fromkeys(_choice(spec, _as_text(member).strip()) for member in raw))
    text = (raw if isinstance(raw, str) else _as_text(raw)).strip()
    if text.casefold() in UNKNOWN_WORDS:
        return UNKNOWN
    if not text:
        raise _error("empty")
    match spec.type:
        case FactType.BOOL:
            word = text.casefold()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
            raise _error("bool")
        case FactType.INT:
            try:
                return int(text.replace(",", "").replace("_", ""))
            except ValueError:
                raise _error("int") from None
        case FactType.NUMBER:
            cleaned = text.replace(",", "").replace("_", "")
            try:
                number = float(cleaned)
            except ValueError:
                raise _error("number") from None
            if not math.isfinite(number):
                raise _error("number")
            return int(cleaned) if re.fullmatch(r"[+-]?\d+", cleaned) else number
        case FactType.DATE:
            try:
                date = parse_date(text)
            except ValueError:
                raise _error("date") from None
            if spec.past_only and date > day:
                raise _error("future", as_of=day.isoformat())
            return date
        case FactType.ENUM:
            return _choice(spec, text)
        case FactType.LIST:
            if text.casefold() in _EMPTY_LIST:
                return ()
            separators = r"[,，、;；\s]+" if spec.values else r"[,，、;；]+"
            tokens = [t.strip() for t in re.split(separators, text) if t.strip()]
            return tuple(dict.fromkeys(_choice(spec, token) for token in tokens))
        case FactType.STRING:
            if spec.key.endswith("credit_code"):
                code = text.upper()
                why = _uscc_text(code)
                if why is not None:
                    raise AnswerError(why)
                return code
            return text
    raise AssertionError(spec.type)  # pragma: no cover


def _parse_count(raw: str) -> int | _Unknown:
    text = raw.strip()
    if text.casefold() in UNKNOWN_WORDS:
        return UNKNOWN
    if text.casefold() in _EMPTY_LIST:
        return 0
    try:
        count = int(text)
    except ValueError:
        raise _error("count", max=MAX_RECORDS) from None
    if count < 0:
        raise _error("count", max=MAX_RECORDS)
    if count > MAX_RECORDS:
        raise _error("too_many", max=MAX_RECORDS)
    return count


@attrs.frozen
class Prompt:
    """One question put to the person: what to show, and how the answer will be read."""

    key: str
    """The fact key; ``key[i].field`` for a field of a record."""
    spec: FactSpec
    """The declaration of the fact (or of the record field) asked about."""
    kind: Literal["fact", "count", "field"]
    """``count`` asks how many records a records fact has; ``field`` asks one record field."""
    text: str
    """The question with its help, unit and numbered choices, ready to print."""
    hint: str
    """A short input prompt saying what form the answer takes, ending in ``> ``."""
    attempt: int = 0
    """0 the first time; 1, 2 … after answers that were rejected."""
    error: str | None = None
    """Why the previous answer was rejected."""


Ask = Callable[[Prompt], object]
"""Gets the answer to one prompt: usually the text typed; a plain value is also accepted."""
Tell = Callable[[str], None]
"""Shows a line that needs no answer (section headings, notes)."""


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _choice_lines(spec: FactSpec, lang: Lang) -> list[str]:
    values = spec.values or ()
    labels = spec.value_labels or {}
    entries = []
    for i, value in enumerate(values, 1):
        label = labels.get(value)
        shown = value if label is None or label.get(lang) == value else f"{value} {label.get(lang)}"
        entries.append(f"{i}) {shown}")
    if any(value in labels for value in values):
        return [f"    {entry}" for entry in entries]
    lines, line = [], "   "
    for entry in entries:
        if _width(line) + _width(entry) + 2 > 78 and line.strip():
            lines.append(line)
            line = "   "
        line += "  " + entry
    if line.strip():
        lines.append(line)
    return lines


def _question_text(spec: FactSpec, lang: Lang, label: str, kind: str) -> str:
    lines = [f"{label} {spec.question.get(lang)}"]
    if spec.help is not None:
        lines.append(f"    {spec.help.get(lang)}")
    if spec.unit is not None:
        lines.append("    " + _t("unit", lang, unit=spec.unit.get(lang)))
    if kind == "count":
        lines.append("    " + _t("records", lang))
    elif spec.values and spec.type in (FactType.ENUM, FactType.LIST):
        lines.append("    " + _t("choices", lang))
        lines += _choice_lines(spec, lang)
    return "\n".join(lines)


def _hint(spec: FactSpec, lang: Lang, kind: str) -> str:
    name = "hint.count" if kind == "count" else f"hint.{spec.type.value}"
    sep = "，" if lang == "zh" else ", "
    return f"{_t(name, lang)}{sep}{_t('hint.unknown', lang)} > "


def _missing_keys(traces: Iterable[Trace]) -> Iterator[str]:
    """The facts that the leaves of a condition found missing, in order."""
    for trace in traces:
        if trace.status == "missing":
            node = trace.node
            yield node.fact if isinstance(node, Leaf) else node.records


def _in_force(item: CompiledItem, as_of: dt.date) -> bool:
    effective, until = item.item.effective, item.item.effective_until
    return not (effective is not None and as_of < effective) and not (
        until is not None and as_of >= until
    )


def _derived_size(values: Mapping[str, object]) -> str | None:
    """The NBS size class that the answers so far settle, if they do."""
    section, detail = values.get("company.industry"), values.get("company.industry_detail")
    sector = size_sector(section if isinstance(section, str) else None,
                         detail if isinstance(detail, str) else None)
    if sector is None:
        return None
    indicators: dict[str, float | None] = {}
    for name, key in SIZE_KEYS.items():
        value = values.get(key)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        indicators[name] = float(value) if number else None  # type: ignore[arg-type]
    return derive_size(sector, indicators)


@attrs.define
class Interview:
    """A profile being written by asking questions; resumable from the facts already known.

    Mutable on purpose: it accumulates answers as they come, so that whatever was answered
    before an interruption (Ctrl-C, end of input) can still be written out.
    """

    checklists: ChecklistSet
    lang: Lang = "zh"
    as_of: dt.date = attrs.field(factory=dt.date.today)
    facts: dict[str, FactValue] = attrs.field(factory=dict)
    """The answers so far, with the facts of a resumed profile (derived facts excluded)."""
    unknown: list[str] = attrs.field(factory=list)
    """Facts asked and answered "unknown", in the order asked."""
    asked: int = 0
    """How many questions have been answered in this session."""
    _done: set[str] = attrs.field(factory=set, init=False)
    _section: str | None = attrs.field(default=None, init=False)
    _size_told: bool = attrs.field(default=False, init=False)

    @classmethod
    def resume(cls, checklists: ChecklistSet, profile: Profile, *, lang: Lang = "zh",
               as_of: dt.date | None = None) -> Interview:
        """An interview that asks only what ``profile`` does not give yet."""
        given = {k: v for k, v in profile.facts.items() if not v.derived_from}
        return cls(checklists, lang, as_of or dt.date.today(), given)

    def values(self) -> dict[str, object]:
        """Fact values as conditions read them, with the size class derived when settled."""
        values = {key: fact.value for key, fact in self.facts.items()}
        if "company.size" not in values and (size := _derived_size(values)) is not None:
            values["company.size"] = size
        return values

    def _live(self, values: Mapping[str, object]) -> tuple[set[str], set[str]]:
        """Facts read by conditions not yet known to be inapplicable, and by any condition."""
        live: set[str] = set()
        read: set[str] = set()
        ctx = Context(values, self.as_of)
        for compiled in self.checklists.compiled:
            checklist = compiled.checklist
            keys = fact_keys(checklist.applies) if checklist.applies is not None else []
            read.update(keys)
            out = compiled.applies is not None and compiled.applies(ctx)[0] is False
            if not out:
                live.update(keys)
            for item in compiled.items:
                conds = [c for c in (item.item.applies, item.item.check) if c is not None]
                item_keys = [k for c in conds for k in fact_keys(c)]
                read.update(item_keys)
                if out or not _in_force(item, self.as_of):
                    continue
                if item.applies is None or item.applies(ctx)[0] is not False:
                    live.update(item_keys)
        return live, read

    def _company_keys(self) -> list[str]:
        keys = [k for k in self.checklists.facts if k.startswith("company.")]
        if "company.size" in keys:
            keys.remove("company.size")
            after = [keys.index(k) for k in SIZE_KEYS.values() if k in keys]
            keys.insert(max(after) + 1 if after else len(keys), "company.size")
        return keys

    def _company_wanted(self, key: str, values: Mapping[str, object], live: set[str],
                        read: set[str], tell: Tell | None) -> bool:
        """Whether to ask company fact ``key`` now.

        A company fact is asked when a condition that may still apply reads it, or when no
        condition reads it (the company's name and code). The inputs of the size class are
        asked only as far as the class needs them, and the class only when they do not settle
        it (then it is told, not asked).
        """
        if key == "company.size":
            derived = _derived_size(values)
            if derived is None:
                return key in live or key not in read
            if tell is not None and not self._size_told:
                label = (self.checklists.facts[key].value_labels or {}).get(derived)
                shown = f"{label.zh}（{derived}）" if label and self.lang == "zh" else derived
                tell(_t("size_derived", self.lang, size=shown))
            self._size_told = True
            return False
        section = values.get("company.industry")
        detail = values.get("company.industry_detail")
        sector = size_sector(section if isinstance(section, str) else None,
                             detail if isinstance(detail, str) else None)
        size_open = "company.size" not in self.facts
        if key == "company.industry_detail":
            by_section = size_sector(section if isinstance(section, str) else None, None)
            return key in live or (size_open and by_section is None)
        if key in SIZE_KEYS.values():
            letter = next(n for n, k in SIZE_KEYS.items() if k == key)
            needed = sector is None or letter in THRESHOLDS[sector]
            return key in live or (size_open and needed)
        return key in live or key not in read

    def next_question(self, tell: Tell | None = None) -> tuple[str, Text] | None:
        """The next fact to ask and the heading of its section, or None when all is asked."""
        values = self.values()
        live, read = self._live(values)
        for key in self._company_keys():
            if key in self.facts or key in self._done:
                continue
            if self._company_wanted(key, values, live, read, tell):
                return key, _T["section.company"]
        ctx = Context(values, self.as_of)
        for compiled in self.checklists.compiled:
            checklist = compiled.checklist
            section = Text(_T["section"].zh.format(title=checklist.title.zh, id=checklist.id),
                           _T["section"].en.format(title=checklist.title.en, id=checklist.id))
            conditions = []
            if compiled.applies is not None:
                outcome, traces = compiled.applies(ctx)
                if outcome is False:
                    continue
                conditions.append(traces)
            for item in compiled.items:
                if not _in_force(item, self.as_of):
                    continue
                if item.applies is not None:
                    outcome, traces = item.applies(ctx)
                    if outcome is False:
                        continue
                    conditions.append(traces)
                conditions.append(item.check(ctx)[1])
            for traces in conditions:
                for key in _missing_keys(traces):
                    if key not in self.facts and key not in self._done:
                        return key, section
        return None

    def _ask(self, ask: Ask, key: str, spec: FactSpec, kind: Literal["fact", "count", "field"],
             label: str, parse: Callable[[object], object]) -> object:
        """Ask until the answer parses; return the parsed value (or UNKNOWN)."""
        prompt = Prompt(key, spec, kind, _question_text(spec, self.lang, label, kind),
                        _hint(spec, self.lang, kind))
        while True:
            raw = ask(prompt)
            try:
                return parse(raw)
            except AnswerError as exc:
                prompt = attrs.evolve(prompt, attempt=prompt.attempt + 1,
                                      error=exc.text.get(self.lang))

    def ask_fact(self, key: str, ask: Ask, tell: Tell | None = None) -> None:
        """Ask for fact ``key`` (for a records fact: their number, then each field)."""
        spec = self.checklists.facts[key]
        self._done.add(key)
        label = f"[{self.asked + 1}] ({key})"
        if spec.type is FactType.RECORDS:
            def parse_count(raw: object) -> object:
                if isinstance(raw, str):
                    return _parse_count(raw)
                if isinstance(raw, int) and not isinstance(raw, bool):
                    return _parse_count(str(raw))
                return parse_answer(spec, raw, as_of=self.as_of)

            answer = self._ask(ask, key, spec, "count", label, parse_count)
            if isinstance(answer, int):
                records = []
                for i in range(answer):
                    if tell is not None:
                        tell(_t("record", self.lang, i=i + 1, n=answer))
                    record: dict[str, object] = {}
                    for field in spec.fields or ():
                        def parse_field(raw: object, field: FactSpec = field) -> object:
                            return parse_answer(field, raw, as_of=self.as_of)

                        value = self._ask(ask, f"{key}[{i}].{field.key}", field, "field",
                                          f"  ({field.key})", parse_field)
                        if value is not UNKNOWN:
                            record[field.key] = value
                    records.append(record)
                answer = tuple(records)
        else:
            answer = self._ask(ask, key, spec, "fact", label,
                               lambda raw: parse_answer(spec, raw, as_of=self.as_of))
        self.asked += 1
        if answer is UNKNOWN:
            self.unknown.append(key)
        else:
            self.facts[key] = FactValue(answer)

    def run(self, ask: Ask, tell: Tell | None = None) -> None:
        """Ask every question still needed, in order, until none is left."""
        while (found := self.next_question(tell)) is not None:
            key, section = found
            heading = section.get(self.lang)
            if heading != self._section and tell is not None:
                tell(f"\n── {heading} ──")
            self._section = heading
            self.ask_fact(key, ask, tell)

    def profile_text(self) -> str:
        """The profile as commented TOML (see :func:`render_profile`)."""
        return render_profile(self.facts, self.checklists.facts, lang=self.lang,
                              unknown=[k for k in self.unknown if k not in self.facts])


# ---------------------------------------------------------------- writing TOML

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    # JSON's escapes are all valid TOML escapes; TOML also forbids a raw DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: object) -> str:
    """``value`` (a fact value, record or provenance) as a TOML value on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written to a profile")
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dt.datetime):
        raise ValueError("a date-time cannot be written to a profile")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_toml_key(str(k))} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    raise ValueError(f"{value!r} cannot be written to a profile")


def _wrapped(fact: FactValue) -> bool:
    return bool(fact.evidence or fact.source or fact.as_of or fact.attested_by
                or fact.valid_until)


def _fact_table(fact: FactValue) -> dict[str, object]:
    out: dict[str, object] = {"value": fact.value}
    if fact.evidence:
        out["evidence"] = list(fact.evidence)
    for name in ("source", "as_of", "attested_by", "valid_until"):
        given = getattr(fact, name)
        if given is not None:
            out[name] = given
    return out


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def render_profile(facts: Mapping[str, FactValue], specs: Mapping[str, FactSpec], *,
                   lang: Lang = "zh", unknown: Iterable[str] = ()) -> str:
    """A profile as TOML: grouped by table, each fact under a ``# question`` comment.

    The first line is ``#:schema ./schemas/profile.schema.json`` for editors. Facts in
    ``unknown`` are listed as commented-out ``# key = ?`` lines to fill in later. Derived facts
    (such as a size class computed from staff and revenue) are left out: loading derives them.
    """
    unknown_keys = [k for k in unknown if k not in facts]
    written = [k for k, f in facts.items() if not f.derived_from]
    ordered = [k for k in specs if k in written or k in unknown_keys]
    ordered += [k for k in [*written, *unknown_keys] if k not in specs]
    tables: dict[str, list[str]] = {}
    for key in dict.fromkeys(ordered):
        table = key.rpartition(".")[0]
        tables.setdefault(table, []).append(key)
    lines = [PROFILE_SCHEMA_COMMENT, _comment(_t("header", lang))]
    if unknown_keys:
        lines.append(_comment(_t("header.unknown", lang)))
    lines += [_comment(_t("header.next", lang)), f"schema = {_toml_string(PROFILE_SCHEMA)}"]
    # Root-level facts must come before any table header.
    for table in sorted(tables, key=lambda t: t != ""):
        keys = tables[table]
        lines.append("")
        if table:
            lines.append(f"[{'.'.join(_toml_key(s) for s in table.split('.'))}]")
        blocks: list[str] = []
        for key in keys:
            leaf = _toml_key(key.rpartition(".")[2])
            spec = specs.get(key)
            question = [_comment(spec.question.get(lang))] if spec is not None else []
            if key not in facts:
                lines += [*question, f"# {leaf} = ?  # {_t('unknown_note', lang)}"]
                continue
            fact = facts[key]
            is_records = spec is not None and spec.type is FactType.RECORDS
            if is_records and not _wrapped(fact) and fact.value:
                blocks += ["", *question]
                header = ".".join(_toml_key(s) for s in key.split("."))
                records: Iterable[Mapping[str, object]] = fact.value  # type: ignore[assignment]
                for i, record in enumerate(records):
                    blocks += ([""] if i else []) + [f"[[{header}]]"]
                    blocks += [f"{_toml_key(str(k))} = {toml_value(v)}"
                               for k, v in record.items()]
                continue
            shown = _fact_table(fact) if _wrapped(fact) else fact.value
            lines += [*question, f"{leaf} = {toml_value(shown)}"]
        lines += blocks
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- answers files


@attrs.frozen
class Answers:
    """Answers read from a file: fact key to answer, and where each stands in the file."""

    values: Mapping[str, object]
    paths: Mapping[str, KeyPath]
    doc: Document


def read_answers(source: Input, facts: Mapping[str, FactSpec], *, lang: Lang = "zh"
                 ) -> Answers:
    """Read a TOML or JSON answers file: a table of fact key (dotted or nested) to answer.

    Raises :class:`InputError` listing every key that is not a declared fact.
    """
    doc = read_document(source)
    namespaces = {".".join(k.split(".")[:n]) for k in facts for n in range(1, k.count(".") + 1)}
    values: dict[str, object] = {}
    paths: dict[str, KeyPath] = {}
    problems: list[Problem] = []

    def walk(node: Mapping[str, object], prefix: tuple[str, ...]) -> None:
        for key, raw in node.items():
            at = (*prefix, key)
            dotted = ".".join(at)
            if not prefix and key == "schema":
                continue
            if dotted in facts:
                values[dotted], paths[dotted] = raw, at
            elif dotted in namespaces and isinstance(raw, Mapping):
                walk(raw, at)
            else:
                hint = did_you_mean(dotted, [*facts, *namespaces])
                problems.append(doc.problem(at, _t("answers.unknown_key", lang, key=dotted,
                                                   hint=hint)))

    walk(doc.data, ())
    if problems:
        raise InputError(problems)
    return Answers(values, paths, doc)


def interview_from_answers(checklists: ChecklistSet, answers: Answers, *,
                           profile: Profile | None = None, lang: Lang = "zh",
                           as_of: dt.date | None = None, tell: Tell | None = None
                           ) -> Interview:
    """Run the interview with every answer taken from ``answers``; no terminal needed.

    Questions without an answer are left unknown. Answers to questions the interview did not
    ask (because the other answers made them not applicable) are kept too. Raises
    :class:`InputError` listing every answer that does not fit its fact.
    """
    day = as_of or dt.date.today()
    interview = (Interview.resume(checklists, profile, lang=lang, as_of=day) if profile
                 else Interview(checklists, lang, day))
    problems: list[Problem] = []
    used: set[str] = set()

    def problem(key: str, message: str) -> None:
        problems.append(answers.doc.problem(answers.paths.get(key, ()), message))

    def ask(prompt: Prompt) -> object:
        fact_key = prompt.key.split("[", 1)[0]
        if prompt.attempt > 0:
            problem(fact_key, prompt.error or "")
            return "?"
        if prompt.kind == "field" or prompt.key not in answers.values:
            return "?"
        used.add(prompt.key)
        return answers.values[prompt.key]

    interview.run(ask)
    for key, raw in answers.values.items():
        if key in used:
            continue
        if key in interview.facts:
            if tell is not None:
                tell(_t("answers.kept", lang, key=key))
            continue
        try:
            value = parse_answer(checklists.facts[key], raw, as_of=day)
        except AnswerError as exc:
            problem(key, exc.text.get(lang))
            continue
        if value is not UNKNOWN:
            interview.facts[key] = FactValue(value)
    if problems:
        raise InputError(problems)
    return interview


# ---------------------------------------------------------------- validation


@attrs.frozen
class Validation:
    """The outcome of :func:`validate_profile`: the profile when it loads, and every problem."""

    profile: Profile | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when there is no problem."""
        return not self.problems


def _past_only_problems(doc: Document, facts: Mapping[str, FactSpec], as_of: dt.date,
                        lang: Lang) -> list[Problem]:
    """Dates after ``as_of`` in facts (or record fields) declared ``past_only``."""
    problems = []

    def check(raw: object, at: KeyPath) -> None:
        try:
            date = parse_date(raw)
        except ValueError:
            return  # a wrong type is reported by load_profile
        if date > as_of:
            problems.append(doc.problem(at, _t("past", lang, date=date.isoformat(),
                                                as_of=as_of.isoformat())))

    for key, spec in facts.items():
        dated = spec.type is FactType.DATE and spec.past_only
        dated_fields = [f for f in spec.fields or () if f.type is FactType.DATE and f.past_only]
        if not dated and not dated_fields:
            continue
        node: object = doc.data
        path: KeyPath = ()
        for segment in key.split("."):
            node = node.get(segment) if isinstance(node, Mapping) else None
            path = (*path, segment)
        if isinstance(node, Mapping) and "value" in node:
            node, path = node["value"], (*path, "value")
        if node is None:
            continue
        if dated:
            check(node, path)
        elif isinstance(node, list):
            for i, record in enumerate(node):
                for field in dated_fields:
                    if isinstance(record, Mapping) and field.key in record:
                        check(record[field.key], (*path, i, field.key))
    return problems


def validate_profile(source: Input, facts: Mapping[str, FactSpec], *,
                     as_of: dt.date | None = None, lang: Lang = "zh") -> Validation:
    """Every problem of a profile at once: what :func:`load_profile` finds (unknown keys with
    a did-you-mean, wrong types, values outside the allowed set, an invalid unified social
    credit code) and dates after ``as_of`` (default: today) in ``past_only`` facts.
    """
    day = as_of or dt.date.today()
    try:
        doc = read_document(source)
    except QComplianceError as exc:
        return Validation(None, exc.problems)
    problems: list[Problem] = []
    profile = None
    try:
        profile = load_profile(source, facts)
    except QComplianceError as exc:
        problems += exc.problems
    problems += _past_only_problems(doc, facts, day, lang)
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return Validation(profile if not problems else None, tuple(problems))
