"""Turn a filled-in remediation plan (the xlsx ``qcheck run --format xlsx`` wrote) into a calendar.

The plan comes with due dates (the law's deadline or the window of the gap's severity); the
consultant or the company fills in owners and may move dates. Every row with a due date becomes
an all-day event on that day, with reminders 7 and 1 days before, its owner and remediation in
the description. Rows marked done are left out. Columns are found by their header (in the first
rows, in Chinese or English), so reordering or adding columns does not break it; dates may be
date cells, Excel serial numbers, ``2026-12-31``, ``2026/12/31`` or ``2026年12月31日``. A plan
with no row to schedule is refused rather than written as an empty calendar. Same file, same
bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from typing import Any

from qcompliance.errors import InputError, Problem, UsageError
from qcompliance.i18n import LABELS
from qcompliance.model import Lang, Text
from qcompliance.reports.gaps import as_date
from qcompliance.reports.ics import escape_text, fold

__all__ = ["parse_due", "plan_to_ics"]

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:qcompliance:plan")
_ALARMS = (7, 1)
_COLUMNS = {"item": "report.item_id", "title": "report.title_col", "owner": "report.owner",
            "due": "report.due", "status": "report.plan_status", "fix": "report.remediation",
            "gap": "report.gap"}
# The headers of the plan as the xlsx writer words them (xlsx_plan.PLAN_HEADERS).
_HEADERS = {"title": Text("整改事项", "What to fix"), "gap": Text("现状", "What was found")}
_HEADER_ROWS = 10
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_WORDS = {
    "summary": Text("整改到期：{title}", "Remediation due: {title}"),
    "owner": Text("负责人", "Owner"),
    "item": Text("条目编号", "Item id"),
    "fix": Text("整改建议", "Remediation"),
    "gap": Text("差距", "Gap"),
    "calendar": Text("整改计划", "Remediation plan"),
    "reminder": Text("提醒：{title} 将于 {date} 到期（负责人：{owner}）",
                     "Reminder: {title} is due on {date} (owner: {owner})"),
    "no_sheet": Text("找不到整改计划工作表（需要“整改事项”和“完成期限”两列）",
                     "no remediation plan sheet (it needs the 'What to fix' and 'Due date' "
                     "columns)"),
    "bad_date": Text("不是日期：{value!r}（请填写 2026-12-31、2026/12/31、2026年12月31日 或使用"
                     "单元格日期格式）",
                     "not a date: {value!r} (write 2026-12-31, 2026/12/31 or use a date cell)"),
    "empty": Text("整改计划中没有要排期的事项（没有填写完成期限的未完成行），不生成空日历",
                  "the plan has nothing to schedule (no open row with a due date); no empty "
                  "calendar is written"),
    "not_xlsx": Text("无法作为 xlsx 工作簿读取", "cannot be read as an xlsx workbook"),
}
_DONE = {"已完成", "done"}


def _w(key: str, lang: Lang, **values: object) -> str:
    text = _WORDS[key].get(lang)
    return text.format(**values) if values else text


def _find_plan(book: Any) -> tuple[Any, int, dict[str, int], Lang] | None:
    """The sheet whose header row (one of the first rows) names the title (or item-id) and
    due-date columns: the sheet, its header row, its columns by role and the header's
    language."""
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=1, max_row=_HEADER_ROWS):
            header = [str(c.value).strip() if c.value is not None else "" for c in row]
            lang: Lang
            for lang in ("zh", "en"):
                names = {LABELS[key].get(lang): role for role, key in _COLUMNS.items()}
                names.update({text.get(lang): role for role, text in _HEADERS.items()})
                found = {names[h]: n for n, h in enumerate(header) if h in names}
                if ("item" in found or "title" in found) and "due" in found:
                    return ws, row[0].row, found, lang
    return None


def parse_due(value: object) -> dt.date | None:
    """A due date as consultants type it: a date cell, an Excel serial number, ``2026-12-31``,
    ``2026/12/31``, ``2026.12.31`` or ``2026年12月31日``; None when it is none of these."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and 1 <= value < 2958466:  # Excel's 1900..9999
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, str):
        match = _DATE.match(value)
        if match is not None:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
        return as_date(value.strip())
    return as_date(value)


def plan_to_ics(data: bytes, origin: str) -> tuple[str, int, int]:
    """The calendar of a filled-in plan: (iCalendar text, events, rows without a due date).

    ``origin`` names the file in error messages (file, row and column of a bad date)."""
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError(Problem("reading a plan needs openpyxl: pip install 'qcompliance[xlsx]'",
                                 file=origin)) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception:  # openpyxl raises many kinds (zip, xml, key) for a file that is not xlsx
        raise InputError(Problem(_w("not_xlsx", "zh") + " / " + _w("not_xlsx", "en"),
                                 file=origin)) from None
    found = _find_plan(book)
    if found is None:
        raise InputError(Problem(_w("no_sheet", "zh") + " / " + _w("no_sheet", "en"),
                                 file=origin))
    ws, header_row, cols, lang = found
    events: list[list[str]] = []
    undated = 0
    for row in ws.iter_rows(min_row=header_row + 1):
        def cell(role: str, row: tuple[Any, ...] = row) -> Any:
            n = cols.get(role)
            return row[n].value if n is not None and n < len(row) else None

        title = cell("title")
        item = cell("item") or title
        if item in (None, ""):
            continue
        if str(cell("status") or "").strip().lower() in _DONE:
            continue
        raw = cell("due")
        if raw in (None, ""):
            undated += 1
            continue
        due = parse_due(raw)
        if due is None:
            raise InputError(Problem(_w("bad_date", lang, value=raw), file=origin,
                                     line=row[0].row, key=LABELS["report.due"].get(lang)))
        events.append(_event(str(item), str(title or item), str(cell("owner") or "—"),
                             due, cell("fix"), cell("gap"), lang, has_id=cell("item") is not None))
    if not events:
        raise InputError(Problem(_w("empty", lang), file=origin))
    language = "zh-CN" if lang == "zh" else "en"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//qcompliance//qcheck plan ics//"
             + lang.upper(), "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(_w('calendar', lang))}"]
    for event in sorted(events, key=lambda e: (e[2], e[1])):
        lines += [line.replace("{LANG}", language) for line in event]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines), len(events), undated


def _event(item: str, title: str, owner: str, due: dt.date, fix: object, gap: object,
           lang: Lang, *, has_id: bool = True) -> list[str]:
    stamp = due.strftime("%Y%m%d")
    end = (due + dt.timedelta(days=1)).strftime("%Y%m%d")
    sep = "：" if lang == "zh" else ": "
    description = "\n".join(
        [f"{_w('owner', lang)}{sep}{owner}"]
        + ([f"{_w('item', lang)}{sep}{item}"] if has_id else [])
        + ([f"{_w('gap', lang)}{sep}{gap}"] if gap else [])
        + ([f"{_w('fix', lang)}{sep}{fix}"] if fix else []))
    summary = _w("summary", lang, title=title)
    reminder = escape_text(_w("reminder", lang, title=title, date=due.isoformat(), owner=owner))
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uuid.uuid5(_NAMESPACE, item)}@qcompliance",
        f"DTSTAMP:{stamp}T000000Z",
        f"DTSTART;VALUE=DATE:{stamp}",
        f"DTEND;VALUE=DATE:{end}",
        f"SUMMARY;LANGUAGE={{LANG}}:{escape_text(summary)}",
        f"DESCRIPTION;LANGUAGE={{LANG}}:{escape_text(description)}",
        "CATEGORIES:qcompliance",
    ]
    for days in _ALARMS:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-P{days}D",
                  f"DESCRIPTION:{reminder}", "END:VALARM"]
    return [*lines, "END:VEVENT"]
