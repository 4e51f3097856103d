"""The HTTP endpoints: each parses its request, calls the library and writes the response."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import tempfile
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from qcompliance.authoring.schema import KINDS, file_data, schema
from qcompliance.batch.bounded import bounded_lines
from qcompliance.batch.output import summary_row
from qcompliance.batch.sources import Entry, entry_of, jsonl_entry
from qcompliance.batch.work import Job, Outcome, evaluate_entry
from qcompliance.engine.evaluate import evaluate
from qcompliance.errors import Problem, QComplianceError, UsageError
from qcompliance.limits import SPOOL_MEMORY_BYTES
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.converter import converter
from qcompliance.loading.load import parse_document
from qcompliance.model import Assessment, Lang
from qcompliance.reports import render
from qcompliance.reports.decision import decision_summary
from qcompliance.reports.json import assessment_to_json
from qcompliance.server.contract import check_message, negotiate
from qcompliance.server.inputs import REQUEST, Inputs, read_inputs
from qcompliance.server.openapi import openapi_document
from qcompliance.server.operations import MEDIA_TYPES, NDJSON
from qcompliance.server.problems import HTTPProblem
from qcompliance.server.requests import (
    as_of_day,
    client_address,
    json_body,
    lang_of,
    report_format,
    selection,
    skip_inapplicable,
    state_of,
)
from qcompliance.server.selfcheck import check_answer, next_step
from qcompliance.server.selfcheck_files import page_document, template_file, uploaded_rows
from qcompliance.server.state import State
from qcompliance.server.summary import summary_row as assessment_summary
from qcompliance.version import __version__

__all__ = ["MEDIA_TYPES"]

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
    state = state_of(request)
    lang, fmt = lang_of(request), report_format(request)
    view = request.query_params.get("view", "full")
    if view not in ("full", "compact", "summary"):
        raise UsageError(Problem("must be full, compact or summary", key="view"))
    ids = request.query_params.getlist("checklist")
    checklists = selection(state, ids)
    day = as_of_day(request.query_params.get("as_of"))
    body = await request.body()
    return await state.slots.run(_assess, body, request.headers.get("content-type", ""),
                                 state, checklists, day, skip_inapplicable(request), fmt, lang,
                                 view, client=client_address(request))


def _array_entries(spool: tempfile.SpooledTemporaryFile[bytes]) -> list[Entry]:
    """The profiles of a ``{"profiles": [...]}`` body, read under every bound a profile file
    has (UTF-8, duplicate keys, nesting, numbers); an element that is not an object is an
    entry carrying its problem, so the batch goes on."""
    try:
        data = parse_document(spool.read(), REQUEST, "json").data
    except QComplianceError as exc:
        raise HTTPProblem.of(exc) from None
    check_message(data, "BatchRequest")
    profiles = data["profiles"]
    assert isinstance(profiles, list)
    return [entry_of(number - 1, item, REQUEST, number)
            for number, item in enumerate(profiles, 1)]


def _row(entry: Entry, checklists: ChecklistSet, day: dt.date, skip: bool
         ) -> dict[str, object]:
    """The batch summary row of one profile (with ``line``: where it was in the body)."""
    outcome = evaluate_entry(entry, Job(checklists, day, skip), checklists)
    return summary_row(outcome, [c.id for c in checklists.checklists])


def _failed_row(entry: Entry, checklists: ChecklistSet, error: HTTPProblem
                ) -> dict[str, object]:
    """The row of a profile the server could not evaluate (out of time, busy): the same shape
    and the caller's id, external id and labels, with the reason as its error."""
    outcome = Outcome(entry.index, entry.ident, entry.origin, entry.line, entry.external_id,
                      dict(entry.metadata), problem=Problem(
                          error.detail or error.title, file=REQUEST, line=entry.line),
                      problem_count=1)
    return summary_row(outcome, [c.id for c in checklists.checklists])


async def _unevaluated_entry(number: int, raw: bytes | None, limit: int) -> Entry:
    """The entry of a line the server will not evaluate (the batch's time ran out, or no slot
    was free to read it), read outside the evaluation slots so that its row still carries the
    caller's id, external id and labels: parsing a bounded line costs little next to
    evaluating it."""
    return await run_in_threadpool(jsonl_entry, number - 1, raw, REQUEST, number, limit)


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
    """``POST /v1/batch``: profiles in (JSON Lines or a JSON object); one summary row each out,
    streamed as JSON Lines as each is evaluated, or one JSON array when Accept asks for it.
    A line that is not a profile is a row with its error and the stream goes on; the whole
    request has ``batch_timeout_seconds``, and profiles left then are rows saying so."""
    state = state_of(request)
    config = state.config
    ids = request.query_params.getlist("checklist")
    checklists = selection(state, ids)
    day = as_of_day(request.query_params.get("as_of"))
    skip = skip_inapplicable(request)
    client = client_address(request)
    content_type = request.headers.get("content-type", "")
    json_in = content_type.split(";", 1)[0].strip().lower() == "application/json"
    # Answered in the form the body came in, unless Accept prefers the other.
    media = negotiate(request.headers.get("accept", ""),
                      [NDJSON, "application/json"] if json_in else ["application/json", NDJSON])
    if media is None:
        raise HTTPProblem(406, "not-acceptable", "None of the accepted types can be sent",
                          f"send Accept: {NDJSON} or application/json")
    # The body is spooled before the response starts: a streaming response listens on the
    # same channel for the client going away.
    spool = await _spool(request, config.max_batch_lines)
    try:
        array = await state.slots.run(_array_entries, spool, client=client) if json_in else None
    except BaseException:
        spool.close()
        raise

    def line_entries() -> Iterator[tuple[int, bytes | None]]:
        for number, line in bounded_lines(spool, config.max_line_bytes):
            if line is None or line.strip():
                yield number, line

    async def rows() -> AsyncIterator[dict[str, object]]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + config.batch_timeout_seconds
        try:
            pending: Iterator[Entry | tuple[int, bytes | None]] = (
                iter(array) if array is not None else line_entries())
            for item in pending:
                if loop.time() > deadline:
                    entry = item if isinstance(item, Entry) else await _unevaluated_entry(
                        *item, config.max_line_bytes)
                    yield _failed_row(entry, checklists, HTTPProblem(
                        503, "batch-time-limit", "Not evaluated",
                        f"not evaluated: the batch time limit of "
                        f"{config.batch_timeout_seconds:g} s was reached"))
                    continue
                try:
                    entry = item if isinstance(item, Entry) else await state.slots.run(
                        jsonl_entry, item[0] - 1, item[1], REQUEST, item[0],
                        config.max_line_bytes, client=client)
                except HTTPProblem as exc:  # out of time or busy while reading the line
                    assert not isinstance(item, Entry)
                    yield _failed_row(await _unevaluated_entry(*item, config.max_line_bytes),
                                      checklists, exc)
                    continue
                try:
                    yield await state.slots.run(_row, entry, checklists, day, skip,
                                                client=client)
                except HTTPProblem as exc:  # out of time or busy: that profile fails, not all
                    yield _failed_row(entry, checklists, exc)
        finally:
            spool.close()

    if media == "application/json":
        return JSONResponse([row async for row in rows()])

    async def lines() -> AsyncIterator[bytes]:
        async for row in rows():
            # Text that cannot be UTF-8 (a lone surrogate) is escaped, never an error.
            yield json.dumps(row, ensure_ascii=False).encode("utf-8", "backslashreplace") + b"\n"

    return StreamingResponse(lines(), media_type=NDJSON)


def _unstructure(value: object) -> Any:
    return converter.unstructure(value)


async def checklists_list(request: Request) -> Response:
    """``GET /v1/checklists``: the compiled checklists this server evaluates with."""
    state = state_of(request)
    return JSONResponse([
        {"id": c.id, "version": c.version, "title": _unstructure(c.title),
         "items": len(c.items), "sha256": c.sha256}
        for c in state.checklists.checklists
    ])


async def checklist_one(request: Request) -> Response:
    """``GET /v1/checklists/{id}``: one checklist in full."""
    state = state_of(request)
    checklist = state.checklists.get(request.path_params["id"])
    if checklist is None:
        raise HTTPProblem(404, "not-found", "No such checklist",
                          f"no checklist '{request.path_params['id']}' on this server")
    return JSONResponse(file_data(checklist))


async def facts(request: Request) -> Response:
    """``GET /v1/facts``: the facts dictionary (every fact a profile may give)."""
    ids = request.query_params.getlist("checklist")
    state = state_of(request)
    specs = (selection(state, ids).facts_read() if ids
             else list(state.checklists.facts.values()))
    return JSONResponse([file_data(s) for s in specs])


async def schemas(request: Request) -> Response:
    """``GET /v1/schemas/{kind}``: the JSON Schema of a file format."""
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise HTTPProblem(404, "not-found", "No such schema",
                          f"no schema '{kind}'; one of {', '.join(KINDS)}")
    return JSONResponse(schema(kind, state_of(request).checklists.facts),
                        media_type="application/schema+json")


async def healthz(request: Request) -> Response:
    """``GET /healthz``: the process answers."""
    return JSONResponse({"status": "ok", "version": __version__})


async def readyz(request: Request) -> Response:
    """``GET /readyz``: the checklists are compiled and requests can be evaluated."""
    state = state_of(request)
    return JSONResponse({"status": "ready", "checklists": len(state.checklists),
                         "facts": len(state.checklists.facts)})


async def openapi(request: Request) -> Response:
    """``GET /openapi.json``: the OpenAPI document of this API, with the profile schema of the
    served facts dictionary (built once)."""
    app_state = request.app.state
    if getattr(app_state, "openapi", None) is None:
        app_state.openapi = openapi_document(state_of(request).checklists.facts)
    return JSONResponse(app_state.openapi)


# The page allows its one inline script by hash: no other script runs, nothing from elsewhere.
_PAGE, _PAGE_CSP = page_document()


async def page(request: Request) -> Response:
    """``GET /``: the browser self-check (one file, no external assets)."""
    return Response(_PAGE, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": _PAGE_CSP,
                             "X-Content-Type-Options": "nosniff",
                             "Referrer-Policy": "no-referrer"})


async def selfcheck_next(request: Request) -> Response:
    """``POST /v1/selfcheck/next``: the answers so far in, the next question (or done) out."""
    state = state_of(request)
    data = await json_body(request, "SelfcheckRequest")
    ids = data.get("checklists") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise UsageError(Problem("must be a list of checklist ids", key="checklists"))
    checklists = selection(state, ids)
    result = await state.slots.run(next_step, checklists, data, as_of_day(data.get("as_of")),
                                   client=client_address(request))
    return JSONResponse(result)


async def selfcheck_check(request: Request) -> Response:
    """``POST /v1/selfcheck/check``: whether one typed answer fits its question."""
    state = state_of(request)
    data = await json_body(request, "AnswerRequest")
    day = as_of_day(data.get("as_of"))
    return JSONResponse(check_answer(state.checklists, data, day))


async def selfcheck_records(request: Request) -> Response:
    """``POST /v1/selfcheck/records``: an uploaded CSV or XLSX records file as table rows."""
    state = state_of(request)
    data = await json_body(request, "RecordsUpload")
    lang: Lang = "en" if data.get("lang") == "en" else "zh"
    result = await state.slots.run(uploaded_rows, state.checklists, data,
                                   as_of_day(data.get("as_of")), lang)
    return JSONResponse(result)


async def selfcheck_template(request: Request) -> Response:
    """``GET /v1/selfcheck/template?key=…&format=csv|xlsx``: the empty form of a records
    fact, to fill in and upload."""
    state = state_of(request)
    content, name = template_file(state.checklists, request.query_params.get("key", ""),
                                  request.query_params.get("format", "csv"), lang_of(request))
    media = MEDIA_TYPES["csv" if name.endswith(".csv") else "xlsx"]
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _decide(checklists: ChecklistSet, data: dict[str, object], day: dt.date
            ) -> dict[str, object]:
    lang: Lang = "en" if data.get("lang") == "en" else "zh"
    inputs = read_inputs(json.dumps({"profile": data.get("profile"),
                                     "profile_format": "toml"}).encode("utf-8"),
                         "application/json", checklists)
    return decision_summary(_evaluate(checklists, inputs, day, False), lang).as_dict()


async def selfcheck_result(request: Request) -> Response:
    """``POST /v1/selfcheck/result``: the decision a finished self-check opens on."""
    state = state_of(request)
    data = await json_body(request, "SelfcheckResultRequest")
    ids = data.get("checklists") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise UsageError(Problem("must be a list of checklist ids", key="checklists"))
    checklists = selection(state, ids)
    return JSONResponse(await state.slots.run(_decide, checklists, data,
                                              as_of_day(data.get("as_of"))))
