"""How a question is put: the :class:`Prompt` every front end gets, and its wording.

A prompt carries two kinds of text. What every front end shows: ``question`` (the question in
plain words) and ``help`` (plain help, with the allowed values named by their labels, never by
their codes), beside the structured parts (type, choices with labels, unit, likely answer). And
what only a terminal needs: ``text`` (the question with its numbered choices, ready to print)
and ``hint`` (the input prompt: y/n, ?, "直接回车"). A form shows radio buttons, date pickers and
a "don't know" button instead, and never the terminal's conventions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import attrs

from qcompliance.i18n import form_text
from qcompliance.model import FactSpec, FactType, Lang, Text
from qcompliance.selfcheck.texts import say

__all__ = ["Ask", "Prompt", "Tell", "choice_details", "form_words", "plain_help", "plain_text"]


@attrs.frozen
class Prompt:
    """One question put to the person: what to show, and how the answer will be read.

    Everything a front end needs is here: ``question`` and ``help`` for every front end, with
    the structured parts (``spec`` with its type, choices and labels; ``section``; ``number``
    of about ``total``; ``likely``) for a form; ``text`` and ``hint`` only for a terminal.
    """

    key: str
    """The fact key; ``key[i].field`` for a field of a record."""
    spec: FactSpec
    """The declaration of the fact (or of the record field) asked about."""
    kind: Literal["fact", "count", "field"]
    """``count`` asks how many records a records fact has; ``field`` asks one record field."""
    text: str
    """Terminal only: the question with its help, unit and numbered choices, ready to print."""
    hint: str
    """Terminal only: a short input prompt saying what form the answer takes (y/n, ?),
    ending in ``> ``."""
    attempt: int = 0
    """0 the first time; 1, 2 … after answers that were rejected."""
    error: str | None = None
    """Why the previous answer was rejected."""
    number: int = 0
    """n of "question n of about N": this fact's place among the questions, from 1."""
    total: int = 0
    """N of "question n of about N": the questions answered plus those that may still come.

    An estimate: later answers may make questions unnecessary (or, rarely, add some)."""
    section: Text | None = None
    """The heading of the part of the interview the question belongs to."""
    notes: tuple[str, ...] = ()
    """Lines to show before the question (a size class worked out, "record 2 of 3")."""
    likely: str | None = None
    """An answer the earlier answers suggest: an empty answer takes it (offer it as a button)."""
    plain: bool = False
    """This is a gating question asked again in plainer words after a "don't know"."""
    record: tuple[int, int] | None = None
    """For a ``field`` prompt: the record's number (from 1) and how many there are."""
    question: str = ""
    """For every front end: the question alone, in plain words (the plainer rewording after a
    "don't know" on a gating question)."""
    help: str | None = None
    """For every front end: plain help, allowed values named by their labels, no terminal
    conventions (see :func:`plain_help`); None when the question stands alone."""

    @property
    def choices(self) -> tuple[tuple[str, Text | None], ...]:
        """The allowed values of an enum or list question, in order, each with its label
        when the facts dictionary gives one (a form's options; the answer is the value)."""
        labels = self.spec.value_labels or {}
        return tuple((value, labels.get(value)) for value in self.spec.values or ())


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


def question_text(spec: FactSpec, lang: Lang, label: str, kind: str,
                  question: str | None = None) -> str:
    """Terminal only: the question, help, unit and numbered choices as printed lines."""
    lines = [f"{label} {question or spec.question.get(lang)}"]
    if spec.help is not None:
        lines.append(f"    {spec.help.get(lang)}")
    if spec.unit is not None:
        lines.append("    " + say("unit", lang, unit=spec.unit.get(lang)))
    if kind == "count":
        lines.append("    " + say("records", lang, key=spec.key))
    elif spec.values and spec.type in (FactType.ENUM, FactType.LIST):
        lines.append("    " + say("choices", lang))
        lines += _choice_lines(spec, lang)
    return "\n".join(lines)


def input_hint(spec: FactSpec, lang: Lang, kind: str) -> str:
    """Terminal only: the input prompt saying how to type the answer."""
    name = "hint.count" if kind == "count" else f"hint.{spec.type.value}"
    sep = "，" if lang == "zh" else ", "
    return f"{say(name, lang)}{sep}{say('hint.unknown', lang)} > "


def likely_text(spec: FactSpec, value: object, lang: Lang) -> str | None:
    """``value`` as an answer the person could type (是/yes, a choice), or None."""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, str) and value in (spec.values or ()):
        return value
    return None


def shown_answer(spec: FactSpec, answer: str, lang: Lang) -> str:
    """Terminal only: an answer with its label, as the likely-answer line shows it."""
    label = (spec.value_labels or {}).get(answer)
    return answer if label is None or label.get(lang) == answer else f"{answer} {label.get(lang)}"



_BOOL_WORDS = {"zh": {"true": "“是”", "false": "“否”"}, "en": {"true": "yes", "false": "no"}}


def _labels(spec: FactSpec, lang: Lang) -> dict[str, str]:
    return {value: label.get(lang) for value, label in (spec.value_labels or {}).items()}


def _segments(text: str) -> list[str]:
    """``text`` cut after each "；" or "; " (and sentence end) outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "（(":
            depth += 1
        elif char in "）)" and depth:
            depth -= 1
        if depth == 0 and (char in "；。" or (char in ";." and text[i + 1:i + 2] in (" ", ""))):
            parts.append(text[start:i + 1])
            start = i + 1
    parts.append(text[start:])
    return [part for part in parts if part.strip()]


def _code_segment(part: str, values: tuple[str, ...]) -> tuple[str, str] | None:
    """``(value, what it means)`` when ``part`` glosses an allowed value ("food 食品；")."""
    text = part.strip().rstrip("；;。.，,").strip()
    for value in sorted(values, key=len, reverse=True):
        if not text.startswith(value) or text[len(value):len(value) + 1].isalnum() \
                or text[len(value):len(value) + 1] == "_":
            continue
        gloss = text[len(value):].strip()
        if gloss[:1] in "（(" and gloss[-1:] in "）)":
            gloss = gloss[1:-1].strip()
        return value, gloss
    return None


def choice_details(spec: FactSpec, lang: Lang) -> dict[str, str]:
    """What each allowed value means beyond its label, as the declared help glosses it
    ("保健食品、特殊医学用途配方食品…" for special_food), for a form to show beside it."""
    if spec.help is None or not spec.values:
        return {}
    labels = _labels(spec, lang)
    details: dict[str, str] = {}
    for part in _segments(spec.help.get(lang)):
        found = _code_segment(part, spec.values)
        if found is None:
            continue
        value, gloss = found
        label = labels.get(value, value)
        if gloss.startswith(label) and gloss != label:
            gloss = gloss.removeprefix(label).strip()
            if gloss[:1] in "（(" and gloss[-1:] in "）)":
                gloss = gloss[1:-1].strip()
        gloss = gloss.lstrip(",，、 ")
        words = {w for w in re.findall(r"[a-z]+", gloss.casefold()) if len(w) > 2}
        if lang == "en" and words <= set(re.findall(r"[a-z]+", label.casefold())):
            continue  # "manufacture of" beside "special equipment (manufacture)"
        # A gloss that only shortens the label ("电力热力燃气及水") adds nothing.
        if gloss and not set(gloss.casefold()) <= set(label.casefold() + " "):
            details[value] = plain_text(gloss, spec, lang)
    return details


# Terminal conventions in declared texts, and what a form says instead: a list is answered
# with "none of these", a list of records with an empty table.
def form_words(text: str, spec: FactSpec, lang: Lang) -> str:
    """``text`` without terminal conventions ("填空列表 []", "填 true"): what a form says."""
    return form_text(text, records=spec.type is FactType.RECORDS, lang=lang)


def plain_text(text: str, spec: FactSpec, lang: Lang,
               facts: Mapping[str, FactSpec] | None = None,
               siblings: Sequence[FactSpec] = ()) -> str:
    """``text`` with value codes replaced by their labels ("选 other" becomes "选“其他行业”").

    In English only codes that are not words (``special_food``) are replaced: a code such as
    ``retail`` reads as the word it is. Fact keys in ``facts``, and the keys of a record's
    fields (``spec``'s own, or its ``siblings`` for a field), are named by their labels.
    """
    text = form_words(text, spec, lang)
    if facts:  # another fact named by key: by its label
        text = re.sub(r"\b[a-z][a-z0-9_]*\.[a-z0-9_.]*[a-z0-9]\b",
                      lambda m: (f"“{facts[m[0]].label.get(lang)}”" if lang == "zh" else
                                 f"'{facts[m[0]].label.get(lang)}'") if m[0] in facts else m[0],
                      text)
    for field in (*(spec.fields or ()), *siblings):  # a column named by key: by its label
        shown = f"“{field.label.get(lang)}”" if lang == "zh" else f"'{field.label.get(lang)}'"
        text = re.sub(rf"(?<![\w.]){re.escape(field.key)}(?![\w])", shown, text)
    if spec.type is FactType.BOOL:
        words = _BOOL_WORDS[lang]
        space = r"\s?" if lang == "zh" else ""
        return re.sub(rf"{space}(?<![\w])(true|false)(?![\w]){space}", lambda m: words[m[1]],
                      text)
    labels = _labels(spec, lang)
    for value in sorted(labels, key=len, reverse=True):
        if lang == "en" and "_" not in value:
            continue
        shown = f"“{labels[value]}”" if lang == "zh" else f"'{labels[value]}'"
        text = re.sub(rf"\s?(?<![\w/.-]){re.escape(value)}(?![\w/-])\s?", shown, text) \
            if lang == "zh" else re.sub(rf"(?<![\w/.-]){re.escape(value)}(?![\w/-])", shown,
                                        text)
    return text


def plain_help(spec: FactSpec, lang: Lang, facts: Mapping[str, FactSpec] | None = None,
               siblings: Sequence[FactSpec] = ()) -> str | None:
    """The declared help without the glosses of value codes (a form shows those beside each
    choice, see :func:`choice_details`) and with any other code replaced by its label."""
    if spec.help is None:
        return None
    parts = _segments(spec.help.get(lang))
    if spec.values:
        parts = [p for p in parts if _code_segment(p, spec.values) is None]
    text = re.sub(r"\s{2,}", " ", plain_text("".join(parts), spec, lang, facts, siblings)).strip()
    # A gloss cut out of the middle leaves "…; Next sentence": end the sentence instead.
    text = re.sub(r";\s+(?=[A-Z])", ". ", text)
    if text.endswith(("；", ";")):
        text = text[:-1] + ("。" if lang == "zh" else ".")
    return text or None
