"""Upcoming deadlines as an iCalendar file (RFC 5545), one all-day event per deadline.

The deadlines are those of :func:`qcompliance.reports.gaps.upcoming_deadlines`: dates among the
facts read that fall within 90 days after ``as_of`` (a certificate that expires), and waivers
that expire in that time; and every gap on its due date (the same date the report, the terminal
summary and the plan give it). Each event has reminders 30 and 7 days before.

The text is written here rather than with the ``icalendar`` package, so the library needs no
extra dependency and the same assessment always gives the same bytes: ``DTSTAMP`` is the
assessment day and ``UID`` is derived from the company and the deadline (so importing a later
run updates an event instead of adding a copy). Lines end in CRLF and are folded at 75 octets
without splitting a UTF-8 character. The tests parse the output with ``icalendar``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from qcompliance.engine.due import DueConfig
from qcompliance.i18n import SEVERITY, label
from qcompliance.model import Assessment, Lang, Text
from qcompliance.reports.findings import first_step
from qcompliance.reports.gaps import (
    Deadline,
    RankedGap,
    colon,
    item_list,
    ranked_gaps,
    tr,
    upcoming_deadlines,
)
from qcompliance.reports.words import due_note

__all__ = ["escape_text", "fold", "render_ics"]

_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:qcompliance:ics")
_ALARMS = (30, 7)
"""Days before a deadline at which a reminder shows."""


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029\x85]")
"""Characters no iCalendar content line may hold (RFC 5545 3.1: CTLs other than HTAB)."""


def escape_text(text: str) -> str:
    """``text`` as an RFC 5545 TEXT value (backslash, semicolon, comma and newline escaped)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets, joined with CRLF."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # a continuation line starts with a space
        current += ch
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _what(deadline: Deadline, lang: Lang) -> str:
    # Titles may hold 、 themselves: a semicolon keeps each one apart. The key stays in the
    # description, not in the line a client reads in the calendar.
    titles = ("；" if lang == "zh" else "; ").join(t.get(lang) for t in deadline.titles)
    kind = label(f"report.deadline.{deadline.kind}", lang)
    return f"{kind}{colon(lang)}{titles}"


def _event(assessment: Assessment, deadline: Deadline, lang: Lang, language: str) -> list[str]:
    who = assessment.profile_credit_code or assessment.profile_name or ""
    uid = uuid.uuid5(_UID_NAMESPACE, f"{who}\n{deadline.kind}\n{deadline.key}\n{deadline.date}")
    what = _what(deadline, lang)
    c = colon(lang)
    description = "\n".join([
        f"{label('company', lang)}{c}{assessment.profile_name or '—'}",
        *([f"{label('report.fact', lang)}{c}{deadline.key}"] if deadline.kind == "fact" else []),
        f"{label('report.date', lang)}{c}{deadline.date.isoformat()}",
        f"{label('item', lang)}{c}" + item_list(deadline.named_items(lang), lang),
        f"{label('as_of', lang)}{c}{assessment.as_of.isoformat()}",
    ])
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}@qcompliance",
        f"DTSTAMP:{_date(assessment.as_of)}T000000Z",
        f"DTSTART;VALUE=DATE:{_date(deadline.date)}",
        f"DTEND;VALUE=DATE:{_date(deadline.date + dt.timedelta(days=1))}",
        f"SUMMARY;LANGUAGE={language}:{escape_text(what)}",
        f"DESCRIPTION;LANGUAGE={language}:{escape_text(description)}",
        "CATEGORIES:qcompliance",
        "TRANSP:TRANSPARENT",
    ]
    reminder = escape_text(tr("report.ics.reminder", lang, what=what,
                              date=deadline.date.isoformat()))
    for days in _ALARMS:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-P{days}D",
                  f"DESCRIPTION:{reminder}", "END:VALARM"]
    return [*lines, "END:VEVENT"]


_GAP = Text("整改期限：{title}", "Remediation due: {title}")


def _gap_event(assessment: Assessment, gap: RankedGap, lang: Lang, language: str
               ) -> list[str]:
    who = assessment.profile_credit_code or assessment.profile_name or ""
    r = gap.result
    uid = uuid.uuid5(_UID_NAMESPACE, f"{who}\ngap\n{r.item}")
    what = _GAP.get(lang).format(title=r.title.get(lang))
    c = colon(lang)
    step = first_step(r, lang)
    description = "\n".join([
        f"{label('company', lang)}{c}{assessment.profile_name or '—'}",
        f"{label('severity', lang)}{c}{SEVERITY[r.severity].get(lang)}",
        f"{label('report.due', lang)}{c}{gap.due.date.isoformat()}（{due_note(gap.due, lang)}）"
        if lang == "zh" else
        f"{label('report.due', lang)}{c}{gap.due.date.isoformat()} ({due_note(gap.due, lang)})",
        *([f"{label('report.remediation', lang)}{c}{step}"] if step else []),
    ])
    day = gap.due.date
    lines = [
        "BEGIN:VEVENT", f"UID:{uid}@qcompliance",
        f"DTSTAMP:{_date(assessment.as_of)}T000000Z",
        f"DTSTART;VALUE=DATE:{_date(day)}",
        f"DTEND;VALUE=DATE:{_date(day + dt.timedelta(days=1))}",
        f"SUMMARY;LANGUAGE={language}:{escape_text(what)}",
        f"DESCRIPTION;LANGUAGE={language}:{escape_text(description)}",
        "CATEGORIES:qcompliance", "TRANSP:TRANSPARENT",
    ]
    reminder = escape_text(tr("report.ics.reminder", lang, what=what, date=day.isoformat()))
    for days in _ALARMS:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-P{days}D",
                  f"DESCRIPTION:{reminder}", "END:VALARM"]
    return [*lines, "END:VEVENT"]


def render_ics(assessment: Assessment, lang: Lang = "zh", *,
               config: DueConfig | None = None) -> str:
    """The upcoming deadlines and the gaps' due dates as iCalendar text (CRLF line ends,
    folded lines)."""
    language = "zh-CN" if lang == "zh" else "en"
    name = label("report.ics.calendar", lang)
    if assessment.profile_name:
        name += f" · {assessment.profile_name}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//qcompliance//qcheck {assessment.tool_version}//{lang.upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for deadline in upcoming_deadlines(assessment):
        lines += _event(assessment, deadline, lang, language)
    for gap in ranked_gaps(assessment, config):
        lines += _gap_event(assessment, gap, lang, language)
    lines.append("END:VCALENDAR")
    # Every line passes here, so no value (a hand-edited tool_version in PRODID included)
    # can end a line early and start a property or an event of its own.
    return "".join(fold(_CONTROL.sub("", line)) + "\r\n" for line in lines)
