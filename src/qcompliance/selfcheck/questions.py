"""What to ask: the interview's question selection, applicability pruning and prompts.

:class:`Interview` asks the company questions of the facts dictionary first, then only what the
selected checklists still need. After every answer it runs the compiled ``applies`` and
``check`` conditions on the answers so far: a checklist or item whose applicability is already
false asks nothing, and a condition that is already decided asks nothing more (a company that
sells no consumer products is never asked about consumer product recalls).

I/O is injected: the interview calls ``ask(prompt)`` for every answer and ``tell(text)`` for
everything else, so tests drive it with plain functions, the CLI with the terminal
(:mod:`qcompliance.cli.interview`) and any other front end (a web form) with its own. Nothing
here imports a terminal or web library.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Literal

import attrs

from qcompliance.china.sizeclass import KEYS as SIZE_KEYS
from qcompliance.china.sizeclass import THRESHOLDS, derive_size, size_sector
from qcompliance.errors import InputError, Problem
from qcompliance.loading.catalog import ChecklistSet, CompiledItem
from qcompliance.model import FactSpec, FactType, FactValue, Lang, Profile, Text
from qcompliance.rules.compiler import Context, Trace
from qcompliance.rules.conditions import Leaf, fact_keys
from qcompliance.selfcheck.answers import UNKNOWN, AnswerError, Answers, parse_answer, parse_count
from qcompliance.selfcheck.profile_toml import render_profile
from qcompliance.selfcheck.texts import TEXTS, say

__all__ = [
    "Ask",
    "Interview",
    "Prompt",
    "Tell",
    "interview_from_answers",
]


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
        lines.append("    " + say("unit", lang, unit=spec.unit.get(lang)))
    if kind == "count":
        lines.append("    " + say("records", lang))
    elif spec.values and spec.type in (FactType.ENUM, FactType.LIST):
        lines.append("    " + say("choices", lang))
        lines += _choice_lines(spec, lang)
    return "\n".join(lines)


def _hint(spec: FactSpec, lang: Lang, kind: str) -> str:
    name = "hint.count" if kind == "count" else f"hint.{spec.type.value}"
    sep = "，" if lang == "zh" else ", "
    return f"{say(name, lang)}{sep}{say('hint.unknown', lang)} > "


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
                tell(say("size_derived", self.lang, size=shown))
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
                return key, TEXTS["section.company"]
        ctx = Context(values, self.as_of)
        for compiled in self.checklists.compiled:
            checklist = compiled.checklist
            section = Text(TEXTS["section"].zh.format(title=checklist.title.zh, id=checklist.id),
                           TEXTS["section"].en.format(title=checklist.title.en, id=checklist.id))
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
            def read_count(raw: object) -> object:
                if isinstance(raw, str):
                    return parse_count(raw)
                if isinstance(raw, int) and not isinstance(raw, bool):
                    return parse_count(str(raw))
                return parse_answer(spec, raw, as_of=self.as_of)

            answer = self._ask(ask, key, spec, "count", label, read_count)
            if isinstance(answer, int):
                records = []
                for i in range(answer):
                    if tell is not None:
                        tell(say("record", self.lang, i=i + 1, n=answer))
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
                tell(say("answers.kept", lang, key=key))
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
