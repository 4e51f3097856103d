"""The gap report as one self-contained HTML file.

Everything the page needs is inline: CSS, and two SVG charts (a bar per checklist score and a
donut of verdict counts). It fetches nothing and runs no script; a Content-Security-Policy meta
tag says so to the browser as well. The page reads on a phone (viewport meta, one column below
640px) and prints on A4 pages.

The template (``templates/report.html.j2``) only lays out; every text is chosen here in the
report's language, and Jinja2 escapes all of it (autoescape is on), so a company named
``<script>`` is shown as text.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import jinja2

from qcompliance.i18n import LABELS, SEVERITY, VERDICT, label, percent
from qcompliance.model import Assessment, ItemKind, Lang, Result, Score, Verdict
from qcompliance.reports.gaps import (
    DEADLINE_DAYS,
    SplitScore,
    allowed_values,
    change_values,
    citation_text,
    colon,
    fact_evidence,
    fact_text,
    facts_to_collect,
    file_name,
    fix_first,
    gap_list,
    level_name,
    opportunities,
    points,
    size_class_text,
    split_score,
    standard_mappings,
    summary_text,
    tr,
    upcoming_deadlines,
    verdict_text,
    waivers,
)
from qcompliance.reports.summary import wrap

__all__ = ["render_html", "template_environment"]

VERDICT_COLOURS = {
    Verdict.PASS: "#2e7d32",
    Verdict.FAIL: "#c62828",
    Verdict.UNKNOWN: "#f9a825",
    Verdict.WAIVED: "#0277bd",
    Verdict.NOT_APPLICABLE: "#9e9e9e",
}
"""The colour of each verdict in charts and badges."""

# SVG units: a label line above each bar keeps the text legible when a phone shrinks the chart.
_BAR_WIDTH = 400
_BAR_ROW = 62  # title line, bar, score line: a long title never runs into its figures
_TITLE_LINE = 19
_TITLE_CELLS = 46  # a bold 15-unit line of the 400-unit chart holds about this many columns
_DONUT_R = 100 / (2 * math.pi)  # a circumference of 100 makes dash lengths percentages


@functools.cache
def template_environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (shipped in the package, autoescaped)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("qcompliance.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links become links; anything else (``javascript:``) stays text."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def _score(score: Score, split: SplitScore | None = None) -> dict[str, object]:
    out: dict[str, object] = {
        "score": percent(score.score), "coverage": percent(score.coverage),
        "counts": [score.passed, score.failed, score.unknown, score.waived,
                   score.not_applicable]}
    if split is not None:
        out["legal"] = percent(split.legal.score)
        out["other"] = percent(split.other.score)
    return out


def _bars(assessment: Assessment, lang: Lang) -> dict[str, object]:
    """One bar per checklist, labelled with its title: the legal score, or for a checklist with
    no decided legal duty the encouraged/recommended score in a lighter colour, named so."""
    rows = []
    # Only checklists with something decided get a bar: an empty bar says nothing.
    decided = [(ref, split_score(assessment, ref.id)) for ref in assessment.checklists
               if ref.id in assessment.scores_by_checklist]
    decided = [(ref, split) for ref, split in decided
               if split.legal.score is not None or split.other.score is not None]
    y = 6
    for ref, split in decided:
        legal = split.legal.score is not None
        shown = split.legal if legal else split.other
        share = shown.score
        parts = []
        if split.legal.score is not None:
            parts.append(f"{label('report.legal_short', lang)} {percent(split.legal.score)}")
        if split.other.score is not None:
            parts.append(f"{label('report.other_short', lang)} {percent(split.other.score)}")
        # SVG text does not wrap: long titles are broken into lines here, between words.
        lines = wrap(ref.title.get(lang), _TITLE_CELLS)
        extra = (len(lines) - 1) * _TITLE_LINE
        rows.append({
            "y": y + extra, "id": ref.id, "title": ref.title.get(lang),
            "title_lines": [{"text": line, "y": y + 14 + n * _TITLE_LINE}
                            for n, line in enumerate(lines)],
            "width": round((share or 0) * _BAR_WIDTH, 1), "decided": share is not None,
            "legal": legal,
            "text": " · ".join(parts) or "—",
        })
        y += _BAR_ROW + extra
    return {"rows": rows, "height": y + 2, "width": _BAR_WIDTH}


def _donut(assessment: Assessment, lang: Lang) -> dict[str, object]:
    overall = assessment.overall
    counts = [(Verdict.PASS, overall.passed), (Verdict.FAIL, overall.failed),
              (Verdict.UNKNOWN, overall.unknown), (Verdict.WAIVED, overall.waived),
              (Verdict.NOT_APPLICABLE, overall.not_applicable)]
    total = sum(c for _, c in counts)
    segments = []
    start = 0.0
    for verdict, count in counts:
        share = 100 * count / total if total else 0.0
        segments.append({
            "name": VERDICT[verdict].get(lang), "count": count, "colour": VERDICT_COLOURS[verdict],
            # SVG strokes start at three o'clock; an offset of 25 starts them at twelve.
            "dash": f"{share:.3f} {100 - share:.3f}", "offset": f"{25 - start:.3f}",
            "shown": count > 0,
        })
        start += share
    return {"segments": segments, "total": total, "r": f"{_DONUT_R:.4f}"}


def _citations(result: Result, lang: Lang) -> list[dict[str, object]]:
    return [{"text": citation_text(c, lang), "quote": c.quote, "url": _safe_url(c.url)}
            for c in result.citations]


def _gap(result: Result, lang: Lang) -> dict[str, object]:
    return {
        "item": result.item, "title": result.title.get(lang),
        "level": level_name(result.level, lang), "level_key": result.level.value,
        "severity": SEVERITY[result.severity].get(lang), "severity_key": result.severity.value,
        "citations": _citations(result, lang), "why": result.why.get(lang),
        "waiver_note": result.waiver_note.get(lang) if result.waiver_note else None,
        "facts": [{"key": f.key, "label": f.label.get(lang) if f.label else None,
                   "value": fact_text(f, lang) + fact_evidence(f, lang)}
                  for f in result.facts],
        "evidence": [e.get(lang) for e in result.evidence],
        "remediation": result.remediation.get(lang) if result.remediation else None,
    }


def _tailoring(assessment: Assessment, lang: Lang) -> dict[str, object] | None:
    record = assessment.tailoring
    if record is None:
        return None
    return {
        "note": tr("report.tailoring_note", lang, origin=file_name(record.origin),
                   sha=record.sha256 or "—"),
        "changes": [{"target": c.target, "kind": label(f"report.change.{c.kind}", lang),
                     "old_new": change_values(c, lang), "reason": c.reason}
                    for c in record.changes],
    }


def _fact_label(assessment: Assessment, key: str, lang: Lang) -> str:
    """A fact's label as the results read it (the key when none has one, e.g. for a waiver)."""
    for result in assessment.results:
        for read in result.facts:
            if read.key == key and read.label is not None:
                return read.label.get(lang)
    for result in assessment.results:
        if result.item == key:
            return result.title.get(lang)
    return key


def _labels(lang: Lang) -> Mapping[str, str]:
    return {key: text.get(lang) for key, text in LABELS.items()}


def _context(assessment: Assessment, lang: Lang) -> dict[str, object]:
    ranked = fix_first(assessment)
    return {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "L": _labels(lang),
        "colon": colon(lang),
        "company": assessment.profile_name or "—",
        "credit_code": assessment.profile_credit_code or "—",
        "size_class": size_class_text(assessment, lang),
        "as_of": assessment.as_of.isoformat(),
        "tool_version": assessment.tool_version,
        "profile_sha": assessment.profile_sha256,
        "summary": summary_text(assessment, lang),
        "checklists": [
            {"id": ref.id, "title": ref.title.get(lang), "version": ref.version,
             "applies": label(f"report.applies.{ref.applicable}", lang),
             "score": _score(assessment.scores_by_checklist[ref.id],
                             split_score(assessment, ref.id))
             if ref.id in assessment.scores_by_checklist else None}
            for ref in assessment.checklists
        ],
        "levels": [{"name": level_name(lv, lang), "score": _score(s)}
                   for lv, s in assessment.scores_by_level.items()],
        "overall": _score(assessment.overall),
        "bars": _bars(assessment, lang),
        "donut": _donut(assessment, lang),
        "fix_first_note": tr("report.fix_first_note", lang, total=ranked[0].total)
        if ranked else None,
        "fix_first": [{"item": f.result.item, "title": f.result.title.get(lang),
                       "severity": SEVERITY[f.result.severity].get(lang),
                       "severity_key": f.result.severity.value, "gain": points(f.gain, lang),
                       "width": round(100 * f.gain, 1)} for f in ranked],
        "gaps": [_gap(r, lang) for r in gap_list(assessment)],
        "opportunities": [
            {"item": r.item, "title": r.title.get(lang), "verdict": verdict_text(r, lang),
             "qualifies": r.verdict is Verdict.PASS, "why": r.why.get(lang),
             "next": r.remediation.get(lang) if r.remediation else None,
             "citations": _citations(r, lang)}
            for r in opportunities(assessment)
        ],
        "questions": [
            {"key": q.key, "label": q.label.get(lang), "question": q.question.get(lang),
             "allowed": allowed_values(q, lang),
             "help": q.help.get(lang) if q.help else None, "waiting": list(q.items)}
            for q in facts_to_collect(assessment)
        ],
        "waivers": [
            {"item": w.result.item, "title": w.result.title.get(lang),
             "justification": w.waiver.justification, "approved_by": w.waiver.approved_by,
             "expires": w.waiver.expires.isoformat(), "status_key": w.status,
             "status": label(f"report.waiver.{w.status}", lang)}
            for w in waivers(assessment)
        ],
        "waiver_problems": [
            {"item": p.item or "—",
             "file": file_name(p.origin) if p.origin else f"#{p.index + 1}",
             "message": p.message.get(lang)}
            for p in assessment.waiver_problems
        ],
        "tailoring": _tailoring(assessment, lang),
        "deadlines_title": tr("report.deadlines", lang, days=DEADLINE_DAYS),
        "deadlines_note": tr("report.deadlines_note", lang, days=DEADLINE_DAYS),
        "deadlines": [
            {"date": d.date.isoformat(), "days_left": d.days_left,
             "kind": label(f"report.deadline.{d.kind}", lang), "key": d.key,
             "fact": _fact_label(assessment, d.key, lang),
             "items": [{"item": i, "title": t} for i, t in d.named_items(lang)]}
            for d in upcoming_deadlines(assessment)
        ],
        "results": [
            {"item": r.item, "title": r.title.get(lang), "verdict": verdict_text(r, lang),
             "verdict_key": r.verdict.value,
             "opportunity": r.kind is ItemKind.OPPORTUNITY,
             "level": level_name(r.level, lang), "severity": SEVERITY[r.severity].get(lang)}
            for r in assessment.results
        ],
        "mappings": [
            {"clause": f"{row.standard} {row.clause}",
             "items": [{"item": r.item, "title": r.title.get(lang), "relation": relation,
                        "verdict": verdict_text(r, lang), "verdict_key": r.verdict.value}
                       for r, relation in row.items]}
            for row in standard_mappings(assessment)
        ],
        "footer": tr("report.generated_by", lang, version=assessment.tool_version),
    }


def render_html(assessment: Assessment, lang: Lang = "zh") -> str:
    """The gap report as one self-contained HTML document."""
    template = template_environment().get_template("report.html.j2")
    return template.render(_context(assessment, lang))
