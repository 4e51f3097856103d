"""The operations of the workspace (``qcheck serve --store``): companies, profile versions,
stored assessments, the remediation plan, evidence files, saved self-checks, catalogue impact.

Every one needs a token (the workspace's: admin, consultant or company), and a company token
reaches only its own company (403 otherwise). The records they answer with are described from
the store's own value classes (:mod:`qcompliance.store.records`), as ``qcheck schema`` describes
the file formats; only the request messages that no class holds are described here.
"""

from __future__ import annotations

from typing import Any

from qcompliance.authoring.schema_walk import Walker
from qcompliance.china.uscc import USCC_CHARSET
from qcompliance.model import Level, Severity
from qcompliance.server.operations.base import (
    AS_OF,
    BINARY,
    CHECKLIST,
    FORMAT,
    INAPPLICABLE,
    LANG,
    MEDIA_TYPES,
    TEXT,
    TOML,
    TOML_BODY,
    JSONSchema,
    Method,
    Operation,
    Param,
    component,
)
from qcompliance.store.records import (
    PLAN_STATUSES,
    ROLES,
    AssessmentRecord,
    CompanyRecord,
    EvidenceRecord,
    PlanItem,
    ProfileVersion,
)

__all__ = ["EVIDENCE_MEDIA", "WORKSPACE_OPERATIONS"]


def _record(cls: type, *, drop: tuple[str, ...] = (), description: str | None = None
            ) -> JSONSchema:
    """The schema of a store record as the routes send it (``drop``: fields left out)."""
    walker = Walker()
    out = walker.of_class(cls)
    assert not walker.defs  # records hold plain values only
    out["properties"] = {k: v for k, v in out["properties"].items() if k not in drop}
    out["required"] = [k for k in out.get("required", ()) if k not in drop]
    if description is not None:
        out["description"] = description
    return out


def _array(name: str) -> JSONSchema:
    return {"type": "array", "items": component(name)}


_PLAN_ITEM = _record(PlanItem)
_STATUS: JSONSchema = {"type": "string", "enum": list(PLAN_STATUSES)}
_DAY_OR_NULL: JSONSchema = {"type": ["string", "null"], "format": "date"}
_TEXT_OR_NULL: JSONSchema = {"type": ["string", "null"], "maxLength": 2000}

_COMPONENTS: dict[str, JSONSchema] = {
    "CompanyRecord": _record(CompanyRecord),
    "ProfileVersion": _record(ProfileVersion, drop=("text",), description=(
        "One stored version of a company's profile (its text apart: GET the profile).")),
    "AssessmentRecord": _record(AssessmentRecord),
    "PlanItem": _PLAN_ITEM,
    "PlanRow": {
        **_PLAN_ITEM,
        "description": "A remediation item as the plan lists it: the item with the title, "
                       "level and severity its checklist gives (absent when the served "
                       "catalogue no longer has the item), and whether it is overdue.",
        "properties": {**_PLAN_ITEM["properties"], "title": component("Text"),
                       "level": {"type": "string", "enum": [v.value for v in Level]},
                       "severity": {"type": "string", "enum": [v.value for v in Severity]},
                       "overdue": {"type": "boolean"}},
        "required": [*_PLAN_ITEM["required"], "overdue"]},
    "EvidenceRecord": _record(EvidenceRecord),
    "PlanChange": {
        "type": "object", "required": ["item"], "additionalProperties": False,
        "description": "New values for one plan item; a key left out keeps its value, null "
                       "clears it.",
        "properties": {"item": {"type": "string"}, "owner": _TEXT_OR_NULL, "due": _DAY_OR_NULL,
                       "status": _STATUS, "note": _TEXT_OR_NULL}},
    "PlanChanges": {
        "type": "object", "required": ["items"], "additionalProperties": False,
        "properties": {"items": _array("PlanChange")}},
    "ImpactRequest": {
        "type": "object", "additionalProperties": False,
        "description": "The two catalogues to compare and the companies to look at.",
        "properties": {
            "from": {"type": ["string", "null"], "description": "served, builtin or "
                     "NAME@VERSION of a pulled pack (default: served)."},
            "to": {"type": ["string", "null"], "description": "As from."},
            "as_of": {"type": ["string", "null"], "format": "date"},
            "companies": {"type": "array", "items": {"type": "string"},
                          "description": "Credit codes (default: every stored company)."}}},
    "Whoami": {
        "type": "object", "required": ["role", "uscc"], "additionalProperties": False,
        "properties": {"role": {"type": "string", "enum": list(ROLES)},
                       "uscc": {"type": ["string", "null"],
                                "description": "The company of a company token."}}},
    "DraftSaved": {"type": "object", "required": ["saved"], "additionalProperties": False,
                   "properties": {"saved": {"const": True}}},
}

EVIDENCE_MEDIA = ("application/pdf", "image/png", "image/jpeg", "text/plain")
"""Evidence types sent back as themselves (always as an attachment); others as bytes."""

_USCC = Param("uscc", {"type": "string", "pattern": f"^[{USCC_CHARSET}]{{18}}$"},
              "The company's unified social credit code (GB 32100; its check character is "
              "checked: 400 otherwise).", "path")
_ID = Param("id", {"type": "integer"}, "The record's id.", "path")
_PROFILE: dict[str, JSONSchema] = {TOML: TOML_BODY, "application/json": component("Profile")}
_PROFILE_TEXT: dict[str, JSONSchema] = {TOML: TEXT, "application/json": TEXT}
_STORE = " Only with qcheck serve --store."
# Every workspace route may answer 403 (a company token for another company) and 503 (its
# database work waits for an evaluation slot, bounded in time).
_DENIED = (403, 503)


def _op(method: Method, path: str, operation_id: str, summary: str,
        ok: dict[str, JSONSchema], ok_description: str, *, params: tuple[Param, ...] = (),
        errors: tuple[int, ...] = (), **more: Any) -> Operation:
    """A workspace operation: the company's credit code first among its parameters."""
    company = (_USCC,) if "{uscc}" in path else ()
    return Operation(method, path, operation_id, summary + _STORE, ok, ok_description,
                     params=(*company, *params), errors=tuple(sorted({*_DENIED, *errors})),
                     tags=("workspace",), token_required=True, **more)


WORKSPACE_OPERATIONS: tuple[Operation, ...] = (
    _op("GET", "/v1/whoami", "whoami", "The role (and company) of the token sent.",
        {"application/json": component("Whoami")}, "The token's role and company.",
        components={"Whoami": _COMPONENTS["Whoami"]}),
    _op("GET", "/v1/companies", "listCompanies",
        "The companies the token may see, with their latest scores, open and overdue plan "
        "items.", {"application/json": _array("CompanyRecord")}, "One row a company.",
        components={"CompanyRecord": _COMPONENTS["CompanyRecord"]}),
    _op("PUT", "/v1/companies/{uscc}/profile", "putProfile",
        "Keep a new version of the company's profile (the same text as the newest is not kept "
        "twice).", {"application/json": component("ProfileVersion")}, "The version kept.",
        body=_PROFILE, body_description="The profile as TOML or JSON text (UTF-8).",
        errors=(422,), components={"ProfileVersion": _COMPONENTS["ProfileVersion"]}),
    _op("GET", "/v1/companies/{uscc}/profile", "getProfile",
        "The newest profile version as it was sent.", _PROFILE_TEXT, "TOML or JSON text.",
        ok_headers={"X-Profile-Version": "The version's number."}, errors=(404,)),
    _op("POST", "/v1/companies/{uscc}/assessments", "postCompanyAssessment",
        "Evaluate the stored profile (or the profile in the body, kept first as a new version) "
        "and keep the assessment; the plan follows it.",
        {"application/json": component("AssessmentRecord")}, "The stored assessment's row.",
        params=(AS_OF, CHECKLIST, INAPPLICABLE), body=_PROFILE, body_required=False,
        body_description="Optional: a new profile (TOML or JSON) to keep and evaluate.",
        ok_status=201, ok_headers={"Location": "The stored assessment."}, errors=(404, 422),
        components={"AssessmentRecord": _COMPONENTS["AssessmentRecord"]}),
    _op("GET", "/v1/companies/{uscc}/assessments", "listCompanyAssessments",
        "The company's assessments, oldest first.",
        {"application/json": _array("AssessmentRecord")},
        "Day, profile version, catalogue, scores and gaps of each."),
    _op("GET", "/v1/companies/{uscc}/assessments/{id}", "getCompanyAssessment",
        "One stored assessment in any report format (format= or Accept, as POST "
        "/v1/assessments); view=compact: the stored document as it is.",
        {**{media.split(";")[0]: BINARY if fmt == "xlsx" else TEXT
            for fmt, media in MEDIA_TYPES.items() if fmt not in ("json", "oscal")},
         "application/json": {"oneOf": [component("Assessment"),
                                        component("AssessmentCompact")]},
         "application/oscal+json": {"type": "object",
                                    "description": "An OSCAL assessment-results document."}},
        "The assessment or a report of it.",
        params=(_ID, FORMAT, LANG,
                Param("view", {"type": "string", "enum": ["full", "compact"],
                               "default": "full"},
                      "For JSON: the whole assessment, or the compact form as stored.")),
        errors=(404, 406, 422, 501)),
    _op("GET", "/v1/companies/{uscc}/plan", "getPlan",
        "The remediation items: open work first, mandatory before encouraged before "
        "recommended, then by due day.", {"application/json": _array("PlanRow")},
        "Items with title, level, owner, due day and status.",
        params=(Param("include_closed", {"type": "boolean", "default": True},
                      "List items closed by a later assessment too."),),
        components={"PlanRow": _COMPONENTS["PlanRow"]}),
    _op("PATCH", "/v1/companies/{uscc}/plan", "patchPlan",
        "Set owner, due day, status or note of plan items.",
        {"application/json": _array("PlanItem")}, "The items as saved.",
        body={"application/json": {"oneOf": [component("PlanChange"),
                                             component("PlanChanges")]}},
        body_description="One change, or a list of them under items.", errors=(404, 422),
        components={k: _COMPONENTS[k] for k in ("PlanItem", "PlanChange", "PlanChanges")}),
    _op("POST", "/v1/companies/{uscc}/evidence", "postEvidence",
        "Upload a file (the body, of any media type; its Content-Type is recorded) as "
        "evidence for a plan item; size-bounded (--max-evidence), sha256 recorded.",
        {"application/json": component("EvidenceRecord")}, "The file's record.",
        params=(Param("item", {"type": "string"}, "The plan item's id.", required=True),
                Param("filename", {"type": "string", "default": "evidence"},
                      "The file's name.")),
        body={"application/octet-stream": BINARY}, any_media=True, ok_status=201,
        body_description="The file's bytes, sent as its own media type (application/pdf, "
                         "image/png, …; any is taken and recorded) or as "
                         "application/octet-stream.",
        ok_headers={"Location": "The file."}, errors=(404,),
        components={"EvidenceRecord": _COMPONENTS["EvidenceRecord"]}),
    _op("GET", "/v1/companies/{uscc}/evidence", "listEvidence",
        "The company's evidence files.", {"application/json": _array("EvidenceRecord")},
        "File records.",
        params=(Param("item", {"type": "string"}, "Only the files of this plan item."),)),
    _op("GET", "/v1/companies/{uscc}/evidence/{id}", "getEvidence",
        "The file, always as an attachment (nosniff, sandboxed): PDF, PNG, JPEG and plain text "
        "as themselves, anything else as bytes.",
        dict.fromkeys(("application/octet-stream", *EVIDENCE_MEDIA), BINARY),
        "The bytes as uploaded.", params=(_ID,), errors=(404,),
        ok_headers={"Content-Disposition": "attachment, with the file's name.",
                    "X-Evidence-SHA256": "The sha256 recorded at upload."}),
    _op("GET", "/v1/companies/{uscc}/draft", "getDraft",
        "The saved self-check answers, to resume on any device.",
        {"application/json": {"type": "object"}}, "The object saved.", errors=(404,)),
    _op("PUT", "/v1/companies/{uscc}/draft", "putDraft",
        "Save the self-check answers so far (a JSON object, 1 MB at most).",
        {"application/json": component("DraftSaved")}, "Saved.",
        body={"application/json": {"type": "object"}}, errors=(422,),
        components={"DraftSaved": _COMPONENTS["DraftSaved"]}),
    _op("DELETE", "/v1/companies/{uscc}/draft", "deleteDraft",
        "Forget the saved answers (the self-check is finished).", {}, "Forgotten.",
        ok_status=204),
    _op("POST", "/v1/impact", "postImpact",
        "What a catalogue change does to the stored companies: rules changed, verdicts that "
        "flip, ranked by new mandatory failures. Admin and consultant tokens only.",
        {"application/json": {"type": "object", "description": "The impact (schema "
                                                                "qcompliance/impact/v1)."},
         "text/html": TEXT}, "The impact, as data or as a page.",
        params=(Param("format", {"type": "string", "enum": ["json", "html"],
                                 "default": "json"}, "Data or a page."), LANG),
        body={"application/json": component("ImpactRequest")}, errors=(422,),
        components={"ImpactRequest": _COMPONENTS["ImpactRequest"]}),
)
"""The workspace's operations, as :mod:`qcompliance.server.workspace` serves them."""
