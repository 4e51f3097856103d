"""Plain-text descriptions of checklists and facts for ``qcheck checklists show`` and ``facts``."""

from __future__ import annotations

from collections.abc import Iterable

from qcompliance.i18n import LEVEL, SEVERITY
from qcompliance.model import Checklist, FactSpec, ItemKind, Lang
from qcompliance.rules.conditions import substitute_params
from qcompliance.rules.explain import condition_text

__all__ = ["describe_checklist", "describe_facts"]

_WORDS = {
    "zh": {"sources": "依据文件", "items": "条目", "basis": "依据", "applies": "适用条件",
           "check": "检查", "params": "参数", "evidence": "佐证材料", "remediation": "整改",
           "notes": "说明", "opportunity": "机会", "effective": "施行", "until": "失效",
           "type": "类型", "unit": "单位", "values": "可选值", "help": "说明",
           "fields": "字段", "mapping": "对应 GB/T 19001"},
    "en": {"sources": "Sources", "items": "Items", "basis": "Basis", "applies": "Applies when",
           "check": "Check", "params": "Params", "evidence": "Evidence",
           "remediation": "Remediation", "notes": "Notes", "opportunity": "opportunity",
           "effective": "in force from", "until": "in force until", "type": "type",
           "unit": "unit", "values": "values", "help": "help", "fields": "fields",
           "mapping": "GB/T 19001 mapping"},
}


def describe_checklist(checklist: Checklist, lang: Lang) -> str:
    """A checklist written out for a reader: sources, then each item in full."""
    w = _WORDS[lang]
    lines = [f"{checklist.id} {checklist.version} — {checklist.title.get(lang)}"]
    if checklist.description:
        lines.append(checklist.description.get(lang))
    if checklist.applies is not None:
        lines.append(f"{w['applies']}: {condition_text(checklist.applies, lang)}")
    lines += ["", f"{w['sources']}:"]
    for src in checklist.sources:
        lines.append(f"  [{src.id}] {src.title.get(lang)} ({src.issuer.get(lang)})"
                     + (f" {w['effective']} {src.effective}" if src.effective else ""))
    lines += ["", f"{w['items']}:"]
    for item in checklist.items:
        kind = f" [{w['opportunity']}]" if item.kind is ItemKind.OPPORTUNITY else ""
        lines.append(f"- {item.id}{kind}: {item.title.get(lang)}")
        lines.append(f"    {LEVEL[item.level].get(lang)} · {SEVERITY[item.severity].get(lang)}"
                     + (f" · {w['effective']} {item.effective}" if item.effective else "")
                     + (f" · {w['until']} {item.effective_until}" if item.effective_until
                        else ""))
        for basis in item.basis:
            quote = f" “{basis.quote}”" if basis.quote else ""
            lines.append(f"    {w['basis']}: [{basis.source}] {basis.clause}{quote}")
        # Params are shown by value, as the check will apply them (tailoring may change them).
        if item.applies is not None:
            applies = substitute_params(item.applies, item.params)
            lines.append(f"    {w['applies']}: {condition_text(applies, lang)}")
        check = substitute_params(item.check, item.params)
        lines.append(f"    {w['check']}: {condition_text(check, lang)}")
        if item.params:
            lines.append(f"    {w['params']}: "
                         + ", ".join(f"{k} = {v}" for k, v in item.params.items()))
        for ev in item.evidence:
            lines.append(f"    {w['evidence']}: {ev.get(lang)}")
        if item.remediation:
            lines.append(f"    {w['remediation']}: {item.remediation.get(lang)}")
        for mapping in item.mappings:
            lines.append(f"    {w['mapping']}: {mapping.standard} {mapping.clause} "
                         f"({mapping.relation})")
        if item.notes:
            lines.append(f"    {w['notes']}: {item.notes.get(lang)}")
    return "\n".join(lines)


def describe_facts(specs: Iterable[FactSpec], lang: Lang) -> str:
    """Facts written out: key, type, unit, allowed values, question and help."""
    w = _WORDS[lang]
    lines = []
    for spec in specs:
        unit = f", {w['unit']}: {spec.unit.get(lang)}" if spec.unit else ""
        lines.append(f"{spec.key} ({w['type']}: {spec.type.value}{unit}) — "
                     f"{spec.label.get(lang)}")
        lines.append(f"    {spec.question.get(lang)}")
        if spec.values:
            lines.append(f"    {w['values']}: {', '.join(spec.values)}")
        if spec.help:
            lines.append(f"    {w['help']}: {spec.help.get(lang)}")
        if spec.fields:
            lines.append(f"    {w['fields']}: " + ", ".join(
                f"{f.key} ({f.type.value})" for f in spec.fields))
    return "\n".join(lines)
