"""The operations of the evaluation API: assessments, batch, catalogue, self-check, probes."""

from __future__ import annotations

from qcompliance.authoring.schema import KINDS
from qcompliance.server.operations.base import (
    AS_OF,
    BINARY,
    CHECKLIST,
    FORMAT,
    INAPPLICABLE,
    LANG,
    MEDIA_TYPES,
    NDJSON,
    TEXT,
    TOML,
    TOML_BODY,
    VIEW,
    JSONSchema,
    Operation,
    Param,
    component,
)

__all__ = ["CORE_OPERATIONS", "REPORTS"]

REPORTS: dict[str, JSONSchema] = {
    "application/json": {"oneOf": [component("Assessment"), component("AssessmentCompact"),
                                   component("AssessmentSummary")]},
    "text/html": TEXT,
    "text/markdown": TEXT,
    "text/csv": TEXT,
    MEDIA_TYPES["xlsx"]: BINARY,
    "application/xml": TEXT,
    "text/calendar": TEXT,
    "application/oscal+json": {"type": "object",
                               "description": "An OSCAL assessment-results document."},
}

CORE_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST", "/v1/assessments", "assess",
        "Evaluate one profile; the assessment (full, compact or summary) or a report of it.",
        REPORTS, "The assessment (JSON, in the form ?view= names) or the report asked for "
        "by ?format= or Accept.",
        params=(AS_OF, LANG, CHECKLIST, INAPPLICABLE, FORMAT, VIEW),
        body={"application/json": {"oneOf": [component("Profile"), component("Envelope")]},
              TOML: TOML_BODY},
        body_description="A profile (JSON object, or TOML with Content-Type application/toml), "
                         "or an envelope with tailoring and waivers.",
        errors=(406, 422, 501, 503), tags=("assessments",)),
    Operation(
        "POST", "/v1/batch", "batch",
        "Many profiles in (JSON Lines, or a JSON object whose profiles member lists them); "
        "one batch summary row each out, in the form the body came in unless Accept says "
        "otherwise: JSON Lines stream a row as each profile is evaluated; JSON comes as "
        "one array.",
        {"application/json": {"type": "array", "items": component("BatchRow")},
         NDJSON: {"type": "string", "description": "One BatchRow (JSON) a line."}},
        "One row per input profile, in input order; a profile that cannot be read or "
        "evaluated gives a row with error and null scores, under the caller's id.",
        params=(AS_OF, CHECKLIST, INAPPLICABLE),
        body={NDJSON: {"type": "string", "format": "binary",
                       "description": "One profile (JSON object) a line, "
                                      "with optional id, external_id and metadata members "
                                      "that its row keeps."},
              "application/json": component("BatchRequest")},
        # 422: a JSON body past the input bounds (nesting, numbers, duplicate keys) as a whole;
        # 503: busy while the JSON body is read.
        errors=(406, 422, 503), tags=("assessments",)),
    Operation(
        "GET", "/v1/checklists", "listChecklists", "The checklists this server evaluates with.",
        {"application/json": {"type": "array", "items": component("ChecklistEntry")}},
        "id, version, title, number of items and sha256 of each.", tags=("catalogue",)),
    Operation(
        "GET", "/v1/checklists/{id}", "getChecklist", "One checklist in full.",
        {"application/json": component("Checklist")}, "The checklist as its file holds it.",
        params=(Param("id", {"type": "string"}, "A checklist id.", "path"),),
        errors=(404,), tags=("catalogue",)),
    Operation(
        "GET", "/v1/facts", "listFacts",
        "The facts dictionary: every fact a profile may give.",
        {"application/json": {"type": "array", "items": component("FactSpec")}},
        "Fact declarations.", params=(CHECKLIST,), tags=("catalogue",)),
    Operation(
        "GET", "/v1/schemas/{kind}", "getSchema", "The JSON Schema of a document format.",
        {"application/schema+json": {"type": "object"}}, "A JSON Schema (2020-12).",
        params=(Param("kind", {"type": "string", "enum": list(KINDS)}, "A document format.",
                      "path"),),
        errors=(404,), tags=("catalogue",)),
    Operation(
        "POST", "/v1/selfcheck/next", "selfcheckNext",
        "The browser self-check: the answers so far in, the next question (or done, with "
        "the profile TOML) out.",
        {"application/json": component("SelfcheckStep")}, "The next question or done.",
        body={"application/json": component("SelfcheckRequest")}, errors=(422, 503),
        tags=("selfcheck",)),
    Operation(
        "POST", "/v1/selfcheck/check", "selfcheckCheck",
        "Whether one typed answer fits its question.",
        {"application/json": component("AnswerCheck")}, "{ok, error} or {ok, value}.",
        body={"application/json": component("AnswerRequest")}, errors=(422,),
        tags=("selfcheck",)),
    Operation(
        "POST", "/v1/selfcheck/records", "selfcheckRecords",
        "An uploaded CSV or XLSX records file read as table rows (bounded size and rows).",
        {"application/json": component("RecordsRows")}, "The rows, cells as text.",
        body={"application/json": component("RecordsUpload")}, errors=(422, 503),
        tags=("selfcheck",)),
    Operation(
        "GET", "/v1/selfcheck/template", "selfcheckTemplate",
        "The empty form of a records fact, to fill in and upload.",
        {"text/csv": {"type": "string"},
         MEDIA_TYPES["xlsx"]: BINARY}, "The form.",
        params=(Param("key", {"type": "string"}, "The records fact."),
                Param("format", {"type": "string", "enum": ["csv", "xlsx"]}, "File type."),
                Param("lang", {"type": "string", "enum": ["zh", "en"]}, "Column language.")),
        errors=(404,), tags=("selfcheck",)),
    Operation(
        "POST", "/v1/selfcheck/result", "selfcheckResult",
        "The decision a finished self-check opens on.",
        {"application/json": component("SelfcheckDecision")}, "The decision.",
        body={"application/json": component("SelfcheckResultRequest")}, errors=(422, 503),
        tags=("selfcheck",)),
    Operation("GET", "/healthz", "health", "The process answers.",
              {"application/json": component("Health")}, "ok", public=True, tags=("probes",)),
    Operation("GET", "/readyz", "ready", "Checklists are compiled; requests can be served.",
              {"application/json": component("Ready")}, "ready", public=True,
              tags=("probes",)),
)
"""The operations of the evaluation API."""
