"""The pieces of the operation table: :class:`Operation`, :class:`Param`, the media types and
the parameters several operations share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = [
    "AS_OF",
    "BINARY",
    "CHECKLIST",
    "FORMAT",
    "FORMATS",
    "INAPPLICABLE",
    "LANG",
    "MEDIA_ALIASES",
    "MEDIA_TYPES",
    "NDJSON",
    "TEXT",
    "TOML",
    "TOML_BODY",
    "VIEW",
    "JSONSchema",
    "Method",
    "Operation",
    "Param",
    "component",
]

JSONSchema = dict[str, Any]
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]

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
    required: bool = False
    """A query parameter the request must give (a path parameter always must)."""

    def openapi(self) -> JSONSchema:
        """The parameter object of the OpenAPI document."""
        out: JSONSchema = {"name": self.name, "in": self.where, "description": self.description,
                           "schema": self.schema}
        if self.where == "path" or self.required:
            out["required"] = True
        if self.schema.get("type") == "array":
            out.update(style="form", explode=True)
        return out


@attrs.frozen
class Operation:
    """One route: what it takes, what it answers, and which errors it may answer with.

    ``body`` and ``ok`` map a media type to its schema (``ok`` empty: the success answer has
    no body); ``errors`` are the statuses beside the ones every operation may answer (400 for
    an unknown query parameter, 401 without the token when one is set, 500), each a problem
    document; ``public`` routes need no token, ``token_required`` ones always need one (the
    workspace's), others when the server was started with one.
    """

    method: Method
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
    ok_status: int = 200
    ok_headers: Mapping[str, str] = attrs.field(factory=dict)
    """Headers every success answer carries: name to description."""
    body_required: bool = True
    any_media: bool = False
    """The body is bytes of any media type (an uploaded file): declared as
    application/octet-stream, and no Content-Type is refused."""
    token_required: bool = False
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

    def takes(self, media: str) -> bool:
        """Whether a body of ``media`` (no parameters, lower case) is one this operation
        takes; an empty media type is read as the operation's first."""
        return not media or self.any_media or media in self.media_types

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
TEXT: JSONSchema = {"type": "string"}
"""A text body."""
BINARY: JSONSchema = {"type": "string", "format": "binary"}
"""A body of bytes."""
TOML_BODY: JSONSchema = {"type": "string", "format": "binary",
                         "description": "A profile as TOML text (UTF-8)."}
"""A profile sent as TOML."""

