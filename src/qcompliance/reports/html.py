"""The gap report as one self-contained HTML file that opens on the decision.

First screen (and, printed or as PDF, first page): company, assessment day, the mandatory score
with its coverage in words, the number of gaps and the top priorities with due date, severity
and first step (:mod:`qcompliance.reports.decision`). Then the gaps grouped by topic, scores,
facts to collect, deadlines, waivers and the opportunities the company may qualify for. Item
ids, checklist ids, fact keys, digests and per-item verdicts appear only in the appendix, which
the standard report leaves out (``appendix=True`` adds it).

Everything the page needs is inline; it fetches nothing and runs no script (a
Content-Security-Policy meta tag says so). The template only lays out; every text is chosen
here in the report's language, and Jinja2 escapes all of it (autoescape is on).
"""

from __future__ import annotations

import functools

import jinja2

from qcompliance.engine.due import DueConfig
from qcompliance.model import Assessment, Lang
from qcompliance.reports.context import report_context

__all__ = ["render_html", "template_environment"]


@functools.cache
def template_environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (shipped in the package, autoescaped)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("qcompliance.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(assessment: Assessment, lang: Lang = "zh", *, appendix: bool = False,
                config: DueConfig | None = None) -> str:
    """The gap report as one self-contained HTML document (the appendix only when asked)."""
    template = template_environment().get_template("report.html.j2")
    return template.render(report_context(assessment, lang, appendix=appendix, config=config))
