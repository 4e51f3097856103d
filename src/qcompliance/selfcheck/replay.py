"""Run the interview from an answers file, no terminal: ``qcheck profile init --answers``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from qcompliance.errors import InputError, Problem, QComplianceError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import FactType, FactValue, Lang, Profile
from qcompliance.selfcheck.answers import UNKNOWN, AnswerError, Answers, parse_answer
from qcompliance.selfcheck.prompts import Prompt, Tell
from qcompliance.selfcheck.questions import Interview
from qcompliance.selfcheck.records import looks_like_records_file, read_records_file
from qcompliance.selfcheck.texts import say

__all__ = ["interview_from_answers"]


def interview_from_answers(checklists: ChecklistSet, answers: Answers, *,
                           profile: Profile | None = None, lang: Lang = "zh",
                           as_of: dt.date | None = None, tell: Tell | None = None,
                           quick: bool = False) -> Interview:
    """Run the interview with every answer taken from ``answers``; no terminal needed.

    Questions without an answer are left unknown. Answers to questions the interview did not
    ask (because the other answers made them not applicable) are kept too. ``answers`` may be
    a profile: its ``{ value, evidence, … }`` facts keep their evidence. A records fact may be
    answered with the name of a CSV or XLSX file (relative to the answers file). Raises
    :class:`InputError` listing every answer that does not fit its fact.
    """
    day = as_of or dt.date.today()
    interview = (Interview.resume(checklists, profile, lang=lang, as_of=day, quick=quick)
                 if profile else Interview(checklists, lang, day, quick=quick))
    interview.files = False  # file paths are resolved below, against the answers file
    problems: list[Problem] = []
    used: set[str] = set()
    before = set(interview.facts)
    values = dict(answers.values)

    def problem(key: str, message: str) -> None:
        problems.append(answers.doc.problem(answers.paths.get(key, ()), message))

    folder = Path(answers.doc.origin).parent
    for key, raw in answers.values.items():
        spec = checklists.facts[key]
        if spec.type is FactType.RECORDS and isinstance(raw, str) \
                and looks_like_records_file(raw):
            try:  # the records are in a CSV or XLSX file beside the answers file
                values[key] = list(read_records_file(folder / raw.strip(), spec, as_of=day,
                                                     lang=lang))
            except QComplianceError as exc:
                problems.extend(exc.problems)
                values[key] = "?"

    def ask(prompt: Prompt) -> object:
        fact_key = prompt.key.split("[", 1)[0]
        if prompt.attempt > 0:
            problem(fact_key, prompt.error or "")
            return "?"
        if prompt.kind == "field" or prompt.key not in values:
            return "?"
        used.add(prompt.key)
        return values[prompt.key]

    interview.run(ask)
    for key, raw in values.items():
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
    for key, extra in answers.provenance.items():
        if key in interview.facts and key not in before:
            interview.facts[key] = attrs.evolve(interview.facts[key], **extra)  # type: ignore[arg-type]
    return interview
