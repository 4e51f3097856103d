"""What every gap report shows, decided once: pure functions on an Assessment.

The writers (markdown, html, csv, xlsx, junit, ics, oscal) all take their order and their
numbers from here, so the gap list, the fix-first ranking, the upcoming deadlines and the facts
to collect read the same in every format. Nothing here re-evaluates a condition; it only reads
the results an evaluation produced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs

from qcompliance.engine.scoring import score
from qcompliance.i18n import LEVEL, OPPORTUNITY_VERDICT, SEVERITY, VERDICT, label, percent
from qcompliance.model import (
    Assessment,
    Change,
    Citation,
    FactRead,
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
from qcompliance.rules.explain import describe_value

__all__ = [
    "DEADLINE_DAYS",
    "LEVEL_ORDER",
    "PLAN_BLANK",
    "PLAN_COLUMNS",
    "PLAN_IMPACT",
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
    "remediation_plan",
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


def tr(name: str, lang: Lang, **values: object) -> str:
    """The label ``name`` in ``lang`` with its ``{placeholders}`` filled from ``values``."""
    text = label(name, lang)
    return text.format(**values) if values else text


def colon(lang: Lang) -> str:
    """The colon after a label: full-width in Chinese."""
    return "：" if lang == "zh" else ": "


def joined(texts: Iterable[str], lang: Lang) -> str:
    """Texts joined as a list: with 、 in Chinese, with semicolons in English."""
    return ("、" if lang == "zh" else "; ").join(texts)


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
class FixFirst:
    """A failing mandatory item and how much fixing it would raise the mandatory score."""

    result: Result
    weight: int
    """The item's severity weight."""
    total: int
    """The weight of every decided mandatory item (the score's denominator)."""

    @property
    def gain(self) -> float:
        """The rise of the mandatory score, as a share, if this item passed."""
        return self.weight / self.total


def fix_first(assessment: Assessment) -> tuple[FixFirst, ...]:
    """Failing mandatory items, largest rise of the mandatory score first.

    Fixing an item moves its weight from failing to passing, so the mandatory score rises by
    exactly ``weight / weight_decided``; ties keep the gap-list order.
    """
    mandatory = assessment.scores_by_level.get(Level.MANDATORY.value)
    if mandatory is None or not mandatory.weight_decided:
        return ()
    total = mandatory.weight_decided
    ranked = [FixFirst(r, r.severity.weight, total)
              for r in gap_list(assessment) if r.level is Level.MANDATORY]
    return tuple(sorted(ranked, key=lambda f: -f.weight))


@attrs.frozen
class RankedGap:
    """A gap and how much fixing it would raise the score of its level."""

    result: Result
    gain: float
    """The rise of the score of the item's level (mandatory, encouraged, recommended), as a
    share, if this item passed: its severity weight over the level's decided weight."""


def ranked_gaps(assessment: Assessment) -> tuple[RankedGap, ...]:
    """Every gap, by impact: mandatory ones first, each level by the score gained if fixed
    (largest first), ties in gap-list order. This is the order of the remediation plan."""
    out = []
    for result in gap_list(assessment):
        level = assessment.scores_by_level.get(result.level.value)
        total = level.weight_decided if level is not None else 0
        out.append(RankedGap(result, result.severity.weight / total if total else 0.0))
    return tuple(sorted(out, key=lambda g: (LEVEL_ORDER[g.result.level], -g.gain)))


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


def item_list(named: Iterable[tuple[str, str]], lang: Lang) -> str:
    """Items by title with their id in brackets, kept apart: ``标题（id）；标题（id）``."""
    if lang == "zh":
        return "；".join(f"{title}（{item}）" for item, title in named)
    return "; ".join(f"{title} ({item})" for item, title in named)


SIZE_FACT = "company.size"
"""The fact holding the enterprise size class (given, or derived from staff and revenue)."""

_SIZE = {"large": Text("大型企业", "large enterprise"),
         "medium": Text("中型企业", "medium enterprise"),
         "small": Text("小型企业", "small enterprise"),
         "micro": Text("微型企业", "micro enterprise")}


def size_class_text(assessment: Assessment, lang: Lang) -> str:
    """The size class the evaluation used, e.g. ``小型企业（按统计分类）``, or ``""`` when no item
    read it. Rules with their own size test (Order 75 art. 18: staff or revenue) say so in their
    own findings; this is the statistical class."""
    for result in assessment.results:
        for read in result.facts:
            if read.key == SIZE_FACT and read.status != "missing" and read.value in _SIZE:
                shown = _SIZE[str(read.value)].get(lang)
                how = ("推算" if read.derived_from else "填报") if lang == "zh" else (
                    "derived" if read.derived_from else "as given")
                return f"{shown}（{how}）" if lang == "zh" else f"{shown} ({how})"
    return ""


def as_date(value: object) -> dt.date | None:
    """``value`` as a date when it is one, or an ISO ``YYYY-MM-DD`` text (as JSON keeps it)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


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


def allowed_values(question: Question, lang: Lang) -> str:
    """The answers a question allows, e.g. ``可选值：large、medium``, or ``""`` for free text."""
    if not question.values:
        return ""
    sep = "：" if lang == "zh" else ": "
    return label("report.allowed_values", lang) + sep + joined(question.values, lang)


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


def verdict_text(result: Result, lang: Lang) -> str:
    """The verdict's name; an opportunity's reads "you may qualify" rather than "pass"."""
    names = OPPORTUNITY_VERDICT if result.kind is ItemKind.OPPORTUNITY else VERDICT
    return names[result.verdict].get(lang)


def level_name(level: Level | str, lang: Lang) -> str:
    """The name of a level (given as the enum or its value)."""
    return LEVEL[Level(level)].get(lang)


def citation_text(citation: Citation, lang: Lang) -> str:
    """Source title, issuer and clause, as a reader cites them (the quote is apart)."""
    title, issuer = citation.title.get(lang), citation.issuer.get(lang)
    if lang == "zh":
        return f"《{title}》（{issuer}）{citation.clause}"
    return f"{title} ({issuer}), {citation.clause}"


def _value_text(value: object, lang: Lang) -> str:
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Mapping) for v in value):
        return tr("report.records", lang, n=len(value))
    return describe_value(value, lang)


def fact_text(read: FactRead, lang: Lang) -> str:
    """A fact's value as a reader would write it, or that it is missing or stale."""
    if read.status == "missing":
        return label("report.value_missing", lang)
    text = _value_text(read.value, lang)
    if read.status == "stale":
        return f"{text}（{label('report.value_stale', lang)}）" if lang == "zh" else (
            f"{text} ({label('report.value_stale', lang)})")
    return text


def fact_evidence(read: FactRead, lang: Lang) -> str:
    """Where a fact comes from, e.g. ``（佐证：hr/cqo.pdf；确认人：张三；截至 2026-10-31）``.

    Evidence files, source, who attested it, the day it was true, until when it is valid and
    the facts it was derived from; ``""`` when the profile says none of these."""
    parts = []
    sep = "：" if lang == "zh" else ": "
    if read.evidence:
        parts.append(label("report.evidence_given", lang) + sep + joined(read.evidence, lang))
    if read.source:
        parts.append(label("report.fact_source", lang) + sep + read.source)
    if read.attested_by:
        parts.append(label("report.attested_by", lang) + sep + read.attested_by)
    if read.as_of:
        parts.append(label("report.fact_as_of", lang) + sep + read.as_of.isoformat())
    if read.valid_until:
        parts.append(label("report.valid_until", lang) + sep + read.valid_until.isoformat())
    if read.derived_from:
        parts.append(label("report.derived_from", lang) + sep + joined(read.derived_from, lang))
    if not parts:
        return ""
    if lang == "zh":
        return "（" + "；".join(parts) + "）"
    return " (" + "; ".join(parts) + ")"


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


def points(share: float, lang: Lang) -> str:
    """A rise of a score in percentage points, e.g. ``+50.0 percentage points``."""
    return tr("report.points", lang, n=f"{share * 100:.1f}")


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


def file_name(origin: str | None) -> str:
    """The last part of a file path: reports name a file without the writer's folders."""
    if not origin:
        return "—"
    return origin.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def change_values(change: Change, lang: Lang) -> str:
    """The old and new values of a tailoring change, e.g. ``min_hours = 8 → 6`` or ``中 → 低``
    (a dash for a change that leaves something out)."""
    def show(value: object) -> str:
        if isinstance(value, Mapping):
            return joined((f"{k} = {describe_value(v, lang)}" for k, v in value.items()), lang)
        if change.kind == "severity" and isinstance(value, str):
            return SEVERITY[Severity(value)].get(lang)
        return describe_value(value, lang)

    if change.kind in ("deselect_checklist", "deselect_item"):
        return "—"
    return f"{show(change.old)} → {show(change.new)}"


PLAN_COLUMNS = ("report.no", "report.item_id", "report.title_col", "checklist", "level",
                "severity", "report.impact", "verdict", "report.gap", "report.remediation",
                "report.evidence", "report.basis", "report.owner", "report.due",
                "report.plan_status")
"""The label keys of the remediation plan's columns (csv and xlsx)."""

PLAN_BLANK = 3
"""The last columns of the plan (owner, due date, status) are left for the company to fill."""

PLAN_IMPACT = PLAN_COLUMNS.index("report.impact")
"""The column (0-based) of the score gained if the gap is fixed, in percentage points."""


def remediation_plan(assessment: Assessment, lang: Lang) -> list[list[str]]:
    """The remediation plan: a header row, then one row per gap, ranked by impact (mandatory
    gaps first, each level by the score it gains if fixed, in percentage points)."""
    rows = [[label(key, lang) for key in PLAN_COLUMNS]]
    for n, ranked in enumerate(ranked_gaps(assessment), 1):
        r = ranked.result
        gap = r.why.get(lang)
        if r.waiver_note is not None:
            gap += ("；" if lang == "zh" else "; ") + r.waiver_note.get(lang)
        basis = joined((citation_text(c, lang) for c in r.citations), lang)
        rows.append([
            str(n), r.item, r.title.get(lang), r.checklist, level_name(r.level, lang),
            SEVERITY[r.severity].get(lang), f"{ranked.gain * 100:.1f}", verdict_text(r, lang),
            gap,
            r.remediation.get(lang) if r.remediation else "",
            joined((e.get(lang) for e in r.evidence), lang), basis, *[""] * PLAN_BLANK,
        ])
    return rows
