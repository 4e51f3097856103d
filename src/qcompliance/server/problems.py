"""Errors as ``application/problem+json`` (RFC 9457), carrying the library's problems."""

from __future__ import annotations

import json
from collections.abc import Sequence

from starlette.responses import Response

from qcompliance.errors import (
    ChecklistError,
    InputError,
    NotFound,
    ParseError,
    Problem,
    QComplianceError,
    UsageError,
)
from qcompliance.messages import localized_message

__all__ = ["PROBLEM_TYPE", "HTTPProblem", "problem_response", "status_of"]

PROBLEM_TYPE = "application/problem+json"


class HTTPProblem(Exception):
    """An error response to send: status, a short title and what went wrong."""

    def __init__(self, status: int, slug: str, title: str, detail: str | None = None,
                 problems: Sequence[Problem] = (), headers: dict[str, str] | None = None
                 ) -> None:
        super().__init__(detail or title)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.problems = tuple(problems)
        self.headers = headers or {}

    @classmethod
    def of(cls, exc: QComplianceError) -> HTTPProblem:
        """The response for a library error: its status, and every problem it carries."""
        status, slug, title = status_of(exc)
        return cls(status, slug, title, str(exc), exc.problems)


def status_of(exc: QComplianceError) -> tuple[int, str, str]:
    """HTTP status, slug and title for a library error."""
    if isinstance(exc, ParseError):
        return 400, "parse-error", "The request body is not valid TOML or JSON"
    if isinstance(exc, ChecklistError):
        return 422, "checklist-error", "A checklist or tailoring does not fit"
    if isinstance(exc, InputError):
        return 422, "input-error", "The input does not fit its schema or the facts dictionary"
    if isinstance(exc, NotFound):
        return 404, "not-found", "No such resource"
    if isinstance(exc, UsageError):
        return 400, "usage-error", "The request names something that does not exist"
    return 400, "error", "The request cannot be served"  # pragma: no cover - no other kind


def _problem_data(problem: Problem) -> dict[str, object]:
    # message stays English (programs match it); text carries it in both languages, for a page
    # or a person reading it in Chinese.
    return {"file": problem.file, "line": problem.line, "column": problem.column,
            "key": problem.key, "message": problem.message,
            "text": {"zh": localized_message(problem.message, "zh"), "en": problem.message}}


def problem_response(error: HTTPProblem, instance: str | None = None) -> Response:
    """The problem document of ``error`` as a response."""
    body: dict[str, object] = {
        "type": f"urn:qcompliance:problem:{error.slug}",
        "title": error.title,
        "status": error.status,
    }
    if error.detail:
        body["detail"] = error.detail
    if instance:
        body["instance"] = instance
    if error.problems:
        body["problems"] = [_problem_data(p) for p in error.problems]
    return Response(json.dumps(body, ensure_ascii=False), status_code=error.status,
                    media_type=PROBLEM_TYPE, headers=error.headers)
