"""The words of a diff, shared by its writers (terminal, Markdown, HTML, PDF, XLSX): verdicts
before and after, where a change came from with the facts that changed and how, and what a
score delta measures."""

from __future__ import annotations

from qcompliance.engine.diff import Diff, FactChange, ItemChange, ScoreDelta
from qcompliance.i18n import LEVEL, OPPORTUNITY_VERDICT, VERDICT, label
from qcompliance.model import ItemKind, Lang, Level, Text
from qcompliance.reports.findings import value_words
from qcompliance.reports.gaps import colon, joined

__all__ = ["FACTS_HEADING", "change_text", "fact_change", "scope_name", "verdict_of"]


FACTS_HEADING = Text("变化的事实", "Facts that changed")
"""The heading of the list of changed facts."""


def verdict_of(change: ItemChange, which: str, lang: Lang) -> str:
    """The verdict before or after a change, by its name (an absent item says so)."""
    return _verdict(change, which, lang)


def _verdict(change: ItemChange, which: str, lang: Lang) -> str:
    verdict = change.before if which == "before" else change.after
    if verdict is None:
        return label("diff.absent", lang)
    names = OPPORTUNITY_VERDICT if change.kind is ItemKind.OPPORTUNITY else VERDICT
    return names[verdict].get(lang)


def fact_change(fact: FactChange, lang: Lang) -> str:
    """A changed fact in words: ``投诉处理时限：3日 → 12日``."""
    name = fact.label.get(lang) if fact.label is not None else label("report.fact", lang)
    return (f"{name}{colon(lang)}{value_words(fact.key, fact.before, fact.before_given, lang)}"
            f" → {value_words(fact.key, fact.after, fact.after_given, lang)}")


def change_text(change: ItemChange, lang: Lang) -> str:
    """Where a change came from, naming the facts that changed: ``事实有变：投诉处理时限：
    3日 → 12日`` or ``检查清单版本不同``."""
    parts = []
    for cause in change.causes:
        if cause == "facts" and change.facts:
            parts.append(joined((fact_change(f, lang) for f in change.facts), lang))
        else:
            parts.append(label(f"diff.cause.{cause}", lang))
    return ("；" if lang == "zh" else "; ").join(parts) or "—"


def scope_name(result: Diff, delta: ScoreDelta, lang: Lang) -> str:
    """What a score delta measures: a checklist by its title, a level, or overall."""
    if delta.scope == "level":
        return LEVEL[Level(delta.key)].get(lang)
    if delta.scope == "overall":
        return label("overall", lang)
    title = result.checklist_titles.get(delta.key)
    return title.get(lang) if title is not None else delta.key
