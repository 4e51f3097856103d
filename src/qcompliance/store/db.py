"""Opening a workspace database: the URL, SQLite's settings, and migrating to the newest schema.

A URL is a SQLAlchemy URL or a plain file path (a SQLite file); ``postgresql://`` means
psycopg 3. The default is one SQLite file in the user data folder, created on first use.
SQLite runs in WAL mode (readers never wait for the writer) with foreign keys on and a busy
timeout, so a server and a ``qcheck run --store`` can share the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from qcompliance.errors import Problem, UsageError

__all__ = ["STORE_ENV", "WRITE", "current_revision", "default_url", "head_revision", "migrate",
           "normalize_url", "open_engine", "revisions"]

STORE_ENV = "QCHECK_STORE"
"""Environment variable naming the workspace when ``--store`` is given without a value."""


def default_url() -> str:
    """The SQLite file in the user data folder (the folder is created here)."""
    folder = Path(platformdirs.user_data_dir("qcompliance", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'workspace.sqlite3'}"


def normalize_url(url: str | None) -> str:
    """A SQLAlchemy URL for ``url``: the default when empty, a path as a SQLite file,
    ``postgresql://`` through psycopg 3."""
    if not url or url == "default":
        return default_url()
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # The driver's own transaction handling off: SQLAlchemy's "begin" below says BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


WRITE = "qcheck_write"
"""Execution option marking a connection that writes (see :func:`_begin`)."""


def _begin(connection: Any) -> None:
    # A writer takes the write lock when its transaction starts, not on its first write: two
    # writers then queue on the busy timeout instead of one failing with "database is
    # locked" mid-way. Readers begin deferred and, in WAL mode, never wait for a writer.
    immediate = connection.get_execution_options().get(WRITE)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _config(engine_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "qcompliance.store:migrations")
    config.set_main_option("sqlalchemy.url", engine_url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest schema revision this version of qcompliance knows."""
    head = ScriptDirectory.from_config(_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def revisions() -> list[str]:
    """Every schema revision this version of qcompliance knows, oldest first."""
    script = ScriptDirectory.from_config(_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default), in one transaction."""
    with engine.connect() as plain, plain.execution_options(**{WRITE: True}).begin():
        connection = plain
        config = _config(str(engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_engine(url: str | None = None, *, upgrade: bool = True) -> Engine:
    """An engine for the workspace at ``url``, migrated to the newest schema unless told not
    to. A database newer than this qcompliance is refused rather than touched."""
    full = normalize_url(url)
    try:
        parsed = make_url(full)
    except ArgumentError:
        raise UsageError(Problem(f"not a database URL: {url}", key="--store")) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Connections are kept open (pooled): closing the last one would checkpoint the WAL
        # on every write. Several processes may hold the file open at once in WAL mode.
        kwargs["pool_size"] = 4
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except ImportError as exc:
        raise UsageError(Problem(f"needs {exc.name}: pip install 'qcompliance[store]'",
                                 key="--store")) from None
    except (NoSuchModuleError, ArgumentError) as exc:
        raise UsageError(Problem(f"not a database qcheck can use: {exc}", key="--store")
                         ) from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
    if upgrade:
        try:
            _upgrade(engine, parsed.render_as_string(hide_password=True))
        except BaseException:
            engine.dispose()  # no connection left open behind a refusal
            raise
    return engine


def _upgrade(engine: Engine, shown: str) -> None:
    """Migrate to the newest revision unless the database is newer than this code."""
    try:
        at = current_revision(engine)
    except OperationalError as exc:
        reason = " ".join(str(exc.orig).split())  # one line, whatever the driver says
        raise UsageError(Problem(f"cannot open the workspace: {reason}", file=shown,
                                 key="--store")) from None
    head = head_revision()
    if at is not None and at != head and at not in revisions():
        raise UsageError(Problem(
            f"the workspace is at schema {at}, newer than this qcompliance knows; "
            "upgrade qcompliance", file=shown))
    if at != head:
        migrate(engine)
