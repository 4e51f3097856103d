"""What an operator decides about a server: address, limits, token, CORS and checklists."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

import attrs

from qcompliance import limits
from qcompliance.errors import Problem, UsageError

__all__ = ["CONFIG_ENV", "TOKEN_ENV", "ServerConfig", "check_exposure", "read_token"]

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
    max_body_bytes: int = limits.MAX_BODY_BYTES
    """Largest request body of every endpoint but ``/v1/batch``."""
    max_batch_bytes: int = limits.MAX_BATCH_BYTES
    """Largest request body of ``/v1/batch``."""
    max_batch_lines: int = limits.MAX_BATCH_LINES
    """Most lines (blank ones included) of one ``/v1/batch`` body."""
    max_line_bytes: int = limits.MAX_BATCH_LINE_BYTES
    """Longest line of a ``/v1/batch`` body; a longer one is an error row."""
    timeout_seconds: float = 30.0
    """Per-request time limit of an evaluation (a batch: per profile)."""
    batch_timeout_seconds: float = limits.BATCH_TIMEOUT
    """Time limit of a whole ``/v1/batch`` request; lines left then are error rows."""
    concurrency: int = 8
    """Evaluations running at once in this process; more requests wait for a slot."""
    client_concurrency: int = 4
    """Evaluations one client address may have running at once; its others wait."""
    max_connections: int = limits.MAX_CONNECTIONS
    """Open connections beyond which uvicorn answers 503 at once."""
    max_client_connections: int = limits.MAX_CONNECTIONS_PER_CLIENT
    """Open connections from one client address; more are closed at once."""
    header_timeout: float = limits.HEADER_TIMEOUT
    """Seconds a connection may take to send a request's line and headers."""
    body_timeout: float = limits.BODY_TIMEOUT
    """Seconds a whole request body may take to arrive."""
    body_read_timeout: float = limits.BODY_READ_TIMEOUT
    """Seconds of silence allowed while a request body is read."""
    keep_alive_timeout: float = limits.KEEP_ALIVE_TIMEOUT
    """Seconds an idle keep-alive connection stays open."""
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


def _short_token(file: str | None, key: str) -> UsageError:
    return UsageError(Problem(f"the token must be at least {limits.MIN_TOKEN_LENGTH} "
                              "characters", file=file, key=key))


def read_token(token_file: Path | None) -> str | None:
    """The token from ``token_file`` (first line, stripped) or else from :data:`TOKEN_ENV`;
    from either, a token shorter than MIN_TOKEN_LENGTH is refused."""
    if token_file is not None:
        try:
            text = token_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise UsageError(Problem(f"cannot be read: {reason}", file=str(token_file),
                                     key="--token-file")) from None
        token = text.strip().splitlines()[0].strip() if text.strip() else ""
        if len(token) < limits.MIN_TOKEN_LENGTH:
            raise _short_token(str(token_file), "--token-file")
        return token
    token = (os.environ.get(TOKEN_ENV) or "").strip()
    if not token:
        return None
    if len(token) < limits.MIN_TOKEN_LENGTH:
        raise _short_token(None, TOKEN_ENV)
    return token


def loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost`` (nothing else can connect)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, token: str | None, accept_risk: bool) -> None:
    """Refuse to listen beyond this machine without a token, unless the operator says a proxy
    in front authenticates (``--insecure-no-token``)."""
    if token is None and not loopback(host) and not accept_risk:
        raise UsageError(Problem(
            f"listening on {host} without a token lets anyone on the network use the server; "
            f"give --token-file (or {TOKEN_ENV}), or --insecure-no-token when a proxy in front "
            "authenticates", key="--host"))
