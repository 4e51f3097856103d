"""JSON Schemas of the derived assessment forms: compact (``detail: compact``), the summary row
(``qcompliance/assessment-summary/v1``) and a batch summary row.

Their shapes are written by :mod:`qcompliance.reports.json`, :mod:`qcompliance.server.summary`
and :mod:`qcompliance.batch.output` as plain data rather than from one attrs class, so they are
described here by their keys; every value that is a model value (a score, a waiver, a text)
refers to the model's own generated definition. Tests validate real documents of each form.
"""

from __future__ import annotations

from qcompliance.authoring.schema_walk import COMMENT, DRAFT, JSONSchema, Walker
from qcompliance.model import (
    Level,
    Provenance,
    Region,
    Score,
    Severity,
    TailoringRecord,
    Text,
    Verdict,
    Waiver,
    WaiverProblem,
)

__all__ = [
    "ASSESSMENT_SCHEMA",
    "SUMMARY_SCHEMA",
    "batch_row_schema",
    "compact_assessment_schema",
    "summary_schema",
]

ASSESSMENT_SCHEMA = "qcompliance/assessment/v1"
"""The ``schema`` member of an assessment in either form."""

SUMMARY_SCHEMA = "qcompliance/assessment-summary/v1"
"""The ``schema`` member of a summary row."""

_STRING_OR_NULL: JSONSchema = {"type": ["string", "null"]}
_NUMBER_OR_NULL: JSONSchema = {"type": ["number", "null"]}
_DATE: JSONSchema = {"type": "string", "format": "date"}
_COUNT: JSONSchema = {"type": "integer", "minimum": 0}


_IDENTITY: JSONSchema = {
    "external_id": {"type": "string", "description": "The caller's id (only when given)."},
    "metadata": {"type": "object", "additionalProperties": {"type": "string"},
                 "description": "The caller's labels (only when given)."},
}


def _document(title: str, description: str, properties: JSONSchema, walker: Walker,
              required: list[str] | None = None) -> JSONSchema:
    out: JSONSchema = {
        "$schema": DRAFT, "$comment": COMMENT, "title": title, "description": description,
        "type": "object", "properties": properties,
        "required": required if required is not None else [
            k for k in properties if k not in _IDENTITY],
        "additionalProperties": False,
    }
    if walker.defs:
        out["$defs"] = dict(sorted(walker.defs.items()))
    return out


def compact_assessment_schema() -> JSONSchema:
    """The schema of the compact assessment (``"detail": "compact"``): checklists named by id,
    version and sha256, verdicts by item, and details only where the catalogue cannot say."""
    walker = Walker()
    score = walker.ref(Score)
    text = walker.ref(Text)
    ref: JSONSchema = {
        "type": "object",
        "description": "A checklist the assessment used, named by id, version and digest.",
        "properties": {"id": {"type": "string"}, "version": {"type": "string"},
                       "sha256": _STRING_OR_NULL,
                       "applicable": {"type": "string", "enum": ["yes", "no", "unknown"]},
                       "provenance": walker.ref(Provenance)},
        "required": ["id", "version", "sha256", "applicable"],
        "additionalProperties": False,
    }
    detail: JSONSchema = {
        "type": "object",
        "description": "What the catalogue cannot give back about one result.",
        "properties": {"severity": walker.of_type(Severity), "why": text,
                       "missing": {"type": "array", "items": {"type": "string"}},
                       "waiver": walker.ref(Waiver), "waiver_note": text, "due": _DATE},
        "additionalProperties": False,
    }
    properties: JSONSchema = {
        "schema": {"const": ASSESSMENT_SCHEMA},
        "detail": {"const": "compact"},
        "tool_version": {"type": "string"},
        "as_of": _DATE,
        "profile_name": _STRING_OR_NULL,
        "profile_credit_code": _STRING_OR_NULL,
        "profile_sha256": _STRING_OR_NULL,
        "checklists": {"type": "array", "items": ref},
        "results": {"type": "object", "description": "Checklist id to {item id without the "
                    "checklist's prefix: verdict}.",
                    "additionalProperties": {"type": "object",
                                             "additionalProperties": walker.of_type(Verdict)}},
        "details": {"type": "object", "description": "Item id to its details.",
                    "additionalProperties": detail},
        "scores_by_checklist": {"type": "object", "additionalProperties": score},
        "scores_by_level": {"type": "object", "additionalProperties": score},
        "overall": score,
        "facts_to_collect": {"type": "array", "items": {
            "type": "object", "properties": {"key": {"type": "string"},
                                             "items": {"type": "array",
                                                       "items": {"type": "string"}}},
            "required": ["key", "items"], "additionalProperties": False}},
        "tailoring": walker.of_type(TailoringRecord | None),
        "waiver_problems": {"type": "array", "items": walker.ref(WaiverProblem)},
        "region": walker.of_type(Region | None),
        **_IDENTITY,
    }
    return _document(f"qcompliance compact assessment ({ASSESSMENT_SCHEMA}, detail compact)",
                     "The compact form: rendered with the catalogue it names, which must have "
                     "the same digests.", properties, walker)


def summary_schema() -> JSONSchema:
    """The schema of the summary row of one assessment (``view=summary``)."""
    properties: JSONSchema = {
        "schema": {"const": SUMMARY_SCHEMA},
        "as_of": _DATE,
        "profile_name": _STRING_OR_NULL,
        "profile_credit_code": _STRING_OR_NULL,
        "profile_sha256": _STRING_OR_NULL,
        "score": _NUMBER_OR_NULL,
        "coverage": _NUMBER_OR_NULL,
        **dict.fromkeys(("passed", "failed", "unknown", "waived", "not_applicable",
                         "mandatory_failed"), _COUNT),
        "failed_items": {"type": "array", "items": {"type": "string"},
                         "description": "Ids of the failing obligations."},
        "facts_to_collect": _COUNT,
        **_IDENTITY,
    }
    return _document(f"qcompliance assessment summary ({SUMMARY_SCHEMA})",
                     "Scores and gaps of one assessment, without explanations.", properties,
                     Walker())


def batch_row_schema() -> JSONSchema:
    """The schema of one summary row of a batch (``qcheck batch``, ``POST /v1/batch``): a
    company's scores, or the error that kept it from loading, under the caller's id, external
    id and labels (every row has every key)."""
    nullable_count: JSONSchema = {"type": ["integer", "null"], "minimum": 0}
    properties: JSONSchema = {
        "id": {"type": "string", "description": "The caller's id, else 'line N' (JSON) or "
               "'row N' (CSV, XLSX), or the profile file's name (a folder)."},
        "external_id": {"type": ["string", "null"],
                        "description": "The caller's external_id, as given (null when none)."},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"},
                     "description": "The caller's labels, as given (empty when none)."},
        "source": _STRING_OR_NULL,
        "line": {"type": ["integer", "null"]},
        "name": _STRING_OR_NULL,
        "credit_code": _STRING_OR_NULL,
        "error_key": _STRING_OR_NULL,
        "error": _STRING_OR_NULL,
        "score": _NUMBER_OR_NULL,
        "coverage": _NUMBER_OR_NULL,
        **{f"score.{level.value}": _NUMBER_OR_NULL for level in Level},
        "failed": nullable_count,
        "unknown": nullable_count,
        "mandatory_failures": {"type": "array", "items": {"type": "string"}},
    }
    out = _document("qcompliance batch summary row",
                    "One company of a batch: its scores, or the error that kept it from "
                    "loading (then the scores and counts are null), with what the caller gave "
                    "beside its facts (id, external_id, metadata).", properties, Walker(),
                    required=list(properties))
    out["patternProperties"] = {r"^score\.": _NUMBER_OR_NULL}
    return out
