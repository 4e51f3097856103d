"""The OpenAPI 3.1 document of the HTTP API, generated from the operation table
(:mod:`qcompliance.server.operations`) and the same JSON Schemas ``qcheck schema`` writes.

Each document schema (profile, checklist, the three assessment forms, a batch row, tailoring,
waivers) becomes a component, and its ``$defs`` become components beside it, so every model
appears once and is referred to by ``$ref``. ``python -m qcompliance.server.openapi >
docs/openapi.json`` writes the committed document; a test keeps the two equal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from qcompliance.authoring.schema import schema
from qcompliance.model import FactSpec
from qcompliance.server.operations import OPERATIONS, Operation, component
from qcompliance.version import __version__

__all__ = ["DOCUMENTS", "MESSAGES", "components", "openapi_document", "openapi_text"]

JSONSchema = dict[str, Any]

DOCUMENTS: dict[str, str] = {
    "Profile": "profile",
    "Checklist": "checklist",
    "Assessment": "assessment",
    "AssessmentCompact": "assessment-compact",
    "AssessmentSummary": "assessment-summary",
    "BatchRow": "batch-row",
    "Tailoring": "tailoring",
    "Waivers": "waivers",
}
"""Component name to the kind of ``qcheck schema`` it is generated from."""

_STATUS_TEXT = {
    400: "The request is malformed: bad JSON or TOML, an unknown query parameter or value.",
    401: "A bearer token is required (the server was started with one).",
    403: "The token may not do this: a company token for another company, or a company "
         "token where an admin or consultant token is needed.",
    404: "No such resource.",
    406: "None of the accepted media types can be sent.",
    408: "The request body came too slowly (--body-timeout).",
    413: "The request body is over the server's limit.",
    415: "The body's Content-Type is not one the operation takes.",
    422: "The input does not fit its schema or the facts dictionary.",
    429: "This client address holds too many connections (--max-client-connections).",
    500: "Internal server error (never a traceback).",
    501: "The server lacks the optional part this format needs.",
    503: "The server is busy or the evaluation ran out of time (see Retry-After).",
}

_STRING_OR_NULL = {"type": ["string", "null"]}

MESSAGES: dict[str, JSONSchema] = {
    "Problem": {
        "type": "object", "description": "An RFC 9457 problem document; problems lists what the "
        "library found, each with file, line, column and key where known.",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"},
            "status": {"type": "integer"}, "detail": {"type": "string"},
            "instance": {"type": "string"},
            "problems": {"type": "array", "items": {
                "type": "object", "required": ["message"],
                "properties": {"file": _STRING_OR_NULL, "line": {"type": ["integer", "null"]},
                               "column": {"type": ["integer", "null"]}, "key": _STRING_OR_NULL,
                               "message": {"type": "string", "description": "In English, "
                                           "stable for programs to match."},
                               "text": {**component("Text"), "description": "The message "
                                        "in Chinese and English, for people."}}}}}},
    "Envelope": {
        "type": "object", "required": ["profile"], "additionalProperties": False,
        "description": "A profile with tailoring and waivers. Each part is an object, or TOML "
                       "or JSON text (<part>_format) hashed as sent; <part>_name names it in "
                       "messages and in the assessment.",
        "properties": {
            **{f"{part}{tail}": body
               for part in ("profile", "tailoring", "waivers")
               for tail, body in (("", {"type": ["object", "string"]}),
                                  ("_format", {"type": "string", "enum": ["toml", "json"]}),
                                  ("_name", {"type": "string"}))},
            "external_id": {"type": "string", "description": "The caller's id, carried into "
                            "the assessment in every form."},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"},
                         "description": "The caller's labels, carried likewise."}}},
    "BatchRequest": {
        "type": "object", "required": ["profiles"], "additionalProperties": False,
        "description": "The JSON form of a batch (JSON Lines is the other).",
        "properties": {"profiles": {"type": "array", "items": {
            "type": "object", "description": "A profile as a JSON object (its facts, as a "
            "profile file holds them), with what the caller gives beside them, all kept in "
            "its row whatever becomes of the profile.",
            "properties": {
                "id": {"type": ["string", "integer"],
                       "description": "Names its row (default: line N)."},
                "external_id": {"type": "string",
                                "description": "The caller's own key, kept in its row."},
                "metadata": {"type": "object", "additionalProperties": {"type": "string"},
                             "description": "The caller's labels, kept in its row."}}}}}},
    "ChecklistEntry": {
        "type": "object", "required": ["id", "version", "title", "items", "sha256"],
        "additionalProperties": False,
        "properties": {"id": {"type": "string"}, "version": {"type": "string"},
                       "title": component("Text"), "items": {"type": "integer"},
                       "sha256": _STRING_OR_NULL}},
    "SelfcheckRequest": {
        "type": "object", "additionalProperties": False, "properties": {
            "answers": {"type": "object", "additionalProperties": {"anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "object",
                                            "additionalProperties": {"type": "string"}}}]},
                        "description": "Question id (as the previous step gave it) to the "
                                       "answer: the value chosen or text typed, or for a "
                                       "records question the rows of its table."},
            "quick": {"type": "boolean", "description": "Ask what decides whether "
                      "mandatory items apply, then what the most serious applicable ones "
                      "need, within the quick budget."},
            "profile": {"type": ["string", "null"],
                        "description": "A profile (TOML) to start from."},
            "profile_format": {"type": "string", "enum": ["toml", "json"]},
            "profile_name": {"type": ["string", "null"], "description": "Its name in messages."},
            "checklists": {"type": "array", "items": {"type": "string"}},
            "lang": {"type": "string", "enum": ["zh", "en"]},
            "as_of": {"type": ["string", "null"], "format": "date"}}},
    "RecordsUpload": {
        "type": "object", "required": ["key", "name", "content"], "additionalProperties": False,
        "description": "A CSV or XLSX records file of the browser self-check.",
        "properties": {"key": {"type": "string", "description": "The records fact."},
                       "name": {"type": "string", "description": "The file name (its type)."},
                       "content": {"type": "string", "contentEncoding": "base64"},
                       "lang": {"type": "string", "enum": ["zh", "en"]},
                       "as_of": {"type": ["string", "null"], "format": "date"}}},
    "RecordsRows": {
        "type": "object", "required": ["rows"],
        "properties": {"rows": {"type": "array", "items": {
            "type": "object", "additionalProperties": {"type": "string"}}}}},
    "SelfcheckResultRequest": {
        "type": "object", "required": ["profile"], "additionalProperties": False,
        "properties": {"profile": {"type": "string", "description": "The profile (TOML)."},
                       "checklists": {"type": "array", "items": {"type": "string"}},
                       "lang": {"type": "string", "enum": ["zh", "en"]},
                       "as_of": {"type": ["string", "null"], "format": "date"}}},
    "SelfcheckDecision": {
        "type": "object", "additionalProperties": False,
        "required": ["company", "as_of", "score", "coverage", "coverage_words",
                     "coverage_level", "low_coverage", "headline", "gaps", "mandatory_gaps",
                     "facts_to_collect", "priorities", "more", "collect"],
        "description": "What a finished self-check opens on, as the report's decision block "
                       "gives it: the mandatory score with its coverage in words, the top "
                       "priorities with due date, severity and first step, what to collect "
                       "next. Every text is in the language asked for; the *_key and *_level "
                       "codes are for styling, never shown.",
        "properties": {
            "company": {"type": "string"},
            "as_of": {"type": "string", "description": "The assessment day as a reader "
                      "writes it (2026年11月20日)."},
            "score": {"type": "string", "description": "The mandatory score, e.g. 80.6% "
                      "(— when nothing was decided)."},
            "coverage": {"type": "string", "description": "The mandatory coverage, e.g. "
                         "82.3% (— when nothing applies)."},
            "coverage_words": {"type": "string", "description": "The coverage as a reader "
                               "weighs it; below half it says the score is no grade."},
            "coverage_level": {"type": "string", "enum": ["none", "low", "partial", "good"]},
            "low_coverage": {"type": "boolean", "description": "Below half: the score is no "
                             "grade."},
            "headline": {"type": "string", "description": "The decision in one sentence."},
            "gaps": {"type": "integer", "minimum": 0},
            "mandatory_gaps": {"type": "integer", "minimum": 0},
            "facts_to_collect": {"type": "integer", "minimum": 0},
            "priorities": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["title", "level", "severity", "severity_key", "due", "due_iso",
                             "due_note", "overdue", "first_step", "topic"],
                "properties": {
                    "title": {"type": "string"}, "level": {"type": "string"},
                    "severity": {"type": "string"},
                    "severity_key": {"type": "string",
                                     "enum": ["critical", "high", "medium", "low"]},
                    "due": {"type": "string", "description": "As a reader writes it."},
                    "due_iso": {"type": "string", "format": "date"},
                    "due_note": {"type": "string", "description": "Where the date comes "
                                 "from: the law, a passed legal deadline, or the window."},
                    "overdue": {"type": "boolean"},
                    "first_step": {"type": "string"},
                    "topic": {"type": "string", "description": "The checklist's title."}}}},
            "more": {"type": "integer", "minimum": 0,
                     "description": "Gaps beyond the priorities listed."},
            "collect": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["label", "question", "waiting"],
                "properties": {"label": {"type": "string"}, "question": {"type": "string"},
                               "waiting": {"type": "integer", "minimum": 0,
                                           "description": "Items waiting for the answer."}}},
                        "description": "The first facts to collect, most binding first."}}},
    "SelfcheckStep": {
        "type": "object", "required": ["done", "profile_toml"],
        "description": "The next question (with the answers so far) or done, with the "
                       "profile written so far.",
        "properties": {"done": {"type": "boolean"}, "profile_toml": {"type": "string"},
                       "question": {"type": "object", "description": "id, key, question, "
                                    "help, unit, type, choices, section, n of about N; for "
                                    "type group, rows of yes/no questions each with its id."},
                       "answered": {"type": "integer"}, "asked": {"type": "integer"},
                       "screens": {"type": "integer", "description": "Questions shown."},
                       "duties": {"type": ["object", "null"], "description": "A finished "
                                  "quick self-check: applicable mandatory duties covered and "
                                  "left to the full self-check.", "properties": {
                                      "covered": {"type": "integer"},
                                      "left": {"type": "integer"}}},
                       "unknown": {"type": "array", "items": {"type": "string"}}}},
    "AnswerRequest": {
        "type": "object", "required": ["key", "answer"], "additionalProperties": False,
        "properties": {"key": {"type": "string"}, "answer": {"type": "string"},
                       "kind": {"type": "string", "enum": ["fact", "count", "field"]},
                       "lang": {"type": "string", "enum": ["zh", "en"]},
                       "as_of": {"type": ["string", "null"], "format": "date"}}},
    "AnswerCheck": {
        "type": "object", "required": ["ok"],
        "properties": {"ok": {"type": "boolean"}, "error": {"type": "string"},
                       "unknown": {"type": "boolean"}, "value": {}}},
    "Health": {"type": "object", "required": ["status", "version"],
               "properties": {"status": {"const": "ok"}, "version": {"type": "string"}}},
    "Ready": {"type": "object", "required": ["status", "checklists", "facts"],
              "properties": {"status": {"const": "ready"}, "checklists": {"type": "integer"},
                             "facts": {"type": "integer"}}},
}
"""Components of the service's own messages (no file format has them)."""


def _rewrite(value: Any) -> Any:
    """``#/$defs/X`` references as references to the component ``X``; a schema's ``title``
    joins its description (generators name classes after titles, and labels make poor and
    clashing class names)."""
    if isinstance(value, dict):
        out = {k: ("#/components/schemas/" + v.removeprefix("#/$defs/")
                   if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/")
                   else _rewrite(v)) for k, v in value.items()
               if not (k == "title" and isinstance(v, str))}
        if isinstance(value.get("title"), str):
            described = value.get("description")
            out["description"] = value["title"] + (f"\n\n{described}" if described else "")
        return out
    if isinstance(value, list):
        return [_rewrite(v) for v in value]
    return value


def _add(schemas: dict[str, JSONSchema], name: str, body: JSONSchema) -> None:
    if name in schemas and schemas[name] != body:
        raise ValueError(f"two different schemas named {name}")  # a model-naming mistake
    schemas[name] = body


def components(facts: Mapping[str, FactSpec] | None = None,
               operations: Iterable[Operation] = OPERATIONS) -> dict[str, JSONSchema]:
    """Every component schema: the document schemas, their definitions, the service's own
    messages and those the operations bring."""
    out: dict[str, JSONSchema] = {}
    for name, kind in DOCUMENTS.items():
        document = dict(schema(kind, facts))
        for key in ("$schema", "$comment"):
            document.pop(key, None)
        for def_name, body in document.pop("$defs", {}).items():
            _add(out, def_name, _rewrite(body))
        _add(out, name, _rewrite(document))
    for name, body in MESSAGES.items():
        _add(out, name, body)
    for op in operations:
        for name, body in op.components.items():
            _add(out, name, _rewrite(body))
    return dict(sorted(out.items()))


def _operation(op: Operation) -> JSONSchema:
    out: JSONSchema = {"operationId": op.operation_id, "summary": op.summary}
    if op.tags:
        out["tags"] = list(op.tags)
    if op.public:
        out["security"] = [{}]
    elif op.token_required:
        out["security"] = [{"bearer": []}]
    if op.params:
        out["parameters"] = [p.openapi() for p in op.params]
    if op.body is not None:
        body: JSONSchema = {"required": op.body_required, "content": {
            media: {"schema": schema_} for media, schema_ in op.body.items()}}
        if op.body_description:
            body["description"] = op.body_description
        out["requestBody"] = body
    ok: JSONSchema = {"description": op.ok_description}
    if op.ok:
        ok["content"] = {media: {"schema": schema_} for media, schema_ in op.ok.items()}
    if op.ok_headers:
        ok["headers"] = {name: {"description": text, "required": True,
                                "schema": {"type": "string"}}
                         for name, text in op.ok_headers.items()}
    responses: JSONSchema = {str(op.ok_status): ok}
    for status in op.statuses:
        responses[str(status)] = {"$ref": f"#/components/responses/Problem{status}"}
    out["responses"] = responses
    return out


def openapi_document(facts: Mapping[str, FactSpec] | None = None,
                     operations: Iterable[Operation] = OPERATIONS) -> dict[str, Any]:
    """The OpenAPI document of ``operations``, with the profile schema of ``facts`` (default:
    the built-in facts dictionary, as committed in docs/openapi.json)."""
    operations = tuple(operations)
    paths: dict[str, dict[str, JSONSchema]] = {}
    statuses: set[int] = set()
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
        statuses |= set(op.statuses)
    problem = {"application/problem+json": {"schema": component("Problem")}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "qcompliance",
            "version": __version__,
            "summary": "Check a Chinese enterprise against the quality obligations that apply "
                       "to it (企业质量合规自查).",
            "description": "Every error is an RFC 9457 problem document. Responses are "
                           "gzip-compressed when the request sends Accept-Encoding: gzip. "
                           "An unknown query parameter is a 400, a body of another media "
                           "type a 415. The workspace operations (tag workspace) are served "
                           "only with qcheck serve --store, and always need a token.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "security": [{}, {"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Required when the server was "
                                                          "started with a token."}},
            "responses": {f"Problem{status}": {"description": _STATUS_TEXT[status],
                                               "content": problem}
                          for status in sorted(statuses)},
            "schemas": components(facts, operations),
        },
    }


def openapi_text() -> str:
    """The document as committed in docs/openapi.json: indented UTF-8 JSON and a newline."""
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m qcompliance.server.openapi > docs/openapi.json
    sys.stdout.write(openapi_text())
