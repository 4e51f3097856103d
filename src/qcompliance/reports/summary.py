"""The summary a terminal shows first: headline scores, the gaps worth fixing first, what falls
due, the facts to collect, and how to see everything.

Selection and wording live here; the lines come back already wrapped to the terminal's width
(counting a Chinese character as two columns) and never break a word, an item id or a figure
with its unit. The CLI only colours and prints them. The same stacked layout serves every
width, so a narrow terminal gets no cut-off table.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from qcompliance.engine.due import DueConfig
from qcompliance.i18n import SEVERITY
from qcompliance.model import Assessment, Lang, Level, Result, Text, Verdict
from qcompliance.reports.decision import decision_summary
from qcompliance.reports.gaps import (
    DEADLINE_DAYS,
    LEVEL_ORDER,
    SEVERITY_ORDER,
    colon,
    facts_to_collect,
    level_name,
    question_text,
    ranked_gaps,
    size_class_text,
    tr,
    upcoming_deadlines,
    verdict_text,
)
from qcompliance.reports.region import region_text
from qcompliance.reports.words import due_note, due_text, word

__all__ = ["Line", "Style", "cell_width", "first_step", "full_lines", "quiet_line",
           "summary_lines", "wrap"]

Style = Literal["title", "heading", "bad", "warn", "good", "dim", "plain"]
Line = tuple[Style, str]
"""One printed line and how to colour it."""

TOP_GAPS = 5
TOP_FACTS = 5

_W = {
    "heading_scores": Text("得分（覆盖率 = 已判定 / 适用）",
                           "Scores (coverage = decided / applicable)"),
    "score_line": Text("{level}  {score}  覆盖率 {coverage}  不符合 {failed} · 待补充 {unknown}",
                       "{level}  {score}  coverage {coverage}  failing {failed} · "
                       "unknown {unknown}"),
    "not_legal": Text("鼓励和推荐做法不是法定义务，不影响是否合规。",
                      "Encouraged and recommended items are not legal duties; they do not "
                      "decide compliance."),
    "heading_gaps": Text("优先整改（共 {n} 项差距，按层级、严重程度、截止日期排序）",
                         "Fix first ({n} gaps, by level, severity and due date)"),
    "due": Text("截止 {date}（{note}）", "due {date} ({note})"),
    "no_gaps": Text("未发现差距。", "No gaps found."),
    "gain": Text("得分 +{n} 个百分点", "score +{n} points"),
    "fix": Text("整改：", "Fix: "),
    "more_gaps": Text("另有 {n} 项差距未列出。", "{n} more gaps not listed."),
    "heading_deadlines": Text("{days} 天内到期", "Due within {days} days"),
    "no_deadlines": Text("{days} 天内没有到期事项。", "Nothing falls due within {days} days."),
    "days_left": Text("还剩 {n} 天", "{n} days left"),
    "deadline.fact": Text("有效期届满", "validity ends"),
    "deadline.valid_until": Text("所填事实有效期届满", "a given fact expires"),
    "deadline.waiver": Text("豁免到期", "waiver expires"),
    "deadline.due": Text("义务到期", "duty falls due"),
    "heading_facts": Text("请补充的事实（共 {n} 项，最重要的在前）",
                          "Facts to collect ({n}, most important first)"),
    "waiting": Text("影响 {n} 项", "items waiting: {n}"),
    "opportunities": Text("可能符合条件的政策支持或荣誉：{n} 项（不属于差距）。",
                          "Incentives or awards you may qualify for: {n} (not gaps)."),
    "see_all": Text("查看全部 {n} 项结论：加 --all；导出报告：--format html:报告.html",
                    "All {n} results: add --all; a report to hand over: "
                    "--format html:report.html"),
    "quiet": Text("{company}：法定义务 {m}（覆盖率 {mc}），不符合 {failed} 项，待补充 {unknown} 项",
                  "{company}: mandatory {m} (coverage {mc}), {failed} failing, "
                  "{unknown} unknown"),
    "heading_all": Text("全部结论（不适用的 {n} 项未列出）",
                        "All results ({n} not applicable not listed)"),
}


def _w(key: str, lang: Lang, **values: object) -> str:
    text = _W[key].get(lang)
    return text.format(**values) if values else text


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (CJK characters take two)."""
    return sum(_char_width(c) for c in text)


# Chinese punctuation that must not start a line, and opening marks that must not end one.
_NO_START = set("，。、；：？！）》」』”’…%％·")
_NO_END = set("（《「『“‘")


def _tokens(text: str) -> list[str]:
    """Units a line may break between: a run of non-CJK characters (a word, an id, a figure), or
    one CJK character; punctuation stays with what it follows, a figure with its unit."""
    # A figure and a Chinese unit after a space ("30 个工作日") stay together: the space becomes
    # a no-break space here and a plain one again in ``wrap``.
    text = re.sub(r"(\d) (?=[\u4e00-\u9fff])", "\\1\u00a0", text)
    raw: list[str] = []
    for char in text:
        if char == " ":
            raw.append(" ")
        elif _char_width(char) == 2 or not raw or raw[-1] == " " or _char_width(raw[-1][-1]) == 2:
            raw.append(char)
        else:
            raw[-1] += char
    out: list[str] = []
    unit = 0  # CJK characters still to glue to a figure before them ("40小时", "2,000万元")
    for token in raw:
        if token == " ":
            out.append(token)
            unit = 0
            continue
        previous = out[-1] if out and out[-1] != " " else ""
        if previous and (token[0] in _NO_START or previous[-1] in _NO_END
                         or (unit and _char_width(token[0]) == 2)):
            out[-1] += token
            unit = unit - 1 if unit and token[0] not in _NO_START else 0
        else:
            out.append(token)
            unit = 2 if token.rstrip("\u00a0")[-1:].isdigit() else 0
    return out


def wrap(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    """``text`` wrapped to ``width`` columns; the first line starts with ``first``, the others
    with ``indent``. A token longer than a whole line is the only thing ever split."""
    lines: list[str] = []
    line = first
    used = cell_width(first)
    fresh = True
    for token in _tokens(text):
        size = cell_width(token)
        if token == " ":
            if not fresh and used + 1 <= width:
                line += " "
                used += 1
            continue
        if used + size > width and not fresh:
            lines.append(line.rstrip())
            line, used = indent, cell_width(indent)
        while used + size > width and size > width - cell_width(indent):
            # Only a token wider than a line is cut (a long URL); never an id that fits.
            room = width - used
            cut, taken = "", 0
            for char in token:
                if taken + _char_width(char) > room:
                    break
                cut += char
                taken += _char_width(char)
            lines.append(line + cut)
            token = token[len(cut):]
            size = cell_width(token)
            line, used = indent, cell_width(indent)
        line += token
        used += size
        fresh = False
    lines.append(line.rstrip())
    return [line.replace("\u00a0", " ") for line in lines]


def _add(out: list[Line], style: Style, text: str, width: int, indent: str = "",
         first: str = "") -> None:
    out.extend((style, line) for line in wrap(text, width, indent, first))


def _headline(assessment: Assessment, lang: Lang, width: int, out: list[Line]) -> None:
    parts = [assessment.profile_name or "—"]
    if assessment.profile_credit_code:
        parts.append(assessment.profile_credit_code)
    size = size_class_text(assessment, lang)
    if size:
        parts.append(size)
    _add(out, "title", " · ".join(parts), width)
    _add(out, "plain", f"{tr('as_of', lang)}{colon(lang)}{assessment.as_of.isoformat()}", width)
    if (place := region_text(assessment, lang)) is not None:
        _add(out, "plain", place, width)
    out.append(("plain", ""))
    out.append(("heading", _w("heading_scores", lang)))
    longest = max(cell_width(level_name(level, lang)) for level in Level)
    others = False
    for level in Level:
        score = assessment.scores_by_level.get(level.value)
        if score is None or score.passed + score.failed + score.unknown + score.waived == 0:
            continue
        style: Style = ("bad" if score.failed else "warn" if score.unknown else "good") if (
            level is Level.MANDATORY) else "plain"
        name = level_name(level, lang)
        name += " " * (longest - cell_width(name))
        text = _w("score_line", lang, level=name,
                  score=f"{_pct(score.score):>6}", coverage=_pct(score.coverage),
                  failed=score.failed, unknown=score.unknown)
        _add(out, style, text, width, "    ", "  ")
        others = others or level is not Level.MANDATORY
    if others:
        _add(out, "dim", _w("not_legal", lang), width, "  ", "  ")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _gaps(assessment: Assessment, lang: Lang, width: int, out: list[Line], limit: int | None,
          config: DueConfig | None = None) -> None:
    ranked = ranked_gaps(assessment, config)
    out.append(("plain", ""))
    out.append(("heading", _w("heading_gaps", lang, n=len(ranked))))
    if not ranked:
        out.append(("good", "  " + _w("no_gaps", lang)))
        return
    shown = ranked if limit is None else ranked[:limit]
    for n, gap in enumerate(shown, 1):
        r = gap.result
        _add(out, "bad" if r.level is Level.MANDATORY else "warn", r.title.get(lang), width,
             "    ", f"{n:>2}. ")
        meta = [level_name(r.level, lang), tr_sev(r, lang),
                _w("due", lang, date=due_text(gap.due.date, lang), note=due_note(gap.due, lang))]
        _add(out, "warn" if gap.due.overdue else "dim", " · ".join(meta), width, "    ",
             "    ")
        if r.remediation is not None:
            _add(out, "plain", first_step(r.remediation.get(lang)), width, "    ",
                 "    " + _w("fix", lang))
    if len(ranked) > len(shown):
        out.append(("dim", "    " + _w("more_gaps", lang, n=len(ranked) - len(shown))))


def first_step(text: str) -> str:
    """The first step of a remediation (up to its first ``；``/``;``/``。``), with an ellipsis
    when more follows: the summary points the way, the reports give the whole text."""
    match = re.search(r"[；;。]|\. ", text)
    if match is None or match.end() >= len(text.rstrip()):
        return text
    return text[:match.start()] + "…"


def tr_sev(result: Result, lang: Lang) -> str:
    """The severity name of a result."""
    return SEVERITY[result.severity].get(lang)


def _deadlines(assessment: Assessment, lang: Lang, width: int, out: list[Line]) -> None:
    out.append(("plain", ""))
    due = upcoming_deadlines(assessment)
    if not due:
        out.append(("dim", _w("no_deadlines", lang, days=DEADLINE_DAYS)))
        return
    out.append(("heading", _w("heading_deadlines", lang, days=DEADLINE_DAYS)))
    for deadline in due:
        day = due_text(deadline.date, lang)
        head = (f"{day}（{_w('days_left', lang, n=deadline.days_left)}）" if lang == "zh" else
                f"{day} ({_w('days_left', lang, n=deadline.days_left)})")
        _add(out, "warn", head + " " + _w(f"deadline.{deadline.kind}", lang), width, "    ",
             "  ")
        for _, title in deadline.named_items(lang):
            _add(out, "plain", title, width, "      ", "    - ")


def _facts(assessment: Assessment, lang: Lang, width: int, out: list[Line]) -> None:
    questions = facts_to_collect(assessment)
    if not questions:
        return
    out.append(("plain", ""))
    out.append(("heading", _w("heading_facts", lang, n=len(questions))))
    for question in questions[:TOP_FACTS]:
        _add(out, "plain", f"{question.label.get(lang)}"
             + (f"（{_w('waiting', lang, n=len(question.items))}）" if lang == "zh"
                else f" ({_w('waiting', lang, n=len(question.items))})"),
             width, "    ", "  - ")
        _add(out, "dim", question_text(question, lang), width, "    ", "    ")


def summary_lines(assessment: Assessment, lang: Lang, width: int = 80,
                  config: DueConfig | None = None) -> list[Line]:
    """The terminal summary, wrapped to ``width`` columns, due dates from ``config``."""
    out: list[Line] = []
    _headline(assessment, lang, width, out)
    decision = decision_summary(assessment, lang, config)
    if decision.coverage_level != "good":  # said only when it matters
        _add(out, "warn" if decision.low_coverage else "plain",
             f"{word('mandatory_score', lang)} {decision.score}"
             f"{'，' if lang == 'zh' else ', '}{decision.coverage_words}", width, "  ", "  ")
    _gaps(assessment, lang, width, out, TOP_GAPS, config)
    _deadlines(assessment, lang, width, out)
    _facts(assessment, lang, width, out)
    may = sum(1 for r in assessment.results
              if r.kind.value == "opportunity" and r.verdict is Verdict.PASS)
    out.append(("plain", ""))
    if may:
        _add(out, "good", _w("opportunities", lang, n=may), width)
    _add(out, "dim", _w("see_all", lang, n=len(assessment.results)), width)
    return out


def full_lines(assessment: Assessment, lang: Lang, width: int = 80) -> list[Line]:
    """Every applicable result, stacked (title, verdict, reason), for terminals too narrow for
    the full table."""
    out: list[Line] = []
    _headline(assessment, lang, width, out)
    shown = [r for r in assessment.results if r.verdict is not Verdict.NOT_APPLICABLE]
    order = {Verdict.FAIL: 0, Verdict.UNKNOWN: 1, Verdict.WAIVED: 2, Verdict.PASS: 3}
    shown.sort(key=lambda r: (order[r.verdict], r.kind.value == "opportunity",
                              LEVEL_ORDER[r.level], SEVERITY_ORDER[r.severity]))
    out.append(("plain", ""))
    out.append(("heading", _w("heading_all", lang, n=len(assessment.results) - len(shown))))
    styles: dict[Verdict, Style] = {Verdict.FAIL: "bad", Verdict.UNKNOWN: "warn",
                                    Verdict.WAIVED: "dim", Verdict.PASS: "good"}
    for r in shown:
        head = f"[{verdict_text(r, lang)}] {r.title.get(lang)}"
        _add(out, styles[r.verdict], head, width, "    ", "  ")
        _add(out, "dim", f"{level_name(r.level, lang)} · {tr_sev(r, lang)} ·\u00a0{r.item}",
             width, "    ", "    ")
        _add(out, "plain", r.why.get(lang), width, "    ", "    ")
    return out


def quiet_line(assessment: Assessment, lang: Lang) -> str:
    """The assessment in one line (``qcheck run --quiet``)."""
    m = assessment.scores_by_level.get(Level.MANDATORY.value)
    return _w("quiet", lang, company=assessment.profile_name or "—",
              m=_pct(m.score if m else None), mc=_pct(m.coverage if m else None),
              failed=m.failed if m else 0, unknown=m.unknown if m else 0)
