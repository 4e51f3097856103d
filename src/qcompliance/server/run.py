"""Run the application under uvicorn: one process, or ``workers`` processes sharing a port.

uvicorn runs the h11 protocol with the guards of :mod:`qcompliance.server.protocol` (never
httptools, even when installed, whose protocol lacks them).
"""

from __future__ import annotations

import os

import uvicorn

from qcompliance.server.app import create_app
from qcompliance.server.config import CONFIG_ENV, TOKEN_ENV, ServerConfig
from qcompliance.server.protocol import protocol_options

__all__ = ["serve"]


def serve(config: ServerConfig) -> None:
    """Serve until interrupted. Several workers each compile the checklists once at start."""
    common = {"host": config.host, "port": config.port, "access_log": False,
              "server_header": False, "proxy_headers": False, "log_level": "warning",
              **protocol_options(config)}
    if config.workers <= 1:
        uvicorn.run(create_app(config), **common)
        return
    # Worker processes rebuild the app from the environment; the token goes there too,
    # never on a command line that `ps` would show.
    os.environ[CONFIG_ENV] = config.to_env()
    if config.token:
        os.environ[TOKEN_ENV] = config.token
    uvicorn.run("qcompliance.server.app:app_from_env", factory=True, workers=config.workers,
                **common)
