"""Bounded readers for batch inputs: regular files only, lines of limited length, JSON Lines
lines parsed with the profile loader's own bounds, XLSX archives checked before they unzip.

Nothing here holds more than one line (of at most MAX_LINE_BYTES) at a time; the limits are in
:mod:`qcompliance.limits`.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from qcompliance.errors import ParseError, Problem, QComplianceError, UsageError
from qcompliance.limits import BATCH_LIMITS, MAX_LINE_BYTES, MIB, BatchLimits
from qcompliance.loading.fastjson import parse_plain_object
from qcompliance.loading.load import Document, check_data, decode_text, parse_json

__all__ = [
    "bounded_lines",
    "check_xlsx",
    "open_regular",
    "parse_line",
    "require_regular",
    "too_long",
]



def too_long(limit: int) -> str:
    """The error of a line longer than ``limit`` bytes."""
    return f"the line is longer than {_size(limit)}"

_SKIP = 64 * 1024


def require_regular(path: Path, key: str = "INPUT") -> None:
    """A UsageError at once unless ``path`` is a regular file (after links): a FIFO would block
    forever and ``/dev/zero`` never ends."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UsageError(Problem("no such file or folder", file=str(path), key=key)) from None
    except OSError as exc:
        raise UsageError(Problem(f"cannot be read: {exc.strerror}", file=str(path), key=key)
                         ) from None
    if not stat.S_ISREG(mode):
        raise UsageError(Problem("is not a regular file (a device, pipe or socket)",
                                 file=str(path), key=key))


def open_regular(path: Path, key: str = "INPUT") -> IO[bytes]:
    """``path`` opened for binary reading, checked again on the open handle to be a regular
    file (it may have been swapped since :func:`require_regular`); never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UsageError(Problem(f"cannot be read: {exc.strerror}", file=str(path), key=key)
                         ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UsageError(Problem("is not a regular file (a device, pipe or socket)",
                                 file=str(path), key=key))
    return os.fdopen(fd, "rb")


def bounded_lines(handle: IO[bytes], limit: int = MAX_LINE_BYTES
                  ) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` for each line of ``handle`` (1-based, the newline kept); ``None``
    for a line longer than ``limit`` bytes, which is skipped in small reads, never held."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(_SKIP)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line


def parse_line(raw: bytes | None, origin: str, number: int, limit: int = MAX_LINE_BYTES
               ) -> tuple[dict[str, object] | None, Problem | None]:
    """One JSON Lines line as a profile mapping, or the problem that makes it none: too long,
    not UTF-8, not JSON, a duplicate key, nested too deep, a number out of range, a lone
    surrogate, not an object. Problems name ``origin`` and line ``number``; ``raw`` is None for
    a line longer than ``limit``."""
    if raw is None:
        return None, Problem(too_long(limit), file=origin, line=number)
    if number == 1:
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    plain = parse_plain_object(raw)
    if plain is not None:
        return plain, None
    try:
        text = decode_text(raw, origin)
        data = parse_json(text, origin)
        if not isinstance(data, dict):
            return None, Problem("each line must be a JSON object (one profile)", file=origin,
                                 line=number)
        check_data(data, Document(data, origin, None, "mapping", "").problem)
    except QComplianceError as exc:
        first = exc.first
        return None, Problem(first.message, file=origin, line=number, key=first.key,
                             column=first.column)
    return data, None


def check_xlsx(path: Path, limits: BatchLimits = BATCH_LIMITS) -> None:
    """Refuse a workbook whose parts would unzip past the limits, before openpyxl reads it.

    The sizes are the ones the archive declares; :mod:`zipfile` never inflates a part past its
    declared size (and fails its CRC check when the data would go on), so they are a bound.
    """
    origin = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(Problem(f"not a readable xlsx workbook ({type(exc).__name__})",
                                 file=origin)) from None
    total = 0
    for info in members:
        strings = info.filename.lower().endswith("sharedstrings.xml")
        limit = limits.strings_bytes if strings else limits.part_bytes
        if info.file_size > limit:
            raise ParseError(Problem(f"a part of the workbook unzips to more than "
                                     f"{_size(limit)} (--max-workbook-bytes)", file=origin,
                                     key=info.filename))
        total += info.file_size
    if total > limits.workbook_bytes:
        raise ParseError(Problem(f"the workbook unzips to more than "
                                 f"{_size(limits.workbook_bytes)} (--max-workbook-bytes)",
                                 file=origin))


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit} bytes"

