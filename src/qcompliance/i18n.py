"""Labels that reports and the CLI show, in Chinese and English (GLOSSARY.md renderings)."""

from __future__ import annotations

from qcompliance.model import ItemKind, Lang, Level, Severity, Text, Verdict

__all__ = ["KIND", "LABELS", "LEVEL", "SEVERITY", "VERDICT", "label", "percent"]

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
