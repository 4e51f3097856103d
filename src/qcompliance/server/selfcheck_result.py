"""The decision a self-check ends on: score with coverage in words, what to fix first and by
when, what to collect next. The page shows this first; the full report is one click away.

Built from the report helpers (:mod:`qcompliance.reports.gaps`) on one assessment; the
function :func:`decision` is the one place to swap for the library's own decision summary.
"""

from __future__ import annotations

from qcompliance.i18n import SEVERITY
from qcompliance.model import Assessment, Lang, Level, Text
from qcompliance.reports.gaps import facts_to_collect, level_name, ranked_gaps

__all__ = ["decision"]

TOP = 5

_W = {
    "no_mandatory": Text("没有适用的法定义务可判定。", "No mandatory duty could be decided."),
    "coverage": Text("{n} 项适用的法定义务中，已判定 {decided} 项（{pct}），"
                     "得分只按这 {decided} 项计算；{unknown} 项还缺信息，补充后才能判定。",
                     "Of {n} applicable mandatory duties, {decided} are decided ({pct}) and the "
                     "score counts only those; {unknown} still lack information."),
    "coverage_all": Text("{n} 项适用的法定义务已全部判定。",
                         "All {n} applicable mandatory duties are decided."),
    "gaps": Text("不符合 {failed} 项，符合 {passed} 项。", "{failed} failing, {passed} met."),
}


def _w(key: str, lang: Lang, **values: object) -> str:
    return _W[key].get(lang).format(**values)


def _coverage_words(assessment: Assessment, lang: Lang) -> str:
    score = assessment.scores_by_level.get(Level.MANDATORY.value)
    if score is None:
        return _w("no_mandatory", lang)
    applicable = score.passed + score.failed + score.unknown + score.waived
    if applicable == 0:
        return _w("no_mandatory", lang)
    decided = applicable - score.unknown
    if score.unknown == 0:
        words = _w("coverage_all", lang, n=applicable)
    else:
        words = _w("coverage", lang, n=applicable, decided=decided, unknown=score.unknown,
                   pct=f"{decided / applicable:.0%}")
    space = "" if lang == "zh" else " "
    return words + space + _w("gaps", lang, failed=score.failed,
                              passed=score.passed + score.waived)


def decision(assessment: Assessment, lang: Lang) -> dict[str, object]:
    """What the result page opens on, as JSON: no item ids, no fact keys, no English codes."""
    mandatory = assessment.scores_by_level.get(Level.MANDATORY.value)
    gaps = ranked_gaps(assessment)
    collect = facts_to_collect(assessment)
    return {
        "company": assessment.profile_name,
        "as_of": assessment.as_of.isoformat(),
        "score": None if mandatory is None or mandatory.score is None else mandatory.score,
        "coverage": _coverage_words(assessment, lang),
        "gap_count": len(gaps),
        "priorities": [{
            "title": g.result.title.get(lang),
            "level": level_name(g.result.level, lang),
            "severity": SEVERITY[g.result.severity].get(lang),
            "due": g.result.due.isoformat() if g.result.due is not None else None,
            "fix": g.result.remediation.get(lang) if g.result.remediation is not None else None,
        } for g in gaps[:TOP]],
        "collect_count": len(collect),
        "collect": [{"label": q.label.get(lang), "question": q.question.get(lang),
                     "waiting": len(q.items)} for q in collect[:TOP]],
    }
