"""The remediation plan's rows (csv and xlsx): one row per gap, in priority order, with its due
date, so a company can fill in owners and track status."""

from __future__ import annotations

from qcompliance.engine.due import DueConfig
from qcompliance.i18n import SEVERITY, label
from qcompliance.model import Assessment, Lang
from qcompliance.reports.gaps import ranked_gaps
from qcompliance.reports.texts import citation_text, joined, level_name, verdict_text

__all__ = ["PLAN_BLANK", "PLAN_COLUMNS", "PLAN_IMPACT", "remediation_plan"]


PLAN_COLUMNS = ("report.no", "report.item_id", "report.title_col", "checklist", "level",
                "severity", "report.impact", "verdict", "report.gap", "report.remediation",
                "report.evidence", "report.basis", "report.owner", "report.due",
                "report.plan_status")
"""The label keys of the remediation plan's columns (csv and xlsx)."""

PLAN_BLANK = 3
"""The last columns of the plan: owner and status left for the company to fill, between them
the due date (the law's deadline or the window of the gap's severity)."""

PLAN_IMPACT = PLAN_COLUMNS.index("report.impact")
"""The column (0-based) of the score gained if the gap is fixed, in percentage points."""


def remediation_plan(assessment: Assessment, lang: Lang, config: DueConfig | None = None
                     ) -> list[list[str]]:
    """The remediation plan: a header row, then one row per gap, ranked by impact (mandatory
    gaps first, each level by the score it gains if fixed, in percentage points)."""
    rows = [[label(key, lang) for key in PLAN_COLUMNS]]
    for n, ranked in enumerate(ranked_gaps(assessment, config), 1):
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
            joined((e.get(lang) for e in r.evidence), lang), basis, "",
            ranked.due.date.isoformat(), "",
        ])
    return rows
