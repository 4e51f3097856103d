"""The words of the decision-first report (html, pdf) and its due dates, in both languages.

Kept apart from :mod:`qcompliance.i18n` so the report's wording is changed in one place beside
the writers that use it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from qcompliance.engine.due import GapDue
from qcompliance.model import Lang, Text

__all__ = ["WORDS", "coverage_level", "coverage_words", "due_note", "due_text", "word"]

WORDS: dict[str, Text] = {
    "decision": Text("结论", "Decision"),
    "assessed_on": Text("评估日", "Assessed on"),
    "mandatory_score": Text("法定义务得分", "Mandatory score"),
    "gap_count": Text("须整改的差距", "Gaps to close"),
    "gap_count_value": Text("{n} 项（其中法定义务 {m} 项）", "{n} (mandatory: {m})"),
    "facts_count": Text("待补充的事实", "Facts to collect"),
    "facts_count_value": Text("{n} 项", "{n}"),
    "priorities": Text("优先整改事项", "Top priorities"),
    "priorities_note": Text(
        "按层级（法定义务在前）、严重程度、截止日期排序；同等情况下整改后得分提升多者在前。",
        "Ordered by level (mandatory first), severity and due date; the larger score gain "
        "breaks ties."),
    "more_gaps": Text("另有 {n} 项差距见“差距清单”。", "{n} more gaps are listed under Gaps."),
    "due": Text("截止日期", "Due"),
    "first_step": Text("第一步", "First step"),
    "no_gaps_decision": Text("未发现须整改的差距。", "No gap needs closing."),
    "coverage_words.none": Text("尚无可判定的条目", "nothing could be decided yet"),
    "coverage_words.low": Text(
        "已知信息太少：仅 {coverage} 的适用条目可判定，得分不能作为评级",
        "too little known: only {coverage} of the applicable items could be decided, so the "
        "score is not a grade"),
    "coverage_words.partial": Text(
        "部分已知：{coverage} 的适用条目可判定，得分仅供参考",
        "partly known: {coverage} of the applicable items could be decided, so the score is "
        "indicative"),
    "coverage_words.good": Text(
        "大部分已知：{coverage} 的适用条目可判定",
        "mostly known: {coverage} of the applicable items could be decided"),
    "headline.low": Text(
        "{company}的信息尚不足以判断是否合规：先补充 {facts} 项事实，再作结论。目前已发现 {gaps} 项"
        "差距须整改。",
        "Too little is known about {company} to judge compliance: first collect the missing "
        "facts ({facts}). Gaps already found that need closing: {gaps}."),
    "headline.gap": Text(  # one gap: English needs the singular
        "{company}有 {gaps} 项差距须整改，其中法定义务 {m_gaps} 项；"
        "这一项须在 {first_due} 前完成。",
        "{company} has {gaps} gap to close ({m_gaps} mandatory); it is due by {first_due}."),
    "headline.gaps": Text(
        "{company}有 {gaps} 项差距须整改，其中法定义务 {m_gaps} 项；"
        "最早一项须在 {first_due} 前完成。",
        "{company} has {gaps} gaps to close, {m_gaps} of them mandatory; the first is due by "
        "{first_due}."),
    "headline.overdue_one": Text(  # one gap, past its legal deadline
        "{company}有 {gaps} 项差距须整改，其中法定义务 {m_gaps} 项；"
        "其法定期限已过（逾期 {overdue} 项），应立即整改。",
        "{company} has {gaps} gap to close ({m_gaps} mandatory); it is past its legal deadline "
        "({overdue} overdue) and needs action now."),
    "headline.overdue": Text(
        "{company}有 {gaps} 项差距须整改，其中法定义务 {m_gaps} 项；"
        "{overdue} 项的法定期限已过，应立即整改。",
        "{company} has {gaps} gaps to close, {m_gaps} of them mandatory; past their legal "
        "deadline and needing action now: {overdue}."),
    "headline.clean": Text("{company}未发现须整改的差距。", "{company} has no gap to close."),
    "due.law": Text("法定期限", "legal deadline"),
    "due.window": Text("按严重程度的整改期限", "remediation window by severity"),
    "due.overdue": Text("法定期限 {law} 已过，应立即整改",
                        "legal deadline {law} has passed: act now"),
    "gaps_by_topic": Text("差距清单（按主题分组）", "Gaps, grouped by topic"),
    "gaps_note": Text(
        "每项写明要求、现状、依据和整改步骤；同一主题的差距可交同一负责人处理。",
        "Each gap states the requirement, what was found, the basis and the steps; the gaps "
        "of one topic can go to one owner."),
    "requirement": Text("要求", "Requirement"),
    "found": Text("现状", "What was found"),
    "not_met": Text("尚未做到", "Not met"),
    "eligible": Text("可申请的政策支持和荣誉", "Incentives and awards you may apply for"),
    "eligible_note": Text(
        "以下项目企业可能符合条件，不属于差距。",
        "The company may qualify for these; they are not gaps."),
    "ineligible": Text(
        "另有 {n} 项政策支持或荣誉暂不符合条件或尚待判断（见附录）。",
        "{n} more incentives or awards do not fit yet or are undecided (see the appendix)."),
    "ineligible_no_appendix": Text(
        "另有 {n} 项政策支持或荣誉暂不符合条件或尚待判断。",
        "{n} more incentives or awards do not fit yet or are undecided."),
    "appendix": Text("附录", "Appendix"),
    "appendix_note": Text(
        "供核对用：逐项结论、与 GB/T 19001 的对应关系、不适用条目，"
        "以及工具、档案摘要和检查清单版本。",
        "For checking: every verdict, the GB/T 19001 correspondence, the items that do not "
        "apply, and the tool, profile digest and checklist versions."),
    "not_applicable_items": Text("不适用的条目", "Items that do not apply"),
    "provenance": Text("工具与输入", "Tool and inputs"),
    "relation.equal": Text("等同", "equal"),
    "relation.subset": Text("包含于", "subset"),
    "relation.superset": Text("包含", "superset"),
    "relation.intersects": Text("部分重合", "overlaps"),
    "page": Text("第 ", "Page "),
    "page_of": Text(" 页，共 ", " of "),
    "page_end": Text(" 页", ""),
    "upcoming": Text("近期到期", "Coming due"),
}
"""Every label by key."""


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def word(key: str, lang: Lang, **values: object) -> str:
    """The word ``key`` in ``lang`` with its ``{placeholders}`` filled from ``values``."""
    text = WORDS[key].get(lang)
    return text.format(**values) if values else text


def coverage_level(coverage: float | None) -> Literal["none", "low", "partial", "good"]:
    """How much is known: below half of the applicable items decided the score is no grade."""
    if coverage is None:
        return "none"
    if coverage < 0.5:
        return "low"
    return "partial" if coverage < 0.8 else "good"


def coverage_words(coverage: float | None, lang: Lang) -> str:
    """Coverage as a reader weighs it: below half, the score is no grade ("too little known")."""
    shown = f"{(coverage or 0) * 100:.0f}%"
    return word(f"coverage_words.{coverage_level(coverage)}", lang, coverage=shown)


def due_text(day: dt.date, lang: Lang) -> str:
    """A due date as a reader writes it: ``2027年1月19日`` or ``19 Jan 2027``."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def due_note(due: GapDue, lang: Lang) -> str:
    """Where a due date comes from: the law, an overdue legal deadline, or the window."""
    if due.overdue and due.law_date is not None:
        return word("due.overdue", lang, law=due_text(due.law_date, lang))
    return word(f"due.{due.source}", lang)
