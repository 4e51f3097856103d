"""The workspace's browser pages: the consultant's list of companies (``/workspace``) and a
company's page (``/workspace/company?uscc=…``: score trend, plan editable in place, evidence).

Each is one file with one inline script, allowed by its hash; nothing loads from elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = ["PAGE_ROUTES"]

_STATIC = Path(__file__).resolve().parent / "static"


def _load(name: str) -> tuple[bytes, str]:
    html = (_STATIC / name).read_text(encoding="utf-8")
    script = html.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
           "img-src data:; connect-src 'self'; form-action 'none'; base-uri 'none'; "
           "frame-ancestors 'none'")
    return html.encode("utf-8"), csp


_PAGES = {"/workspace": _load("workspace.html"), "/workspace/company": _load("company.html")}


async def _page(request: Request) -> Response:
    body, csp = _PAGES[request.url.path]
    return Response(body, media_type="text/html; charset=utf-8", headers={
        "Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"})


PAGE_ROUTES = [Route(path, _page, methods=["GET"]) for path in _PAGES]
"""The two pages (open: they ask for the token and keep it in the browser)."""
