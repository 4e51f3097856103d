"""The JSON Schema of a profile, generated from the facts dictionary: every declared fact as
nested tables, with its type, allowed values and questions."""

from __future__ import annotations

from collections.abc import Mapping

from qcompliance.authoring.schema_walk import COMMENT, DRAFT, JSONSchema, Walker
from qcompliance.china.uscc import USCC_CHARSET
from qcompliance.model import FactSpec, FactType, FactValue

__all__ = ["profile_schema"]


_BARE: dict[FactType, JSONSchema] = {
    FactType.BOOL: {"type": "boolean"},
    FactType.INT: {"type": "integer"},
    FactType.NUMBER: {"type": "number"},
    FactType.STRING: {"type": "string"},
    FactType.DATE: {"type": "string", "format": "date"},
}


def _describe(spec: FactSpec) -> str:
    parts = [spec.question.zh, spec.question.en]
    if spec.help is not None:
        parts += [spec.help.zh, spec.help.en]
    if spec.unit is not None:
        parts.append(f"单位 / unit: {spec.unit.zh} / {spec.unit.en}")
    if spec.value_labels:
        parts.append("; ".join(f"{v}: {t.zh} / {t.en}" for v, t in spec.value_labels.items()))
    return "\n\n".join(parts)


def _bare(spec: FactSpec) -> JSONSchema:
    """The schema of a fact's value written bare."""
    if spec.type in _BARE:
        out = dict(_BARE[spec.type])
        if spec.type is FactType.STRING and spec.key.endswith("credit_code"):
            chars = "".join(USCC_CHARSET)
            out["pattern"] = f"^[{chars}]{{2}}[0-9]{{6}}[{chars}]{{10}}$"
        return out
    if spec.type is FactType.ENUM:
        return {"type": "string", "enum": list(spec.values or ())}
    if spec.type is FactType.LIST:
        items: JSONSchema = {"type": "string"}
        if spec.values:
            items["enum"] = list(spec.values)
        return {"type": "array", "items": items}
    fields = {f.key: _titled(f, _bare(f)) for f in spec.fields or ()}
    return {"type": "array", "items": {"type": "object", "properties": fields,
                                       "additionalProperties": False}}


def _titled(spec: FactSpec, body: JSONSchema) -> JSONSchema:
    return {"title": f"{spec.label.zh} / {spec.label.en}", "description": _describe(spec),
            **body}


def _fact_table() -> JSONSchema:
    """A fact written as a table: ``value`` and the provenance keys of FactValue."""
    walker = Walker()
    body = walker.of_class(FactValue)["properties"]
    # derived_from is set by qcompliance when it computes a fact; a profile cannot give it.
    provenance = {k: v for k, v in body.items() if k not in ("value", "derived_from")}
    return {"type": "object",
            "description": "A fact with its provenance. / 带来源信息的事实。",
            "properties": {"value": {}, **provenance}, "required": ["value"],
            "additionalProperties": False}


def profile_schema(facts: Mapping[str, FactSpec]) -> JSONSchema:
    """The schema of a profile: every declared fact as nested tables, bare or as a table
    ``{ value = …, evidence = [...], source, as_of, attested_by, valid_until }``.
    """
    root: JSONSchema = {
        "$schema": DRAFT,
        "$comment": COMMENT,
        "title": "qcompliance profile (qcompliance/profile/v1)",
        "description": "企业档案：每个叶子是一个已声明的事实。 / A company profile: every leaf "
                       "is a declared fact.",
        "type": "object",
        "properties": {"schema": {"const": "qcompliance/profile/v1"}},
        "additionalProperties": False,
    }
    for key, spec in facts.items():
        node = root
        *tables, leaf = key.split(".")
        for table in tables:
            props = node.setdefault("properties", {})
            node = props.setdefault(table, {"type": "object", "properties": {},
                                            "additionalProperties": False})
        bare = _bare(spec)
        wrapped = {"allOf": [{"$ref": "#/$defs/fact_table"}], "properties": {"value": bare}}
        node.setdefault("properties", {})[leaf] = _titled(spec, {"anyOf": [bare, wrapped]})
    root["$defs"] = {"fact_table": _fact_table()}
    return root


