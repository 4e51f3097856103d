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


WRITERS: dict[str, Writer] = {"json": _json, "table": _table}
"""Every output format by name."""


def render(assessment: Assessment, fmt: str, lang: Lang = "zh") -> str | bytes:
    """Render ``assessment`` in format ``fmt`` (a key of :data:`WRITERS`)."""
    return WRITERS[fmt](assessment, lang)
