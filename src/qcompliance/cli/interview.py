"""The terminal front end of the interview: how to ask (prompts on stdout, answers from stdin).

What to ask, and how answers are read, is :mod:`qcompliance.selfcheck`; this module only shows
prompts, reads lines, and saves the answers so far when the person stops (Ctrl-C, end of input).
"""

from __future__ import annotations

from pathlib import Path

import typer

from qcompliance.loading.files import write_atomic
from qcompliance.selfcheck import Interview, Prompt, say

__all__ = ["run_in_terminal", "save", "terminal_ask"]


def terminal_ask(prompt: Prompt) -> str:
    """Show a prompt (the full question once, then only why an answer was rejected)."""
    if prompt.attempt == 0:
        if prompt.kind != "field":
            typer.echo("")
        typer.echo(prompt.text)
    else:
        typer.echo(f"  ✗ {prompt.error}")
    return input(prompt.hint)


def save(interview: Interview, path: Path) -> None:
    """Write the profile atomically, keeping a differing previous file as ``PATH.bak``.

    A previous file is updated, not rewritten: its comments and order stay.
    """
    old = path.read_bytes() if path.exists() else None
    try:
        original = old.decode("utf-8") if old is not None else None
    except UnicodeDecodeError:
        original = None
    # A resumed profile keeps its comments and order: the new answers are added to it.
    text = interview.profile_text(original)
    if old is not None and old != text.encode("utf-8"):
        backup = path.with_name(path.name + ".bak")
        write_atomic(backup, old)
        typer.echo(say("cli.backup", interview.lang, path=backup))
    if old != text.encode("utf-8"):
        write_atomic(path, text)
    unknown = len([k for k in interview.unknown if k not in interview.facts])
    typer.echo(say("cli.written", interview.lang, path=path, n=len(interview.facts),
                   asked=interview.asked, unknown=unknown))


def run_in_terminal(interview: Interview, path: Path) -> None:
    """Ask every remaining question at the terminal, then write the profile to ``path``.

    Whatever was answered before an interruption is written too; Ctrl-C exits 130 and the end
    of input exits 2, as a shell expects.
    """
    try:
        interview.run(terminal_ask, typer.echo)
    except (KeyboardInterrupt, EOFError) as exc:
        interrupted = isinstance(exc, KeyboardInterrupt)
        typer.echo("")
        typer.echo(say("cli.interrupted" if interrupted else "cli.eof", interview.lang))
        save(interview, path)
        raise typer.Exit(130 if interrupted else 2) from None
    save(interview, path)
