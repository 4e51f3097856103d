"""An impact as JSON, as a terminal table, as one self-contained HTML page and as XLSX.

The table, the page and the workbook name items by their titles in the chosen language; item
ids, aspect names and verdict values appear only in the JSON document.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterable
from typing import Any

from qcompliance.engine.diff import ItemChange
from qcompliance.i18n import LEVEL, VERDICT, percent
from qcompliance.impact.compare import CompanyImpact, Impact, RuleChange
from qcompliance.model import Lang, Text

__all__ = ["impact_html", "impact_table", "impact_to_data", "impact_to_json", "impact_xlsx"]

_T = {
    "title": Text("清单变更影响", "Impact of a catalogue change"),
    "from_to": Text("由 {before} 到 {after}，评估日 {day}",
                    "From {before} to {after}, as of {day}"),
    "rules": Text("规则变化的条目", "Items whose rule changed"),
    "companies": Text("各企业受到的影响（按新增法定义务不符合项排序）",
                      "Per company (ranked by new mandatory failures)"),
    "company": Text("企业", "Company"),
    "new_mandatory": Text("新增法定义务不符合", "New mandatory failures"),
    "new_failures": Text("新增不符合", "New failures"),
    "closed": Text("不再不符合", "No longer failing"),
    "changed": Text("其他结论变化", "Other changed verdicts"),
    "score": Text("得分（前 → 后）", "Score (before → after)"),
    "item": Text("条目", "Item"),
    "change": Text("变化", "Change"),
    "level": Text("层级", "Level"),
    "verdicts": Text("结论变化", "Verdicts that flip"),
    "error": Text("无法评估", "Could not be evaluated"),
    "none": Text("无变化", "no change"),
    "no_rules": Text("两个版本的规则相同。", "The two catalogues have the same rules."),
}
_CHANGE = {"added": Text("新增", "added"), "removed": Text("删除", "removed"),
           "changed": Text("修改", "changed")}
_ASPECT = {
    "condition": Text("检查条件", "condition"), "applies": Text("适用条件", "applicability"),
    "params": Text("参数", "parameters"), "level": Text("层级", "level"),
    "severity": Text("严重程度", "severity"), "kind": Text("义务/机会", "kind"),
    "life": Text("生效期间", "effective dates"), "text": Text("仅文字", "wording only"),
}


def _t(key: str, lang: Lang) -> str:
    return _T[key].get(lang)


def _change_data(c: ItemChange) -> dict[str, Any]:
    return {"item": c.item, "checklist": c.checklist, "title": {"zh": c.title.zh,
            "en": c.title.en}, "level": c.level.value, "kind": c.kind.value,
            "before": c.before.value if c.before else None,
            "after": c.after.value if c.after else None, "causes": list(c.causes)}


def _company_data(c: CompanyImpact) -> dict[str, Any]:
    return {"id": c.ident, "name": c.name, "credit_code": c.credit_code, "error": c.error,
            "new_mandatory_failures": c.new_mandatory_failures,
            "score_before": c.score_before, "score_after": c.score_after,
            "new_failures": [_change_data(x) for x in c.new_failures],
            "closed": [_change_data(x) for x in c.closed],
            "changed": [_change_data(x) for x in c.changed]}


def _rule_data(r: RuleChange) -> dict[str, Any]:
    return {"item": r.item, "checklist": r.checklist, "change": r.change,
            "aspects": list(r.aspects), "title": {"zh": r.title.zh, "en": r.title.en},
            "level_before": r.level_before.value if r.level_before else None,
            "level_after": r.level_after.value if r.level_after else None}


def impact_to_data(result: Impact) -> dict[str, Any]:
    """The impact as JSON-ready data (schema ``qcompliance/impact/v1``)."""
    return {
        "schema": result.schema, "as_of": result.as_of.isoformat(),
        "before": result.before, "after": result.after,
        "checklists": [{"id": c.id, "version_before": c.version_before,
                        "version_after": c.version_after, "sha256_before": c.sha256_before,
                        "sha256_after": c.sha256_after} for c in result.checklists],
        "rules": [_rule_data(r) for r in result.rules],
        "companies": [_company_data(c) for c in result.companies],
    }


def impact_to_json(result: Impact) -> str:
    """The impact as indented UTF-8 JSON and a newline."""
    return json.dumps(impact_to_data(result), ensure_ascii=False, indent=2) + "\n"


def _rule_text(r: RuleChange, lang: Lang) -> str:
    what = _CHANGE[r.change].get(lang)
    if r.aspects:
        sep = "、" if lang == "zh" else ", "
        what += (": " if lang == "en" else "：") + sep.join(_ASPECT[a].get(lang)
                                                           for a in r.aspects)
    return what


def _level(r: RuleChange, lang: Lang) -> str:
    before = LEVEL[r.level_before].get(lang) if r.level_before else "—"
    after = LEVEL[r.level_after].get(lang) if r.level_after else "—"
    return after if before == after else f"{before} → {after}"


def _flip(c: ItemChange, lang: Lang) -> str:
    before = VERDICT[c.before].get(lang) if c.before else "—"
    after = VERDICT[c.after].get(lang) if c.after else "—"
    return f"{c.title.get(lang)}（{before} → {after}）" if lang == "zh" else \
        f"{c.title.get(lang)} ({before} → {after})"


def _name(c: CompanyImpact) -> str:
    return c.name or c.ident


def _score(c: CompanyImpact) -> str:
    return f"{percent(c.score_before)} → {percent(c.score_after)}"


def impact_table(result: Impact, lang: Lang) -> str:
    """The impact as plain text for a terminal."""
    lines = [_t("title", lang), _t("from_to", lang).format(
        before=result.before, after=result.after, day=result.as_of.isoformat()), "",
        _t("rules", lang)]
    lines += [f"  {r.title.get(lang)} — {_rule_text(r, lang)}; {_level(r, lang)}"
              for r in result.rules] or ["  " + _t("no_rules", lang)]
    lines += ["", _t("companies", lang)]
    for c in result.companies:
        if c.error:
            lines.append(f"  {_name(c)}: {_t('error', lang)}: {c.error}")
            continue
        lines.append(f"  {_name(c)}  {_t('new_mandatory', lang)} {c.new_mandatory_failures}"
                     f"  {_t('new_failures', lang)} {len(c.new_failures)}"
                     f"  {_t('closed', lang)} {len(c.closed)}  {_score(c)}")
        lines += [f"    ✗ {_flip(x, lang)}" for x in c.new_failures]
        lines += [f"    ✓ {_flip(x, lang)}" for x in c.closed]
    return "\n".join(lines) + "\n"


def _cells(values: Iterable[str], tag: str = "td") -> str:
    return "".join(f"<{tag}>{html.escape(v)}</{tag}>" for v in values)


def impact_html(result: Impact, lang: Lang) -> str:
    """The impact as one self-contained HTML page (no script, no external asset)."""
    rules = "".join(f"<tr>{_cells([r.title.get(lang), _rule_text(r, lang), _level(r, lang)])}"
                    "</tr>" for r in result.rules)
    rows = []
    for c in result.companies:
        flips = "<br>".join(html.escape(("✗ " if x in c.new_failures else "✓ ") + _flip(x, lang))
                            for x in (*c.new_failures, *c.closed))
        if c.error:
            flips = html.escape(f"{_t('error', lang)}: {c.error}")
        elif not flips:
            flips = html.escape(_t("none", lang))
        cells = _cells([_name(c), str(c.new_mandatory_failures), str(len(c.new_failures)),
                        str(len(c.closed)), _score(c)])
        rows.append(f"<tr>{cells}<td>{flips}</td></tr>")
    head_rules = _cells([_t("item", lang), _t("change", lang), _t("level", lang)], "th")
    head = _cells([_t("company", lang), _t("new_mandatory", lang), _t("new_failures", lang),
                   _t("closed", lang), _t("score", lang), _t("verdicts", lang)], "th")
    no_rules = "" if result.rules else f"<p>{html.escape(_t('no_rules', lang))}</p>"
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(_t('title', lang))}</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;
color:#1f2933}}table{{border-collapse:collapse;width:100%;margin-bottom:2rem}}
th,td{{border:1px solid #cbd2d9;padding:.4rem .6rem;text-align:left;vertical-align:top}}
th{{background:#f0f4f8}}td:nth-child(2){{font-weight:bold}}
td:nth-child(5){{white-space:nowrap}}</style></head><body>
<h1>{html.escape(_t('title', lang))}</h1>
<p>{html.escape(_t('from_to', lang).format(before=result.before, after=result.after,
                                           day=result.as_of.isoformat()))}</p>
<h2>{html.escape(_t('companies', lang))}</h2>
<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>
<h2>{html.escape(_t('rules', lang))}</h2>{no_rules}
<table><thead><tr>{head_rules}</tr></thead><tbody>{rules}</tbody></table>
</body></html>
"""


def impact_xlsx(result: Impact, lang: Lang) -> bytes:
    """The impact as a workbook: one sheet of companies, one of changed rules."""
    from openpyxl import Workbook  # type: ignore[import-untyped]  # the xlsx extra; no hints

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "企业" if lang == "zh" else "Companies"
    sheet.append([_t("company", lang), _t("new_mandatory", lang), _t("new_failures", lang),
                  _t("closed", lang), _t("score", lang), _t("verdicts", lang)])
    for c in result.companies:
        flips = "\n".join(("✗ " if x in c.new_failures else "✓ ") + _flip(x, lang)
                          for x in (*c.new_failures, *c.closed))
        sheet.append([_name(c), c.new_mandatory_failures, len(c.new_failures), len(c.closed),
                      _score(c), c.error or flips])
    rules = book.create_sheet("规则变化" if lang == "zh" else "Rules")
    rules.append([_t("item", lang), _t("change", lang), _t("level", lang)])
    for r in result.rules:
        rules.append([r.title.get(lang), _rule_text(r, lang), _level(r, lang)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
