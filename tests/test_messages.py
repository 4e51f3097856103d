"""Every message exists in Chinese and English: the tests walk the message table (and the other
tables of bilingual texts), the code that raises messages, and the bad-input corpus."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import qcompliance
from qcompliance.errors import QComplianceError
from qcompliance.messages import (
    MESSAGES,
    Message,
    english,
    find,
    localized_message,
    placeholders,
    table_problems,
)
from qcompliance.model import Text

SRC = Path(qcompliance.__file__).parent
BAD_INPUTS = Path(__file__).parent / "bad_inputs"
DID_YOU_MEAN = re.compile(r"; did you mean '[^']*'\?")
CJK = re.compile(r"[\u4e00-\u9fff]")

# The calls whose argument is a message text, and which argument it is.
SINKS = {"Problem": 0, "registry_error": 0, "problem": -1, "_refuse": 1, "give_up": 1,
         "_give_up": 2, "ConditionSyntaxError": 0, "CompileError": 0, "Retry": 0, "warn": 0}
# Where ValueError carries a message a problem then shows (elsewhere it marks a fault).
VALUE_ERRORS = ("loading/converter.py", "rules/operators.py")
# Modules whose functions return a problem's text.
RETURNED = ("china/uscc.py", "china/region.py")
# Texts that are not messages: Retry carries an HTTP status line that a message then quotes.
NOT_MESSAGES = {"x1"}


def test_the_message_table_is_complete() -> None:
    """Every entry has Chinese and English text with the same placeholders."""
    assert len(MESSAGES) > 300
    assert table_problems(MESSAGES) == []


@pytest.mark.parametrize(("entry", "found"), [
    (Message("", "no such file"), "no zh text"),
    (Message("文件不存在", " "), "no en text"),
    (Message("超过 {mib} MiB", "is larger than {limit} MiB"), "zh has ['mib'], en has ['limit']"),
    (Message("超过 MiB", "is larger than {mib} MiB"), "zh has [], en has ['mib']"),
    (Message("超过 {mib MiB", "is larger than {mib} MiB"), "does not parse"),
    (Message("no such file", "no such file"), "the zh text is the English one"),
])
def test_the_check_fails_on_an_incomplete_entry(entry: Message, found: str) -> None:
    """The table check can fail: a missing language or different placeholders are reported."""
    problems = table_problems({**MESSAGES, "test.broken": entry})
    assert len(problems) == 1
    assert problems[0].startswith("test.broken: ")
    assert found in problems[0]


@pytest.mark.parametrize("key", list(MESSAGES))
def test_no_entry_is_hidden_by_an_earlier_one(key: str) -> None:
    """A text made from an entry's English template is found as that entry, and its Chinese
    form keeps every value."""
    values = {name: f"v{i}q" for i, name in enumerate(sorted(placeholders(MESSAGES[key].en)))}
    text = english(key, **values)
    assert find(text) == (key, values)
    zh = localized_message(text, "zh")
    assert zh == MESSAGES[key].zh.format(**values)
    assert CJK.search(zh), zh
    assert all(value in zh for value in values.values())


def test_localized_message_keeps_english_for_english_and_unknown_texts() -> None:
    """English stays as raised; a text no entry fits is shown as it is rather than not at all;
    a did-you-mean and a nested message are rendered too."""
    assert localized_message("no such file", "en") == "no such file"
    assert localized_message("something new", "zh") == "something new"
    assert localized_message("unknown fact 'compny.size'; did you mean 'company.size'?",
                             "zh") == "未知的事实“compny.size”；是否指“company.size”？"
    assert localized_message("the assessment was not delivered after 3 attempts: timed out "
                             "connecting", "zh") == "评估结果在尝试 3 次后仍未送达：连接超时"


def _texts(node: ast.expr) -> Iterator[str]:
    """The texts an expression can give, each placeholder filled with a sample value; nothing
    for an expression that is not written out (a variable, a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        parts = [""]
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts = [p + str(value.value) for p in parts]
                continue
            assert isinstance(value, ast.FormattedValue)
            source = ast.unparse(value.value)
            if "did_you_mean" in source or source in ("hint", "tries", "index"):
                # The suggestion, and optional tails: the text with and without them.
                options = ["", "; did you mean 'x1'?"] if "did_you_mean" in source else [""]
                if source == "tries":
                    options = ["", " after 3 attempts"]
                if source == "index":
                    options = ["", " --index x1"]
            elif isinstance(value.value, ast.IfExp):
                options = [o for branch in (value.value.body, value.value.orelse)
                           for o in _texts(branch)] or ["x1"]
            else:
                options = ["'x1'" if value.conversion == ord("r") else "x1"]
            parts = [p + o for p in parts for o in options]
        yield from parts
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        for left in _texts(node.left):
            for right in _texts(node.right):
                yield left + right
    elif isinstance(node, ast.IfExp):
        yield from _texts(node.body)
        yield from _texts(node.orelse)


def _raised_texts() -> Iterator[tuple[str, str]]:
    """Every message text written out in the package's code, with where it is."""
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if rel in RETURNED and isinstance(node, ast.Return) and node.value is not None:
                for text in _texts(node.value):
                    if " " in text:  # a sentence, not a size class such as "micro"
                        yield f"{rel}:{node.lineno}", text
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in SINKS and not (name == "ValueError" and rel in VALUE_ERRORS):
                continue
            arg = next((k.value for k in node.keywords if k.arg == "message"), None)
            if arg is None and node.args:
                index = SINKS.get(name, 0)
                arg = node.args[index] if -len(node.args) <= index < len(node.args) else None
            for text in _texts(arg) if arg is not None else ():
                if text.strip() and text not in NOT_MESSAGES:
                    yield f"{rel}:{node.lineno}", text


RAISED = sorted(set(_raised_texts()))


def test_the_walk_finds_the_messages() -> None:
    """The walk of the code sees the messages of every area (it cannot pass by finding none)."""
    areas = {where.split("/")[0] for where, _ in RAISED}
    assert len(RAISED) > 300
    assert {"loading", "rules", "registry", "server", "store", "batch", "client"} <= areas


@pytest.mark.parametrize(("where", "text"), RAISED)
def test_every_message_the_code_raises_is_in_the_table(where: str, text: str) -> None:
    """Each message text the library, the CLI or the server writes out fits an entry of the
    table, so it is shown in Chinese too."""
    assert find(DID_YOU_MEAN.sub("", text)) is not None, f"{where}: no entry for {text!r}"


def _bad_input_errors() -> Iterator[tuple[str, QComplianceError]]:
    from test_bad_inputs import CASES, raised  # the corpus and how the library reads it

    here = Path.cwd()
    try:
        import os

        os.chdir(BAD_INPUTS)
        for rel in CASES:
            outcome = raised(rel)
            if isinstance(outcome, QComplianceError):
                yield rel, outcome
    finally:
        os.chdir(here)


def test_every_error_of_the_bad_input_corpus_reads_in_chinese() -> None:
    """Every problem of every error the corpus raises (the converter's messages too) fits an
    entry of the table."""
    errors = list(_bad_input_errors())
    assert len(errors) > 100
    unknown = [f"{rel}: {problem.message}" for rel, error in errors for problem in error.problems
               if find(DID_YOU_MEAN.sub("", problem.message)) is None]
    assert unknown == []


def _text_tables() -> Iterator[tuple[str, dict[object, Text]]]:
    """Every module-level table of bilingual texts in the package (labels, self-check texts,
    report words, …)."""
    for info in pkgutil.walk_packages(qcompliance.__path__, "qcompliance."):
        if info.name.startswith("qcompliance.store.migrations"):
            continue  # alembic's scripts run only inside a migration
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (isinstance(value, dict) and value
                    and all(isinstance(v, Text) for v in value.values())
                    and getattr(module, "__name__", "") == info.name):
                yield f"{info.name}.{name}", value


# Texts empty in one language on purpose: "第 1 页，共 3 页" has a word after the number, "Page 1
# of 3" none.
EMPTY = {("WORDS", "page_end", "en")}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_bilingual_text_table_is_complete() -> None:
    """Labels, self-check texts and report words: each has both languages and the same
    placeholders in each."""
    tables = dict(_text_tables())
    assert {"qcompliance.i18n.LABELS", "qcompliance.selfcheck.texts.TEXTS"} <= set(tables)
    problems = [f"{table}[{key!r}]: {what}"
                for table, entries in tables.items() for key, text in entries.items()
                for what in [f"no {lang} text" for lang in ("zh", "en")
                             if not text.get(lang).strip()  # type: ignore[arg-type]
                             and (table.rsplit(".", 1)[1], key, lang) not in EMPTY]
                + ([f"zh {sorted(_fields(text.zh))} ≠ en {sorted(_fields(text.en))}"]
                   if _fields(text.zh) != _fields(text.en) else [])]
    assert problems == []


def _english_calls() -> Iterator[tuple[str, str, frozenset[str]]]:
    """Every ``english("key", field=…)`` call in the package: where, the key, the fields."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "english"):
                key = node.args[0]
                assert isinstance(key, ast.Constant), f"{path}:{node.lineno}: a literal key"
                yield (f"{path.relative_to(SRC).as_posix()}:{node.lineno}", str(key.value),
                       frozenset(k.arg for k in node.keywords if k.arg))


ENGLISH_CALLS = sorted(_english_calls())


def test_code_takes_messages_from_the_table() -> None:
    """The command line builds its own messages from the table (it cannot pass on none)."""
    assert len(ENGLISH_CALLS) >= 15


@pytest.mark.parametrize(("where", "key", "fields"), ENGLISH_CALLS)
def test_every_message_taken_from_the_table_exists_with_its_fields(
        where: str, key: str, fields: frozenset[str]) -> None:
    """A message the code takes by key is in the table, and the call fills exactly its
    placeholders (a wrong name would fail only when the error happens)."""
    assert key in MESSAGES, f"{where}: no message {key!r}"
    assert fields == placeholders(MESSAGES[key].en), where
