"""The typed shapes of the rows the batch and the service write: a batch summary row and the
summary of one assessment, as the JSON Schemas ``batch-row`` and ``assessment-summary``
describe them."""

from __future__ import annotations

from typing import Literal, TypedDict

__all__ = ["AssessmentSummary", "BatchRow", "ChecklistEntry"]

BatchRow = TypedDict("BatchRow", {
    "id": str,
    "external_id": str | None,
    "metadata": dict[str, str],
    "source": str | None,
    "line": int | None,
    "name": str | None,
    "credit_code": str | None,
    "error_key": str | None,
    "error": str | None,
    "score": float | None,
    "coverage": float | None,
    "score.mandatory": float | None,
    "score.encouraged": float | None,
    "score.recommended": float | None,
    "failed": int | None,
    "unknown": int | None,
    "mandatory_failures": list[str],
})
"""One company of a batch (``qcheck batch``, ``POST /v1/batch``): its scores, or the error that
kept it from loading (scores and counts null), under the caller's id, with the caller's
``external_id`` and ``metadata`` as given (null and empty when none), whatever became of the
company (an error, the time limit). Each checklist adds a ``score.<checklist id>`` key."""


class AssessmentSummary(TypedDict):
    """The summary of one assessment (``qcompliance/assessment-summary/v1``)."""

    schema: Literal["qcompliance/assessment-summary/v1"]
    as_of: str
    profile_name: str | None
    profile_credit_code: str | None
    profile_sha256: str | None
    score: float | None
    coverage: float | None
    passed: int
    failed: int
    unknown: int
    waived: int
    not_applicable: int
    mandatory_failed: int
    failed_items: list[str]
    facts_to_collect: int


class ChecklistEntry(TypedDict):
    """One checklist a server evaluates with (``GET /v1/checklists``)."""

    id: str
    version: str
    title: dict[str, str]
    items: int
    sha256: str | None
