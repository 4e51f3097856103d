"""Writers of a :class:`~qcompliance.diff.Diff`: terminal table, Markdown and JSON (HTML, PDF
and XLSX in :mod:`qcompliance.reports.diff_docs`).

Like the assessment writers, each takes the diff and a language and returns text; the CLI
decides where it goes. The table and Markdown name items by title and say which facts changed
and how ("投诉处理时限：3日 → 12日"); JSON (schema ``qcompliance/diff/v1``) carries both
languages and the ids.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from qcompliance.engine.diff import Diff, ItemChange, ScoreDelta
from qcompliance.i18n import LEVEL, SEVERITY, label, percent
from qcompliance.loading.converter import converter
from qcompliance.model import Lang
from qcompliance.reports.diff_words import (
    FACTS_HEADING,
    change_text,
    fact_change,
    scope_name,
    verdict_of,
)
from qcompliance.reports.gaps import colon, tr
from qcompliance.reports.markdown import md_escape

__all__ = ["DIFF_WRITERS", "FACTS_HEADING", "change_text", "diff_table_renderable",
           "diff_to_data", "fact_change", "render_diff_json", "render_diff_markdown",
           "render_diff_table", "scope_name", "verdict_of"]


def _signed(delta: float | None) -> str:
    return "—" if delta is None else f"{delta * 100:+.1f}"


def _score_cells(delta: ScoreDelta) -> list[str]:
    b, a = delta.before, delta.after
    return [percent(b.score if b else None), percent(a.score if a else None),
            _signed(delta.score_delta),
            percent(b.coverage if b else None), percent(a.coverage if a else None),
            _signed(delta.coverage_delta)]


def _score_header(lang: Lang) -> list[str]:
    score, coverage = label("score", lang), label("coverage", lang)
    parts = [label(p, lang) for p in ("diff.before", "diff.after", "diff.delta")]
    if lang == "zh":
        return [f"{name}{part}" for name in (score, coverage) for part in parts]
    return [f"{name} {part.lower()}" for name in (score, coverage) for part in parts]


def _summary(result: Diff, lang: Lang) -> str:
    return tr("diff.summary", lang, closed=len(result.closed), new=len(result.new_failures),
              changed=len(result.changed))


def _sections(result: Diff) -> Sequence[tuple[str, tuple[ItemChange, ...]]]:
    return (("diff.new_failures", result.new_failures), ("diff.closed", result.closed),
            ("diff.changed", result.changed))


def diff_table_renderable(result: Diff, lang: Lang) -> RenderableType:
    """The diff as a rich renderable (the CLI prints it in colour)."""
    header = RichText()
    header.append(f"{label('diff.title', lang)}{colon(lang)}", style="bold")
    header.append(f"{label('company', lang)} {result.profile_name or '—'}\n")
    header.append(f"{label('diff.previous', lang)} {result.previous_as_of.isoformat()} → "
                  f"{label('diff.current', lang)} {result.current_as_of.isoformat()}\n")
    header.append(_summary(result, lang))
    parts: list[RenderableType] = [header]
    styles = {"diff.new_failures": "bold red", "diff.closed": "green", "diff.changed": ""}
    for key, changes in _sections(result):
        if not changes:
            continue
        table = Table(title=label(key, lang), title_justify="left", title_style=styles[key])
        for column in ("item", "level", "severity"):
            table.add_column(label(column, lang), overflow="fold")
        table.add_column(label("diff.before", lang))
        table.add_column(label("diff.after", lang))
        table.add_column(label("diff.cause", lang))
        for c in changes:
            table.add_row(c.title.get(lang), LEVEL[c.level].get(lang),
                          SEVERITY[c.severity].get(lang), verdict_of(c, "before", lang),
                          verdict_of(c, "after", lang), change_text(c, lang))
        parts.append(table)
    scores = Table(title=label("diff.scores", lang), title_justify="left")
    # One column per measure, "before → after (change)", so the table fits a terminal.
    scores.add_column(label("report.scope", lang), no_wrap=True)
    scores.add_column(label("score", lang), justify="right", no_wrap=True)
    scores.add_column(label("coverage", lang), justify="right", no_wrap=True)
    for delta in result.scores:
        cells = _score_cells(delta)
        scores.add_row(scope_name(result, delta, lang), f"{cells[0]} → {cells[1]} ({cells[2]})",
                       f"{cells[3]} → {cells[4]} ({cells[5]})",
                       style="bold" if delta.scope == "overall" else None)
    parts.append(scores)
    return Group(*parts)


def render_diff_table(result: Diff, lang: Lang = "zh", width: int = 120) -> str:
    """The diff as plain text of ``width`` columns (no colour codes)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    console.print(diff_table_renderable(result, lang))
    return buffer.getvalue()


def render_diff_markdown(result: Diff, lang: Lang = "zh") -> str:
    """The diff as Markdown text ending in a newline."""
    c = colon(lang)
    lines = [
        f"# {label('diff.title', lang)}", "",
        f"- **{label('company', lang)}**{c}{md_escape(result.profile_name or '—')}",
        f"- **{label('credit_code', lang)}**{c}{result.profile_credit_code or '—'}",
        f"- **{label('diff.previous', lang)}**{c}{result.previous_as_of.isoformat()}",
        f"- **{label('diff.current', lang)}**{c}{result.current_as_of.isoformat()}",
        "", md_escape(_summary(result, lang)), "",
    ]
    if result.changed_facts:
        lines += [f"## {FACTS_HEADING.get(lang)}", ""]
        lines += [f"- {md_escape(fact_change(f, lang))}" for f in result.changed_facts]
        lines.append("")
    for key, changes in _sections(result):
        lines += [f"## {label(key, lang)}", ""]
        if not changes:
            lines += [label("diff.none", lang), ""]
            continue
        lines += [
            "| " + " | ".join([label("item", lang), label("level", lang),
                              label("severity", lang), label("diff.before", lang),
                              label("diff.after", lang), label("diff.cause", lang)]) + " |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {md_escape(ch.title.get(lang))} | {LEVEL[ch.level].get(lang)} | "
            f"{SEVERITY[ch.severity].get(lang)} | {verdict_of(ch, 'before', lang)} | "
            f"{verdict_of(ch, 'after', lang)} | {md_escape(change_text(ch, lang))} |"
            for ch in changes
        ]
        lines.append("")
    lines += [f"## {label('diff.scores', lang)}", "",
              "| " + " | ".join([label("report.scope", lang), *_score_header(lang)]) + " |",
              "|" + "---|" * 7]
    for delta in result.scores:
        name = md_escape(scope_name(result, delta, lang))
        if delta.scope == "overall":
            name = f"**{name}**"
        lines.append("| " + " | ".join([name, *_score_cells(delta)]) + " |")
    return "\n".join(lines) + "\n"


def diff_to_data(result: Diff) -> dict[str, object]:
    """The diff as plain JSON-ready data."""
    data: dict[str, object] = converter.unstructure(result)
    return data


def render_diff_json(result: Diff, lang: Lang = "zh") -> str:
    """The diff as pretty-printed UTF-8 JSON (both languages; ``lang`` is not used)."""
    return json.dumps(diff_to_data(result), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _lazy(name: str) -> Callable[[Diff, Lang], str | bytes]:
    def write(result: Diff, lang: Lang) -> str | bytes:
        from qcompliance.reports import diff_docs

        writer: Callable[[Diff, Lang], str | bytes] = getattr(diff_docs, name)
        return writer(result, lang)

    return write


DIFF_WRITERS: dict[str, Callable[[Diff, Lang], str | bytes]] = {
    "json": render_diff_json,
    "markdown": render_diff_markdown,
    "table": render_diff_table,
    "html": _lazy("render_diff_html"),
    "pdf": _lazy("render_diff_pdf"),
    "xlsx": _lazy("render_diff_xlsx"),
}
"""Every output format of a diff by name."""
