"""``POST /v1/impact``: what a catalogue change does to the workspace's companies.

The catalogues are named, never given as paths: ``served`` (what this server evaluates
with), ``builtin``, or ``NAME@VERSION`` of a pack in this server's pack cache.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from qcompliance.errors import Problem, UsageError
from qcompliance.impact import impact
from qcompliance.impact.catalogues import resolve_catalogue
from qcompliance.impact.render import impact_html, impact_to_data
from qcompliance.impact.stored import stored_portfolio
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.server.requests import as_of_day, json_body, lang_of
from qcompliance.server.state import State
from qcompliance.server.workspace_auth import require_staff
from qcompliance.store import Store

__all__ = ["post_impact"]

_PACK = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}@[0-9A-Za-z][0-9A-Za-z.+-]{0,49}$")


def _catalogue(state: State, spec: object, key: str) -> ChecklistSet:
    if spec in (None, "served"):
        return state.checklists
    if spec == "builtin" or (isinstance(spec, str) and _PACK.match(spec)):
        return resolve_catalogue(str(spec), key, state.config.cache_dir)
    raise UsageError(Problem('must be "served", "builtin" or NAME@VERSION of a pulled pack',
                             file="<request>", key=key))


async def post_impact(request: Request) -> Response:
    """``POST /v1/impact``: ``{"from": ..., "to": ..., "as_of": ..., "companies": [...]}``;
    the impact on every stored company (or those named), ranked by new mandatory failures.
    Admin and consultant tokens only."""
    require_staff(request)
    state: State = request.app.state.qcheck
    store: Store = request.app.state.workspace
    data = await json_body(request)
    unknown = sorted(set(data) - {"from", "to", "as_of", "companies"})
    if unknown:
        raise UsageError(Problem(f"unknown key '{unknown[0]}'", file="<request>",
                                 key=unknown[0]))
    only = data.get("companies")
    if only is not None and (not isinstance(only, list)
                             or not all(isinstance(u, str) for u in only)):
        raise UsageError(Problem("must be a list of credit codes", file="<request>",
                                 key="companies"))
    day = as_of_day(data.get("as_of"))
    lang = lang_of(request)
    as_html = request.query_params.get("format") == "html"

    def work() -> Any:
        before = _catalogue(state, data.get("from"), "from")
        after = _catalogue(state, data.get("to"), "to")
        result = impact(before, after, stored_portfolio(store, only), day,
                        before_label=str(data.get("from") or "served"),
                        after_label=str(data.get("to") or "served"))
        return impact_html(result, lang) if as_html else impact_to_data(result)

    result = await state.slots.run(work)
    if as_html:
        return Response(result, media_type="text/html; charset=utf-8")
    return JSONResponse(result)
