"""Every bound on what qcompliance reads, in one place (docs/security.md lists them).

Each input path — profile and checklist files, batch inputs of every kind, HTTP request bodies
and their lines, rule-pack indexes and archives, answers of a QMS endpoint — is bounded in
bytes read, bytes decoded, rows, nesting and wall time by the constants below. The server's
bounds are the defaults of :class:`qcompliance.server.config.ServerConfig` and can be raised
with ``qcheck serve`` options; a batch input's line and workbook bounds with ``qcheck batch``
options (:class:`BatchLimits`); the others are fixed on purpose, far above any real input.
"""

from __future__ import annotations

import attrs

__all__ = [
    "BATCH_TIMEOUT",
    "BODY_READ_TIMEOUT",
    "BODY_TIMEOUT",
    "HEADER_TIMEOUT",
    "KEEP_ALIVE_TIMEOUT",
    "MAX_BATCH_BYTES",
    "MAX_BATCH_LINES",
    "MAX_BATCH_LINE_BYTES",
    "MAX_BODY_BYTES",
    "MAX_COLUMNS",
    "MAX_CONNECTIONS",
    "MAX_CONNECTIONS_PER_CLIENT",
    "MAX_DECODED_BYTES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_HEADER_BYTES",
    "MAX_LINE_BYTES",
    "MAX_ROWS",
    "MAX_XLSX_MEMBER_BYTES",
    "MAX_XLSX_STRINGS_BYTES",
    "MAX_XLSX_TOTAL_BYTES",
    "MIB",
    "MIN_TOKEN_LENGTH",
    "PULL_DEADLINE",
    "SPOOL_MEMORY_BYTES",
    "BatchLimits",
]

MIB = 1024 * 1024
"""A mebibyte."""

# Files and documents.
MAX_FILE_BYTES = 32 * MIB
"""The largest profile, checklist, tailoring, waivers or assessment file (or body) parsed."""
MAX_DEPTH = 32
"""The deepest nesting of tables and lists in any parsed input (real ones need 6)."""

# Batch inputs (JSON Lines, CSV, XLSX) and /v1/batch lines.
MAX_LINE_BYTES = 4 * MIB
"""The longest JSON Lines line or CSV line (``--max-line-bytes``); a longer one is an error
row (or, in CSV, an error), and is never held whole in memory."""
MAX_ROWS = 1_048_576
"""The most rows read from one CSV file or sheet (Excel's own limit)."""
MAX_COLUMNS = 4096
"""The most columns of a CSV or XLSX header (a questionnaire of every fact has a few hundred)."""
MAX_XLSX_TOTAL_BYTES = 512 * MIB
"""The largest XLSX workbook once unzipped, all parts together (``--max-workbook-bytes``)."""
MAX_XLSX_MEMBER_BYTES = MAX_XLSX_TOTAL_BYTES // 4
"""The largest part of an XLSX workbook once unzipped (a sheet is read as a stream)."""
MAX_XLSX_STRINGS_BYTES = MAX_XLSX_TOTAL_BYTES // 16
"""The largest shared-strings part once unzipped (openpyxl holds it whole in memory)."""

# The server (defaults of ServerConfig; `qcheck serve` options raise them).
MAX_HEADER_BYTES = 16 * 1024
"""The largest request line and headers (h11's incomplete-event limit)."""
HEADER_TIMEOUT = 10.0
"""Seconds a connection may take to send a request's line and headers (slowloris)."""
KEEP_ALIVE_TIMEOUT = 5.0
"""Seconds an idle keep-alive connection is kept open between requests."""
BODY_READ_TIMEOUT = 15.0
"""Seconds of silence allowed while a request body is read."""
BODY_TIMEOUT = 120.0
"""Seconds a whole request body may take to arrive."""
MAX_BODY_BYTES = 1_000_000
"""The largest request body of every endpoint but ``/v1/batch``."""
MAX_BATCH_BYTES = 50_000_000
"""The largest ``/v1/batch`` body (spooled to a temporary file past SPOOL_MEMORY_BYTES)."""
SPOOL_MEMORY_BYTES = 1 * MIB
"""How much of a ``/v1/batch`` body is kept in memory before it goes to a temporary file."""
MAX_BATCH_LINE_BYTES = 1 * MIB
"""The longest line of a ``/v1/batch`` body (files given to ``qcheck batch``: MAX_LINE_BYTES)."""
MAX_BATCH_LINES = 100_000
"""The most lines (blank ones included) of one ``/v1/batch`` body."""
BATCH_TIMEOUT = 900.0
"""Seconds one ``/v1/batch`` request may evaluate before the rest of its lines are refused."""
MAX_CONNECTIONS = 200
"""Open connections (and requests in progress) per worker beyond which uvicorn answers 503."""
MAX_CONNECTIONS_PER_CLIENT = 32
"""Open connections from one client address; more are closed at once."""
MIN_TOKEN_LENGTH = 16
"""The shortest bearer token accepted, from a file or the environment alike."""

# Downloads (rule packs, QMS answers).
PULL_DEADLINE = 300.0
"""Seconds a whole download (every retry included) may take, however the server drips."""
MAX_DECODED_BYTES = 64 * MIB
"""The most bytes a compressed HTTP answer may decode to."""


@attrs.frozen
class BatchLimits:
    """The bounds of one ``qcheck batch`` input (``--max-line-bytes``, ``--max-workbook-bytes``):
    a workbook's parts may each unzip to a quarter of the whole, its shared strings (held whole
    in memory by openpyxl) to a sixteenth."""

    line_bytes: int = MAX_LINE_BYTES
    workbook_bytes: int = MAX_XLSX_TOTAL_BYTES

    @property
    def part_bytes(self) -> int:
        """The largest workbook part once unzipped."""
        return self.workbook_bytes // 4

    @property
    def strings_bytes(self) -> int:
        """The largest shared-strings part once unzipped."""
        return self.workbook_bytes // 16


BATCH_LIMITS = BatchLimits()
"""The default bounds of a ``qcheck batch`` input."""
