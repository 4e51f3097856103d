"""A profile skeleton to fill in by hand: every fact some checklists read, explained.

Lines of two kinds make up the skeleton. ``## …`` lines explain a fact (question, type, unit,
allowed values, help); ``# key = placeholder`` lines are the facts themselves, commented out.
Table headers stay uncommented: an empty table is harmless. So the skeleton loads as an empty
profile, and removing the ``# `` in front of any set of fact lines still leaves valid TOML
(records too: their ``# [[table.key]]`` header is commented out with them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import FactSpec, FactType, Lang, Text
from qcompliance.selfcheck.profile_toml import PROFILE_SCHEMA_COMMENT, toml_value

__all__ = ["placeholder", "profile_template", "template_specs"]

_W: dict[str, Text] = {
    "title": Text("qcompliance 企业档案模板（qcheck profile template 生成）",
                  "qcompliance profile template (written by qcheck profile template)"),
    "how": Text("删去事实行首的“# ”并填写实际值；不知道的事实保持注释即可（报告会列为待收集）。",
                "Remove the '# ' in front of a fact line and fill in the real value; leave "
                "what you do not know commented out (the report lists it as a fact to collect)."),
    "how.table": Text("事实也可写成表：key = {{ value = …, evidence = [\"文件路径\"], "
                      "attested_by = \"姓名\" }}",
                      "A fact may also be a table: key = {{ value = …, evidence = [\"path\"], "
                      "attested_by = \"name\" }}"),
    "how.check": Text("填写后检查：qcheck profile validate <本文件>",
                      "Check it when filled in: qcheck profile validate <this file>"),
    "type": Text("类型", "type"),
    "unit": Text("单位", "unit"),
    "values": Text("可选值", "values"),
    "several": Text("可多选", "several allowed"),
    "help": Text("说明", "help"),
    "records.how": Text("每条记录一个 [[{key}]] 表，可重复；没有记录则写 {leaf} = []",
                    "one [[{key}]] table per record, repeat as needed; none: {leaf} = []"),
    "past_only": Text("不能晚于评估日", "not after the assessment day"),
    "bool": Text("是/否（true/false）", "true/false"),
    "int": Text("整数", "whole number"),
    "number": Text("数字", "number"),
    "string": Text("文字", "text"),
    "date": Text("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "enum": Text("取值之一", "one value"),
    "list": Text("取值列表", "list of values"),
    "records": Text("记录列表", "list of records"),
}


def _w(name: str, lang: Lang, **fields: object) -> str:
    return _W[name].get(lang).format(**fields)


def template_specs(checklists: ChecklistSet) -> list[FactSpec]:
    """The facts a template shows: every company fact, then every fact the checklists read."""
    company = [s for k, s in checklists.facts.items() if k.startswith("company.")]
    read = checklists.facts_read()
    return list({s.key: s for s in [*company, *read]}.values())


def placeholder(spec: FactSpec, as_of: dt.date) -> object:
    """A value of the right type for ``spec``, to be replaced by the real one."""
    match spec.type:
        case FactType.BOOL:
            return False
        case FactType.INT:
            return 0
        case FactType.NUMBER:
            return 0.0
        case FactType.STRING:
            return ""
        case FactType.DATE:
            return as_of
        case FactType.ENUM:
            return (spec.values or ("",))[0]
        case FactType.LIST | FactType.RECORDS:
            return []
    raise AssertionError(spec.type)  # pragma: no cover


def _explain(spec: FactSpec, lang: Lang, indent: str = "") -> list[str]:
    colon = "：" if lang == "zh" else ": "
    facts = [f"{_w('type', lang)}{colon}{_w(spec.type.value, lang)}"]
    if spec.unit is not None:
        facts.append(f"{_w('unit', lang)}{colon}{spec.unit.get(lang)}")
    if spec.type is FactType.DATE and spec.past_only:
        facts.append(_w("past_only", lang))
    sep = "；" if lang == "zh" else "; "
    lines = [f"## {indent}{spec.label.get(lang)} — {' '.join(spec.question.get(lang).split())}",
             f"## {indent}  {sep.join(facts)}"]
    if spec.values and spec.type in (FactType.ENUM, FactType.LIST):
        labels = spec.value_labels or {}
        shown = [v if v not in labels else f"{v}（{labels[v].get(lang)}）" if lang == "zh"
                 else f"{v} ({labels[v].get(lang)})" for v in spec.values]
        several = f"（{_w('several', lang)}）" if spec.type is FactType.LIST and lang == "zh" \
            else f" ({_w('several', lang)})" if spec.type is FactType.LIST else ""
        lines.append(f"## {indent}  {_w('values', lang)}{several}{colon}{', '.join(shown)}")
    if spec.help is not None:
        help_text = " ".join(spec.help.get(lang).split())
        lines.append(f"## {indent}  {_w('help', lang)}{colon}{help_text}")
    return lines


def profile_template(specs: Iterable[FactSpec], *, lang: Lang = "zh",
                     as_of: dt.date | None = None) -> str:
    """The skeleton of a profile giving ``specs``, grouped by table, in the order given."""
    day = as_of or dt.date.today()
    tables: dict[str, list[FactSpec]] = {}
    for spec in specs:
        tables.setdefault(spec.key.rpartition(".")[0], []).append(spec)
    lines = [PROFILE_SCHEMA_COMMENT, f"## {_w('title', lang)}", f"## {_w('how', lang)}",
             f"## {_w('how.table', lang)}", f"## {_w('how.check', lang)}",
             'schema = "qcompliance/profile/v1"']
    for table in sorted(tables, key=lambda t: t != ""):
        lines.append("")
        if table:
            lines.append(f"[{table}]")
        records = []
        for spec in tables[table]:
            leaf = spec.key.rpartition(".")[2]
            if spec.type is FactType.RECORDS:
                records += ["", *_explain(spec, lang),
                            f"## {_w('records.how', lang, key=spec.key, leaf=leaf)}",
                            f"# [[{spec.key}]]"]
                for field in spec.fields or ():
                    records += [*_explain(field, lang, "  "),
                                f"# {field.key} = {toml_value(placeholder(field, day))}"]
                continue
            lines += [*_explain(spec, lang), f"# {leaf} = {toml_value(placeholder(spec, day))}"]
        lines += records
    return "\n".join(lines) + "\n"
