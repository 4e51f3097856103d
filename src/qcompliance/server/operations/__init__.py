"""The API's contract as one declarative table: every operation's path, parameters, request
media types and responses.

The OpenAPI document (:mod:`qcompliance.server.openapi`) is generated from this table and the
JSON Schemas of :mod:`qcompliance.authoring.schema`, and the :class:`~qcompliance.server.contract.
Contract` middleware enforces it on every request (415 for a body of another media type, 400 for
a query parameter the operation does not declare). Each area of routes declares its tuple of
operations in a module of its own (:mod:`.core`: evaluation, catalogue, self-check, probes;
:mod:`.workspace`: ``qcheck serve --store``), with the component schemas of its messages in
``Operation.components``; :data:`OPERATIONS` joins them, so the document, the middleware and the
tests cover a new route without another change.
"""

from __future__ import annotations

from qcompliance.server.operations.base import (
    FORMATS,
    MEDIA_ALIASES,
    MEDIA_TYPES,
    NDJSON,
    TOML,
    Operation,
    Param,
    component,
)
from qcompliance.server.operations.core import CORE_OPERATIONS
from qcompliance.server.operations.workspace import WORKSPACE_OPERATIONS

__all__ = [
    "CORE_OPERATIONS",
    "FORMATS",
    "MEDIA_ALIASES",
    "MEDIA_TYPES",
    "NDJSON",
    "OPERATIONS",
    "TOML",
    "WORKSPACE_OPERATIONS",
    "Operation",
    "Param",
    "component",
]

OPERATIONS: tuple[Operation, ...] = (*CORE_OPERATIONS, *WORKSPACE_OPERATIONS)
"""Every operation of the API; the workspace's are served only with ``qcheck serve --store``
(without it their paths answer 404)."""
