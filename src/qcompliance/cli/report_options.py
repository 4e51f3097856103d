"""The options of a client-facing report, shared by ``qcheck run``, ``report`` and ``batch``:
``--appendix`` and ``--due-config`` (the remediation windows by severity)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # the writers load on use: `qcheck --version` imports none of them
    from qcompliance.reports import ReportOptions

__all__ = ["AppendixOption", "DueConfigOption", "report_options"]

AppendixOption = Annotated[bool, typer.Option(
    "--appendix", help="Add the appendix to HTML, PDF and Markdown: every verdict with its "
    "reason, item ids, GB/T 19001 mappings, items that do not apply, tool and checklist "
    "digests.")]
DueConfigOption = Annotated[Path | None, typer.Option(
    "--due-config", help="TOML file of remediation windows by severity ([windows] critical, "
    "high, medium, low in days; overdue_days) for gaps the law sets no deadline for.")]


def report_options(appendix: bool, due_config: Path | None) -> ReportOptions:
    """The report options from the command line (reads and checks the due-date config)."""
    from qcompliance.engine.due import parse_due_config
    from qcompliance.reports import ReportOptions

    if due_config is None:
        return ReportOptions(appendix=appendix)
    from qcompliance.loading.load import decode_text, read_bytes

    text = decode_text(read_bytes(due_config, str(due_config)), str(due_config))
    return ReportOptions(appendix=appendix, due=parse_due_config(text, str(due_config)))
