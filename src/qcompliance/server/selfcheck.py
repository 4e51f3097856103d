"""The web front end of the interview: the browser sends every answer so far, the server
replays them through :class:`qcompliance.selfcheck.Interview` and says what to ask next.

The server keeps no session: the question logic, the order of questions and the checking of
answers are the interview's own (``next_question``, ``ask_fact``, ``parse_answer``); this module
only turns a :class:`~qcompliance.selfcheck.Prompt` into JSON for the page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Literal

from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.load import load_profile
from qcompliance.model import FactSpec, FactType, Lang, Text
from qcompliance.selfcheck import (
    UNKNOWN,
    AnswerError,
    Interview,
    Prompt,
    parse_answer,
    parse_count,
)
from qcompliance.server.inputs import text_document

__all__ = ["check_answer", "next_step"]

_FIELD = re.compile(r"^(?P<fact>[a-z0-9_.]+)\[(?P<i>\d+)\]\.(?P<field>[a-z0-9_]+)$")
_MAX_STEPS = 5000  # more questions than any catalogue asks: a guard, not a limit users meet


class _Needed(Exception):
    """The interview asked a question that has no answer yet."""

    def __init__(self, prompt: Prompt) -> None:
        super().__init__(prompt.key)
        self.prompt = prompt


def _lang(data: Mapping[str, object]) -> Lang:
    return "en" if data.get("lang") == "en" else "zh"


def _answers(data: Mapping[str, object]) -> dict[str, str]:
    raw = data.get("answers") or {}
    if not isinstance(raw, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise UsageError(Problem("must be an object of fact key to answer text", key="answers"))
    return dict(raw)


def _interview(checklists: ChecklistSet, data: Mapping[str, object], lang: Lang,
               as_of: dt.date) -> Interview:
    """A new interview, or one resumed from the profile the person imported."""
    text = data.get("profile")
    if text is None or text == "":
        return Interview(checklists, lang, as_of)
    if not isinstance(text, str):
        raise UsageError(Problem("must be the text of a profile", key="profile"))
    fmt: Literal["json", "toml"] = "json" if data.get("profile_format") == "json" else "toml"
    name = data.get("profile_name")
    origin = name if isinstance(name, str) and name else "<profile>"
    profile = load_profile(text_document(text, fmt, origin), checklists.facts)
    return Interview.resume(checklists, profile, lang=lang, as_of=as_of)


def _choices(spec: FactSpec, lang: Lang) -> list[dict[str, str]]:
    labels = spec.value_labels or {}
    return [{"value": v, "label": labels[v].get(lang) if v in labels else v}
            for v in spec.values or ()]


def _question(prompt: Prompt, section: Text | None, lang: Lang, notes: list[str],
              given: str | None) -> dict[str, object]:
    spec = prompt.spec
    kind = prompt.kind
    answer_type = "count" if kind == "count" else spec.type.value
    if spec.type is FactType.BOOL:
        choices = [{"value": "yes", "label": "是" if lang == "zh" else "yes"},
                   {"value": "no", "label": "否" if lang == "zh" else "no"}]
    else:
        choices = _choices(spec, lang) if kind != "count" else []
    return {
        "key": prompt.key,
        "kind": kind,
        "type": answer_type,
        "question": spec.question.get(lang),
        "help": spec.help.get(lang) if spec.help is not None else None,
        "unit": spec.unit.get(lang) if spec.unit is not None else None,
        "label": spec.label.get(lang),
        "choices": choices,
        "hint": prompt.hint.rstrip("> ").rstrip(),
        "section": section.get(lang) if section is not None else None,
        "error": prompt.error,
        "given": given,
        "notes": notes,
    }


def next_step(checklists: ChecklistSet, data: Mapping[str, object], as_of: dt.date
              ) -> dict[str, object]:
    """The next question for the answers in ``data``, or ``done`` with the profile TOML.

    The interview is replayed from the start with the given answers; the first question
    without an answer (or with an answer that does not parse) is returned. To tell the person
    how many questions remain, the replay goes on answering "unknown" to everything after that
    point and counts the questions asked: answering more usually asks fewer, so this is about
    the most there can be.
    """
    lang = _lang(data)
    answers = _answers(data)
    interview = _interview(checklists, data, lang, as_of)
    notes: list[str] = []
    first: dict[str, object] | None = None
    profile_text: str | None = None
    section: Text | None = None
    seen: set[str] = set()

    def ask(prompt: Prompt) -> object:
        nonlocal first, profile_text
        seen.add(prompt.key)
        if first is not None:
            return "?"
        if prompt.attempt == 0 and prompt.key in answers:
            return answers[prompt.key]
        shown = notes[-3:]
        first = _question(prompt, section, lang, shown, answers.get(prompt.key))
        first["n"] = len(seen)
        profile_text = interview.profile_text()
        return "?"

    steps = 0
    while (found := interview.next_question(notes.append)) is not None:
        steps += 1
        if steps > _MAX_STEPS:  # pragma: no cover - would be a bug in the question logic
            raise UsageError(Problem("the interview does not end", key="answers"))
        key, section = found
        before = len(notes)
        interview.ask_fact(key, ask, notes.append)
        if first is None:
            del notes[before:]  # notes about answered records are past
    if first is not None:
        first["about"] = len(seen)
        return {"done": False, "question": first, "profile_toml": profile_text,
                "answered": len(answers)}
    return {
        "done": True,
        "profile_toml": interview.profile_text(),
        "asked": len(seen),
        "unknown": [k for k in interview.unknown if k not in interview.facts],
    }


def _spec_of(checklists: ChecklistSet, key: str) -> FactSpec:
    spec = checklists.facts.get(key.split("[", 1)[0])
    match = _FIELD.match(key)
    if spec is not None and match is not None:
        spec = next((f for f in spec.fields or () if f.key == match["field"]), None)
    if spec is None:
        raise UsageError(Problem(f"no fact '{key}'", key="key"))
    return spec


def check_answer(checklists: ChecklistSet, data: Mapping[str, object], as_of: dt.date
                 ) -> dict[str, object]:
    """Whether ``data["answer"]`` fits the question of ``data["key"]``, read as the interview
    reads it (``parse_answer``, or ``parse_count`` for the number of records)."""
    key, answer, kind = data.get("key"), data.get("answer"), data.get("kind", "fact")
    if not isinstance(key, str) or not isinstance(answer, str):
        raise UsageError(Problem("key and answer must be strings", key="key"))
    lang = _lang(data)
    spec = _spec_of(checklists, key)
    try:
        value: object = (parse_count(answer) if kind == "count"
                         else parse_answer(spec, answer, as_of=as_of))
    except AnswerError as exc:
        return {"ok": False, "error": exc.text.get(lang)}
    if value is UNKNOWN:
        return {"ok": True, "unknown": True}
    shown = value.isoformat() if isinstance(value, dt.date) else value
    return {"ok": True, "unknown": False, "value": shown}
