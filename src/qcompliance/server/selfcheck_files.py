"""The browser self-check's files: the page itself, record templates and uploaded records.

The page is a few files under ``static/`` (HTML, CSS, JavaScript) put together once at start
into one document, so its Content-Security-Policy can allow exactly its own script by hash.
Uploaded record sheets are read by the same bounded readers as ``qcheck profile init``
(:func:`qcompliance.selfcheck.read_records_data`), in memory, and sent back as table rows for
the person to check before answering.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import FactSpec, FactType, Lang
from qcompliance.selfcheck import read_records_data, records_template
from qcompliance.selfcheck.quick import QUICK_QUESTIONS

__all__ = ["MAX_UPLOAD_BYTES", "MAX_UPLOAD_ROWS", "page_document", "template_file",
           "uploaded_rows"]

_STATIC = Path(__file__).with_name("static")
_SCRIPTS = ("texts.js", "app.js", "ask.js", "records.js", "result.js")
"""The page's script in parts, joined in this order into its one inline script."""
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""The largest records file the page may upload (a year of daily checks is far smaller)."""
MAX_UPLOAD_ROWS = 2000
"""The most records one upload may hold."""


def page_document() -> tuple[bytes, str]:
    """The page (HTML with its style and script inlined) and its Content-Security-Policy."""
    html = (_STATIC / "selfcheck.html").read_text(encoding="utf-8")
    style = (_STATIC / "selfcheck.css").read_text(encoding="utf-8")
    script = "\n".join((_STATIC / name).read_text(encoding="utf-8") for name in _SCRIPTS)
    # The start page states the quick self-check's budget: the one constant, not a copy.
    script = script.replace('"use strict";', '"use strict";\n'
                            f"const QUICK_QUESTIONS = {QUICK_QUESTIONS};", 1)
    html = html.replace("<!-- style -->", f"<style>\n{style}</style>")
    html = html.replace("<!-- script -->", f"<script>\n{script}</script>")
    digest = base64.b64encode(hashlib.sha256(f"\n{script}".encode()).digest()).decode("ascii")
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
           "img-src data:; connect-src 'self'; form-action 'none'; base-uri 'none'; "
           "frame-ancestors 'none'")
    return html.encode("utf-8"), csp


def _records_spec(checklists: ChecklistSet, key: object) -> FactSpec:
    spec = checklists.facts.get(key) if isinstance(key, str) else None
    if spec is None or spec.type is not FactType.RECORDS:
        raise UsageError(Problem("must name a records fact", key="key"))
    return spec


def template_file(checklists: ChecklistSet, key: str, fmt: str, lang: Lang
                  ) -> tuple[bytes, str]:
    """The empty CSV or XLSX form of a records fact, and its file name."""
    if fmt not in ("csv", "xlsx"):
        raise UsageError(Problem("must be csv or xlsx", key="format"))
    form: Literal["csv", "xlsx"] = "csv" if fmt == "csv" else "xlsx"
    spec = _records_spec(checklists, key)
    return records_template(spec, form, lang=lang), f"{spec.key}.{form}"


def _cell_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def uploaded_rows(checklists: ChecklistSet, data: Mapping[str, object], as_of: dt.date,
                  lang: Lang) -> dict[str, object]:
    """The rows of an uploaded CSV or XLSX records file, cells as the table shows them.

    ``data``: ``key`` (the records fact), ``name`` (the file name, for its type) and
    ``content`` (the file, base64). Raises the readers' errors (file, row, column, field).
    """
    spec = _records_spec(checklists, data.get("key"))
    name, content = data.get("name"), data.get("content")
    if not isinstance(name, str) or not isinstance(content, str):
        raise UsageError(Problem("name and content (base64) must be strings", key="content"))
    if len(content) > MAX_UPLOAD_BYTES * 4 // 3 + 4:
        raise UsageError(Problem(f"the file is larger than {MAX_UPLOAD_BYTES // 1024} KiB",
                                 key="content"))
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise UsageError(Problem("must be base64", key="content")) from None
    records = read_records_data(raw, Path(name).name, spec, as_of=as_of, lang=lang,
                                max_rows=MAX_UPLOAD_ROWS)
    return {"rows": [{k: _cell_text(v) for k, v in r.items()} for r in records]}
