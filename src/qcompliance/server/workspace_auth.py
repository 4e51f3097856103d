"""Who is asking, when the server keeps a workspace: every token has a role.

The token given with ``--token-file`` (or QCHECK_TOKEN) is an admin token; every other token
is looked up, by its sha256, in the workspace. Workspace routes then check the holder may see
the company the path names (:func:`principal`, :func:`require_company`).
"""

from __future__ import annotations

import hmac

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from qcompliance.china.uscc import uscc_problem
from qcompliance.server.limits import OPEN_PATHS
from qcompliance.server.problems import HTTPProblem, problem_response
from qcompliance.store import Principal, Store
from qcompliance.store.tokens import principal_of

__all__ = ["PRINCIPAL", "WORKSPACE_PAGES", "WorkspaceAuth", "principal", "require_company",
           "require_staff"]

PRINCIPAL = "qcheck.principal"
"""The scope key under which the holder of the request's token travels."""
WORKSPACE_PAGES = frozenset({"/workspace", "/workspace/company"})
"""The workspace pages: open, like the self-check page; they ask for the token."""


class WorkspaceAuth:
    """Require a known token on every path but the open ones; record who holds it."""

    def __init__(self, app: ASGIApp, store: Store, admin_token: str | None) -> None:
        self.app, self.store = app, store
        self.admin = admin_token.encode("utf-8") if admin_token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Find the holder of the bearer token, or answer 401."""
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS | WORKSPACE_PAGES:
            await self.app(scope, receive, send)
            return
        given = b""
        for name, value in scope["headers"]:
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                given = value[7:].strip()
        who: Principal | None = None
        if given and self.admin is not None and hmac.compare_digest(given, self.admin):
            who = Principal("admin")
        elif given and len(given) <= 200:
            who = await run_in_threadpool(principal_of, self.store,
                                          given.decode("utf-8", "replace"))
        if who is None:
            error = HTTPProblem(401, "unauthorized", "A valid bearer token is required",
                                "create one with: qcheck serve token create",
                                headers={"WWW-Authenticate": 'Bearer realm="qcheck"'})
            await problem_response(error, scope["path"])(scope, receive, send)
            return
        scope[PRINCIPAL] = who
        await self.app(scope, receive, send)


def principal(request: Request) -> Principal:
    """The holder of the request's token (set by :class:`WorkspaceAuth`)."""
    who = request.scope.get(PRINCIPAL)
    if not isinstance(who, Principal):  # pragma: no cover - the middleware always sets it
        raise HTTPProblem(401, "unauthorized", "A valid bearer token is required")
    return who


def require_company(request: Request) -> str:
    """The path's company, when the code is a unified social credit code (400 otherwise)
    and the token may see it (403 otherwise)."""
    uscc = str(request.path_params["uscc"])
    if (why := uscc_problem(uscc)) is not None:
        raise HTTPProblem(400, "usage-error", "Not a unified social credit code", why)
    if not principal(request).may_see(uscc):
        raise HTTPProblem(403, "forbidden", "This token is for another company")
    return uscc


def require_staff(request: Request) -> Principal:
    """The holder, when it is an admin or a consultant; 403 for a company token."""
    who = principal(request)
    if who.role == "company":
        raise HTTPProblem(403, "forbidden", "Only an admin or consultant token may do this")
    return who
