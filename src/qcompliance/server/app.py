"""The ASGI application: routes, guards and error handling around the shared state."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from qcompliance.errors import QComplianceError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.registry.catalogue import load_checklists
from qcompliance.server import routes
from qcompliance.server.config import ServerConfig
from qcompliance.server.contract import Contract
from qcompliance.server.limits import (
    AccessLog,
    BearerAuth,
    BodyLimit,
    BodyTimeout,
    BodyTooLarge,
    Slots,
)
from qcompliance.server.limits import too_large as too_large_problem
from qcompliance.server.operations import OPERATIONS
from qcompliance.server.problems import HTTPProblem, problem_response
from qcompliance.server.state import State

__all__ = ["app_from_env", "create_app", "served_checklists"]

ROUTES = [
    Route("/", routes.page, methods=["GET"]),
    Route("/healthz", routes.healthz, methods=["GET"]),
    Route("/readyz", routes.readyz, methods=["GET"]),
    Route("/openapi.json", routes.openapi, methods=["GET"]),
    Route("/v1/assessments", routes.assessments, methods=["POST"]),
    Route("/v1/batch", routes.batch, methods=["POST"]),
    Route("/v1/checklists", routes.checklists_list, methods=["GET"]),
    Route("/v1/checklists/{id}", routes.checklist_one, methods=["GET"]),
    Route("/v1/facts", routes.facts, methods=["GET"]),
    Route("/v1/schemas/{kind}", routes.schemas, methods=["GET"]),
    Route("/v1/selfcheck/next", routes.selfcheck_next, methods=["POST"]),
    Route("/v1/selfcheck/check", routes.selfcheck_check, methods=["POST"]),
    Route("/v1/selfcheck/records", routes.selfcheck_records, methods=["POST"]),
    Route("/v1/selfcheck/template", routes.selfcheck_template, methods=["GET"]),
    Route("/v1/selfcheck/result", routes.selfcheck_result, methods=["POST"]),
]


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPProblem)
    return problem_response(exc, request.url.path)


async def _library_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QComplianceError)
    return problem_response(HTTPProblem.of(exc), request.url.path)


async def _too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BodyTooLarge)
    return problem_response(too_large_problem(exc.limit), request.url.path)


async def _slow_body(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BodyTimeout)
    return problem_response(exc.problem(), request.url.path)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    return problem_response(HTTPProblem(exc.status_code, slug, str(exc.detail),
                                        headers=dict(exc.headers or {})), request.url.path)


async def _internal(request: Request, exc: Exception) -> Response:
    # Never a traceback to the client; the access log records the 500.
    return problem_response(HTTPProblem(500, "internal", "Internal server error"),
                            request.url.path)


def _lifespan(slots: Slots) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        slots.close()
        workspace = getattr(app.state, "workspace", None)
        if workspace is not None:
            workspace.close()

    return lifespan


def served_checklists(config: ServerConfig) -> ChecklistSet:
    """The checklists a server compiles at start, as ``qcheck run`` chooses them: the packs a
    lock file pins, or the built-in catalogue and installed packs; ``config.checklists``
    selects ids or files among them."""
    selection = list(config.checklists) or None
    return load_checklists(selection, lock=config.lock_file, cache_dir=config.cache_dir)


def create_app(config: ServerConfig | None = None) -> Starlette:
    """The application for ``config``: checklists are loaded and compiled here, once."""
    config = config or ServerConfig()
    checklists = served_checklists(config)
    slots = Slots(config.concurrency, config.timeout_seconds, config.client_concurrency)
    middleware = [Middleware(AccessLog, enabled=config.access_log),
                  Middleware(GZipMiddleware, minimum_size=1000)]
    if config.cors_origins:
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST", "PUT", "PATCH"],
            allow_headers=["Authorization", "Content-Type"]))
    routes: list[BaseRoute] = list(ROUTES)
    store = None
    if config.store is not None:  # the workspace (store extra): imported only when asked for
        from qcompliance.server.workspace_routes import workspace

        store, extra_routes, auth = workspace(config)
        routes += extra_routes
    else:
        auth = Middleware(BearerAuth, token=config.token)
    middleware += [
        auth,
        Middleware(BodyLimit, limit=config.max_body_bytes, batch_limit=config.max_batch_bytes,
                   read_timeout=config.body_read_timeout, total_timeout=config.body_timeout,
                   evidence_limit=config.max_evidence_bytes),
        Middleware(Contract, operations=OPERATIONS),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            HTTPProblem: _problem,
            QComplianceError: _library_error,
            BodyTooLarge: _too_large,
            BodyTimeout: _slow_body,
            HTTPException: _http_error,
            Exception: _internal,
        },
        lifespan=_lifespan(slots),
    )
    app.state.qcheck = State(config, checklists, slots)
    app.state.workspace = store
    return app


def app_from_env() -> Starlette:
    """The application for the options ``qcheck serve`` put into the environment (workers)."""
    from qcompliance.server.protocol import GuardedH11Protocol  # uvicorn: only when it serves

    config = ServerConfig.from_env()
    GuardedH11Protocol.configure(config.header_timeout, config.max_client_connections)
    return create_app(config)
