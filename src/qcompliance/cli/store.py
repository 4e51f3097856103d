"""``qcheck store …`` and ``qcheck serve token …``: the workspace from the terminal.

SQLAlchemy is imported only when one of these commands runs (the ``store`` extra).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from qcompliance.cli.common import errors_to_exit_2
from qcompliance.errors import Problem, UsageError
from qcompliance.messages import english

if TYPE_CHECKING:
    from qcompliance.store import Store

__all__ = ["StoreOption", "open_store", "store_app", "token_app"]

STORE_HELP = ("The workspace: a SQLite file path, sqlite:///FILE, postgresql://... or "
              "'default' (the user data folder; also QCHECK_STORE).")
StoreOption = Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
    "--store", help=STORE_HELP)]

store_app = typer.Typer(help="Export, import and back up the workspace (需要 "
                        "qcompliance[store]).", no_args_is_help=True, rich_markup_mode=None)
token_app = typer.Typer(help="Issue and revoke workspace access tokens.",
                        no_args_is_help=True, rich_markup_mode=None)


def open_store(url: str | None) -> Store:
    """The workspace at ``url`` (else QCHECK_STORE, else the default SQLite file), migrated;
    a one-line error when the store extra is missing."""
    try:
        from qcompliance.store import STORE_ENV, Store
    except ImportError as exc:
        raise UsageError(Problem(english("cli.needs_extra", name=exc.name,
                                         extra="qcompliance[store]"),
                                 key="--store")) from None
    return Store(url or os.environ.get(STORE_ENV) or None)


@token_app.command("create")
def token_create(
    company: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--company", help="A company token: it sees only this company (its credit code).")
                       ] = None,
    role: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--role", help="admin or consultant (default: company with --company, else "
        "consultant).")] = None,
    label: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--label", help="Who the token is for (kept beside it).")] = None,
    store: StoreOption = None,
) -> None:
    """Issue a token and print it once: only its sha256 is kept."""
    with errors_to_exit_2():
        from qcompliance.store.tokens import create_token

        chosen = role or ("company" if company else "consultant")
        if chosen not in ("admin", "consultant", "company"):
            raise UsageError(Problem(english("store.role"), key="--role"))
        opened = open_store(store)
        try:
            token = create_token(opened, chosen, company, label)  # type: ignore[arg-type]
        finally:
            opened.close()
        typer.echo(token)


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token to revoke.")],
    store: StoreOption = None,
) -> None:
    """Forget a token: requests with it are refused from now on."""
    with errors_to_exit_2():
        from qcompliance.store.tokens import revoke_token

        opened = open_store(store)
        try:
            known = revoke_token(opened, token)
        finally:
            opened.close()
        if not known:
            raise UsageError(Problem(english("store.no_token"), key="token"))


@store_app.command("export")
def store_export(
    folder: Annotated[Path, typer.Argument(help="An empty or new folder.")],
    store: StoreOption = None,
) -> None:
    """Write the whole workspace to files: profiles as sent (TOML/JSON), assessments as JSON,
    the plans, evidence files, and a manifest with every file's sha256."""
    with errors_to_exit_2():
        from qcompliance.store.transfer import export_workspace

        opened = open_store(store)
        try:
            manifest = export_workspace(opened, folder)
        finally:
            opened.close()
        typer.echo(f"{folder}: {len(manifest['companies'])} companies, "
                   f"{len(manifest['files'])} files", err=True)


@store_app.command("import")
def store_import(
    folder: Annotated[Path, typer.Argument(help="A folder written by qcheck store export.")],
    store: StoreOption = None,
) -> None:
    """Read an export into an empty workspace (one transaction; sha256 of every file checked)."""
    with errors_to_exit_2():
        from qcompliance.store.transfer import import_workspace

        opened = open_store(store)
        try:
            count = import_workspace(opened, folder)
        finally:
            opened.close()
        typer.echo(f"{folder}: {count} companies imported", err=True)


@store_app.command("backup")
def store_backup(
    target: Annotated[Path, typer.Argument(help="The backup file to write (new).")],
    store: StoreOption = None,
) -> None:
    """Copy a SQLite workspace while the server runs (SQLite's online backup API)."""
    with errors_to_exit_2():
        from qcompliance.store.backup import backup_sqlite

        opened = open_store(store)
        try:
            pages = backup_sqlite(opened, target)
        finally:
            opened.close()
        typer.echo(f"{target}: {pages} pages", err=True)


@store_app.command("info")
def store_info(store: StoreOption = None) -> None:
    """Where the workspace is, its schema revision, and how many companies it keeps."""
    with errors_to_exit_2():
        from qcompliance.store.db import current_revision

        opened = open_store(store)
        try:
            typer.echo(f"{opened.engine.url.render_as_string(hide_password=True)}\n"
                       f"schema {current_revision(opened.engine)}, "
                       f"{len(opened.company_names())} companies")
        finally:
            opened.close()
