"""What to ask: the interview's question selection, applicability pruning and prompts.

:class:`Interview` asks the gating questions first (:mod:`qcompliance.selfcheck.gates`: does
the company produce, sell, what, in which industry, to consumers, abroad, with which special
equipment), then the other company questions, then only what the selected checklists still
need. After every answer it runs the compiled ``applies`` and ``check`` conditions on the
answers so far: a checklist or item whose applicability is already false asks nothing, one
whose applicability hangs only on facts answered "don't know" asks nothing more, and a
condition that is already decided asks nothing more (a company that sells no consumer products
is never asked about consumer product recalls). ``quick`` asks only whether mandatory items
apply.

No I/O here: a front end takes :meth:`Interview.current` (a :class:`Prompt` with its text and
its structured parts) and gives the answer to :meth:`Interview.submit`; or it calls
:meth:`Interview.run` with ``ask(prompt)`` and ``tell(text)`` callbacks, as the terminal does
(:mod:`qcompliance.cli.interview`). Nothing here imports a terminal or web library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs

from qcompliance.china.sizeclass import KEYS as SIZE_KEYS
from qcompliance.china.sizeclass import THRESHOLDS, derive_size, size_sector
from qcompliance.errors import QComplianceError
from qcompliance.loading.catalog import ChecklistSet, CompiledItem
from qcompliance.loading.region import REGION_KEYS, derive_region
from qcompliance.model import FactSpec, FactType, FactValue, Lang, Level, Profile, Text
from qcompliance.rules.compiler import Context, Trace
from qcompliance.rules.conditions import fact_keys
from qcompliance.selfcheck.answers import UNKNOWN, AnswerError, parse_answer, parse_count
from qcompliance.selfcheck.gates import GATES, gate
from qcompliance.selfcheck.profile_toml import render_profile, update_profile
from qcompliance.selfcheck.prompts import (
    Ask,
    Prompt,
    Tell,
    input_hint,
    likely_text,
    plain_help,
    plain_text,
    question_text,
    shown_answer,
)
from qcompliance.selfcheck.records import looks_like_records_file, read_records_file
from qcompliance.selfcheck.settled import RecordsBeingTyped, missing_keys
from qcompliance.selfcheck.texts import TEXTS, say

__all__ = ["Interview"]


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

    Two ways to drive it, both front-end neutral:

    * step by step, for a form or any event loop: :meth:`current` gives the question to answer
      now (a :class:`Prompt`, or None when the interview is over), :meth:`submit` answers it and
      returns None when the answer was accepted or the :class:`AnswerError` saying why not (the
      same question then comes again from :meth:`current`, with ``attempt`` and ``error`` set);
    * all at once with :meth:`run`, which calls ``ask(prompt)`` for every answer.

    Gating questions (:data:`qcompliance.selfcheck.gates.GATES`) come first. A "don't know" on
    one of them asks it again in plainer words, offering the likely answer; a condition whose
    outcome hangs only on facts answered "don't know" asks nothing more. With ``quick``, only
    what decides whether mandatory items apply is asked.

    Mutable on purpose: it accumulates answers as they come, so that whatever was answered
    before an interruption (Ctrl-C, end of input) can still be written out. Not thread-safe:
    one interview per person; the :class:`ChecklistSet` it reads may be shared.
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
    quick: bool = False
    """Ask only what decides whether mandatory items apply (``qcheck profile init --quick``)."""
    files: bool = True
    """Whether the answer to a records count may be the path of a CSV or XLSX file to import
    (see :func:`qcompliance.selfcheck.read_records_file`); a web front end that uploads rows
    sets it False and submits the rows (a list of mappings) instead."""
    _done: set[str] = attrs.field(factory=set, init=False)
    _section: str | None = attrs.field(default=None, init=False)
    _size_told: bool = attrs.field(default=False, init=False)
    _notes: list[str] = attrs.field(factory=list, init=False)
    _prompt: Prompt | None = attrs.field(default=None, init=False)
    _records: RecordsBeingTyped | None = attrs.field(default=None, init=False)

    @classmethod
    def resume(cls, checklists: ChecklistSet, profile: Profile, *, lang: Lang = "zh",
               as_of: dt.date | None = None, quick: bool = False) -> Interview:
        """An interview that asks only what ``profile`` does not give yet."""
        given = {k: v for k, v in profile.facts.items() if not v.derived_from}
        return cls(checklists, lang, as_of or dt.date.today(), given, quick=quick)

    def values(self) -> dict[str, object]:
        """Fact values as conditions read them, with the size class derived when settled."""
        values = {key: fact.value for key, fact in self.facts.items()}
        values.update((k, f.value) for k, f in derive_region(self.facts,
                                                             self.checklists.facts).items())
        if "company.size" not in values and (size := _derived_size(values)) is not None:
            values["company.size"] = size
        return values

    def _settled(self, traces: Iterable[Trace]) -> bool:
        """Whether an undecided condition can no longer be decided by asking: every fact it
        misses was already answered "don't know"."""
        unknown = set(self.unknown)
        return all(key in unknown for key in missing_keys(traces))

    def _open(self, values: Mapping[str, object]
              ) -> tuple[list[tuple[str, Text]], set[str], set[str], set[str]]:
        """The facts to ask, in order, with their section; facts read by conditions that may
        still apply (live); facts read by any condition; and the live facts that only
        conditions whose applicability is still open read (for the estimate of what is left)."""
        ctx = Context(values, self.as_of)
        order: list[tuple[str, Text]] = []
        live: set[str] = set()
        read: set[str] = set()
        sure: set[str] = set()
        for compiled in self.checklists.compiled:
            checklist = compiled.checklist
            section = checklist.title  # a heading people read: the title, never the id
            conditions: list[Sequence[Trace]] = []
            out = False
            open_checklist = False
            if checklist.applies is not None and compiled.applies is not None:
                keys = fact_keys(checklist.applies)
                read.update(keys)
                outcome, traces = compiled.applies(ctx)
                out = outcome is False or (outcome is None and self._settled(traces))
                if not out:
                    live.update(keys)
                    sure.update(keys)
                    conditions.append(traces)
                    open_checklist = outcome is None
            for item in compiled.items:
                applies, check = item.item.applies, item.item.check
                read.update(fact_keys(check))
                if applies is not None:
                    read.update(fact_keys(applies))
                if out or not _in_force(item, self.as_of):
                    continue
                if self.quick and item.item.level is not Level.MANDATORY:
                    continue
                open_item = open_checklist
                if applies is not None and item.applies is not None:
                    outcome, traces = item.applies(ctx)
                    if outcome is False or (outcome is None and self._settled(traces)):
                        continue
                    live.update(fact_keys(applies))
                    if not open_checklist:
                        sure.update(fact_keys(applies))
                    conditions.append(traces)
                    open_item = open_item or outcome is None
                    if self.quick:  # quick: whether it applies, not whether it is met
                        continue
                elif self.quick:
                    continue
                live.update(fact_keys(check))
                if not open_item:
                    sure.update(fact_keys(check))
                conditions.append(item.check(ctx)[1])
            for found in conditions:
                order += [(key, section) for key in missing_keys(found)
                          if key not in self.facts and key not in self._done]
        return order, live, read, sure

    def _company_keys(self) -> list[str]:
        """Company facts in asking order: the name (who is being asked about), the gating
        questions, then the rest as declared."""
        declared = [k for k in self.checklists.facts if k.startswith("company.")]
        first = [k for k in ("company.name", *(g.key for g in GATES)) if k in declared]
        keys = first + [k for k in declared if k not in first]
        if "company.size" in keys:  # right after the last of its inputs
            keys.remove("company.size")
            after = [keys.index(k) for k in SIZE_KEYS.values() if k in keys]
            keys.insert(max(after) + 1 if after else len(keys), "company.size")
        if "company.industry" in keys:  # the size class's other inputs follow the industry
            for key in ("company.industry_detail", *SIZE_KEYS.values(), "company.size"):
                if key in keys and keys.index(key) < keys.index("company.industry"):
                    keys.remove(key)
                    keys.insert(keys.index("company.industry") + 1, key)
        return keys

    def _company_wanted(self, key: str, values: Mapping[str, object], live: set[str],
                        read: set[str]) -> bool:
        """Whether to ask company fact ``key`` now.

        A company fact is asked when a condition that may still apply reads it, or when no
        condition reads it (the company's name and code; only the name when ``quick``). The
        inputs of the size class are asked only as far as the class needs them, and the class
        only when they do not settle it.
        """
        if key in REGION_KEYS and key in values:  # read from the credit code
            return False
        if key == "company.size":
            return _derived_size(values) is None and (key in live or key not in read)
        section = values.get("company.industry")
        detail = values.get("company.industry_detail")
        sector = size_sector(section if isinstance(section, str) else None,
                             detail if isinstance(detail, str) else None)
        # The size class shows in reports, so it is settled even when no condition reads it,
        # except in a quick interview.
        size_open = "company.size" not in self.facts and (
            not self.quick or "company.size" in live)
        if key == "company.industry_detail":
            by_section = size_sector(section if isinstance(section, str) else None, None)
            return key in live or (size_open and by_section is None)
        if key in SIZE_KEYS.values():
            letter = next(n for n, k in SIZE_KEYS.items() if k == key)
            needed = sector is None or letter in THRESHOLDS[sector]
            return key in live or (size_open and needed)
        # Facts no condition reads (name, credit code) are asked for the report's header; a
        # quick interview asks only the name.
        return key in live or (key not in read and (not self.quick or key == "company.name"))

    def _size_note(self, values: Mapping[str, object]) -> None:
        """Tell once that the size class was worked out from the answers."""
        derived = _derived_size(values)
        if derived is None or self._size_told or "company.size" in self.facts:
            return
        if "company.size" not in self.checklists.facts:
            return
        self._size_told = True
        label = (self.checklists.facts["company.size"].value_labels or {}).get(derived)
        shown = label.get(self.lang) if label is not None else derived
        self._notes.append(say("size_derived", self.lang, size=shown))

    def _plan(self) -> tuple[list[tuple[str, Text]], int]:
        """The questions to ask now, in order, and about how many may still come."""
        values = self.values()
        order, live, read, sure = self._open(values)
        company = [(key, TEXTS["section.company"]) for key in self._company_keys()
                   if key not in self.facts and key not in self._done
                   and self._company_wanted(key, values, live, read)]
        self._size_note(values)
        planned = company + order
        known = set(self.facts) | self._done | set(values)
        # Facts behind a still-open applicability may or may not be asked: count three in four,
        # so that the estimate errs high and shrinks as answers come instead of growing.
        most = {k for k in live if k not in known and k in self.checklists.facts}
        least = {k for k in sure if k not in known and k in self.checklists.facts}
        asked_now = {k for k, _ in planned}
        most |= asked_now
        least |= {k for k, _ in company}
        return planned, (3 * len(most) + len(least) + 3) // 4

    def next_question(self, tell: Tell | None = None) -> tuple[str, Text] | None:
        """The next fact to ask and the heading of its section, or None when all is asked.

        Lines to show before it (a size class worked out) go to ``tell`` when given, else they
        come with the next :class:`Prompt` (``notes``).
        """
        planned, _ = self._plan()
        if tell is not None:
            for note in self._notes:
                tell(note)
            self._notes.clear()
        return planned[0] if planned else None

    def _prompt_for(self, key: str, section: Text | None, *, plain: bool = False,
                    total: int | None = None) -> Prompt:
        """The first prompt for fact ``key`` (or its plainer rewording, keeping ``total``)."""
        spec = self.checklists.facts[key]
        kind: Literal["fact", "count"] = "count" if spec.type is FactType.RECORDS else "fact"
        number = self.asked + 1
        if total is None:
            total = max(number, self.asked + self._plan()[1])
        self._done.add(key)
        label = f"{say('label', self.lang, n=number, total=total)} ({key})"
        likely = None
        question = None
        if plain:
            found = gate(key)
            question = found.plain.get(self.lang) if found else None
            guessed = found.likely(self.values()) if found else None
            likely = likely_text(spec, guessed, self.lang)
        # The plain wording of a yes/no question stands alone; for choices the declared help
        # stays, as it says what each value means.
        alone = question is not None and spec.type is FactType.BOOL
        shown_spec = attrs.evolve(spec, help=None) if alone else spec
        text = question_text(shown_spec, self.lang, label, kind, question)
        if plain:
            text = f"{say('plain', self.lang)}\n{text}"
        if likely is not None:
            shown = shown_answer(spec, likely, self.lang)
            text += "\n    " + say("likely", self.lang, answer=shown)
        notes = tuple(self._notes)
        self._notes.clear()
        return Prompt(key, spec, kind, text, input_hint(spec, self.lang, kind), number=number,
                      total=total, section=section, notes=notes, likely=likely, plain=plain,
                      question=plain_text(question or spec.question.get(self.lang), spec,
                                          self.lang),
                      help=plain_help(shown_spec, self.lang, self.checklists.facts))

    def _field_prompt(self, records: RecordsBeingTyped) -> Prompt:
        spec: FactSpec = records.spec.fields[records.field]  # type: ignore[index]
        i = len(records.done)
        notes = (say("record", self.lang, i=i + 1, n=records.count),) if records.field == 0 else ()
        return Prompt(f"{records.key}[{i}].{spec.key}", spec, "field",
                      question_text(spec, self.lang, f"  ({spec.key})", "field"),
                      input_hint(spec, self.lang, "field"), number=records.number,
                      total=records.total, section=records.section, notes=notes,
                      record=(i + 1, records.count),
                      question=plain_text(spec.question.get(self.lang), spec, self.lang),
                      help=plain_help(spec, self.lang, self.checklists.facts))

    def current(self) -> Prompt | None:
        """The question to answer now, or None when the interview is over.

        The same prompt comes back until :meth:`submit` accepts an answer to it.
        """
        if self._prompt is None:
            if self._records is not None:
                self._prompt = self._field_prompt(self._records)
            else:
                planned, more = self._plan()
                if planned:
                    self._prompt = self._prompt_for(*planned[0],
                                                    total=max(self.asked + 1, self.asked + more))
        return self._prompt

    def _parse(self, prompt: Prompt, raw: object) -> object:
        if prompt.likely is not None and isinstance(raw, str) and not raw.strip():
            raw = prompt.likely
        if prompt.kind == "count":
            if isinstance(raw, (list, tuple)):
                return parse_answer(prompt.spec, raw, as_of=self.as_of)
            text = raw.strip() if isinstance(raw, str) else raw
            if isinstance(text, str) and self.files and looks_like_records_file(text):
                try:
                    records = read_records_file(text, prompt.spec, as_of=self.as_of,
                                                lang=self.lang)
                except QComplianceError as exc:
                    raise AnswerError(Text(str(exc), str(exc))) from None
                self._notes.append(say("records.imported", self.lang, n=len(records),
                                       path=text.strip("'\"")))
                return records
            if isinstance(text, int) and not isinstance(text, bool):
                text = str(text)
            if isinstance(text, str):
                return parse_count(text)
            return parse_answer(prompt.spec, raw, as_of=self.as_of)
        return parse_answer(prompt.spec, raw, as_of=self.as_of)

    def submit(self, raw: object) -> AnswerError | None:
        """Answer the current question with ``raw``: the text typed, or a plain value (a list
        of mappings for a records count). None when accepted (then :meth:`current` gives the
        next question); otherwise the error, and the question stays, with ``error`` set.

        Raises :class:`ValueError` when the interview is over.
        """
        prompt = self.current()
        if prompt is None:
            raise ValueError("the interview is over: there is no question to answer")
        try:
            value = self._parse(prompt, raw)
        except AnswerError as exc:
            self._prompt = attrs.evolve(prompt, attempt=prompt.attempt + 1,
                                        error=exc.text.get(self.lang))
            return exc
        self._prompt = None
        self._accept(prompt, value)
        return None

    def _store(self, key: str, value: object) -> None:
        self.asked += 1
        if value is UNKNOWN:
            self.unknown.append(key)
        else:
            self.facts[key] = FactValue(value)

    def _accept(self, prompt: Prompt, value: object) -> None:
        if prompt.kind == "field":
            records = self._records
            assert records is not None
            field = records.spec.fields[records.field]  # type: ignore[index]
            if value is not UNKNOWN:
                records.current[field.key] = value
            records.field += 1
            if records.field == len(records.spec.fields or ()):
                records.done.append(records.current)
                records.current, records.field = {}, 0
            if len(records.done) == records.count:
                self._records = None
                self._store(records.key, tuple(records.done))
            else:
                self._prompt = self._field_prompt(records)
            return
        if value is UNKNOWN and not prompt.plain and gate(prompt.key) is not None:
            self._prompt = self._prompt_for(prompt.key, prompt.section, plain=True,
                                            total=prompt.total)
            return
        if isinstance(value, int) and not isinstance(value, bool) and prompt.kind == "count":
            if value == 0:
                self._store(prompt.key, ())
            else:
                self._records = RecordsBeingTyped(prompt.key, prompt.spec, value, prompt.section,
                                         prompt.number, prompt.total)
                self._prompt = self._field_prompt(self._records)
            return
        self._store(prompt.key, value)

    def ask_fact(self, key: str, ask: Ask, tell: Tell | None = None) -> None:
        """Ask for fact ``key`` until it is answered, calling ``ask(prompt)`` for each answer:
        for a records fact their number, then each field; for a gating question answered
        "don't know", once more in plainer words.

        For front ends that choose the key with :meth:`next_question`; :meth:`current` and
        :meth:`submit` do both steps.
        """
        self._prompt = self._prompt_for(key, None)
        while (prompt := self._prompt) is not None and prompt.key.split("[", 1)[0] == key:
            if tell is not None and prompt.attempt == 0:
                for note in prompt.notes:
                    tell(note)
            self.submit(ask(prompt))

    def run(self, ask: Ask, tell: Tell | None = None) -> None:
        """Ask every question still needed, in order, until none is left.

        ``ask(prompt)`` returns the answer; ``tell(line)`` shows section headings and notes.
        """
        while (prompt := self.current()) is not None:
            if tell is not None:
                heading = prompt.section.get(self.lang) if prompt.section else None
                if prompt.attempt == 0 and heading is not None and heading != self._section:
                    tell(f"\n── {heading} ──")
                    self._section = heading
                if prompt.attempt == 0:
                    for note in prompt.notes:
                        tell(note)
            self.submit(ask(prompt))
        if tell is not None:
            for note in self._notes:
                tell(note)
        self._notes.clear()

    def profile_text(self, original: str | None = None) -> str:
        """The profile as commented TOML (see :func:`render_profile`).

        With ``original`` (the text of the profile being resumed), that text with the new
        answers added, its comments and order kept (see :func:`update_profile`).
        """
        unknown = [k for k in self.unknown if k not in self.facts]
        if original is not None:
            try:
                return update_profile(original, self.facts, self.checklists.facts,
                                      lang=self.lang, unknown=unknown)
            except ValueError:  # not TOML after all (a JSON profile): write it afresh
                pass
        return render_profile(self.facts, self.checklists.facts, lang=self.lang,
                              unknown=unknown)

