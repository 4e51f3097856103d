"""What an operator decides about a server: address, limits, token, CORS and checklists."""

from __future__ import annotations

import json
import os
from pathlib import Path

import attrs

from qcompliance.errors import Problem, UsageError

__all__ = ["CONFIG_ENV", "TOKEN_ENV", "ServerConfig", "read_token"]

CONFIG_ENV = "QCHECK_SERVE_CONFIG"
"""Environment variable through which ``qcheck serve`` hands its options to worker processes."""
TOKEN_ENV = "QCHECK_TOKEN"
"""Environment variable holding the bearer token clients must send (when set)."""


@attrs.frozen
class ServerConfig:
    """The options of one server; every default is the safe one."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    checklists: tuple[str, ...] = ()
    """Checklist ids or paths compiled at start; empty for every built-in checklist."""
    max_body_bytes: int = 1_000_000
    """Largest request body of every endpoint but ``/v1/batch``."""
    max_batch_bytes: int = 50_000_000
    """Largest request body of ``/v1/batch``."""
    timeout_seconds: float = 30.0
    """Per-request time limit of an evaluation (a batch: per profile)."""
    concurrency: int = 8
    """Evaluations running at once in this process; more requests wait for a slot."""
    max_connections: int = 200
    """Open connections beyond which uvicorn answers 503 at once."""
    token: str | None = attrs.field(default=None, repr=False)
    """The bearer token clients must send; None: no authentication."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed by CORS; empty: CORS is off."""
    access_log: bool = True
    lock_file: str | None = None
    """Serve exactly the rule packs this lock file pins (from ``cache_dir``); None: the
    built-in checklists and those installed distributions offer."""
    cache_dir: str | None = None
    """The pack cache (default: the registry's)."""
    store: str | None = None
    """The workspace database URL (``qcheck serve --store``); None: no workspace routes."""
    max_evidence_bytes: int = 20_000_000
    """Largest evidence file (``POST /v1/companies/{uscc}/evidence``)."""

    def to_env(self) -> str:
        """The options as JSON for :data:`CONFIG_ENV` (the token is passed apart)."""
        data = attrs.asdict(self)
        data.pop("token")
        return json.dumps(data)

    @classmethod
    def from_env(cls) -> ServerConfig:
        """The options ``qcheck serve`` put into the environment of its worker processes."""
        raw = os.environ.get(CONFIG_ENV)
        data = json.loads(raw) if raw else {}
        for name in ("checklists", "cors_origins"):
            if name in data:
                data[name] = tuple(data[name])
        return cls(**data, token=os.environ.get(TOKEN_ENV) or None)


def read_token(token_file: Path | None) -> str | None:
    """The token from ``token_file`` (first line, stripped) or else from :data:`TOKEN_ENV`."""
    if token_file is not None:
        try:
            text = token_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(Problem(f"cannot be read: {exc.strerror}", file=str(token_file),
                                     key="--token-file")) from None
        token = text.strip().splitlines()[0].strip() if text.strip() else ""
        if len(token) < 16:
            raise UsageError(Problem("the token must be at least 16 characters",
                                     file=str(token_file), key="--token-file"))
        return token
    return os.environ.get(TOKEN_ENV) or None
