"""A typed client of the ``qcheck serve`` HTTP API, synchronous and asynchronous, on httpx.

::

    from qcompliance.client import Client

    with Client("http://127.0.0.1:8000", timeout=httpx.Timeout(30, connect=5)) as client:
        assessment = client.assess(Path("profile.toml"), as_of=datetime.date(2026, 11, 20))
        html = client.report(Path("profile.toml"), "html")

Profiles are what :func:`qcompliance.load_profile` takes (a path, a mapping with dates, or a
parsed document; :func:`from_text` for text you hold). Errors come back as the library's own:
a profile that does not fit raises :class:`~qcompliance.errors.InputError` with the server's
problems (file, line, key, message); anything else the server or the network refuses raises
:class:`ServerError`.
"""

from __future__ import annotations

from qcompliance.batch.rows import AssessmentSummary, BatchRow, ChecklistEntry
from qcompliance.client.aio import AsyncClient
from qcompliance.client.calls import (
    TOKEN_ENV,
    ServerError,
    TextFormat,
    View,
    from_text,
)
from qcompliance.client.sync import Client
from qcompliance.loading.load import Document, Input

__all__ = [
    "TOKEN_ENV",
    "AssessmentSummary",
    "AsyncClient",
    "BatchRow",
    "ChecklistEntry",
    "Client",
    "Document",
    "Input",
    "ServerError",
    "TextFormat",
    "View",
    "from_text",
]
