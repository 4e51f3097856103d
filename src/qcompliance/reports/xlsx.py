"""The gap report as an Excel workbook (needs the ``xlsx`` extra: openpyxl).

The remediation plan comes first (:mod:`qcompliance.reports.xlsx_plan`: one row per gap with
its due date, owner and status drop-downs, progress formulas), with the owners list it reads;
then a summary (who, when, the decision, scores beside coverage by checklist and by level) and
the facts to collect; a last sheet lists the tailoring changes when the assessment was
tailored. No sheet shows an item id, a fact key or a digest. Tables have a frozen, bold header
row, an auto filter and column widths that fit their text (CJK characters count double).

The same assessment gives the same bytes: the document's timestamps and the zip entries' times
are the assessment day, not the moment of writing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from typing import Any

from qcompliance.engine.due import DueConfig
from qcompliance.errors import Problem, UsageError
from qcompliance.i18n import label
from qcompliance.model import Assessment, Lang, Score
from qcompliance.reports.decision import decision_summary
from qcompliance.reports.gaps import (
    change_values,
    facts_to_collect,
    joined,
    level_name,
    question_text,
)
from qcompliance.reports.xlsx_plan import write_plan

__all__ = ["render_xlsx"]

_MAX_WIDTH = 60  # wider columns wrap instead
_MIN_WIDTH = 6
_HEADER_FILL = "DDE6F0"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _openpyxl() -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped]  # openpyxl ships no type hints
    except ImportError:
        raise UsageError(Problem(
            "the xlsx format needs openpyxl: pip install 'qcompliance[xlsx]'",
            key="--format")) from None
    return openpyxl


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _put(ws: Any, row: int, col: int, value: object, *, bold: bool = False) -> Any:
    if isinstance(value, str):
        value = _ILLEGAL.sub("\ufffd", value)  # control characters an xlsx cannot hold
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        # Stored as text, and with the apostrophe a spreadsheet shows for typed text, so the
        # cell stays inert when edited or exported to CSV (text from a profile is never a
        # formula).
        value = "'" + value
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        from openpyxl.styles import Font  # type: ignore[import-untyped]

        cell.font = Font(bold=True)
    return cell


def _header(ws: Any, row: int, names: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for col, name in enumerate(names, 1):
        cell = _put(ws, row, col, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=False)


def _fit(ws: Any, first_row: int = 1, wrap_from: int = 1) -> None:
    """Fit each column to its longest text; longer texts wrap (from row ``wrap_from`` on)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is None:
                continue
            text = cell.value if isinstance(cell.value, str) else "00.0%"
            widths[cell.column] = max(widths.get(cell.column, 0), _width(text))
            if cell.row >= wrap_from and _width(text) > _MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(
            _MIN_WIDTH, min(_MAX_WIDTH, width + 2))


def _score_row(ws: Any, row: int, cells: Sequence[object], score: Score) -> None:
    values = [*cells, score.score, score.coverage, score.passed, score.failed, score.unknown,
              score.waived, score.not_applicable]
    for col, value in enumerate(values, 1):
        cell = _put(ws, row, col, "—" if value is None else value)
        if col in (len(cells) + 1, len(cells) + 2) and value is not None:
            cell.number_format = "0.0%"


def _summary(ws: Any, assessment: Assessment, lang: Lang,
             config: DueConfig | None) -> None:
    from openpyxl.styles import Alignment, Font

    ws.title = label("report.sheet.summary", lang)
    decision = decision_summary(assessment, lang, config)
    _put(ws, 1, 1, label("report.title", lang)).font = Font(bold=True, size=14)
    info: list[tuple[str, object]] = [
        (label("company", lang), assessment.profile_name or "—"),
        (label("credit_code", lang), assessment.profile_credit_code or "—"),
        (label("as_of", lang), assessment.as_of),
        (label("report.summary", lang), decision.headline),
        (label("coverage", lang), decision.coverage_words),
    ]
    for n, (name, value) in enumerate(info, 2):
        _put(ws, n, 1, name, bold=True)
        cell = _put(ws, n, 2, value)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(horizontal="left")
        elif n > 4:
            ws.merge_cells(start_row=n, start_column=2, end_row=n, end_column=9)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[n].height = 32
    table = len(info) + 3
    _header(ws, table, [label(k, lang) for k in (
        "checklist", "report.applies", "score", "coverage",
        "report.passed", "report.failed", "report.unknown", "report.waived",
        "report.not_applicable")])
    row = table + 1
    for ref in assessment.checklists:
        score = assessment.scores_by_checklist.get(ref.id)
        if score is None:
            continue
        _score_row(ws, row, [ref.title.get(lang),
                             label(f"report.applies.{ref.applicable}", lang)], score)
        row += 1
    for level, score in assessment.scores_by_level.items():
        _score_row(ws, row, [level_name(level, lang), ""], score)
        row += 1
    _score_row(ws, row, [label("overall", lang), ""], assessment.overall)
    for col in range(1, 10):
        ws.cell(row=row, column=col).font = Font(bold=True)
    ws.auto_filter.ref = f"A{table}:I{row}"
    ws.freeze_panes = f"A{table + 1}"
    _fit(ws, first_row=table)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width,
                                          *(_width(name) + 2 for name, _ in info))
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width, 24)


def _facts(ws: Any, assessment: Assessment, lang: Lang) -> None:
    ws.title = label("report.sheet.facts", lang)
    # The help texts speak to whoever writes the profile (they name fact keys): not here.
    _header(ws, 1, [label(k, lang) for k in (
        "report.fact", "report.question", "report.items_waiting")])
    questions = facts_to_collect(assessment)
    titles = {r.item: r.title.get(lang) for r in assessment.results}
    for r, q in enumerate(questions, 2):
        values = [q.label.get(lang), question_text(q, lang),
                  joined((titles.get(i, "—") for i in q.items), lang)]
        for c, value in enumerate(values, 1):
            _put(ws, r, c, value)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:C{max(len(questions) + 1, 2)}"
    _fit(ws, wrap_from=2)


def _tailoring(ws: Any, assessment: Assessment, lang: Lang) -> None:
    record = assessment.tailoring
    assert record is not None
    ws.title = label("report.tailoring", lang)
    _header(ws, 1, [label(k, lang) for k in (
        "report.target", "report.change", "report.old_new", "report.reason")])
    titles = {r.item: r.title.get(lang) for r in assessment.results}
    titles.update({ref.id: ref.title.get(lang) for ref in assessment.checklists})
    for r, change in enumerate(record.changes, 2):
        values = [titles.get(change.target, change.target),
                  label(f"report.change.{change.kind}", lang),
                  change_values(change, lang), change.reason]
        for c, value in enumerate(values, 1):
            _put(ws, r, c, value)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{max(len(record.changes) + 1, 2)}"
    _fit(ws, wrap_from=2)


def _deterministic(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry dated ``when``, so equal workbooks give equal bytes."""
    out = io.BytesIO()
    # A zip entry's time holds only 1980 to 2107; an assessment day outside is clamped there
    # (the workbook's own properties keep the true day).
    year = min(max(when.year, 1980), 2107)
    stamp = (year, when.month, when.day if (when.month, when.day) != (2, 29) else 28, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def render_xlsx(assessment: Assessment, lang: Lang = "zh", *,
                config: DueConfig | None = None) -> bytes:
    """The gap report as the bytes of an .xlsx workbook, the remediation plan first."""
    openpyxl = _openpyxl()
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    write_plan(workbook, assessment, lang, _put, config)
    _summary(workbook.create_sheet(), assessment, lang, config)
    _facts(workbook.create_sheet(), assessment, lang)
    if assessment.tailoring is not None:
        _tailoring(workbook.create_sheet(), assessment, lang)
    when = dt.datetime.combine(assessment.as_of, dt.time())
    props = workbook.properties
    # The version is from the (possibly hand-edited) assessment: no control characters in XML.
    props.creator = props.lastModifiedBy = _ILLEGAL.sub(
        "\ufffd", f"qcompliance {assessment.tool_version}")
    props.title = label("report.title", lang)
    props.created = props.modified = when
    props.language = "zh-CN" if lang == "zh" else "en"
    buffer = io.BytesIO()
    # openpyxl's save_workbook stamps the current time; its writer alone keeps ours.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _deterministic(buffer.getvalue(), when)
