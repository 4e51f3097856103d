"""Labels that reports and the CLI show, in Chinese and English (GLOSSARY.md renderings)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from qcompliance.model import ItemKind, Lang, Level, Severity, Text, Verdict

__all__ = ["KIND", "LABELS", "LEVEL", "SEVERITY", "VERDICT", "label", "percent", "user_lang"]

VERDICT = {
    Verdict.PASS: Text("符合", "pass"),
    Verdict.FAIL: Text("不符合", "fail"),
    Verdict.UNKNOWN: Text("待补充", "unknown"),
    Verdict.NOT_APPLICABLE: Text("不适用", "not applicable"),
    Verdict.WAIVED: Text("已豁免", "waived"),
}
OPPORTUNITY_VERDICT = {
    Verdict.PASS: Text("可能符合条件", "you may qualify"),
    Verdict.FAIL: Text("暂不符合条件", "does not qualify yet"),
    Verdict.UNKNOWN: Text("待补充", "unknown"),
    Verdict.NOT_APPLICABLE: Text("不适用", "not applicable"),
    Verdict.WAIVED: Text("已豁免", "waived"),
}
LEVEL = {
    Level.MANDATORY: Text("法定义务", "mandatory"),
    Level.ENCOURAGED: Text("鼓励", "encouraged"),
    Level.RECOMMENDED: Text("推荐做法", "recommended"),
}
SEVERITY = {
    Severity.CRITICAL: Text("严重", "critical"),
    Severity.HIGH: Text("高", "high"),
    Severity.MEDIUM: Text("中", "medium"),
    Severity.LOW: Text("低", "low"),
}
KIND = {
    ItemKind.OBLIGATION: Text("义务", "obligation"),
    ItemKind.OPPORTUNITY: Text("机会", "opportunity"),
}
LABELS = {
    "company": Text("企业", "Company"),
    "credit_code": Text("统一社会信用代码", "USCC"),
    "as_of": Text("评估日", "Assessed as of"),
    "checklist": Text("检查清单", "Checklist"),
    "version": Text("版本", "Version"),
    "score": Text("得分", "Score"),
    "coverage": Text("覆盖率", "Coverage"),
    "verdict": Text("结论", "Verdict"),
    "level": Text("层级", "Level"),
    "severity": Text("严重程度", "Severity"),
    "item": Text("条目", "Item"),
    "why": Text("理由", "Why"),
    "overall": Text("总体", "Overall"),
    "scores": Text("得分（按严重程度加权；覆盖率 = 已判定 / 适用）",
                   "Scores (severity-weighted; coverage = decided / applicable)"),
    "results": Text("逐项结论", "Results"),
    "counts": Text("符合/不符合/待补充/豁免/不适用", "pass/fail/unknown/waived/n.a."),
    "not_applicable_checklists": Text("不适用的检查清单", "Checklists that do not apply"),
    "facts_to_collect": Text("待收集的事实", "Facts to collect"),
    "none": Text("—", "—"),
    "fact": Text("事实", "Fact"),
    "hidden_not_applicable": Text("另有 {n} 项不适用，未列出（JSON 输出包含全部条目）。",
                                  "{n} items that do not apply are not listed "
                                  "(the JSON output has every item)."),
    "question": Text("需要回答的问题", "Question to answer"),
}


def label(key: str, lang: Lang) -> str:
    """The label ``key`` in ``lang``."""
    return LABELS[key].get(lang)


def percent(value: float | None) -> str:
    """A share as a percentage with one decimal, or an em dash when undefined."""
    return "—" if value is None else f"{value * 100:.1f}%"


# Labels of the gap reports (markdown, html, csv, xlsx, junit, ics, oscal) and of diffs.
# Labels holding {placeholders} are filled with str.format by the writers.
LABELS.update({
    "report.title": Text("质量合规自查报告", "Quality compliance self-check report"),
    "report.tool": Text("工具版本", "Tool version"),
    "report.profile_sha": Text("企业档案 SHA-256", "Profile SHA-256"),
    "report.checklists": Text("检查清单及版本", "Checklists and versions"),
    "report.applies": Text("是否适用", "Applies"),
    "report.applies.yes": Text("适用", "applicable"),
    "report.applies.no": Text("不适用", "not applicable"),
    "report.applies.unknown": Text("待判断", "undetermined"),
    "report.summary": Text("概要", "Executive summary"),
    "report.summary_text": Text(
        "总体得分 {score}（覆盖率 {coverage}）；法定义务得分 {m_score}（覆盖率 {m_coverage}）。"
        "发现差距 {gaps} 项，其中法定义务 {m_gaps} 项；待收集的事实 {facts} 项；"
        "可能符合条件的机会 {opportunities} 项；{days} 天内即将到期 {deadlines} 项。",
        "Overall score {score} (coverage {coverage}); mandatory score {m_score} "
        "(coverage {m_coverage}). Gaps: {gaps}, of which mandatory: {m_gaps}; "
        "facts to collect: {facts}; opportunities you may qualify for: {opportunities}; "
        "deadlines within {days} days: {deadlines}."),
    "report.by_checklist": Text("按检查清单", "By checklist"),
    "report.by_level": Text("按层级", "By level"),
    "report.scoring_note": Text(
        "得分 = 符合项的严重程度权重之和 ÷ 已判定（符合、不符合）项的权重之和；"
        "覆盖率 = 已判定项 ÷ 适用项。机会类条目不计分，豁免项只计入覆盖率。",
        "Score = severity weights of passing items ÷ those of decided (passing or failing) "
        "items; coverage = decided items ÷ applicable items. Opportunities do not count; "
        "waived items count for coverage only."),
    "report.passed": Text("符合", "Pass"),
    "report.failed": Text("不符合", "Fail"),
    "report.unknown": Text("待补充", "Unknown"),
    "report.waived": Text("豁免", "Waived"),
    "report.not_applicable": Text("不适用", "N/A"),
    "report.fix_first": Text("优先整改", "What to fix first"),
    "report.fix_first_note": Text(
        "按整改后法定义务得分的提升幅度排序：提升 = 该项的严重程度权重 ÷ "
        "法定义务已判定项的权重之和（当前为 {total}）。",
        "Ranked by how much fixing each item would raise the mandatory score: the item's "
        "severity weight ÷ the total weight of decided mandatory items (now {total})."),
    "report.points": Text("+{n} 个百分点", "+{n} percentage points"),
    "report.no_fix_first": Text("没有不符合的法定义务。", "No mandatory item fails."),
    "report.gaps": Text("差距清单", "Gaps"),
    "report.gaps_note": Text("先列法定义务，再按严重程度排列。",
                             "Mandatory items first, then by severity."),
    "report.no_gaps": Text("未发现差距。", "No gaps found."),
    "report.basis": Text("法律依据", "Legal basis"),
    "report.found": Text("发现", "What was found"),
    "report.facts": Text("相关事实", "Facts read"),
    "report.evidence": Text("需提供的佐证材料", "Evidence to produce"),
    "report.remediation": Text("整改建议", "Remediation"),
    "report.waiver_note": Text("豁免说明", "Waiver note"),
    "report.next_step": Text("下一步", "Next step"),
    "report.opportunities": Text("可能符合条件", "You may qualify"),
    "report.opportunities_note": Text(
        "以下是企业可能符合条件的政策支持或荣誉，不属于差距。",
        "Incentives or awards the company may qualify for; they are not gaps."),
    "report.no_opportunities": Text("没有适用的机会类条目。", "No opportunity applies."),
    "report.facts_to_collect_note": Text(
        "以下事实缺失，相关条目无法判断；请补充后重新自查。",
        "These facts are missing, so the items waiting for them could not be decided; "
        "add them and run the self-check again."),
    "report.no_facts_to_collect": Text("没有缺失的事实。", "No fact is missing."),
    "report.fact": Text("事实", "Fact"),
    "report.fact_label": Text("名称", "Label"),
    "report.question": Text("问题", "Question"),
    "report.help": Text("说明", "Help"),
    "report.items_waiting": Text("相关条目", "Items waiting"),
    "report.waivers": Text("豁免", "Waivers"),
    "report.no_waivers": Text("没有豁免。", "No waivers."),
    "report.justification": Text("理由", "Justification"),
    "report.approved_by": Text("批准人", "Approved by"),
    "report.expires": Text("到期日", "Expires"),
    "report.status": Text("状态", "Status"),
    "report.waiver.current": Text("有效", "current"),
    "report.waiver.expired": Text("已过期", "expired"),
    "report.waiver.unnecessary": Text("不必要", "unnecessary"),
    "report.deadlines": Text("即将到期（{days} 天内）", "Upcoming deadlines (within {days} days)"),
    "report.deadlines_note": Text(
        "评估所读事实中晚于评估日、且不超过 {days} 天的日期（如证书、资质、指定的有效期），"
        "以及在此期间到期的豁免。",
        "Dates among the facts read that fall after the assessment day and at most {days} "
        "days after it (such as the validity of certificates and designations), and waivers "
        "expiring in that time."),
    "report.no_deadlines": Text("没有即将到期的事项。", "Nothing falls due."),
    "report.date": Text("日期", "Date"),
    "report.days_left": Text("剩余天数", "Days left"),
    "report.deadline.fact": Text("有效期届满", "Validity ends"),
    "report.deadline.waiver": Text("豁免到期", "Waiver expires"),
    "report.deadline.due": Text("义务到期（此前尚未到期）", "Duty falls due (not yet due before)"),
    "report.due_on": Text("到期日 {date}", "due {date}"),
    "report.deadline.valid_until": Text("事实有效期届满", "Fact valid until"),
    "report.tailoring": Text("剪裁", "Tailoring"),
    "report.tailoring_note": Text(
        "本次评估按剪裁文件 {origin}（SHA-256 {sha}）调整了检查清单，每项调整及其理由如下。",
        "The checklists were adapted by the tailoring file {origin} (SHA-256 {sha}); "
        "each change and its reason:"),
    "report.target": Text("对象", "Target"),
    "report.change": Text("调整", "Change"),
    "report.old_new": Text("原值 → 新值", "Old → new"),
    "report.reason": Text("理由", "Reason"),
    "report.change.deselect_checklist": Text("不选用该检查清单", "checklist left out"),
    "report.change.deselect_item": Text("不选用该条目", "item left out"),
    "report.change.severity": Text("调整严重程度", "severity changed"),
    "report.change.param": Text("调整参数", "parameter changed"),
    "report.waiver_problems": Text("未应用的豁免", "Waivers not applied"),
    "report.problem": Text("问题", "Problem"),
    "report.file": Text("文件", "File"),
    "report.kind": Text("类型", "Kind"),
    "report.generated_by": Text(
        "由 qcompliance {version} 生成；同样的输入得到同样的报告。"
        "本报告为自查结果，不构成法律意见。",
        "Generated by qcompliance {version}; the same inputs give the same report. "
        "This is a self-check, not legal advice."),
    "report.chart_scores": Text("各检查清单得分", "Score by checklist"),
    "report.chart_verdicts": Text("结论分布（义务类条目）", "Verdicts (obligations)"),
    "report.value_missing": Text("未提供", "not given"),
    "report.evidence_given": Text("佐证", "evidence"),
    "report.fact_source": Text("来源", "source"),
    "report.attested_by": Text("确认人", "attested by"),
    "report.fact_as_of": Text("截至", "as of"),
    "report.valid_until": Text("有效至", "valid until"),
    "report.derived_from": Text("推算自", "derived from"),
    "report.allowed_values": Text("可选值", "allowed values"),
    "report.mappings": Text("与 GB/T 19001 的对应", "Correspondence with GB/T 19001"),
    "report.mappings_note": Text(
        "下列适用条目与质量管理体系标准的条款相对应：已通过 GB/T 19001（ISO 9001）认证的企业，"
        "其体系文件和记录也可作为这些条目的佐证。对应关系：equal 等同，subset 条目是条款的一部分，"
        "superset 条目包含条款，intersects 部分重叠。",
        "The applicable items below correspond to clauses of the quality management system "
        "standard: a company certified to GB/T 19001 (ISO 9001) can also use its system "
        "documents and records as evidence for them. Relation: equal; subset (the item is part "
        "of the clause); superset (the item covers the clause); intersects (they overlap)."),
    "report.clause": Text("条款", "Clause"),
    "report.relation": Text("对应关系", "Relation"),
    "report.value_stale": Text("已超过有效期", "stale"),
    "report.records": Text("{n} 条记录", "records: {n}"),
    "report.no": Text("序号", "No."),
    "report.item_id": Text("条目编号", "Item id"),
    "report.title_col": Text("条目", "Item"),
    "report.gap": Text("差距", "Gap"),
    "report.owner": Text("负责人", "Owner"),
    "report.due": Text("完成期限", "Due date"),
    "report.plan_status": Text("整改状态", "Status"),
    "report.plan_status.values": Text("未开始,进行中,已完成", "not started,in progress,done"),
    "report.scope": Text("范围", "Scope"),
    "report.sheet.summary": Text("概要", "Summary"),
    "report.sheet.plan": Text("整改计划", "Remediation plan"),
    "report.sheet.facts": Text("待收集的事实", "Facts to collect"),
    "report.ics.reminder": Text("提醒：{what}（{date} 到期）", "Reminder: {what} (due {date})"),
    "report.ics.calendar": Text("质量合规到期事项", "Quality compliance deadlines"),
    "report.oscal.title": Text("质量合规自查结果", "Quality compliance self-check results"),
    "report.oscal.result": Text("{date} 自查", "Self-check of {date}"),
    "report.oscal.result_description": Text(
        "对照所列检查清单评估企业档案的结果。",
        "The profile evaluated against the checklists listed in the back matter."),
    "report.oscal.fact": Text("事实 {key}", "Fact {key}"),
    "diff.title": Text("自查结果对比", "Self-check comparison"),
    "diff.previous": Text("上次", "Previous"),
    "diff.current": Text("本次", "Current"),
    "diff.closed": Text("已关闭的差距", "Closed gaps"),
    "diff.new_failures": Text("新增不符合", "Newly failing"),
    "diff.changed": Text("其他结论变化", "Other changed verdicts"),
    "diff.scores": Text("得分变化", "Score changes"),
    "diff.before": Text("之前", "Before"),
    "diff.after": Text("之后", "After"),
    "diff.delta": Text("变化（百分点）", "change (points)"),
    "diff.absent": Text("（无此条目）", "(absent)"),
    "diff.none": Text("无。", "None."),
    "report.size_class": Text("企业规模（统计分类）", "Size class (statistical)"),
    "report.legal_score": Text("法定义务得分", "Legal score"),
    "report.other_score": Text("非法定得分", "Other score"),
    "report.legal_short": Text("法定义务", "legal"),
    "report.other_short": Text("鼓励/推荐", "encouraged/recommended"),
    "report.split_note": Text(
        "法定义务得分只计法定义务；鼓励和推荐做法另计，不影响是否合规。",
        "The legal score counts legal duties only; encouraged and recommended items are scored "
        "apart and do not decide compliance."),
    "report.impact": Text("整改后得分提升（百分点）", "Score gained if fixed (points)"),
    "diff.cause": Text("变化原因", "Why it changed"),
    "diff.cause.facts": Text("事实有变", "new facts"),
    "diff.cause.catalogue": Text("检查清单版本不同", "new catalogue version"),
    "diff.cause.day": Text("评估日不同", "different assessment day"),
    "diff.summary": Text(
        "已关闭 {closed} 项差距，新增 {new} 项不符合，其他结论变化 {changed} 项。",
        "Gaps closed: {closed}; newly failing: {new}; other verdicts changed: {changed}."),
})


def user_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """The user's language when none is asked for: ``QCHECK_LANG`` (zh or en) if set, else the
    locale as POSIX orders it (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``; the first that
    is set and not empty decides): English for ``en`` or ``en_*``, Chinese for anything else."""
    env = os.environ if environ is None else environ
    chosen = env.get("QCHECK_LANG", "").strip().lower()
    if chosen in ("zh", "en"):
        return "en" if chosen == "en" else "zh"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            language = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return "en" if language == "en" else "zh"
    return "zh"


_FORM_WORDS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("zh", "list"): ((r"[，,]\s*没有则填空列表", ""), (r"没有则填空列表", "没有则选“以上都没有”"),
                     (r"(都不是|都已配齐)填空列表", r"\1则选“以上都没有”")),
    ("zh", "records"): ((r"(没有则|没有|从未被抽查)填空列表", r"\1表格留空"),
                        (r"(没有)表格留空", r"\1则表格留空")),
    ("en", "list"): ((r";\s*an empty list if none", ""), (r"an empty list", "'none of these'")),
    ("en", "records"): ((r"an empty list", "an empty table"),),
}


def form_text(text: str, *, records: bool, lang: Lang) -> str:
    """A fact's question or help without terminal conventions ("填空列表 []", "填 true"):
    what a form or a report says. ``records``: the fact is a table of records, not a list."""
    kind = "records" if records else "list"
    for pattern, replacement in _FORM_WORDS[(lang, kind)]:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"\s*\[\]", "", text)
    if lang == "en":
        text = re.sub(r"\banswer (true|false)\b",
                      lambda m: "answer yes" if m[1] == "true" else "answer no", text)
    if lang == "zh":
        text = re.sub(r"填\s?(true|false)", lambda m: "答“是”" if m[1] == "true" else "答“否”",
                      text)
    return text
