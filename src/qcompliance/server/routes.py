"""The HTTP endpoints: each parses its request, calls the library and writes the response."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from qcompliance.authoring.schema import KINDS, schema
from qcompliance.batch.bounded import bounded_lines
from qcompliance.batch.output import summary_row
from qcompliance.batch.sources import jsonl_entry
from qcompliance.batch.work import Job, evaluate_entry
from qcompliance.engine.evaluate import evaluate
from qcompliance.errors import Problem, QComplianceError, UsageError
from qcompliance.limits import SPOOL_MEMORY_BYTES
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.converter import converter, parse_date
from qcompliance.loading.load import parse_document
from qcompliance.model import Assessment, Lang
from qcompliance.reports import render
from qcompliance.reports.json import assessment_to_json
from qcompliance.server.inputs import REQUEST, Inputs, read_inputs
from qcompliance.server.openapi import openapi_document
from qcompliance.server.problems import HTTPProblem
from qcompliance.server.selfcheck import check_answer, next_step
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
_STATIC = Path(__file__).resolve().parent / "static"


def _client(request: Request) -> str:
    """The client's address: what per-client limits count by."""
    return request.client.host if request.client else ""


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
                                 state, checklists, day, _skip(request), fmt, lang, view,
                                 client=_client(request))


def _batch_row(checklists: ChecklistSet, line: bytes | None, number: int, day: dt.date,
               skip: bool, limit: int) -> dict[str, object]:
    """One line of ``/v1/batch`` evaluated as ``qcheck batch`` evaluates a JSON Lines line
    (with the same bounds: length, UTF-8, duplicate keys, nesting, numbers), and its summary
    row (with ``line``: the line of the request body)."""
    entry = jsonl_entry(number - 1, line, REQUEST, number, limit)
    outcome = evaluate_entry(entry, Job(checklists, day, skip), checklists)
    return summary_row(outcome, [c.id for c in checklists.checklists])


def _row_bytes(row: dict[str, object]) -> bytes:
    """A row as one NDJSON line; text that cannot be UTF-8 is escaped, never an error."""
    return json.dumps(row, ensure_ascii=False).encode("utf-8", "backslashreplace") + b"\n"


def _error_row(number: int, message: str) -> bytes:
    return _row_bytes({"id": f"line {number}", "line": number, "error": message})


async def _spool(request: Request, max_lines: int) -> tempfile.SpooledTemporaryFile[bytes]:
    """The body in a temporary file (in memory up to SPOOL_MEMORY_BYTES, then on disk,
    unlinked), so that holding it costs no memory; 413 past ``max_lines`` lines."""
    # Closed by the rows' generator once they are sent (or below, on a refusal).
    spool: tempfile.SpooledTemporaryFile[bytes]
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)  # noqa: SIM115
    lines = 0
    try:
        async for chunk in request.stream():
            lines += chunk.count(b"\n")
            if lines > max_lines:
                raise HTTPProblem(413, "too-many-lines", "The batch has too many lines",
                                  f"the limit is {max_lines} lines a request")
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


async def batch(request: Request) -> Response:
    """``POST /v1/batch``: JSON Lines of profiles in; one summary row a line, each sent as soon
    as it is evaluated. A line that is not a profile is a row with its error; the stream goes
    on. The whole request has ``batch_timeout_seconds``; lines left then are error rows."""
    state = _state(request)
    config = state.config
    ids = request.query_params.getlist("checklist")
    checklists = _selection(state, ids)
    day = _as_of(request.query_params.get("as_of"))
    skip = _skip(request)
    client = _client(request)
    # The body is spooled before the response starts: a streaming response listens on the
    # same channel for the client going away.
    spool = await _spool(request, config.max_batch_lines)

    async def rows() -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + config.batch_timeout_seconds
        try:
            for number, line in bounded_lines(spool, config.max_line_bytes):
                if line is not None and not line.strip():
                    continue
                if loop.time() > deadline:
                    yield _error_row(number, f"not evaluated: the batch time limit of "
                                             f"{config.batch_timeout_seconds:g} s was reached")
                    continue
                try:
                    row = await state.slots.run(_batch_row, checklists, line, number, day,
                                                skip, config.max_line_bytes, client=client)
                except HTTPProblem as exc:  # out of time or busy: that line fails, not all
                    row = {"id": f"line {number}", "line": number,
                           "error": exc.detail or exc.title}
                yield _row_bytes(row)
        finally:
            spool.close()

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


async def _json_body(request: Request) -> dict[str, object]:
    """The body as a JSON object, under every bound a profile file has (UTF-8, duplicate keys,
    nesting, numbers, lone surrogates); a 400 or 422 problem otherwise, never a 500."""
    body = await request.body()
    try:
        return dict(parse_document(body or b"{}", REQUEST, "json").data)
    except QComplianceError as exc:
        raise HTTPProblem.of(exc) from None


async def selfcheck_next(request: Request) -> Response:
    """``POST /v1/selfcheck/next``: the answers so far in, the next question (or done) out."""
    state = _state(request)
    data = await _json_body(request)
    ids = data.get("checklists") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise UsageError(Problem("must be a list of checklist ids", key="checklists"))
    checklists = _selection(state, ids)
    result = await state.slots.run(next_step, checklists, data, _as_of(data.get("as_of")),
                                   client=_client(request))
    return JSONResponse(result)


async def selfcheck_check(request: Request) -> Response:
    """``POST /v1/selfcheck/check``: whether one typed answer fits its question."""
    state = _state(request)
    data = await _json_body(request)
    day = _as_of(data.get("as_of"))
    return JSONResponse(check_answer(state.checklists, data, day))
