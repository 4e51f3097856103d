"""What the CLI modules share: the language option, the error door and ``--as-of``."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from qcompliance.errors import Problem, QComplianceError, UsageError
from qcompliance.i18n import user_lang
from qcompliance.loading.converter import parse_date
from qcompliance.messages import localized, localized_message, message
from qcompliance.textsafe import neutralise
from qcompliance.version import __version__

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "LangOption",
    "LocalizedGroup",
    "as_of_day",
    "errors_to_exit_2",
    "lang_from_env",
]

EXIT_INPUT = 2
"""Bad input or usage: one line on stderr."""
EXIT_BROKEN_PIPE = 141
"""The output pipe closed early (128 + SIGPIPE, as a shell reports a command killed by it)."""
EXIT_INTERNAL = 3
"""A fault of qcheck itself: one line on stderr and a log file with the details."""


class LangOption(str, enum.Enum):
    """Languages of output, questions and messages (Chinese is the default)."""

    zh = "zh"
    en = "en"

    def __str__(self) -> str:
        # Typer converts a callback's result back through str(): a member must give its value.
        return str(self.value)


def _internal_error(exc: BaseException, lang: str) -> None:
    """Log the traceback to a private file and tell the user where it is, in one line."""
    try:
        fd, path = tempfile.mkstemp(prefix="qcheck-internal-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as log:
            log.write(f"qcheck {__version__}\n")
            log.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        where = path
    except OSError:  # the log cannot be written either: say so, still in one line
        where = "-"
    if lang == "en":
        typer.echo(f"qcheck: internal error ({type(exc).__name__}), please report it "
                   f"with the log {where}", err=True)
    else:
        typer.echo(f"qcheck: 内部错误（{type(exc).__name__}），请连同日志 {where} 一起报告",
                   err=True)


def show_usage_error(exc: typer.TyperException, lang: str) -> None:
    """Print what the option parser prints for a bad command line (usage, a hint, the error)
    in ``lang``: its own English text, or the Chinese form from the message table."""
    show = getattr(exc, "show", None)
    if lang != "zh" and callable(show):
        show()
        return
    ctx: Any = getattr(exc, "ctx", None)  # the parser's context, when it got that far
    if ctx is not None:
        typer.echo(localized_message(ctx.get_usage(), lang), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            typer.echo(message("click.try", lang, command=ctx.command_path,
                               option=ctx.help_option_names[0]), err=True)
        typer.echo("", err=True)
    typer.echo(localized_message(f"Error: {exc.format_message()}", lang), err=True)


class LocalizedGroup(TyperGroup):
    """The root command group: a bad command line (an unknown option, a bad option value, a
    missing argument) is told in the user's language (QCHECK_LANG or the locale, since --lang
    is not read yet), with the option parser's exit code."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        """Run the command line as typer does, telling usage errors in the user's language."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args,
                                **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, windows_expand_args,
                                  **extra)
        except typer.TyperException as exc:
            show_usage_error(exc, user_lang())
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo(message("click.aborted", user_lang()), err=True)
            sys.exit(1)
        # Out of standalone mode the parser returns typer.Exit's code (or the command's None).
        sys.exit(result if isinstance(result, int) else 0)


def lang_from_env(ctx: typer.Context, param: typer.CallbackParam,
                  value: LangOption) -> LangOption:
    """The ``--lang`` given, else the user's language (QCHECK_LANG, LC_ALL, LC_MESSAGES, LANG;
    :func:`qcompliance.i18n.user_lang`)."""
    source = ctx.get_parameter_source(param.name) if param.name else None
    if source is None or source.name in ("DEFAULT", "DEFAULT_MAP"):
        return LangOption(user_lang())
    return value


@contextlib.contextmanager
def errors_to_exit_2(lang: str | None = None) -> Iterator[None]:
    """The one door for failures: a QComplianceError becomes one line on stderr in ``lang``
    (default: the user's language, :func:`qcompliance.i18n.user_lang`) and exit code 2; any
    other exception (a fault of qcheck, never of the input) becomes a one-line "internal error,
    please report" with the path of a log file, and exit code 3.
    Never a traceback, never exit code 1 (which means "an obligation failed")."""
    if lang is None:
        lang = user_lang()
    try:
        yield
    except QComplianceError as exc:
        prefix = "qcheck: 错误：" if lang == "zh" else "qcheck: error: "
        typer.echo(prefix + neutralise(localized(exc, lang)), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except BrokenPipeError:  # `qcheck run | head`: the reader left; not a fault of anyone
        with contextlib.suppress(OSError):  # keep Python's exit-time flush from failing too
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Exception as exc:
        if hasattr(exc, "exit_code"):  # click's own usage errors: already well-formed
            raise
        _internal_error(exc, lang)
        raise typer.Exit(EXIT_INTERNAL) from None


def as_of_day(value: str | None) -> dt.date:
    """The ``--as-of`` day (today when not given); a UsageError naming the option if malformed."""
    if value is None:
        return dt.date.today()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(Problem(str(exc), key="--as-of")) from None
