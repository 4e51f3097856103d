"""The words every writer shares: labels, joins, citations and fact values in a reader's language.

Split from :mod:`qcompliance.reports.gaps` (which re-exports these names): that module decides
what a report shows; this one how a value reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from qcompliance.i18n import LEVEL, OPPORTUNITY_VERDICT, SEVERITY, VERDICT, label
from qcompliance.model import (
    Assessment,
    Change,
    Citation,
    FactRead,
    ItemKind,
    Lang,
    Level,
    Question,
    Result,
    Severity,
    Text,
)
from qcompliance.rules.explain import describe_value

__all__ = [
    "SIZE_FACT",
    "allowed_values",
    "as_date",
    "change_values",
    "citation_text",
    "colon",
    "fact_evidence",
    "fact_text",
    "file_name",
    "item_list",
    "joined",
    "level_name",
    "points",
    "short_basis",
    "size_class_text",
    "tr",
    "verdict_text",
]


def tr(name: str, lang: Lang, **values: object) -> str:
    """The label ``name`` in ``lang`` with its ``{placeholders}`` filled from ``values``."""
    text = label(name, lang)
    return text.format(**values) if values else text


def colon(lang: Lang) -> str:
    """The colon after a label: full-width in Chinese."""
    return "：" if lang == "zh" else ": "


def joined(texts: Iterable[str], lang: Lang) -> str:
    """Texts joined as a list: with 、 in Chinese, with semicolons in English."""
    return ("、" if lang == "zh" else "; ").join(texts)


def item_list(named: Iterable[tuple[str, str]], lang: Lang) -> str:
    """Items by title with their id in brackets, kept apart: ``标题（id）；标题（id）``."""
    if lang == "zh":
        return "；".join(f"{title}（{item}）" for item, title in named)
    return "; ".join(f"{title} ({item})" for item, title in named)


SIZE_FACT = "company.size"
"""The fact holding the enterprise size class (given, or derived from staff and revenue)."""

_SIZE = {"large": Text("大型企业", "large enterprise"),
         "medium": Text("中型企业", "medium enterprise"),
         "small": Text("小型企业", "small enterprise"),
         "micro": Text("微型企业", "micro enterprise")}


def size_class_text(assessment: Assessment, lang: Lang) -> str:
    """The size class the evaluation used, e.g. ``小型企业（按统计分类）``, or ``""`` when no item
    read it. Rules with their own size test (Order 75 art. 18: staff or revenue) say so in their
    own findings; this is the statistical class."""
    for result in assessment.results:
        for read in result.facts:
            if read.key == SIZE_FACT and read.status != "missing" and read.value in _SIZE:
                shown = _SIZE[str(read.value)].get(lang)
                how = ("推算" if read.derived_from else "填报") if lang == "zh" else (
                    "derived" if read.derived_from else "as given")
                return f"{shown}（{how}）" if lang == "zh" else f"{shown} ({how})"
    return ""


def as_date(value: object) -> dt.date | None:
    """``value`` as a date when it is one, or an ISO ``YYYY-MM-DD`` text (as JSON keeps it)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def allowed_values(question: Question, lang: Lang) -> str:
    """The answers a question allows, e.g. ``可选值：large、medium``, or ``""`` for free text."""
    if not question.values:
        return ""
    sep = "：" if lang == "zh" else ": "
    return label("report.allowed_values", lang) + sep + joined(question.values, lang)


def verdict_text(result: Result, lang: Lang) -> str:
    """The verdict's name; an opportunity's reads "you may qualify" rather than "pass"."""
    names = OPPORTUNITY_VERDICT if result.kind is ItemKind.OPPORTUNITY else VERDICT
    return names[result.verdict].get(lang)


def level_name(level: Level | str, lang: Lang) -> str:
    """The name of a level (given as the enum or its value)."""
    return LEVEL[Level(level)].get(lang)


def citation_text(citation: Citation, lang: Lang) -> str:
    """Source title, issuer and clause, as a reader cites them (the quote is apart)."""
    title, issuer = citation.title.get(lang), citation.issuer.get(lang)
    if lang == "zh":
        return f"《{title}》（{issuer}）{citation.clause}"
    return f"{title} ({issuer}), {citation.clause}"


def _value_text(value: object, lang: Lang) -> str:
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Mapping) for v in value):
        return tr("report.records", lang, n=len(value))
    return describe_value(value, lang)


def fact_text(read: FactRead, lang: Lang) -> str:
    """A fact's value as a reader would write it, or that it is missing or stale."""
    if read.status == "missing":
        return label("report.value_missing", lang)
    text = _value_text(read.value, lang)
    if read.status == "stale":
        return f"{text}（{label('report.value_stale', lang)}）" if lang == "zh" else (
            f"{text} ({label('report.value_stale', lang)})")
    return text


def fact_evidence(read: FactRead, lang: Lang) -> str:
    """Where a fact comes from, e.g. ``（佐证：hr/cqo.pdf；确认人：张三；截至 2026-10-31）``.

    Evidence files, source, who attested it, the day it was true, until when it is valid and
    the facts it was derived from; ``""`` when the profile says none of these."""
    parts = []
    sep = "：" if lang == "zh" else ": "
    if read.evidence:
        parts.append(label("report.evidence_given", lang) + sep + joined(read.evidence, lang))
    if read.source:
        parts.append(label("report.fact_source", lang) + sep + read.source)
    if read.attested_by:
        parts.append(label("report.attested_by", lang) + sep + read.attested_by)
    if read.as_of:
        parts.append(label("report.fact_as_of", lang) + sep + read.as_of.isoformat())
    if read.valid_until:
        parts.append(label("report.valid_until", lang) + sep + read.valid_until.isoformat())
    if read.derived_from:
        parts.append(label("report.derived_from", lang) + sep + joined(read.derived_from, lang))
    if not parts:
        return ""
    if lang == "zh":
        return "（" + "；".join(parts) + "）"
    return " (" + "; ".join(parts) + ")"


def points(share: float, lang: Lang) -> str:
    """A rise of a score in percentage points, e.g. ``+50.0 percentage points``."""
    return tr("report.points", lang, n=f"{share * 100:.1f}")


def file_name(origin: str | None) -> str:
    """The last part of a file path: reports name a file without the writer's folders."""
    if not origin:
        return "—"
    return origin.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def change_values(change: Change, lang: Lang) -> str:
    """The old and new values of a tailoring change, e.g. ``min_hours = 8 → 6`` or ``中 → 低``
    (a dash for a change that leaves something out)."""
    def show(value: object) -> str:
        if isinstance(value, Mapping):
            return joined((f"{k} = {describe_value(v, lang)}" for k, v in value.items()), lang)
        if change.kind == "severity" and isinstance(value, str):
            return SEVERITY[Severity(value)].get(lang)
        return describe_value(value, lang)

    if change.kind in ("deselect_checklist", "deselect_item"):
        return "—"
    return f"{show(change.old)} → {show(change.new)}"


def short_basis(citations: Iterable[Citation], lang: Lang) -> str:
    """The basis as a consultant cites it: each document once, with its clauses, e.g.
    ``《产品质量法》第二十七条、第三十条`` (issuers and quotes are in the appendix)."""
    clauses: dict[str, list[str]] = {}
    for citation in citations:
        found = clauses.setdefault(citation.title.get(lang), [])
        if citation.clause not in found:
            found.append(citation.clause)
    if lang == "zh":
        return "；".join(f"《{title}》" + "、".join(found) for title, found in clauses.items())
    return "; ".join(f"{title}, " + ", ".join(found) for title, found in clauses.items())
