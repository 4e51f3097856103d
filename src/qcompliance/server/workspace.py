"""The workspace routes (``qcheck serve --store``): companies, profile versions, stored
assessments, the remediation plan, evidence files and saved self-checks.

Every route names its company in the path and checks the token may see it
(:mod:`qcompliance.server.workspace_auth`); database work runs in the evaluation slots, off the
event loop.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import quote

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.reports import render
from qcompliance.reports.json import assessment_to_json, expand_assessment
from qcompliance.server.operations import MEDIA_TYPES
from qcompliance.server.operations.workspace import EVIDENCE_MEDIA
from qcompliance.server.problems import HTTPProblem
from qcompliance.server.requests import (
    as_of_day,
    json_body,
    lang_of,
    report_format,
    selection,
    skip_inapplicable,
    state_of,
)
from qcompliance.server.state import State
from qcompliance.server.workspace_auth import principal, require_company
from qcompliance.store import Store
from qcompliance.store.attachments import (
    add_evidence,
    delete_draft,
    evidence_content,
    evidence_list,
    get_draft,
    put_draft,
)
from qcompliance.store.service import assess_stored, store_profile_text

__all__ = ["WORKSPACE_ROUTES", "plain"]

def plain(value: object) -> Any:
    """A workspace record as JSON-ready data (days and times in ISO 8601)."""
    if attrs.has(type(value)):
        names = [f.name for f in attrs.fields(type(value))]  # type: ignore[arg-type]
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        # SQLite gives back naive times; the workspace writes every time in UTC.
        return value.replace(tzinfo=dt.timezone.utc).isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def _store(request: Request) -> Store:
    store: Store = request.app.state.workspace
    return store


async def _run(request: Request, fn: Any, *args: Any) -> Any:
    return await state_of(request).slots.run(fn, *args)


def _profile_format(request: Request) -> Literal["toml", "json"]:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media in ("application/toml", "text/toml", "text/x-toml"):
        return "toml"
    if media in ("application/json", "") or media.endswith("+json"):
        return "json"
    raise UsageError(Problem(f"unsupported content type '{media}': send application/json or "
                             "application/toml", key="Content-Type"))


async def _text(request: Request) -> str:
    body = await request.body()
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(Problem("the body is not UTF-8", file="<request>")) from None


async def companies(request: Request) -> Response:
    """``GET /v1/companies``: every company the token may see, with its latest scores."""
    who = principal(request)
    only = who.uscc if who.role == "company" else None
    if who.role == "company" and only is None:  # pragma: no cover - tokens always name one
        return JSONResponse([])
    rows = await _run(request, lambda: _store(request).companies(only=only))
    return JSONResponse(plain(rows))


async def put_profile(request: Request) -> Response:
    """``PUT /v1/companies/{uscc}/profile``: keep a new version of the company's profile."""
    uscc = require_company(request)
    fmt, text = _profile_format(request), await _text(request)
    version, _ = await _run(request, store_profile_text, _store(request), uscc, text, fmt,
                            state_of(request).checklists)
    data = plain(version)
    data.pop("text")
    return JSONResponse(data, status_code=200)


async def get_profile(request: Request) -> Response:
    """``GET /v1/companies/{uscc}/profile``: the newest profile version, as it was sent."""
    uscc = require_company(request)
    version = await _run(request, _store(request).profile, uscc)
    if version is None:
        raise HTTPProblem(404, "not-found", "No stored profile",
                          f"company {uscc} has no stored profile")
    media = "application/toml" if version.format == "toml" else "application/json"
    return Response(version.text, media_type=f"{media}; charset=utf-8",
                    headers={"X-Profile-Version": str(version.version)})


async def post_assessment(request: Request) -> Response:
    """``POST /v1/companies/{uscc}/assessments``: evaluate the stored profile (or the one in
    the body, stored first as a new version) and keep the assessment."""
    uscc = require_company(request)
    state, store = state_of(request), _store(request)
    chosen = selection(state, request.query_params.getlist("checklist"))
    day, skip = as_of_day(request.query_params.get("as_of")), skip_inapplicable(request)
    body = await request.body()
    fmt = _profile_format(request) if body.strip() else None

    def work() -> Any:
        if fmt is not None:
            store_profile_text(store, uscc, body.decode("utf-8", "strict"), fmt,
                               state.checklists)
        return assess_stored(store, uscc, state.checklists, day, skip_inapplicable=skip,
                             evaluating=chosen)

    try:
        record, _ = await _run(request, work)
    except UnicodeDecodeError:
        raise UsageError(Problem("the body is not UTF-8", file="<request>")) from None
    return JSONResponse(plain(record), status_code=201, headers={
        "Location": f"/v1/companies/{uscc}/assessments/{record.id}"})


async def list_assessments(request: Request) -> Response:
    """``GET /v1/companies/{uscc}/assessments``: the history, oldest first."""
    uscc = require_company(request)
    rows = await _run(request, _store(request).assessments, uscc)
    return JSONResponse(plain(rows))


def _rendered(data: dict[str, Any], checklists: ChecklistSet, fmt: str, lang: Any,
              view: str) -> Response:
    if fmt == "json" and view == "compact":
        return Response(json.dumps(data, ensure_ascii=False), media_type=MEDIA_TYPES["json"])
    assessment = expand_assessment(data, checklists, origin="<stored assessment>")
    if fmt == "json":
        return Response(assessment_to_json(assessment), media_type=MEDIA_TYPES["json"])
    try:
        return Response(render(assessment, fmt, lang), media_type=MEDIA_TYPES[fmt])
    except ImportError as exc:  # openpyxl is the xlsx extra
        raise HTTPProblem(501, "format-unavailable", "This server cannot write that format",
                          f"{fmt} needs {exc.name}: install qcompliance[xlsx]") from None


async def get_assessment(request: Request) -> Response:
    """``GET /v1/companies/{uscc}/assessments/{id}``: one stored assessment in any report
    format (``view=compact``: the stored document as it is)."""
    uscc = require_company(request)
    lang, fmt = lang_of(request), report_format(request)
    view = request.query_params.get("view", "full")
    if view not in ("full", "compact"):
        raise UsageError(Problem("must be full or compact", key="view"))
    ident = request.path_params["id"]
    store, state = _store(request), state_of(request)

    def work() -> Response:
        data = store.assessment_document(uscc, ident)
        return _rendered(data, state.checklists, fmt, lang, view)

    response: Response = await _run(request, work)
    return response


def _titles(state: State) -> dict[str, dict[str, Any]]:
    """What a plan shows of each item besides its id: title, level, severity."""
    cached = state.checklists.derived.get("workspace.titles")
    if cached is None:
        cached = {i.item.id: {"title": {"zh": i.item.title.zh, "en": i.item.title.en},
                              "level": i.item.level.value, "severity": i.item.severity.value}
                  for c in state.checklists.compiled for i in c.items}
        state.checklists.derived["workspace.titles"] = cached
    result: dict[str, dict[str, Any]] = cached
    return result


async def get_plan(request: Request) -> Response:
    """``GET /v1/companies/{uscc}/plan``: the remediation items, open ones first."""
    uscc = require_company(request)
    store = _store(request)
    closed = request.query_params.get("include_closed", "true").lower() in ("true", "1")
    items = await _run(request, lambda: store.plan(uscc, include_closed=closed))
    titles = _titles(state_of(request))
    today = dt.date.today()
    rows = []
    for item in items:
        row = plain(item)
        row.update(titles.get(item.item, {}))
        row["overdue"] = bool(item.due and item.due < today
                              and item.status in ("open", "in_progress"))
        rows.append(row)
    # Open work first; within it mandatory before encouraged before recommended, then by day.
    statuses = {"in_progress": 0, "open": 0, "done": 1, "closed": 2}
    levels = {"mandatory": 0, "encouraged": 1, "recommended": 2}
    rows.sort(key=lambda r: (statuses.get(r["status"], 3), levels.get(r.get("level"), 3),
                             r["due"] or "9999", r["item"]))
    return JSONResponse(rows)


async def patch_plan(request: Request) -> Response:
    """``PATCH /v1/companies/{uscc}/plan``: set owner, due date, status or note of items:
    ``{"item": ID, "owner": ...}`` or ``{"items": [...]}``."""
    uscc = require_company(request)
    data = await json_body(request)
    changes = data.get("items", [data])
    if not isinstance(changes, list) or not all(
            isinstance(c, dict) and isinstance(c.get("item"), str) for c in changes):
        raise UsageError(Problem('send {"item": ID, ...} or {"items": [{"item": ID, ...}]}',
                                 file="<request>", key="item"))
    store = _store(request)

    def work() -> list[Any]:
        return [store.update_plan(uscc, c["item"], {k: v for k, v in c.items() if k != "item"})
                for c in changes]

    return JSONResponse(plain(await _run(request, work)))


async def post_evidence(request: Request) -> Response:
    """``POST /v1/companies/{uscc}/evidence?item=ID&filename=NAME``: the body is the file."""
    uscc = require_company(request)
    item = request.query_params.get("item", "")
    name = request.query_params.get("filename", "evidence")
    media = request.headers.get("content-type", "application/octet-stream").split(";")[0]
    body = await request.body()
    if not body:
        raise UsageError(Problem("the body is the file, and it is empty", key="body"))
    record = await _run(request, add_evidence, _store(request), uscc, item, name,
                        media.strip().lower(), body)
    return JSONResponse(plain(record), status_code=201, headers={
        "Location": f"/v1/companies/{uscc}/evidence/{record.id}"})


async def list_evidence(request: Request) -> Response:
    """``GET /v1/companies/{uscc}/evidence``: the files (``?item=`` for one item's)."""
    uscc = require_company(request)
    rows = await _run(request, evidence_list, _store(request), uscc,
                      request.query_params.get("item"))
    return JSONResponse(plain(rows))


async def get_evidence(request: Request) -> Response:
    """``GET /v1/companies/{uscc}/evidence/{id}``: the file, always as a download."""
    uscc = require_company(request)
    record, content = await _run(request, evidence_content, _store(request), uscc,
                                 request.path_params["id"])
    media = record.media_type if record.media_type in EVIDENCE_MEDIA else \
        "application/octet-stream"
    return Response(content, media_type=media, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(record.filename)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "X-Evidence-SHA256": record.sha256,
    })


async def get_draft_route(request: Request) -> Response:
    """``GET /v1/companies/{uscc}/draft``: the saved self-check answers (404 if none)."""
    uscc = require_company(request)
    data = await _run(request, get_draft, _store(request), uscc)
    if data is None:
        raise HTTPProblem(404, "not-found", "No saved self-check",
                          f"company {uscc} has no saved self-check")
    return JSONResponse(data)


async def put_draft_route(request: Request) -> Response:
    """``PUT /v1/companies/{uscc}/draft``: save the self-check answers so far (a JSON
    object, at most 1 MB), to resume on any device."""
    uscc = require_company(request)
    data = await json_body(request)
    store = _store(request)

    def work() -> None:
        store.ensure_company(uscc)  # a self-check may be saved before any profile
        put_draft(store, uscc, data)

    await _run(request, work)
    return JSONResponse({"saved": True})


async def delete_draft_route(request: Request) -> Response:
    """``DELETE /v1/companies/{uscc}/draft``: forget the saved answers (the self-check is
    finished)."""
    uscc = require_company(request)
    await _run(request, delete_draft, _store(request), uscc)
    return Response(status_code=204)


async def whoami(request: Request) -> Response:
    """``GET /v1/whoami``: the role (and company) of the token sent."""
    who = principal(request)
    return JSONResponse({"role": who.role, "uscc": who.uscc})


WORKSPACE_ROUTES = [
    Route("/v1/whoami", whoami, methods=["GET"]),
    Route("/v1/companies", companies, methods=["GET"]),
    Route("/v1/companies/{uscc}/profile", put_profile, methods=["PUT"]),
    Route("/v1/companies/{uscc}/profile", get_profile, methods=["GET"]),
    Route("/v1/companies/{uscc}/assessments", post_assessment, methods=["POST"]),
    Route("/v1/companies/{uscc}/assessments", list_assessments, methods=["GET"]),
    Route("/v1/companies/{uscc}/assessments/{id:int}", get_assessment, methods=["GET"]),
    Route("/v1/companies/{uscc}/plan", get_plan, methods=["GET"]),
    Route("/v1/companies/{uscc}/plan", patch_plan, methods=["PATCH"]),
    Route("/v1/companies/{uscc}/evidence", post_evidence, methods=["POST"]),
    Route("/v1/companies/{uscc}/evidence", list_evidence, methods=["GET"]),
    Route("/v1/companies/{uscc}/evidence/{id:int}", get_evidence, methods=["GET"]),
    Route("/v1/companies/{uscc}/draft", get_draft_route, methods=["GET"]),
    Route("/v1/companies/{uscc}/draft", put_draft_route, methods=["PUT"]),
    Route("/v1/companies/{uscc}/draft", delete_draft_route, methods=["DELETE"]),
]
"""The routes a server with a workspace adds (pages and impact are added beside them)."""
