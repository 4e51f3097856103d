"""What the client-facing report shows, in the reader's language, as plain data: the HTML and
PDF template and the Markdown writer lay out the same context, so they say the same things in
the same order (decision, gaps by topic, deadlines, facts to collect, scores, waivers,
opportunities, and the appendix only when asked)."""

from __future__ import annotations

from collections.abc import Mapping

from qcompliance.engine.due import DueConfig
from qcompliance.i18n import LABELS, SEVERITY, label, percent
from qcompliance.model import Assessment, Lang, Question, Result, Score, Verdict
from qcompliance.reports.decision import decision_summary
from qcompliance.reports.findings import found_text, value_labels
from qcompliance.reports.gaps import (
    DEADLINE_DAYS,
    change_values,
    citation_text,
    colon,
    facts_to_collect,
    file_name,
    joined,
    level_name,
    opportunities,
    question_text,
    ranked_gaps,
    size_class_text,
    split_score,
    standard_mappings,
    tr,
    upcoming_deadlines,
    verdict_text,
    waivers,
)
from qcompliance.reports.texts import short_basis
from qcompliance.reports.words import WORDS, due_note, due_text, word

__all__ = ["report_context"]


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links become links; anything else (``javascript:``) stays text."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def _score(score: Score) -> dict[str, object]:
    return {"score": percent(score.score), "coverage": percent(score.coverage),
            "counts": [score.passed, score.failed, score.unknown, score.waived,
                       score.not_applicable]}


def _citations(result: Result, lang: Lang) -> list[dict[str, object]]:
    return [{"text": citation_text(c, lang), "quote": c.quote, "url": _safe_url(c.url)}
            for c in result.citations]


def _gap_groups(assessment: Assessment, lang: Lang, config: DueConfig | None
                ) -> list[dict[str, object]]:
    """Gaps grouped by topic (checklist), topics in the order of their most urgent gap."""
    titles = {ref.id: ref.title.get(lang) for ref in assessment.checklists}
    groups: dict[str, list[dict[str, object]]] = {}
    for n, ranked in enumerate(ranked_gaps(assessment, config), 1):
        r = ranked.result
        groups.setdefault(r.checklist, []).append({
            "n": n, "title": r.title.get(lang),
            "level": level_name(r.level, lang), "level_key": r.level.value,
            "severity": SEVERITY[r.severity].get(lang), "severity_key": r.severity.value,
            "due": due_text(ranked.due.date, lang), "due_note": due_note(ranked.due, lang),
            "overdue": ranked.due.overdue,
            "found": found_text(r, lang) or word("not_met", lang),
            "basis": short_basis(r.citations, lang),
            "waiver_note": r.waiver_note.get(lang) if r.waiver_note else None,
            "evidence": joined((e.get(lang) for e in r.evidence), lang),
            "remediation": r.remediation.get(lang) if r.remediation else None,
        })
    return [{"topic": titles.get(cid, cid), "gaps": gaps} for cid, gaps in groups.items()]


def _fact_label(assessment: Assessment, key: str, lang: Lang) -> str:
    """A fact's label as the results read it (the item's title for a waiver)."""
    for result in assessment.results:
        for read in result.facts:
            if read.key == key and read.label is not None:
                return read.label.get(lang)
    for result in assessment.results:
        if result.item == key:
            return result.title.get(lang)
    return "—"


def _allowed(question: Question, lang: Lang) -> str:
    """The answers a question allows, by their labels (codes stay in the appendix)."""
    if not question.values:
        return ""
    labels = value_labels(question.key)
    shown = [labels[v].get(lang) if v in labels else v for v in question.values]
    return label("report.allowed_values", lang) + colon(lang) + joined(shown, lang)


def _labels(lang: Lang) -> Mapping[str, str]:
    out = {key: text.get(lang) for key, text in LABELS.items()}
    out.update({f"w.{key}": text.get(lang) for key, text in WORDS.items()})
    return out


def _appendix(assessment: Assessment, lang: Lang) -> dict[str, object]:
    """What a reviewer checks: ids, digests, every verdict, mappings, items that do not apply."""
    record = assessment.tailoring
    return {
        "tool_version": assessment.tool_version,
        "profile_sha": assessment.profile_sha256,
        "credit_code": assessment.profile_credit_code or "—",
        "checklists": [{"id": ref.id, "title": ref.title.get(lang), "version": ref.version,
                        "sha": ref.sha256,
                        "applies": label(f"report.applies.{ref.applicable}", lang)}
                       for ref in assessment.checklists],
        "results": [
            {"item": r.item, "title": r.title.get(lang), "verdict": verdict_text(r, lang),
             "verdict_key": r.verdict.value, "why": r.why.get(lang),
             "citations": _citations(r, lang),
             "level": level_name(r.level, lang), "severity": SEVERITY[r.severity].get(lang)}
            for r in assessment.results if r.verdict is not Verdict.NOT_APPLICABLE],
        "not_applicable": [
            {"item": r.item, "title": r.title.get(lang), "why": r.why.get(lang)}
            for r in assessment.results if r.verdict is Verdict.NOT_APPLICABLE],
        "mappings": [
            {"clause": f"{row.standard} {row.clause}",
             "items": [{"item": r.item, "title": r.title.get(lang),
                        "relation": word(f"relation.{relation}", lang),
                        "verdict": verdict_text(r, lang), "verdict_key": r.verdict.value}
                       for r, relation in row.items]}
            for row in standard_mappings(assessment)],
        "tailoring": None if record is None else {
            "note": tr("report.tailoring_note", lang, origin=file_name(record.origin),
                       sha=record.sha256 or "—"),
            "changes": [{"target": c.target, "kind": label(f"report.change.{c.kind}", lang),
                         "old_new": change_values(c, lang), "reason": c.reason}
                        for c in record.changes]},
        "waiver_problems": [
            {"item": p.item or "—",
             "file": file_name(p.origin) if p.origin else f"#{p.index + 1}",
             "message": p.message.get(lang)}
            for p in assessment.waiver_problems],
    }


def report_context(assessment: Assessment, lang: Lang, *, appendix: bool = False,
                 config: DueConfig | None = None) -> dict[str, object]:
    """Everything the report template shows, in ``lang`` (also used by the PDF writer)."""
    decision = decision_summary(assessment, lang, config)
    found = opportunities(assessment)
    eligible = [r for r in found if r.verdict is Verdict.PASS]
    titles = {r.item: r.title.get(lang) for r in assessment.results}
    return {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "L": _labels(lang),
        "colon": colon(lang),
        "company": assessment.profile_name or "—",
        "size_class": size_class_text(assessment, lang),
        "as_of": due_text(assessment.as_of, lang),
        "tool_version": assessment.tool_version,
        "decision": decision,
        "groups": _gap_groups(assessment, lang, config),
        "checklists": [
            {"title": ref.title.get(lang), "legal": percent(split.legal.score),
             "other": percent(split.other.score),
             "coverage": percent(assessment.scores_by_checklist[ref.id].coverage),
             "counts": _score(assessment.scores_by_checklist[ref.id])["counts"]}
            for ref in assessment.checklists if ref.id in assessment.scores_by_checklist
            for split in (split_score(assessment, ref.id),)],
        "levels": [{"name": level_name(lv, lang), "score": _score(s)}
                   for lv, s in assessment.scores_by_level.items()],
        "overall": _score(assessment.overall),
        "eligible": [
            {"title": r.title.get(lang),
             "next": r.remediation.get(lang) if r.remediation else None,
             "citations": _citations(r, lang)} for r in eligible],
        "ineligible": word("ineligible" if appendix else "ineligible_no_appendix", lang,
                           n=len(found) - len(eligible)) if len(found) > len(eligible) else None,
        "questions": [
            {"label": q.label.get(lang),
             "question": question_text(q, lang),
             "allowed": _allowed(q, lang),
             "waiting": [titles.get(i, "") for i in q.items]}
            for q in facts_to_collect(assessment)],
        "waivers": [
            {"title": w.result.title.get(lang), "justification": w.waiver.justification,
             "approved_by": w.waiver.approved_by, "expires": due_text(w.waiver.expires, lang),
             "status_key": w.status, "status": label(f"report.waiver.{w.status}", lang)}
            for w in waivers(assessment)],
        "deadlines_title": tr("report.deadlines", lang, days=DEADLINE_DAYS),
        "deadlines": [
            {"date": due_text(d.date, lang), "days_left": d.days_left,
             "kind": label(f"report.deadline.{d.kind}", lang),
             "fact": _fact_label(assessment, d.key, lang),
             "items": [t for _, t in d.named_items(lang)]}
            for d in upcoming_deadlines(assessment)],
        "appendix": _appendix(assessment, lang) if appendix else None,
        "footer": tr("report.generated_by", lang, version=assessment.tool_version),
        "print": False,
    }
