"""What every gap report shows, decided once: pure functions on an Assessment.

The writers (markdown, html, pdf, csv, xlsx, junit, ics, oscal) all take their order and their
numbers from here, so the gap list, the priorities with their due dates, the upcoming deadlines
and the facts to collect read the same in every format. Nothing here re-evaluates a condition;
it only reads the results an evaluation produced. The shared wording lives in
:mod:`qcompliance.reports.texts` and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from qcompliance.engine.due import DueConfig, GapDue, gap_due
from qcompliance.engine.scoring import score
from qcompliance.i18n import form_text, percent
from qcompliance.model import (
    Assessment,
    ItemKind,
    Lang,
    Level,
    Question,
    Result,
    Score,
    Severity,
    Text,
    Verdict,
    Waiver,
)
from qcompliance.reports.texts import (
    SIZE_FACT,
    allowed_values,
    as_date,
    change_values,
    citation_text,
    colon,
    fact_evidence,
    fact_text,
    file_name,
    item_list,
    joined,
    level_name,
    points,
    size_class_text,
    tr,
    verdict_text,
)

__all__ = [
    "DEADLINE_DAYS",
    "LEVEL_ORDER",
    "SEVERITY_ORDER",
    "SIZE_FACT",
    "Deadline",
    "FixFirst",
    "MappingRow",
    "RankedGap",
    "SplitScore",
    "WaiverRow",
    "allowed_values",
    "as_date",
    "change_values",
    "citation_text",
    "colon",
    "fact_evidence",
    "fact_text",
    "facts_to_collect",
    "file_name",
    "fix_first",
    "gap_list",
    "item_list",
    "joined",
    "level_name",
    "opportunities",
    "points",
    "ranked_gaps",
    "size_class_text",
    "split_score",
    "standard_mappings",
    "summary_text",
    "tr",
    "upcoming_deadlines",
    "verdict_text",
    "waivers",
]

DEADLINE_DAYS = 90
"""How far after ``as_of`` a date counts as an upcoming deadline."""

SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}
"""Most severe first."""

LEVEL_ORDER = {Level.MANDATORY: 0, Level.ENCOURAGED: 1, Level.RECOMMENDED: 2}
"""Most binding first."""


def _rank(result: Result) -> tuple[bool, int, int]:
    return (result.level is not Level.MANDATORY, SEVERITY_ORDER[result.severity],
            LEVEL_ORDER[result.level])


def gap_list(assessment: Assessment) -> tuple[Result, ...]:
    """The failing obligations: mandatory ones first, then by severity, then by level.

    Ties keep the order of the assessment (checklist order, then item order). Waived items are
    not gaps (they are listed with the waivers); an item whose waiver expired fails and is one.
    """
    fails = [r for r in assessment.results
             if r.kind is ItemKind.OBLIGATION and r.verdict is Verdict.FAIL]
    return tuple(sorted(fails, key=_rank))


@attrs.frozen
class RankedGap:
    """A gap, by when it must be closed, and how much fixing it would raise the score of its
    level."""

    result: Result
    gain: float
    """The rise of the score of the item's level (mandatory, encouraged, recommended), as a
    share, if this item passed: its severity weight over the level's decided weight."""
    due: GapDue
    """When it must be closed: the law's own deadline, else the window of its severity."""


def ranked_gaps(assessment: Assessment, config: DueConfig | None = None
                ) -> tuple[RankedGap, ...]:
    """Every gap in priority order: by level (mandatory first), severity, due date, then the
    score gained if fixed (largest first); remaining ties keep the gap-list order. This is the
    order of the priorities, the remediation plan and the calendar."""
    out = []
    for result in gap_list(assessment):
        level = assessment.scores_by_level.get(result.level.value)
        total = level.weight_decided if level is not None else 0
        out.append(RankedGap(result, result.severity.weight / total if total else 0.0,
                             gap_due(result, assessment.as_of, config)))
    return tuple(sorted(out, key=lambda g: (LEVEL_ORDER[g.result.level],
                                            SEVERITY_ORDER[g.result.severity],
                                            g.due.date, -g.gain)))


@attrs.frozen
class FixFirst:
    """A failing mandatory item, its due date and how much fixing it would raise the
    mandatory score."""

    result: Result
    weight: int
    """The item's severity weight."""
    total: int
    """The weight of every decided mandatory item (the score's denominator)."""
    due: GapDue
    """When it must be closed."""

    @property
    def gain(self) -> float:
        """The rise of the mandatory score, as a share, if this item passed."""
        return self.weight / self.total


def fix_first(assessment: Assessment, config: DueConfig | None = None
              ) -> tuple[FixFirst, ...]:
    """Failing mandatory items in priority order (as :func:`ranked_gaps`): severity, then due
    date, then the rise of the mandatory score (``weight / weight_decided``)."""
    mandatory = assessment.scores_by_level.get(Level.MANDATORY.value)
    if mandatory is None or not mandatory.weight_decided:
        return ()
    total = mandatory.weight_decided
    return tuple(FixFirst(g.result, g.result.severity.weight, total, g.due)
                 for g in ranked_gaps(assessment, config)
                 if g.result.level is Level.MANDATORY)


@attrs.frozen
class SplitScore:
    """A checklist's score with legal duties and the rest apart: an encouraged item that fails
    must not show as a bare 0.0% beside the legal scores."""

    legal: Score
    """Mandatory items only."""
    other: Score
    """Encouraged and recommended items."""


def split_score(assessment: Assessment, checklist: str) -> SplitScore:
    """The legal and non-legal scores of one checklist, from its results."""
    results = [r for r in assessment.results if r.checklist == checklist]
    return SplitScore(score(r for r in results if r.level is Level.MANDATORY),
                      score(r for r in results if r.level is not Level.MANDATORY))


@attrs.frozen
class Deadline:
    """A date that falls due soon: a fact's date (an expiry), a duty's or a waiver's."""

    date: dt.date
    days_left: int
    kind: Literal["fact", "valid_until", "waiver", "due"]
    """``fact``: the fact's value is the date; ``valid_until``: the profile says the fact's
    value holds until then; ``waiver``: a waiver expires; ``due``: an item's duty falls due
    (e.g. the last day to apply for a renewal), so the item passes until then."""
    key: str
    """The fact key, or for a waiver the item it covers."""
    items: tuple[str, ...]
    """The items that read the fact (for a waiver: the item)."""
    titles: tuple[Text, ...]
    """The titles of those items, in the same order."""

    def named_items(self, lang: Lang) -> tuple[tuple[str, str], ...]:
        """Each item's id with its title in ``lang``."""
        return tuple(zip(self.items, (t.get(lang) for t in self.titles), strict=True))


def upcoming_deadlines(assessment: Assessment, days: int = DEADLINE_DAYS
                       ) -> tuple[Deadline, ...]:
    """Dates later than ``as_of`` and at most ``days`` after it, soonest first.

    They come from the facts the results read whose value is a date (certificates and
    designations that expire) or whose profile entry has a ``valid_until`` in that window, one
    entry per fact with every item that read it, and from the waivers that expire then.
    """
    as_of = assessment.as_of
    last = as_of + dt.timedelta(days=days)
    found: dict[tuple[Literal["fact", "valid_until", "waiver", "due"], str],
                tuple[dt.date, dict[str, Text]]] = {}
    for result in assessment.results:
        for read in result.facts:
            dates: tuple[tuple[Literal["fact", "valid_until"], dt.date | None], ...] = (
                ("fact", as_date(read.value) if read.status != "missing" else None),
                ("valid_until", read.valid_until),
            )
            for kind, day in dates:
                if day is not None and as_of < day <= last:
                    entry = found.setdefault((kind, read.key), (day, {}))
                    entry[1][result.item] = result.title
        if result.due is not None and as_of <= result.due <= last:
            found[("due", result.item)] = (result.due, {result.item: result.title})
        waiver = result.waiver
        if waiver is not None and as_of < waiver.expires <= last:
            found[("waiver", result.item)] = (waiver.expires, {result.item: result.title})
    out = [
        Deadline(day, (day - as_of).days, kind, key, tuple(items), tuple(items.values()))
        for (kind, key), (day, items) in found.items()
    ]
    return tuple(sorted(out, key=lambda d: (d.date, d.kind, d.key)))


def question_text(question: Question, lang: Lang) -> str:
    """The question of a fact to collect as a report shows it: without the terminal's
    answering conventions ("填空列表 []", "填 true")."""
    return form_text(question.question.get(lang), records=question.type == "records", lang=lang)


def facts_to_collect(assessment: Assessment) -> tuple[Question, ...]:
    """The missing facts, those blocking the most binding and severe items first, then those
    that unblock the most items."""
    by_item = {r.item: r for r in assessment.results}

    def rank(question: Question) -> tuple[int, int, int]:
        waiting = [by_item[i] for i in question.items if i in by_item]
        if not waiting:
            return (len(LEVEL_ORDER), len(SEVERITY_ORDER), 0)
        level, severity = min((LEVEL_ORDER[r.level], SEVERITY_ORDER[r.severity])
                              for r in waiting)
        return (level, severity, -len(waiting))  # then the fact that unblocks most items

    return tuple(sorted(assessment.facts_to_collect, key=rank))


def opportunities(assessment: Assessment) -> tuple[Result, ...]:
    """The opportunities that apply: those the company may qualify for first, then unknown ones,
    then those it does not qualify for yet."""
    order = {Verdict.PASS: 0, Verdict.UNKNOWN: 1, Verdict.FAIL: 2, Verdict.WAIVED: 3}
    found = [r for r in assessment.results
             if r.kind is ItemKind.OPPORTUNITY and r.verdict is not Verdict.NOT_APPLICABLE]
    return tuple(sorted(found, key=lambda r: order[r.verdict]))


@attrs.frozen
class WaiverRow:
    """A waiver on an item and whether it still covers it."""

    result: Result
    waiver: Waiver
    status: Literal["current", "expired", "unnecessary"]


def waivers(assessment: Assessment) -> tuple[WaiverRow, ...]:
    """Every waiver the assessment applied, with its status; expired ones are flagged."""
    out = []
    for result in assessment.results:
        waiver = result.waiver
        if waiver is None:
            continue
        status: Literal["current", "expired", "unnecessary"]
        if result.verdict is Verdict.WAIVED:
            status = "current"
        elif waiver.expires < assessment.as_of:
            status = "expired"
        else:
            status = "unnecessary"
        out.append(WaiverRow(result, waiver, status))
    return tuple(out)


@attrs.frozen
class MappingRow:
    """Items that correspond to one clause of a management-system standard."""

    standard: str
    clause: str
    items: tuple[tuple[Result, str], ...]
    """Each applicable item with its relation to the clause (equal, subset, superset, …)."""


def _clause_key(clause: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in clause.split("."))


def standard_mappings(assessment: Assessment) -> tuple[MappingRow, ...]:
    """Clause by clause, the applicable items that correspond to GB/T 19001 (or another
    standard): what a certified company's management-system evidence may also serve."""
    rows: dict[tuple[str, str], list[tuple[Result, str]]] = {}
    for result in assessment.results:
        if result.verdict is Verdict.NOT_APPLICABLE:
            continue
        for mapping in result.mappings:
            rows.setdefault((mapping.standard, mapping.clause), []).append(
                (result, mapping.relation))
    return tuple(MappingRow(standard, clause, tuple(items)) for (standard, clause), items
                 in sorted(rows.items(), key=lambda kv: (kv[0][0], _clause_key(kv[0][1]))))


def summary_text(assessment: Assessment, lang: Lang) -> str:
    """The executive summary in one paragraph: scores beside coverage, and what to do."""
    gaps = gap_list(assessment)
    mandatory = assessment.scores_by_level.get(Level.MANDATORY.value)
    empty = Score(None, None, 0, 0, 0, 0, 0, 0, 0)
    m = mandatory or empty
    return tr(
        "report.summary_text", lang,
        score=percent(assessment.overall.score), coverage=percent(assessment.overall.coverage),
        m_score=percent(m.score), m_coverage=percent(m.coverage),
        gaps=len(gaps), m_gaps=sum(r.level is Level.MANDATORY for r in gaps),
        facts=len(assessment.facts_to_collect),
        opportunities=sum(r.verdict is Verdict.PASS for r in opportunities(assessment)),
        deadlines=len(upcoming_deadlines(assessment)), days=DEADLINE_DAYS,
    )
