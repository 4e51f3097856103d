"""Error and validation messages in the reader's language: the message table and its lookup.

The library raises :class:`~qcompliance.errors.QComplianceError` with English problem texts
(stable for programs and tests). Every such text has an entry in :data:`MESSAGES`: an English
template and its Chinese form with the same ``{placeholders}``. :func:`localized` gives the one
line the CLI prints in Chinese or English (Chinese is the default): it finds the entry whose
English template the text fits, and fills the Chinese form with the values found, so names,
values and file positions stay exactly as given. A text no entry fits is shown in English
rather than not at all; the tests walk the table and the raising code so that none is left.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping

from qcompliance.errors import Problem, QComplianceError
from qcompliance.messages.batch import BATCH
from qcompliance.messages.cli import COMMAND_LINE
from qcompliance.messages.inputs import GENERAL, INPUTS
from qcompliance.messages.registry import REGISTRY
from qcompliance.messages.rules import RULES
from qcompliance.messages.table import Message
from qcompliance.messages.workspace import WORKSPACE

__all__ = [
    "MESSAGES",
    "Message",
    "english",
    "find",
    "localized",
    "localized_message",
    "message",
    "placeholders",
    "table_problems",
]

MESSAGES: dict[str, Message] = {**COMMAND_LINE, **INPUTS, **RULES, **BATCH, **WORKSPACE, **REGISTRY,
                              **GENERAL}
"""Every message by its key, in lookup order: the first entry a text fits is used, so a
specific entry comes before a general one of the same shape (the tests check none is hidden)."""

_FORMATTER = string.Formatter()
_DID_YOU_MEAN = re.compile(r"; did you mean '([^']*)'\?")
_KINDS = {"string": "字符串", "whole number": "整数", "number": "数字", "boolean": "布尔值",
          "list": "列表", "table": "表", "date": "日期", "str": "字符串", "int": "整数",
          "float": "数字", "bool": "布尔值", "dict": "表", "NoneType": "空值"}
# "got string 'x'" (the converter names the kind of a wrong value): the kind in Chinese.
_GOT_KIND = re.compile(r"实际为 (" + "|".join(_KINDS) + ") ")
_DEPTH = 3  # a value found in a message may itself be a message ("… failed: timed out")


def placeholders(template: str) -> frozenset[str]:
    """The names of the ``{placeholders}`` in ``template`` (``{{`` and ``}}`` are braces)."""
    return frozenset(name for _, name, _, _ in _FORMATTER.parse(template) if name is not None)


def table_problems(table: Mapping[str, Message]) -> list[str]:
    """What is wrong with a message table, one line each: an entry without text in either
    language, a template that does not parse, or Chinese and English with different
    placeholders. Empty when every entry is complete."""
    problems = []
    for key, message in table.items():
        for lang, text in (("zh", message.zh), ("en", message.en)):
            if not text.strip():
                problems.append(f"{key}: no {lang} text")
        try:
            zh, en = placeholders(message.zh), placeholders(message.en)
        except ValueError as exc:
            problems.append(f"{key}: the template does not parse ({exc})")
            continue
        if zh != en:
            problems.append(f"{key}: zh has {sorted(zh)}, en has {sorted(en)}")
        if "" in en or any(not name.isidentifier() for name in en):
            problems.append(f"{key}: placeholders must be names")
        if message.zh.strip() and message.zh == message.en:
            problems.append(f"{key}: the zh text is the English one")
    return problems


def english(key: str, /, **fields: object) -> str:
    """The English text of the message ``key`` with its placeholders filled: the text a
    :class:`~qcompliance.errors.Problem` carries."""
    return MESSAGES[key].en.format(**fields)


def message(key: str, lang: str, /, **fields: object) -> str:
    """The message ``key`` in ``lang`` ("zh" or "en") with its placeholders filled: for a text
    the CLI prints itself rather than raising it."""
    entry = MESSAGES[key]
    return (entry.zh if lang == "zh" else entry.en).format(**fields)


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression that matches the texts ``template`` can produce, capturing each
    placeholder by name (a name used twice must have the same value both times; a value may
    be empty, as an optional tail such as " --index URL" is)."""
    parts, seen = ["^"], set()
    for literal, name, _, _ in _FORMATTER.parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
    parts.append("$")
    return re.compile("".join(parts), re.DOTALL)


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    # Compiled on the first error, never at import: `qcheck --version` does not pay for it.
    return tuple((key, _pattern(message.en)) for key, message in MESSAGES.items())


def find(text: str) -> tuple[str, dict[str, str]] | None:
    """The key of the first entry whose English template ``text`` fits, with the values of its
    placeholders; None when no entry fits."""
    for key, pattern in _patterns():
        match = pattern.match(text)
        if match:
            return key, match.groupdict()
    return None


def _chinese(text: str, depth: int) -> str:
    found = find(text)
    if found is None:
        return text
    key, values = found
    if depth > 0:
        values = {name: _chinese(value, depth - 1) for name, value in values.items()}
    return MESSAGES[key].zh.format(**values)


def localized_message(message: str, lang: str) -> str:
    """``message`` in ``lang`` ("zh" or "en"); English when no Chinese form is known."""
    if lang != "zh":
        return message
    suggestion = ""
    found = _DID_YOU_MEAN.search(message)
    if found:
        suggestion = f"；是否指“{found.group(1)}”？"
        message = message[:found.start()] + message[found.end():]
    message = _GOT_KIND.sub(lambda m: "实际为 " + _KINDS[m.group(1)] + " ",
                            _chinese(message, _DEPTH))
    return message + suggestion


def _where(problem: Problem) -> str:
    where = problem.file or "<input>"
    if problem.line is not None:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    return where


def localized(error: QComplianceError, lang: str) -> str:
    """The one line an error is shown as, e.g. ``p.toml:3: company.size: “huge”不是允许的取值
    （可选：large、…）（另有 2 个问题）`` in Chinese, or ``str(error)`` in English."""
    if lang != "zh":
        return str(error)
    problem = error.first
    more = len(error.problems) - 1
    tail = f"（另有 {more} 个问题）" if more else ""
    message = localized_message(problem.message, lang)
    if problem.file is None and problem.line is None:  # a usage problem: an option, no file
        return f"{problem.key + ': ' if problem.key else ''}{message}{tail}"
    key = f" {problem.key}:" if problem.key else ""
    return f"{_where(problem)}:{key} {message}{tail}"
