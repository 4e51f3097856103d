"""The OpenAPI 3.1 document of the HTTP API (committed as docs/openapi.json; a test keeps the
two equal). Written out rather than generated, so that it says what the endpoints promise."""

from __future__ import annotations

import json
import sys
from typing import Any

from qcompliance.server.openapi_workspace import WORKSPACE_PATHS, WORKSPACE_SCHEMAS
from qcompliance.version import __version__

__all__ = ["openapi_document", "openapi_text"]

_PROBLEM = {"$ref": "#/components/responses/Problem"}
_LANG = {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["zh", "en"],
         "default": "zh"}, "description": "Language of reports and messages."}
_AS_OF = {"name": "as_of", "in": "query", "schema": {"type": "string", "format": "date"},
          "description": "Assessment day, YYYY-MM-DD (default: the server's today)."}
_CHECKLIST = {"name": "checklist", "in": "query", "schema": {"type": "array",
              "items": {"type": "string"}}, "style": "form", "explode": True,
              "description": "Evaluate only these checklist ids (repeatable). Default: every "
                             "checklist of the server, those that do not apply left out."}
_INAPPLICABLE = {"name": "include_inapplicable", "in": "query",
                 "schema": {"type": "boolean", "default": False},
                 "description": "List every item of a checklist that does not apply as not "
                                "applicable, instead of leaving them out (as qcheck run "
                                "--include-inapplicable)."}
_FORMATS = ["json", "html", "markdown", "csv", "xlsx", "junit", "ics", "oscal"]


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document served at ``/openapi.json``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "qcompliance",
            "version": __version__,
            "summary": "Check a Chinese enterprise against the quality obligations that apply "
                       "to it (企业质量合规自查).",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "security": [{}, {"bearer": []}],
        "paths": {
            "/v1/assessments": {"post": {
                "operationId": "assess",
                "summary": "Evaluate one profile; the assessment or a report of it.",
                "parameters": [
                    _AS_OF, _LANG, _CHECKLIST, _INAPPLICABLE,
                    {"name": "format", "in": "query", "schema": {"type": "string",
                     "enum": _FORMATS}, "description": "Report format; overrides Accept."},
                    {"name": "view", "in": "query", "schema": {"type": "string",
                     "enum": ["full", "compact", "summary"], "default": "full"},
                     "description": "For JSON: the whole assessment, its compact form "
                                    "(as qcheck run --detail compact: it names the served "
                                    "catalogue instead of copying it), or its summary row."},
                ],
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"oneOf": [
                        {"$ref": "#/components/schemas/Profile"},
                        {"$ref": "#/components/schemas/Envelope"},
                    ]}},
                    "application/toml": {"schema": {"type": "string"}},
                }},
                "responses": {
                    "200": {"description": "The assessment (JSON) or the report asked for.",
                            "content": {
                                "application/json": {"schema": {"oneOf": [
                                    {"$ref": "#/components/schemas/Assessment"},
                                    {"$ref": "#/components/schemas/Summary"}]}},
                                "text/html": {"schema": {"type": "string"}},
                                "text/markdown": {"schema": {"type": "string"}},
                                "text/csv": {"schema": {"type": "string"}},
                                "application/vnd.openxmlformats-officedocument."
                                "spreadsheetml.sheet": {"schema": {"type": "string",
                                                                   "format": "binary"}},
                                "application/xml": {"schema": {"type": "string"}},
                                "text/calendar": {"schema": {"type": "string"}},
                                "application/oscal+json": {"schema": {"type": "object"}},
                            }},
                    "400": _PROBLEM, "401": _PROBLEM, "406": _PROBLEM, "413": _PROBLEM,
                    "422": _PROBLEM, "503": _PROBLEM,
                },
            }},
            "/v1/batch": {"post": {
                "operationId": "batch",
                "summary": "JSON Lines of profiles in (an optional id member names each); "
                           "the summary row of qcheck batch for each line out, streamed as "
                           "each is evaluated.",
                "parameters": [_AS_OF, _CHECKLIST, _INAPPLICABLE],
                "requestBody": {"required": True, "content": {
                    "application/x-ndjson": {"schema": {"type": "string"}}}},
                "responses": {
                    "200": {"description": "One line per input line: the summary row of "
                                           "qcheck batch (id, line, name, credit_code, "
                                           "error_key, error, scores, counts, "
                                           "mandatory_failures).",
                            "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                    "401": _PROBLEM, "413": _PROBLEM,
                },
            }},
            "/v1/checklists": {"get": {
                "operationId": "listChecklists",
                "summary": "The checklists this server evaluates with.",
                "responses": {"200": {"description": "id, version, title, items, sha256.",
                                      "content": _json({"type": "array",
                                                        "items": {"type": "object"}})},
                              "401": _PROBLEM},
            }},
            "/v1/checklists/{id}": {"get": {
                "operationId": "getChecklist",
                "summary": "One checklist in full.",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The checklist.", "content": _json(
                    {"$ref": "#/components/schemas/Checklist"})},
                              "401": _PROBLEM, "404": _PROBLEM},
            }},
            "/v1/facts": {"get": {
                "operationId": "listFacts",
                "summary": "The facts dictionary: every fact a profile may give.",
                "parameters": [_CHECKLIST],
                "responses": {"200": {"description": "Fact declarations.", "content": _json(
                    {"type": "array", "items": {"type": "object"}})}, "401": _PROBLEM},
            }},
            "/v1/schemas/{kind}": {"get": {
                "operationId": "getSchema",
                "summary": "The JSON Schema of a file format.",
                "parameters": [{"name": "kind", "in": "path", "required": True, "schema": {
                    "type": "string",
                    "enum": ["profile", "checklist", "assessment", "tailoring", "waivers"]}}],
                "responses": {"200": {"description": "A JSON Schema (2020-12).", "content": {
                    "application/schema+json": {"schema": {"type": "object"}}}},
                              "401": _PROBLEM, "404": _PROBLEM},
            }},
            "/v1/selfcheck/next": {"post": {
                "operationId": "selfcheckNext",
                "summary": "The browser self-check: the answers so far in, the next question "
                           "(or done, with the profile TOML) out.",
                "requestBody": {"required": True, "content": _json(
                    {"$ref": "#/components/schemas/SelfcheckRequest"})},
                "responses": {"200": {"description": "The next question or done.",
                                      "content": _json({"type": "object"})},
                              "400": _PROBLEM, "401": _PROBLEM, "422": _PROBLEM},
            }},
            "/v1/selfcheck/check": {"post": {
                "operationId": "selfcheckCheck",
                "summary": "Whether one typed answer fits its question.",
                "requestBody": {"required": True, "content": _json({
                    "type": "object", "required": ["key", "answer"],
                    "properties": {"key": {"type": "string"}, "answer": {"type": "string"},
                                   "kind": {"enum": ["fact", "count", "field"]},
                                   "lang": {"enum": ["zh", "en"]},
                                   "as_of": {"type": "string", "format": "date"}}})},
                "responses": {"200": {"description": "{ok, error} or {ok, value}.",
                                      "content": _json({"type": "object"})},
                              "400": _PROBLEM, "401": _PROBLEM},
            }},
            "/healthz": {"get": {"operationId": "health", "summary": "The process answers.",
                                 "security": [{}],
                                 "responses": {"200": {"description": "ok"}}}},
            "/readyz": {"get": {"operationId": "ready", "security": [{}],
                                "summary": "Checklists are compiled; requests can be served.",
                                "responses": {"200": {"description": "ready"}}}},
            **WORKSPACE_PATHS,
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Required when the server was "
                                                          "started with a token."}},
            "responses": {"Problem": {
                "description": "An RFC 9457 problem document.",
                "content": {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}}}}},
            "schemas": {
                "Profile": {"type": "object", "description": "A company profile: see "
                            "GET /v1/schemas/profile.",
                            "required": ["schema"], "properties": {"schema": {
                                "const": "qcompliance/profile/v1"}}},
                "Checklist": {"type": "object", "description": "See GET /v1/schemas/checklist."},
                "Assessment": {"type": "object",
                               "description": "See GET /v1/schemas/assessment."},
                "Envelope": {"type": "object", "required": ["profile"],
                             "description": "A profile with tailoring and waivers. Each part "
                             "is an object, or TOML or JSON text (<part>_format) hashed as "
                             "sent; <part>_name names it in messages and in the assessment.",
                             "additionalProperties": False,
                             "properties": {
                                 **{f"{part}{tail}": schema
                                    for part in ("profile", "tailoring", "waivers")
                                    for tail, schema in (
                                        ("", {"type": ["object", "string"]}),
                                        ("_format", {"enum": ["toml", "json"]}),
                                        ("_name", {"type": "string"}))}}},
                "Summary": {"type": "object", "description": "The summary row: scores, "
                            "counts and failing item ids (schema "
                            "qcompliance/assessment-summary/v1)."},
                "SelfcheckRequest": {"type": "object", "properties": {
                    "answers": {"type": "object", "additionalProperties": {"type": "string"},
                                "description": "Question id (as the previous step gave it) "
                                               "to the text typed."},
                    "quick": {"type": "boolean", "description": "Ask only what decides "
                              "whether mandatory items apply."},
                    "profile": {"type": "string",
                                "description": "A profile (TOML) to start from."},
                    "profile_format": {"enum": ["toml", "json"]},
                    "checklists": {"type": "array", "items": {"type": "string"}},
                    "lang": {"enum": ["zh", "en"]},
                    "as_of": {"type": "string", "format": "date"}}},
                "Problem": {"type": "object", "required": ["type", "title", "status"],
                            "properties": {
                                "type": {"type": "string"}, "title": {"type": "string"},
                                "status": {"type": "integer"}, "detail": {"type": "string"},
                                "instance": {"type": "string"},
                                "problems": {"type": "array", "items": {
                                    "type": "object", "properties": {
                                        "file": {"type": ["string", "null"]},
                                        "line": {"type": ["integer", "null"]},
                                        "column": {"type": ["integer", "null"]},
                                        "key": {"type": ["string", "null"]},
                                        "message": {"type": "string"}}}}}},
                **WORKSPACE_SCHEMAS,
            },
        },
    }


def openapi_text() -> str:
    """The document as committed in docs/openapi.json: indented UTF-8 JSON and a newline."""
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m qcompliance.server.openapi > docs/openapi.json
    sys.stdout.write(openapi_text())
