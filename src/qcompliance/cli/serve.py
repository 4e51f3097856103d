"""``qcheck serve``: run the HTTP API and the browser self-check.

Starlette and uvicorn are imported only when the command runs (the ``serve`` extra), so
``qcheck --version`` and every other command never load them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from qcompliance import limits
from qcompliance.cli.common import errors_to_exit_2
from qcompliance.cli.store import open_store, token_app
from qcompliance.errors import Problem, UsageError
from qcompliance.messages import english
from qcompliance.model import Assessment

__all__ = ["remote_assessment", "serve", "serve_app"]

serve_app = typer.Typer(invoke_without_command=True, rich_markup_mode=None,
                        help="Serve the engine over HTTP and the self-check in a browser "
                        "(需要 qcompliance[serve]); `serve token create` issues workspace "
                        "tokens.")
serve_app.add_typer(token_app, name="token")


@serve_app.callback()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on (默认仅本机). Any other address needs a token "
        "(--token-file) or --insecure-no-token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Worker processes (each compiles the checklists once).")] = 1,
    checklist: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045 - typer needs Optional
        "--checklist", "-c", help="Checklist id or file to serve; repeatable. Default: every "
        "built-in checklist.")] = None,
    token_file: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
        "--token-file", help="Require this bearer token (first line of the file); else the "
        "QCHECK_TOKEN environment variable, if set.")] = None,
    max_body: Annotated[int, typer.Option(
        "--max-body", help="Largest request body in bytes.")] = 1_000_000,
    max_batch_body: Annotated[int, typer.Option(
        "--max-batch-body", help="Largest /v1/batch body in bytes.")] = 50_000_000,
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Per-request time limit of an evaluation, seconds.")] = 30.0,
    concurrency: Annotated[int, typer.Option(
        "--concurrency", min=1, help="Evaluations at once per worker.")] = 8,
    max_connections: Annotated[int, typer.Option(
        "--max-connections", min=1, help="Open connections per worker beyond which the "
        "server answers 503.")] = 200,
    max_batch_lines: Annotated[int, typer.Option(
        "--max-batch-lines", min=1, help="Most lines of one /v1/batch body.")
                               ] = limits.MAX_BATCH_LINES,
    batch_timeout: Annotated[float, typer.Option(
        "--batch-timeout", help="Time limit of a whole /v1/batch request, seconds.")
                             ] = limits.BATCH_TIMEOUT,
    client_concurrency: Annotated[int, typer.Option(
        "--client-concurrency", min=1, help="Evaluations at once per client address; its "
        "others wait.")] = 4,
    max_client_connections: Annotated[int, typer.Option(
        "--max-client-connections", min=1, help="Open connections per client address.")
                                      ] = limits.MAX_CONNECTIONS_PER_CLIENT,
    header_timeout: Annotated[float, typer.Option(
        "--header-timeout", help="Seconds a client may take to send a request's headers.")
                              ] = limits.HEADER_TIMEOUT,
    body_timeout: Annotated[float, typer.Option(
        "--body-timeout", help="Seconds a request body may take to arrive.")
                            ] = limits.BODY_TIMEOUT,
    insecure_no_token: Annotated[bool, typer.Option(
        "--insecure-no-token", help="Listen beyond this machine without a token (only when a "
        "proxy in front authenticates).")] = False,
    cors_origin: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045 - typer needs Optional
        "--cors-origin", help="Allow this browser origin (CORS); repeatable. Default: off.")
                           ] = None,
    access_log: Annotated[bool, typer.Option(
        "--access-log/--no-access-log", help="JSON access log on stderr.")] = True,
    locked: Annotated[bool, typer.Option(
        "--locked", help="Serve exactly the packs pinned in the lock file (pulled first with "
        "qcheck pull; never fetched here).")] = False,
    lock_file: Annotated[Path, typer.Option(
        "--lock-file", help="The lock file read with --locked.")] = Path("qcompliance.lock"),
    cache_dir: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
        "--cache-dir", help="The pack cache (default: the registry's).")] = None,
    store: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--store", help="Keep a workspace in this database: a SQLite file path, "
        "sqlite:///FILE, postgresql://... or 'default' (the user data folder). Needs "
        "qcompliance[store]; every request then needs a token (qcheck serve token create).")
                      ] = None,
    max_evidence: Annotated[int, typer.Option(
        "--max-evidence", help="Largest evidence upload in bytes (with --store).")
                            ] = 20_000_000,
) -> None:
    """Serve the engine over HTTP and the self-check in a browser (需要 qcompliance[serve])."""
    if ctx.invoked_subcommand is not None:
        return
    with errors_to_exit_2():
        try:
            # Imported here, not at the top: only this command needs the serve extra.
            from qcompliance.server.config import ServerConfig, check_exposure, read_token
            from qcompliance.server.run import serve as run_server
        except ImportError as exc:
            raise UsageError(Problem(english("cli.needs_extra", name=exc.name,
                                             extra="qcompliance[serve]"),
                                     key="serve")) from None
        token = read_token(token_file)
        check_exposure(host, token, insecure_no_token)
        config = ServerConfig(
            host=host, port=port, workers=workers, checklists=tuple(checklist or ()),
            max_body_bytes=max_body, max_batch_bytes=max_batch_body, timeout_seconds=timeout,
            concurrency=concurrency, max_connections=max_connections,
            max_batch_lines=max_batch_lines, batch_timeout_seconds=batch_timeout,
            client_concurrency=client_concurrency, max_client_connections=max_client_connections,
            header_timeout=header_timeout, body_timeout=body_timeout,
            token=token,
            cors_origins=tuple(cors_origin or ()), access_log=access_log,
            lock_file=str(lock_file) if locked else None,
            cache_dir=str(cache_dir) if cache_dir is not None else None,
            store=_store_url(store), max_evidence_bytes=max_evidence)
        if workers > 1:  # workers compile on their own; fail here, before the port opens
            from qcompliance.server.app import served_checklists

            served_checklists(config)
        auth = ("workspace " + _shown(config.store) + ", tokens required" if config.store
                else "bearer token required" if config.token else "no authentication")
        typer.echo(f"qcheck serve: http://{host}:{port}/ ({workers} worker(s), {auth})",
                   err=True)
        run_server(config)


def _store_url(store: str | None) -> str | None:
    """The workspace URL, opened (and migrated) here so a bad one fails before the port."""
    if store is None:
        return None
    opened = open_store(store)
    url = opened.engine.url.render_as_string(hide_password=False)
    opened.close()
    return url


def _shown(url: str) -> str:
    """A URL for the terminal, without its password."""
    head, sep, tail = url.partition("@")
    if sep and ":" in head.split("//", 1)[-1]:
        return head.rsplit(":", 1)[0] + ":***@" + tail
    return url


def remote_assessment(server: str, profile: Path, checklists: list[str] | None,
                      day: dt.date, tailoring: Path | None, waivers: Path | None,
                      include_inapplicable: bool = False, insecure_http: bool = False
                      ) -> Assessment:
    """``qcheck run --server URL``: the same evaluation, done by a ``qcheck serve``."""
    from qcompliance.client import Client  # httpx: only when used, as for pull and --post

    with Client(server, allow_plain_http=insecure_http) as client:
        return client.assess(profile, as_of=day, checklists=checklists or (),
                             tailoring=tailoring, waivers=waivers,
                             include_inapplicable=include_inapplicable)
