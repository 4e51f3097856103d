"""Report writers: one module per format, one interface.

A writer takes an :class:`~qcompliance.model.Assessment` and a language and returns the
rendered text (or bytes, for binary formats). Writers never re-evaluate; the CLI decides where
the output goes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from qcompliance.model import Assessment, Lang

__all__ = ["WRITERS", "Writer", "plan_calendar", "render"]

Writer = Callable[[Assessment, Lang], "str | bytes"]


def _lazy(module: str, function: str) -> Writer:
    """A writer that imports its module on first use, so that importing qcompliance does not
    load Jinja2, rich or openpyxl for formats nobody asked for."""

    def write(assessment: Assessment, lang: Lang) -> str | bytes:
        writer: Writer = getattr(importlib.import_module(f"qcompliance.reports.{module}"),
                                 function)
        return writer(assessment, lang)

    return write


WRITERS: dict[str, Writer] = {
    "json": _lazy("json", "render_json"),
    "table": _lazy("table", "render_table"),
    "markdown": _lazy("markdown", "render_markdown"),
    "html": _lazy("html", "render_html"),
    "csv": _lazy("csv", "render_csv"),
    "xlsx": _lazy("xlsx", "render_xlsx"),
    "junit": _lazy("junit", "render_junit"),
    "ics": _lazy("ics", "render_ics"),
    "oscal": _lazy("oscal", "render_oscal"),
}
"""Every output format by name."""


def render(assessment: Assessment, fmt: str, lang: Lang = "zh") -> str | bytes:
    """Render ``assessment`` in format ``fmt`` (a key of :data:`WRITERS`)."""
    return WRITERS[fmt](assessment, lang)


def plan_calendar(data: bytes, origin: str) -> tuple[str, int, int]:
    """A filled-in remediation plan (xlsx bytes) as a calendar: see
    :func:`qcompliance.reports.plan_ics.plan_to_ics` (loaded on use: it needs openpyxl)."""
    module = importlib.import_module("qcompliance.reports.plan_ics")
    result: tuple[str, int, int] = module.plan_to_ics(data, origin)
    return result
