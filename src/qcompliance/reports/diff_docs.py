"""A diff a client understands, as a document: HTML (one self-contained page), PDF (that page
on A4 by WeasyPrint) and XLSX. Items by title, the facts that changed with both values, scores
by checklist title; no ids."""

from __future__ import annotations

import io
from typing import Any

from qcompliance.engine.diff import Diff
from qcompliance.i18n import LABELS, LEVEL, SEVERITY, label, percent
from qcompliance.model import Lang
from qcompliance.reports.diff_words import (
    FACTS_HEADING,
    change_text,
    fact_change,
    scope_name,
    verdict_of,
)
from qcompliance.reports.html import template_environment
from qcompliance.reports.words import due_text

__all__ = ["render_diff_html", "render_diff_pdf", "render_diff_xlsx"]


def _signed(delta: float | None) -> str:
    return "—" if delta is None else f"{delta * 100:+.1f}"


def _context(result: Diff, lang: Lang) -> dict[str, Any]:
    sections = []
    for key, changes in (("diff.new_failures", result.new_failures),
                         ("diff.closed", result.closed), ("diff.changed", result.changed)):
        sections.append({"key": key, "title": label(key, lang), "rows": [
            {"title": c.title.get(lang), "level": LEVEL[c.level].get(lang),
             "severity": SEVERITY[c.severity].get(lang),
             "before": verdict_of(c, "before", lang), "after": verdict_of(c, "after", lang),
             "why": change_text(c, lang)} for c in changes]})
    return {
        "L": {k: t.get(lang) for k, t in LABELS.items()},
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "company": result.profile_name or "—",
        "previous": due_text(result.previous_as_of, lang),
        "current": due_text(result.current_as_of, lang),
        "summary": label("diff.summary", lang).format(
            closed=len(result.closed), new=len(result.new_failures),
            changed=len(result.changed)),
        "facts_heading": FACTS_HEADING.get(lang),
        "facts": [fact_change(f, lang) for f in result.changed_facts],
        "sections": sections,
        "scores": [{"name": scope_name(result, d, lang), "overall": d.scope == "overall",
                    "before": percent(d.before.score if d.before else None),
                    "after": percent(d.after.score if d.after else None),
                    "delta": _signed(d.score_delta),
                    "coverage": percent(d.after.coverage if d.after else None)}
                   for d in result.scores],
    }


def render_diff_html(result: Diff, lang: Lang = "zh") -> str:
    """The diff as one self-contained HTML page."""
    return template_environment().get_template("diff.html.j2").render(_context(result, lang))


def render_diff_pdf(result: Diff, lang: Lang = "zh") -> bytes:
    """The diff as an A4 PDF (needs the ``pdf`` extra)."""
    from qcompliance.reports.pdf import html_to_pdf

    return html_to_pdf(render_diff_html(result, lang))


def render_diff_xlsx(result: Diff, lang: Lang = "zh") -> bytes:
    """The diff as a workbook: the changes (one row each, with the facts behind them) and the
    score changes."""
    from qcompliance.reports.xlsx import _openpyxl, _put

    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]

    ctx = _context(result, lang)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = label("diff.title", lang)[:31]
    _put(ws, 1, 1, f"{label('diff.title', lang)} · {ctx['company']} · {ctx['previous']} → "
         f"{ctx['current']}").font = Font(bold=True, size=13)
    _put(ws, 2, 1, ctx["summary"])
    header = [label(k, lang) for k in ("report.status", "item", "level", "severity",
                                       "diff.before", "diff.after", "diff.cause")]
    fill = PatternFill("solid", fgColor="DDE6F0")
    for col, name in enumerate(header, 1):
        cell = _put(ws, 4, col, name)
        cell.font = Font(bold=True)
        cell.fill = fill
    row = 5
    wrap = Alignment(wrap_text=True, vertical="top")
    for section in ctx["sections"]:
        for r in section["rows"]:
            for col, value in enumerate((section["title"], r["title"], r["level"],
                                         r["severity"], r["before"], r["after"], r["why"]), 1):
                _put(ws, row, col, value).alignment = wrap
            row += 1
    for letter, width in zip("ABCDEFG", (14, 40, 10, 8, 12, 12, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
    scores = book.create_sheet(label("diff.scores", lang)[:31])
    names = [label("report.scope", lang), label("diff.before", lang), label("diff.after", lang),
             label("diff.delta", lang), label("coverage", lang)]
    for col, name in enumerate(names, 1):
        cell = _put(scores, 1, col, name)
        cell.font = Font(bold=True)
        cell.fill = fill
    for n, s in enumerate(ctx["scores"], 2):
        for col, value in enumerate((s["name"], s["before"], s["after"], s["delta"],
                                     s["coverage"]), 1):
            _put(scores, n, col, value)
    scores.column_dimensions["A"].width = 40
    scores.freeze_panes = "A2"
    for sheet in (ws, scores):
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
