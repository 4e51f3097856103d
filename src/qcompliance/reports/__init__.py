"""Report writers: one module per format, one interface.

A writer takes an :class:`~qcompliance.model.Assessment` and a language and returns the
rendered text (or bytes, for binary formats). The client-facing writers also take
:class:`ReportOptions` (the appendix, the due-date windows). Writers never re-evaluate; the CLI
decides where the output goes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import attrs

from qcompliance.engine.due import DueConfig
from qcompliance.model import Assessment, Lang

__all__ = ["OPTION_WRITERS", "WRITERS", "ReportOptions", "Writer", "plan_calendar", "render"]


@attrs.frozen
class ReportOptions:
    """What a consultant may ask of a client-facing report."""

    appendix: bool = False
    """Add the appendix: ids, digests, every verdict, mappings, items that do not apply."""
    due: DueConfig | None = None
    """The remediation windows by severity (None: the documented defaults)."""

Writer = Callable[[Assessment, Lang], "str | bytes"]


def _lazy(module: str, function: str) -> Writer:
    """A writer that imports its module on first use, so that importing qcompliance does not
    load Jinja2, rich, openpyxl or WeasyPrint for formats nobody asked for."""

    def write(assessment: Assessment, lang: Lang) -> str | bytes:
        writer: Writer = getattr(importlib.import_module(f"qcompliance.reports.{module}"),
                                 function)
        return writer(assessment, lang)

    return write


OPTION_WRITERS: dict[str, tuple[str, str, bool]] = {
    "html": ("html", "render_html", True),
    "pdf": ("pdf", "render_pdf", True),
    "markdown": ("markdown", "render_markdown", True),
    "csv": ("csv", "render_csv", False),
    "xlsx": ("xlsx", "render_xlsx", False),
    "ics": ("ics", "render_ics", False),
}
"""The formats that take :class:`ReportOptions`: module, function, and whether it has an
appendix (the others take the due-date windows only)."""


WRITERS: dict[str, Writer] = {
    "json": _lazy("json", "render_json"),
    "table": _lazy("table", "render_table"),
    "markdown": _lazy("markdown", "render_markdown"),
    "html": _lazy("html", "render_html"),
    "pdf": _lazy("pdf", "render_pdf"),
    "csv": _lazy("csv", "render_csv"),
    "xlsx": _lazy("xlsx", "render_xlsx"),
    "junit": _lazy("junit", "render_junit"),
    "ics": _lazy("ics", "render_ics"),
    "oscal": _lazy("oscal", "render_oscal"),
}
"""Every output format by name."""


def render(assessment: Assessment, fmt: str, lang: Lang = "zh",
           options: ReportOptions | None = None) -> str | bytes:
    """Render ``assessment`` in format ``fmt`` (a key of :data:`WRITERS`); ``options`` reach
    the formats that take them (:data:`OPTION_WRITERS`)."""
    if options is None or fmt not in OPTION_WRITERS:
        return WRITERS[fmt](assessment, lang)
    module, function, has_appendix = OPTION_WRITERS[fmt]
    writer = getattr(importlib.import_module(f"qcompliance.reports.{module}"), function)
    extra: dict[str, object] = {"config": options.due}
    if has_appendix:
        extra["appendix"] = options.appendix
    result: str | bytes = writer(assessment, lang, **extra)
    return result


def plan_calendar(data: bytes, origin: str) -> tuple[str, int, int]:
    """A filled-in remediation plan (xlsx bytes) as a calendar: see
    :func:`qcompliance.reports.plan_ics.plan_to_ics` (loaded on use: it needs openpyxl)."""
    module = importlib.import_module("qcompliance.reports.plan_ics")
    result: tuple[str, int, int] = module.plan_to_ics(data, origin)
    return result
