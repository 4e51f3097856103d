"""What the routes read from a request: the server state, language, assessment day, report
format, checklist selection and JSON body, each checked the same way for every route (the
evaluation API, the self-check and the workspace)."""

from __future__ import annotations

import datetime as dt

import attrs
from starlette.requests import Request

from qcompliance.errors import Problem, QComplianceError, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.converter import parse_date
from qcompliance.loading.load import parse_document
from qcompliance.model import Lang
from qcompliance.server.contract import check_message, negotiate
from qcompliance.server.inputs import REQUEST
from qcompliance.server.operations import MEDIA_TYPES
from qcompliance.server.problems import HTTPProblem
from qcompliance.server.state import State

__all__ = ["as_of_day", "client_address", "json_body", "lang_of", "report_format",
           "selection", "skip_inapplicable", "state_of"]

# Negotiated in order of increasing preference: JSON wins a tie such as */*.
_OFFERED = {
    "text/calendar": "ics", "application/oscal+json": "oscal", "text/xml": "junit",
    "application/junit+xml": "junit", "application/xml": "junit", MEDIA_TYPES["xlsx"]: "xlsx",
    "text/csv": "csv", "text/markdown": "markdown", "text/html": "html",
    "application/json": "json",
}


def client_address(request: Request) -> str:
    """The client's address: what per-client limits count by."""
    return request.client.host if request.client else ""


def state_of(request: Request) -> State:
    """The server's state: its configuration, compiled checklists and evaluation slots."""
    state: State = request.app.state.qcheck
    return state


def lang_of(request: Request) -> Lang:
    """The language of ``?lang=`` (zh by default); 400 for another."""
    lang = request.query_params.get("lang", "zh")
    if lang not in ("zh", "en"):
        raise HTTPProblem(400, "usage-error", "Unknown language", "lang must be zh or en",
                          [Problem("must be zh or en", key="lang")])
    return "en" if lang == "en" else "zh"


def as_of_day(value: object, key: str = "as_of") -> dt.date:
    """The assessment day given as ``value`` (ISO or the forms people type), else today."""
    if not isinstance(value, str) or value == "":
        return dt.date.today()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(Problem(str(exc), key=key)) from None


def report_format(request: Request) -> str:
    """The report format: ``?format=``, else the first acceptable type of ``Accept``."""
    asked = request.query_params.get("format")
    if asked is not None:
        if asked not in MEDIA_TYPES:
            raise HTTPProblem(406, "not-acceptable", "Unknown report format",
                              f"format must be one of {', '.join(MEDIA_TYPES)}",
                              [Problem(f"no format '{asked}'", key="format")])
        return asked
    media = negotiate(request.headers.get("accept", ""), list(_OFFERED))
    if media is None:
        raise HTTPProblem(406, "not-acceptable", "None of the accepted types can be sent",
                          f"send Accept: one of {', '.join(sorted(_OFFERED))}")
    return _OFFERED[media]


def skip_inapplicable(request: Request) -> bool:
    """Whether checklists that do not apply are left out (as ``qcheck run`` does by default)."""
    value = request.query_params.get("include_inapplicable", "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise UsageError(Problem("must be true or false", key="include_inapplicable"))
    return value in ("false", "0")


def selection(state: State, ids: list[str]) -> ChecklistSet:
    """The shared compiled checklists, or the ones named by ``ids`` among them."""
    if not ids:
        return state.checklists
    by_id = {c.checklist.id: c for c in state.checklists.compiled}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UsageError(Problem(f"no checklist '{unknown[0]}' on this server; one of "
                                 f"{', '.join(by_id)}", key="checklist"))
    return attrs.evolve(state.checklists, compiled=tuple(by_id[i] for i in dict.fromkeys(ids)))


async def json_body(request: Request, message: str | None = None) -> dict[str, object]:
    """The JSON object of the request under every bound a profile file has (UTF-8, duplicate
    keys, nesting, numbers, lone surrogates), checked against the message schema ``message``
    when one is named; a 400 or 422 problem otherwise, never a 500."""
    body = await request.body()
    try:
        data = dict(parse_document(body or b"{}", REQUEST, "json").data)
    except QComplianceError as exc:
        raise HTTPProblem.of(exc) from None
    if message is not None:
        check_message(data, message)
    return data


