"""The batch's streamed outputs: the summary (CSV or JSON Lines) and the assessments (JSON Lines).

Rows are written as companies finish, so memory stays flat; each file is written to a temporary
file beside its target and renamed over it only when the batch completes (``AtomicFile``), so an
interrupted batch never leaves a half-written summary where a complete one was.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from qcompliance.batch.work import Outcome
from qcompliance.errors import OutputError, Problem, UsageError
from qcompliance.model import Level
from qcompliance.textsafe import neutralise

__all__ = ["AssessmentsWriter", "AtomicFile", "SummaryWriter", "summary_header", "summary_row"]

_BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class AtomicFile:
    """A text file written through a temporary file and renamed into place on success.

    Use as a context manager: leaving it by an exception removes the temporary file and leaves
    the target as it was.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        folder = self.path.parent if str(self.path.parent) else Path(".")
        if not folder.is_dir():
            raise UsageError(Problem("its folder does not exist", file=str(self.path)))
        with contextlib.suppress(FileNotFoundError):
            mode = self.path.stat().st_mode
            if stat.S_ISDIR(mode):
                raise OutputError(Problem("is a directory", file=str(self.path)))
            # By its mode bits, as write_atomic does: a protected file stays, even for root.
            if not mode & 0o222:
                raise OutputError(Problem("is read-only; remove it or choose another name",
                                          file=str(self.path)))
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        self._tmp = Path(tmp)
        self.handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()

    def commit(self) -> None:
        """Flush, fsync and rename the temporary file over the target."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        mode = self.path.stat().st_mode & 0o7777 if self.path.exists() else 0o644
        os.chmod(self._tmp, mode)
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        """Close and remove the temporary file."""
        self.handle.close()
        self._tmp.unlink(missing_ok=True)


def summary_header(checklist_ids: Sequence[str]) -> list[str]:
    """The summary's columns: who (the caller's id, external id and labels), where, the error
    if any, scores, counts, mandatory failures."""
    return [
        "id", "external_id", "metadata", "source", "line", "name", "credit_code", "error_key",
        "error", "score", "coverage",
        *(f"score.{level.value}" for level in Level),
        *(f"score.{cid}" for cid in checklist_ids),
        "failed", "unknown", "mandatory_failures",
    ]


def _error_text(outcome: Outcome) -> str | None:
    if outcome.problem is None:
        return None
    more = outcome.problem_count - 1
    return outcome.problem.message + (f" (and {more} more problem{'s' if more > 1 else ''})"
                                       if more > 0 else "")


def summary_row(outcome: Outcome, checklist_ids: Sequence[str]) -> dict[str, object]:
    """One company's summary row as JSON-ready data, keyed by :func:`summary_header`."""
    loaded = outcome.problem is None
    row: dict[str, object] = {
        "id": outcome.ident,
        "external_id": outcome.external_id,
        "metadata": dict(outcome.metadata),
        "source": outcome.origin if outcome.problem is None or outcome.problem.file is None
        else outcome.problem.file,
        "line": outcome.line if outcome.problem is None else outcome.problem.line or outcome.line,
        "name": outcome.name,
        "credit_code": outcome.credit_code,
        "error_key": None if outcome.problem is None else outcome.problem.key,
        "error": _error_text(outcome),
        "score": outcome.score,
        "coverage": outcome.coverage,
    }
    for level in Level:
        row[f"score.{level.value}"] = outcome.by_level.get(level.value)
    for cid in checklist_ids:
        row[f"score.{cid}"] = outcome.by_checklist.get(cid)
    row["failed"] = outcome.failed if loaded else None
    row["unknown"] = outcome.unknown if loaded else None
    row["mandatory_failures"] = list(outcome.mandatory_failures)
    return row


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # the caller's labels: a JSON object, empty when none
        value = json.dumps(value, ensure_ascii=False) if value else ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _neutralised(value: object) -> object:
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dict):
        return {neutralise(str(k)): _neutralised(v) for k, v in value.items()}
    return value


class SummaryWriter:
    """Writes summary rows as CSV (UTF-8 with BOM in a file, for Excel) or JSON Lines."""

    def __init__(self, path: str | Path, checklist_ids: Sequence[str]) -> None:
        suffix = Path(path).suffix.lower()
        if suffix not in (".csv", ".jsonl", ".ndjson"):
            raise UsageError(Problem("the summary must be a .csv or .jsonl file", file=str(path),
                                     key="--summary"))
        self.file: AtomicFile | None = AtomicFile(path)
        self._start(self.file.handle, checklist_ids, as_csv=suffix == ".csv", bom=True)

    @classmethod
    def stream(cls, handle: IO[str], checklist_ids: Sequence[str], *, as_csv: bool = True
               ) -> SummaryWriter:
        """A writer to an open text stream (stdout), without a BOM."""
        writer = cls.__new__(cls)
        writer.file = None
        writer._start(handle, checklist_ids, as_csv=as_csv, bom=False)
        # A terminal shows escape sequences in a company name as escapes, never obeys them.
        writer._terminal = handle.isatty()
        return writer

    def _start(self, handle: IO[str], checklist_ids: Sequence[str], *, as_csv: bool,
               bom: bool) -> None:
        self.handle = handle
        self._terminal = False
        self.checklist_ids = list(checklist_ids)
        self._csv = None
        if as_csv:
            if bom:
                handle.write(_BOM)
            self._csv = csv.writer(handle, lineterminator="\r\n")
            self._csv.writerow(summary_header(self.checklist_ids))

    def write(self, outcome: Outcome) -> None:
        """Append one company's row."""
        row = summary_row(outcome, self.checklist_ids)
        if self._terminal:
            row = {k: _neutralised(v) for k, v in row.items()}
        if self._csv is not None:
            self._csv.writerow([_csv_cell(v) for v in row.values()])
        else:
            self.handle.write(json.dumps(row, ensure_ascii=False) + "\n")


class AssessmentsWriter:
    """Writes one assessment document per line (companies that did not load are left out)."""

    def __init__(self, path: str | Path) -> None:
        if Path(path).suffix.lower() not in (".jsonl", ".ndjson"):
            raise UsageError(Problem("the assessments file must be .jsonl", file=str(path),
                                     key="--assessments"))
        self.file = AtomicFile(path)

    def write(self, outcome: Outcome) -> None:
        """Append the company's assessment, if it has one."""
        if outcome.assessment is not None:
            self.file.handle.write(outcome.assessment + "\n")

