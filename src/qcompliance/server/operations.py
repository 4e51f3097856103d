"""The API's contract as one declarative table: every operation's path, parameters, request
media types and responses.

The OpenAPI document (:mod:`qcompliance.server.openapi`) is generated from this table and the
JSON Schemas of :mod:`qcompliance.authoring.schema`, and the :class:`~qcompliance.server.contract.
Contract` middleware enforces it on every request (415 for a body of another media type, 400 for
a query parameter the operation does not declare). A new route is one more :class:`Operation`
in a tuple given to :func:`qcompliance.server.openapi.openapi_document` and to the middleware
(see :data:`OPERATIONS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from qcompliance.authoring.schema import KINDS

__all__ = [
    "FORMATS",
    "MEDIA_ALIASES",
    "MEDIA_TYPES",
    "NDJSON",
    "OPERATIONS",
    "TOML",
    "Operation",
    "Param",
    "component",
]

JSONSchema = dict[str, Any]

MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "junit": "application/xml",
    "ics": "text/calendar; charset=utf-8",
    "oscal": "application/oscal+json",
}
"""The report formats of ``POST /v1/assessments`` and the media type each is sent as."""

FORMATS = tuple(MEDIA_TYPES)
"""The report formats, in the order the document lists them."""

NDJSON = "application/x-ndjson"
TOML = "application/toml"

MEDIA_ALIASES: dict[str, str] = {"text/toml": TOML, "text/x-toml": TOML,
                                 "application/jsonl": NDJSON, "application/json-seq": NDJSON}
"""Other names clients use for a media type an operation takes."""


def component(name: str) -> JSONSchema:
    """A reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


@attrs.frozen
class Param:
    """One query or path parameter."""

    name: str
    schema: JSONSchema
    description: str
    where: Literal["query", "path"] = "query"

    def openapi(self) -> JSONSchema:
        """The parameter object of the OpenAPI document."""
        out: JSONSchema = {"name": self.name, "in": self.where, "description": self.description,
                           "schema": self.schema}
        if self.where == "path":
            out["required"] = True
        if self.schema.get("type") == "array":
            out.update(style="form", explode=True)
        return out


@attrs.frozen
class Operation:
    """One route: what it takes, what it answers, and which errors it may answer with.

    ``body`` and ``ok`` map a media type to its schema; ``errors`` are the statuses beside the
    ones every operation may answer (400 for an unknown query parameter, 401 without the
    token when one is set, 500), each a problem document; ``public`` routes need no token.
    """

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    path: str
    operation_id: str
    summary: str
    ok: Mapping[str, JSONSchema]
    ok_description: str
    params: tuple[Param, ...] = ()
    body: Mapping[str, JSONSchema] | None = None
    body_description: str | None = None
    errors: tuple[int, ...] = ()
    public: bool = False
    tags: tuple[str, ...] = ()
    components: Mapping[str, JSONSchema] = attrs.field(factory=dict)
    """Component schemas this operation brings (its own messages), added to the document;
    a name must not clash with another schema of a different body."""

    @property
    def statuses(self) -> tuple[int, ...]:
        """Every error status the operation may answer with, sorted."""
        # 429: one client address over its share of connections (the h11 protocol's cap).
        base = {400, 429, 500} | (set() if self.public else {401})
        if self.body is not None:
            base |= {408, 413, 415}  # 408: a body sent too slowly
        return tuple(sorted(base | set(self.errors)))

    @property
    def media_types(self) -> frozenset[str]:
        """The media types a request body may have (empty when the operation takes none)."""
        return frozenset(self.body or ())

    @property
    def query_names(self) -> frozenset[str]:
        """The names of the query parameters the operation declares."""
        return frozenset(p.name for p in self.params if p.where == "query")


_DATE = {"type": "string", "format": "date"}
LANG = Param("lang", {"type": "string", "enum": ["zh", "en"], "default": "zh"},
             "Language of reports and messages.")
AS_OF = Param("as_of", _DATE, "Assessment day, YYYY-MM-DD (default: the server's today).")
CHECKLIST = Param("checklist", {"type": "array", "items": {"type": "string"}},
                  "Evaluate only these checklist ids (repeatable). Default: every checklist of "
                  "the server, those that do not apply left out.")
INAPPLICABLE = Param("include_inapplicable", {"type": "boolean", "default": False},
                     "List every item of a checklist that does not apply as not applicable, "
                     "instead of leaving them out (as qcheck run --include-inapplicable).")
FORMAT = Param("format", {"type": "string", "enum": list(FORMATS)},
               "Report format; overrides Accept.")
VIEW = Param("view", {"type": "string", "enum": ["full", "compact", "summary"],
                      "default": "full"},
             "For JSON: the whole assessment, its compact form (as qcheck run --detail "
             "compact: it names the served catalogue instead of copying it), or its summary "
             "row.")
_TEXT = {"type": "string"}
_TOML_BODY = {"type": "string", "format": "binary",
              "description": "A profile as TOML text (UTF-8)."}

_REPORTS: dict[str, JSONSchema] = {
    "application/json": {"oneOf": [component("Assessment"), component("AssessmentCompact"),
                                   component("AssessmentSummary")]},
    "text/html": _TEXT,
    "text/markdown": _TEXT,
    "text/csv": _TEXT,
    MEDIA_TYPES["xlsx"]: {"type": "string", "format": "binary"},
    "application/xml": _TEXT,
    "text/calendar": _TEXT,
    "application/oscal+json": {"type": "object",
                               "description": "An OSCAL assessment-results document."},
}

CORE_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST", "/v1/assessments", "assess",
        "Evaluate one profile; the assessment (full, compact or summary) or a report of it.",
        _REPORTS, "The assessment (JSON, in the form ?view= names) or the report asked for "
        "by ?format= or Accept.",
        params=(AS_OF, LANG, CHECKLIST, INAPPLICABLE, FORMAT, VIEW),
        body={"application/json": {"oneOf": [component("Profile"), component("Envelope")]},
              TOML: _TOML_BODY},
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
                       "description": "One profile (JSON object) a line; an optional id "
                                      "member names it."},
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
         MEDIA_TYPES["xlsx"]: {"type": "string", "format": "binary"}}, "The form.",
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

OPERATIONS: tuple[Operation, ...] = CORE_OPERATIONS
"""Every operation of the API. A new group of routes declares its own tuple of operations (in
its own module, with the component schemas of its messages in ``Operation.components``) and is
added here, e.g. ``OPERATIONS = (*CORE_OPERATIONS, *WORKSPACE_OPERATIONS)``; the OpenAPI
document, the Contract middleware and the tests then cover it without another change."""
