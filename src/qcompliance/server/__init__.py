"""``qcheck serve``: the engine as an HTTP service, and the browser self-check at ``/``.

A door like :mod:`qcompliance.cli`: it parses requests, calls the library and writes
responses. Starlette and uvicorn are imported only here (the ``serve`` extra), so the rest of
the package, and ``qcheck --version``, never load them. Nothing in the package imports this
module except the CLI's ``serve`` command, lazily.
"""

from __future__ import annotations

from qcompliance.server.app import create_app
from qcompliance.server.config import ServerConfig

__all__ = ["ServerConfig", "create_app"]
