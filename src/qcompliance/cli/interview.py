"""The terminal front end of the interview: how to ask (prompts on stdout, answers from stdin).

What to ask, and how answers are read, is :mod:`qcompliance.selfcheck`; this module only shows
prompts, reads lines, and saves the answers so far when the person stops (Ctrl-C, end of input,
SIGTERM or SIGHUP: a closed terminal window or a ``kill`` loses nothing either).
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import typer

from qcompliance.loading.files import write_atomic
from qcompliance.selfcheck import Interview, Prompt, say
from qcompliance.textsafe import neutralise, neutralise_lines

__all__ = ["run_in_terminal", "save", "terminal_ask"]


def terminal_ask(prompt: Prompt) -> str:
    """Show a prompt (the full question once, then only why an answer was rejected)."""
    if prompt.attempt == 0:
        if prompt.kind != "field":
            typer.echo("")
        typer.echo(neutralise_lines(prompt.text))
    else:
        typer.echo(f"  ✗ {neutralise(prompt.error or '')}")
    return input(neutralise(prompt.hint))


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
        _tell(say("cli.backup", interview.lang, path=backup))
    if old != text.encode("utf-8"):
        write_atomic(path, text)
    unknown = len([k for k in interview.unknown if k not in interview.facts])
    _tell(say("cli.written", interview.lang, path=path, n=len(interview.facts),
              asked=interview.asked, unknown=unknown))


def _tell(text: str) -> None:
    """Print a line, unless the terminal is gone (a closed window, SIGHUP): the answers have
    been written by then, and a failed notice must not turn into an error."""
    with contextlib.suppress(OSError):
        typer.echo(text)


class _Terminated(Exception):
    """A termination signal arrived while a question was open."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, _: FrameType | None) -> None:
    raise _Terminated(signum)


@contextlib.contextmanager
def _terminations_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP raise inside the interview, as Ctrl-C does, so its answers are
    saved; the previous handlers come back afterwards."""
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(ValueError):  # not the main thread: leave them be
                previous[number] = signal.signal(number, _raise_terminated)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def run_in_terminal(interview: Interview, path: Path) -> None:
    """Ask every remaining question at the terminal, then write the profile to ``path``.

    Whatever was answered before an interruption is written too; Ctrl-C exits 130, SIGTERM
    and SIGHUP 128 + the signal's number, and the end of input exits 2, as a shell expects.
    """
    try:
        with _terminations_raise():
            interview.run(terminal_ask, typer.echo)
    except (KeyboardInterrupt, EOFError, _Terminated) as exc:
        code = 2 if isinstance(exc, EOFError) else 130
        if isinstance(exc, _Terminated):
            code = 128 + exc.signum
        # A second signal (a closing terminal sends SIGHUP right after the end of input) must
        # not interrupt the saving: it is ignored until the answers are written.
        with _terminations_ignored():
            _tell("")
            _tell(say("cli.eof" if code == 2 else "cli.interrupted", interview.lang))
            save(interview, path)
        raise typer.Exit(code) from None
    save(interview, path)


@contextlib.contextmanager
def _terminations_ignored() -> Iterator[None]:
    previous = {}
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(ValueError):
                previous[number] = signal.signal(number, signal.SIG_IGN)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
