"""What to ask: the interview's question selection, applicability pruning and prompts.

:class:`Interview` asks the gating questions first (:mod:`qcompliance.selfcheck.gates`: does
the company produce, sell, what, in which industry, to consumers, abroad, with which special
equipment), then the other company questions, then only what the selected checklists still
need. After every answer it runs the compiled ``applies`` and ``check`` conditions on the
answers so far: a checklist or item whose applicability is already false asks nothing, one
whose applicability hangs only on facts answered "don't know" asks nothing more, and a
condition that is already decided asks nothing more (a company that sells no consumer products
is never asked about consumer product recalls). ``quick`` asks whether mandatory items apply,
then the facts of the applicable ones, most serious first, within a budget
(:mod:`qcompliance.selfcheck.quick`); ``grouped`` puts independent yes/no questions of one
section on one screen (:meth:`Interview.screen`), for a front end that can show a table.

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

from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.region import derive_region
from qcompliance.model import FactSpec, FactType, FactValue, Lang, Level, Profile, Text
from qcompliance.rules.compiler import Context, Trace
from qcompliance.rules.conditions import fact_keys
from qcompliance.selfcheck.answers import UNKNOWN, AnswerError, parse_answer
from qcompliance.selfcheck.company import company_keys, company_wanted, derived_size
from qcompliance.selfcheck.gates import gate
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
from qcompliance.selfcheck.quick import (
    QUICK_QUESTIONS,
    couplings,
    dedupe,
    duty_coverage,
    in_force,
    screen_count,
    screen_keys,
    severity_rank,
)
from qcompliance.selfcheck.records import records_answer
from qcompliance.selfcheck.settled import RecordsBeingTyped, missing_keys
from qcompliance.selfcheck.texts import TEXTS, say

__all__ = ["Interview"]


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
    outcome hangs only on facts answered "don't know" asks nothing more. With ``quick``, what
    decides whether mandatory items apply is asked, then the facts of the applicable ones as
    far as :data:`~qcompliance.selfcheck.quick.QUICK_QUESTIONS` allows.

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
    """How many facts have been answered in this session."""
    quick: bool = False
    """Ask what decides whether mandatory items apply, then the facts of the applicable ones,
    most serious first, within the budget (``qcheck profile init --quick``)."""
    files: bool = True
    """Whether the answer to a records count may be the path of a CSV or XLSX file to import
    (see :func:`qcompliance.selfcheck.read_records_file`); a web front end that uploads rows
    sets it False and submits the rows (a list of mappings) instead."""
    grouped: bool = False
    """Whether independent yes/no facts of one section share a screen (:meth:`screen`), each
    screen counting as one question; a web front end sets it, the terminal asks one by one."""
    screens: int = 0
    """How many questions (screens) have been answered in this session."""
    _screen: tuple[str, ...] = attrs.field(default=(), init=False)
    _screen_left: set[str] = attrs.field(factory=set, init=False)
    _coupled: dict[str, frozenset[str]] | None = attrs.field(default=None, init=False)
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
        if "company.size" not in values and (size := derived_size(values)) is not None:
            values["company.size"] = size
        return values

    def _settled(self, traces: Iterable[Trace]) -> bool:
        """Whether an undecided condition can no longer be decided by asking: every fact it
        misses was already answered "don't know"."""
        unknown = set(self.unknown)
        return all(key in unknown for key in missing_keys(traces))

    def _open(self, values: Mapping[str, object]
              ) -> tuple[list[tuple[str, Text]], set[str], set[str], set[str],
                         list[tuple[str, Text]]]:
        """The facts to ask, in order, with their section; facts read by conditions that may
        still apply (live); facts read by any condition; the live facts that only conditions
        whose applicability is still open read (for the estimate of what is left); and, when
        ``quick``, the facts the applicable mandatory items still need, most serious first."""
        ctx = Context(values, self.as_of)
        order: list[tuple[str, Text]] = []
        duties: list[tuple[int, str, Text]] = []
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
                if out or not in_force(item, self.as_of):
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
                if self.quick:  # whether it applies first; how it is met within the budget
                    if not open_item:
                        rank = severity_rank(item.item.severity)
                        duties += [(rank, key, section) for key in missing_keys(item.check(ctx)[1])
                                   if key not in self.facts and key not in self._done]
                    continue
                live.update(fact_keys(check))
                if not open_item:
                    sure.update(fact_keys(check))
                conditions.append(item.check(ctx)[1])
            for found in conditions:
                order += [(key, section) for key in missing_keys(found)
                          if key not in self.facts and key not in self._done]
        duties.sort(key=lambda duty: duty[0])  # stable: catalogue order within a severity
        return order, live, read, sure, [(key, section) for _, key, section in duties]

    def _size_note(self, values: Mapping[str, object]) -> None:
        """Tell once that the size class was worked out from the answers."""
        derived = derived_size(values)
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
        order, live, read, sure, duties = self._open(values)
        size_given = "company.size" in self.facts
        company = [(key, TEXTS["section.company"]) for key in company_keys(self.checklists.facts)
                   if key not in self.facts and key not in self._done
                   and company_wanted(key, values, live, read, size_given=size_given,
                                      quick=self.quick)]
        self._size_note(values)
        planned = dedupe(company + order)
        known = set(self.facts) | self._done | set(values)
        # Facts behind a still-open applicability may or may not be asked: count three in four,
        # so that the estimate errs high and shrinks as answers come instead of growing.
        most = {k for k in live if k not in known and k in self.checklists.facts}
        least = {k for k in sure if k not in known and k in self.checklists.facts}
        asked_now = {k for k, _ in planned}
        most |= asked_now
        least |= {k for k, _ in company}
        facts, coupled = self.checklists.facts, self._couplings()
        screens = screen_count(planned, facts, coupled)
        ahead = max(0, (3 * len(most) + len(least) + 3) // 4 - (len(planned) - screens))
        if not self.quick:
            return planned, ahead
        left = QUICK_QUESTIONS - self._answered()
        duties = dedupe(duties)
        if planned:  # what decides applicability is always asked; the duties' facts then
            return planned, max(ahead, min(left, ahead + screen_count(duties, facts, coupled)))
        if left <= 0:  # the budget is spent: only the rest of the screen in hand
            return [d for d in duties if d[0] in self._screen_left], len(self._screen_left)
        return duties, min(left, screen_count(duties, facts, coupled))

    def _couplings(self) -> dict[str, frozenset[str]] | None:
        """Which facts may change whether another is asked (None when not ``grouped``)."""
        if self.grouped and self._coupled is None:
            self._coupled = couplings(self.checklists)
        return self._coupled if self.grouped else None

    def _answered(self) -> int:
        """Questions answered in this session: screens when ``grouped``, else facts."""
        return self.screens if self.grouped else self.asked

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
                    total: int | None = None, row: bool = False) -> Prompt:
        """The first prompt for fact ``key`` (or its plainer rewording, keeping ``total``);
        a ``row`` of the screen in hand is only shown, not yet asked."""
        spec = self.checklists.facts[key]
        kind: Literal["fact", "count"] = "count" if spec.type is FactType.RECORDS else "fact"
        number = self._answered() + 1
        if total is None:
            total = max(number, self._answered() + self._plan()[1])
        if not row:
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
        notes = () if row else tuple(self._notes)
        if not row:
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
                if self._screen_left:  # the rest of the screen in hand comes first
                    rest = [p for p in planned if p[0] in self._screen_left]
                    if not rest:  # nothing of it is needed any more
                        self._end_screen()
                    planned = rest + [p for p in planned if p[0] not in self._screen_left]
                if planned:
                    if not self._screen_left:
                        coupled = self._couplings()
                        self._screen = ((planned[0][0],) if coupled is None else
                                        screen_keys(planned, self.checklists.facts, coupled))
                        self._screen_left = set(self._screen)
                    done = self._answered()
                    self._prompt = self._prompt_for(*planned[0], total=max(done + 1, done + more))
        return self._prompt

    def _end_screen(self) -> None:
        self.screens += 1
        self._screen, self._screen_left = (), set()

    def screen(self) -> tuple[Prompt, ...]:
        """The questions shown together now: the current prompt alone, or, when ``grouped``
        and it belongs to a screen of several yes/no facts, a prompt for each fact of that
        screen in order (answered ones included). They are answered one by one with
        :meth:`submit`, in the order :meth:`current` gives them; the screen is one question."""
        prompt = self.current()
        if prompt is None:
            return ()
        if len(self._screen) < 2 or prompt.plain or prompt.key not in self._screen:
            return (prompt,)
        return tuple(prompt if key == prompt.key else
                     self._prompt_for(key, prompt.section, total=prompt.total, row=True)
                     for key in self._screen)

    def duty_coverage(self) -> tuple[int, int]:
        """How many applicable mandatory items the answers cover, and how many they leave to
        the full self-check (see :func:`qcompliance.selfcheck.quick.duty_coverage`)."""
        return duty_coverage(self.checklists, self.values(), self.as_of,
                             set(self.facts) | self._done)

    def _parse(self, prompt: Prompt, raw: object) -> object:
        if prompt.likely is not None and isinstance(raw, str) and not raw.strip():
            raw = prompt.likely
        if prompt.kind == "count":
            value, note = records_answer(prompt.spec, raw, as_of=self.as_of, lang=self.lang,
                                         files=self.files)
            self._notes.extend([note] if note else [])
            return value
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
        if key in self._screen_left:
            self._screen_left.discard(key)
            if not self._screen_left:
                self._end_screen()
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

