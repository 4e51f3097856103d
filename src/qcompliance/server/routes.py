"""The HTTP endpoints: each parses its request, calls the library and writes the response."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from qcompliance.authoring.schema import KINDS, file_data, schema
from qcompliance.batch.output import summary_row
from qcompliance.batch.sources import ID_COLUMN, Entry
from qcompliance.batch.work import Job, Outcome, evaluate_entry
from qcompliance.engine.evaluate import evaluate
from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.converter import converter, parse_date
from qcompliance.model import Assessment, Lang
from qcompliance.reports import render
from qcompliance.reports.json import assessment_to_json
from qcompliance.server.contract import check_message, negotiate
from qcompliance.server.inputs import REQUEST, Inputs, read_inputs
from qcompliance.server.openapi import openapi_document
from qcompliance.server.operations import MEDIA_TYPES, NDJSON
from qcompliance.server.problems import HTTPProblem
from qcompliance.server.selfcheck import check_answer, next_step
from qcompliance.server.state import State
from qcompliance.server.summary import summary_row as assessment_summary
from qcompliance.version import __version__

__all__ = ["MEDIA_TYPES"]

# Negotiated in order of increasing preference: JSON wins a tie such as */*.
_OFFERED = {
    "text/calendar": "ics", "application/oscal+json": "oscal", "text/xml": "junit",
    "application/junit+xml": "junit", "application/xml": "junit", MEDIA_TYPES["xlsx"]: "xlsx",
    "text/csv": "csv", "text/markdown": "markdown", "text/html": "html",
    "application/json": "json",
}
_STATIC = Path(__file__).resolve().parent / "static"


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
    media = negotiate(request.headers.get("accept", ""), list(_OFFERED))
    if media is None:
        raise HTTPProblem(406, "not-acceptable", "None of the accepted types can be sent",
                          f"send Accept: one of {', '.join(sorted(_OFFERED))}")
    return _OFFERED[media]


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
    assessment = evaluate(inputs.profile, checklists, day, skip_inapplicable=skip,
                          tailoring=inputs.tailoring, waivers=inputs.waivers,
                          waiver_problems=inputs.waiver_problems)
    if inputs.external_id is None and not inputs.metadata:
        return assessment
    return attrs.evolve(assessment, external_id=inputs.external_id, metadata=inputs.metadata)


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


def _entry(data: object, number: int, problem: Problem | None = None) -> Entry:
    """One profile of ``/v1/batch`` as ``qcheck batch`` reads a JSON Lines line: named by its
    ``id`` member, else ``line N`` (N counts lines, or array elements from 1)."""
    ident = f"line {number}"
    if problem is None and not isinstance(data, dict):
        problem = Problem("each line must be a JSON object (one profile)", file=REQUEST,
                          line=number)
    if problem is not None:
        return Entry(number - 1, ident, REQUEST, number, "mapping", problem=problem)
    assert isinstance(data, dict)
    given = data.get(ID_COLUMN)
    if isinstance(given, (str, int)) and not isinstance(given, bool) and str(given).strip():
        ident = str(given)
    return Entry(number - 1, ident, REQUEST, number, "mapping", data)


def _entries(body: bytes, content_type: str) -> list[Entry]:
    """The profiles of a batch body: JSON Lines, or ``{"profiles": [...]}``."""
    if content_type.split(";", 1)[0].strip().lower() == "application/json":
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise HTTPProblem(400, "parse-error", "The request body is not valid JSON",
                              str(exc)) from None
        check_message(data, "BatchRequest")
        return [_entry(item, n) for n, item in enumerate(data["profiles"], 1)]
    entries = []
    for number, line in enumerate(body.split(b"\n"), 1):
        if line.strip():
            try:
                entries.append(_entry(json.loads(line), number))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                entries.append(_entry(None, number, Problem(
                    f"invalid JSON: {getattr(exc, 'msg', exc)}", file=REQUEST, line=number)))
    return entries


def _row(entry: Entry, checklists: ChecklistSet, day: dt.date, skip: bool
         ) -> dict[str, object]:
    """The batch summary row of one profile (with ``line``: where it was in the body)."""
    outcome = evaluate_entry(entry, Job(checklists, day, skip), checklists)
    return summary_row(outcome, [c.id for c in checklists.checklists])


def _failed_row(entry: Entry, checklists: ChecklistSet, error: HTTPProblem
                ) -> dict[str, object]:
    """The row of a profile the server could not evaluate (out of time, busy): the same shape
    and the caller's id, with the reason as its error."""
    outcome = Outcome(entry.index, entry.ident, entry.origin, entry.line, problem=Problem(
        error.detail or error.title, file=REQUEST, line=entry.line), problem_count=1)
    return summary_row(outcome, [c.id for c in checklists.checklists])


async def batch(request: Request) -> Response:
    """``POST /v1/batch``: profiles in (JSON Lines or a JSON object); one summary row each out,
    streamed as JSON Lines as each is evaluated, or one JSON array when Accept asks for it."""
    state = _state(request)
    ids = request.query_params.getlist("checklist")
    checklists = _selection(state, ids)
    day = _as_of(request.query_params.get("as_of"))
    skip = _skip(request)
    content_type = request.headers.get("content-type", "")
    json_in = content_type.split(";", 1)[0].strip().lower() == "application/json"
    # Answered in the form the body came in, unless Accept prefers the other.
    media = negotiate(request.headers.get("accept", ""),
                      [NDJSON, "application/json"] if json_in else ["application/json", NDJSON])
    if media is None:
        raise HTTPProblem(406, "not-acceptable", "None of the accepted types can be sent",
                          f"send Accept: {NDJSON} or application/json")
    # The body is read whole (it is bounded by --max-batch-body) before the response starts:
    # a streaming response listens on the same channel for the client going away.
    entries = _entries(await request.body(), content_type)

    async def rows() -> AsyncIterator[dict[str, object]]:
        for entry in entries:
            try:
                yield await state.slots.run(_row, entry, checklists, day, skip)
            except HTTPProblem as exc:  # out of time or busy: that profile fails, not all
                yield _failed_row(entry, checklists, exc)

    if media == "application/json":
        return JSONResponse([row async for row in rows()])

    async def lines() -> AsyncIterator[bytes]:
        async for row in rows():
            yield json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n"

    return StreamingResponse(lines(), media_type=NDJSON)


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
    return JSONResponse(file_data(checklist))


async def facts(request: Request) -> Response:
    """``GET /v1/facts``: the facts dictionary (every fact a profile may give)."""
    ids = request.query_params.getlist("checklist")
    state = _state(request)
    specs = (_selection(state, ids).facts_read() if ids
             else list(state.checklists.facts.values()))
    return JSONResponse([file_data(s) for s in specs])


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
    """``GET /openapi.json``: the OpenAPI document of this API, with the profile schema of the
    served facts dictionary (built once)."""
    app_state = request.app.state
    if getattr(app_state, "openapi", None) is None:
        app_state.openapi = openapi_document(_state(request).checklists.facts)
    return JSONResponse(app_state.openapi)


def _page() -> tuple[bytes, str]:
    """The self-check page and its Content-Security-Policy, which allows its one inline
    script by hash (no other script can run) and nothing from any other origin."""
    html = (_STATIC / "selfcheck.html").read_text(encoding="utf-8")
    script = html.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
           "img-src data:; connect-src 'self'; form-action 'none'; base-uri 'none'; "
           "frame-ancestors 'none'")
    return html.encode("utf-8"), csp


_PAGE, _PAGE_CSP = _page()


async def page(request: Request) -> Response:
    """``GET /``: the browser self-check (one file, no external assets)."""
    return Response(_PAGE, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": _PAGE_CSP,
                             "X-Content-Type-Options": "nosniff",
                             "Referrer-Policy": "no-referrer"})


async def _json_body(request: Request, message: str) -> dict[str, object]:
    """The JSON object of the request, checked against the message schema ``message``."""
    body = await request.body()
    try:
        data = json.loads(body or b"{}")
    except UnicodeDecodeError as exc:
        raise HTTPProblem(400, "parse-error", "The request body is not UTF-8",
                          f"byte {exc.start} is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise HTTPProblem(400, "parse-error", "The request body is not valid JSON",
                          exc.msg, [Problem(f"invalid JSON: {exc.msg}", file="<request>",
                                            line=exc.lineno, column=exc.colno)]) from None
    if not isinstance(data, dict):
        raise HTTPProblem(400, "parse-error", "The request body must be a JSON object")
    check_message(data, message)
    return data


async def selfcheck_next(request: Request) -> Response:
    """``POST /v1/selfcheck/next``: the answers so far in, the next question (or done) out."""
    state = _state(request)
    data = await _json_body(request, "SelfcheckRequest")
    ids = data.get("checklists") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise UsageError(Problem("must be a list of checklist ids", key="checklists"))
    checklists = _selection(state, ids)
    result = await state.slots.run(next_step, checklists, data, _as_of(data.get("as_of")))
    return JSONResponse(result)


async def selfcheck_check(request: Request) -> Response:
    """``POST /v1/selfcheck/check``: whether one typed answer fits its question."""
    state = _state(request)
    data = await _json_body(request, "AnswerRequest")
    day = _as_of(data.get("as_of"))
    return JSONResponse(check_answer(state.checklists, data, day))
