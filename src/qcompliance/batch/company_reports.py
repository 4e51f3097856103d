"""One report per company of a batch (``qcheck batch run --company-reports DIR``), linked from
the portfolio report: the same decision-first HTML (and PDF when asked) as ``qcheck run``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import attrs

from qcompliance.batch.portfolio import Portfolio
from qcompliance.batch.work import Outcome
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.files import write_atomic
from qcompliance.model import Lang

__all__ = ["CompanyReports", "file_stem"]

_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff]+")


def file_stem(index: int, name: str | None) -> str:
    """A file name for company ``index``: its number, then its name with anything a file
    system may refuse replaced (``003-福州闽味园食品有限公司``)."""
    cleaned = _UNSAFE.sub("-", name or "").strip("-")[:60]
    return f"{index + 1:03d}" + (f"-{cleaned}" if cleaned else "")


@attrs.define
class CompanyReports:
    """A batch sink that writes each evaluated company's report into ``directory`` and records
    the links in ``portfolio``."""

    directory: Path
    checklists: ChecklistSet
    lang: Lang
    portfolio: Portfolio | None = None
    formats: Sequence[str] = ("html",)
    written: int = 0

    def add(self, outcome: Outcome) -> None:
        """Render and write the reports of one company (nothing for one that did not load)."""
        if outcome.assessment is None or outcome.problem is not None:
            return
        from qcompliance.reports import render
        from qcompliance.reports.json import assessment_from_data, parse_assessment_json

        origin = outcome.origin
        data = parse_assessment_json(outcome.assessment, origin=origin)
        assessment = assessment_from_data(data, self.checklists, origin=origin)
        stem = file_stem(outcome.index, outcome.name)
        self.directory.mkdir(parents=True, exist_ok=True)
        for fmt in self.formats:
            path = self.directory / f"{stem}.{fmt}"
            write_atomic(path, render(assessment, fmt, self.lang))
            if self.portfolio is not None:
                self.portfolio.link(outcome.index, fmt, str(path))
        self.written += 1
