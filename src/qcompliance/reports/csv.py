"""The remediation plan as CSV: one row per gap with its due date, and empty owner and status
columns.

The text starts with a byte-order mark so that Excel opens it as UTF-8 and shows the Chinese;
rows end in CRLF (RFC 4180). A cell that a spreadsheet would read as a formula (it starts with
``=``, ``+``, ``-`` or ``@``) is prefixed with an apostrophe, so opening the file runs nothing.
"""

from __future__ import annotations

import csv
import io

from qcompliance.engine.due import DueConfig
from qcompliance.model import Assessment, Lang
from qcompliance.reports.plan import remediation_plan

__all__ = ["render_csv"]

BOM = "\ufeff"
"""The byte-order mark the text starts with, so that Excel reads it as UTF-8."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(assessment: Assessment, lang: Lang = "zh", *,
               config: DueConfig | None = None) -> str:
    """The remediation plan as CSV text, beginning with a UTF-8 byte-order mark."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([_cell(c) for c in row]
                     for row in remediation_plan(assessment, lang, config))
    return BOM + buffer.getvalue()
