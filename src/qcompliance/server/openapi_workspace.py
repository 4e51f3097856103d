"""The OpenAPI paths of the workspace routes (served only with ``qcheck serve --store``),
merged into the document of :mod:`qcompliance.server.openapi`."""

from __future__ import annotations

from typing import Any

__all__ = ["WORKSPACE_PATHS", "WORKSPACE_SCHEMAS"]

_PROBLEM = {"description": "A problem document (RFC 9457).",
            "content": {"application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"}}}}
_USCC = {"name": "uscc", "in": "path", "required": True,
         "schema": {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$"},
         "description": "The company's unified social credit code (GB 32100)."}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
# Every workspace route may answer these: a malformed credit code or body (400), input that
# does not fit (422), a token missing (401) or for another company (403), a client over its
# share of connections (429).
_DENIED = {"400": _PROBLEM, "401": _PROBLEM, "403": _PROBLEM, "422": _PROBLEM,
           "429": _PROBLEM}
_STORE = " Only with qcheck serve --store; a company token reaches only its own company."


def _json(ref: str, array: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"$ref": f"#/components/schemas/{ref}"}
    if array:
        schema = {"type": "array", "items": schema}
    return {"application/json": {"schema": schema}}


def _op(op_id: str, summary: str, responses: dict[str, Any], params: list[Any] | None = None,
        body: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": op_id, "summary": summary + _STORE,
                          "tags": ["workspace"], "security": [{"bearer": []}],
                          "parameters": [_USCC, *(params or [])],
                          "responses": {**responses, **_DENIED}}
    if body is not None:
        op["requestBody"] = {"required": True, "content": body}
    return op


_PROFILE_BODY = {"application/toml": {"schema": {"type": "string"}},
                 "application/json": {"schema": {"$ref": "#/components/schemas/Profile"}}}

WORKSPACE_PATHS: dict[str, Any] = {
    "/v1/companies": {"get": {
        "operationId": "listCompanies", "tags": ["workspace"], "security": [{"bearer": []}],
        "summary": "Companies with their latest scores, open and overdue plan items."
                   + _STORE,
        "responses": {"200": {"description": "One row a company.",
                              "content": _json("CompanyRow", array=True)}, "401": _PROBLEM}}},
    "/v1/companies/{uscc}/profile": {
        "put": _op("putProfile", "Keep a new version of the company's profile (the same "
                   "text as the newest is not kept twice).",
                   {"200": {"description": "The version kept.",
                            "content": _json("ProfileVersion")},
                    "400": _PROBLEM, "422": _PROBLEM}, body=_PROFILE_BODY),
        "get": _op("getProfile", "The newest profile version as it was sent.",
                   {"200": {"description": "TOML or JSON text.", "content": _PROFILE_BODY},
                    "404": _PROBLEM})},
    "/v1/companies/{uscc}/assessments": {
        "post": _op("postCompanyAssessment", "Evaluate the stored profile (or the profile in "
                    "the body, kept first) and keep the assessment; the plan follows it.",
                    {"201": {"description": "The stored assessment's row.",
                             "content": _json("AssessmentRow")},
                     "400": _PROBLEM, "404": _PROBLEM, "422": _PROBLEM, "503": _PROBLEM},
                    params=[{"name": "as_of", "in": "query",
                             "schema": {"type": "string", "format": "date"}},
                            {"name": "checklist", "in": "query", "schema": {
                                "type": "array", "items": {"type": "string"}}}]),
        "get": _op("listCompanyAssessments", "The company's assessments, oldest first.",
                   {"200": {"description": "Day, profile version, catalogue, scores, gaps.",
                            "content": _json("AssessmentRow", array=True)}})},
    "/v1/companies/{uscc}/assessments/{id}": {"get": _op(
        "getCompanyAssessment", "One stored assessment in any report format (format= or "
        "Accept, as POST /v1/assessments); view=compact: the stored document.",
        {"200": {"description": "The assessment or a report of it.",
                 "content": {"application/json": {"schema": {
                     "$ref": "#/components/schemas/Assessment"}},
                     "text/html": {"schema": {"type": "string"}}}},
         "404": _PROBLEM, "406": _PROBLEM, "422": _PROBLEM},
        params=[_ID, {"name": "format", "in": "query", "schema": {"type": "string"}},
                {"name": "view", "in": "query", "schema": {"enum": ["full", "compact"]}},
                {"name": "lang", "in": "query", "schema": {"enum": ["zh", "en"]}}])},
    "/v1/companies/{uscc}/plan": {
        "get": _op("getPlan", "The remediation items: open work first.",
                   {"200": {"description": "Items with title, level, owner, due, status.",
                            "content": _json("PlanItem", array=True)}}),
        "patch": _op("patchPlan", "Set owner, due date, status or note of items.",
                     {"200": {"description": "The items as saved.",
                              "content": _json("PlanItem", array=True)},
                      "400": _PROBLEM, "404": _PROBLEM},
                     body={"application/json": {"schema": {"oneOf": [
                         {"$ref": "#/components/schemas/PlanChange"},
                         {"type": "object", "required": ["items"], "properties": {
                             "items": {"type": "array", "items": {
                                 "$ref": "#/components/schemas/PlanChange"}}}}]}}})},
    "/v1/companies/{uscc}/evidence": {
        "post": _op("postEvidence", "Upload a file (the body) as evidence for a plan item; "
                    "size-bounded (--max-evidence), sha256 recorded.",
                    {"201": {"description": "The file's record.",
                             "content": _json("Evidence")},
                     "400": _PROBLEM, "404": _PROBLEM, "413": _PROBLEM},
                    params=[{"name": "item", "in": "query", "required": True,
                             "schema": {"type": "string"}},
                            {"name": "filename", "in": "query",
                             "schema": {"type": "string"}}],
                    body={"application/octet-stream": {"schema": {
                        "type": "string", "format": "binary"}}}),
        "get": _op("listEvidence", "The company's evidence files (item= for one item's).",
                   {"200": {"description": "File records.",
                            "content": _json("Evidence", array=True)}},
                   params=[{"name": "item", "in": "query", "schema": {"type": "string"}}])},
    "/v1/companies/{uscc}/evidence/{id}": {"get": _op(
        "getEvidence", "The file, always as an attachment (nosniff, sandboxed).",
        {"200": {"description": "The bytes as uploaded.", "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
         "404": _PROBLEM}, params=[_ID])},
    "/v1/companies/{uscc}/draft": {
        "get": _op("getDraft", "The saved self-check answers, to resume on any device.",
                   {"200": {"description": "The object saved.",
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "404": _PROBLEM}),
        "put": _op("putDraft", "Save the self-check answers so far (a JSON object, 1 MB at "
                   "most).", {"200": {"description": "Saved."}, "400": _PROBLEM},
                   body={"application/json": {"schema": {"type": "object"}}}),
        "delete": _op("deleteDraft", "Forget the saved answers (the self-check is finished).",
                      {"204": {"description": "Forgotten."}})},
    "/v1/impact": {"post": {
        "operationId": "postImpact", "tags": ["workspace"], "security": [{"bearer": []}],
        "summary": "What a catalogue change does to the stored companies: rules changed, "
                   "verdicts that flip, ranked by new mandatory failures. Admin and "
                   "consultant tokens only." + _STORE.split(";")[0] + ".",
        "parameters": [{"name": "format", "in": "query", "schema": {"enum": ["json", "html"]}},
                       {"name": "lang", "in": "query", "schema": {"enum": ["zh", "en"]}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "additionalProperties": False, "properties": {
                "from": {"type": ["string", "null"], "description": "served, builtin or "
                         "NAME@VERSION of a pulled pack (default: served)."},
                "to": {"type": ["string", "null"]}, "as_of": {"type": "string", "format": "date"},
                "companies": {"type": "array", "items": {"type": "string"}}}}}}},
        "responses": {"200": {"description": "The impact (schema qcompliance/impact/v1).",
                              "content": {"application/json": {"schema": {"type": "object"}},
                                          "text/html": {"schema": {"type": "string"}}}},
                      "400": _PROBLEM, "401": _PROBLEM, "403": _PROBLEM, "422": _PROBLEM,
                      "429": _PROBLEM, "503": _PROBLEM}}},
    "/v1/whoami": {"get": {
        "operationId": "whoami", "tags": ["workspace"], "security": [{"bearer": []}],
        "summary": "The role (and company) of the token sent." + _STORE.split(";")[0] + ".",
        "responses": {"200": {"description": "{role, uscc}"}, "401": _PROBLEM}}},
}
"""The workspace's paths, as the routes in :mod:`qcompliance.server.workspace` serve them."""

_DAY = {"type": ["string", "null"], "format": "date"}
_SCORE = {"type": ["number", "null"]}

WORKSPACE_SCHEMAS: dict[str, Any] = {
    "CompanyRow": {"type": "object", "properties": {
        "uscc": {"type": "string"}, "name": {"type": ["string", "null"]},
        "profile_versions": {"type": "integer"}, "assessments": {"type": "integer"},
        "last_as_of": _DAY, "score": _SCORE, "mandatory_score": _SCORE,
        "gaps": {"type": ["integer", "null"]}, "open_items": {"type": "integer"},
        "overdue_items": {"type": "integer"}}},
    "ProfileVersion": {"type": "object", "properties": {
        "id": {"type": "integer"}, "uscc": {"type": "string"}, "version": {"type": "integer"},
        "format": {"enum": ["toml", "json"]}, "sha256": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"}}},
    "AssessmentRow": {"type": "object", "properties": {
        "id": {"type": "integer"}, "uscc": {"type": "string"},
        "profile_version": {"type": ["integer", "null"]}, "as_of": {"type": "string"},
        "created_at": {"type": "string"}, "catalogue": {"type": "array", "items": {
            "type": "object", "properties": {"id": {"type": "string"},
                                             "version": {"type": "string"},
                                             "sha256": {"type": ["string", "null"]}}}},
        "score": _SCORE, "coverage": _SCORE, "mandatory_score": _SCORE,
        "gaps": {"type": "integer"}, "mandatory_failures": {"type": "integer"}}},
    "PlanItem": {"type": "object", "properties": {
        "id": {"type": "integer"}, "item": {"type": "string"}, "checklist": {"type": "string"},
        "status": {"enum": ["open", "in_progress", "done", "closed"]},
        "owner": {"type": ["string", "null"]}, "due": _DAY,
        "note": {"type": ["string", "null"]}, "opened_in": {"type": ["integer", "null"]},
        "closed_in": {"type": ["integer", "null"]}, "evidence": {"type": "integer"},
        "title": {"type": "object"}, "level": {"type": "string"},
        "overdue": {"type": "boolean"}}},
    "PlanChange": {"type": "object", "required": ["item"], "additionalProperties": False,
                   "properties": {"item": {"type": "string"},
                                  "owner": {"type": ["string", "null"]}, "due": _DAY,
                                  "status": {"enum": ["open", "in_progress", "done",
                                                      "closed"]},
                                  "note": {"type": ["string", "null"]}}},
    "Evidence": {"type": "object", "properties": {
        "id": {"type": "integer"}, "item": {"type": "string"}, "filename": {"type": "string"},
        "media_type": {"type": "string"}, "size": {"type": "integer"},
        "sha256": {"type": "string"}, "created_at": {"type": "string"}}},
}
"""The workspace's response and request shapes."""
