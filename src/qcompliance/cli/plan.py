"""``qcheck plan``: work with a remediation plan after the consultant has filled it in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qcompliance.cli.common import LangOption, errors_to_exit_2, lang_from_env
from qcompliance.errors import InputError, Problem
from qcompliance.loading.files import write_atomic
from qcompliance.messages import english

__all__ = ["plan_app"]

plan_app = typer.Typer(help="Work with a filled-in remediation plan (xlsx).",
                       no_args_is_help=True)


@plan_app.command("ics")
def plan_ics(
    plan: Annotated[Path, typer.Argument(help="The remediation plan xlsx, with owners and due "
                                         "dates filled in.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the calendar to FILE (default: stdout).")] = None,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env, help="Language of the messages.")
                    ] = LangOption.zh,
) -> None:
    """Turn the owners and due dates of a plan into a calendar (.ics), one event per gap."""
    with errors_to_exit_2(lang.value):
        try:
            data = plan.read_bytes()
        except OSError as exc:
            raise InputError(Problem(english("file.unreadable", why=exc.strerror),
                                     file=str(plan))) from None
        from qcompliance.reports import plan_calendar  # on use: `qcheck --help` stays light

        text, events, undated = plan_calendar(data, str(plan))
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_atomic(output, text)
        typer.echo(f"{plan}：{events} 个日程；{undated} 行未填完成期限" if lang is LangOption.zh
                   else f"{plan}: {events} event(s); {undated} row(s) without a due date",
                   err=True)
