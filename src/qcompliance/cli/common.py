"""What the two CLI modules share: the language option, the error door and ``--as-of``."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
from collections.abc import Iterator

import typer

from qcompliance.errors import Problem, QComplianceError, UsageError
from qcompliance.loading.converter import parse_date
from qcompliance.messages import localized

__all__ = ["LangOption", "as_of_day", "errors_to_exit_2"]


class LangOption(str, enum.Enum):
    """Languages of output, questions and messages (Chinese is the default)."""

    zh = "zh"
    en = "en"


@contextlib.contextmanager
def errors_to_exit_2(lang: str = "en") -> Iterator[None]:
    """Print a QComplianceError as one line on stderr, in ``lang``, and exit with code 2."""
    try:
        yield
    except QComplianceError as exc:
        prefix = "qcheck: 错误：" if lang == "zh" else "qcheck: error: "
        typer.echo(prefix + localized(exc, lang), err=True)
        raise typer.Exit(2) from None


def as_of_day(value: str | None) -> dt.date:
    """The ``--as-of`` day (today when not given); a UsageError naming the option if malformed."""
    if value is None:
        return dt.date.today()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UsageError(Problem(str(exc), key="--as-of")) from None
