"""What ``--store`` adds to a server: the workspace, its routes and pages, and the
role-aware token check that replaces the single-token one."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from qcompliance.server.config import ServerConfig
from qcompliance.server.workspace import WORKSPACE_ROUTES
from qcompliance.server.workspace_auth import WorkspaceAuth
from qcompliance.server.workspace_impact import post_impact
from qcompliance.server.workspace_pages import PAGE_ROUTES
from qcompliance.store import Store

__all__ = ["API_ROUTES", "workspace"]

API_ROUTES: list[BaseRoute] = [*WORKSPACE_ROUTES, Route("/v1/impact", post_impact,
                                                         methods=["POST"])]
"""The workspace's API routes: the operations of
:data:`qcompliance.server.operations.WORKSPACE_OPERATIONS`."""


def workspace(config: ServerConfig) -> tuple[Store, list[BaseRoute], Middleware]:
    """The workspace at ``config.store`` (migrated on open), its routes and its auth."""
    store = Store(config.store)
    routes: list[BaseRoute] = [*API_ROUTES, *PAGE_ROUTES]
    return store, routes, Middleware(WorkspaceAuth, store=store, admin_token=config.token)
