"""Writing output files without ever leaving a half-written one behind."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from qcompliance.errors import OutputError, Problem

__all__ = ["write_atomic"]


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable: without this a power cut can lose the new name."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # some systems (Windows) cannot open a folder; the rename still holds
        return
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder
            os.fsync(fd)
    finally:
        os.close(fd)


def _refuse(target: Path, message: str) -> OutputError:
    return OutputError(Problem(message, file=str(target)))


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync, an atomic rename and an
    fsync of the folder.

    Either the old file stays whole or the new one is complete; a failure never truncates
    what the user had. An OutputError (not an OSError) when the folder is missing or cannot
    be written, when ``path`` is a folder, or when it is an existing read-only file: a file
    the user protected is not silently replaced.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise _refuse(target, "the folder does not exist")
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise _refuse(target, f"cannot be written: {exc.strerror}") from None
    if existing is not None:
        if stat.S_ISDIR(existing.st_mode):
            raise _refuse(target, "is a directory")
        # By its mode bits, not os.access: root may write anything, yet the user's "do not
        # replace this" should hold for root too.
        if not existing.st_mode & 0o222:
            raise _refuse(target, "is read-only; remove it or choose another name")
    if not folder.stat().st_mode & 0o222:
        raise _refuse(target, "the folder is read-only")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _refuse(target, f"cannot be written: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _refuse(target, f"cannot be written: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
