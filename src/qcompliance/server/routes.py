"""The HTTP endpoints: each parses its request, calls the library and writes the response."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any, Literal

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from qcompliance.authoring.schema import KINDS, schema
from qcompliance.batch.output import summary_row
from qcompliance.batch.sources import ID_COLUMN, Entry
from qcompliance.batch.work import Job, evaluate_entry
from qcompliance.engine.evaluate import evaluate
from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.converter import converter, parse_date
from qcompliance.model import Assessment, Lang
from qcompliance.reports import render
from qcompliance.reports.json import assessment_to_json
from qcompliance.server.inputs import REQUEST, Inputs, read_inputs
from qcompliance.server.openapi import openapi_document
from qcompliance.server.problems import HTTPProblem
from qcompliance.server.selfcheck import check_answer, next_step
from qcompliance.server.selfcheck_files import page_document, template_file, uploaded_rows
from qcompliance.server.selfcheck_result import decision
from qcompliance.server.state import State
from qcompliance.server.summary import summary_row as assessment_summary
from qcompliance.version import __version__

__all__ = ["MEDIA_TYPES"]

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

_ACCEPT = {
    "application/json": "json", "text/html": "html", "text/markdown": "markdown",
    "text/csv": "csv", MEDIA_TYPES["xlsx"]: "xlsx", "application/xml": "junit",
    "text/xml": "junit", "application/junit+xml": "junit", "text/calendar": "ics",
    "application/oscal+json": "oscal", "*/*": "json", "application/*": "json",
}


def _state(request: Request) -> State:
    state: State = request.app.state.qcheck
    return state


def _lang(request: Request) -> Lang:
    lang = request.query_params.get("lang", "zh")
    if lang not in ("zh", "en"):
        raise HTTPProblem(400, "usage-error", "Unknown language", "lang must be zh or en",
                          [Problem("must be zh or en", key="lang")])
    return "en" if lang == "en" else "zh"


def _as_of(value: object, key: str = "as_of") -> dt.date:
    if not isinstance(value, str) or value == "":
        return dt.date.today()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(Problem(str(exc), key=key)) from None


def _format(request: Request) -> str:
    """The report format: ``?format=``, else the first acceptable type of ``Accept``."""
    asked = request.query_params.get("format")
    if asked is not None:
        if asked not in MEDIA_TYPES:
            raise HTTPProblem(406, "not-acceptable", "Unknown report format",
                              f"format must be one of {', '.join(MEDIA_TYPES)}",
                              [Problem(f"no format '{asked}'", key="format")])
        return asked
    accept = request.headers.get("accept", "")
    if not accept.strip():
        return "json"
    for entry in accept.split(","):
        media = entry.split(";", 1)[0].strip().lower()
        if media in _ACCEPT:
            return _ACCEPT[media]
    raise HTTPProblem(406, "not-acceptable", "None of the accepted types can be sent",
                      f"send Accept: one of {', '.join(sorted(set(_ACCEPT) - {'*/*'}))}")


def _skip(request: Request) -> bool:
    """Whether checklists that do not apply are left out (as ``qcheck run`` does by default)."""
    value = request.query_params.get("include_inapplicable", "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise UsageError(Problem("must be true or false", key="include_inapplicable"))
    return value in ("false", "0")


def _selection(state: State, ids: list[str]) -> ChecklistSet:
    """The shared compiled checklists, or the ones named by ``ids`` among them."""
    if not ids:
        return state.checklists
    by_id = {c.checklist.id: c for c in state.checklists.compiled}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UsageError(Problem(f"no checklist '{unknown[0]}' on this server; one of "
                                 f"{', '.join(by_id)}", key="checklist"))
    return attrs.evolve(state.checklists, compiled=tuple(by_id[i] for i in dict.fromkeys(ids)))


def _evaluate(checklists: ChecklistSet, inputs: Inputs, day: dt.date, skip: bool
              ) -> Assessment:
    return evaluate(inputs.profile, checklists, day, skip_inapplicable=skip,
                    tailoring=inputs.tailoring, waivers=inputs.waivers,
                    waiver_problems=inputs.waiver_problems)


def _assess(body: bytes, content_type: str, state: State, checklists: ChecklistSet,
            day: dt.date, skip: bool, fmt: str, lang: Lang, view: str) -> Response:
    """Parse, evaluate and render one request: all of it in one slot and one time limit."""
    inputs = read_inputs(body, content_type, state.checklists)
    assessment = _evaluate(checklists, inputs, day, skip)
    if fmt == "json":
        if view == "summary":
            return JSONResponse(assessment_summary(assessment))
        detail: Literal["full", "compact"] = "compact" if view == "compact" else "full"
        return Response(assessment_to_json(assessment, detail, checklists),
                        media_type=MEDIA_TYPES["json"])
    try:
        rendered = render(assessment, fmt, lang)
    except ImportError as exc:  # openpyxl is the xlsx extra
        raise HTTPProblem(501, "format-unavailable", "This server cannot write that format",
                          f"{fmt} needs {exc.name}: install qcompliance[xlsx]") from None
    return Response(rendered, media_type=MEDIA_TYPES[fmt])


async def assessments(request: Request) -> Response:
    """``POST /v1/assessments``: evaluate one profile; the assessment or a report."""
    state = _state(request)
    lang, fmt = _lang(request), _format(request)
    view = request.query_params.get("view", "full")
    if view not in ("full", "compact", "summary"):
        raise UsageError(Problem("must be full, compact or summary", key="view"))
    ids = request.query_params.getlist("checklist")
    checklists = _selection(state, ids)
    day = _as_of(request.query_params.get("as_of"))
    body = await request.body()
    return await state.slots.run(_assess, body, request.headers.get("content-type", ""),
                                 state, checklists, day, _skip(request), fmt, lang, view)


def _batch_row(checklists: ChecklistSet, line: bytes, number: int, day: dt.date,
               skip: bool) -> dict[str, object]:
    """One line of ``/v1/batch`` evaluated as ``qcheck batch`` evaluates a JSON Lines line,
    and its summary row (with ``line``: the line of the request body)."""
    ident = f"line {number}"
    try:
        data = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        entry = Entry(number - 1, ident, REQUEST, number, "mapping", problem=Problem(
            f"invalid JSON: {getattr(exc, 'msg', exc)}", file=REQUEST, line=number))
    else:
        if isinstance(data, dict):
            given = data.get(ID_COLUMN)
            if isinstance(given, (str, int)) and str(given).strip():
                ident = str(given)
            entry = Entry(number - 1, ident, REQUEST, number, "mapping", data)
        else:
            entry = Entry(number - 1, ident, REQUEST, number, "mapping", problem=Problem(
                "each line must be a JSON object (one profile)", file=REQUEST, line=number))
    outcome = evaluate_entry(entry, Job(checklists, day, skip), checklists)
    return summary_row(outcome, [c.id for c in checklists.checklists])


async def batch(request: Request) -> Response:
    """``POST /v1/batch``: JSON Lines of profiles in; one summary row a line, each sent as soon
    as it is evaluated."""
    state = _state(request)
    ids = request.query_params.getlist("checklist")
    checklists = _selection(state, ids)
    day = _as_of(request.query_params.get("as_of"))
    skip = _skip(request)
    # The body is read whole (it is bounded by --max-batch-body) before the response starts:
    # a streaming response listens on the same channel for the client going away.
    body = await request.body()

    async def rows() -> AsyncIterator[bytes]:
        for number, line in enumerate(body.split(b"\n"), 1):
            if line.strip():
                try:
                    row = await state.slots.run(_batch_row, checklists, line, number, day,
                                                skip)
                except HTTPProblem as exc:  # out of time or busy: that line fails, not all
                    row = {"id": f"line {number}", "line": number,
                           "error": exc.detail or exc.title}
                yield json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n"

    return StreamingResponse(rows(), media_type="application/x-ndjson")


def _unstructure(value: object) -> Any:
    return converter.unstructure(value)


async def checklists_list(request: Request) -> Response:
    """``GET /v1/checklists``: the compiled checklists this server evaluates with."""
    state = _state(request)
    return JSONResponse([
        {"id": c.id, "version": c.version, "title": _unstructure(c.title),
         "items": len(c.items), "sha256": c.sha256}
        for c in state.checklists.checklists
    ])


async def checklist_one(request: Request) -> Response:
    """``GET /v1/checklists/{id}``: one checklist in full."""
    state = _state(request)
    checklist = state.checklists.get(request.path_params["id"])
    if checklist is None:
        raise HTTPProblem(404, "not-found", "No such checklist",
                          f"no checklist '{request.path_params['id']}' on this server")
    return JSONResponse(_unstructure(checklist))


async def facts(request: Request) -> Response:
    """``GET /v1/facts``: the facts dictionary (every fact a profile may give)."""
    ids = request.query_params.getlist("checklist")
    state = _state(request)
    specs = (_selection(state, ids).facts_read() if ids
             else list(state.checklists.facts.values()))
    return JSONResponse([_unstructure(s) for s in specs])


async def schemas(request: Request) -> Response:
    """``GET /v1/schemas/{kind}``: the JSON Schema of a file format."""
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise HTTPProblem(404, "not-found", "No such schema",
                          f"no schema '{kind}'; one of {', '.join(KINDS)}")
    return JSONResponse(schema(kind, _state(request).checklists.facts),
                        media_type="application/schema+json")


async def healthz(request: Request) -> Response:
    """``GET /healthz``: the process answers."""
    return JSONResponse({"status": "ok", "version": __version__})


async def readyz(request: Request) -> Response:
    """``GET /readyz``: the checklists are compiled and requests can be evaluated."""
    state = _state(request)
    return JSONResponse({"status": "ready", "checklists": len(state.checklists),
                         "facts": len(state.checklists.facts)})


async def openapi(request: Request) -> Response:
    """``GET /openapi.json``: the OpenAPI document of this API."""
    return JSONResponse(openapi_document())


# The page allows its one inline script by hash: no other script runs, nothing from elsewhere.
_PAGE, _PAGE_CSP = page_document()


async def page(request: Request) -> Response:
    """``GET /``: the browser self-check (one file, no external assets)."""
    return Response(_PAGE, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": _PAGE_CSP,
                             "X-Content-Type-Options": "nosniff",
                             "Referrer-Policy": "no-referrer"})


async def _json_body(request: Request) -> dict[str, object]:
    body = await request.body()
    try:
        data = json.loads(body or b"{}")
    except json.JSONDecodeError as exc:
        raise HTTPProblem(400, "parse-error", "The request body is not valid JSON",
                          exc.msg, [Problem(f"invalid JSON: {exc.msg}", file="<request>",
                                            line=exc.lineno, column=exc.colno)]) from None
    if not isinstance(data, dict):
        raise HTTPProblem(400, "parse-error", "The request body must be a JSON object")
    return data


async def selfcheck_next(request: Request) -> Response:
    """``POST /v1/selfcheck/next``: the answers so far in, the next question (or done) out."""
    state = _state(request)
    data = await _json_body(request)
    ids = data.get("checklists") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise UsageError(Problem("must be a list of checklist ids", key="checklists"))
    checklists = _selection(state, ids)
    result = await state.slots.run(next_step, checklists, data, _as_of(data.get("as_of")))
    return JSONResponse(result)


async def selfcheck_check(request: Request) -> Response:
    """``POST /v1/selfcheck/check``: whether one typed answer fits its question."""
    state = _state(request)
    data = await _json_body(request)
    day = _as_of(data.get("as_of"))
    return JSONResponse(check_answer(state.checklists, data, day))


async def selfcheck_records(request: Request) -> Response:
    """``POST /v1/selfcheck/records``: an uploaded CSV or XLSX records file as table rows."""
    state = _state(request)
    data = await _json_body(request)
    lang: Lang = "en" if data.get("lang") == "en" else "zh"
    result = await state.slots.run(uploaded_rows, state.checklists, data,
                                   _as_of(data.get("as_of")), lang)
    return JSONResponse(result)


async def selfcheck_template(request: Request) -> Response:
    """``GET /v1/selfcheck/template?key=…&format=csv|xlsx``: the empty form of a records
    fact, to fill in and upload."""
    state = _state(request)
    content, name = template_file(state.checklists, request.query_params.get("key", ""),
                                  request.query_params.get("format", "csv"), _lang(request))
    media = MEDIA_TYPES["csv" if name.endswith(".csv") else "xlsx"]
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _decide(checklists: ChecklistSet, data: dict[str, object], day: dt.date
            ) -> dict[str, object]:
    lang: Lang = "en" if data.get("lang") == "en" else "zh"
    inputs = read_inputs(json.dumps({"profile": data.get("profile"),
                                     "profile_format": "toml"}).encode("utf-8"),
                         "application/json", checklists)
    return decision(_evaluate(checklists, inputs, day, False), lang)


async def selfcheck_result(request: Request) -> Response:
    """``POST /v1/selfcheck/result``: the decision a finished self-check opens on."""
    state = _state(request)
    data = await _json_body(request)
    ids = data.get("checklists") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise UsageError(Problem("must be a list of checklist ids", key="checklists"))
    checklists = _selection(state, ids)
    return JSONResponse(await state.slots.run(_decide, checklists, data,
                                              _as_of(data.get("as_of"))))
