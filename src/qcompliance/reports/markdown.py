"""The gap report as Markdown (CommonMark with GitHub tables).

Every text from a profile or a checklist goes through :func:`md_escape`, so a company named
``<script>`` or a title holding ``*`` or ``|`` renders as the text itself; ids and fact keys are
code spans (in the appendix only). The sections and their order are those of the HTML report,
from the same context (:mod:`qcompliance.reports.context`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from qcompliance.engine.due import DueConfig
from qcompliance.model import Assessment, Lang
from qcompliance.reports.context import report_context
from qcompliance.reports.decision import Decision

__all__ = ["md_escape", "render_markdown"]

# Backslash-escaping ASCII punctuation is always literal in CommonMark; "<" and ">" are escaped
# so that no raw HTML reaches a renderer that passes HTML through.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(text: str) -> str:
    """``text`` as literal inline Markdown: punctuation escaped, line breaks made spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    """``text`` as a code span, on one line: a line break in a span would end it (and the
    table row) and let what follows be read as Markdown or raw HTML. Text holding a backtick
    or a pipe (which splits a table cell even inside a span) is escaped instead."""
    text = " ".join(text.split())
    if not text or "`" in text or "|" in text:
        return md_escape(text)
    return f"`{text}`"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def _decision(ctx: Mapping[str, Any], L: Mapping[str, str], colon: str) -> list[str]:
    d: Decision = ctx["decision"]
    lines = [f"## {L['w.decision']}", "", f"**{md_escape(d.headline)}**", ""]
    lines += _table(
        [L["w.mandatory_score"], L["w.gap_count"], L["w.facts_count"]],
        [[f"{d.score}（{md_escape(d.coverage_words)}）" if ctx["lang"] == "zh"
          else f"{d.score} ({md_escape(d.coverage_words)})",
          md_escape(L["w.gap_count_value"].format(n=d.gaps, m=d.mandatory_gaps)),
          str(d.facts_to_collect)]])
    if not d.priorities:
        return [*lines, L["w.no_gaps_decision"], ""]
    lines += [f"### {L['w.priorities']}", ""]
    lines += _table(
        ["", L["item"], L["severity"], L["w.due"], L["w.first_step"]],
        ([str(n), f"**{md_escape(p.title)}**", f"{p.severity}（{p.level}）"
          if ctx["lang"] == "zh" else f"{p.severity} ({p.level})",
          f"{p.due} · {md_escape(p.due_note)}",
          md_escape(p.first_step) or "—"]
         for n, p in enumerate(d.priorities, 1)))
    note = L["w.priorities_note"]
    if d.more:
        note += " " + L["w.more_gaps"].format(n=d.more)
    return [*lines, md_escape(note), ""]


def _gaps(ctx: Mapping[str, Any], L: Mapping[str, str], colon: str) -> list[str]:
    lines = [f"## {L['w.gaps_by_topic']}", ""]
    if not ctx["groups"]:
        return [*lines, L["report.no_gaps"], ""]
    lines += [md_escape(L["w.gaps_note"]), ""]
    for group in ctx["groups"]:
        lines += [f"### {md_escape(group['topic'])}", ""]
        for g in group["gaps"]:
            lines += [f"#### {g['n']}. {md_escape(g['title'])}", ""]
            lines.append(f"- {L['severity']}{colon}{g['severity']} · {g['level']} · "
                         f"{L['w.due']}{colon}**{g['due']}**（{md_escape(g['due_note'])}）"
                         if ctx["lang"] == "zh" else
                         f"- {L['severity']}{colon}{g['severity']} · {g['level']} · "
                         f"{L['w.due']}{colon}**{g['due']}** ({md_escape(g['due_note'])})")
            lines.append(f"- {L['w.found']}{colon}{md_escape(g['found'])}")
            if g["waiver_note"]:
                lines.append(f"- ⚠ {md_escape(g['waiver_note'])}")
            if g["remediation"]:
                lines.append(f"- {L['report.remediation']}{colon}{md_escape(g['remediation'])}")
            if g["evidence"]:
                lines.append(f"- {L['report.evidence']}{colon}{md_escape(g['evidence'])}")
            if g["basis"]:
                lines.append(f"- {L['report.basis']}{colon}{md_escape(g['basis'])}")
            lines.append("")
    return lines


def _rest(ctx: Mapping[str, Any], L: Mapping[str, str], colon: str) -> list[str]:
    lines: list[str] = []
    if ctx["deadlines"]:
        lines += [f"## {md_escape(ctx['deadlines_title'])}", ""]
        lines += _table(
            [L["report.date"], L["report.days_left"], L["report.fact"], L["item"]],
            ([d["date"], str(d["days_left"]), f"{md_escape(d['fact'])} · {d['kind']}",
              "<br>".join(md_escape(t) for t in d["items"])] for d in ctx["deadlines"]))
    lines += [f"## {L['facts_to_collect']}", ""]
    if ctx["questions"]:
        lines += [md_escape(L["report.facts_to_collect_note"]), ""]
        lines += _table(
            [L["report.fact"], L["report.question"], L["report.items_waiting"]],
            ([md_escape(q["label"]),
              md_escape(q["question"] + (" " + q["allowed"] if q["allowed"] else "")),
              "<br>".join(md_escape(t) for t in q["waiting"])] for q in ctx["questions"]))
    else:
        lines += [L["report.no_facts_to_collect"], ""]
    lines += [f"## {L['report.by_checklist']}", ""]
    lines += _table(
        [L["checklist"], L["report.legal_score"], L["report.other_score"], L["coverage"],
         L["report.failed"], L["report.unknown"]],
        [*([md_escape(c["title"]), c["legal"], c["other"], c["coverage"], str(c["counts"][1]),
            str(c["counts"][2])] for c in ctx["checklists"]),
         *([f"**{lv['name']}**", lv["score"]["score"], "", lv["score"]["coverage"],
            str(lv["score"]["counts"][1]), str(lv["score"]["counts"][2])]
           for lv in ctx["levels"])])
    lines += [md_escape(L["report.split_note"] + " " + L["report.scoring_note"]), ""]
    if ctx["waivers"]:
        lines += [f"## {L['report.waivers']}", ""]
        lines += _table(
            [L["item"], L["report.justification"], L["report.approved_by"],
             L["report.expires"], L["report.status"]],
            ([md_escape(w["title"]), md_escape(w["justification"]), md_escape(w["approved_by"]),
              w["expires"], ("⚠ " if w["status_key"] == "expired" else "") + w["status"]]
             for w in ctx["waivers"]))
    lines += [f"## {L['w.eligible']}", ""]
    if ctx["eligible"]:
        lines += [md_escape(L["w.eligible_note"]), ""]
        for o in ctx["eligible"]:
            step = f" — {L['report.next_step']}{colon}{md_escape(o['next'])}" if o["next"] else ""
            lines.append(f"- **{md_escape(o['title'])}**{step}")
        lines.append("")
    else:
        lines += [L["report.no_opportunities"], ""]
    if ctx["ineligible"]:
        lines += [md_escape(ctx["ineligible"]), ""]
    return lines


def _appendix(ctx: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    a = ctx["appendix"]
    lines = [f"## {L['w.appendix']}", "", md_escape(L["w.appendix_note"]), "",
             f"### {L['w.provenance']}", "",
             f"- {L['report.tool']}: qcompliance {md_escape(a['tool_version'])}",
             f"- {L['credit_code']}: {md_escape(a['credit_code'])}"]
    if a["profile_sha"]:
        lines.append(f"- {L['report.profile_sha']}: {_code(a['profile_sha'])}")
    lines.append("")
    lines += _table(
        [L["checklist"], L["version"], L["report.applies"], "SHA-256"],
        ([f"{md_escape(c['title'])} {_code(c['id'])}", md_escape(c["version"]), c["applies"],
          _code(c["sha"] or "—")] for c in a["checklists"]))
    if a["tailoring"]:
        lines += [f"### {L['report.tailoring']}", "", md_escape(a["tailoring"]["note"]), ""]
        lines += _table(
            [L["report.target"], L["report.change"], L["report.old_new"], L["report.reason"]],
            ([_code(c["target"]), c["kind"], md_escape(c["old_new"]), md_escape(c["reason"])]
             for c in a["tailoring"]["changes"]))
    if a["waiver_problems"]:
        lines += [f"### {L['report.waiver_problems']}", ""]
        lines += _table(
            [L["item"], L["report.file"], L["report.problem"]],
            ([_code(p["item"]), md_escape(p["file"]), md_escape(p["message"])]
             for p in a["waiver_problems"]))
    lines += [f"### {L['results']}", ""]
    lines += _table(
        [L["verdict"], L["level"], L["severity"], L["item"], L["report.found"]],
        ([r["verdict"], r["level"], r["severity"], f"{_code(r['item'])} {md_escape(r['title'])}",
          md_escape(r["why"]) + "".join(
              f"<br>{md_escape(c['text'])}" + (f" “{md_escape(c['quote'])}”" if c["quote"] else "")
              for c in r["citations"])] for r in a["results"]))
    if a["mappings"]:
        lines += [f"### {L['report.mappings']}", "", md_escape(L["report.mappings_note"]), ""]
        lines += _table(
            [L["report.clause"], L["item"], L["report.relation"], L["verdict"]],
            ([md_escape(m["clause"]), f"{_code(i['item'])} {md_escape(i['title'])}",
              i["relation"], i["verdict"]] for m in a["mappings"] for i in m["items"]))
    if a["not_applicable"]:
        lines += [f"### {L['w.not_applicable_items']}", ""]
        lines += [f"- {md_escape(r['title'])} {_code(r['item'])}" for r in a["not_applicable"]]
        lines.append("")
    return lines


def render_markdown(assessment: Assessment, lang: Lang = "zh", *, appendix: bool = False,
                    config: DueConfig | None = None) -> str:
    """The gap report as Markdown, decision first (the appendix only when asked)."""
    ctx = report_context(assessment, lang, appendix=appendix, config=config)
    L: Mapping[str, str] = ctx["L"]  # type: ignore[assignment]
    colon: str = ctx["colon"]  # type: ignore[assignment]
    size = f" · {md_escape(str(ctx['size_class']))}" if ctx["size_class"] else ""
    lines = [f"# {L['report.title']}", "",
             f"**{md_escape(str(ctx['company']))}**{size} · "
             f"{L['w.assessed_on']}{colon}{ctx['as_of']}", ""]
    lines += _decision(ctx, L, colon)
    lines += _gaps(ctx, L, colon)
    lines += _rest(ctx, L, colon)
    if ctx["appendix"]:
        lines += _appendix(ctx, L)
    lines += ["---", "", md_escape(str(ctx["footer"]))]
    return "\n".join(lines) + "\n"
