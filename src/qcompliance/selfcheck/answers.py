"""Reading a person's answers: parse and check one answer against its fact, read an answers file.

An answer is text typed at a prompt or a value from a file; :func:`parse_answer` turns it into
the fact's value or raises :class:`AnswerError` saying why, in both languages. "Unknown"
(``?``, ``不知道``) gives :data:`UNKNOWN`, and the fact is left out.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

import attrs

from qcompliance.china.uscc import USCC_CHARSET, uscc_check_character, uscc_problem
from qcompliance.errors import InputError, Problem
from qcompliance.loading.converter import KeyPath, parse_date
from qcompliance.loading.load import Document, Input, read_document
from qcompliance.loading.region import NORMALISE
from qcompliance.model import FactSpec, FactType, Lang, Text
from qcompliance.selfcheck.texts import TEXTS, say
from qcompliance.suggest import did_you_mean

__all__ = [
    "MAX_RECORDS",
    "UNKNOWN",
    "UNKNOWN_WORDS",
    "AnswerError",
    "Answers",
    "parse_answer",
    "parse_count",
    "read_answers",
]


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



class AnswerError(Exception):
    """An answer that does not fit its question; ``text`` says why in both languages."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def _error(name: str, **fields: object) -> AnswerError:
    return AnswerError(Text(TEXTS[name].zh.format(**fields), TEXTS[name].en.format(**fields)))


def _choice(spec: FactSpec, token: str) -> str:
    """An allowed value of ``spec`` named by ``token``: its number, the value or its label."""
    values = spec.values or ()
    # Names as in profiles (上海 -> 310000); digits stay a code or a number in the list.
    if (normalise := NORMALISE.get(spec.key)) is not None and not token.isdecimal():
        token = str(normalise(token))
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
    # Values may be codes (GB/T 2260 for provinces): suggest by name when no value is close.
    names = {label.en.casefold() for label in (spec.value_labels or {}).values()}
    hint = did_you_mean(token, values) or did_you_mean(folded, names)
    raise _error("choice", got=token, hint=hint)


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
    return Text(TEXTS["uscc"].zh.format(why=zh), TEXTS["uscc"].en.format(why=why))


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
            # Excel on a Chinese Windows writes 2026/11/18; people write 2026年11月18日.
            text = re.sub(r"^(\d{4})[/.年](\d{1,2})[/.月](\d{1,2})日?$",
                          lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)
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


def parse_count(raw: str) -> int | _Unknown:
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
class Answers:
    """Answers read from a file: fact key to answer, and where each stands in the file."""

    values: Mapping[str, object]
    paths: Mapping[str, KeyPath]
    doc: Document
    provenance: Mapping[str, Mapping[str, object]] = attrs.field(factory=dict)
    """For answers given in a profile's ``{ value = …, evidence = […] }`` form: the other
    keys (evidence, source, as_of, attested_by, valid_until), checked and typed."""


_PROVENANCE = ("evidence", "source", "as_of", "attested_by", "valid_until")


def _provenance(raw: Mapping[str, object]) -> dict[str, object]:
    """The provenance keys of a ``{ value, … }`` answer, typed; ValueError naming the key."""
    out: dict[str, object] = {}
    for key, given in raw.items():
        if key == "value":
            continue
        if key not in _PROVENANCE:
            raise ValueError(key, f"unknown key '{key}'{did_you_mean(key, _PROVENANCE)}")
        if key == "evidence":
            if not isinstance(given, (list, tuple)) or not all(isinstance(e, str) for e in given):
                raise ValueError(key, "evidence must be a list of texts")
            out[key] = tuple(given)
        elif key in ("as_of", "valid_until"):
            try:
                out[key] = parse_date(given if isinstance(given, str) else _as_text(given))
            except (ValueError, AnswerError):
                raise ValueError(key, "a date YYYY-MM-DD is expected") from None
        elif not isinstance(given, str):
            raise ValueError(key, f"{key} must be a text")
        else:
            out[key] = given
    return out


def read_answers(source: Input, facts: Mapping[str, FactSpec], *, lang: Lang = "zh"
                 ) -> Answers:
    """Read a TOML or JSON answers file: a table of fact key (dotted or nested) to answer.

    A profile is an answers file too: a fact given as ``{ value = …, evidence = […] }`` answers
    with its value and keeps the rest (:attr:`Answers.provenance`). Raises
    :class:`InputError` listing every key that is not a declared fact.
    """
    doc = read_document(source)
    namespaces = {".".join(k.split(".")[:n]) for k in facts for n in range(1, k.count(".") + 1)}
    values: dict[str, object] = {}
    paths: dict[str, KeyPath] = {}
    provenance: dict[str, Mapping[str, object]] = {}
    problems: list[Problem] = []

    def walk(node: Mapping[str, object], prefix: tuple[str, ...]) -> None:
        for key, raw in node.items():
            at = (*prefix, key)
            dotted = ".".join(at)
            if not prefix and key == "schema":
                continue
            if dotted in facts and isinstance(raw, Mapping) and "value" in raw:
                try:  # a profile's form: the value with where it comes from
                    provenance[dotted] = _provenance(raw)
                except ValueError as exc:
                    problems.append(doc.problem((*at, exc.args[0]), exc.args[1]))
                values[dotted], paths[dotted] = raw["value"], (*at, "value")
            elif dotted in facts:
                values[dotted], paths[dotted] = raw, at
            elif dotted in namespaces and isinstance(raw, Mapping):
                walk(raw, at)
            else:
                hint = did_you_mean(dotted, [*facts, *namespaces])
                problems.append(doc.problem(at, say("answers.unknown_key", lang, key=dotted,
                                                   hint=hint)))

    walk(doc.data, ())
    if problems:
        raise InputError(problems)
    return Answers(values, paths, doc, provenance)
