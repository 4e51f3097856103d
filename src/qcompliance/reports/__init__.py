"""Report writers: one module per format, one interface.

A writer takes an :class:`~qcompliance.model.Assessment` and a language and returns the
rendered text (or bytes, for binary formats). Writers never re-evaluate; the CLI decides where
the output goes.
"""

from __future__ import annotations

from collections.abc import Callable

from qcompliance.model import Assessment, Lang

__all__ = ["WRITERS", "Writer", "render"]

Writer = Callable[[Assessment, Lang], "str | bytes"]


def _json(assessment: Assessment, lang: Lang) -> str:
    from qcompliance.reports.json import assessment_to_json

    return assessment_to_json(assessment)


def _table(assessment: Assessment, lang: Lang) -> str:
    from qcompliance.reports.table import render_table

    return render_table(assessment, lang)


def _markdown(assessment: Assessment, lang: Lang) -> str:
    from qcompliance.reports.markdown import render_markdown

    return render_markdown(assessment, lang)


def _html(assessment: Assessment, lang: Lang) -> str:
    from qcompliance.reports.html import render_html

    return render_html(assessment, lang)


def _csv(assessment: Assessment, lang: Lang) -> str:
    from qcompliance.reports.csv import render_csv

    return render_csv(assessment, lang)


def _xlsx(assessment: Assessment, lang: Lang) -> bytes:
    from qcompliance.reports.xlsx import render_xlsx

    return render_xlsx(assessment, lang)


def _junit(assessment: Assessment, lang: Lang) -> str:
    from qcompliance.reports.junit import render_junit

    return render_junit(assessment, lang)


def _ics(assessment: Assessment, lang: Lang) -> str:
    from qcompliance.reports.ics import render_ics

    return render_ics(assessment, lang)


def _oscal(assessment: Assessment, lang: Lang) -> str:
    from qcompliance.reports.oscal import render_oscal

    return render_oscal(assessment, lang)


WRITERS: dict[str, Writer] = {
    "json": _json,
    "table": _table,
    "markdown": _markdown,
    "html": _html,
    "csv": _csv,
    "xlsx": _xlsx,
    "junit": _junit,
    "ics": _ics,
    "oscal": _oscal,
}
"""Every output format by name."""


def render(assessment: Assessment, fmt: str, lang: Lang = "zh") -> str | bytes:
    """Render ``assessment`` in format ``fmt`` (a key of :data:`WRITERS`)."""
    return WRITERS[fmt](assessment, lang)
