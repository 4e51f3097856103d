"""The work of one company: load its profile, evaluate it, keep only what the outputs need.

This module runs in worker processes (and on Dask workers), so what it takes and returns is
plain picklable data: a :class:`Job` (which checklists, which day) and :class:`Entry` values in,
:class:`Outcome` values out. The job's :class:`ChecklistSet` travels as its sources and digests
and is loaded once per worker process, so chunks after the first cost no loading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs
import orjson

from qcompliance.batch.caller import caller_of, without_caller
from qcompliance.batch.sources import Entry
from qcompliance.engine.evaluate import evaluate
from qcompliance.engine.obligations import checklist_obligations
from qcompliance.engine.scoring import FailOn
from qcompliance.engine.tailoring import Tailoring
from qcompliance.errors import Problem, QComplianceError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.document import Document, read_document
from qcompliance.loading.load import load_profile
from qcompliance.model import (
    Assessment,
    FactSpec,
    FactType,
    Profile,
    Waiver,
    WaiverProblem,
)
from qcompliance.reports.json import Detail, assessment_to_data

__all__ = [
    "Job",
    "Outcome",
    "cell_value",
    "evaluate_chunk",
    "evaluate_entry",
    "load_entry",
]


@attrs.frozen
class Job:
    """What every company of a batch is checked against; pickled with each chunk.

    The checklist set pickles as its sources and digests and is loaded once per worker process
    (see :mod:`qcompliance.loading.catalog`). ``skip_inapplicable`` leaves out the items of
    checklists that do not apply (what ``qcheck run`` does when no checklist is named);
    ``assessments`` asks for each assessment document in that form (compact or full).
    """

    checklists: ChecklistSet
    as_of: dt.date
    skip_inapplicable: bool = True
    fail_on: FailOn = FailOn.MANDATORY
    fail_on_unknown: bool = False
    assessments: Detail | None = None
    tailoring: Tailoring | None = None
    """Applied to every company, as ``qcheck run --tailoring`` applies it to one."""
    waivers: tuple[Waiver, ...] = ()
    waiver_problems: tuple[WaiverProblem, ...] = ()


@attrs.frozen
class Outcome:
    """What a batch keeps of one company: the summary row's data and, if asked, its assessment
    document. ``problem`` is set (and scores empty) when the company could not be loaded; the
    caller's ``external_id`` and ``metadata`` are kept either way."""

    index: int
    ident: str
    origin: str
    line: int | None
    external_id: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    name: str | None = None
    credit_code: str | None = None
    problem: Problem | None = None
    problem_count: int = 0
    score: float | None = None
    coverage: float | None = None
    by_level: Mapping[str, float | None] = attrs.field(factory=dict)
    by_checklist: Mapping[str, float | None] = attrs.field(factory=dict)
    failed: int = 0
    unknown: int = 0
    mandatory_failures: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    """Every failing obligation (any level), for the portfolio's most common gaps."""
    blocking: bool = False
    assessment: str | None = None
    legal_checklists: frozenset[str] = frozenset()
    """The checklists where a mandatory item was decided: elsewhere the score is of voluntary
    items only, and a portfolio does not colour it as compliance."""


_TRUE = frozenset({"true", "yes", "y", "t", "1", "是", "有", "✓", "√"})
_FALSE = frozenset({"false", "no", "n", "f", "0", "否", "无", "✗", "×"})
_LIST_SEPARATORS = (";", "；", "\n")
_EMPTY_LIST = frozenset({"-", "—", "无", "none"})


def cell_value(spec: FactSpec, raw: object) -> object:
    """A flat input's cell as a value of ``spec``'s type (ValueError saying why it is not).

    Cells are text in CSV and typed in XLSX: booleans accept true/false, yes/no, 1/0 and
    是/否; a list is split on ``;`` (or ``；``, or new lines), and ``-``, ``无`` or ``none``
    is the empty list (an empty cell is a fact not given); a whole number read as 68.0
    is 68. Anything else is passed on for the profile loader's own check.
    """
    if isinstance(raw, str):
        raw = raw.strip()
    match spec.type:
        case FactType.BOOL:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError(f"expected true or false (是/否), got '{raw}'")
        case FactType.INT:
            return _number(raw, whole=True)
        case FactType.NUMBER:
            return _number(raw, whole=False)
        case FactType.DATE:
            if isinstance(raw, dt.datetime):
                if raw.time() != dt.time(0):
                    raise ValueError(f"expected a date, got a date-time {raw.isoformat()}")
                return raw.date()
            return raw
        case FactType.LIST:
            if isinstance(raw, str) and raw.lower() in _EMPTY_LIST:
                return []
            text = str(raw)
            for sep in _LIST_SEPARATORS[1:]:
                text = text.replace(sep, _LIST_SEPARATORS[0])
            return [part.strip() for part in text.split(_LIST_SEPARATORS[0]) if part.strip()]
        case FactType.STRING | FactType.ENUM:
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            return raw if isinstance(raw, str) else str(raw)
    return raw


def _number(raw: object, *, whole: bool) -> int | float:
    if isinstance(raw, bool):
        raise ValueError(f"expected a number, got {raw!r}")
    if isinstance(raw, (int, float)):
        value: int | float = raw
    else:
        text = str(raw).replace(",", "").replace("，", "").strip()
        try:
            value = int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"expected a {'whole ' if whole else ''}number, got '{raw}'"
                                 ) from None
    if whole:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"expected a whole number, got {raw!r}")
        return int(value)
    return value


def _cells_mapping(entry: Entry, facts: Mapping[str, FactSpec]) -> dict[str, object]:
    """A flat row (and its records) as a profile mapping keyed by dotted fact key."""
    problems = []
    data: dict[str, object] = {}
    for key, raw in (entry.data or {}).items():
        try:
            data[key] = cell_value(facts[key], raw)
        except ValueError as exc:
            problems.append(Problem(str(exc), file=entry.origin, line=entry.line, key=key))
    for key, rows in entry.records.items():
        spec = facts[key]
        typed_rows = []
        for row in rows:
            typed = {}
            for field_key, raw in row.items():
                field = spec.field(field_key)
                assert field is not None  # checked when the companion was read
                try:
                    typed[field_key] = cell_value(field, raw)
                except ValueError as exc:
                    problems.append(Problem(str(exc), file=entry.origin, line=entry.line,
                                            key=f"{key}.{field_key}"))
            typed_rows.append(typed)
        data[key] = typed_rows
    if problems:
        raise _RowError(problems)
    return data


class _RowError(QComplianceError):
    """Cells of a flat row that are not values of their facts."""


def _opened(entry: Entry) -> tuple[Entry, Document | None]:
    """A profile file's entry read: its caller's members (``id``, ``external_id``,
    ``metadata``) moved onto the entry, its document without them; other entries as they
    are."""
    if entry.kind != "file" or entry.problem is not None:
        return entry, None
    document = read_document(entry.origin)
    caller, problem = caller_of(document.data, entry.origin, None)
    if problem is not None:  # pointed at its line in the file
        problem = document.problem((problem.key or "",), problem.message)
    entry = attrs.evolve(entry, ident=caller.ident or entry.ident, problem=problem,
                         external_id=caller.external_id, metadata=caller.metadata)
    return entry, attrs.evolve(document, data=without_caller(document.data))


def _profile(entry: Entry, document: Document | None, facts: Mapping[str, FactSpec]
             ) -> Profile:
    if entry.problem is not None:
        raise _RowError(entry.problem)
    if document is not None:
        return load_profile(document, facts)
    if entry.kind == "mapping":
        data = without_caller(entry.data or {})
    else:
        data = _cells_mapping(entry, facts)
    try:
        return load_profile(data, facts, name=entry.origin)
    except QComplianceError as exc:
        # A mapping has no lines of its own; the entry's line (or row) is where it is.
        raise _RowError([attrs.evolve(p, line=p.line or entry.line) for p in exc.problems]
                        ) from None


def load_entry(entry: Entry, facts: Mapping[str, FactSpec]) -> Profile:
    """The profile of ``entry`` (the caller's members left out); a QComplianceError whose
    problems name the file and the line (or row) when it does not load."""
    return _profile(*_opened(entry), facts)


def _outcome(entry: Entry, assessment: Assessment, job: Job) -> Outcome:
    failures: list[str] = []
    mandatory: list[str] = []
    blocking = False
    levels = job.fail_on.levels()
    legal: set[str] = set()
    for part in checklist_obligations(assessment):
        if part.mandatory_decided:
            legal.add(part.checklist)
        failures += part.failed
        mandatory += part.mandatory_failed
        # The rule of engine.scoring.blocking_results, on verdicts alone.
        if not levels.isdisjoint(part.failing_levels) or (
                job.fail_on_unknown and not levels.isdisjoint(part.unknown_levels)):
            blocking = True
    text = None
    if job.assessments is not None:
        if entry.external_id is not None or entry.metadata:
            assessment = attrs.evolve(assessment, external_id=entry.external_id,
                                      metadata=dict(entry.metadata))
        # One line each: the full form is pretty-printed by assessment_to_json, so dump it here.
        text = orjson.dumps(assessment_to_data(assessment, job.assessments, job.checklists)
                            ).decode()
    return Outcome(
        entry.index, entry.ident, entry.origin, entry.line, entry.external_id,
        dict(entry.metadata), name=assessment.profile_name,
        credit_code=assessment.profile_credit_code,
        score=assessment.overall.score, coverage=assessment.overall.coverage,
        by_level={k: s.score for k, s in assessment.scores_by_level.items()},
        by_checklist={k: s.score for k, s in assessment.scores_by_checklist.items()},
        failed=assessment.overall.failed, unknown=assessment.overall.unknown,
        mandatory_failures=tuple(mandatory), failures=tuple(failures),
        blocking=blocking,
        assessment=text, legal_checklists=frozenset(legal),
    )


def evaluate_entry(entry: Entry, job: Job, checklists: ChecklistSet) -> Outcome:
    """Load and evaluate one company; a company that does not load gives an error outcome."""
    try:
        entry, document = _opened(entry)
        profile = _profile(entry, document, checklists.facts)
    except QComplianceError as exc:
        return Outcome(entry.index, entry.ident, entry.origin, entry.line, entry.external_id,
                       dict(entry.metadata), problem=exc.first, problem_count=len(exc.problems))
    assessment = evaluate(profile, checklists, job.as_of,
                          skip_inapplicable=job.skip_inapplicable, tailoring=job.tailoring,
                          waivers=job.waivers, waiver_problems=job.waiver_problems)
    return _outcome(entry, assessment, job)


def evaluate_chunk(job: Job, entries: Sequence[Entry]) -> list[Outcome]:
    """Evaluate a chunk of entries (the unit of work sent to a worker)."""
    checklists = job.checklists
    return [evaluate_entry(entry, job, checklists) for entry in entries]
