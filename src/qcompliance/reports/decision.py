"""The decision a report opens on, as plain data: who, which day, the mandatory score with its
coverage in words, how many gaps, and the top priorities with due date, severity and first step.

The HTML and PDF reports put it on their first screen and page; the browser self-check shows it
as its result page. Every text is in the caller's language and free of machine names.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from qcompliance.engine.due import DueConfig
from qcompliance.i18n import SEVERITY, percent
from qcompliance.model import Assessment, Lang, Level
from qcompliance.reports.findings import first_step
from qcompliance.reports.gaps import facts_to_collect, level_name, question_text, ranked_gaps
from qcompliance.reports.words import coverage_level, coverage_words, due_note, due_text, word

__all__ = ["TOP", "Decision", "Priority", "ToCollect", "decision_summary"]

TOP = 5
"""How many priorities the decision lists."""


@attrs.frozen
class Priority:
    """One gap to close first."""

    title: str
    level: str
    severity: str
    severity_key: str
    """``critical``, ``high``, ``medium`` or ``low``: for colours, never shown."""
    due: str
    """The due date as a reader writes it (``2027年1月19日``)."""
    due_iso: str
    """The same date as ``YYYY-MM-DD``, for sorting and calendars."""
    due_note: str
    """Where the date comes from: the law, an overdue legal deadline, or the window."""
    overdue: bool
    first_step: str
    topic: str
    """The title of the checklist the gap belongs to."""


@attrs.frozen
class ToCollect:
    """One missing fact to collect next, as the person asked would read it."""

    label: str
    question: str
    waiting: int
    """How many items wait for its answer."""


@attrs.frozen
class Decision:
    """What a general manager reads first."""

    company: str
    as_of: str
    score: str
    """The mandatory score, e.g. ``80.6%`` (``—`` when nothing was decided)."""
    coverage: str
    """The mandatory coverage, e.g. ``82.3%``."""
    coverage_words: str
    """The coverage as a reader weighs it; below half it says the score is no grade."""
    coverage_level: Literal["none", "low", "partial", "good"]
    """How much is known: ``none`` and ``low`` (below half) mean the score is no grade."""
    low_coverage: bool
    headline: str
    gaps: int
    mandatory_gaps: int
    facts_to_collect: int
    priorities: tuple[Priority, ...]
    more: int
    """Gaps beyond the priorities listed."""
    collect: tuple[ToCollect, ...] = ()
    """The first facts to collect (of ``facts_to_collect``), those blocking the most binding
    and severe items first."""

    def as_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data."""
        return attrs.asdict(self)


def decision_summary(assessment: Assessment, lang: Lang = "zh",
                     config: DueConfig | None = None, top: int = TOP) -> Decision:
    """The decision of ``assessment`` in ``lang``, with due dates from ``config``."""
    ranked = ranked_gaps(assessment, config)
    titles = {ref.id: ref.title.get(lang) for ref in assessment.checklists}
    mandatory = assessment.scores_by_level.get(Level.MANDATORY.value)
    m_score = mandatory.score if mandatory is not None else None
    m_coverage = mandatory.coverage if mandatory is not None else None
    level = coverage_level(m_coverage)
    low = level in ("none", "low")
    company = assessment.profile_name or ("该企业" if lang == "zh" else "The company")
    m_gaps = sum(g.result.level is Level.MANDATORY for g in ranked)
    to_collect = facts_to_collect(assessment)
    facts = len(to_collect)
    if low:
        headline = word("headline.low", lang, company=company, facts=facts, gaps=len(ranked))
    elif any(g.due.overdue for g in ranked):
        key = "headline.overdue_one" if len(ranked) == 1 else "headline.overdue"
        headline = word(key, lang, company=company, gaps=len(ranked), m_gaps=m_gaps,
                        overdue=sum(g.due.overdue for g in ranked))
    elif ranked:
        first = min(g.due.date for g in ranked)
        key = "headline.gap" if len(ranked) == 1 else "headline.gaps"
        headline = word(key, lang, company=company, gaps=len(ranked), m_gaps=m_gaps,
                        first_due=due_text(first, lang))
    else:
        headline = word("headline.clean", lang, company=company)
    priorities = tuple(
        Priority(
            title=g.result.title.get(lang), level=level_name(g.result.level, lang),
            severity=SEVERITY[g.result.severity].get(lang),
            severity_key=g.result.severity.value, due=due_text(g.due.date, lang),
            due_iso=g.due.date.isoformat(), due_note=due_note(g.due, lang),
            overdue=g.due.overdue, first_step=first_step(g.result, lang),
            topic=titles.get(g.result.checklist, ""))
        for g in ranked[:top])
    return Decision(
        company=company, as_of=due_text(assessment.as_of, lang), score=percent(m_score),
        coverage=percent(m_coverage), coverage_words=coverage_words(m_coverage, lang),
        coverage_level=level, low_coverage=low, headline=headline, gaps=len(ranked),
        mandatory_gaps=m_gaps, facts_to_collect=facts, priorities=priorities,
        more=max(0, len(ranked) - top),
        collect=tuple(ToCollect(label=q.label.get(lang), waiting=len(q.items),
                                question=question_text(q, lang))
                      for q in to_collect[:top]))
