"""The terminal report: scores and one line per item, drawn with rich."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from qcompliance.i18n import LEVEL, OPPORTUNITY_VERDICT, SEVERITY, VERDICT, label, percent
from qcompliance.model import Assessment, ItemKind, Lang, Level, Score, Severity, Verdict
from qcompliance.reports.summary import Line, summary_lines

__all__ = ["lines_renderable", "render_summary", "render_table", "table_renderable"]

_STYLE = {
    Verdict.PASS: "green",
    Verdict.FAIL: "bold red",
    Verdict.UNKNOWN: "yellow",
    Verdict.NOT_APPLICABLE: "dim",
    Verdict.WAIVED: "cyan",
}


# Gaps first, then what needs facts, then the rest.
_ORDER = {Verdict.FAIL: 0, Verdict.UNKNOWN: 1, Verdict.WAIVED: 2, Verdict.PASS: 3,
          Verdict.NOT_APPLICABLE: 4}


def _counts(score: Score) -> str:
    return (f"{score.passed}/{score.failed}/{score.unknown}/{score.waived}/"
            f"{score.not_applicable}")


def table_renderable(assessment: Assessment, lang: Lang) -> RenderableType:
    """The report as a rich renderable (the CLI prints it in colour)."""
    header = RichText()
    header.append(f"{label('company', lang)}: {assessment.profile_name or '—'}", style="bold")
    if assessment.profile_credit_code:
        header.append(f"  {label('credit_code', lang)}: {assessment.profile_credit_code}")
    header.append(f"\n{label('as_of', lang)}: {assessment.as_of.isoformat()}")

    scores = Table(title=label("scores", lang), title_justify="left")
    for column in ("checklist", "version", "score", "coverage", "counts"):
        scores.add_column(label(column, lang))
    skipped = []
    for ref in assessment.checklists:
        if ref.applicable == "no" and not any(
            r.checklist == ref.id for r in assessment.results
        ):
            skipped.append(f"{ref.id} ({ref.title.get(lang)})")
            continue
        score = assessment.scores_by_checklist[ref.id]
        scores.add_row(f"{ref.id}\n{ref.title.get(lang)}", ref.version, percent(score.score),
                       percent(score.coverage), _counts(score))
    for level, score in assessment.scores_by_level.items():
        level_name = {lv.value: name for lv, name in LEVEL.items()}[level].get(lang)
        scores.add_row(level_name, "", percent(score.score), percent(score.coverage),
                       _counts(score), style="italic")
    overall = assessment.overall
    scores.add_row(label("overall", lang), "", percent(overall.score), percent(overall.coverage),
                   _counts(overall), style="bold")

    results = Table(title=label("results", lang), title_justify="left", show_lines=True)
    for column in ("verdict", "level", "severity", "item", "why"):
        results.add_column(label(column, lang), overflow="fold")
    shown = sorted(
        (r for r in assessment.results if r.verdict is not Verdict.NOT_APPLICABLE),
        key=lambda r: (_ORDER[r.verdict], r.kind is ItemKind.OPPORTUNITY,
                       list(Level).index(r.level), list(Severity).index(r.severity)),
    )
    hidden = len(assessment.results) - len(shown)
    for result in shown:
        names = OPPORTUNITY_VERDICT if result.kind is ItemKind.OPPORTUNITY else VERDICT
        verdict = names[result.verdict].get(lang)
        if result.due is not None:  # a duty with a deadline: show the day it falls due
            verdict += "\n" + label("report.due_on", lang).format(date=result.due.isoformat())
        results.add_row(
            RichText(verdict, style=_STYLE[result.verdict]),
            LEVEL[result.level].get(lang),
            SEVERITY[result.severity].get(lang),
            f"{result.item}\n{result.title.get(lang)}",
            result.why.get(lang) + (
                f"\n{result.waiver_note.get(lang)}" if result.waiver_note else ""),
        )
    parts: list[RenderableType] = [header, scores, results]
    if hidden:
        parts.append(RichText(label("hidden_not_applicable", lang).format(n=hidden), style="dim"))
    if skipped:
        parts.append(RichText(f"{label('not_applicable_checklists', lang)}: " + ", ".join(skipped),
                              style="dim"))
    if assessment.facts_to_collect:
        collect = Table(title=label("facts_to_collect", lang), title_justify="left")
        collect.add_column(label("fact", lang))
        collect.add_column(label("question", lang))
        for question in assessment.facts_to_collect:
            collect.add_row(question.key, question.question.get(lang))
        parts.append(collect)
    return Group(*parts)


def render_table(assessment: Assessment, lang: Lang, width: int = 120) -> str:
    """The report as plain text of ``width`` columns (no colour codes)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    console.print(table_renderable(assessment, lang))
    return buffer.getvalue()


_LINE_STYLE = {"title": "bold", "heading": "bold underline", "bad": "bold red",
               "warn": "yellow", "good": "green", "dim": "dim", "plain": ""}


def lines_renderable(lines: list[Line]) -> RenderableType:
    """Pre-wrapped summary lines with their colours (rich must not wrap them again)."""
    text = RichText(no_wrap=True, overflow="ignore")
    for n, (style, line) in enumerate(lines):
        if n:
            text.append("\n")
        text.append(line, style=_LINE_STYLE[style])
    return text


def render_summary(assessment: Assessment, lang: Lang, width: int = 80) -> str:
    """The terminal summary as plain text of at most ``width`` columns."""
    return "\n".join(line for _, line in summary_lines(assessment, lang, width)) + "\n"
