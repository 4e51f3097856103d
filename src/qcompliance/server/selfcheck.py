"""The web front end of the interview: the browser sends every answer so far, the server
replays them through :class:`qcompliance.selfcheck.Interview` and says what to ask next.

The server keeps no session (only copies of recent replays, so that a step does not redo what
the step before did: :mod:`qcompliance.server.selfcheck_replay`). The question logic, the order
of questions, the numbering ("question n of about N") and the checking of answers are the
interview's own (its step API ``current`` and ``submit``, and ``parse_answer``); this module
only turns a :class:`~qcompliance.selfcheck.Prompt` into JSON for the page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Mapping, Sequence
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
    choice_details,
    parse_answer,
    parse_count,
    plain_help,
    plain_text,
    say,
)
from qcompliance.server.inputs import text_document
from qcompliance.server.selfcheck_replay import ReplayCache

__all__ = ["check_answer", "next_step", "question_json", "records_from_table", "screen_json"]

_FIELD = re.compile(r"^(?P<fact>[a-z0-9_.]+)\[(?P<i>\d+)\]\.(?P<field>[a-z0-9_]+)$")
_PLAIN = "!plain"
"""Suffix of the answer id of a gating question asked again in plainer words."""
_MAX_STEPS = 5000  # more questions than any catalogue asks: a guard, not a limit users meet
REPLAYS = ReplayCache()
"""The replays this server process keeps (see :mod:`qcompliance.server.selfcheck_replay`)."""


def _lang(data: Mapping[str, object]) -> Lang:
    return "en" if data.get("lang") == "en" else "zh"


Answer = str | list[dict[str, str]]
"""What the page sends for one question: the text or choice given, or the rows of a table."""


def _answers(data: Mapping[str, object]) -> dict[str, Answer]:
    raw = data.get("answers") or {}
    if not isinstance(raw, Mapping) or not all(
            isinstance(k, str) and (isinstance(v, str) or _is_rows(v)) for k, v in raw.items()):
        raise UsageError(Problem("must be an object of question id to answer text (or to a "
                                 "list of records for a records question)", key="answers"))
    return dict(raw)


def _is_rows(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(row, Mapping) and all(isinstance(k, str) and isinstance(v, str)
                                         for k, v in row.items()) for row in value)


def records_from_table(value: list[dict[str, str]]) -> list[dict[str, str]]:
    """Table rows as records: empty cells are not given, blank rows are dropped."""
    rows = [{k: v.strip() for k, v in row.items() if v.strip()} for row in value]
    return [row for row in rows if row]


def _interview(checklists: ChecklistSet, data: Mapping[str, object], lang: Lang,
               as_of: dt.date) -> tuple[Interview, str | None]:
    """A new interview, or one resumed from the profile the person imported (and its TOML
    text, so that the profile written at the end keeps its comments)."""
    quick = data.get("quick") is True
    text = data.get("profile")
    if text is None or text == "":
        interview = Interview(checklists, lang, as_of, quick=quick)
        original = None
    elif isinstance(text, str):
        fmt: Literal["json", "toml"] = "json" if data.get("profile_format") == "json" else "toml"
        name = data.get("profile_name")
        origin = name if isinstance(name, str) and name else "<profile>"
        profile = load_profile(text_document(text, fmt, origin), checklists.facts)
        interview = Interview.resume(checklists, profile, lang=lang, as_of=as_of, quick=quick)
        original = text if fmt == "toml" else None
    else:
        raise UsageError(Problem("must be the text of a profile", key="profile"))
    # Never read a file named in an answer: records come as answers, not as server paths.
    interview.files = False
    interview.grouped = True  # a table of yes/no rows is one screen
    return interview, original


def _answer_id(prompt: Prompt) -> str:
    return prompt.key + (_PLAIN if prompt.plain else "")


def _dictionary_labels(facts: Mapping[str, FactSpec]) -> dict[str, Text]:
    """Every value label the facts dictionary declares, by value (record fields included)."""
    out: dict[str, Text] = {}
    for spec in facts.values():
        for field in (spec, *(spec.fields or ())):
            for value, label in (field.value_labels or {}).items():
                out.setdefault(value, label)
    return out


def _choices(spec: FactSpec, lang: Lang, known: Mapping[str, Text] | None = None
             ) -> list[dict[str, str]]:
    if spec.type is FactType.BOOL:
        return [{"value": "yes", "label": "是" if lang == "zh" else "Yes"},
                {"value": "no", "label": "否" if lang == "zh" else "No"}]
    # A value without a label of its own takes the label the dictionary gives the same value
    # elsewhere (a record field's "boiler" is the company's "boiler").
    details = choice_details(spec, lang)
    labels = {**{v: t for v, t in (known or {}).items() if v not in details},
              **(spec.value_labels or {})}
    out = []
    for value in spec.values or ():
        label = labels.get(value)
        # Without a declared label, the help's gloss of the value names it ("省级").
        shown = label.get(lang) if label is not None else details.pop(value, value)
        choice = {"value": value, "label": shown}
        if value in details:
            choice["detail"] = details[value]
        out.append(choice)
    return out


def _field(spec: FactSpec, lang: Lang, known: Mapping[str, Text],
           siblings: Sequence[FactSpec], facts: Mapping[str, FactSpec]) -> dict[str, object]:
    """One column of a records table: what the page needs to draw and check its cells."""
    return {"key": spec.key, "label": spec.label.get(lang), "type": spec.type.value,
            "question": plain_text(spec.question.get(lang), spec, lang, facts, siblings),
            "help": plain_help(spec, lang, facts, siblings),
            "unit": spec.unit.get(lang) if spec.unit is not None else None,
            "choices": _choices(spec, lang, known)}


def _likely(prompt: Prompt, as_of: dt.date) -> str | None:
    """The suggested answer as the page's controls name it (``yes``, a value)."""
    if prompt.likely is None:
        return None
    try:
        value = parse_answer(prompt.spec, prompt.likely, as_of=as_of)
    except AnswerError:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else None


def question_json(prompt: Prompt, lang: Lang, given: Answer | None, as_of: dt.date,
              facts: Mapping[str, FactSpec]) -> dict[str, object]:
    """A prompt as the page shows it: the plain question and help, controls, no codes."""
    spec = prompt.spec
    records = prompt.kind == "count"
    known = _dictionary_labels(facts)
    columns = spec.fields or ()
    fields = [_field(f, lang, known, columns, facts) for f in columns] if records else []
    return {
        "id": _answer_id(prompt),
        "key": prompt.key,
        "kind": prompt.kind,
        "type": "records" if records else spec.type.value,
        "question": prompt.question,
        "plain": prompt.plain,
        "help": prompt.help,
        "unit": spec.unit.get(lang) if spec.unit is not None else None,
        "label": spec.label.get(lang),
        "choices": [] if records else _choices(spec, lang, known),
        "fields": fields,
        "likely": _likely(prompt, as_of),
        "section": prompt.section.get(lang) if prompt.section is not None else None,
        "error": prompt.error,
        "given": given,
        "notes": list(prompt.notes),
        "n": prompt.number,
        "about": max(prompt.total, prompt.number),
    }


def screen_json(screen: Sequence[Prompt], current: Prompt, lang: Lang,
                answers: Mapping[str, Answer], facts: Mapping[str, FactSpec]
                ) -> dict[str, object]:
    """Several yes/no questions of one section shown as one table: one row each, answered
    by its own id; the error, if any, on the row it judges."""
    known = _dictionary_labels(facts)
    rows = [{"id": _answer_id(p), "key": p.key, "question": p.question, "help": p.help,
             "choices": _choices(p.spec, lang, known), "given": answers.get(_answer_id(p)),
             "error": current.error if p.key == current.key else None} for p in screen]
    return {
        # The row to answer now names the screen, so that a client answering only ``id``
        # still moves on row by row.
        "id": _answer_id(current), "key": current.key, "kind": "group", "type": "group",
        "question": say("screen", lang), "plain": False, "help": None, "unit": None,
        "label": None, "choices": [], "fields": [], "rows": rows, "likely": None,
        "section": current.section.get(lang) if current.section is not None else None,
        "error": None, "given": None, "notes": list(current.notes),
        "n": current.number, "about": max(current.total, current.number),
    }


def next_step(checklists: ChecklistSet, data: Mapping[str, object], as_of: dt.date,
              replays: ReplayCache | None = REPLAYS) -> dict[str, object]:
    """The next question for the answers in ``data``, or ``done`` with the profile TOML.

    ``data``: ``answers`` (question id to the text typed or the choice made; for a records
    question, the rows of its table, cells as text), ``profile`` (a profile to start
    from), ``lang``, ``quick``. The interview is replayed from the start with the given answers;
    the first question without an answer, or whose answer does not fit (with the reason), is
    returned, with the profile written so far: several yes/no questions of one section as one
    question of ``type`` ``group`` whose ``rows`` are answered each by its own id. When done, a
    quick self-check says how many mandatory duties it covered and left (``duties``).
    ``replays`` keeps recent replays: a request that repeats an earlier one's answers and adds
    some replays only the added ones.
    """
    lang = _lang(data)
    answers = _answers(data)
    key = _replay_key(data, lang, as_of)
    resumed = replays.resume(checklists, key, answers) if replays is not None else None
    if resumed is None:
        interview, original = _interview(checklists, data, lang, as_of)
        consumed: list[tuple[str, object]] = []
    else:
        interview, taken, kept = resumed
        original = kept if isinstance(kept, str) else None
        consumed = list(taken)
    steps = len(consumed)
    while (prompt := interview.current()) is not None:
        steps += 1
        if steps > _MAX_STEPS:  # pragma: no cover - would be a bug in the question logic
            raise UsageError(Problem("the interview does not end", key="answers"))
        answer_id = _answer_id(prompt)
        if prompt.attempt == 0 and answer_id in answers:
            given = answers[answer_id]
            interview.submit(records_from_table(given) if isinstance(given, list) else given)
            consumed.append((answer_id, given))
            continue
        if replays is not None:
            replays.keep(checklists, key, consumed, interview, original)
        screen = interview.screen()
        question = (screen_json(screen, prompt, lang, answers, checklists.facts)
                    if len(screen) > 1 else
                    question_json(prompt, lang, answers.get(answer_id), as_of,
                                  checklists.facts))
        return {"done": False, "question": question,
                "profile_toml": interview.profile_text(original), "answered": interview.asked}
    if replays is not None:
        replays.keep(checklists, key, consumed, interview, original)
    covered, left = interview.duty_coverage()
    return {
        "done": True,
        "profile_toml": interview.profile_text(original),
        "asked": interview.asked,
        "screens": interview.screens,
        "unknown": [k for k in interview.unknown if k not in interview.facts],
        "duties": {"covered": covered, "left": left} if interview.quick else None,
    }


def _replay_key(data: Mapping[str, object], lang: Lang, as_of: dt.date) -> Hashable:
    """What, besides the answers, decides the course of a replay."""
    options = tuple(data.get(name) for name in ("profile", "profile_format", "profile_name"))
    if not all(v is None or isinstance(v, str) for v in options):
        return ("unkeyed", id(data))  # _interview refuses these; never shared
    return (lang, as_of, data.get("quick") is True, options)


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
    spec = _spec_of(checklists, key.removesuffix(_PLAIN))
    try:
        value: object = (parse_count(answer) if kind == "count"
                         else parse_answer(spec, answer, as_of=as_of))
    except AnswerError as exc:
        return {"ok": False, "error": exc.text.get(lang)}
    if value is UNKNOWN:
        return {"ok": True, "unknown": True}
    shown = value.isoformat() if isinstance(value, dt.date) else value
    return {"ok": True, "unknown": False, "value": shown}
