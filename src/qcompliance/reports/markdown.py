"""The gap report as Markdown (CommonMark with GitHub tables).

Every text from a profile or a checklist goes through :func:`md_escape`, so a company named
``<script>`` or a title holding ``*`` or ``|`` renders as the text itself; ids and fact keys are
code spans. The sections and their order are the same as in the HTML report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from qcompliance.i18n import SEVERITY, label, percent
from qcompliance.model import Assessment, Lang, Result, Score
from qcompliance.reports.gaps import (
    DEADLINE_DAYS,
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
    joined,
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

__all__ = ["md_escape", "render_markdown"]

# Backslash-escaping ASCII punctuation is always literal in CommonMark; "<" and ">" are escaped
# so that no raw HTML reaches a renderer that passes HTML through.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(text: str) -> str:
    """``text`` as literal inline Markdown: punctuation escaped, line breaks made spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    """``text`` as a code span, on one line: a line break in a span would end it (and the
    table row) and let what follows be read as Markdown or raw HTML. Text holding a backtick
    or a pipe (which splits a table cell even inside a span) is escaped instead."""
    text = " ".join(text.split())
    if not text or "`" in text or "|" in text:
        return md_escape(text)
    return f"`{text}`"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return [*lines, ""]


def _score_cells(score: Score) -> list[str]:
    return [percent(score.score), percent(score.coverage), str(score.passed), str(score.failed),
            str(score.unknown), str(score.waived), str(score.not_applicable)]


def _score_header(lang: Lang) -> list[str]:
    return [label(k, lang) for k in ("score", "coverage", "report.passed", "report.failed",
                                     "report.unknown", "report.waived", "report.not_applicable")]


def _header(assessment: Assessment, lang: Lang) -> list[str]:
    rows = [
        [label("company", lang), md_escape(assessment.profile_name or "—")],
        [label("credit_code", lang), _code(assessment.profile_credit_code or "—")],
        *([[label("report.size_class", lang), md_escape(size_class_text(assessment, lang))]]
          if size_class_text(assessment, lang) else []),
        [label("as_of", lang), assessment.as_of.isoformat()],
        [label("report.tool", lang), f"qcompliance {md_escape(assessment.tool_version)}"],
    ]
    if assessment.profile_sha256:
        rows.append([label("report.profile_sha", lang), _code(assessment.profile_sha256)])
    lines = [f"# {label('report.title', lang)}", ""]
    lines += [f"- **{name}**{colon(lang)}{value}" for name, value in rows]
    lines += ["", f"**{label('report.checklists', lang)}**", ""]
    lines += _table(
        [label("checklist", lang), label("version", lang), label("report.applies", lang)],
        ([f"{_code(ref.id)} {md_escape(ref.title.get(lang))}", md_escape(ref.version),
          label(f"report.applies.{ref.applicable}", lang)] for ref in assessment.checklists))
    return lines


def _summary(assessment: Assessment, lang: Lang) -> list[str]:
    lines = [f"## {label('report.summary', lang)}", "", md_escape(summary_text(assessment, lang)),
             "", f"### {label('report.by_checklist', lang)}", ""]
    lines += _table(
        [label("checklist", lang), label("report.legal_score", lang),
         label("report.other_score", lang), *_score_header(lang)[1:]],
        ([f"{md_escape(ref.title.get(lang))} {_code(ref.id)}",
          percent(split_score(assessment, ref.id).legal.score),
          percent(split_score(assessment, ref.id).other.score),
          *_score_cells(assessment.scores_by_checklist[ref.id])[1:]]
         for ref in assessment.checklists if ref.id in assessment.scores_by_checklist))
    lines += [f"*{md_escape(label('report.split_note', lang))}*", ""]
    lines += [f"### {label('report.by_level', lang)}", ""]
    rows = [[level_name(lv, lang), *_score_cells(score)]
            for lv, score in assessment.scores_by_level.items()]
    rows.append([f"**{label('overall', lang)}**", *_score_cells(assessment.overall)])
    lines += _table([label("level", lang), *_score_header(lang)], rows)
    return [*lines, f"*{md_escape(label('report.scoring_note', lang))}*", ""]


def _fix_first(assessment: Assessment, lang: Lang) -> list[str]:
    lines = [f"## {label('report.fix_first', lang)}", ""]
    ranked = fix_first(assessment)
    if not ranked:
        return [*lines, label("report.no_fix_first", lang), ""]
    lines += [md_escape(tr("report.fix_first_note", lang, total=ranked[0].total)), ""]
    for n, entry in enumerate(ranked, 1):
        r = entry.result
        lines.append(f"{n}. **{md_escape(r.title.get(lang))}** ({_code(r.item)}) — "
                     f"{SEVERITY[r.severity].get(lang)} — {points(entry.gain, lang)}")
    return [*lines, ""]


def _gap(n: int, r: Result, lang: Lang) -> list[str]:
    lines = [f"### {n}. {md_escape(r.title.get(lang))}", "",
             f"- {_code(r.item)} · {level_name(r.level, lang)} · "
             f"{label('severity', lang)}{colon(lang)}{SEVERITY[r.severity].get(lang)}"]
    c_ = colon(lang)
    if r.citations:
        lines.append(f"- **{label('report.basis', lang)}**{c_.rstrip()}")
        for c in r.citations:
            quote = f" “{md_escape(c.quote)}”" if c.quote else ""
            lines.append(f"  - {md_escape(citation_text(c, lang))}{quote}")
    lines.append(f"- **{label('report.found', lang)}**{c_}{md_escape(r.why.get(lang))}")
    if r.waiver_note is not None:
        lines.append(f"- **{label('report.waiver_note', lang)}**{c_}"
                     f"{md_escape(r.waiver_note.get(lang))}")
    if r.facts:
        lines.append(f"- **{label('report.facts', lang)}**{c_}" + joined(
            # The reader's words first (label: value); the key is the detail after them.
            (f"{md_escape(f.label.get(lang)) + colon(lang) if f.label else ''}"
             f"{md_escape(fact_text(f, lang) + fact_evidence(f, lang))} {_code(f.key)}"
             for f in r.facts), lang))
    if r.evidence:
        lines.append(f"- **{label('report.evidence', lang)}**{c_}" + joined(
            (md_escape(e.get(lang)) for e in r.evidence), lang))
    if r.remediation is not None:
        lines.append(f"- **{label('report.remediation', lang)}**{c_}"
                     f"{md_escape(r.remediation.get(lang))}")
    return [*lines, ""]


def _gaps(assessment: Assessment, lang: Lang) -> list[str]:
    lines = [f"## {label('report.gaps', lang)}", ""]
    gaps = gap_list(assessment)
    if not gaps:
        return [*lines, label("report.no_gaps", lang), ""]
    lines += [label("report.gaps_note", lang), ""]
    for n, r in enumerate(gaps, 1):
        lines += _gap(n, r, lang)
    return lines


def _opportunities(assessment: Assessment, lang: Lang) -> list[str]:
    lines = [f"## {label('report.opportunities', lang)}", ""]
    found = opportunities(assessment)
    if not found:
        return [*lines, label("report.no_opportunities", lang), ""]
    lines += [label("report.opportunities_note", lang), ""]
    for r in found:
        lines.append(f"- **{md_escape(r.title.get(lang))}** ({_code(r.item)}) — "
                     f"{verdict_text(r, lang)}{colon(lang)}{md_escape(r.why.get(lang))}")
        if r.remediation is not None:
            lines.append(f"  - {label('report.next_step', lang)}{colon(lang)}"
                         f"{md_escape(r.remediation.get(lang))}")
    return [*lines, ""]


def _collect(assessment: Assessment, lang: Lang) -> list[str]:
    lines = [f"## {label('facts_to_collect', lang)}", ""]
    questions = facts_to_collect(assessment)
    if not questions:
        return [*lines, label("report.no_facts_to_collect", lang), ""]
    lines += [label("report.facts_to_collect_note", lang), ""]
    return lines + _table(
        [label("report.fact", lang), label("report.question", lang), label("report.help", lang),
         label("report.items_waiting", lang)],
        ([f"{md_escape(q.label.get(lang))} {_code(q.key)}",
          md_escape(q.question.get(lang))
          + (f" ({md_escape(allowed_values(q, lang))})" if q.values else ""),
          md_escape(q.help.get(lang)) if q.help else "—",
          ", ".join(_code(i) for i in q.items)] for q in questions))


def _mappings(assessment: Assessment, lang: Lang) -> list[str]:
    rows = standard_mappings(assessment)
    if not rows:
        return []
    lines = [f"## {label('report.mappings', lang)}", "", label("report.mappings_note", lang), ""]
    return lines + _table(
        [label("report.clause", lang), label("item", lang), label("report.relation", lang),
         label("verdict", lang)],
        ([f"{md_escape(row.standard)} {md_escape(row.clause)}",
          f"{_code(result.item)} {md_escape(result.title.get(lang))}", relation,
          verdict_text(result, lang)]
         for row in rows for result, relation in row.items))


def _waiver_problems(assessment: Assessment, lang: Lang) -> list[str]:
    if not assessment.waiver_problems:
        return []
    lines = [f"**{label('report.waiver_problems', lang)}**", ""]
    return lines + _table(
        [label("item", lang), label("report.file", lang), label("report.problem", lang)],
        ([_code(p.item) if p.item else "—",
          md_escape(file_name(p.origin)) if p.origin else f"#{p.index + 1}",
          md_escape(p.message.get(lang))] for p in assessment.waiver_problems))


def _tailoring(assessment: Assessment, lang: Lang) -> list[str]:
    record = assessment.tailoring
    if record is None:
        return []
    lines = [f"## {label('report.tailoring', lang)}", "",
             md_escape(tr("report.tailoring_note", lang, origin=file_name(record.origin),
                          sha=record.sha256 or "—")), ""]
    return lines + _table(
        [label("report.target", lang), label("report.change", lang), label("report.old_new", lang),
         label("report.reason", lang)],
        ([_code(c.target), label(f"report.change.{c.kind}", lang),
          md_escape(change_values(c, lang)), md_escape(c.reason)] for c in record.changes))


def _waivers(assessment: Assessment, lang: Lang) -> list[str]:
    lines = [f"## {label('report.waivers', lang)}", ""]
    rows = waivers(assessment)
    if not rows:
        return [*lines, label("report.no_waivers", lang), "", *_waiver_problems(assessment, lang)]

    def status(row_status: str) -> str:
        text = label(f"report.waiver.{row_status}", lang)
        return f"**⚠ {text}**" if row_status == "expired" else text

    return lines + _table(
        [label("item", lang), label("report.justification", lang),
         label("report.approved_by", lang), label("report.expires", lang),
         label("report.status", lang)],
        ([f"{_code(w.result.item)} {md_escape(w.result.title.get(lang))}",
          md_escape(w.waiver.justification), md_escape(w.waiver.approved_by),
          w.waiver.expires.isoformat(), status(w.status)] for w in rows)
    ) + _waiver_problems(assessment, lang)


def _deadlines(assessment: Assessment, lang: Lang) -> list[str]:
    lines = [f"## {tr('report.deadlines', lang, days=DEADLINE_DAYS)}", ""]
    found = upcoming_deadlines(assessment)
    if not found:
        return [*lines, label("report.no_deadlines", lang), ""]
    lines += [md_escape(tr("report.deadlines_note", lang, days=DEADLINE_DAYS)), ""]
    return lines + _table(
        [label("report.date", lang), label("report.days_left", lang), label("report.kind", lang),
         label("report.fact", lang), label("item", lang)],
        ([d.date.isoformat(), str(d.days_left), label(f"report.deadline.{d.kind}", lang),
          _fact_cell(assessment, d.key, lang),
          "<br>".join(f"{md_escape(t)} {_code(i)}" for i, t in d.named_items(lang))]
         for d in found))


def _fact_cell(assessment: Assessment, key: str, lang: Lang) -> str:
    """A fact by its label with its key as a code span after it (the details of the row)."""
    for result in assessment.results:
        for read in result.facts:
            if read.key == key and read.label is not None:
                return f"{md_escape(read.label.get(lang))} {_code(key)}"
    return _code(key)


def _all_results(assessment: Assessment, lang: Lang) -> list[str]:
    lines = [f"## {label('results', lang)}", ""]
    return lines + _table(
        [label("verdict", lang), label("level", lang), label("severity", lang),
         label("item", lang)],
        ([verdict_text(r, lang), level_name(r.level, lang), SEVERITY[r.severity].get(lang),
          f"{_code(r.item)} {md_escape(r.title.get(lang))}"] for r in assessment.results))


def render_markdown(assessment: Assessment, lang: Lang = "zh") -> str:
    """The gap report as Markdown text ending in a newline."""
    lines: list[str] = []
    for part in (_header, _summary, _fix_first, _gaps, _opportunities, _collect, _waivers,
                 _deadlines, _tailoring, _mappings, _all_results):
        lines += part(assessment, lang)
    lines += ["---", "",
              f"*{md_escape(tr('report.generated_by', lang, version=assessment.tool_version))}*"]
    return "\n".join(lines) + "\n"

