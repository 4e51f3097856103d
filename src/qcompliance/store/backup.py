"""A consistent copy of a SQLite workspace while the server runs (SQLite's online backup API).

PostgreSQL has its own tools (``pg_dump``); for either database, ``qcheck store export`` writes
plain files.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qcompliance.errors import Problem, UsageError
from qcompliance.store.repo import Store

__all__ = ["backup_sqlite"]


def backup_sqlite(store: Store, target: Path) -> int:
    """Copy the live SQLite workspace into ``target`` (a new file) page by page, without
    stopping writers; the number of pages copied."""
    if store.dialect != "sqlite" or not store.engine.url.database:
        raise UsageError(Problem("backup copies a SQLite workspace; for PostgreSQL use "
                                 "pg_dump or qcheck store export", key="--store"))
    if target.exists():
        raise UsageError(Problem("already exists; give a new file", file=str(target)))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(store.engine.url.database)
    copy = sqlite3.connect(partial)
    pages = 0
    try:
        def progress(_status: int, remaining: int, total: int) -> None:
            nonlocal pages
            pages = total - remaining

        source.backup(copy, pages=256, progress=progress)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    partial.replace(target)
    return pages
