"""The gap report as an A4 PDF: the HTML report laid out for paper by WeasyPrint.

WeasyPrint implements CSS paged media without a browser (``@page`` margin boxes for the
running header and page numbers, ``orphans``/``widows``, ``break-inside``) and embeds subsets
of the fonts it uses, so the CJK text (Noto Sans CJK from the system) travels with the file.
It is an optional dependency (the ``pdf`` extra) and needs Pango from the system; without it
the writer raises one clear :class:`~qcompliance.errors.UsageError` (exit 2 in the CLI).
See docs/reports.md for why WeasyPrint rather than a headless browser.
"""

from __future__ import annotations

import io
import logging

from qcompliance.engine.due import DueConfig
from qcompliance.errors import Problem, UsageError
from qcompliance.model import Assessment, Lang

__all__ = ["html_to_pdf", "render_pdf"]

_MISSING = ("PDF output needs WeasyPrint and Pango: pip install 'qcompliance[pdf]' and the "
            "system packages named in the README (libpango-1.0-0, fonts-noto-cjk)")


def html_to_pdf(page: str) -> bytes:
    """An HTML document (self-contained, no external resources) as PDF bytes."""
    try:
        import weasyprint  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except (ImportError, OSError):  # OSError: the Python package is there, Pango is not
        raise UsageError(Problem(_MISSING, key="--format")) from None
    # WeasyPrint logs every CSS property it does not know (the screen-only ones) as a warning.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    out = io.BytesIO()
    weasyprint.HTML(string=page, url_fetcher=_no_fetch).write_pdf(out)
    return out.getvalue()


def _no_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, object]:
    """The report is self-contained: nothing is fetched, not even a file next to it."""
    raise ValueError(f"not fetched: {url[:80]}")


def render_pdf(assessment: Assessment, lang: Lang = "zh", *, appendix: bool = False,
               config: DueConfig | None = None) -> bytes:
    """The gap report as an A4 PDF with a running header, page numbers and embedded fonts."""
    from qcompliance.reports.html import render_html

    return html_to_pdf(render_html(assessment, lang, appendix=appendix, config=config))
