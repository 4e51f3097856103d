"""The remediation plan sheet of the workbook: a working document a company tracks to the end.

A title and a progress summary (live formulas: done, in progress, overdue) above the frozen
header; Chinese columns first (what to fix, severity, due date, owner, status), wrapped text;
the basis short (document and articles) with the full citation and quote in a cell note; due
dates as real Excel dates with date validation; owner and status drop-downs (owners from a
names sheet the company fills); overdue rows red and done rows green by conditional formatting;
A4 landscape with the header repeated on every page. No ids: the calendar (``qcheck plan ics``)
finds rows by their title and due date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from qcompliance.engine.due import DueConfig
from qcompliance.i18n import SEVERITY, label
from qcompliance.model import Assessment, Lang, Text
from qcompliance.reports.findings import found_text
from qcompliance.reports.gaps import citation_text, joined, level_name, ranked_gaps
from qcompliance.reports.texts import short_basis
from qcompliance.reports.words import due_note

__all__ = ["HEADER_ROW", "PLAN_HEADERS", "write_plan"]

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # no XML may hold these

HEADER_ROW = 4
"""The row of the column headers (title and progress summary above it)."""

PLAN_HEADERS: tuple[tuple[str, Text, int], ...] = (
    ("no", Text("序号", "No."), 6),
    ("title", Text("整改事项", "What to fix"), 36),
    ("severity", Text("严重程度", "Severity"), 9),
    ("due", Text("完成期限", "Due date"), 12),
    ("owner", Text("负责人", "Owner"), 12),
    ("status", Text("整改状态", "Status"), 10),
    ("gap", Text("现状", "What was found"), 34),
    ("fix", Text("整改建议", "Remediation"), 44),
    ("evidence", Text("佐证材料", "Evidence"), 28),
    ("basis", Text("依据", "Basis"), 28),
    ("due_note", Text("期限依据", "Due date from"), 16),
    ("level", Text("层级", "Level"), 9),
    ("topic", Text("主题", "Topic"), 18),
)
"""Each column: its role, its header and its width (in characters)."""

_WORDS = {
    "title": Text("整改计划 · {company} · 评估日 {day}", "Remediation plan · {company} · {day}"),
    "total": Text("合计", "Total"),
    "done": Text("已完成", "Done"),
    "doing": Text("进行中", "In progress"),
    "overdue": Text("已逾期", "Overdue"),
    "share": Text("完成率", "Done"),
    "names": Text("负责人名单", "Owners"),
    "names_note": Text("在此列出负责人，整改计划的“负责人”列即可从下拉列表选择。",
                       "List the owners here; the plan's Owner column offers them in a "
                       "drop-down."),
    "full_basis": Text("依据全文", "Full basis"),
}


def _w(key: str, lang: Lang, **values: object) -> str:
    text = _WORDS[key].get(lang)
    return text.format(**values) if values else text


def _statuses(lang: Lang) -> list[str]:
    return label("report.plan_status.values", lang).split(",")


def write_plan(book: Any, assessment: Assessment, lang: Lang, put: Any,
               config: DueConfig | None = None) -> None:
    """Add the plan sheet (and the owners sheet its drop-down reads) to ``book``."""
    from openpyxl.comments import Comment  # type: ignore[import-untyped]
    from openpyxl.formatting.rule import FormulaRule  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    ws = book.create_sheet(label("report.sheet.plan", lang))
    names = book.create_sheet(_w("names", lang))
    col = {role: n for n, (role, _, _) in enumerate(PLAN_HEADERS, 1)}
    letter = {role: get_column_letter(n) for role, n in col.items()}
    last = get_column_letter(len(PLAN_HEADERS))
    ranked = ranked_gaps(assessment, config)
    titles = {ref.id: ref.title.get(lang) for ref in assessment.checklists}
    first = HEADER_ROW + 1
    end = max(HEADER_ROW + len(ranked), first)

    put(ws, 1, 1, _w("title", lang, company=assessment.profile_name or "—",
                     day=assessment.as_of.isoformat())).font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    status_range = f"${letter['status']}${first}:${letter['status']}${end}"
    due_range = f"${letter['due']}${first}:${letter['due']}${end}"
    done, doing = _statuses(lang)[2], _statuses(lang)[1]
    summary = [
        (_w("total", lang), f"=COUNTA(${letter['title']}${first}:${letter['title']}${end})"),
        (_w("done", lang), f'=COUNTIF({status_range},"{done}")'),
        (_w("doing", lang), f'=COUNTIF({status_range},"{doing}")'),
        (_w("overdue", lang),
         f'=COUNTIFS({due_range},"<"&TODAY(),{status_range},"<>{done}")'),
        (_w("share", lang), "=IF(B2=0,0,D2/B2)"),
    ]
    for n, (name, formula) in enumerate(summary):
        put(ws, 2, 1 + 2 * n, name, bold=True)
        ws.cell(row=2, column=2 + 2 * n, value=formula)
    ws.cell(row=2, column=10).number_format = "0%"

    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for role, n in col.items():
        cell = put(ws, HEADER_ROW, n, PLAN_HEADERS[n - 1][1].get(lang))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[letter[role]].width = PLAN_HEADERS[n - 1][2]
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, gap in enumerate(ranked, first):
        r = gap.result
        values: dict[str, object] = {
            "no": row - HEADER_ROW, "title": r.title.get(lang),
            "severity": SEVERITY[r.severity].get(lang), "due": gap.due.date,
            "gap": found_text(r, lang) or None,
            "fix": r.remediation.get(lang) if r.remediation else None,
            "evidence": joined((e.get(lang) for e in r.evidence), lang) or None,
            "basis": short_basis(r.citations, lang) or None,
            "due_note": due_note(gap.due, lang), "level": level_name(r.level, lang),
            "topic": titles.get(r.checklist, ""),
        }
        for role, value in values.items():
            cell = put(ws, row, col[role], value)
            cell.alignment = wrap
        ws.cell(row=row, column=col["due"]).number_format = "yyyy-mm-dd"
        full = "\n".join(citation_text(c, lang) + (f"\n“{c.quote}”" if c.quote else "")
                         for c in r.citations)
        if full:
            note = Comment(_ILLEGAL.sub("\ufffd", full[:1500]), "qcompliance")
            note.width, note.height = 420, 240
            ws.cell(row=row, column=col["basis"]).comment = note

    ws.freeze_panes = f"C{first}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{end}"
    status_list = ",".join(_statuses(lang))
    status_check = DataValidation(type="list", formula1=f'"{status_list}"', allow_blank=True)
    status_check.add(f"{letter['status']}{first}:{letter['status']}{end + 200}")
    owner_check = DataValidation(type="list", formula1=f"='{names.title}'!$A$2:$A$60",
                                 allow_blank=True)
    owner_check.add(f"{letter['owner']}{first}:{letter['owner']}{end + 200}")
    date_check = DataValidation(type="date", operator="greaterThan",
                                formula1=str((dt.date(2000, 1, 1) - dt.date(1899, 12, 30)).days),
                                allow_blank=True)
    date_check.add(f"{letter['due']}{first}:{letter['due']}{end + 200}")
    for check in (status_check, owner_check, date_check):
        ws.add_data_validation(check)
    rows = f"A{first}:{last}{end}"
    ws.conditional_formatting.add(rows, FormulaRule(
        formula=[f'${letter["status"]}{first}="{done}"'],
        fill=PatternFill("solid", fgColor="E3F1E4")))
    ws.conditional_formatting.add(rows, FormulaRule(
        formula=[f'AND(${letter["due"]}{first}<>"",${letter["due"]}{first}<TODAY(),'
                 f'${letter["status"]}{first}<>"{done}")'],
        fill=PatternFill("solid", fgColor="FDE2E1")))

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    # Only the working columns print: the level and topic are for filtering on screen.
    ws.print_area = f"A1:{letter['due_note']}{end}"
    ws.page_margins.left = ws.page_margins.right = 0.4

    put(names, 1, 1, _w("names", lang), bold=True)
    put(names, 1, 2, _w("names_note", lang))
    names.column_dimensions["A"].width = 20
    names.column_dimensions["B"].width = 60
